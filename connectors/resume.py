"""What the connector remembers between runs so that an interrupted upload resumes.

One small JSON file per (file content, period, mapping, settings), holding the submission id
and the Idempotency-Key of its creation; nothing from the file itself. It is deleted when the
submission is complete.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

_BLOCK = 1 << 20


def default_state_dir() -> Path:
    """``$XDG_CACHE_HOME/hub-connector``, by default ``~/.cache/hub-connector``."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "hub-connector"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def upload_key(*, file_sha256: str, period: str, mapping_fingerprint: str, settings: dict,
               linkage_secret: bytes) -> str:
    """The name of an upload: same inputs, same chunks, same key.

    The linkage secret enters only as a keyed fingerprint, so the state file reveals nothing of it.
    """
    secret_fingerprint = hmac.new(linkage_secret, b"hub-connector upload state", hashlib.sha256).hexdigest()
    parts = {"file": file_sha256, "period": period, "mapping": mapping_fingerprint, "settings": settings,
             "secret": secret_fingerprint}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass
class UploadState:
    """An upload in progress: the key its creation was sent with and, once known, its id."""

    idempotency_key: str
    submission_id: str | None = None


class StateStore:
    """Upload states, one file each, under a directory of the partner's machine."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> UploadState | None:
        try:
            return UploadState(**json.loads(self._path(key).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None  # no state, or a damaged one: start afresh

    def save(self, key: str, state: UploadState) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self._path(key).with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(state)), encoding="utf-8")
        temporary.chmod(0o600)
        temporary.replace(self._path(key))  # atomic: a crash leaves the old state or the new one

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
