"""Case records (attributes only) and their re-keyed linkage tokens.

The columns of ``Record`` are the upload fields of the schema ``case-v1``; a test keeps them
in step. Multi-valued fields are stored as their values joined by ``|`` in schema order.
"""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Record(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("submission_id", "case_ref", name="uq_record_case_ref"),)

    submission_id: str = Field(foreign_key="submission.id", primary_key=True, max_length=32)
    row: int = Field(primary_key=True, description="Row number in the partner's file (1 = first data row).")
    case_ref: bytes = Field(description="The partner's case reference, keyed-hashed twice.")
    registration_month: str = Field(max_length=7)
    age_band: str | None = Field(default=None, max_length=5)
    gender: str | None = Field(default=None, max_length=20)
    citizenship: str | None = Field(default=None, max_length=3)
    country_of_exploitation: str | None = Field(default=None, max_length=3)
    type_of_exploitation: str | None = Field(default=None, max_length=300)
    forced_labour_industry: str | None = Field(default=None, max_length=1)
    means_of_control: str | None = Field(default=None, max_length=400)
    recruiter_relationship: str | None = Field(default=None, max_length=20)
    trafficking_status: str | None = Field(default=None, max_length=20)
    data_source_type: str | None = Field(default=None, max_length=20)
    clk: bytes | None = Field(
        default=None, description="The record's CLK, bits permuted by the hub's key (Dice similarity is kept)."
    )


class RecordToken(SQLModel, table=True):
    """One re-keyed linkage token of a record (an opaque set per record; linkage reads it).

    No foreign key to ``record``: tokens are written only with their record, in the same COPY
    transaction, and deleted only with it (``hub.submissions.service``); a test checks that no
    token is ever orphaned. The key made PostgreSQL re-check every token row of a bulk COPY with
    a plan chosen while the table was small, which made ingest four times slower.
    """

    __tablename__ = "record_token"

    submission_id: str = Field(primary_key=True, max_length=32)
    row: int = Field(primary_key=True)
    key_label: str = Field(primary_key=True, max_length=40)
    token: bytes = Field(index=True)


class RecordBlock(SQLModel, table=True):
    """One re-keyed blocking token of a record: records sharing one are compared by CLK.

    Like ``RecordToken``, without a foreign key, for the same reason.
    """

    __tablename__ = "record_block"

    submission_id: str = Field(primary_key=True, max_length=32)
    row: int = Field(primary_key=True)
    label: str = Field(primary_key=True, max_length=40)
    token: bytes = Field(index=True)
