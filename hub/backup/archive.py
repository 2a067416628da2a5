"""The backup file: a plain header, then AES-GCM frames under a backup key wrapped by the master key.

::

    CT-HUB-BACKUP 1\\n
    {"format": 1, "created_at": ..., "revision": ..., "key_id": ..., "wrapped_key": ...}\\n
    frame*: 8-byte length, 1-byte "last" flag, sealed payload

Each frame is authenticated together with the header's SHA-256, its own number and its "last"
flag, so a frame changed, dropped, moved or taken from another backup fails to open, and a file
cut short lacks its last frame. The last frame is the manifest: each table's row count and the
SHA-256 of its frames, checked against what was read. The header shows the format, the date, the
schema revision and the master key id; nothing of the data.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from hub.keys.master import KeyRing
from privacy.sealing import new_key, open_sealed, seal

MAGIC = b"CT-HUB-BACKUP 1\n"
FORMAT = 1
_LENGTH_BYTES = 8
MAX_FRAME = 1 << 31


class BackupBroken(ValueError):
    """The file is not a backup, was changed or cut short, or does not open with this hub's master keys."""


@dataclass(frozen=True)
class Header:
    created_at: str
    revision: str
    key_id: str
    wrapped_key: bytes

    def line(self) -> bytes:
        return json.dumps({"format": FORMAT, "created_at": self.created_at, "revision": self.revision,
                           "key_id": self.key_id, "wrapped_key": base64.b64encode(self.wrapped_key).decode()},
                          sort_keys=True).encode() + b"\n"


def _key_context(created_at: str, revision: str, key_id: str) -> bytes:
    return f"hub backup key|{created_at}|{revision}|{key_id}".encode()


def _frame_context(header_digest: bytes, number: int, last: bool) -> bytes:
    return header_digest + number.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class ArchiveWriter:
    """Writes a backup: ``frame(payload)`` for each part, then ``finish(manifest)``."""

    def __init__(self, file: BinaryIO, ring: KeyRing, *, created_at: str, revision: str):
        self._file, self._key, self._number = file, new_key(), 0
        wrapped = seal(ring.current_key, self._key, _key_context(created_at, revision, ring.current))
        line = Header(created_at, revision, ring.current, wrapped).line()
        self._digest = hashlib.sha256(line).digest()
        file.write(MAGIC + line)

    def frame(self, payload: bytes, *, last: bool = False) -> None:
        sealed = seal(self._key, payload, _frame_context(self._digest, self._number, last))
        self._file.write(len(sealed).to_bytes(_LENGTH_BYTES, "big") + (b"\x01" if last else b"\x00") + sealed)
        self._number += 1

    def finish(self, manifest: dict) -> None:
        self.frame(json.dumps({"manifest": manifest}, sort_keys=True).encode(), last=True)


def read_header(file: BinaryIO) -> Header:
    if file.read(len(MAGIC)) != MAGIC:
        raise BackupBroken("this file is not a hub backup")
    try:
        data = json.loads(file.readline(64 * 1024))
        if data["format"] != FORMAT:
            raise BackupBroken(f"this backup has format {data['format']}; this hub reads format {FORMAT}")
        return Header(str(data["created_at"]), str(data["revision"]), str(data["key_id"]),
                      base64.b64decode(data["wrapped_key"], validate=True))
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, BackupBroken):
            raise
        raise BackupBroken("the backup's header is damaged") from None


def read_frames(file: BinaryIO, ring: KeyRing) -> tuple[Header, Iterator[tuple[bytes, bool]]]:
    """The header, and each frame's payload (opened and checked) with its "last" flag, in order.

    :raises BackupBroken: as soon as something does not check (the iterator raises it when reading).
    :raises hub.keys.master.MasterKeyMissing: the ring lacks the key the backup was made under.
    """
    header = read_header(file)
    try:
        backup_key = open_sealed(ring.key(header.key_id), header.wrapped_key,
                                 _key_context(header.created_at, header.revision, header.key_id))
    except ValueError:
        raise BackupBroken("the backup's key does not open with the master key it names") from None
    digest = hashlib.sha256(header.line()).digest()

    def frames() -> Iterator[tuple[bytes, bool]]:
        number = 0
        while True:
            prefix = file.read(_LENGTH_BYTES + 1)
            if not prefix:
                raise BackupBroken("the backup is cut short: its manifest is missing")
            if len(prefix) < _LENGTH_BYTES + 1:
                raise BackupBroken(f"the backup is cut short in frame {number}")
            length, last = int.from_bytes(prefix[:_LENGTH_BYTES], "big"), prefix[-1] == 1
            if length > MAX_FRAME:
                raise BackupBroken(f"frame {number} of the backup is damaged")
            sealed = file.read(length)
            try:
                payload = open_sealed(backup_key, sealed, _frame_context(digest, number, last))
            except ValueError:
                raise BackupBroken(f"frame {number} of the backup was changed, moved or cut") from None
            yield payload, last
            if last:
                if file.read(1):
                    raise BackupBroken("the backup has data after its manifest")
                return
            number += 1

    return header, frames()
