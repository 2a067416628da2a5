"""Reading the audit log (for stewards: every organisation's events, never their data)."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from hub.audit.chain import HEAD_ID
from hub.audit.schemas import AuditEntryPublic, AuditPage
from hub.models import AuditEntry, AuditHead


def read_entries(session: Session, *, after: int = 0, limit: int = 100, kind: str | None = None) -> AuditPage:
    """Entries after seq ``after``, oldest first, ``limit`` at most, optionally of one kind."""
    query = select(AuditEntry).where(AuditEntry.seq > after)
    if kind is not None:
        query = query.where(AuditEntry.kind == kind)
    entries = session.exec(query.order_by(AuditEntry.seq).limit(limit)).all()
    head = session.get(AuditHead, HEAD_ID)
    return AuditPage(
        entries=[AuditEntryPublic(**entry.model_dump(exclude={"details"}), details=json.loads(entry.details))
                 for entry in entries],
        head_seq=head.seq if head else 0,
    )
