"""Partner organisations: NGOs, agencies, researchers and the hub's own stewards."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow


class OrganisationType(StrEnum):
    ngo = "ngo"
    government = "government"
    research = "research"
    tech = "tech"
    steward = "steward"


class Organisation(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(unique=True, max_length=200)
    type: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
