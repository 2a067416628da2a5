"""The audit log: a hash chain of security-relevant events, its head, and signed checkpoints.

Each entry holds the hash of the one before it, so an entry changed, deleted or moved breaks the
chain at that entry (``hub audit verify`` names it). The head row is what writers lock to append
one at a time. Checkpoints sign the hash of an entry with the hub's key, so that even a chain
rewritten whole from some entry on (every hash recomputed) no longer matches what was signed.
Nothing here names a person or counts records: ids, event kinds and epsilon only.
"""

from sqlmodel import Field, SQLModel

GENESIS_HASH = "0" * 64  # the "previous hash" of the first entry


class AuditEntry(SQLModel, table=True):
    """One event. Never updated or deleted (on PostgreSQL and SQLite a trigger refuses both)."""

    __tablename__ = "audit_entry"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False},
                     description="Position in the chain, from 1, without gaps.")
    at: str = Field(max_length=32, description="When, in UTC, as ISO 8601 text (hashed as stored).")
    kind: str = Field(max_length=40, index=True, description="The event (hub.audit.events.AuditEvent).")
    actor: str | None = Field(default=None, max_length=64, description="Client id, or cli, linker, hub.")
    organisation_id: str | None = Field(default=None, max_length=32)
    subject: str | None = Field(default=None, max_length=64, description="Id of what the event is about.")
    details: str = Field(description="Canonical JSON of the event's checked details (hashed as stored).")
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's last entry (one row, id 1): locked by every append, so appends are serialised."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int
    entry_hash: str = Field(max_length=64)


class AuditCheckpoint(SQLModel, table=True):
    """A signed statement that entry ``seq`` had hash ``entry_hash`` at time ``at``."""

    __tablename__ = "audit_checkpoint"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    entry_hash: str = Field(max_length=64)
    at: str = Field(max_length=32)
    signature: str = Field(description="Compact JWS (ES256, the hub's key) over seq, entry_hash and at.")
