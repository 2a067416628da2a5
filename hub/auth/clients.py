"""Registering and revoking the OAuth clients of organisations, and checking client secrets.

A client authenticates either with a secret (kept here only as an scrypt hash) or by signing
assertions with a key of its own (``private_key_jwt``: the hub keeps the public JWK only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey, import_key
from sqlmodel import Session

from hub.audit import AuditEvent, record
from hub.auth.scopes import SCOPES
from hub.config import get_settings
from hub.errors import InvalidRequest, NotFound
from hub.models import OAuthClient, Organisation, utcnow


class ClientRejected(InvalidRequest, ValueError):
    """A client registration the hub refuses (a 422 in the API; a ValueError to the CLI)."""


class UnknownClient(NotFound, LookupError):
    """No client has this id (a 404 in the API; a LookupError to the CLI)."""


# scrypt cost: about 16 MiB and tens of milliseconds per check; paid once per token, not per call.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _SCRYPT_LENGTH = 2**14, 8, 1, 32
_MIN_RSA_BITS = 2048


def create_client(
    session: Session, organisation: Organisation, scopes: list[str], public_jwk: dict | None = None,
    *, actor: str = "cli",
) -> dict:
    """Register a client of ``organisation`` and return its credentials, to be shown once.

    Without ``public_jwk`` the client gets a random secret; with it, the client signs assertions
    with the matching private key and has no secret.

    :raises ClientRejected: an unknown or missing scope, or a JWK that is not a usable public key.
    """
    granted = _checked_scopes(scopes)
    client = OAuthClient(
        client_id="c_" + secrets.token_urlsafe(16),
        organisation_id=organisation.id,
        scopes=" ".join(granted),
    )
    client_secret = None
    if public_jwk is None:
        client_secret = secrets.token_urlsafe(32)
        client.secret_hash = hash_client_secret(client_secret)
    else:
        client.public_jwk = json.dumps(checked_public_jwk(public_jwk), sort_keys=True)
    session.add(client)
    session.flush()
    record(session, AuditEvent.client_created, actor=actor, organisation_id=organisation.id,
           subject=client.client_id, scopes=granted, auth_method="secret" if client_secret else "private_key_jwt")
    return {
        "client_id": client.client_id,
        "client_secret": client_secret,
        "organisation": organisation.name,
        "scopes": granted,
        "token_endpoint": token_endpoint(),
        "auth_method": "client_secret_basic" if client_secret else "private_key_jwt",
    }


def revoke_client(session: Session, client_id: str, *, actor: str = "cli") -> OAuthClient:
    """Revoke a client: it gets no new tokens, and its unexpired tokens stop working at once.

    :raises UnknownClient: no client has this id.
    """
    client = session.get(OAuthClient, client_id)
    if client is None:
        raise UnknownClient(f"there is no client {client_id}")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        session.add(client)
        session.flush()
        record(session, AuditEvent.client_revoked, actor=actor, organisation_id=client.organisation_id,
               subject=client.client_id)
    return client


def token_endpoint() -> str:
    """The public URL of the token endpoint (also the audience of client assertions)."""
    return get_settings().issuer.rstrip("/") + "/oauth/token"


def hash_client_secret(client_secret: str) -> str:
    """An scrypt hash of a client secret, self-describing: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(client_secret, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)])


def verify_client_secret(client_secret: str, secret_hash: str) -> bool:
    """Whether ``client_secret`` matches ``secret_hash``, compared in constant time."""
    try:
        name, n, r, p, salt, expected = secret_hash.split("$")
        if name != "scrypt":
            return False
        digest = _scrypt(client_secret, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def checked_public_jwk(public_jwk: dict) -> dict:
    """The public JWK as the hub stores it, after refusing keys it cannot or should not trust.

    :raises ClientRejected: not a JWK, a symmetric or private key, or a weak or unsupported one.
    """
    if not isinstance(public_jwk, dict):
        raise ClientRejected("the public key must be a JWK (a JSON object)")
    # Measured before importing, which would only warn about a short RSA key.
    if public_jwk.get("kty") == "RSA" and _rsa_bits(public_jwk) < _MIN_RSA_BITS:
        raise ClientRejected(f"an RSA key must have at least {_MIN_RSA_BITS} bits")
    try:
        key = import_key(public_jwk)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ClientRejected(f"the public key is not a valid JWK ({type(error).__name__})") from None
    if key.is_private:
        # The private half must never leave the partner's machine; refuse rather than strip it.
        raise ClientRejected("the JWK holds a private key; send its public half only")
    if isinstance(key, ECKey):
        if key.get("crv") != "P-256":
            raise ClientRejected("an EC key must be on the curve P-256 (ES256)")
    elif not isinstance(key, RSAKey):
        raise ClientRejected("the key must be an EC P-256 or an RSA public key")
    key.ensure_kid()
    return key.as_dict(private=False)


def _checked_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ClientRejected(f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    if not scopes:
        raise ClientRejected("a client needs at least one scope")
    return [scope for scope in SCOPES if scope in scopes]


def _rsa_bits(rsa_jwk: dict) -> int:
    try:
        return len(_unb64(str(rsa_jwk.get("n", "")))) * 8
    except ValueError:
        return 0


def _scrypt(client_secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        client_secret.encode(), salt=salt, n=n, r=r, p=p, dklen=_SCRYPT_LENGTH, maxmem=64 * 1024 * 1024
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
