"""The resource side: a route behind ``RequireScope`` and what each kind of token gets from it."""

from __future__ import annotations

import time

import pytest

from connectors.oauth import generate_client_keypair
from hub.auth.clients import revoke_client
from hub.auth.dependencies import RequireScope
from hub.models import OAuthClient
from tests.factories.auth import bearer, make_client, make_organisation
from tests.hub.auth.helpers import stranger_key, resign


@pytest.fixture(autouse=True)
def probe(app):
    """A test-only route that needs ``reports:read`` and echoes who called."""

    @app.get("/_probe")
    def _probe(caller: RequireScope("reports:read")) -> dict:
        return {"client_id": caller.client_id, "organisation_id": caller.organisation_id,
                "scopes": sorted(caller.scopes)}


def token_of(headers: dict) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def assert_unauthorized(response, *words: str) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["error"] == "Unauthorized"
    for word in words:
        assert word in body["detail"]


class TestProbe:
    def test_a_token_with_the_scope_gets_in(self, client, session):
        organisation = make_organisation(session)
        credentials = make_client(session, organisation, ["reports:read", "submissions:write"])
        response = client.get("/_probe", headers=bearer(client, credentials))
        assert response.status_code == 200, response.text
        assert response.json() == {
            "client_id": credentials["client_id"],
            "organisation_id": organisation.id,
            "scopes": ["reports:read", "submissions:write"],
        }

    def test_a_private_key_jwt_client_gets_in(self, client, session):
        private_jwk, public_jwk = generate_client_keypair()
        organisation = make_organisation(session)
        credentials = make_client(session, organisation, ["reports:read"], public_jwk=public_jwk)
        headers = bearer(client, {**credentials, "private_jwk": private_jwk})
        assert client.get("/_probe", headers=headers).status_code == 200

    def test_no_token_is_401(self, client):
        assert_unauthorized(client.get("/_probe"), "Authorization: Bearer")

    def test_a_malformed_token_is_401(self, client):
        assert_unauthorized(client.get("/_probe", headers={"Authorization": "Bearer abc.def"}), "malformed")

    def test_an_expired_token_is_401_with_a_json_body(self, client, session):
        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        expired = resign(token_of(headers), exp=int(time.time()) - 120)
        response = client.get("/_probe", headers={"Authorization": f"Bearer {expired}"})
        assert_unauthorized(response, "expired", "/oauth/token")

    def test_a_token_signed_by_another_key_is_401(self, client, session):
        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        forged = resign(token_of(headers), key=stranger_key(), scope="reports:read admin")
        response = client.get("/_probe", headers={"Authorization": f"Bearer {forged}"})
        assert_unauthorized(response, "signature")

    def test_a_token_of_another_type_is_401(self, client, session):
        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        id_token_like = resign(token_of(headers), header={"typ": "JWT"})
        response = client.get("/_probe", headers={"Authorization": f"Bearer {id_token_like}"})
        assert_unauthorized(response, "at+jwt")

    def test_a_token_for_another_audience_is_401(self, client, session):
        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        elsewhere = resign(token_of(headers), aud="https://elsewhere.example")
        response = client.get("/_probe", headers={"Authorization": f"Bearer {elsewhere}"})
        assert_unauthorized(response, "aud")

    def test_a_token_of_a_revoked_client_is_401(self, client, session):
        credentials = make_client(session, make_organisation(session), ["reports:read"])
        headers = bearer(client, credentials)
        revoke_client(session, credentials["client_id"])
        assert_unauthorized(client.get("/_probe", headers=headers), "revoked")

    def test_a_token_without_the_scope_is_403_with_a_json_body(self, client, session):
        credentials = make_client(session, make_organisation(session), ["submissions:write"])
        response = client.get("/_probe", headers=bearer(client, credentials))
        assert response.status_code == 403
        assert response.json() == {"error": "Forbidden", "detail": "this needs the scope reports:read"}

    def test_a_scope_taken_from_the_client_stops_working_at_once(self, client, session):
        credentials = make_client(session, make_organisation(session), ["reports:read", "submissions:read"])
        headers = bearer(client, credentials)
        row = session.get(OAuthClient, credentials["client_id"])
        row.scopes = "submissions:read"
        session.add(row)
        session.flush()
        assert client.get("/_probe", headers=headers).status_code == 403
