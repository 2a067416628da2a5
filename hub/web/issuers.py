"""The issuers people sign in at: the hub's own OpenID Connect server, or the operator's.

The pages are an OpenID Connect client (relying party) of one issuer. By default it is the hub's
own authorisation server, over the local accounts; with ``HUB_OIDC_ISSUER`` set, it is that
issuer (Keycloak, Entra ID, Google Workspace), found through its discovery document. Either way
the flow is the same: the authorisation code grant with PKCE (S256), a ``state`` that binds the
answer to the browser that asked, and a ``nonce`` that binds the ID token to it; the ID token's
signature, issuer, audience, expiry and nonce are checked before anyone is signed in.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session
from starlette.datastructures import Headers

from hub.auth.clients import token_endpoint
from hub.auth.keys import SIGNING_ALGORITHM, token_key_set
from hub.auth.pages_client import PAGES_CLIENT_ID, PAGES_SCOPES, pages_redirect_uri
from hub.auth.server import TokenRequest, create_token_response
from hub.config import Settings, get_settings

LEEWAY_S = 30
# What an external issuer may sign ID tokens with (Keycloak, Entra ID and Google use RS256); never
# "none" nor a shared-secret algorithm, whatever its discovery document says.
EXTERNAL_ALGORITHMS = ("RS256", "PS256", "ES256")
HTTP_TIMEOUT_S = 10
DISCOVERY_CACHE_S = 3600
MAX_SUBJECT = 255  # OpenID Connect Core 2: a sub is at most 255 ASCII characters


class SignInFailed(Exception):
    """The issuer's answer cannot sign anyone in; ``reason`` is a short code, never what was sent."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignInStart:
    """What the browser holds while it signs in (in an HttpOnly cookie): the three one-time
    values of the flow and the page to return to."""

    state: str
    nonce: str
    code_verifier: str
    next_page: str

    def code_challenge(self) -> str:
        return create_s256_code_challenge(self.code_verifier)

    def authorization_url(self, endpoint: str, client_id: str, redirect_uri: str, scope: str) -> str:
        return add_params_to_uri(endpoint, [
            ("response_type", "code"), ("client_id", client_id), ("redirect_uri", redirect_uri), ("scope", scope),
            ("state", self.state), ("nonce", self.nonce), ("code_challenge", self.code_challenge()),
            ("code_challenge_method", "S256")])


class OwnIssuer:
    """The hub's own authorisation server, reached in-process (no HTTP to itself)."""

    def __init__(self, settings: Settings):
        self.issuer = settings.issuer
        self.client_id = PAGES_CLIENT_ID
        self.redirect_uri = pages_redirect_uri(settings.issuer)
        self.algorithms = (SIGNING_ALGORITHM,)
        self.external = False

    def authorization_url(self, start: SignInStart) -> str:
        # A path of the hub: the browser stays on the address it is using.
        return start.authorization_url("/oauth/authorize", self.client_id, self.redirect_uri, " ".join(PAGES_SCOPES))

    def redeem(self, session: Session, code: str, code_verifier: str) -> dict:
        form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", self.redirect_uri),
                ("client_id", self.client_id), ("code_verifier", code_verifier)]
        response = create_token_response(session, TokenRequest("POST", token_endpoint(), Headers(), form))
        body = json.loads(response.body)
        if response.status_code != 200:
            raise SignInFailed(body.get("error") if body.get("error") == "invalid_grant" else "token_refused")
        return body

    def keys(self, kid: str | None) -> KeySet:
        # The keys the hub's tokens may be signed with, as for access tokens (the ring's active keys).
        return token_key_set()


@dataclass(frozen=True)
class Discovery:
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


class ExternalIssuer:
    """An OpenID Connect issuer the operator configured, reached over HTTPS (Authlib's httpx client)."""

    def __init__(self, settings: Settings):
        self.issuer = settings.oidc_issuer
        self.client_id = settings.oidc_client_id
        self.redirect_uri = pages_redirect_uri(settings.issuer)
        self.algorithms = EXTERNAL_ALGORITHMS
        self.external = True
        self._settings = settings

    def authorization_url(self, start: SignInStart) -> str:
        return start.authorization_url(discover(self.issuer).authorization_endpoint, self.client_id,
                                       self.redirect_uri, self._settings.oidc_scope)

    def redeem(self, session: Session, code: str, code_verifier: str) -> dict:
        """The issuer's token response to the code (RFC 6749 4.1.3, with the PKCE verifier)."""
        secret = self._settings.oidc_client_secret.get_secret_value()
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri,
                "code_verifier": code_verifier}
        auth = None
        if self._settings.oidc_token_auth_method == "client_secret_basic":
            # RFC 6749 2.3.1: the id and secret are form-encoded before they go into Basic.
            auth = httpx.BasicAuth(quote(self.client_id, safe=""), quote(secret, safe=""))
        else:
            form |= {"client_id": self.client_id, "client_secret": secret}
        try:
            response = httpx.post(discover(self.issuer).token_endpoint, data=form, auth=auth, timeout=HTTP_TIMEOUT_S,
                                  headers={"Accept": "application/json"}, follow_redirects=False)
            body = response.json()
        except (httpx.HTTPError, ValueError):
            raise SignInFailed("issuer_unreachable") from None
        if response.status_code != 200 or not isinstance(body, dict):
            error = body.get("error") if isinstance(body, dict) else None
            raise SignInFailed("invalid_grant" if error == "invalid_grant" else "token_refused")
        return body

    def keys(self, kid: str | None) -> KeySet:
        return issuer_keys(discover(self.issuer).jwks_uri, kid)


def current_issuer() -> OwnIssuer | ExternalIssuer:
    settings = get_settings()
    return ExternalIssuer(settings) if settings.oidc_issuer else OwnIssuer(settings)


_lock = threading.Lock()
_discovered: dict[str, tuple[float, Discovery]] = {}
_key_sets: dict[str, tuple[float, KeySet]] = {}


def discover(issuer: str) -> Discovery:
    """The issuer's endpoints, from its discovery document (kept for an hour).

    :raises SignInFailed: unreachable, or a document for another issuer.
    """
    with _lock:
        cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_CACHE_S:
        return cached[1]
    document = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    # OpenID Connect Discovery 4.3: the document must name exactly the issuer asked about.
    if document.get("issuer") != issuer:
        raise SignInFailed("issuer_mismatch")
    try:
        found = Discovery(document["authorization_endpoint"], document["token_endpoint"], document["jwks_uri"])
    except KeyError:
        raise SignInFailed("issuer_incomplete") from None
    with _lock:
        _discovered[issuer] = (time.monotonic(), found)
    return found


def issuer_keys(jwks_uri: str, kid: str | None) -> KeySet:
    """The issuer's public keys; fetched again when a token names a key not yet seen (rotation)."""
    with _lock:
        cached = _key_sets.get(jwks_uri)
    if cached and time.monotonic() - cached[0] < DISCOVERY_CACHE_S and (kid is None or _has_kid(cached[1], kid)):
        return cached[1]
    try:
        keys = KeySet.import_key_set(_get_json(jwks_uri))
    except (JoseError, ValueError, TypeError, KeyError):
        raise SignInFailed("issuer_keys_unusable") from None
    with _lock:
        _key_sets[jwks_uri] = (time.monotonic(), keys)
    return keys


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(key.kid == kid for key in keys.keys)


def _get_json(url: str) -> dict:
    try:
        response = httpx.get(url, timeout=HTTP_TIMEOUT_S, follow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError):
        raise SignInFailed("issuer_unreachable") from None
    if not isinstance(document, dict):
        raise SignInFailed("issuer_incomplete")
    return document


def verify_id_token(issuer: OwnIssuer | ExternalIssuer, id_token: str, nonce: str) -> dict:
    """The ID token's claims, once its signature (by the issuer's key, with an algorithm allowed
    here), issuer, audience, authorised party, expiry and nonce are right.

    :raises SignInFailed: with a code saying which check failed.
    """
    try:
        header = json.loads(base64.urlsafe_b64decode(id_token.split(".")[0] + "==="))
        kid = header.get("kid") if isinstance(header, dict) else None
        token = jwt.decode(id_token, issuer.keys(kid if isinstance(kid, str) else None),
                           algorithms=list(issuer.algorithms))
    except SignInFailed:
        raise
    except (JoseError, ValueError, TypeError, IndexError, UnicodeDecodeError):
        raise SignInFailed("id_token_signature") from None
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_S,
        iss={"essential": True, "value": issuer.issuer},
        aud={"essential": True, "value": issuer.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError:
        raise SignInFailed("id_token_expired") from None
    except ClaimError as error:
        raise SignInFailed(f"id_token_{error.claim}") from None
    claims = token.claims
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # OpenID Connect Core 3.1.3.7: with several audiences, the token must say it was issued to us.
    if len(audiences) > 1 and claims.get("azp") != issuer.client_id:
        raise SignInFailed("id_token_azp")
    if not isinstance(claims["sub"], str) or not 0 < len(claims["sub"]) <= MAX_SUBJECT:
        raise SignInFailed("id_token_sub")
    return claims

