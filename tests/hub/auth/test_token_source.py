"""The connector's TokenSource against the real token endpoint."""

from __future__ import annotations

import json

import pytest

from connectors.oauth import TokenError, TokenSource, generate_client_keypair, load_private_jwk
from hub.auth.clients import token_endpoint
from tests.factories.auth import make_client, make_organisation


class CountingHTTP:
    """Passes requests to the test client and counts them."""

    def __init__(self, http):
        self.http = http
        self.posts = 0

    def post(self, *args, **kwargs):
        self.posts += 1
        return self.http.post(*args, **kwargs)


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class TestTokenSource:
    def test_reuses_a_token_until_30_seconds_before_it_expires(self, client, session):
        credentials = make_client(session, make_organisation(session), ["reports:read"])
        clock, http = Clock(), CountingHTTP(client)
        secret = credentials["client_secret"]
        source = TokenSource(token_endpoint(), credentials["client_id"], client_secret=secret, clock=clock)
        first = source.token(http)
        clock.now += 569
        assert source.token(http) == first
        assert http.posts == 1
        clock.now += 2
        source.token(http)
        assert http.posts == 2

    def test_signs_a_fresh_assertion_for_each_fetch(self, client, session):
        private_jwk, public_jwk = generate_client_keypair()
        organisation = make_organisation(session)
        credentials = make_client(session, organisation, ["reports:read"], public_jwk=public_jwk)
        source = TokenSource(token_endpoint(), credentials["client_id"], private_jwk=private_jwk)
        source.token(client)
        source.invalidate()
        # A replayed assertion would be refused: the second fetch succeeds only with a new jti.
        assert source.token(client)

    def test_a_refusal_names_the_oauth_error_and_not_the_secret(self, client, session):
        credentials = make_client(session, make_organisation(session), ["reports:read"])
        source = TokenSource(token_endpoint(), credentials["client_id"], client_secret="wrong-secret-value")
        with pytest.raises(TokenError, match="invalid_client") as raised:
            source.token(client)
        assert "wrong-secret-value" not in str(raised.value)

    def test_needs_exactly_one_credential(self):
        with pytest.raises(ValueError):
            TokenSource(token_endpoint(), "c_x")


class TestLoadPrivateJwk:
    def test_reads_a_private_key_file_of_mode_600(self, tmp_path):
        private_jwk, public_jwk = generate_client_keypair()
        assert "d" not in public_jwk and public_jwk["kid"] == private_jwk["kid"]
        path = tmp_path / "client-key.json"
        path.write_text(json.dumps(private_jwk))
        path.chmod(0o600)
        assert load_private_jwk(path) == private_jwk

    def test_refuses_a_file_others_can_read(self, tmp_path):
        path = tmp_path / "client-key.json"
        path.write_text(json.dumps(generate_client_keypair()[0]))
        path.chmod(0o644)
        with pytest.raises(ValueError, match="chmod 600"):
            load_private_jwk(path)

    def test_refuses_a_public_key(self, tmp_path):
        path = tmp_path / "client-key.json"
        path.write_text(json.dumps(generate_client_keypair()[1]))
        path.chmod(0o600)
        with pytest.raises(ValueError, match="private"):
            load_private_jwk(path)
