"""The pages sign in through the hub's own OpenID Connect flow: code grant, PKCE (S256), state, nonce.

Each test breaks one binding of the flow and checks that nobody is signed in.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlmodel import select

from hub.auth.pages_client import PAGES_CLIENT_ID
from hub.models import AuthorizationCode, WebSession
from hub.web.session import SIGN_IN_COOKIE
from tests.factories.auth import bearer, make_client, make_organisation
from tests.factories.web import authorize, make_user, path_of, sign_in, start_sign_in

REDIRECT_URI = "http://127.0.0.1:8000/signin/callback"  # the test settings' issuer + the callback


def authorize_path(state="s", nonce=None, verifier=None, **overrides) -> str:
    """An authorisation request as the pages make it, with values the test chooses."""
    params = {"response_type": "code", "client_id": PAGES_CLIENT_ID, "redirect_uri": REDIRECT_URI,
              "scope": "openid profile", "state": state, "nonce": nonce or secrets.token_urlsafe(16),
              "code_challenge": create_s256_code_challenge(verifier or "v" * 43), "code_challenge_method": "S256"}
    params.update(overrides)
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def code_of(response) -> str:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    return parse_qs(urlsplit(location).query)["code"][0]


def redeem(client, code: str, verifier: str = "v" * 43, **overrides):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": PAGES_CLIENT_ID, "code_verifier": verifier, **overrides}
    return client.post("/oauth/token", data={k: v for k, v in form.items() if v is not None})


def sessions(session):
    session.expire_all()
    return session.exec(select(WebSession)).all()


class TestTheFlow:
    def test_signing_in_goes_through_the_authorisation_endpoint_with_pkce_state_and_nonce(self, client, session):
        start = start_sign_in(client)
        query = parse_qs(urlsplit(start).query)
        assert urlsplit(start).path == "/oauth/authorize"
        assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
        assert query["client_id"] == [PAGES_CLIENT_ID] and "openid" in query["scope"][0].split()
        assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32 and len(query["code_challenge"][0]) == 43
        cookie = next(c for c in client.cookies.jar if c.name == SIGN_IN_COOKIE)
        assert cookie.has_nonstandard_attr("HttpOnly")

    def test_the_id_token_is_signed_by_the_hub_key_for_the_pages_with_the_nonce(self, client, session):
        user = make_user(session, "researcher")
        code = code_of(authorize(client, user, authorize_path(nonce="n-123")))
        tokens = redeem(client, code).json()
        keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
        token = jwt.decode(tokens["id_token"], keys, algorithms=["ES256"])
        claims = token.claims
        assert token.header["kid"] in {key["kid"] for key in keys.as_dict()["keys"]}
        assert claims["iss"] == "http://127.0.0.1:8000" and claims["aud"] == [PAGES_CLIENT_ID]
        assert claims["nonce"] == "n-123" and claims["preferred_username"] == user.username and "at_hash" in claims
        assert "refresh_token" not in tokens

    def test_userinfo_answers_the_persons_access_token(self, client, session):
        user = make_user(session, "analyst")
        access_token = redeem(client, code_of(authorize(client, user, authorize_path()))).json()["access_token"]
        info = client.get("/oauth/userinfo", headers={"Authorization": f"Bearer {access_token}"})
        assert info.status_code == 200 and info.json()["preferred_username"] == user.username

    def test_a_persons_access_token_opens_none_of_the_api(self, client, session):
        user = make_user(session, "ngo")
        access_token = redeem(client, code_of(authorize(client, user, authorize_path()))).json()["access_token"]
        assert client.get("/v1/submissions", headers={"Authorization": f"Bearer {access_token}"}).status_code == 401

    def test_a_machine_clients_token_gets_no_userinfo(self, client, session):
        machine = make_client(session, make_organisation(session), ["reports:read"])
        session.commit()
        response = client.get("/oauth/userinfo", headers=bearer(client, machine))
        assert response.status_code == 401

    def test_discovery_names_the_flows_endpoints(self, client):
        document = client.get("/.well-known/openid-configuration").json()
        assert document["issuer"] == "http://127.0.0.1:8000"
        assert document["authorization_endpoint"].endswith("/oauth/authorize")
        assert document["code_challenge_methods_supported"] == ["S256"]
        assert document["id_token_signing_alg_values_supported"] == ["ES256"]
        assert client.get(urlsplit(document["userinfo_endpoint"]).path).status_code == 401


class TestCodes:
    def test_a_replayed_code_is_refused(self, client, session):
        code = code_of(authorize(client, make_user(session, "analyst"), authorize_path()))
        assert redeem(client, code).status_code == 200
        replay = redeem(client, code)
        assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"

    def test_a_replayed_callback_signs_no_one_in(self, client, session):
        user = make_user(session, "analyst")
        answer = authorize(client, user, start_sign_in(client))
        flow_cookie = client.cookies.get(SIGN_IN_COOKIE)
        callback = path_of(answer.headers["location"])
        assert client.get(callback, follow_redirects=False).status_code == 303
        client.cookies.clear()
        client.cookies.set(SIGN_IN_COOKIE, flow_cookie)  # the same browser state, the same code, again
        assert client.get(callback, follow_redirects=False).status_code == 401
        assert len(sessions(session)) == 1

    def test_a_wrong_code_verifier_is_refused_and_burns_the_code(self, client, session):
        code = code_of(authorize(client, make_user(session, "analyst"), authorize_path()))
        assert redeem(client, code, verifier="w" * 43).json()["error"] == "invalid_grant"
        assert redeem(client, code).json()["error"] == "invalid_grant"

    def test_a_code_without_its_verifier_is_refused(self, client, session):
        code = code_of(authorize(client, make_user(session, "analyst"), authorize_path()))
        assert redeem(client, code, verifier=None).status_code == 400

    def test_an_expired_code_is_refused(self, client, session):
        code = code_of(authorize(client, make_user(session, "analyst"), authorize_path()))
        row = session.exec(select(AuthorizationCode)).one()
        row.expires_at = row.expires_at - timedelta(minutes=5)
        session.add(row)
        session.commit()
        assert redeem(client, code).json()["error"] == "invalid_grant"

    def test_the_hub_keeps_only_a_hash_of_a_code(self, client, session):
        code = code_of(authorize(client, make_user(session, "analyst"), authorize_path()))
        row = session.exec(select(AuthorizationCode)).one()
        assert code not in row.code_hash and len(row.code_hash) == 64

    def test_a_code_for_another_redirect_uri_is_refused(self, client, session):
        code = code_of(authorize(client, make_user(session, "analyst"), authorize_path()))
        assert redeem(client, code, redirect_uri="http://127.0.0.1:8000/elsewhere").json()["error"] == "invalid_grant"


class TestAuthorisationRequests:
    def test_a_request_without_pkce_gets_no_code(self, client):
        response = client.get(authorize_path(code_challenge=None, code_challenge_method=None), follow_redirects=False)
        query = parse_qs(urlsplit(response.headers["location"]).query)
        assert response.status_code == 303 and query["error"] == ["invalid_request"] and "code" not in query

    def test_the_plain_pkce_method_is_refused(self, client):
        response = client.get(authorize_path(code_challenge="v" * 43, code_challenge_method="plain"),
                              follow_redirects=False)
        assert response.status_code == 303 and "error=invalid_request" in response.headers["location"]

    def test_a_request_without_a_nonce_is_refused(self, client):
        without_nonce = authorize_path().replace("&nonce=", "&no_nonce=")
        response = client.get(without_nonce, follow_redirects=False)
        assert response.status_code == 303 and "error=invalid_request" in response.headers["location"]

    @pytest.mark.parametrize("redirect_uri", ["https://evil.example/signin/callback",
                                              "http://127.0.0.1:8000/signin/callback/../../x",
                                              "http://127.0.0.1:8000/signin/callbackx"])
    def test_another_redirect_uri_is_answered_here_and_repeated_nowhere(self, client, redirect_uri):
        response = client.get(authorize_path(redirect_uri=redirect_uri), follow_redirects=False)
        assert response.status_code == 400 and "location" not in response.headers
        assert "evil" not in response.text and "callbackx" not in response.text

    def test_an_unknown_client_is_answered_here(self, client):
        response = client.get(authorize_path(client_id="c_someone"), follow_redirects=False)
        assert response.status_code == 400 and "location" not in response.headers

    def test_a_machine_client_cannot_use_the_code_grant(self, client, session):
        machine = make_client(session, make_organisation(session), ["reports:read"])
        session.commit()
        response = client.get(authorize_path(client_id=machine["client_id"]), follow_redirects=False)
        assert "code=" not in response.headers.get("location", "")


class TestCallback:
    def test_a_state_that_is_not_the_browsers_signs_no_one_in(self, client, session):
        answer = authorize(client, make_user(session, "analyst"), start_sign_in(client))
        callback = path_of(answer.headers["location"]).replace("state=", "state=x")
        response = client.get(callback, follow_redirects=False)
        assert response.status_code == 400 and sessions(session) == []

    def test_a_callback_in_a_browser_that_did_not_start_it_signs_no_one_in(self, app, client, session):
        from fastapi.testclient import TestClient

        answer = authorize(client, make_user(session, "analyst"), start_sign_in(client))
        with TestClient(app) as victim:  # login CSRF: an attacker's code pushed into someone else's browser
            assert victim.get(path_of(answer.headers["location"]), follow_redirects=False).status_code == 400
        assert sessions(session) == []

    def test_an_id_token_with_another_nonce_signs_no_one_in(self, client, session):
        answer = authorize(client, make_user(session, "analyst"), start_sign_in(client))
        flow = json.loads(base64.urlsafe_b64decode(client.cookies.get(SIGN_IN_COOKIE)))
        flow["nonce"] = "not-the-nonce-the-issuer-saw"
        client.cookies.set(SIGN_IN_COOKIE, base64.urlsafe_b64encode(json.dumps(flow).encode()).decode())
        response = client.get(path_of(answer.headers["location"]), follow_redirects=False)
        assert response.status_code == 401 and sessions(session) == []

    def test_a_wrong_verifier_in_the_browser_signs_no_one_in(self, client, session):
        answer = authorize(client, make_user(session, "analyst"), start_sign_in(client))
        flow = json.loads(base64.urlsafe_b64decode(client.cookies.get(SIGN_IN_COOKIE)))
        flow["code_verifier"] = "x" * 64
        client.cookies.set(SIGN_IN_COOKIE, base64.urlsafe_b64encode(json.dumps(flow).encode()).decode())
        assert client.get(path_of(answer.headers["location"]), follow_redirects=False).status_code == 401
        assert sessions(session) == []

    def test_an_error_from_the_issuer_signs_no_one_in(self, client, session):
        start = parse_qs(urlsplit(start_sign_in(client)).query)
        response = client.get(f"/signin/callback?error=access_denied&state={start['state'][0]}", follow_redirects=False)
        assert response.status_code == 401 and sessions(session) == []

    def test_a_wrong_password_at_the_issuer_gives_no_code(self, client, session):
        user = make_user(session, "analyst")
        response = sign_in(client, user, password="not-it")
        assert response.status_code == 401 and session.exec(select(AuthorizationCode)).all() == []
