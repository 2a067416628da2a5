"""The authorisation endpoint of the hub's OAuth server: where a person signs in with a local account.

``GET /oauth/authorize`` checks the client's request (client, exact redirect URI, ``response_type``
code, scope ``openid``, a PKCE challenge with S256, a nonce) and shows the sign-in form; the form
posts back to the same address. With the right password (and one-time code, where the account has
a second factor) the browser goes back to the client with a code, bound to all of the above. The
form is guarded by a CSRF token compared with a cookie of its own (double submit): there is no
session yet. A request the hub cannot trust to send back to its client is answered here, as a
page that repeats none of it.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlencode

from authlib.oauth2.rfc6749.errors import OAuth2Error
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import Headers

from hub.auth.code_grant import AccountHolder
from hub.auth.server import TokenRequest, authorization_grant
from hub.config import get_settings
from hub.db import SessionDep
from hub.ratelimit.limiter import TooManyRequests, rate_limiter, source_address
from hub.web import accounts
from hub.web.session import check_csrf, set_cookie
from hub.web.templating import page

router = APIRouter(include_in_schema=False)
FORM_COOKIE = "hub_authorize"
FORM_LIFETIME_S = 3600
REFUSED = "The username, password or one-time code is not right."
NOT_A_SIGN_IN = ("This is not a sign-in the hub can continue: the address is incomplete or not from one of its "
                 "pages. Start again from the sign-in link")
TOO_MANY = "Too many sign-in attempts from your address; wait a minute and try again."
ELSEWHERE = "People sign in to this hub at their organisation's sign-in service, not with a local account"


def _authorization_request(request: Request) -> TokenRequest:
    # The endpoint's public address (Authlib refuses plain http but on the loopback); the query is the request.
    uri = get_settings().issuer.rstrip("/") + "/oauth/authorize"
    return TokenRequest(method="GET", uri=uri, headers=Headers(), form=list(request.query_params.multi_items()))


def _checked(session, request: Request):
    """The server and grant of this request, or the response that refuses it."""
    if get_settings().oidc_issuer is not None:
        return None, page(request, "error.html", status_code=404, error_status=404, message=ELSEWHERE)
    try:
        return authorization_grant(session, _authorization_request(request)), None
    except OAuth2Error as error:
        if error.redirect_uri:  # client and redirect URI are good: the client hears why, as OAuth says
            return None, RedirectResponse(_with_error(error.redirect_uri, error), status_code=303)
        return None, page(request, "error.html", status_code=400, error_status=400, message=NOT_A_SIGN_IN)


def _with_error(redirect_uri: str, error: OAuth2Error) -> str:
    params = {"error": error.error}
    if error.state:
        params["state"] = error.state
    return redirect_uri + "?" + urlencode(params)


def _form(request: Request, *, status_code: int = 200, error: str | None = None) -> Response:
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)
    action = "/oauth/authorize?" + urlencode(list(request.query_params.multi_items()))
    response = page(request, "signin.html", status_code=status_code, form_token=token, error=error, action=action)
    response.headers["Cache-Control"] = "no-store"
    set_cookie(response, FORM_COOKIE, token, FORM_LIFETIME_S)
    return response


@router.get("/oauth/authorize", response_class=HTMLResponse)
def authorize_page(request: Request, session: SessionDep):
    checked, refusal = _checked(session, request)
    return refusal or _form(request)


@router.post("/oauth/authorize", response_class=HTMLResponse)
def authorize(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
):
    check_csrf(request.cookies.get(FORM_COOKIE), csrf_token)
    try:
        # Counted with the token endpoint's, per source address, before the deliberately slow Argon2
        # check, and before this request's session reads anything: the counter commits on a
        # connection of its own, which on SQLite waits for any transaction the session holds.
        rate_limiter(request).check("token", client_id=None, address=source_address(request))
    except TooManyRequests as too_many:
        response = _form(request, status_code=429, error=TOO_MANY)
        response.headers.update(too_many.headers)
        return response
    checked, refusal = _checked(session, request)
    if refusal is not None:
        return refusal
    server, grant = checked
    user = accounts.authenticate(session, username, password, code or None)
    if user is None:
        return _form(request, status_code=401, error=REFUSED)
    response = server.create_authorization_response(_authorization_request(request), grant_user=AccountHolder(user),
                                                    grant=grant)
    response.delete_cookie(FORM_COOKIE, path="/")
    return response
