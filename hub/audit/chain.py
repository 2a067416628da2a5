"""Appending to the audit chain, in the transaction of the action, one writer at a time.

``record`` notes an event on the session; the entries are written just before that session
commits (SQLAlchemy's ``before_commit``), so an action that fails leaves no entry and an entry
never outlives a rolled-back action. Writing takes the lock on the chain's head row last of all
the transaction's locks and holds it only until the commit: two writers append one after the
other (on PostgreSQL the row lock; on SQLite every writing transaction already holds the
database's write lock), never both after the same entry. Every ``CHECKPOINT_EVERY`` entries, a
checkpoint signed with the hub's key anchors the chain.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from hub.audit.events import AuditEvent, checked_code, checked_details
from hub.models import AuditCheckpoint, AuditEntry, AuditHead
from hub.signing import canonical, sign

CHECKPOINT_EVERY = 100
CHECKPOINT_TYPE = "hub-audit-checkpoint+jws"
HEAD_ID = 1
_PENDING = "hub_audit_pending"


def record(session: Session, event_kind: AuditEvent, /, *, actor: str | None = "hub", organisation_id: str | None = None,
           subject: str | None = None, **details) -> None:
    """Note ``event_kind`` for the chain; it is appended when ``session`` commits, with the action.

    :raises ValueError: a detail that is not on the list, or a value that is not a code (see
        :mod:`hub.audit.events`): refused at once, where the caller can see it.
    """
    entry = {
        "kind": AuditEvent(event_kind).value,
        "actor": None if actor is None else checked_code(actor, "actor"),
        "organisation_id": None if organisation_id is None else checked_code(organisation_id, "organisation"),
        "subject": None if subject is None else checked_code(subject, "subject"),
        "details": canonical(checked_details(details)).decode(),
    }
    session.info.setdefault(_PENDING, []).append(entry)


def entry_hash(seq: int, at: str, kind: str, actor: str | None, organisation_id: str | None, subject: str | None,
               details: str, prev_hash: str) -> str:
    """SHA-256 of an entry's canonical JSON, the previous entry's hash included."""
    content = {"seq": seq, "at": at, "kind": kind, "actor": actor, "organisation_id": organisation_id,
               "subject": subject, "details": details, "prev_hash": prev_hash}
    return hashlib.sha256(canonical(content)).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(entry.seq, entry.at, entry.kind, entry.actor, entry.organisation_id, entry.subject,
                      entry.details, entry.prev_hash)


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def lock_head(session: Session) -> AuditHead:
    """The chain's head, locked until the end of the transaction."""
    head = session.exec(select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()).first()
    if head is None:
        raise RuntimeError("the audit chain has no head row: run `hub migrate`")
    return head


def write_pending(session: Session) -> None:
    """Append the events noted on ``session`` (the ``before_commit`` hook; callable directly)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    head = lock_head(session)
    for noted in pending:
        seq, at = head.seq + 1, now_text()
        digest = entry_hash(seq, at, noted["kind"], noted["actor"], noted["organisation_id"], noted["subject"],
                            noted["details"], head.entry_hash)
        session.add(AuditEntry(seq=seq, at=at, prev_hash=head.entry_hash, entry_hash=digest, **noted))
        head.seq, head.entry_hash = seq, digest
        if seq % CHECKPOINT_EVERY == 0:
            session.add(make_checkpoint(seq, digest))
    session.add(head)
    session.flush()


def make_checkpoint(seq: int, digest: str) -> AuditCheckpoint:
    at = now_text()
    signature = sign({"seq": seq, "entry_hash": digest, "at": at}, CHECKPOINT_TYPE)
    return AuditCheckpoint(seq=seq, entry_hash=digest, at=at, signature=signature)


def checkpoint_head(session: Session) -> AuditCheckpoint | None:
    """A signed checkpoint of the chain's last entry now (``hub audit checkpoint``, for a cron job);
    None if the chain is empty or its last entry is anchored already."""
    head = lock_head(session)
    if head.seq == 0 or session.get(AuditCheckpoint, head.seq) is not None:
        return None
    checkpoint = make_checkpoint(head.seq, head.entry_hash)
    session.add(checkpoint)
    session.flush()
    return checkpoint


@event.listens_for(OrmSession, "before_commit")
def _append_before_commit(session: OrmSession) -> None:
    if session.info.get(_PENDING):
        write_pending(session)


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_after_rollback(session: OrmSession, previous_transaction) -> None:
    # A rolled-back action leaves nothing, its audit entries included (a savepoint's rollback
    # inside the action is not the action's).
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
