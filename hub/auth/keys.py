"""The hub's signing key: it signs access tokens, and its public half is served as a JWKS.

The key is a private EC P-256 JWK (ES256) kept in ``settings.signing_key_file``. Development and
test make one on first use; production refuses to start without one, since a key made on the fly
would differ between workers and vanish with the container.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

from hub.config import get_settings

log = logging.getLogger(__name__)

SIGNING_ALGORITHM = "ES256"


def load_signing_key(path: Path, *, create: bool) -> ECKey:
    """Read the private signing key at ``path``; when absent, make it if ``create``, else refuse.

    :raises RuntimeError: the file is absent (and ``create`` is false) or holds no private P-256 key.
    """
    if not path.exists():
        if not create:
            raise RuntimeError(
                f"no signing key at {path}: put a private EC P-256 JWK there (mode 600) "
                "or point HUB_SIGNING_KEY_FILE at one"
            )
        _create_key_file(path)
    try:
        key = ECKey.import_key(json.loads(path.read_text()))
    except (JoseError, ValueError, TypeError, KeyError):
        key = None
    if key is None or not key.is_private or key.get("crv") != "P-256":
        raise RuntimeError(f"the signing key at {path} is not a private EC P-256 JWK")
    # Resource servers pick the key by ``kid``; a hand-made key may lack one.
    key.ensure_kid()
    if path.stat().st_mode & 0o077:
        log.warning("the signing key file %s is readable by other users; chmod 600 it", path)
    return key


def _create_key_file(path: Path) -> None:
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two workers start together, the second one reads the first one's key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as file:
        json.dump(key.as_dict(private=True), file)
    log.info("made a new signing key at %s (kid %s)", path, key.kid)


@functools.cache
def signing_key() -> ECKey:
    """The hub's private signing key, read once per process."""
    settings = get_settings()
    return load_signing_key(settings.signing_key_file, create=settings.environment != "production")


@functools.cache
def public_key() -> ECKey:
    """The public half of the signing key: what verifies the hub's access tokens."""
    return ECKey.import_key(public_jwk())


def public_jwk() -> dict:
    """The public signing key as a JWK with its ``kid``, ``use`` and ``alg``."""
    return signing_key().as_dict(private=False, use="sig", alg=SIGNING_ALGORITHM)


def public_jwks() -> dict:
    """The JWKS served at ``/.well-known/jwks.json``."""
    return {"keys": [public_jwk()]}


def signing_key_set() -> KeySet:
    """The signing key as a key set, so that joserfc writes its ``kid`` into each token's header."""
    return KeySet([signing_key()])
