"""Signing in with a local account: Argon2id passwords, one-time codes, cookie sessions, CSRF."""

from __future__ import annotations

import pyotp
import pytest
from sqlmodel import select

from hub.models import WebSession, WebUser
from hub.web.accounts import authenticate, reset_password
from tests.factories.web import authorize, form_token, make_user, sign_in, start_sign_in


class TestPassword:
    def test_the_right_password_opens_a_session_in_a_secure_cookie(self, client, session):
        user = make_user(session, "analyst")
        response = sign_in(client, user)
        assert response.status_code == 303 and response.headers["location"] == "/reports"
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("hub_session="))
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        assert "Sign out analyst" in client.get("/reports").text

    def test_a_wrong_password_is_refused_and_opens_nothing(self, client, session):
        user = make_user(session, "analyst")
        response = sign_in(client, user, password=user.password + "x")
        assert response.status_code == 401 and "is not right" in response.text
        assert "hub_session=" not in " ".join(response.headers.get_list("set-cookie"))
        assert session.exec(select(WebSession)).all() == []

    def test_an_unknown_username_is_refused_like_a_wrong_password(self, client, session):
        user = make_user(session, "analyst")
        unknown = sign_in(client, type(user)(**{**user.__dict__, "username": "nobody-here"}))
        wrong = sign_in(client, user, password="not-the-password")
        assert unknown.status_code == wrong.status_code == 401
        assert "nobody-here" not in unknown.text

    def test_the_password_is_kept_as_an_argon2id_hash_only(self, session):
        user = make_user(session, "researcher")
        stored = session.exec(select(WebUser).where(WebUser.username == user.username)).one()
        assert stored.password_hash.startswith("$argon2id$") and user.password not in stored.password_hash

    def test_a_reset_password_replaces_the_old_one_and_ends_sessions(self, client, session):
        user = make_user(session, "analyst")
        sign_in(client, user)
        new = reset_password(session, user.username)
        session.commit()
        assert new.password != user.password
        assert "Sign out" not in client.get("/reports").text  # the browser's session ended
        assert sign_in(client, user).status_code == 401
        assert sign_in(client, new).status_code == 303

    def test_passwords_are_generated_never_the_same(self, session):
        first, second = make_user(session, "analyst"), make_user(session, "analyst")
        assert first.password != second.password and len(first.password) >= 20


class TestOneTimeCode:
    def test_an_account_with_a_second_factor_needs_the_code(self, client, session):
        user = make_user(session, "steward", totp=True)
        assert sign_in(client, user, code="").status_code == 401
        assert sign_in(client, user, code="000000" if pyotp.TOTP(user.totp_secret).now() != "000000"
                       else "111111").status_code == 401
        assert sign_in(client, user).status_code == 303

    def test_a_code_is_accepted_once(self, session):
        user = make_user(session, "steward", totp=True)
        code = pyotp.TOTP(user.totp_secret).now()
        assert authenticate(session, user.username, user.password, code) is not None
        assert authenticate(session, user.username, user.password, code) is None


class TestCsrf:
    def test_a_sign_in_form_without_its_token_is_refused(self, client, session):
        user = make_user(session, "analyst")
        response = sign_in(client, user, csrf=False)
        assert response.status_code == 403 and "hub_session=" not in " ".join(response.headers.get_list("set-cookie"))

    def test_a_sign_in_form_with_another_browsers_token_is_refused(self, app, client, session):
        from fastapi.testclient import TestClient

        user = make_user(session, "analyst")
        with TestClient(app) as other_browser:
            foreign = form_token(other_browser.get(start_sign_in(other_browser)).text)
        authorize_path = start_sign_in(client)
        client.get(authorize_path)
        response = client.post(authorize_path, data={"username": user.username, "password": user.password,
                                                     "csrf_token": foreign}, follow_redirects=False)
        assert response.status_code == 403 and "location" not in response.headers
        assert authorize(client, user, authorize_path).status_code == 302  # its own token is taken

    def test_sign_out_needs_the_sessions_token(self, client, session):
        user = make_user(session, "analyst")
        sign_in(client, user)
        assert client.post("/signout", data={}, follow_redirects=False).status_code == 403
        assert "Sign out" in client.get("/reports").text
        token = form_token(client.get("/reports").text)
        assert client.post("/signout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
        assert "Sign out" not in client.get("/reports").text
        assert session.exec(select(WebSession)).all() == []


class TestRedirects:
    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
    def test_after_sign_in_the_hub_never_sends_the_browser_elsewhere(self, client, session, target):
        response = sign_in(client, make_user(session, "analyst"), next_page=target)
        assert response.headers["location"] == "/reports"

    def test_after_sign_in_the_browser_returns_to_the_page_it_asked_for(self, client, session):
        response = sign_in(client, make_user(session, "analyst"), next_page="/reports?year=2026")
        assert response.headers["location"] == "/reports?year=2026"


class TestSecureCookie:
    def test_over_https_the_session_cookie_is_secure(self, app, session, monkeypatch):
        from fastapi.testclient import TestClient

        from hub.config import get_settings

        https = get_settings().model_copy(update={"issuer": "https://hub.example.org"})
        monkeypatch.setattr("hub.web.session.get_settings", lambda: https)
        with TestClient(app, base_url="https://testserver") as browser:  # a browser keeps Secure cookies for https only
            response = sign_in(browser, make_user(session, "analyst"))
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("hub_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie

    def test_over_plain_http_in_development_it_is_not(self, client, session):
        response = sign_in(client, make_user(session, "analyst"))
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("hub_session="))
        assert "Secure" not in cookie  # a browser would drop it on http://127.0.0.1 and make run could not sign in


class TestGuessing:
    def test_password_guesses_from_one_address_are_limited_before_the_password_is_checked(self, client, session, monkeypatch):
        from hub.config import get_settings
        from hub.web import accounts

        monkeypatch.setattr(get_settings(), "token_requests_per_address", 3)
        user = make_user(session, "analyst")
        checks = []
        real = accounts.authenticate
        monkeypatch.setattr(accounts, "authenticate", lambda *a: checks.append(1) or real(*a))
        path = start_sign_in(client)
        answers = [authorize(client, user, path, password="wrong-guess").status_code for _ in range(3)]
        assert answers == [401, 401, 401] and len(checks) == 3
        refused = authorize(client, user, path)  # even the right password, once past the limit
        assert refused.status_code == 429 and "retry-after" in refused.headers and len(checks) == 3
