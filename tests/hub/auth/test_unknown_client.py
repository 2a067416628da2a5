"""An unknown client id answers like a wrong secret, after the same scrypt work."""

from __future__ import annotations

import pytest

import hub.auth.clients
import hub.auth.server
from connectors.oauth import generate_client_keypair
from tests.factories.auth import make_client, make_organisation
from tests.hub.auth.helpers import assertion_form

GRANT = {"grant_type": "client_credentials"}


@pytest.fixture
def scrypt_checks(monkeypatch) -> list:
    calls = []
    real = hub.auth.clients._scrypt

    def counted(*args):
        calls.append(1)
        return real(*args)

    hub.auth.server._unguessable_secret_hash()  # made once per process, before anything is counted
    monkeypatch.setattr(hub.auth.clients, "_scrypt", counted)
    return calls


def answer(response) -> tuple:
    return response.status_code, response.json(), response.headers.get("www-authenticate")


@pytest.mark.parametrize("how", ["basic", "post"])
def test_an_unknown_client_id_answers_exactly_as_a_wrong_secret(client, session, scrypt_checks, how):
    credentials = make_client(session, make_organisation(session), ["reports:read"])

    def ask(client_id: str):
        if how == "basic":
            return client.post("/oauth/token", data=GRANT, auth=(client_id, "not-the-secret"))
        return client.post("/oauth/token", data={**GRANT, "client_id": client_id, "client_secret": "not-the-secret"})

    before = len(scrypt_checks)  # the registration hashed the secret
    wrong_secret = ask(credentials["client_id"])
    checks_for_a_wrong_secret = len(scrypt_checks) - before
    unknown = ask("c_nobody_has_this_id")
    assert answer(unknown) == answer(wrong_secret)
    assert len(scrypt_checks) - before - checks_for_a_wrong_secret == checks_for_a_wrong_secret == 1


def test_a_secret_tried_on_a_key_client_costs_an_scrypt_check_too(client, session, scrypt_checks):
    _, public_jwk = generate_client_keypair()
    credentials = make_client(session, make_organisation(session), ["reports:read"], public_jwk=public_jwk)
    form = {**GRANT, "client_id": credentials["client_id"], "client_secret": "guess"}
    unknown = {**GRANT, "client_id": "c_nobody_has_this_id", "client_secret": "guess"}
    assert answer(client.post("/oauth/token", data=form)) == answer(client.post("/oauth/token", data=unknown))
    assert len(scrypt_checks) == 2  # one per request (a key client has no secret to hash at registration)


def test_an_assertion_for_an_unknown_id_answers_as_one_for_a_secret_client(client, session):
    private_jwk, _ = generate_client_keypair()
    credentials = make_client(session, make_organisation(session), ["reports:read"])
    secret_client = client.post("/oauth/token", data=assertion_form(private_jwk, credentials["client_id"]))
    unknown = client.post("/oauth/token", data=assertion_form(private_jwk, "c_nobody_has_this_id"))
    assert answer(unknown) == answer(secret_client)
