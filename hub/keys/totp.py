"""The second factors' TOTP secrets, sealed at rest under the current master key.

A TOTP secret must be read back (the hub computes the expected code), so it cannot be hashed
like a password; it is sealed (AES-256-GCM, :mod:`privacy.sealing`) directly under a master key,
bound to the account and the key id, so a stolen database or backup holds no usable second
factor, and a sealed secret copied to another account does not open. Rotation re-seals them
under the new current key with the data keys (:mod:`hub.keys.rotation`).
"""

from __future__ import annotations

from sqlmodel import Session, select

from hub.keys.master import KeyRing, master_keys
from hub.models import WebUser
from privacy.sealing import open_sealed, seal


def totp_context(user_id: str, key_id: str) -> bytes:
    return f"hub totp|{user_id}|{key_id}".encode()


def set_totp_secret(user: WebUser, secret: str | None) -> None:
    """Seal ``secret`` into ``user`` under the current master key (None removes the second factor)."""
    if secret is None:
        user.totp_sealed = user.totp_key_id = None
        return
    ring = master_keys()
    user.totp_key_id = ring.current
    user.totp_sealed = seal(ring.current_key, secret.encode(), totp_context(user.id, ring.current))


def totp_secret(user: WebUser, ring: KeyRing | None = None) -> str | None:
    """The account's TOTP secret, opened; None if it has no second factor.

    :raises SealBroken: the sealed value was changed or moved to another account.
    :raises MasterKeyMissing: the master key that sealed it is no longer in the ring.
    """
    if user.totp_sealed is None:
        return None
    ring = ring or master_keys()
    return open_sealed(ring.key(user.totp_key_id), user.totp_sealed, totp_context(user.id, user.totp_key_id)).decode()


def reseal_all(session: Session, ring: KeyRing) -> int:
    """Re-seal under the ring's current key every TOTP secret sealed with another; how many."""
    users = session.exec(select(WebUser).where(WebUser.totp_key_id.is_not(None), WebUser.totp_key_id != ring.current)
                         .order_by(WebUser.id).with_for_update()).all()
    for user in users:
        secret = totp_secret(user, ring)
        user.totp_key_id = ring.current
        user.totp_sealed = seal(ring.current_key, secret.encode(), totp_context(user.id, ring.current))
        session.add(user)
    session.flush()
    return len(users)
