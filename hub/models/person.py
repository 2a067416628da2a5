"""Persons: the records that the linkage resolved to one human being.

A person's cohort is the month (submission period) in which the hub first saw it; the privacy
budget of later issues is kept per cohort. Which partners reported a person is read through its
records' submissions.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow


class Person(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    dataset: str = Field(max_length=40, index=True)
    cohort: str = Field(max_length=7, index=True, description="First submission period with a record of the person.")
    created_at: datetime = Field(default_factory=utcnow)


class PersonRecord(SQLModel, table=True):
    """Which person a live record belongs to; records of replaced submissions have no row here."""

    __tablename__ = "person_record"

    submission_id: str = Field(primary_key=True, max_length=32)
    row: int = Field(primary_key=True)
    person_id: str = Field(foreign_key="person.id", index=True, max_length=32)
