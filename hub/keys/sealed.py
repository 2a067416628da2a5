"""Sealing the linkage features of each chunk as it is stored, and opening them for the linker.

The hub needs a record's comparison features only in memory, when the linker compares records;
SQL never looks into them (the block ``token``, which SQL joins and groups on, stays plain). So
the features of a chunk's blocks are concatenated and sealed as one AES-GCM value under the
submission's data key, bound to the submission and the chunk; the data key is wrapped by the
current master key. Opening is one decryption per chunk (pycryptodome's C code over a few
megabytes), then a slice per block: no per-row cipher call.
"""

from __future__ import annotations

from itertools import accumulate

from sqlmodel import Session, select

from hub.keys.master import KeyRing, master_keys
from hub.models import DataKey, SealedFeatures
from privacy.sealing import new_key, open_sealed, seal


def data_key_context(submission_id: str, key_id: str) -> bytes:
    return f"hub data key|{submission_id}|{key_id}".encode()


def features_context(submission_id: str, chunk: int) -> bytes:
    return f"hub features|{submission_id}|{chunk}".encode()


def unwrap(ring: KeyRing, row: DataKey) -> bytes:
    """The data key of ``row``, opened with the master key it names."""
    return open_sealed(ring.key(row.key_id), row.wrapped, data_key_context(row.submission_id, row.key_id))


def _data_key_for_writing(session: Session, submission_id: str) -> bytes:
    """The submission's data key, made (and wrapped by the current master key) on first use.
    The caller holds the submission's row lock, so two chunks never make two keys."""
    ring = master_keys()
    row = session.get(DataKey, submission_id)
    if row is not None:
        return unwrap(ring, row)
    data_key = new_key()
    session.add(DataKey(submission_id=submission_id, key_id=ring.current,
                        wrapped=seal(ring.current_key, data_key, data_key_context(submission_id, ring.current))))
    session.flush()
    return data_key


def seal_chunk_features(session: Session, submission_id: str, chunk: int,
                        features: list[bytes]) -> list[tuple[int, int, int]]:
    """Seal ``features`` (one packed value per block, in order) as chunk ``chunk`` of the submission;
    for each block, where its features lie: (chunk, start, length)."""
    if not features:
        return []
    data_key = _data_key_for_writing(session, submission_id)
    lengths = [len(value) for value in features]
    starts = [0, *accumulate(lengths)][:-1]
    sealed = seal(data_key, b"".join(features), features_context(submission_id, chunk))
    session.add(SealedFeatures(submission_id=submission_id, chunk=chunk, sealed=sealed))
    return [(chunk, start, length) for start, length in zip(starts, lengths, strict=True)]


class FeatureReader:
    """Opens sealed features for the linker, a submission at a time (readers ask in submission order).

    With ``whole_submissions`` (a scan of everything), the first block of a submission opens all
    of its chunks with one query; otherwise (a few records by key) only the chunks asked for. The
    opened features of one submission are kept until the next submission is asked for.
    """

    def __init__(self, session: Session, *, whole_submissions: bool = False):
        self._session = session
        self._whole = whole_submissions
        self._ring = master_keys()
        self._submission: str | None = None
        self._data_key: bytes | None = None
        self._opened: dict[int, bytes] = {}

    def features(self, submission_id: str, chunk: int, start: int, length: int) -> bytes:
        """The packed features of one block."""
        if submission_id != self._submission:
            self._submission, self._data_key, self._opened = submission_id, None, {}
        opened = self._opened.get(chunk)
        if opened is None:
            self._open(submission_id, chunk)
            opened = self._opened[chunk]
        return opened[start:start + length]

    def _open(self, submission_id: str, chunk: int) -> None:
        if self._data_key is None:
            self._data_key = unwrap(self._ring, self._session.get(DataKey, submission_id))
        query = select(SealedFeatures.chunk, SealedFeatures.sealed).where(SealedFeatures.submission_id == submission_id)
        if not self._whole:
            query = query.where(SealedFeatures.chunk == chunk)
        for number, sealed in self._session.exec(query):
            self._opened[number] = open_sealed(self._data_key, sealed, features_context(submission_id, number))
