"""Checking the audit chain end to end, and naming the first entry that breaks it.

An entry breaks the chain when it is missing (a gap in the sequence), does not carry its
predecessor's hash (moved or inserted), or no longer hashes to what it says (changed). A
checkpoint breaks it when its signature does not verify under the key its ``kid`` names (a key of
the hub's signing ring, retired ones included: a key replaced since still vouches for what it
signed before it was retired, never for a checkpoint dated after), when that kid is not in the
ring, or when the entry it signed no longer has the hash it signed: then the chain was rewritten whole (every hash
recomputed) somewhere after the previous good checkpoint, and the first entry after that one is
named. What happened after the last checkpoint can only be checked link by link; ``unanchored``
says how many entries that is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

from joserfc import jws
from joserfc.errors import JoseError
from sqlalchemy import select
from sqlmodel import Session

from hub.audit.chain import CHECKPOINT_EVERY, CHECKPOINT_TYPE, HEAD_ID, hash_of
from hub.auth.keys import signing_ring
from hub.keys.signing import SigningRing
from hub.models import AuditCheckpoint, AuditEntry, AuditHead
from hub.models.audit import GENESIS_HASH
from hub.signing import signed_by


@dataclass(frozen=True)
class ChainCheck:
    """What ``verify_chain`` found: ``first_broken`` is the seq of the first bad entry, or None."""

    entries: int
    checkpoints: int
    anchored_through: int  # the last entry covered by a good checkpoint (0: none)
    first_broken: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None

    @property
    def unanchored(self) -> int:
        return self.entries - self.anchored_through


def _entries(session: Session) -> Iterator[AuditEntry]:
    rows = session.connection().execute(select(AuditEntry.__table__).order_by(AuditEntry.seq)
                                        .execution_options(yield_per=10_000))
    try:
        for row in rows:
            yield AuditEntry(**row._mapping)
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: closed at once, even when the walk stops early


def _checkpoint_problem(checkpoint: AuditCheckpoint, ring: SigningRing) -> str | None:
    """Why ``checkpoint`` does not vouch for its entry, or None if it does."""
    try:
        kid = jws.extract_compact(checkpoint.signature.encode()).headers().get("kid")
    except (JoseError, ValueError):
        kid = None
    if ring.get(str(kid)) is None:
        # The kid read from the table is not echoed: it is whatever the table holds.
        return f"the checkpoint of entry {checkpoint.seq} is signed with a key this hub does not know"
    signed = signed_by(checkpoint.signature, CHECKPOINT_TYPE, ring)
    if signed is None or signed[0] != {"seq": checkpoint.seq, "entry_hash": checkpoint.entry_hash, "at": checkpoint.at}:
        return f"the checkpoint of entry {checkpoint.seq} is not signed by this hub's key"
    retired_at = signed[2]
    if retired_at is not None and checkpoint.at >= retired_at:
        return (f"the checkpoint of entry {checkpoint.seq} is dated after its signing key was retired "
                "(a retired key signs nothing)")
    return None


def verify_chain(session: Session) -> ChainCheck:
    """Walk the whole chain once (streamed) and check every link, every checkpoint and the head."""
    with closing(_entries(session)) as entries:
        return _walk(session, entries)


def _walk(session: Session, entries: Iterator[AuditEntry]) -> ChainCheck:
    checkpoints = {c.seq: c for c in session.execute(select(AuditCheckpoint)).scalars()}
    ring = signing_ring()  # read once: a rotation during the walk does not change what it checks against
    expected_seq, previous, anchored, last_good_checkpoint = 1, GENESIS_HASH, 0, 0
    count = 0

    def broken(seq: int, problem: str) -> ChainCheck:
        return ChainCheck(count, len(checkpoints), anchored, seq, problem)

    for entry in entries:
        if entry.seq != expected_seq:
            if entry.seq < expected_seq:
                return broken(entry.seq, f"entry {entry.seq} appears out of order")
            return broken(expected_seq, f"entry {expected_seq} is missing (the next entry is {entry.seq})")
        if entry.prev_hash != previous:
            return broken(entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1} "
                                     "(moved, inserted, or its predecessor was replaced)")
        if hash_of(entry) != entry.entry_hash:
            return broken(entry.seq, f"entry {entry.seq} was changed after it was written")
        count += 1
        if entry.seq % CHECKPOINT_EVERY == 0 and entry.seq not in checkpoints:
            return broken(entry.seq, f"the checkpoint of entry {entry.seq} was deleted")
        checkpoint = checkpoints.get(entry.seq)
        if checkpoint is not None:
            problem = _checkpoint_problem(checkpoint, ring)
            if problem is not None:
                return broken(entry.seq, problem)
            if checkpoint.entry_hash != entry.entry_hash:
                first = last_good_checkpoint + 1
                return broken(first, f"entries {first} to {entry.seq} were rewritten: entry {entry.seq} is not "
                                     "the one its signed checkpoint names")
            anchored = last_good_checkpoint = entry.seq
        previous = entry.entry_hash
        expected_seq += 1
    beyond = sorted(seq for seq in checkpoints if seq >= expected_seq)
    if beyond:
        return broken(expected_seq, f"entries from {expected_seq} on are missing: checkpoint {beyond[0]} "
                                    "signed an entry that is gone")
    head = session.get(AuditHead, HEAD_ID)
    if head is None or head.seq > count:
        return broken(count + 1, "the chain's head names entries that are gone (removed from the end)")
    if head.seq < count:
        return broken(head.seq + 1, f"entries after {head.seq} were added behind the chain's head")
    if head.entry_hash != previous:
        return broken(count, f"entry {count} is not the one the chain's head names")
    return ChainCheck(count, len(checkpoints), anchored)
