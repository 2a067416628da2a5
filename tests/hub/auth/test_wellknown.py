"""The public OAuth documents: the JWKS and the authorisation server metadata."""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet

from hub.config import get_settings
from tests.factories.auth import bearer, make_client, make_organisation


class TestJWKS:
    def test_serves_the_public_key_that_verifies_access_tokens(self, client, session):
        response = client.get("/.well-known/jwks.json")
        assert response.status_code == 200
        keys = response.json()["keys"]
        assert len(keys) == 1
        assert keys[0]["kty"] == "EC" and keys[0]["crv"] == "P-256" and keys[0]["alg"] == "ES256"
        assert keys[0]["kid"] and "d" not in keys[0]

        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        access_token = headers["Authorization"].removeprefix("Bearer ")
        token = jwt.decode(access_token, KeySet.import_key_set(response.json()), algorithms=["ES256"])
        assert token.header["kid"] == keys[0]["kid"]


class TestMetadata:
    def test_serves_rfc8414_metadata(self, client):
        response = client.get("/.well-known/oauth-authorization-server")
        assert response.status_code == 200
        metadata = response.json()
        issuer = get_settings().issuer
        assert metadata["issuer"] == issuer
        assert metadata["token_endpoint"] == issuer + "/oauth/token"
        assert metadata["jwks_uri"] == issuer + "/.well-known/jwks.json"
        assert metadata["grant_types_supported"] == ["client_credentials", "authorization_code"]
        # "none" is the hub's own pages (a public client bound by PKCE); machine clients authenticate.
        assert set(metadata["token_endpoint_auth_methods_supported"]) == {
            "client_secret_basic", "client_secret_post", "private_key_jwt", "none"
        }
        assert metadata["authorization_endpoint"] == issuer + "/oauth/authorize"
        assert "ES256" in metadata["token_endpoint_auth_signing_alg_values_supported"]
        assert "reports:read" in metadata["scopes_supported"]
