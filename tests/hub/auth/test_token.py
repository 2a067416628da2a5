"""POST /oauth/token: the client credentials grant with each way a client can authenticate."""

from __future__ import annotations

from joserfc import jwt
from sqlmodel import func, select

from connectors.oauth import generate_client_keypair
from hub.auth.clients import revoke_client
from hub.auth.keys import public_key
from hub.config import get_settings
from hub.models import ClientAssertion, utcnow
from tests.factories.auth import make_client, make_organisation
from tests.hub.auth.helpers import assertion_form

READER = ["reports:read", "submissions:read"]
GRANT = {"grant_type": "client_credentials"}


def secret_client(session, scopes=READER) -> dict:
    return make_client(session, make_organisation(session), scopes)


def key_client(session, scopes=READER) -> dict:
    private_jwk, public_jwk = generate_client_keypair()
    credentials = make_client(session, make_organisation(session), scopes, public_jwk=public_jwk)
    return {**credentials, "private_jwk": private_jwk}


def basic(credentials) -> tuple[str, str]:
    return credentials["client_id"], credentials["client_secret"]


def ask(client, credentials, **form):
    """A token request with the client's secret in HTTP Basic."""
    return client.post("/oauth/token", data={**GRANT, **form}, auth=basic(credentials))


class TestToken:
    def test_client_secret_basic_gets_an_rfc9068_access_token(self, client, session):
        credentials = secret_client(session)
        response = client.post("/oauth/token", data=GRANT, auth=basic(credentials))
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        body = response.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == get_settings().access_token_lifetime_s == 600
        assert set(body["scope"].split()) == set(READER)
        assert "refresh_token" not in body

        token = jwt.decode(body["access_token"], public_key(), algorithms=["ES256"])
        assert token.header["typ"] == "at+jwt"
        assert token.header["kid"] == public_key().kid
        claims = token.claims
        issuer = get_settings().issuer
        assert claims["iss"] == claims["aud"] == issuer
        assert claims["client_id"] == claims["sub"] == credentials["client_id"]
        assert claims["exp"] - claims["iat"] == 600
        assert claims["org"] and claims["jti"]

    def test_client_secret_post(self, client, session):
        credentials = secret_client(session)
        form = {**GRANT, "client_id": credentials["client_id"], "client_secret": credentials["client_secret"]}
        response = client.post("/oauth/token", data=form)
        assert response.status_code == 200, response.text

    def test_private_key_jwt(self, client, session):
        credentials = key_client(session)
        form = assertion_form(credentials["private_jwk"], credentials["client_id"])
        response = client.post("/oauth/token", data=form)
        assert response.status_code == 200, response.text
        claims = jwt.decode(response.json()["access_token"], public_key()).claims
        assert claims["client_id"] == credentials["client_id"]

    def test_a_replayed_assertion_is_refused(self, client, session):
        credentials = key_client(session)
        form = assertion_form(credentials["private_jwk"], credentials["client_id"])
        assert client.post("/oauth/token", data=form).status_code == 200
        replay = client.post("/oauth/token", data=form)
        assert replay.status_code == 400
        assert replay.json()["error"] == "invalid_client"
        assert "already used" in replay.json()["error_description"]

    def test_expired_assertion_records_are_purged(self, client, session):
        credentials = key_client(session)
        session.add(ClientAssertion(client_id="c_gone", jti="old", expires_at=utcnow().replace(year=2000)))
        session.flush()
        form = assertion_form(credentials["private_jwk"], credentials["client_id"])
        assert client.post("/oauth/token", data=form).status_code == 200
        remaining = session.exec(select(ClientAssertion.client_id)).all()
        assert remaining == [credentials["client_id"]]

    def test_an_assertion_signed_by_another_key_is_refused(self, client, session):
        credentials = key_client(session)
        stranger_jwk, _ = generate_client_keypair()
        response = client.post("/oauth/token", data=assertion_form(stranger_jwk, credentials["client_id"]))
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_client"

    def test_a_long_lived_assertion_is_refused(self, client, session):
        credentials = key_client(session)
        form = assertion_form(credentials["private_jwk"], credentials["client_id"], lifetime_s=86_400)
        response = client.post("/oauth/token", data=form)
        assert response.json()["error"] == "invalid_client"
        assert session.exec(select(func.count()).select_from(ClientAssertion)).one() == 0

    def test_a_wrong_secret_is_401_invalid_client(self, client, session):
        credentials = secret_client(session)
        response = client.post("/oauth/token", data=GRANT, auth=(credentials["client_id"], "not-the-secret"))
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert response.headers["www-authenticate"].startswith("Basic")

    def test_an_unknown_client_is_401_invalid_client(self, client, session):
        response = client.post("/oauth/token", data=GRANT, auth=("c_nobody", "whatever"))
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"

    def test_a_client_id_the_database_could_not_hold_is_invalid_client(self, client, session):
        form = {**GRANT, "client_id": "c_\x00" + "x" * 100, "client_secret": "whatever"}
        response = client.post("/oauth/token", data=form)
        assert response.json()["error"] == "invalid_client"

    def test_a_key_client_cannot_use_a_secret(self, client, session):
        credentials = key_client(session)
        form = {**GRANT, "client_id": credentials["client_id"], "client_secret": "guess"}
        assert client.post("/oauth/token", data=form).json()["error"] == "invalid_client"

    def test_a_scope_the_client_was_not_registered_with_is_invalid_scope(self, client, session):
        credentials = secret_client(session)
        response = ask(client, credentials, scope="reports:read admin")
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "invalid_scope"
        assert "admin" in body["error_description"]

    def test_an_unknown_scope_with_odd_characters_is_invalid_scope(self, client, session):
        credentials = secret_client(session)
        response = ask(client, credentials, scope='r\u00e9ports "x"')
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_scope"

    def test_a_narrower_scope_is_granted(self, client, session):
        credentials = secret_client(session)
        response = ask(client, credentials, scope="reports:read")
        assert response.json()["scope"] == "reports:read"
        claims = jwt.decode(response.json()["access_token"], public_key()).claims
        assert claims["scope"] == "reports:read"

    def test_a_revoked_client_gets_no_token(self, client, session):
        credentials = secret_client(session)
        revoke_client(session, credentials["client_id"])
        response = client.post("/oauth/token", data=GRANT, auth=basic(credentials))
        assert response.status_code == 401
        assert "revoked" in response.json()["error_description"]

    def test_other_grant_types_are_unsupported(self, client, session):
        credentials = secret_client(session)
        form = {"grant_type": "password", "username": "u", "password": "p"}
        response = client.post("/oauth/token", data=form, auth=basic(credentials))
        assert response.status_code == 400
        assert response.json()["error"] == "unsupported_grant_type"

    def test_a_repeated_parameter_is_invalid_request(self, client, session):
        credentials = secret_client(session)
        body = "grant_type=client_credentials&scope=reports:read&scope=admin&%C3%A9=1&%C3%A9=2"
        headers = {"content-type": "application/x-www-form-urlencoded"}
        response = client.post("/oauth/token", content=body, headers=headers, auth=basic(credentials))
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"

    def test_a_json_body_is_invalid_request(self, client, session):
        credentials = secret_client(session)
        response = client.post("/oauth/token", json=GRANT, auth=basic(credentials))
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"
