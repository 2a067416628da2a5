"""The upload page: the connector run in the data officer's browser, for partners who cannot install it.

``/partner/upload`` loads Pyodide (CPython in WebAssembly) and the connector's own code
(:mod:`hub.web.connector_bundle`) into a worker of the officer's browser, from copies the hub
serves (``hub/web/static/runtime``, fetched by ``make setup``). The file, the mapping and the
linkage secret are read there and never sent: what comes here are the chunks the connector made,
case-reference hashes, attributes and linkage tokens, exactly as ``hub-connector push`` sends them.

The page's worker sends them to the routes below. They act for the signed-in officer's own
organisation, as a caller with the submission scopes, through the same services as
``/v1/submissions`` (:mod:`hub.submissions.service` and :mod:`hub.submissions.chunks`): one
validation path, one organisation scoping (another organisation's submission is answered as a
missing one), the same safety rails. Each request must carry the session's CSRF token in the
``X-CSRF-Token`` header, which another site cannot read; a person of another role is refused.
Failures answer the API's error body (``{"error", "detail"}``), which the page shows.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError

from hub.auth.dependencies import Caller
from hub.auth.scopes import Scope
from hub.config import get_settings
from hub.db import SessionDep
from hub.errors import Forbidden, Unauthorized
from hub.models import UserRole
from hub.submissions import chunks, service
from hub.submissions.schemas import MAX_ROW, SubmissionComplete, SubmissionCreate
from hub.web.connector_bundle import connector_bundle
from hub.web.session import MaybeSignedIn, signed_in
from hub.web.templating import STATIC, page

router = APIRouter(prefix="/partner/upload", include_in_schema=False)
DataOfficer = signed_in(UserRole.ngo)
RUNTIME_MANIFEST = STATIC / "runtime" / "manifest.json"
# What the page's requests may do: what a connector's client does, for the officer's organisation.
UPLOAD_SCOPES = frozenset({Scope.SUBMISSIONS_WRITE, Scope.SUBMISSIONS_READ})
CSRF_HEADER = "X-CSRF-Token"


def _manifest_integrity() -> str | None:
    """The SRI digest of the runtime's manifest (which holds each library's), or None if it is not fetched."""
    try:
        data = RUNTIME_MANIFEST.read_bytes()
    except FileNotFoundError:
        return None
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


@router.get("", response_class=HTMLResponse)
def upload_page(request: Request, web: DataOfficer):
    manifest_integrity = _manifest_integrity()
    return page(request, "partner/upload.html", runtime_ready=manifest_integrity is not None,
                manifest_integrity=manifest_integrity, connector_integrity=connector_bundle()[1],
                linkage_secret_version=get_settings().linkage_secret_version)


@router.get("/connector.zip")
def connector_code(web: DataOfficer):
    """The connector's code for the page's worker (it checks the digest the page gave it)."""
    return Response(connector_bundle()[0], media_type="application/zip",
                    headers={"Cache-Control": "private, max-age=3600"})


def page_uploader(web: MaybeSignedIn, x_csrf_token: Annotated[str | None, Header(max_length=200)] = None) -> Caller:
    """The caller the page's requests act as: the signed-in data officer's organisation, with the
    submission scopes, once the request carries the session's CSRF token."""
    if web is None:
        raise Unauthorized("you are not signed in (or your session ended): sign in again and reload the page")
    if web.user.role != UserRole.ngo:
        raise Forbidden("only a partner's data officer can submit records")
    if not x_csrf_token or not hmac.compare_digest(web.csrf_token.encode(), x_csrf_token.encode()):
        raise Forbidden("this request did not come from the hub's upload page; reload the page and try again")
    return Caller(client_id=web.caller.client_id, organisation_id=web.caller.organisation_id, scopes=UPLOAD_SCOPES)


PageUploader = Annotated[Caller, Depends(page_uploader)]


def PageBody(model: type[BaseModel]):  # noqa: N802 - reads as a type in signatures
    """The validated JSON body, read only once the officer and the CSRF token are checked (as
    :func:`hub.edge.json_body.JsonBody` reads the API's after the access token)."""

    async def _read(request: Request, caller: PageUploader) -> BaseModel:
        del caller  # depended on so that no body is read before the officer is known
        try:
            return model.model_validate_json(await request.body() or b"null")
        except ValidationError as error:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_input=False)]
            raise RequestValidationError(errors) from None

    return Annotated[model, Depends(_read)]


@router.post("/submissions", status_code=201)
def create_submission(session: SessionDep, caller: PageUploader, body: PageBody(SubmissionCreate)):
    return service.to_public(session, service.create_submission(session, caller, body))


@router.put("/submissions/{submission_id}/chunks/{seq}", max_body_size=get_settings().max_chunk_bytes)
async def upload_chunk(submission_id: str, seq: Annotated[int, Path(ge=1, le=MAX_ROW)], request: Request,
                       session: SessionDep, caller: PageUploader):
    return chunks.store_chunk(session, caller, submission_id, seq, await request.body())


@router.post("/submissions/{submission_id}/complete")
def complete_submission(submission_id: str, session: SessionDep, caller: PageUploader,
                        body: PageBody(SubmissionComplete)):
    random_pairs = body.random_pairs.model_dump() if body.random_pairs else None
    return service.complete_submission(session, caller, submission_id, body.expected_chunks, random_pairs,
                                       replace=body.replace)


@router.post("/submissions/{submission_id}/abandon")
def abandon_submission(submission_id: str, session: SessionDep, caller: PageUploader):
    return service.to_public(session, service.abandon_submission(session, caller, submission_id))
