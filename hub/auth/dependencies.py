"""Who is calling: the verified access token as a ``Caller``, and scope requirements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from sqlmodel import select

from hub.auth.keys import SIGNING_ALGORITHM, token_key_set
from hub.auth.scopes import Scope
from hub.config import get_settings
from hub.db import SessionDep
from hub.errors import Forbidden, Unauthorized
from hub.models import OAuthClient
from hub.ratelimit.limiter import rate_limiter, source_address

ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")
# Clock skew between the hub's workers (and a proxy that holds requests) is seconds, not minutes.
LEEWAY_S = 30
GET_A_TOKEN = "ask /oauth/token for a new one"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    client_id: str
    organisation_id: str
    scopes: frozenset[str]


def current_caller(request: Request, session: SessionDep) -> Caller:
    """The caller named by a valid bearer access token whose client still exists and is not revoked.

    A write (any method but GET, HEAD and OPTIONS) counts against the rate limits of its client and
    its source address, before the session is first used (the counter is its own transaction).

    :raises Unauthorized: no token, or one that is malformed, forged, expired or not for this hub.
    :raises TooManyRequests: a write past its client's or its address's limit.
    """
    claims = verify_access_token(bearer_token(request))
    if request.method not in READING_METHODS:
        rate_limiter(request).check("write", client_id=claims["client_id"], address=source_address(request))
    row = session.exec(
        select(OAuthClient.organisation_id, OAuthClient.scopes, OAuthClient.revoked_at).where(
            OAuthClient.client_id == claims["client_id"]
        )
    ).first()
    if row is None or row.organisation_id != claims["org"]:
        raise Unauthorized("the client of this access token no longer exists")
    if row.revoked_at is not None:
        raise Unauthorized("the client of this access token was revoked; ask the data steward for a new one")
    # A scope the steward has taken away since the token was issued is gone at once.
    scopes = frozenset(claims["scope"].split()) & frozenset(row.scopes.split())
    return Caller(client_id=claims["client_id"], organisation_id=row.organisation_id, scopes=scopes)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def RequireScope(*any_of: Scope):  # noqa: N802 - reads as a type in signatures
    """``caller: RequireScope(Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE)``: the authenticated
    caller, refused with 403 unless it holds at least one of ``any_of``.

    The check carries its scopes (``required_scopes``), so that tests can find every route's
    requirement from the application itself.
    """
    if not any_of:
        raise ValueError("RequireScope needs at least one scope; a route for any caller uses CurrentCaller")
    required = tuple(Scope(scope) for scope in any_of)
    needed = f"the scope {required[0]}" if len(required) == 1 else "one of the scopes " + ", ".join(required)

    def require_scope(caller: CurrentCaller) -> Caller:
        if not caller.scopes & set(required):
            raise Forbidden(f"this needs {needed}")
        return caller

    require_scope.required_scopes = frozenset(required)
    return Annotated[Caller, Depends(require_scope)]


def verify_access_token(access_token: str) -> dict:
    """The claims of an access token this hub issued, after checking signature, type, issuer,
    audience and expiry.

    :raises Unauthorized: with a sentence that tells the client what to do about it.
    """
    try:
        token = jwt.decode(access_token, token_key_set(), algorithms=[SIGNING_ALGORITHM])
    except InvalidKeyIdError:
        raise Unauthorized(f"the access token is not signed with a key this hub signs with; {GET_A_TOKEN}") from None
    except BadSignatureError:
        raise Unauthorized("the access token's signature does not verify: the hub did not issue it") from None
    except (JoseError, ValueError):
        raise Unauthorized(f"the access token is malformed; {GET_A_TOKEN}") from None
    # The hub key may sign other things one day; only an RFC 9068 access token opens the API.
    if str(token.header.get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
        raise Unauthorized(f"this is not an access token (its typ must be at+jwt); {GET_A_TOKEN}")
    issuer = get_settings().issuer
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_S,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": issuer},
        exp={"essential": True},
        client_id={"essential": True},
        org={"essential": True},
        scope={"essential": True},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError:
        raise Unauthorized(f"the access token has expired; {GET_A_TOKEN}") from None
    except ClaimError as error:
        raise Unauthorized(f"the access token's claim {error.claim} is missing or not for this hub") from None
    claims = token.claims
    if not all(isinstance(claims[name], str) for name in ("client_id", "org", "scope")):
        raise Unauthorized(f"the access token is malformed; {GET_A_TOKEN}")
    return claims


def bearer_token(request: Request) -> str:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("this needs an access token from /oauth/token in 'Authorization: Bearer <token>'")
    return credentials.strip()
