"""Submissions: one organisation's records for one dataset and period, in versions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow


class SubmissionStatus(StrEnum):
    open = "open"  # receiving chunks; its records count nowhere
    accepted = "accepted"  # the current version for its period
    rejected = "rejected"  # refused whole; its rows were deleted
    superseded = "superseded"  # replaced by a later accepted version; kept as history
    abandoned = "abandoned"  # never completed; its rows were deleted


class Submission(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("organisation_id", "dataset", "period", "version", name="uq_submission_version"),
        # At most one current version per organisation, dataset and period.
        Index(
            "uq_submission_current",
            "organisation_id",
            "dataset",
            "period",
            unique=True,
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    organisation_id: str = Field(foreign_key="organisation.id", index=True, max_length=32)
    client_id: str = Field(max_length=64)
    dataset: str = Field(max_length=40)
    period: str = Field(max_length=7)
    version: int
    status: str = Field(default=SubmissionStatus.open, max_length=20)
    on_invalid: str = Field(max_length=10)
    linkage_secret_version: int
    rows_received: int = 0
    accepted: int = 0
    rejected: int = 0
    checksum: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    # When the linkage last took this submission's change into account: its records joined to
    # persons once accepted, taken out again once superseded. None: the linkage has work to do.
    linked_at: datetime | None = None
    # How many random pairs of the file's records showed each comparison level (JSON of
    # privacy.random_pairs.LevelCounts): the linkage model's u. Counts only.
    random_pairs: str | None = None


class SubmissionChunk(SQLModel, table=True):
    """A chunk of rows received; a resumed upload asks which chunks the hub already has."""

    __tablename__ = "submission_chunk"

    submission_id: str = Field(foreign_key="submission.id", primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)
    row_count: int
    checksum: str = Field(max_length=64)
    receipt: str = Field(description="The chunk's receipt (JSON), answered again to a retry.")
    received_at: datetime = Field(default_factory=utcnow)


class SubmissionError(SQLModel, table=True):
    """A rejected row or file-level problem, as shown in the receipt. Never holds a value: the
    reason is a code of schemas.row_problems, whose fixed message the receipt renders."""

    __tablename__ = "submission_error"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: str = Field(foreign_key="submission.id", index=True, max_length=32)
    row: int | None = None
    field: str | None = Field(default=None, max_length=100)
    code: str = Field(max_length=40)
