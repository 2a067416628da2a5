"""What the steward reads of the audit log."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AuditEntryPublic(BaseModel):
    seq: int = Field(description="Position in the chain, from 1.")
    at: str = Field(description="When, in UTC (ISO 8601).")
    kind: str = Field(description="The event, such as submission.completed or release.computed.")
    actor: str | None = Field(description="The client that acted, or cli, linker, hub.")
    organisation_id: str | None
    subject: str | None = Field(description="Id of what the event is about (a submission, release, client ...).")
    details: dict = Field(description="Codes only: ids, periods, statuses, epsilon; never a name or a count.")
    prev_hash: str
    entry_hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntryPublic]
    head_seq: int = Field(description="The chain's last entry.")


class ChainCheckPublic(BaseModel):
    ok: bool
    entries: int
    checkpoints: int
    anchored_through: int = Field(description="The last entry covered by a signed checkpoint.")
    first_broken: int | None = Field(description="The first entry that breaks the chain, if any.")
    problem: str | None
