"""Signing in at an external OpenID Connect issuer the operator configured (a fake one, run here).

The hub is its client: PKCE (S256), state and nonce as with its own issuer, its client secret at
the token endpoint, and the ID token checked (signature by the issuer's published key, issuer,
audience, expiry, nonce) before its claims are mapped to an organisation and a role.
"""

from __future__ import annotations

import time

import httpx
import pytest
from joserfc.jwk import RSAKey
from pydantic import SecretStr
from sqlmodel import select

from hub.config import Settings, get_settings
from hub.models import WebSession, WebUser
from tests.factories.auth import make_organisation
from tests.factories.fake_issuer import CLIENT_ID, CLIENT_SECRET, hs256_key, running_fake_issuer
from tests.factories.web import path_of


@pytest.fixture
def fake_issuer(monkeypatch):
    with running_fake_issuer() as fake:
        settings = get_settings()
        for name, value in {"oidc_issuer": fake.issuer, "oidc_client_id": CLIENT_ID,
                            "oidc_client_secret": SecretStr(CLIENT_SECRET),
                            "oidc_organisation_claim": "hub_org", "oidc_role_claim": "realm_access.roles",
                            "oidc_organisations": {"shelter-ktm": "Shelter Kathmandu", "stewards": "Hub Stewards"},
                            "oidc_roles": {"hub-officer": "ngo", "hub-researcher": "researcher",
                                           "hub-steward": "steward"}}.items():
            monkeypatch.setattr(settings, name, value)
        yield fake


@pytest.fixture
def shelter(session):
    organisation = make_organisation(session, "Shelter Kathmandu", "ngo")
    session.commit()
    return organisation


def person(sub="kc-0001", username="amina@shelter.example", org="shelter-ktm", roles=("hub-officer", "offline_access")):
    return {"sub": sub, "preferred_username": username, "hub_org": org, "realm_access": {"roles": list(roles)}}


def sign_in_at(client, fake, claims):
    """A person signs in at the fake issuer; the hub's answer to the callback."""
    fake.person = claims
    start = client.get("/signin", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"].startswith(fake.issuer + "/auth?")
    at_issuer = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_issuer.status_code == 302, at_issuer.text
    return client.get(path_of(at_issuer.headers["location"]), follow_redirects=False)


def signed_in_users(session):
    session.expire_all()
    return session.exec(select(WebUser).join(WebSession, WebSession.user_id == WebUser.id)).all()


class TestSigningIn:
    def test_a_person_of_the_issuer_signs_in_with_the_mapped_organisation_and_role(self, client, session, fake_issuer,
                                                                                  shelter):
        response = sign_in_at(client, fake_issuer, person())
        assert response.status_code == 303 and response.headers["location"] == "/partner/submissions"
        [user] = signed_in_users(session)
        assert (user.organisation_id, user.role, user.issuer, user.subject) == (shelter.id, "ngo", fake_issuer.issuer,
                                                                                  "kc-0001")
        assert user.password_hash is None and user.username == "amina-shelter.example"
        assert "Sign out amina-shelter.example" in client.get("/partner/submissions").text

    def test_the_hub_sends_pkce_and_its_client_secret(self, client, fake_issuer, shelter):
        assert sign_in_at(client, fake_issuer, person()).status_code == 303
        [sent] = fake_issuer.token_requests
        assert len(sent["code_verifier"]) >= 43 and "client_secret" not in sent  # the secret went in Basic

    def test_a_wrong_client_secret_signs_no_one_in(self, client, session, fake_issuer, shelter, monkeypatch):
        monkeypatch.setattr(get_settings(), "oidc_client_secret", SecretStr("not-the-secret-0123456789"))
        assert sign_in_at(client, fake_issuer, person()).status_code == 401
        assert signed_in_users(session) == []

    def test_the_role_follows_the_issuer_at_the_next_sign_in(self, app, client, session, fake_issuer, shelter):
        from fastapi.testclient import TestClient

        make_organisation(session, "University", "research")
        sign_in_at(client, fake_issuer, person())
        with TestClient(app) as later:
            sign_in_at(later, fake_issuer, person(roles=["hub-researcher"]))
        session.expire_all()
        assert session.exec(select(WebUser.role).where(WebUser.subject == "kc-0001")).all() == ["researcher"]

    def test_an_issuer_that_cannot_be_reached_is_said_so_and_signs_no_one_in(self, client, session, monkeypatch):
        from tests.factories.servers import free_port

        monkeypatch.setattr(get_settings(), "oidc_issuer", f"http://127.0.0.1:{free_port()}/realms/hub")
        monkeypatch.setattr(get_settings(), "oidc_client_id", CLIENT_ID)
        monkeypatch.setattr(get_settings(), "oidc_client_secret", SecretStr(CLIENT_SECRET))
        response = client.get("/signin", follow_redirects=False)
        assert response.status_code == 503 and "cannot be reached" in response.text

    def test_a_discovery_document_for_another_issuer_is_refused(self, client, fake_issuer, monkeypatch):
        monkeypatch.setattr(get_settings(), "oidc_issuer", fake_issuer.issuer + "/")  # not the document's issuer
        assert client.get("/signin", follow_redirects=False).status_code == 503

    def test_local_sign_in_is_closed_while_an_external_issuer_is_configured(self, client, fake_issuer):
        assert client.get("/oauth/authorize?client_id=hub-pages").status_code == 404


class TestIdTokens:
    @pytest.mark.parametrize("tamper", [
        {"claims": {"aud": "someone-else"}},
        {"claims": {"iss": "https://evil.example/realms/hub"}},
        {"claims": {"nonce": "another-flows-nonce"}},
        {"claims": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}},
        {"claims": {"aud": [CLIENT_ID, "someone-else"]}},  # several audiences and no azp naming the hub
        {"key": RSAKey.generate_key(2048)},  # signed by a key the issuer does not publish
        {"alg": "HS256", "key": hs256_key(CLIENT_SECRET)},  # the client secret as an HMAC key
    ], ids=["audience", "issuer", "nonce", "expired", "azp", "forged", "hs256"])
    def test_an_id_token_that_fails_a_check_signs_no_one_in(self, client, session, fake_issuer, shelter, tamper):
        fake_issuer.tamper = tamper
        response = sign_in_at(client, fake_issuer, person())
        assert response.status_code == 401 and signed_in_users(session) == []


class TestClaimMapping:
    @pytest.mark.parametrize("claims", [
        person(roles=["offline_access"]),  # no role the hub maps
        person(roles=["hub-officer", "hub-researcher"]),  # two roles: which one is not guessed
        person(org="another-shelter"),  # an organisation the mapping does not name
        person(org=None),
        person(roles=["hub-steward"]),  # a steward's role outside the stewards' organisation
    ], ids=["no-role", "two-roles", "unmapped-organisation", "no-organisation", "steward-elsewhere"])
    def test_claims_that_map_to_no_single_organisation_and_role_sign_no_one_in(self, client, session, fake_issuer,
                                                                              shelter, claims):
        response = sign_in_at(client, fake_issuer, claims)
        assert response.status_code == 401 and signed_in_users(session) == []
        assert "amina" not in response.text

    def test_a_mapped_organisation_the_hub_does_not_have_signs_no_one_in(self, client, session, fake_issuer):
        response = sign_in_at(client, fake_issuer, person())  # "Shelter Kathmandu" was never registered
        assert response.status_code == 401 and "not registered on this hub" in response.text

    def test_a_username_of_a_local_account_is_not_taken_over(self, client, session, fake_issuer, shelter):
        from tests.factories.web import make_user

        make_user(session, "ngo", shelter, username="amina-shelter.example")
        response = sign_in_at(client, fake_issuer, person())
        assert response.status_code == 401 and signed_in_users(session) == []


class TestSettings:
    def test_an_issuer_without_its_client_secret_is_refused(self):
        with pytest.raises(ValueError, match="HUB_OIDC_CLIENT_SECRET"):
            Settings(oidc_issuer="https://id.example/realms/hub", oidc_client_id="hub")

    def test_production_refuses_an_issuer_over_plain_http(self):
        with pytest.raises(ValueError, match="https"):
            Settings._external_issuer_is_complete(Settings.model_construct(
                environment="production", oidc_issuer="http://id.example/realms/hub", oidc_client_id="hub",
                oidc_client_secret=SecretStr("s" * 32)))

    def test_production_refuses_a_short_client_secret(self):
        with pytest.raises(ValueError, match="shorter than 16"):
            Settings._external_issuer_is_complete(Settings.model_construct(
                environment="production", oidc_issuer="https://id.example/realms/hub", oidc_client_id="hub",
                oidc_client_secret=SecretStr("short")))
