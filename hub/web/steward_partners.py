"""The steward's pages of partners: register an organisation, give it a client, revoke a client.

Everything goes through the services the CLI uses (:mod:`hub.partners.service`,
:mod:`hub.auth.clients`), which record each client created or revoked in the audit log under the
steward's ``user:NAME``. A new client's secret is shown once, on the answer to the form that made
it, never stored in the clear, and that answer is not cached.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.auth.clients import create_client, revoke_client
from hub.auth.scopes import SCOPES
from hub.db import SessionDep
from hub.errors import HubError
from hub.models import Organisation, OrganisationType
from hub.partners.service import create_organisation, partners
from hub.web.errors import PageError
from hub.web.session import check_csrf, signed_in
from hub.web.templating import page

router = APIRouter(prefix="/steward", include_in_schema=False)
Steward = signed_in("steward")
MAX_JWK = 8 * 1024  # a public RSA 4096 JWK is under 1 KiB
DONE = {"organisation": "The organisation was registered; give it a client below.",
        "revoked": "The client was revoked: its tokens stop working at once."}


def _partners_page(request: Request, session, *, status_code: int = 200, error: str | None = None,
                   done: str | None = None):
    return page(request, "steward/partners.html", status_code=status_code, partners=partners(session),
                types=list(OrganisationType), scopes=SCOPES, error=error, done=done)


@router.get("/partners", response_class=HTMLResponse)
def partner_list(request: Request, session: SessionDep, web: Steward,
                 done: Annotated[str | None, Query(max_length=20)] = None):
    return _partners_page(request, session, done=DONE.get(done or ""))


@router.post("/partners", response_class=HTMLResponse)
def register(request: Request, session: SessionDep, web: Steward,
             csrf_token: Annotated[str, Form(max_length=100)] = "",
             name: Annotated[str, Form(max_length=300)] = "",
             organisation_type: Annotated[str, Form(max_length=20)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    try:
        create_organisation(session, name, organisation_type)
    except HubError as error:
        return _partners_page(request, session, status_code=error.status_code, error=error.detail)
    return RedirectResponse("/steward/partners?done=organisation", status_code=303)


@router.post("/partners/{organisation_id}/clients", response_class=HTMLResponse)
def new_client(organisation_id: str, request: Request, session: SessionDep, web: Steward,
               csrf_token: Annotated[str, Form(max_length=100)] = "",
               scope: Annotated[list[str], Form(max_length=len(SCOPES))] = [],  # noqa: B006 - FastAPI's form list
               public_jwk: Annotated[str, Form(max_length=MAX_JWK)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise PageError(404, "there is no such organisation")
    try:
        jwk = json.loads(public_jwk) if public_jwk.strip() else None
    except ValueError:
        return _partners_page(request, session, status_code=422, error="the public key is not JSON (a JWK)")
    try:
        credentials = create_client(session, organisation, scope, public_jwk=jwk, actor=web.caller.client_id)
    except HubError as error:
        return _partners_page(request, session, status_code=error.status_code, error=error.detail)
    response = page(request, "steward/client_created.html", credentials=credentials)
    response.headers["Cache-Control"] = "no-store"  # the secret is shown once, and kept by no cache
    return response


@router.post("/clients/{client_id}/revoke")
def revoke(client_id: str, session: SessionDep, web: Steward, csrf_token: Annotated[str, Form(max_length=100)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    try:
        revoke_client(session, client_id, actor=web.caller.client_id)
    except HubError as error:
        raise PageError(error.status_code, "there is no such client") from None
    return RedirectResponse("/steward/partners?done=revoked", status_code=303)
