"""The master keys: a small key ring in ``settings.master_key_file``, read afresh at each use.

The file is JSON, ``{"current": "<key id>", "keys": {"<key id>": "<base64 of 32 bytes>", ...}}``.
The current key wraps every new data key; the others are kept until no data key is wrapped
with them any more (``hub keys status``), then retired (``hub keys retire``). Development and
test make a ring on first use; production refuses to start without one. The ring is read at each
use, not once per process, so that every worker wraps with the new key as soon as ``hub keys
rotate`` has written it. Whoever loses this file loses everything it sealed: keep copies of it
in the secret store, apart from the database's backups.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from hub.config import get_settings
from privacy.sealing import KEY_BYTES, new_key


class MasterKeyMissing(RuntimeError):
    """The ring does not hold the key a data key or a backup was wrapped with."""


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise MasterKeyMissing(
                f"the master key {key_id} is not in HUB_MASTER_KEY_FILE; without it, what it sealed cannot be read"
            ) from None

    @property
    def current_key(self) -> bytes:
        return self.key(self.current)


def new_key_id() -> str:
    return "mk-" + secrets.token_hex(6)


def read_ring(path: Path) -> KeyRing:
    """The ring in ``path``.

    :raises RuntimeError: the file is absent, not a ring, or its current key is not in it.
    """
    try:
        data = json.loads(path.read_text())
        keys = {str(key_id): base64.b64decode(value, validate=True) for key_id, value in data["keys"].items()}
        ring = KeyRing(current=str(data["current"]), keys=keys)
    except FileNotFoundError:
        raise RuntimeError(f"no master keys at {path}: point HUB_MASTER_KEY_FILE at the hub's key ring") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RuntimeError(f"the master key file {path} is not a key ring (current, keys)") from None
    if ring.current not in ring.keys or any(len(key) != KEY_BYTES for key in ring.keys.values()):
        raise RuntimeError(f"the master key file {path} names a current key it lacks, or holds a key that is "
                           f"not {KEY_BYTES} bytes")
    return ring


def write_ring(path: Path, ring: KeyRing) -> None:
    """Replace the ring file at once (write beside it, then rename), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"current": ring.current, "keys": {k: base64.b64encode(v).decode() for k, v in ring.keys.items()}}
    staged = path.with_name(path.name + f".{secrets.token_hex(4)}.tmp")
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(body, file, indent=1)
        file.flush()
        os.fsync(file.fileno())
    os.replace(staged, path)


def create_ring(path: Path) -> bool:
    """Write a ring of one new key at ``path``, unless a file is there already; whether it wrote one."""
    key_id = new_key_id()
    return write_new_key_file(path, {"current": key_id, "keys": {key_id: base64.b64encode(new_key()).decode()}})


def write_new_key_file(path: Path, body: dict) -> bool:
    """Write ``body`` as JSON to a new file at ``path`` readable by its owner only, unless a file
    is there already; whether it wrote one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start together, the second one reads the first one's file.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as file:
        json.dump(body, file, indent=1)
    return True


def master_keys() -> KeyRing:
    """The hub's master key ring, read now (made first in development and test)."""
    settings = get_settings()
    path = settings.master_key_file
    if not path.exists() and settings.environment != "production":
        create_ring(path)
    return read_ring(path)


def add_current_key(path: Path) -> tuple[KeyRing, str]:
    """Put a new key in the ring as its current one, keeping the others; the new ring and key id."""
    ring = read_ring(path)
    key_id = new_key_id()
    new_ring = KeyRing(current=key_id, keys={**ring.keys, key_id: new_key()})
    write_ring(path, new_ring)
    return new_ring, key_id
