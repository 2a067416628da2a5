"""Factories for OAuth: organisations, registered clients, and real bearer tokens."""

from __future__ import annotations

import secrets

from connectors.oauth import TokenSource
from hub.auth.clients import create_client, token_endpoint
from hub.models import Organisation


def make_organisation(session, name: str | None = None, type: str = "ngo") -> Organisation:
    organisation = Organisation(name=name or f"Organisation {secrets.token_hex(4)}", type=type)
    session.add(organisation)
    session.flush()
    return organisation


def make_client(session, organisation: Organisation, scopes, public_jwk: dict | None = None) -> dict:
    """Register a client; its credentials as ``hub clients create`` prints them.

    For a key client, add its ``private_jwk`` to the returned dict before calling :func:`bearer`.
    """
    return create_client(session, organisation, list(scopes), public_jwk=public_jwk)


def bearer(client, credentials: dict, scope: str | None = None) -> dict:
    """Headers with a real access token from ``/oauth/token``, got as the connector gets it."""
    source = TokenSource(
        token_endpoint(),
        credentials["client_id"],
        client_secret=credentials.get("client_secret"),
        private_jwk=credentials.get("private_jwk"),
        scope=scope,
    )
    return {"Authorization": f"Bearer {source.token(client)}"}
