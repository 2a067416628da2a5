"""Each role sees its own pages only; nobody signed in is sent to sign in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories.web import make_user, signed_in

PAGES = {"ngo": "/partner/submissions", "researcher": "/researcher/requests", "steward": "/steward/requests"}
STEWARD_ONLY = ["/steward/budget"]


@pytest.mark.parametrize("path", PAGES.values())
def test_nobody_signed_in_is_sent_to_sign_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/signin?next={path}"


@pytest.mark.parametrize("role", ["ngo", "analyst", "researcher", "steward"])
def test_a_role_opens_its_own_page_and_no_other(app, session, role):
    user = make_user(session, role)
    with TestClient(app) as browser:
        signed_in(browser, user)
        for owner, path in PAGES.items():
            response = browser.get(path, follow_redirects=False)
            assert response.status_code == (200 if owner == role else 403), (role, path)
        for path in STEWARD_ONLY:
            assert browser.get(path, follow_redirects=False).status_code == (200 if role == "steward" else 403)
        menu = browser.get("/reports").text
        assert all((f'href="{path}"' in menu) == (owner == role) for owner, path in PAGES.items())


def test_a_forged_cookie_opens_nothing(app, session):
    with TestClient(app, cookies={"hub_session": "not-a-session"}) as browser:
        assert browser.get("/steward/requests", follow_redirects=False).status_code == 303
