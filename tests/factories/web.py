"""Factories of people's accounts and signed-in browsers."""

from __future__ import annotations

import re

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


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def sign_in(client, credentials, *, code: str | None = None, password: str | None = None, csrf: bool = True):
    """Signs ``client`` in through the sign-in page, as a browser does; the response to the form."""
    form = {"username": credentials.username, "password": password or credentials.password}
    if credentials.totp_secret and code is None:
        code = pyotp.TOTP(credentials.totp_secret).now()
    if code is not None:
        form["code"] = code
    if csrf:
        form["csrf_token"] = form_token(client.get("/signin").text)
    return client.post("/signin", data=form, follow_redirects=False)


def signed_in(client, credentials):
    response = sign_in(client, credentials)
    assert response.status_code == 303, response.text
    return client
