"""HTTP routes of submissions; the rules live in ``service`` and ``chunks``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from hub import idempotency
from hub.auth.dependencies import RequireScope
from hub.auth.scopes import Scope
from hub.config import get_settings
from hub.db import SessionDep
from hub.edge.json_body import JsonBody, json_body_openapi
from hub.periods import Period
from hub.submissions import chunks, service
from hub.submissions.schemas import (
    MAX_ROW,
    ChunkReceipt,
    ChunkUpload,
    Receipt,
    SubmissionComplete,
    SubmissionCreate,
    SubmissionPublic,
)

router = APIRouter(prefix="/submissions", tags=["submissions"])
Writer = RequireScope(Scope.SUBMISSIONS_WRITE)
# A connector that writes must also be able to read back what it wrote, to resume.
Reader = RequireScope(Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE)


@router.post("", status_code=201, response_model=SubmissionPublic, openapi_extra=json_body_openapi(SubmissionCreate))
async def create_submission(
    request: Request,
    session: SessionDep,
    caller: Writer,
    body: JsonBody(SubmissionCreate),
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
):
    """Open a new version of your organisation's submission for a dataset and period."""
    if idempotency_key is not None:
        fingerprint = idempotency.request_hash("POST", request.url.path, await request.body())
        remembered = idempotency.replay(session, caller.organisation_id, idempotency_key, fingerprint)
        if remembered is not None:
            return remembered
    submission = service.create_submission(session, caller, body)
    public = jsonable_encoder(service.to_public(session, submission))
    if idempotency_key is not None:
        idempotency.remember(session, caller.organisation_id, idempotency_key, fingerprint, 201, public)
    return JSONResponse(public, status_code=201)


@router.get("", response_model=list[SubmissionPublic])
def list_submissions(
    session: SessionDep,
    caller: Reader,
    period: Annotated[Period | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    # Bounded so that the database never sees an OFFSET it cannot hold (2**63 was a 500).
    offset: Annotated[int, Query(ge=0, le=MAX_ROW)] = 0,
):
    """Your organisation's submissions, newest period first."""
    found = service.list_submissions(session, caller, period=period, limit=limit, offset=offset)
    return [service.to_public(session, s) for s in found]


@router.get("/{submission_id}", response_model=SubmissionPublic)
def read_submission(submission_id: str, session: SessionDep, caller: Reader):
    """One submission's status, counts and the chunks received so far."""
    return service.to_public(session, service.get_submission(session, caller, submission_id))


@router.put(
    "/{submission_id}/chunks/{seq}", response_model=ChunkReceipt,
    # Read at start-up: the one route whose body may be larger than max_body_bytes.
    max_body_size=get_settings().max_chunk_bytes,
    openapi_extra=json_body_openapi(ChunkUpload, "Rows of the chunk; its SHA-256 is that of the bytes sent."),
)
async def upload_chunk(
    submission_id: str,
    seq: Annotated[int, Path(ge=1, le=MAX_ROW, description="Chunk number, from 1.")],
    request: Request,
    session: SessionDep,
    caller: Writer,
):
    """Store chunk ``seq`` (1, 2, ...); sending the same chunk again is safe and answers the same.

    The body is a ``ChunkUpload``: ``{"rows": [UploadRow], "rejected_rows": [RowError]}``. It is read
    raw, after the caller is authenticated, so that its checksum is that of the bytes sent; the route's
    ``max_body_size`` refuses it with 413 as soon as it streams past ``max_chunk_bytes``.
    """
    raw_body = await request.body()
    return chunks.store_chunk(session, caller, submission_id, seq, raw_body)


@router.post("/{submission_id}/complete", response_model=Receipt, openapi_extra=json_body_openapi(SubmissionComplete))
def complete_submission(submission_id: str, session: SessionDep, caller: Writer, body: JsonBody(SubmissionComplete)):
    """Accept the submission whole (superseding the period's earlier version) or refuse it whole."""
    random_pairs = body.random_pairs.model_dump() if body.random_pairs else None
    return service.complete_submission(
        session, caller, submission_id, body.expected_chunks, random_pairs, replace=body.replace
    )


@router.post("/{submission_id}/abandon", response_model=SubmissionPublic)
def abandon_submission(submission_id: str, session: SessionDep, caller: Writer):
    """Give up an open submission now: its rows are deleted and it never counts (a failed upload)."""
    return service.to_public(session, service.abandon_submission(session, caller, submission_id))


@router.post("/{submission_id}/restore", response_model=SubmissionPublic)
def restore_submission(submission_id: str, session: SessionDep, caller: Writer):
    """Make a superseded version of your period current again (undo a replacement)."""
    return service.to_public(session, service.restore_submission(session, caller, submission_id))


@router.get("/{submission_id}/receipt", response_model=Receipt)
def read_receipt(submission_id: str, session: SessionDep, caller: Reader):
    """The receipt: counts and every rejected row with its field and a plain message."""
    return service.receipt(session, caller, submission_id)
