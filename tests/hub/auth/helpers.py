"""Signing helpers for the OAuth tests: client assertions and hand-made access tokens."""

from __future__ import annotations

import secrets
import time

from joserfc import jwt
from joserfc.jwk import ECKey

from hub.auth.clients import token_endpoint
from hub.auth.keys import public_key, signing_key_set

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def client_assertion(private_jwk: dict, client_id: str, *, lifetime_s: int = 120) -> str:
    """A ``private_key_jwt`` assertion as RFC 7523 describes it."""
    key = ECKey.import_key(private_jwk)
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_endpoint(),
        "iat": now,
        "exp": now + lifetime_s,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key)


def assertion_form(private_jwk: dict, client_id: str, **options) -> dict:
    return {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(private_jwk, client_id, **options),
    }


def resign(access_token: str, *, key=None, header: dict | None = None, **claims) -> str:
    """``access_token`` with some claims or header fields changed, signed by ``key`` (default the hub's)."""
    original = jwt.decode(access_token, public_key())
    return jwt.encode(
        {**original.header, **(header or {})},
        {**original.claims, **claims},
        key or signing_key_set(),
    )


def stranger_key() -> ECKey:
    """A P-256 key that is not the hub's (a forger keeps the hub's ``kid`` in the header)."""
    return ECKey.generate_key("P-256", private=True)
