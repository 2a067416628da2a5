"""Registering and revoking clients (the service the CLI and the admin API call)."""

from __future__ import annotations

import warnings

import pytest
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, OctKey, RSAKey

from connectors.oauth import generate_client_keypair
from hub.auth.clients import ClientRejected, UnknownClient, create_client, revoke_client, verify_client_secret
from hub.models import OAuthClient
from tests.factories.auth import make_organisation


def weak_rsa_jwk() -> dict:
    # joserfc warns when asked for a weak key; here the weak key is the point.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return RSAKey.generate_key(1024, private=False).as_dict()


class TestCreateClient:
    def test_a_secret_client_keeps_only_an_scrypt_hash(self, session):
        organisation = make_organisation(session, name="Hotline B")
        credentials = create_client(session, organisation, ["submissions:write", "submissions:read"])
        assert credentials["client_id"].startswith("c_")
        assert credentials["organisation"] == "Hotline B"
        assert credentials["auth_method"] == "client_secret_basic"
        assert credentials["token_endpoint"].endswith("/oauth/token")
        # Kept in the order of SCOPES, whatever order they were asked in.
        assert credentials["scopes"] == ["submissions:write", "submissions:read"]

        row = session.get(OAuthClient, credentials["client_id"])
        assert row.organisation_id == organisation.id
        assert credentials["client_secret"] not in row.secret_hash
        assert row.secret_hash.startswith("scrypt$")
        assert verify_client_secret(credentials["client_secret"], row.secret_hash)
        assert not verify_client_secret(credentials["client_secret"] + "x", row.secret_hash)

    def test_two_hashes_of_one_secret_differ(self, session):
        organisation = make_organisation(session)
        first = create_client(session, organisation, ["admin"])
        second = create_client(session, organisation, ["admin"])
        assert first["client_id"] != second["client_id"]
        assert session.get(OAuthClient, first["client_id"]).secret_hash != session.get(
            OAuthClient, second["client_id"]
        ).secret_hash

    def test_a_key_client_has_no_secret(self, session):
        _, public_jwk = generate_client_keypair()
        organisation = make_organisation(session)
        credentials = create_client(session, organisation, ["reports:read"], public_jwk=public_jwk)
        assert credentials["client_secret"] is None
        assert credentials["auth_method"] == "private_key_jwt"
        row = session.get(OAuthClient, credentials["client_id"])
        assert row.secret_hash is None and '"kid"' in row.public_jwk

    @pytest.mark.parametrize("scopes", [[], ["reports:write"], ["admin", "everything"]])
    def test_unknown_or_no_scopes_are_refused(self, session, scopes):
        with pytest.raises(ClientRejected):
            create_client(session, make_organisation(session), scopes)

    @pytest.mark.parametrize(
        "make_jwk",
        [
            lambda: generate_client_keypair()[0],  # the private half
            lambda: OctKey.generate_key(256).as_dict(private=True),  # symmetric
            lambda: ECKey.generate_key("P-384", private=False).as_dict(),  # not P-256
            lambda: weak_rsa_jwk(),  # too short
            lambda: {"kty": "EC", "crv": "P-256"},  # not a key
        ],
        ids=["private", "symmetric", "p384", "rsa1024", "broken"],
    )
    def test_unusable_public_keys_are_refused(self, session, make_jwk):
        with pytest.raises(ClientRejected):
            create_client(session, make_organisation(session), ["reports:read"], public_jwk=make_jwk())

    def test_an_rsa_2048_key_is_accepted(self, session):
        public_jwk = RSAKey.generate_key(2048, private=False).as_dict()
        organisation = make_organisation(session)
        credentials = create_client(session, organisation, ["reports:read"], public_jwk=public_jwk)
        assert credentials["auth_method"] == "private_key_jwt"


class TestRevokeClient:
    def test_sets_revoked_at_once(self, session):
        credentials = create_client(session, make_organisation(session), ["reports:read"])
        first = revoke_client(session, credentials["client_id"]).revoked_at
        assert first is not None
        assert revoke_client(session, credentials["client_id"]).revoked_at == first

    def test_an_unknown_client_is_not_found(self, session):
        with pytest.raises(UnknownClient) as raised:
            revoke_client(session, "c_nobody")
        # The CLI catches the standard exception types.
        assert isinstance(raised.value, LookupError)
        assert raised.value.status_code == 404
