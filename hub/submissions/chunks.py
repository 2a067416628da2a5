"""Receiving one chunk of rows: re-check every row, re-key its tokens, store it whole or not at all."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from hub.auth.dependencies import Caller
from hub.config import get_settings
from hub.errors import Conflict, InvalidRequest, PayloadTooLarge, declared_names, location_text
from hub.keys.sealed import seal_chunk_features
from hub.models import Record, RecordBlock, SubmissionChunk, SubmissionError, SubmissionStatus
from hub.submissions.bulk import insert_rows
from hub.submissions.expiry import refuse_if_expired
from hub.submissions.schemas import ChunkReceipt, ChunkUpload, RowErrorPublic
from hub.submissions.service import get_submission
from privacy.encodings import ENTRY_BYTES
from privacy.rekey import rekey_case_ref, rekey_features, rekey_token
from schemas import load_schema
from schemas.row_problems import RowProblem
from schemas.validation import check_upload_fields

RECORD_COLUMNS = ("submission_id", "row", "case_ref", *load_schema("case-v1").upload_field_names)
BLOCK_COLUMNS = ("submission_id", "row", "label", "token", "chunk", "features_at", "features_length")


def _stored_value(value):
    # Multi-valued fields are stored as their values joined by "|", in the order received.
    return "|".join(value) if isinstance(value, list) else value


def _stored_blocks(session: Session, hub_secret: bytes, submission_id: str, seq: int, blocks: list[tuple]) -> list[tuple]:
    """Blocks as stored: the block token re-keyed by the hub's secret; every feature token re-keyed
    too, and the chunk's features sealed together under the submission's data key (each block
    keeps where its own lie)."""
    features = rekey_features(hub_secret, [features for *_, features in blocks])
    places = seal_chunk_features(session, submission_id, seq, features)
    return [
        (block_submission, row, label, rekey_token(hub_secret, token), *place)
        for (block_submission, row, label, token, _), place in zip(blocks, places, strict=True)
    ]


def _decoded_blocks(upload) -> list[tuple[str, str, bytes]] | None:
    """The row's blocks as (label, token, features), or None if a block's features are not whole."""
    try:
        decoded = [(label, block.token, base64.b64decode(block.features, validate=True))
                   for label, block in sorted(upload.blocks.items())]
    except binascii.Error:
        return None
    return None if any(len(features) % ENTRY_BYTES for *_, features in decoded) else decoded


# What a location inside a chunk may name: the body's own fields and the schema's fields. Any
# other part (a key of ``fields`` the connector made up) is shown as "*".
_NAMES_IN_A_CHUNK = frozenset(
    declared_names({"components": {"schemas": ChunkUpload.model_json_schema()["$defs"]}})
    | set(ChunkUpload.model_fields)
)


def _form_errors(error: ValidationError) -> list[dict]:
    """Where the chunk is malformed, naming the row where possible and never the value."""
    found = []
    for problem in error.errors(include_input=False)[:50]:
        location = list(problem["loc"])
        row = None
        if len(location) >= 2 and location[0] == "rows" and isinstance(location[1], int):
            row = f"upload row {location[1] + 1} of the chunk"
        field = location_text([part for part in location[2:] if part != "fields"], _NAMES_IN_A_CHUNK) or None
        found.append({"row": None, "field": field, "message": f"{row + ': ' if row else ''}{problem['msg']}"})
    return found


def store_chunk(session: Session, caller: Caller, submission_id: str, seq: int, raw_body: bytes) -> ChunkReceipt:
    """Check and store chunk ``seq`` of an open submission; a retried identical chunk gets the same receipt."""
    settings = get_settings()
    if len(raw_body) > settings.max_chunk_bytes:
        raise PayloadTooLarge(f"a chunk may hold at most {settings.max_chunk_bytes} bytes; send smaller chunks")
    submission = get_submission(session, caller, submission_id, lock=True)
    refuse_if_expired(submission)
    checksum = hashlib.sha256(raw_body).hexdigest()
    existing = session.get(SubmissionChunk, (submission.id, seq))
    if existing is not None:
        if existing.checksum != checksum:
            raise Conflict("this chunk was already received with different content")
        return ChunkReceipt.model_validate_json(existing.receipt)
    if submission.status != SubmissionStatus.open:
        raise Conflict(f"the submission is {submission.status}; chunks can only be added while it is open")
    if seq < 1:
        raise Conflict("chunks are numbered from 1")

    try:
        chunk = ChunkUpload.model_validate_json(raw_body)
    except ValidationError as error:
        raise InvalidRequest(
            "the chunk does not have the expected form", errors=_form_errors(error)
        ) from None
    row_count = len(chunk.rows) + len(chunk.rejected_rows)
    if len(chunk.rows) > settings.max_rows_per_chunk:
        raise PayloadTooLarge(f"a chunk may hold at most {settings.max_rows_per_chunk} rows")
    if submission.rows_received + row_count > settings.max_rows_per_submission:
        raise PayloadTooLarge(
            f"a submission may hold at most {settings.max_rows_per_submission} rows; split the file by month"
        )

    schema = load_schema(submission.dataset)
    today = datetime.now(UTC).date()
    hub_secret = settings.token_rekey_secret.encode()
    errors = [RowErrorPublic.of(e.row, e.field, e.code) for e in chunk.rejected_rows]
    records, blocks, seen_rows = [], [], set()
    for upload in chunk.rows:
        if upload.row in seen_rows:
            raise Conflict("a row number appears twice in this chunk")
        seen_rows.add(upload.row)
        problems = check_upload_fields(schema, upload.fields, submission.period, today)
        if problems:
            errors.extend(RowErrorPublic.of(upload.row, field, problem) for field, problem in problems)
            continue
        case_ref = rekey_case_ref(hub_secret, submission.organisation_id, upload.case_ref)
        values = [_stored_value(upload.fields.get(name)) for name in schema.upload_field_names]
        decoded = _decoded_blocks(upload)
        if decoded is None:
            errors.append(RowErrorPublic.of(upload.row, None, RowProblem.MALFORMED_LINKAGE))
            continue
        records.append((submission.id, upload.row, case_ref, *values))
        blocks.extend((submission.id, upload.row, *block) for block in decoded)

    try:
        insert_rows(session, Record.__table__, RECORD_COLUMNS, records)
        insert_rows(session, RecordBlock.__table__, BLOCK_COLUMNS,
                    _stored_blocks(session, hub_secret, submission.id, seq, blocks))
    except IntegrityError as error:
        # The request's transaction rolls back whole: nothing of this chunk stays.
        raise Conflict(
            "this chunk repeats a row number or case reference already received in this submission"
        ) from error
    for error in errors:
        session.add(SubmissionError(submission_id=submission.id, row=error.row, field=error.field, code=error.code))

    rejected_rows = {e.row for e in errors}
    receipt = ChunkReceipt(
        seq=seq, rows=row_count, accepted=len(records), rejected=len(rejected_rows), errors=errors
    )
    session.add(
        SubmissionChunk(
            submission_id=submission.id, seq=seq, row_count=row_count, checksum=checksum,
            receipt=receipt.model_dump_json(),
        )
    )
    submission.rows_received += row_count
    session.add(submission)
    session.flush()
    return receipt
