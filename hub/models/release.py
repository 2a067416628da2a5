"""Releases (immutable differentially private tables) and researchers' requests for them."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow
from hub.models.budget import ExactDecimal


class Release(SQLModel, table=True):
    """A table computed once, stored with everything needed to read and verify it, served ever after.

    ``cells`` holds only noisy, post-processed values and their intervals; nothing exact.
    """

    __table_args__ = (
        # One standard table per report and period, ever: a second publication of the same period
        # (two stewards at once) fails whole instead of spending the budget twice.
        Index(
            "uq_release_standard", "report", "period", unique=True,
            sqlite_where=text("kind = 'standard'"), postgresql_where=text("kind = 'standard'"),
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    kind: str = Field(max_length=20, description="standard or custom")
    report: str = Field(max_length=80, index=True, description="Report id, or 'custom'.")
    title: str = Field(max_length=300)
    period: str | None = Field(default=None, max_length=7, index=True, description="YYYY-MM or YYYY of a standard report.")
    dataset: str = Field(max_length=40)
    cohorts: list[str] = Field(sa_column=Column(JSON, nullable=False))
    parameters: dict = Field(sa_column=Column(JSON, nullable=False), description="Dimensions, filters, rho, epsilon, delta.")
    mechanism: dict = Field(sa_column=Column(JSON, nullable=False), description="Mechanism, sigma, sensitivity, bounds.")
    cells: list[dict] = Field(sa_column=Column(JSON, nullable=False))
    snapshot: str = Field(
        max_length=64,
        description="Keyed commitment to the linked data the release was computed on: "
        "HMAC-SHA256(snapshot secret, nonce and the data's digest); plain SHA-256 of the data before revision 0007.",
    )
    snapshot_nonce: str | None = Field(
        default=None, max_length=64, description="The commitment's random nonce (hex); kept, never served."
    )
    data_as_of: datetime | None = Field(default=None, description="When the linked data was last updated.")
    content_hash: str = Field(max_length=64, description="SHA-256 of the canonical JSON of the release.")
    signature: str = Field(description="Compact JWS (ES256, the hub's key) over the release's id and content hash.")
    created_at: datetime = Field(default_factory=utcnow)


class RequestStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class ReleaseRequest(SQLModel, table=True):
    __tablename__ = "release_request"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    client_id: str = Field(max_length=64)
    dataset: str = Field(max_length=40)
    dimensions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    filters: dict = Field(sa_column=Column(JSON, nullable=False))
    cohorts: list[str] = Field(sa_column=Column(JSON, nullable=False))
    statistic: str = Field(max_length=20)
    epsilon: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))
    purpose: str = Field(max_length=2000)
    status: str = Field(default=RequestStatus.pending, max_length=20)
    reason: str | None = Field(default=None, max_length=2000)
    decided_by: str | None = Field(default=None, max_length=64)
    release_id: str | None = Field(default=None, foreign_key="release.id", max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
