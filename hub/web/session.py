"""Browser sessions: a random token in a secure, HttpOnly, SameSite cookie, and CSRF tokens.

The cookie holds 32 random bytes; the hub stores only their SHA-256, so a copy of the database
opens no session. Each session has its own CSRF token, which every form carries back: a page of
another site can make a browser post a form with its cookie (SameSite=Lax stops most of that,
not all), but it cannot read the token. The sign-in form of the authorisation endpoint, before
there is a session, compares its token with a cookie of its own (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session, delete, select

from hub.auth.dependencies import Caller
from hub.config import get_settings
from hub.db import SessionDep
from hub.models import Organisation, WebSession, WebUser, utcnow
from hub.web.errors import PageError, SignInRequired
from hub.web.roles import ROLE_PAGES, PageLink, caller_for

COOKIE = "hub_session"
SIGN_IN_COOKIE = "hub_signin"  # the state, nonce and PKCE verifier of a sign-in under way
LIFETIME = timedelta(hours=8)  # a working day; then sign in again
FORM_EXPIRED = "this form has expired or did not come from the hub; reload the page and try again"


@dataclass(frozen=True)
class SignedInUser:
    username: str
    role: str
    organisation_id: str
    organisation: str
    pages: tuple[PageLink, ...]


@dataclass(frozen=True)
class WebContext:
    user: SignedInUser
    csrf_token: str
    caller: Caller


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def secure_cookies() -> bool:
    """Secure cookies wherever the hub is served over HTTPS, and always in production."""
    settings = get_settings()
    return settings.environment == "production" or settings.issuer.startswith("https://")


def set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=secure_cookies(), httponly=True,
                        samesite="lax")


def open_session(session: Session, user: WebUser) -> str:
    """A new session for ``user`` (its earlier expired ones removed); the cookie's token."""
    session.exec(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < utcnow()))
    token = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                           expires_at=utcnow() + LIFETIME))
    session.flush()
    return token


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(WebSession).where(WebSession.token_hash == _digest(token)))
        session.flush()


def web_context(request: Request, session: SessionDep) -> WebContext | None:
    """The signed-in person of this request, if the cookie names a live session; kept on ``request.state``."""
    token = request.cookies.get(COOKIE)
    context = None
    if token:
        row = session.exec(
            select(WebSession, WebUser, Organisation.name).join(WebUser, WebUser.id == WebSession.user_id)
            .join(Organisation, Organisation.id == WebUser.organisation_id)
            .where(WebSession.token_hash == _digest(token), WebSession.expires_at > utcnow())
        ).first()
        if row is not None:
            web_session, user, organisation = row
            context = WebContext(
                SignedInUser(user.username, user.role, user.organisation_id, organisation, ROLE_PAGES[user.role]),
                web_session.csrf_token, caller_for(user.username, user.organisation_id, user.role))
    request.state.web = context
    return context


MaybeSignedIn = Annotated[WebContext | None, Depends(web_context)]


def signed_in(*roles: str):
    """``web: signed_in("steward")`` - the person, sent to sign in if nobody is, refused (403) in another role."""

    def _check(web: MaybeSignedIn) -> WebContext:
        if web is None:
            raise SignInRequired()
        if roles and web.user.role not in roles:
            raise PageError(403, "this page is not for your role")
        return web

    return Annotated[WebContext, Depends(_check)]


def check_csrf(expected: str | None, sent: str | None) -> None:
    """Refuses a form whose CSRF token is missing or is not the one the hub gave this browser."""
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise PageError(403, FORM_EXPIRED)
