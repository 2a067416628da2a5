"""Replacing the hub's signing key, each step recorded in the audit log (``hub keys signing``).

A rotation is three steps, apart in time: ``add`` a key (published, signing nothing), ``use`` it
once whoever caches the JWKS has had time to fetch it again, and ``retire`` the old one once no
access token signed by it is still alive (minutes). Each step rewrites the ring file first, then
commits its audit entry: a crash between the two leaves the ring changed and the step unrecorded,
which ``hub keys signing status`` shows and the next step's entry names.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from hub.audit import AuditEvent, record
from hub.audit.events import is_code
from hub.auth.keys import signing_ring
from hub.config import get_settings
from hub.keys import signing


@dataclass(frozen=True)
class KeyState:
    kid: str
    state: str  # current, active (verifies, signs nothing), retired (verifies what it signed before)
    retired_at: str | None


def _key_id(kid: str) -> str | None:
    # Keys the hub makes have thumbprint kids (codes); a hand-made kid with spaces is left out of the entry.
    return kid if is_code(kid) else None


def status() -> list[KeyState]:
    """Each key of the ring, the current one first."""
    ring = signing_ring()
    states = [KeyState(e.kid, "current" if e.kid == ring.current else ("active" if e.active else "retired"),
                       e.retired_at) for e in ring.keys]
    return sorted(states, key=lambda s: ("current", "active", "retired").index(s.state))


def add(session: Session, *, make_current: bool = False) -> str:
    """A new key in the ring (current at once with ``make_current``); its kid."""
    kid = signing.add_key(get_settings().signing_key_file, make_current=make_current)
    record(session, AuditEvent.signing_key_added, actor="cli", key_id=_key_id(kid))
    if make_current:
        record(session, AuditEvent.signing_key_made_current, actor="cli", key_id=_key_id(kid))
    return kid


def use(session: Session, kid: str) -> None:
    """Make ``kid`` the key that signs. :raises SigningKeyError: unknown or retired."""
    signing.make_current(get_settings().signing_key_file, kid)
    record(session, AuditEvent.signing_key_made_current, actor="cli", key_id=_key_id(kid))


def retire(session: Session, kid: str) -> str:
    """Retire ``kid`` for good; when. :raises SigningKeyError: unknown, current or retired already."""
    at = signing.retire_key(get_settings().signing_key_file, kid)
    record(session, AuditEvent.signing_key_retired, actor="cli", key_id=_key_id(kid))
    return at
