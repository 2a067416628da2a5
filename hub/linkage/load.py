"""Reading the linkage material of records out of the database, as the resolver wants it.

Small sets of records (a month's submission against a large hub) are read by key, in batches;
large ones (the first run, a full re-link) by one scan of each table, which is far faster than
thousands of keyed look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select, tuple_
from sqlmodel import Session

from hub.keys.sealed import FeatureReader
from hub.models import Person, PersonRecord, Record, RecordBlock, Submission, SubmissionStatus
from privacy.linkage.records import LinkageRecord
from privacy.random_pairs import LevelCounts

RecordKey = tuple[str, int]  # (submission id, row)
_BATCH = 500
SCAN_ABOVE = 5_000  # keys; above this, scanning a table beats looking each key up


def batches(items: list) -> Iterator[list]:
    """``items`` in slices small enough for one ``IN (...)`` list."""
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def resolver_key(key: RecordKey) -> str:
    """The key the resolver orders records by (a string: the resolver sorts keys with NumPy)."""
    return f"{key[0]}:{key[1]:010d}"


def record_key(resolver_key_: str) -> RecordKey:
    submission_id, row = resolver_key_.split(":")
    return submission_id, int(row)


def _scan(session: Session, statement) -> Iterator[tuple]:
    """The rows of ``statement``, streamed through the session's connection (its transaction),
    not through the ORM, whose per-row bookkeeping tripled the time of a full scan."""
    yield from session.connection().execute(statement.execution_options(yield_per=50_000))


def _rows_of(session: Session, table, columns: list, keys: list[RecordKey]) -> Iterator[tuple]:
    """Rows of ``table`` (``columns``, the first two being submission id and row) for ``keys``,
    ordered by submission id and row within each batch of keys (one batch when scanning)."""
    order = (table.submission_id, table.row)
    if len(keys) > SCAN_ABOVE:
        wanted = set(keys)
        rows = _scan(session, select(*columns).order_by(*order))
        yield from (row for row in rows if (row[0], row[1]) in wanted)
        return
    for batch in batches(keys):
        yield from _scan(session, select(*columns).where(tuple_(*order).in_(batch)).order_by(*order))


class _RowsByRecord:
    """Rows ordered by record (submission id, row first), handed out one record's rows at a time."""

    def __init__(self, rows: Iterator[tuple]):
        self._rows = rows
        self._next = next(rows, None)

    def take(self, key: RecordKey) -> list[tuple]:
        """The rows of ``key``, which must be the record after the previous one taken."""
        taken = []
        while self._next is not None and (self._next[0], self._next[1]) == key:
            taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def linkage_records(session: Session, keys: Iterable[RecordKey]) -> Iterator[LinkageRecord]:
    """The records ``keys`` with their blocks, attributes and reporting organisation, one at a time.

    Records and their blocks are read side by side in one order (by submission and row), so a
    full run holds one record's material at a time, never every record's blocks as objects. The
    blocks' features are opened by a ``FeatureReader`` (sealed at rest, one decryption per chunk,
    a submission at a time: both reads go in submission order).
    """
    keys = sorted(set(keys))
    partner_of = dict(session.execute(select(Submission.id, Submission.organisation_id)).all())
    block_columns = [RecordBlock.submission_id, RecordBlock.row, RecordBlock.label, RecordBlock.token,
                     RecordBlock.chunk, RecordBlock.features_at, RecordBlock.features_length]
    blocks = _RowsByRecord(_rows_of(session, RecordBlock, block_columns, keys))
    sealed = FeatureReader(session, whole_submissions=len(keys) > SCAN_ABOVE)
    record_columns = [Record.submission_id, Record.row, Record.gender, Record.citizenship, Record.case_ref]
    for submission_id, row, gender, citizenship, case_ref in _rows_of(session, Record, record_columns, keys):
        key = (submission_id, row)
        yield LinkageRecord(
            key=resolver_key(key), partner=partner_of[submission_id], sex=gender, citizenship=citizenship,
            case=case_ref, blocks={label: (token, sealed.features(submission_id, chunk, start, length))
                                   for _, _, label, token, chunk, start, length in blocks.take(key)},
        )


def records_sharing_blocks(session: Session, keys: list[RecordKey]) -> set[RecordKey]:
    """Other records (live or not) that share a block with any of ``keys``."""
    neighbours: set[RecordKey] = set()
    columns = [RecordBlock.submission_id, RecordBlock.row, RecordBlock.token]
    if len(keys) > SCAN_ABOVE:
        own = {token for *_, token in _rows_of(session, RecordBlock, columns, keys)}
        neighbours.update(
            (submission_id, row) for submission_id, row, token in _scan(session, select(*columns)) if token in own
        )
    else:
        for batch in batches(keys):
            own = select(RecordBlock.token).where(tuple_(RecordBlock.submission_id, RecordBlock.row).in_(batch))
            neighbours.update(
                tuple(key) for key in session.execute(
                    select(RecordBlock.submission_id, RecordBlock.row).where(RecordBlock.token.in_(own))
                )
            )
    return neighbours - set(keys)


def person_of_records(session: Session, keys: list[RecordKey]) -> dict[RecordKey, str]:
    """The person of each of ``keys`` that is linked."""
    columns = [PersonRecord.submission_id, PersonRecord.row, PersonRecord.person_id]
    return {(s, r): p for s, r, p in _rows_of(session, PersonRecord, columns, keys)}


def _rows_with(session: Session, columns: list, at: int, values: set) -> Iterator[tuple]:
    """Rows of ``columns`` whose column ``at`` holds one of ``values``: by one scan when they are
    many, else by ``IN (...)`` lists in batches."""
    if len(values) > SCAN_ABOVE:
        yield from (row for row in _scan(session, select(*columns)) if row[at] in values)
        return
    for batch in batches(sorted(values)):
        yield from _scan(session, select(*columns).where(columns[at].in_(batch)))


def records_of_persons(session: Session, person_ids: set[str]) -> dict[RecordKey, str]:
    """Every linked record of the persons ``person_ids``, with its person."""
    columns = [PersonRecord.submission_id, PersonRecord.row, PersonRecord.person_id]
    return {(s, r): p for s, r, p in _rows_with(session, columns, 2, person_ids)}


def cohorts_of(session: Session, person_ids: set[str]) -> dict[str, str]:
    """The cohort of each of ``person_ids``."""
    return dict(_rows_with(session, [Person.id, Person.cohort], 0, person_ids))


def pooled_random_pairs(session: Session) -> LevelCounts | None:
    """The random pairs' level counts of every accepted submission together (the model's ``u``), or
    None when no accepted submission has any."""
    found = [
        LevelCounts.from_json(text) for text in session.execute(
            select(Submission.random_pairs).where(
                Submission.status == SubmissionStatus.accepted, Submission.random_pairs.is_not(None)
            )
        ).scalars()
    ]
    return LevelCounts.pooled(found) if found else None
