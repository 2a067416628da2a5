"""The submissions API's request and response bodies (what a partner's connector sees)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hub.periods import Period
from schemas.row_problems import RowProblem

Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# A block's packed features (privacy.encodings: 9 bytes each) in base64: at most 120 features.
Base64Features = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]*={0,2}$", max_length=1_440)]
BlockLabel = Literal["dob", "family_year", "given_year", "names"]
ComparisonField = Literal["given_name", "family_name", "date_of_birth", "sex", "citizenship", "document", "phone"]
# Bounds of what a chunk may hold, whatever the body limit: a schema has a few dozen upload fields,
# a multi-valued field a few dozen values, and a chunk the rows the settings allow (checked after).
MAX_FIELDS_PER_ROW, MAX_VALUES_PER_FIELD, MAX_VALUE_LENGTH, MAX_ROWS_PER_CHUNK = 64, 32, 64, 50_000
FieldValue = Annotated[str, StringConstraints(max_length=MAX_VALUE_LENGTH)]


class SubmissionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dataset: str = Field("case-v1", description="Schema id of the records, e.g. case-v1.")
    period: Period = Field(description="Month the records cover, YYYY-MM.")
    on_invalid: Literal["reject", "skip"] = Field(
        "reject",
        description="reject: any invalid row refuses the whole submission; "
        "skip: invalid rows are left out and listed in the receipt.",
    )
    linkage_secret_version: int = Field(ge=1, description="Version of the linkage secret the tokens were made with.")


MAX_ROW = 2**31 - 1
FieldName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,64}$")]


class RowError(BaseModel):
    """A row the connector refused, as it sends it: where, and why as a code (never as text)."""

    model_config = ConfigDict(extra="forbid")

    row: int | None = Field(
        None, ge=1, le=MAX_ROW, description="Row number in the partner's file (1 = first data row); null for the file."
    )
    field: FieldName | None = Field(None, description="Schema field at fault.")
    code: RowProblem = Field(description="Why, from a fixed list; the receipt gives each code's fixed message.")


class RowErrorPublic(BaseModel):
    """A refused row in a receipt: where, the code, and the hub's fixed message for the code."""

    row: int | None = Field(None, description="Row number in the partner's file; null for the file.")
    field: str | None = Field(None, description="Schema field at fault.")
    code: RowProblem
    message: str = Field(description="The fixed sentence for the code; never repeats a value.")

    @classmethod
    def of(cls, row: int | None, field: str | None, code: RowProblem) -> RowErrorPublic:
        return cls(row=row, field=field, code=code, message=RowProblem(code).message)


class BlockUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Hex64 = Field(description="Keyed token of the block: which records are worth comparing.")
    features: Base64Features = Field(
        description="The record's comparison features salted by the block (kind byte and 8-byte keyed token each)."
    )


class UploadRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int = Field(ge=1, le=MAX_ROW, description="Row number in the partner's file.")
    case_ref: Hex64 = Field(description="Keyed hash of the partner's case reference (made by the connector).")
    fields: dict[Annotated[str, StringConstraints(max_length=64)],
                 FieldValue | Annotated[list[FieldValue], Field(max_length=MAX_VALUES_PER_FIELD)] | None] = Field(
        max_length=MAX_FIELDS_PER_ROW, description="Upload fields of the schema, already coarsened."
    )
    blocks: dict[BlockLabel, BlockUpload] = Field(
        default_factory=dict,
        description="The record's blocks (records are compared only within a block), each with its features.",
    )


class ChunkUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[UploadRow] = Field(max_length=MAX_ROWS_PER_CHUNK, description="Valid rows as the connector prepared them.")
    rejected_rows: list[RowError] = Field(
        default_factory=list, max_length=MAX_ROWS_PER_CHUNK,
        description="Rows the connector refused locally, so that the receipt is whole.",
    )


class ChunkReceipt(BaseModel):
    seq: int
    rows: int = Field(description="Rows received in this chunk.")
    accepted: int
    rejected: int
    errors: list[RowErrorPublic]


class RandomPairs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pairs: int = Field(ge=0, le=10_000_000, description="Random pairs of the file's records compared.")
    levels: dict[ComparisonField, Annotated[list[Annotated[int, Field(ge=0, le=10_000_000)]], Field(max_length=8)]] = Field(
        description="For each field, the pairs at each comparison level (missing first)."
    )


class SubmissionComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_chunks: int = Field(ge=0, le=2_000_000, description="Number of chunks sent (numbered 1..n).")
    random_pairs: RandomPairs | None = Field(
        None, description="How many random pairs of the file's records show each comparison level (counts only)."
    )
    replace: bool = Field(
        False,
        description="Confirm a replacement that leaves the period with no records, or fewer than half as many "
        "as its current version; without it such a completion is refused (WouldShrinkMonth).",
    )


class SubmissionPublic(BaseModel):
    id: str
    dataset: str
    period: str
    version: int
    status: str
    on_invalid: str
    linkage_secret_version: int
    rows_received: int
    accepted: int
    rejected: int
    checksum: str | None
    created_at: datetime
    completed_at: datetime | None
    expires_at: datetime | None = Field(
        None, description="While open: when the hub stops taking its chunks and completion and deletes what it "
        "received (open_submission_hours after created_at)."
    )
    chunks_received: list[int] = Field(default_factory=list, description="Sequence numbers already stored.")


class Receipt(BaseModel):
    submission_id: str
    status: str = Field(description="accepted, rejected, open, superseded or abandoned.")
    dataset: str
    period: str
    version: int
    accepted: int
    rejected: int
    errors: list[RowErrorPublic]
    supersedes: str | None = Field(None, description="The earlier version this one replaced, if any.")
    checksum: str | None = Field(None, description="SHA-256 over the chunks' checksums, in order.")
    signature: str | None = Field(
        None, description="Compact JWS (ES256, key at /.well-known/jwks.json) over the receipt without it."
    )
