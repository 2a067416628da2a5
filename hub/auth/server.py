"""The hub as OAuth 2 authorisation server: Authlib's framework-neutral core adapted to our models.

Machine clients use the client credentials grant and authenticate with a secret
(``client_secret_basic`` or ``client_secret_post``) or a signed assertion (``private_key_jwt``,
RFC 7523). Access tokens are RFC 9068 JWTs signed with the hub key; nothing about them is stored.
Authlib is synchronous: the router calls :func:`create_token_response` in a worker thread.
"""

from __future__ import annotations

import functools
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.errors import (
    InsecureTransportError,
    InvalidClientError,
    InvalidRequestError,
    InvalidScopeError,
)
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import import_key
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response

from hub.audit import AuditEvent, record
from hub.auth.clients import SCOPES, hash_client_secret, token_endpoint, verify_client_secret
from hub.auth.code_grant import CodeGrant, IdTokens, S256Challenge
from hub.auth.keys import SIGNING_ALGORITHM, signing_key_set
from hub.auth.pages_client import PAGES_CLIENT_ID, PAGES_SCOPES, PagesClient
from hub.config import get_settings
from hub.models import ClientAssertion, OAuthClient, utcnow

SECRET_METHODS = ("client_secret_basic", "client_secret_post")
KEY_METHOD = "private_key_jwt"
AUTH_METHODS = (*SECRET_METHODS, KEY_METHOD)
# Algorithms a client may sign its assertions with (the key types clients.checked_public_jwk accepts).
ASSERTION_ALGORITHMS = ("ES256", "RS256", "PS256")
# An assertion is a one-time proof, so its jti is kept until it expires: bound how long that is.
MAX_ASSERTION_LIFETIME = timedelta(hours=1)
MAX_CLIENT_ID_LENGTH, MAX_JTI_LENGTH = 64, 200  # the columns' lengths
# Clock skew allowed on an assertion's exp and nbf: an assertion is accepted until exp + this.
ASSERTION_LEEWAY_S = 30
TOO_LONG_LIVED = "the client assertion must expire within an hour; 5 minutes is usual"
REPLAYED = "this client assertion was already used; sign a new one, with a fresh jti, for each request"
ASSERTION_REFUSED = "the client assertion does not verify"


@functools.cache
def _unguessable_secret_hash() -> str:
    """The hash of a secret no one knows: what a wrong guess is checked against when there is no
    real hash to check (an unknown client id, a key client), so that it costs the same scrypt."""
    return hash_client_secret(secrets.token_urlsafe(32))


def unknown_client(client_id: str) -> OAuthClient:
    """A stand-in for a client id the hub does not know: it fails every check the way a client
    with a wrong secret does, in the same time and with the same answer, so that answers do not
    tell which client ids exist. It is never stored."""
    return OAuthClient(client_id=client_id[:MAX_CLIENT_ID_LENGTH], organisation_id="", scopes="",
                       secret_hash=_unguessable_secret_hash())


@dataclass(frozen=True)
class TokenRequest:
    """What an endpoint of the authorisation server read from the HTTP request (the token
    endpoint's form, the authorisation endpoint's query), handed to Authlib."""

    method: str
    uri: str
    headers: Headers
    form: Sequence[tuple[str, str]]


class HubClient(ClientMixin):
    """Authlib's view of an :class:`OAuthClient` row."""

    def __init__(self, row: OAuthClient):
        self.row = row
        self.scopes = scope_to_list(row.scopes) or []

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"

    def get_allowed_scope(self, scope: str | None) -> str:
        # Asking for no scope means asking for every scope the client was registered with.
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in self.scopes if s in scope_to_list(scope))

    def check_client_secret(self, client_secret: str) -> bool:
        # Always one scrypt check, whether or not the client exists or has a secret (timing).
        matches = verify_client_secret(client_secret, self.row.secret_hash or _unguessable_secret_hash())
        return matches and self.row.secret_hash is not None and self.row.organisation_id != ""

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        # A key client has no secret and a secret client has no key: each has one way in.
        if self.row.public_jwk is not None:
            return method == KEY_METHOD
        return method in SECRET_METHODS


class FormPayload(OAuth2Payload):
    """The form parameters of a token request, first value of each, with all values kept."""

    def __init__(self, form: Sequence[tuple[str, str]]):
        self._datalist: dict[str, list[str]] = {}
        for name, value in form:
            self._datalist.setdefault(name, []).append(value)
        self._data = {name: values[0] for name, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> dict[str, list[str]]:
        return self._datalist


class HubRequest(OAuth2Request):
    """An OAuth 2 request with the ``form`` that Authlib's client authentication reads."""

    def __init__(self, token_request: TokenRequest):
        super().__init__(token_request.method, token_request.uri, headers=token_request.headers)
        self.payload = FormPayload(token_request.form)

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data


class PrivateKeyJWT(JWTBearerClientAssertion):
    """``private_key_jwt``: the client signs an assertion with its key; each one is accepted once."""

    CLIENT_AUTH_METHOD = KEY_METHOD

    def __init__(self, session: Session):
        super().__init__(validate_jti=True, leeway=ASSERTION_LEEWAY_S)
        self.session = session

    def get_audiences(self) -> list[str]:
        # RFC 7523 names the token endpoint; RFC 7521 also allows the issuer identifier.
        return [token_endpoint(), get_settings().issuer]

    def resolve_client_public_key(self, client: HubClient):
        if client.row.public_jwk is None:
            # Said as for a bad signature: the answer must not tell a secret client from an unknown id.
            raise InvalidClientError(description=ASSERTION_REFUSED)
        return import_key(json.loads(client.row.public_jwk))

    def process_assertion_claims(self, assertion: str, resolve_key):
        # Pin the algorithms: a key of the right type is not enough to trust any ``alg`` header.
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=list(ASSERTION_ALGORITHMS))
        except JoseError:
            raise InvalidClientError(description=ASSERTION_REFUSED) from None
        self.verify_claims(token.claims)
        return token.claims

    def validate_jti(self, claims: dict, jti: str) -> bool:
        # Compare as numbers first: an absurd ``exp`` must not reach datetime arithmetic.
        if claims["exp"] - time.time() > MAX_ASSERTION_LIFETIME.total_seconds():
            raise InvalidClientError(description=TOO_LONG_LIVED)
        client_id, jti = claims["sub"], str(jti)
        if len(jti) > MAX_JTI_LENGTH or not jti.isprintable():
            raise InvalidClientError(description=f"the jti must be printable, at most {MAX_JTI_LENGTH} long")
        # Kept as long as the claims could be accepted, leeway included: deleted at exp, it let an
        # assertion be replayed for the whole leeway after it expired.
        expires_at = datetime.fromtimestamp(claims["exp"] + ASSERTION_LEEWAY_S, UTC)
        # Opportunistic clean-up: a row is needed only while its assertion could still be replayed.
        self.session.exec(delete(ClientAssertion).where(ClientAssertion.expires_at < utcnow()))
        if self.session.get(ClientAssertion, (client_id, jti)) is not None:
            raise InvalidClientError(description=REPLAYED)
        try:
            # A savepoint, so that losing a race against a concurrent replay leaves the session usable.
            with self.session.begin_nested():
                self.session.add(ClientAssertion(client_id=client_id, jti=jti, expires_at=expires_at))
        except IntegrityError:
            raise InvalidClientError(description=REPLAYED) from None
        return True


class ClientCredentials(ClientCredentialsGrant):
    """The client credentials grant, refusing revoked clients and scopes beyond the registered ones."""

    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)

    def validate_token_request(self) -> None:
        repeated = [name for name, values in self.request.payload.datalist.items() if len(values) > 1]
        if repeated:
            # Named only if harmless: an OAuth error description allows a narrow set of characters.
            names = ", ".join(sorted(n for n in repeated if n.isascii() and n.isidentifier())) or "some"
            raise InvalidRequestError(f"each parameter may appear once; repeated: {names}")
        client = self.authenticate_token_endpoint_client()
        if client.row.revoked_at is not None:
            raise InvalidClientError(
                description="this client was revoked; ask the data steward for a new one", status_code=401
            )
        self.request.client = client
        self.validate_requested_scope()

    def create_token_response(self):
        # Authlib's own version logs the issued token at DEBUG: a token must never reach a log.
        token = self.generate_token(scope=self.request.payload.scope, include_refresh_token=False)
        return 200, token, self.TOKEN_RESPONSE_HEADER

    def validate_requested_scope(self) -> None:
        requested = set(scope_to_list(self.request.payload.scope) or [])
        beyond = requested - set(self.client.scopes)
        if beyond:
            # Scopes the hub does not know are not echoed: they could hold characters an error may not.
            known = " ".join(scope for scope in SCOPES if scope in beyond)
            raise InvalidScopeError(
                f"this client may ask only for: {' '.join(self.client.scopes)}"
                + (f"; not registered for it: {known}" if known else "; the others are unknown")
            )


class AccessTokenGenerator(JWTBearerTokenGenerator):
    """RFC 9068 access tokens for the hub itself: audience the issuer, with the organisation."""

    def get_jwks(self):
        return signing_key_set()

    def get_audiences(self, client: HubClient, user, scope) -> str:
        # The default (the client id) would name the client as audience; the hub is the resource server.
        return self.issuer

    def get_extra_claims(self, client, grant_type, user, scope) -> dict:
        # A person's token (the code grant) is of their organisation; a machine client's, of its own.
        if user is not None:
            return {"org": user.user.organisation_id}
        return {"org": client.row.organisation_id}


class HubAuthorizationServer(AuthorizationServer):
    """One request's authorisation server, bound to that request's database session."""

    def __init__(self, session: Session):
        super().__init__(scopes_supported=[*SCOPES, *PAGES_SCOPES])
        settings = get_settings()
        self.session = session
        self.known_client: OAuthClient | None = None  # the registered client the request named, if any
        self.register_grant(ClientCredentials)
        self.register_grant(CodeGrant, [S256Challenge(required=True), IdTokens(session)])
        self.register_client_auth_method(KEY_METHOD, PrivateKeyJWT(session))
        generator = AccessTokenGenerator(
            issuer=settings.issuer, alg=SIGNING_ALGORITHM, expires_generator=settings.access_token_lifetime_s
        )
        self.register_token_generator("default", generator)

    def query_client(self, client_id: str) -> HubClient | PagesClient:
        """The client, or a stand-in that fails like a wrong secret (:func:`unknown_client`)."""
        if client_id == PAGES_CLIENT_ID:
            return PagesClient(get_settings().issuer)
        # Refuse before the database does: PostgreSQL rejects a NUL with an error, not a miss.
        if len(client_id) > MAX_CLIENT_ID_LENGTH or not client_id.isprintable():
            return HubClient(unknown_client(""))
        row = self.session.get(OAuthClient, client_id)
        if row is not None:
            self.known_client = row
        return HubClient(row if row is not None else unknown_client(client_id))

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        # Access tokens are self-contained JWTs and there are no refresh tokens: nothing to keep.
        return None

    def create_oauth2_request(self, request: TokenRequest) -> HubRequest:
        return HubRequest(request)

    def handle_response(self, status: int, body, headers) -> Response:
        if status == 302:  # the authorisation endpoint sends the browser back to the client
            return Response(status_code=302, headers=dict(headers))
        return JSONResponse(body, status_code=status, headers=dict(headers))

    def send_signal(self, name: str, *args, **kwargs) -> None:
        return None


def authorization_grant(session: Session, authorization_request: TokenRequest):
    """The server and the validated grant of an authorisation request (client, redirect URI,
    response type, scope, PKCE challenge, nonce).

    :raises OAuth2Error: the request is not one the hub grants; ``redirect_uri`` is set once the
        client and its redirect URI were found good, so that the error can go back to the client.
    """
    server = HubAuthorizationServer(session)
    return server, server.get_consent_grant(authorization_request)


def create_token_response(session: Session, token_request: TokenRequest) -> JSONResponse:
    """Answer a token request (blocking: database and scrypt); errors are RFC 6749 bodies."""
    server = HubAuthorizationServer(session)
    try:
        response = server.create_token_response(token_request)
    except InsecureTransportError as error:
        # Authlib checks the URI before its own error handling: HUB_ISSUER is http on a public host.
        response = server.handle_error_response(None, error)
    _audit_token_request(session, server.known_client, response)
    return response


# OAuth error codes (RFC 6749, 5.2) kept as the reason of a failed sign-in; anything else is "other".
_OAUTH_ERRORS = frozenset({"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                           "unsupported_grant_type", "invalid_scope"})


def _audit_token_request(session: Session, client: OAuthClient | None, response: JSONResponse) -> None:
    """A token issued, or a sign-in that failed. A client id is kept only if it is registered: what
    an unknown caller typed as its id could be anything, a name included."""
    body = json.loads(response.body)
    actor = client.client_id if client is not None else None
    organisation_id = client.organisation_id if client is not None else None
    if response.status_code == 200:
        record(session, AuditEvent.token_issued, actor=actor, organisation_id=organisation_id,
               scopes=scope_to_list(body.get("scope")) or [])
        return
    reason = body.get("error") if body.get("error") in _OAUTH_ERRORS else "other"
    record(session, AuditEvent.sign_in_failed, actor=actor, organisation_id=organisation_id, reason=reason)
