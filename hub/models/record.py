"""Case records (attributes only) and their blocks of re-keyed comparison features.

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


class RecordBlock(SQLModel, table=True):
    """One block of a record: its re-keyed block token (records sharing one are compared) and where
    the record's comparison features salted by that block, re-keyed (privacy.encodings,
    privacy.rekey), lie in its chunk's sealed features (``SealedFeatures``: encrypted at rest; the
    token stays plain, since SQL joins and groups on it).

    No foreign key to ``record``: blocks are written only with their record, in the same COPY
    transaction, and deleted only with it (``hub.submissions.service``); a test checks that no
    block is ever orphaned. The key made PostgreSQL re-check every row of a bulk COPY with a plan
    chosen while the table was small, which made ingest four times slower.
    """

    __tablename__ = "record_block"

    submission_id: str = Field(primary_key=True, max_length=32)
    row: int = Field(primary_key=True)
    label: str = Field(primary_key=True, max_length=40)
    token: bytes = Field(index=True)
    chunk: int = Field(description="The chunk whose sealed features hold this block's.")
    features_at: int = Field(description="Where they start in the chunk's features once opened (bytes).")
    features_length: int = Field(description="How long they are: 9 bytes per entry (a kind, an 8-byte token).")
