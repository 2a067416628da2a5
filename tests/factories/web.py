"""Factories of people's accounts and signed-in browsers."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pyotp

from hub.web.accounts import create_user
from tests.factories.auth import make_organisation

ROLE_ORGANISATION_TYPES = {"ngo": "ngo", "analyst": "government", "researcher": "research", "steward": "steward"}


def make_user(session, role: str, organisation=None, *, username: str | None = None, totp: bool = False):
    """An account of ``role`` (in a new organisation of the matching type unless one is given); its credentials."""
    organisation = organisation or make_organisation(session, type=ROLE_ORGANISATION_TYPES[role])
    credentials = create_user(session, username or f"{role}-{organisation.id[:8]}", organisation.name, role, totp=totp)
    session.commit()
    return credentials


def form_token(html_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html_text)[1]


def form_action(html_text: str) -> str:
    return html.unescape(re.search(r'<form method="post" action="([^"]+)"', html_text)[1])


def path_of(url: str) -> str:
    """The path and query of ``url``: the test client answers every host, but keeps its cookies by host."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start_sign_in(client, next_page: str | None = None) -> str:
    """Opens the sign-in as a browser does; the authorisation page's address (path and query)."""
    response = client.get("/signin", params={"next": next_page} if next_page else None, follow_redirects=False)
    assert response.status_code == 303, response.text
    return path_of(response.headers["location"])


def authorize(client, credentials, authorize_path: str, *, code: str | None = None, password: str | None = None,
              csrf: bool = True):
    """Fills the hub's sign-in form at ``authorize_path``; the response (a redirect to the callback, or the form)."""
    page = client.get(authorize_path)
    form = {"username": credentials.username, "password": password or credentials.password}
    if credentials.totp_secret and code is None:
        code = pyotp.TOTP(credentials.totp_secret).now()
    if code is not None:
        form["code"] = code
    if csrf:
        form["csrf_token"] = form_token(page.text)
    return client.post(form_action(page.text), data=form, follow_redirects=False)


def sign_in(client, credentials, *, code: str | None = None, password: str | None = None, csrf: bool = True,
            next_page: str | None = None):
    """Signs ``client`` in through the whole flow, as a browser does: /signin, the hub's authorisation
    page, the callback. The callback's response, or the form's if the form was refused."""
    answer = authorize(client, credentials, start_sign_in(client, next_page), code=code, password=password, csrf=csrf)
    if answer.status_code != 302:
        return answer
    return client.get(path_of(answer.headers["location"]), follow_redirects=False)


def signed_in(client, credentials):
    response = sign_in(client, credentials)
    assert response.status_code == 303, response.text
    return client
