"""Signing in and out of the hub's pages with a local account."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from hub.db import SessionDep
from hub.web import accounts
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
SIGN_IN_FORM_S = 3600
REFUSED = "The username, password or one-time code is not right."


def _local(target: str | None) -> str | None:
    """``target`` if it is a path of this hub (never another site: "//host" or "https://...")."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _sign_in_form(request: Request, *, status_code: int = 200, error: str | None = None, next_page: str | None = None):
    token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, "signin.html", status_code=status_code, form_token=token, error=error,
                    next_page=_local(next_page) or "")
    set_cookie(response, SIGN_IN_COOKIE, token, SIGN_IN_FORM_S)
    return response


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, web: MaybeSignedIn, next: str | None = None):
    if web is not None:
        return RedirectResponse(_local(next) or home_of(web.user.role), status_code=303)
    return _sign_in_form(request, next_page=next)


@router.post("/signin", response_class=HTMLResponse)
def sign_in(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
):
    check_csrf(request.cookies.get(SIGN_IN_COOKIE), csrf_token)
    user = accounts.authenticate(session, username, password, code or None)
    if user is None:
        return _sign_in_form(request, status_code=401, error=REFUSED, next_page=next)
    # A new token at every sign-in, and the browser's earlier session ended: no session fixation.
    close_session(session, request.cookies.get(COOKIE))
    token = open_session(session, user)
    response = RedirectResponse(_local(next) or home_of(user.role), status_code=303)
    set_cookie(response, COOKIE, token, int(LIFETIME.total_seconds()))
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
