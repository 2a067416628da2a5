"""Answers remembered under an ``Idempotency-Key`` so that a retried request is safe."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from hub.models.base import utcnow


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_key"

    organisation_id: str = Field(primary_key=True, max_length=32)
    key: str = Field(primary_key=True, max_length=200)
    request_hash: str = Field(max_length=64)
    response_status: int
    response_body: str
    created_at: datetime = Field(default_factory=utcnow)
