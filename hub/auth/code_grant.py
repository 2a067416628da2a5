"""The authorisation code grant with PKCE (S256 only) and OpenID Connect, for people's sign-in.

A person proves who they are at the hub's authorisation endpoint (a local account's password,
and its one-time code if it has a second factor); the endpoint gives their browser a code, bound
to the client, its redirect URI, the PKCE challenge and the OpenID nonce, which the client redeems
once, within a minute, for an access token and an ID token signed with the hub key. The hub keeps
only the SHA-256 of a code; redeeming deletes it, so a replayed code finds nothing.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.hooks import hooked
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfo
from authlib.oidc.core.grants import OpenIDCode
from sqlmodel import Session, delete, select

from hub.auth.keys import SIGNING_ALGORITHM, signing_key
from hub.config import get_settings
from hub.models import AuthorizationCode, WebUser, utcnow

MAX_CODE_LENGTH = 200  # codes are 48 characters; anything longer is not one of them
ID_TOKEN_LIFETIME_S = 300  # the client reads it at once; it opens nothing by itself
PKCE_REQUIRED = "this hub needs PKCE: a code_challenge with code_challenge_method S256"


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class AccountHolder:
    """A person who has just proved who they are, as Authlib's grants see a user."""

    def __init__(self, user: WebUser):
        self.user = user

    def get_user_id(self) -> str:
        return self.user.id


class IssuedCode(AuthorizationCodeMixin):
    """Authlib's view of a stored, just-redeemed :class:`AuthorizationCode`."""

    def __init__(self, row: AuthorizationCode):
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope

    def get_nonce(self) -> str | None:
        return self.row.nonce

    def get_auth_time(self) -> int:
        return int(self.row.auth_time.timestamp())


class S256Challenge(CodeChallenge):
    """PKCE, required of every request, with S256 only: "plain" would hand the verifier to
    whoever sees the authorisation request."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError(PKCE_REQUIRED, redirect_uri=redirect_uri)
        super().validate_code_challenge(grant, redirect_uri)


class IdTokens(OpenIDCode):
    """OpenID Connect on the code grant: an ES256 ID token by the hub key, with the nonce."""

    def __init__(self, session: Session):
        super().__init__(require_nonce=True)
        self.session = session

    def resolve_client_private_key(self, client):
        return signing_key()

    def get_client_algorithm(self, client) -> str:
        return SIGNING_ALGORITHM

    def get_encode_header(self, client) -> dict:
        return {"alg": SIGNING_ALGORITHM, "kid": signing_key().kid, "typ": "JWT"}

    def get_client_claims(self, client) -> dict:
        now = int(time.time())
        return {"iss": get_settings().issuer, "aud": [client.get_client_id()], "iat": now,
                "exp": now + ID_TOKEN_LIFETIME_S}

    def exists_nonce(self, nonce: str, request) -> bool:
        # A nonce is the client's one-time value: a second request with it is a replay.
        return self.session.exec(select(AuthorizationCode.code_hash).where(
            AuthorizationCode.client_id == request.payload.client_id, AuthorizationCode.nonce == nonce)).first() is not None

    def generate_user_info(self, holder: AccountHolder, scope: str) -> UserInfo:
        info = UserInfo(sub=holder.user.id)
        if "profile" in scope.split():
            info["preferred_username"] = holder.user.username
        return info


class CodeGrant(AuthorizationCodeGrant):
    """The code grant over the hub's table of codes; public clients only (PKCE binds the flow)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

    @property
    def session(self) -> Session:
        return self.server.session

    def save_authorization_code(self, code: str, request) -> None:
        data = request.payload.data
        self.session.add(AuthorizationCode(
            code_hash=code_digest(code), client_id=request.client.get_client_id(), user_id=request.user.user.id,
            redirect_uri=request.payload.redirect_uri or request.client.get_default_redirect_uri(),
            scope=request.scope, nonce=data.get("nonce"), code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"], auth_time=utcnow(),
            expires_at=utcnow() + timedelta(seconds=get_settings().authorization_code_lifetime_s)))
        self.session.flush()

    def query_authorization_code(self, code: str, client) -> IssuedCode | None:
        """The code's row, deleted as it is read: a code is redeemed once, whatever happens next
        (a wrong verifier burns it too), and of two concurrent redemptions only one deletes it."""
        if len(code) > MAX_CODE_LENGTH or not code.isprintable():
            return None
        self.session.exec(delete(AuthorizationCode).where(AuthorizationCode.expires_at < utcnow()))
        row = self.session.get(AuthorizationCode, code_digest(code))
        if row is None or row.client_id != client.get_client_id():
            return None
        deleted = self.session.exec(delete(AuthorizationCode).where(AuthorizationCode.code_hash == row.code_hash))
        if deleted.rowcount != 1:
            return None
        return IssuedCode(row)

    def delete_authorization_code(self, authorization_code: IssuedCode) -> None:
        return None  # deleted when it was read

    def authenticate_user(self, authorization_code: IssuedCode) -> AccountHolder | None:
        user = self.session.get(WebUser, authorization_code.row.user_id)
        return AccountHolder(user) if user is not None else None

    @hooked
    def create_token_response(self):
        # Authlib's own version logs the issued token at DEBUG: a token must never reach a log.
        authorization_code = self.request.authorization_code
        user = self.authenticate_user(authorization_code)
        if user is None:
            raise InvalidGrantError("the account of this code no longer exists")
        self.request.user = user
        token = self.generate_token(user=user, scope=authorization_code.get_scope(), include_refresh_token=False)
        return 200, token, self.TOKEN_RESPONSE_HEADER
