"""Reading the linkage material of records out of the database, as the resolver wants it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select, tuple_
from sqlmodel import Session

from hub.models import Record, RecordBlock, RecordToken, Submission
from privacy.linkage.records import LinkageRecord

RecordKey = tuple[str, int]  # (submission id, row)


def resolver_key(key: RecordKey) -> str:
    """The key the resolver orders records by (a string: the resolver sorts keys with NumPy)."""
    return f"{key[0]}:{key[1]:010d}"


def record_key(resolver_key_: str) -> RecordKey:
    submission_id, row = resolver_key_.split(":")
    return submission_id, int(row)
_BATCH = 500


def _batches(keys: list[RecordKey]) -> Iterable[list[RecordKey]]:
    for start in range(0, len(keys), _BATCH):
        yield keys[start : start + _BATCH]


def linkage_records(session: Session, keys: Iterable[RecordKey]) -> list[LinkageRecord]:
    """The records ``keys`` with their tokens, blocks, CLK and reporting organisation."""
    keys = sorted(set(keys))
    tokens: dict[RecordKey, dict[str, bytes]] = defaultdict(dict)
    blocks: dict[RecordKey, list[bytes]] = defaultdict(list)
    found = []
    for batch in _batches(keys):
        where_token = tuple_(RecordToken.submission_id, RecordToken.row).in_(batch)
        for submission_id, row, label, token in session.execute(
            select(RecordToken.submission_id, RecordToken.row, RecordToken.key_label, RecordToken.token).where(where_token)
        ):
            tokens[(submission_id, row)][label] = token
        where_block = tuple_(RecordBlock.submission_id, RecordBlock.row).in_(batch)
        for submission_id, row, token in session.execute(
            select(RecordBlock.submission_id, RecordBlock.row, RecordBlock.token).where(where_block)
        ):
            blocks[(submission_id, row)].append(token)
        found.extend(
            session.execute(
                select(Record.submission_id, Record.row, Record.clk, Submission.organisation_id)
                .join(Submission, Submission.id == Record.submission_id)
                .where(tuple_(Record.submission_id, Record.row).in_(batch))
            ).all()
        )
    return [
        LinkageRecord(key=resolver_key((submission_id, row)), partner=organisation_id, tokens=tokens[(submission_id, row)],
                      clk=clk, blocks=tuple(blocks[(submission_id, row)]))
        for submission_id, row, clk, organisation_id in found
    ]


def records_sharing_material(session: Session, keys: list[RecordKey]) -> set[RecordKey]:
    """Other records that share a token or a blocking token with any of ``keys``."""
    neighbours: set[RecordKey] = set()
    for table in (RecordToken, RecordBlock):
        for batch in _batches(keys):
            own = select(table.token).where(tuple_(table.submission_id, table.row).in_(batch))
            neighbours.update(
                (submission_id, row)
                for submission_id, row in session.execute(
                    select(table.submission_id, table.row).where(table.token.in_(own)).distinct()
                )
            )
    return neighbours - set(keys)
