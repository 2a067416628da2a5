"""Rotating the master key: every data key re-wrapped under the new one; no payload re-encrypted.

``rotate`` puts a new current key in the ring file first (keeping the old ones), then re-wraps
every data key in one transaction under row locks. A crash between the two leaves the ring with
a new key and the data keys under old ones, which still open: running it again finishes the job.
An old key leaves the ring only by ``retire``, which refuses while any data key still needs it.
An upload that read the ring just before the rotation wrote it may still wrap its new data key
under the old key: ``hub keys status`` shows it, and rotating again re-wraps it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.config import get_settings
from hub.keys.master import KeyRing, add_current_key, read_ring, write_ring
from hub.keys.sealed import data_key_context, unwrap
from hub.keys.totp import reseal_all
from hub.models import DataKey, WebUser
from privacy.sealing import seal


@dataclass(frozen=True)
class Rotation:
    key_id: str
    rewrapped: int
    old_key_ids: list[str]


def rewrap_all(session: Session, ring: KeyRing) -> tuple[int, list[str]]:
    """Re-wrap under the ring's current key every data key wrapped with another; how many, and from which keys."""
    rows = session.exec(select(DataKey).where(DataKey.key_id != ring.current)
                        .order_by(DataKey.submission_id).with_for_update()).all()
    old = sorted({row.key_id for row in rows})
    for row in rows:
        data_key = unwrap(ring, row)
        row.wrapped = seal(ring.current_key, data_key, data_key_context(row.submission_id, ring.current))
        row.key_id = ring.current
        session.add(row)
    session.flush()
    return len(rows), old


def rotate(session: Session) -> Rotation:
    """A new current master key in the ring file, and every data key re-wrapped under it (in ``session``)."""
    ring, key_id = add_current_key(get_settings().master_key_file)
    rewrapped, old = rewrap_all(session, ring)
    reseal_all(session, ring)  # the second factors' secrets, sealed under the master key itself
    record(session, AuditEvent.keys_rotated, actor="cli", key_id=key_id, old_key_ids=old)
    return Rotation(key_id, rewrapped, old)


def usage(session: Session) -> dict[str, int]:
    """How many data keys each master key of the ring wraps (zero for an unused one)."""
    ring = read_ring(get_settings().master_key_file)
    used = Counter(dict(session.exec(select(DataKey.key_id, func.count()).group_by(DataKey.key_id)).all()))
    # A key that seals a second factor's secret is in use too: retiring it would lock the account out.
    used.update(dict(session.exec(select(WebUser.totp_key_id, func.count()).where(WebUser.totp_key_id.is_not(None))
                                  .group_by(WebUser.totp_key_id)).all()))
    return {key_id: used.get(key_id, 0) for key_id in sorted(set(ring.keys) | set(used))}


def retire(session: Session, key_id: str) -> None:
    """Remove ``key_id`` from the ring file.

    :raises ValueError: it is the current key, or a data key is still wrapped with it.
    """
    path = get_settings().master_key_file
    ring = read_ring(path)
    if key_id == ring.current:
        raise ValueError(f"{key_id} is the current master key; rotate first")
    if key_id not in ring.keys:
        raise ValueError(f"{key_id} is not in the ring")
    if usage(session).get(key_id, 0):
        raise ValueError(f"data keys are still wrapped with {key_id}; run `hub keys rotate` first")
    write_ring(path, KeyRing(ring.current, {k: v for k, v in ring.keys.items() if k != key_id}))
