"""The hub's signing keys: a ring of EC P-256 keys (ES256) in ``settings.signing_key_file``.

The current key signs everything the hub signs: access tokens, receipts, releases and the audit
log's checkpoints. Every signature names its key by ``kid``, so a key can be replaced without
making old signatures unreadable:

- ``add`` puts a new key in the ring (published in the JWKS at once, signing nothing yet, so that
  whoever caches the JWKS learns it before the first signature under it);
- ``make_current`` makes a key of the ring the one that signs;
- ``retire`` takes a key's private half out of the file, for good, and notes when: a retired key
  cannot sign again, but what it signed before still verifies under its ``kid`` (a checkpoint,
  receipt or release), and whatever claims to be signed by it after its retirement does not.
  Access tokens are accepted under active keys only (current or not yet retired): they live
  minutes, so none signed by a retired key is still honest.

The file is JSON, ``{"current": kid, "keys": [{"jwk": {...}, "retired_at": null | ISO time}]}``.
A file holding a single private JWK (the format before rotation) reads as a ring of that one key.
The ring is read again whenever the file changes (its size, time or inode), so every worker signs
with the new key as soon as ``hub keys signing use`` has written it.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from hub.keys.master import write_new_key_file

log = logging.getLogger(__name__)

SIGNING_ALGORITHM = "ES256"


class SigningKeyError(ValueError):
    """A ring operation that cannot be done: an unknown key, the current one retired, a retired one made current."""


@dataclass(frozen=True)
class SigningKey:
    key: ECKey  # private while active; the public half only once retired
    retired_at: str | None = None  # UTC, ISO 8601 with a Z, as checkpoints write their time

    @property
    def kid(self) -> str:
        return self.key.kid

    @property
    def active(self) -> bool:
        return self.retired_at is None

    def public(self) -> ECKey:
        return ECKey.import_key(self.public_jwk())

    def public_jwk(self) -> dict:
        return self.key.as_dict(private=False, use="sig", alg=SIGNING_ALGORITHM)


@dataclass(frozen=True)
class SigningRing:
    current: str
    keys: tuple[SigningKey, ...]

    def get(self, kid: str) -> SigningKey | None:
        return next((entry for entry in self.keys if entry.kid == kid), None)

    @property
    def current_key(self) -> ECKey:
        return self.get(self.current).key

    def active(self) -> list[SigningKey]:
        return [entry for entry in self.keys if entry.active]


def _checked_key(data: object, where: Path, *, private: bool) -> ECKey:
    try:
        key = ECKey.import_key(data)
    except (JoseError, ValueError, TypeError, KeyError):
        key = None
    if key is None or key.get("crv") != "P-256" or (private and not key.is_private):
        raise RuntimeError(f"the signing key file {where} holds a key that is not {'a private ' if private else 'an '}"
                           "EC P-256 JWK")
    # Signatures name their key by ``kid``; a hand-made key may lack one.
    key.ensure_kid()
    return key


def parse_ring(data: object, where: Path) -> SigningRing:
    """The ring a signing key file holds (either format).

    :raises RuntimeError: not a ring, a key that is not P-256, an active key without its private
        half, or a current key that is absent or retired.
    """
    if isinstance(data, dict) and "kty" in data:  # one private JWK: the format before rotation
        key = _checked_key(data, where, private=True)
        return SigningRing(current=key.kid, keys=(SigningKey(key),))
    try:
        entries = tuple(SigningKey(_checked_key(item["jwk"], where, private=item.get("retired_at") is None),
                                   None if item.get("retired_at") is None else str(item["retired_at"]))
                        for item in data["keys"])
        ring = SigningRing(current=str(data["current"]), keys=entries)
    except (KeyError, TypeError, AttributeError):
        raise RuntimeError(f"the signing key file {where} is not a private EC P-256 JWK nor a ring of them") from None
    current = ring.get(ring.current)
    if current is None or not current.active:
        raise RuntimeError(f"the signing key file {where} names a current key it lacks, or one that is retired")
    if len({entry.kid for entry in entries}) != len(entries):
        raise RuntimeError(f"the signing key file {where} holds two keys with one kid")
    return ring


def read_ring(path: Path) -> SigningRing:
    """:raises RuntimeError: the file is absent or does not hold a ring (see :func:`parse_ring`)."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise RuntimeError(f"no signing key at {path}: put a private EC P-256 JWK there (mode 600) "
                           "or point HUB_SIGNING_KEY_FILE at one") from None
    except ValueError:
        raise RuntimeError(f"the signing key file {path} is not JSON") from None
    ring = parse_ring(data, path)
    if path.stat().st_mode & 0o077:
        log.warning("the signing key file %s is readable by other users; chmod 600 it", path)
    return ring


def _body(ring: SigningRing) -> dict:
    return {"current": ring.current,
            "keys": [{"jwk": entry.key.as_dict(private=entry.active), "retired_at": entry.retired_at}
                     for entry in ring.keys]}


def write_ring(path: Path, ring: SigningRing) -> None:
    """Replace the ring file at once (written beside it, then renamed), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + f".{secrets.token_hex(4)}.tmp")
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(_body(ring), file, indent=1)
        file.flush()
        os.fsync(file.fileno())
    os.replace(staged, path)


KID_PREFIX = "sk-"


def new_key() -> ECKey:
    """A new P-256 key whose kid is ``sk-`` and its thumbprint: never starting with "-", which a
    command line would read as an option, and told apart from a master key id (``mk-``) at a glance."""
    key = ECKey.generate_key("P-256", private=True)
    return ECKey.import_key({**key.as_dict(private=True), "kid": KID_PREFIX + key.thumbprint()})


def create_ring(path: Path) -> bool:
    """Write a ring of one new key at ``path`` unless a file is there already; whether it wrote one."""
    key = new_key()
    if not write_new_key_file(path, _body(SigningRing(key.kid, (SigningKey(key),)))):
        return False
    log.info("made a new signing key ring at %s", path)
    return True


def load_ring(path: Path, *, create: bool) -> SigningRing:
    """The ring at ``path``; when absent, made first if ``create``, else refused (RuntimeError)."""
    if create and not path.exists():
        create_ring(path)
    return _cached_ring(path, *_file_version(path))


def _file_version(path: Path) -> tuple:
    try:
        status = path.stat()
    except FileNotFoundError:
        return (None, None, None)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _cached_ring(path: Path, *_version) -> SigningRing:
    return read_ring(path)


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def add_key(path: Path, *, make_current: bool = False) -> str:
    """A new key in the ring (current at once only with ``make_current``); its kid."""
    ring = read_ring(path)
    key = new_key()
    write_ring(path, SigningRing(key.kid if make_current else ring.current, (*ring.keys, SigningKey(key))))
    return key.kid


def make_current(path: Path, kid: str) -> None:
    """:raises SigningKeyError: ``kid`` is not in the ring, or is retired (it has no private half)."""
    ring = read_ring(path)
    entry = ring.get(kid)
    if entry is None:
        raise SigningKeyError("no key with that kid is in the signing key ring")
    if not entry.active:
        raise SigningKeyError("that signing key is retired: it can never sign again; add a new one")
    write_ring(path, replace(ring, current=kid))


def retire_key(path: Path, kid: str) -> str:
    """Take ``kid``'s private half out of the ring and note when; the time noted.

    :raises SigningKeyError: not in the ring, the current key, or retired already.
    """
    ring = read_ring(path)
    entry = ring.get(kid)
    if entry is None:
        raise SigningKeyError("no key with that kid is in the signing key ring")
    if kid == ring.current:
        raise SigningKeyError("that is the current signing key: make another one current first")
    if not entry.active:
        raise SigningKeyError("that signing key is retired already")
    at = now_text()
    retired = SigningKey(entry.public(), at)
    write_ring(path, replace(ring, keys=tuple(retired if e.kid == kid else e for e in ring.keys)))
    return at
