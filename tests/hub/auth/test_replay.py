"""A client assertion is refused a second time for as long as it could be accepted at all."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from connectors.oauth import generate_client_keypair
from hub.auth.server import ASSERTION_LEEWAY_S
from hub.models import ClientAssertion
from tests.factories.auth import make_client, make_organisation
from tests.hub.auth.helpers import assertion_form


def key_client(session) -> dict:
    private_jwk, public_jwk = generate_client_keypair()
    return {**make_client(session, make_organisation(session), ["reports:read"], public_jwk=public_jwk),
            "private_jwk": private_jwk}


def test_an_assertion_inside_its_leeway_is_accepted_once(client, session):
    credentials = key_client(session)
    # Expired 10 s ago: still accepted (the leeway allows for clock skew), so it must be remembered.
    form = assertion_form(credentials["private_jwk"], credentials["client_id"], lifetime_s=-10)
    assert client.post("/oauth/token", data=form).status_code == 200
    replay = client.post("/oauth/token", data=form)
    assert replay.status_code == 400
    assert "already used" in replay.json()["error_description"]


def test_the_replay_record_lives_until_exp_plus_the_leeway(client, session):
    credentials = key_client(session)
    form = assertion_form(credentials["private_jwk"], credentials["client_id"], lifetime_s=60)
    assert client.post("/oauth/token", data=form).status_code == 200
    (expires_at,) = session.exec(select(ClientAssertion.expires_at)).all()
    exp = int(datetime.now(UTC).timestamp()) + 60
    assert expires_at.replace(tzinfo=UTC).timestamp() >= exp - 5 + ASSERTION_LEEWAY_S
