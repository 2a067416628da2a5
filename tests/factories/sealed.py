"""Reading what the hub stored of linkage blocks, features opened (they are sealed at rest)."""

from __future__ import annotations

from sqlmodel import select

from hub.keys.sealed import FeatureReader
from hub.models import RecordBlock


def stored_blocks(session, *conditions) -> list[tuple[str, int, str, bytes, bytes]]:
    """Every block (or those matching ``conditions``) as (submission id, row, label, token, features)."""
    reader = FeatureReader(session)
    rows = session.exec(
        select(RecordBlock.submission_id, RecordBlock.row, RecordBlock.label, RecordBlock.token, RecordBlock.chunk,
               RecordBlock.features_at, RecordBlock.features_length)
        .where(*conditions).order_by(RecordBlock.submission_id, RecordBlock.row, RecordBlock.label)
    ).all()
    return [(s, r, label, token, reader.features(s, chunk, at, length))
            for s, r, label, token, chunk, at, length in rows]
