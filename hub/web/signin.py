"""Signing in and out of the hub's pages, as an OpenID Connect client of the configured issuer.

``/signin`` starts the authorisation code flow: it makes a ``state``, a ``nonce`` and a PKCE
verifier, keeps them in an HttpOnly cookie of this browser, and sends the browser to the issuer
(the hub's own ``/oauth/authorize`` over local accounts, or the operator's issuer). The issuer
sends it back to ``/signin/callback`` with a code; the callback checks the state against the
cookie, redeems the code with the verifier, checks the ID token (signature, issuer, audience,
expiry, nonce) and only then opens a session. Failures are answered as pages (not raised), so
that what the failed attempt used up (a redeemed code, the audit entry) is kept.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from hub.config import get_settings
from hub.db import SessionDep
from hub.models import WebUser
from hub.web.external_accounts import external_account
from hub.web.issuers import SignInFailed, SignInStart, current_issuer, verify_id_token
from hub.web.roles import home_of
from hub.web.session import (
    COOKIE,
    LIFETIME,
    SIGN_IN_COOKIE,
    MaybeSignedIn,
    check_csrf,
    close_session,
    open_session,
    set_cookie,
    web_context,
)
from hub.web.templating import page

router = APIRouter(include_in_schema=False, dependencies=[Depends(web_context)])
SIGN_IN_FLOW_S = 600  # time to type a password and a code at the issuer
START_AGAIN = "This sign-in has expired or was started in another browser or tab. Please sign in again"
NOT_SIGNED_IN = "The sign-in did not succeed, and nobody was signed in. Please sign in again"
# What a person can do about a refusal that is about their account, not the flow.
ACCOUNT_REFUSALS = {
    "organisation_unmapped": "Your account at the sign-in service names no organisation this hub knows",
    "organisation_ambiguous": "Your account at the sign-in service names more than one organisation",
    "organisation_unknown": "Your organisation is not registered on this hub; ask the hub's data steward",
    "role_unmapped": "Your account at the sign-in service has no role on this hub; ask your administrator",
    "role_ambiguous": "Your account at the sign-in service has more than one role on this hub; it must have one",
    "steward_outside_stewards": "A steward's role belongs only to the stewards' organisation",
    "username_missing": "Your account at the sign-in service gives no username",
    "username_taken": "Another account on this hub has your username; ask the hub's data steward",
}


def _local(target: str | None) -> str | None:
    """``target`` if it is a path of this hub (never another site: "//host" or "https://...")."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _encoded(start: SignInStart) -> str:
    return base64.urlsafe_b64encode(json.dumps(start.__dict__).encode()).decode()


def _decoded(value: str | None) -> SignInStart | None:
    try:
        return SignInStart(**json.loads(base64.urlsafe_b64decode((value or "").encode())))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        return None


@router.get("/signin", response_class=HTMLResponse)
def sign_in(request: Request, web: MaybeSignedIn, next: Annotated[str | None, Query(max_length=500)] = None):
    if web is not None:
        return RedirectResponse(_local(next) or home_of(web.user.role), status_code=303)
    start = SignInStart(state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
                        code_verifier=secrets.token_urlsafe(64), next_page=_local(next) or "")
    try:
        target = current_issuer().authorization_url(start)
    except SignInFailed:
        return page(request, "error.html", status_code=503, error_status=503,
                    message="The sign-in service cannot be reached; please try again in a few minutes")
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, SIGN_IN_COOKIE, _encoded(start), SIGN_IN_FLOW_S)
    return response


@router.get("/signin/callback", response_class=HTMLResponse)
def callback(
    request: Request,
    session: SessionDep,
    code: Annotated[str | None, Query(max_length=500)] = None,
    state: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=100)] = None,
):
    start = _decoded(request.cookies.get(SIGN_IN_COOKIE))
    # The state binds this answer to the browser that asked: another site cannot sign it in as someone else.
    if start is None or not state or not hmac.compare_digest(start.state.encode(), state.encode()):
        return _refused(request, 400, START_AGAIN)
    if error or not code:
        return _refused(request, 401, NOT_SIGNED_IN)
    try:
        user = _signed_in_account(session, code, start)
    except SignInFailed as failure:
        return _refused(request, 401, ACCOUNT_REFUSALS.get(failure.reason, NOT_SIGNED_IN))
    # A new token at every sign-in, and the browser's earlier session ended: no session fixation.
    close_session(session, request.cookies.get(COOKIE))
    token = open_session(session, user)
    response = RedirectResponse(_local(start.next_page) or home_of(user.role), status_code=303)
    set_cookie(response, COOKIE, token, int(LIFETIME.total_seconds()))
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    return response


def _signed_in_account(session: Session, code: str, start: SignInStart) -> WebUser:
    issuer = current_issuer()
    tokens = issuer.redeem(session, code, start.code_verifier)
    if not isinstance(tokens.get("id_token"), str):
        raise SignInFailed("id_token_missing")
    claims = verify_id_token(issuer, tokens["id_token"], start.nonce)
    if issuer.external:
        return external_account(session, issuer.issuer, claims, get_settings())
    user = session.get(WebUser, claims["sub"])
    if user is None or user.issuer is not None:
        raise SignInFailed("account_gone")
    return user


def _refused(request: Request, status: int, message: str):
    response = page(request, "error.html", status_code=status, error_status=status, message=message,
                    sign_in_again=True)
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    return response


@router.post("/signout")
def sign_out(request: Request, session: SessionDep, web: MaybeSignedIn,
             csrf_token: Annotated[str, Form(max_length=100)] = ""):
    if web is not None:
        check_csrf(web.csrf_token, csrf_token)
        close_session(session, request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
