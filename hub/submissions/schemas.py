"""The submissions API's request and response bodies (what a partner's connector sees)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
KeyLabel = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
# 128 bytes in base64: 171 characters and one "=".
Base64Clk = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{171}=$")]
Period = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


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
    row: int | None = Field(
        None, ge=1, le=MAX_ROW, description="Row number in the partner's file (1 = first data row); null for the file."
    )
    field: FieldName | None = Field(None, description="Schema field at fault.")
    message: str = Field(max_length=500, description="What is wrong, in plain words; never repeats the value.")


class UploadRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int = Field(ge=1, le=MAX_ROW, description="Row number in the partner's file.")
    case_ref: Hex64 = Field(description="Keyed hash of the partner's case reference (made by the connector).")
    fields: dict[str, str | list[str] | None] = Field(description="Upload fields of the schema, already coarsened.")
    tokens: dict[KeyLabel, Hex64] = Field(default_factory=dict, description="Linkage tokens by match-key label.")
    blocks: dict[KeyLabel, Hex64] = Field(
        default_factory=dict, description="Keyed blocking tokens by label: which records are worth comparing."
    )
    clk: Base64Clk | None = Field(
        None, description="Keyed Bloom-filter encoding of names and date of birth (base64 of 128 bytes), if any."
    )


class ChunkUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[UploadRow] = Field(description="Valid rows as the connector prepared them.")
    rejected_rows: list[RowError] = Field(
        default_factory=list, max_length=50_000,
        description="Rows the connector refused locally, so that the receipt is whole.",
    )


class ChunkReceipt(BaseModel):
    seq: int
    rows: int = Field(description="Rows received in this chunk.")
    accepted: int
    rejected: int
    errors: list[RowError]


class SubmissionComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_chunks: int = Field(ge=0, le=2_000_000, description="Number of chunks sent (numbered 1..n).")


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
    chunks_received: list[int] = Field(default_factory=list, description="Sequence numbers already stored.")


class Receipt(BaseModel):
    submission_id: str
    status: str = Field(description="accepted, rejected, open, superseded or abandoned.")
    dataset: str
    period: str
    version: int
    accepted: int
    rejected: int
    errors: list[RowError]
    supersedes: str | None = Field(None, description="The earlier version this one replaced, if any.")
    checksum: str | None = Field(None, description="SHA-256 over the chunks' checksums, in order.")
    signature: str | None = Field(
        None, description="Compact JWS (ES256, key at /.well-known/jwks.json) over the receipt without it."
    )
