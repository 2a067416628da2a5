"""The hub's signing keys as the OAuth side uses them: the current key signs access tokens, the
active keys verify them, and every key of the ring is published as a JWKS.

The keys are a ring of private EC P-256 JWKs (ES256) kept in ``settings.signing_key_file``
(:mod:`hub.keys.signing`: adding, making current and retiring keys). Development and test make
a ring on first use; production refuses to start without one, since a key made on the fly would
differ between workers and vanish with the container.
"""

from __future__ import annotations

from pathlib import Path

from joserfc.jwk import ECKey, KeySet

from hub.config import get_settings
from hub.keys.signing import SIGNING_ALGORITHM, SigningRing, load_ring

__all__ = ["SIGNING_ALGORITHM", "load_signing_key", "public_jwk", "public_jwks", "public_key", "signing_key",
           "signing_key_set", "signing_ring", "token_key_set"]


def load_signing_key(path: Path, *, create: bool) -> ECKey:
    """The current private signing key of the ring at ``path``; when absent, made if ``create``.

    :raises RuntimeError: the file is absent (and ``create`` is false) or holds no ring of private P-256 keys.
    """
    return load_ring(path, create=create).current_key


def signing_ring() -> SigningRing:
    """The hub's signing key ring, as the file holds it now (read again when it changes)."""
    settings = get_settings()
    return load_ring(settings.signing_key_file, create=settings.environment != "production")


def signing_key() -> ECKey:
    """The hub's current private signing key: the only one that signs."""
    return signing_ring().current_key


def public_key() -> ECKey:
    """The public half of the current signing key."""
    return ECKey.import_key(public_jwk())


def public_jwk() -> dict:
    """The current public signing key as a JWK with its ``kid``, ``use`` and ``alg``."""
    ring = signing_ring()
    return ring.get(ring.current).public_jwk()


def public_jwks() -> dict:
    """The JWKS served at ``/.well-known/jwks.json``: every key of the ring, retired ones included,
    so that a receipt or release signed years ago still verifies; the current key first."""
    ring = signing_ring()
    ordered = sorted(ring.keys, key=lambda entry: (entry.kid != ring.current, not entry.active))
    return {"keys": [entry.public_jwk() for entry in ordered]}


def token_key_set() -> KeySet:
    """The keys an access token may be signed with: the active ones (a retired key signs nothing more)."""
    return KeySet([entry.public() for entry in signing_ring().active()])


def signing_key_set() -> KeySet:
    """The current key as a key set, so that joserfc writes its ``kid`` into each token's header."""
    return KeySet([signing_key()])
