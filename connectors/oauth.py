"""Access tokens for the connector: the partner's side of the hub's client credentials grant.

A client authenticates with its secret (HTTP Basic) or, better, with a private key that never
leaves the partner's machine (``private_key_jwt``: a fresh short-lived signed assertion per
request). Nothing here imports the hub.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey, import_key

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_S = 120
# Renew this long before expiry, so a token does not lapse between check and use.
EXPIRY_MARGIN_S = 30


class TokenError(Exception):
    """The hub refused to issue a token; the message carries its OAuth error, never a credential.

    ``oauth_error`` is the OAuth error code (``invalid_client``, ``invalid_scope`` ...), if any."""

    def __init__(self, message: str, oauth_error: str | None = None):
        super().__init__(message)
        self.oauth_error = oauth_error


class TokenSource:
    """Fetches access tokens for one client and reuses each until shortly before it expires.

    Give either ``client_secret`` or ``private_jwk`` (a private JWK as a dict). Thread-safe.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        private_jwk: dict | None = None,
        *,
        scope: str | None = None,
        clock: Callable[[], float] = time.time,
    ):
        if (client_secret is None) == (private_jwk is None):
            raise ValueError("give exactly one of client_secret and private_jwk")
        self.token_url = token_url
        self.client_id = client_id
        self.scope = scope
        self._client_secret = client_secret
        self._private_key = _private_key(private_jwk) if private_jwk is not None else None
        self._clock = clock
        self._lock = threading.Lock()
        self._access_token: str | None = None
        self._renew_at = 0.0

    def __repr__(self) -> str:
        # The default repr would show nothing secret, but be explicit: never the secret or the token.
        return f"TokenSource({self.token_url!r}, {self.client_id!r})"

    def token(self, http: httpx.Client) -> str:
        """A valid access token, fetched from the hub only when the cached one is about to expire.

        :raises TokenError: the hub refused (wrong credentials, revoked client, scope not registered).
        """
        with self._lock:
            if self._access_token is None or self._clock() >= self._renew_at:
                self._fetch(http)
            return self._access_token

    def invalidate(self) -> None:
        """Forget the cached token (say, after the hub answered 401 to it)."""
        with self._lock:
            self._access_token = None

    def _fetch(self, http: httpx.Client) -> None:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        auth = None
        if self._private_key is not None:
            form.update(client_id=self.client_id, client_assertion_type=ASSERTION_TYPE)
            form["client_assertion"] = self._client_assertion()
        else:
            auth = httpx.BasicAuth(self.client_id, self._client_secret)
        requested_at = self._clock()
        response = http.post(self.token_url, data=form, auth=auth)
        if response.status_code != 200:
            raise TokenError(*_describe_refusal(response))
        body = response.json()
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise TokenError("the hub's token answer has no access_token")
        self._access_token = body["access_token"]
        lifetime = float(body.get("expires_in", 60))
        self._renew_at = requested_at + max(lifetime - EXPIRY_MARGIN_S, 0)

    def _client_assertion(self) -> str:
        now = int(self._clock())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_url,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_S,
            # The hub accepts each jti once: a captured assertion cannot be replayed.
            "jti": secrets.token_urlsafe(24),
        }
        header = {"alg": _algorithm(self._private_key), "kid": self._private_key.kid}
        return jwt.encode(header, claims, self._private_key)


def load_private_jwk(path: str | Path) -> dict:
    """Read the client's private JWK (JSON) from ``path``.

    :raises ValueError: the file does not hold a private EC or RSA key.
    """
    path = Path(path)
    # Like ssh with its keys: a key others can read may already be someone else's.
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"{path} is open to other users; chmod 600 it")
    private_jwk = json.loads(path.read_text())
    _private_key(private_jwk)
    return private_jwk


def generate_client_keypair() -> tuple[dict, dict]:
    """A new EC P-256 key pair for ``private_key_jwt``: (private JWK, public JWK), sharing a ``kid``.

    Keep the private one on the partner's machine; register the public one with the hub.
    """
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    return key.as_dict(private=True), key.as_dict(private=False)


def _private_key(private_jwk: dict) -> ECKey | RSAKey:
    key = import_key(private_jwk)
    usable = isinstance(key, RSAKey) or (isinstance(key, ECKey) and key.get("crv") == "P-256")
    if not usable or not key.is_private:
        raise ValueError("the client key must be a private EC P-256 or RSA JWK")
    key.ensure_kid()
    return key


def _algorithm(key: ECKey | RSAKey) -> str:
    return "ES256" if isinstance(key, ECKey) else "RS256"


def _describe_refusal(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except ValueError:
        body = None
    code = None
    if isinstance(body, dict) and "error" in body:
        code = str(body["error"])
        reason = f"{code}: {body.get('error_description', '')}".rstrip(": ")
    else:
        reason = "no OAuth error body"
    return f"the hub refused a token ({response.status_code} {reason})", code
