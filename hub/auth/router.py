"""OAuth endpoints: token, JWKS, server metadata, OpenID Connect discovery and userinfo.

All public but userinfo (which takes a person's access token): they are how a client gets in. The
authorisation endpoint, a page where a person signs in, is ``hub.web.authorize``.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from hub.auth.clients import SCOPES, token_endpoint
from hub.auth.dependencies import bearer_token, verify_access_token
from hub.auth.keys import SIGNING_ALGORITHM, public_jwks
from hub.auth.pages_client import PAGES_CLIENT_ID, PAGES_SCOPES
from hub.auth.server import ASSERTION_ALGORITHMS, AUTH_METHODS, TokenRequest, create_token_response
from hub.config import get_settings
from hub.db import SessionDep
from hub.edge.openapi import ErrorBody
from hub.errors import Unauthorized
from hub.models import WebUser
from hub.ratelimit.limiter import RateLimiter, TooManyRequests, rate_limiter, source_address

router = APIRouter(tags=["oauth"])

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_TOKEN_REQUEST_BYTES = 16 * 1024  # a signed assertion is well under 2 KiB
# Public documents that change only when the key does: let clients cache them briefly.
CACHE_PUBLIC = {"Cache-Control": "public, max-age=300"}


@router.post(
    "/oauth/token",
    summary="Get an access token (client credentials; or authorisation code with PKCE, for the hub's pages)",
    max_body_size=MAX_TOKEN_REQUEST_BYTES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM_TYPE: {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials", "authorization_code"]},
                            "scope": {"type": "string", "description": "Space-separated; default all."},
                            "code": {"type": "string", "description": "authorization_code: the code."},
                            "redirect_uri": {"type": "string", "description": "authorization_code: as asked."},
                            "code_verifier": {"type": "string", "description": "authorization_code: PKCE."},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                            "client_assertion_type": {"type": "string"},
                            "client_assertion": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
async def token(request: Request, session: SessionDep) -> JSONResponse:
    """Issue a short-lived RFC 9068 access token; errors are RFC 6749 bodies (``error_description``)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        return _oauth_error(400, "invalid_request", f"send the parameters as {FORM_TYPE}")
    body = await _read_limited(request, MAX_TOKEN_REQUEST_BYTES)
    if body is None:
        return _oauth_error(413, "invalid_request", "the token request is too large")
    try:
        form = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        return _oauth_error(400, "invalid_request", "the form is not valid UTF-8 form encoding")
    token_request = TokenRequest(method="POST", uri=token_endpoint(), headers=request.headers, form=form)
    # Authlib is synchronous, and checking a secret is deliberately slow: keep the event loop free.
    return await run_in_threadpool(
        _limited_token_response, rate_limiter(request), source_address(request), session, token_request
    )


def _limited_token_response(limiter: RateLimiter, address: str | None, session, token_request: TokenRequest):
    # Counted before any secret is checked: the limit bounds the scrypt work a caller can cause.
    try:
        limiter.check("token", client_id=_claimed_client_id(token_request), address=address)
    except TooManyRequests as refusal:
        response = _oauth_error(429, "too_many_requests", refusal.detail)
        response.headers.update(refusal.headers)
        return response
    return create_token_response(session, token_request)


def _claimed_client_id(token_request: TokenRequest) -> str | None:
    """The client id the request claims (HTTP Basic, else the form), not yet verified."""
    scheme, _, credentials = token_request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            return unquote(base64.b64decode(credentials, validate=True).decode().partition(":")[0]) or None
        except (binascii.Error, UnicodeDecodeError):
            return None
    return next((value for name, value in token_request.form if name == "client_id"), None) or None


@router.get("/.well-known/jwks.json", summary="The hub's public signing keys")
def jwks() -> JSONResponse:
    """The keys that verify the hub's access tokens (RFC 7517)."""
    return JSONResponse(public_jwks(), headers=CACHE_PUBLIC)


def _server_metadata() -> dict:
    issuer = get_settings().issuer.rstrip("/")
    return {
        "issuer": get_settings().issuer,
        "authorization_endpoint": issuer + "/oauth/authorize",
        "token_endpoint": token_endpoint(),
        "userinfo_endpoint": issuer + "/oauth/userinfo",
        "jwks_uri": issuer + "/.well-known/jwks.json",
        "grant_types_supported": ["client_credentials", "authorization_code"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        # "none": the hub's pages are a public client, bound by PKCE; machine clients authenticate.
        "token_endpoint_auth_methods_supported": [*AUTH_METHODS, "none"],
        "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "scopes_supported": [*SCOPES, *PAGES_SCOPES],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [SIGNING_ALGORITHM],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "preferred_username"],
    }


@router.get("/.well-known/oauth-authorization-server", summary="Authorisation server metadata")
def metadata() -> JSONResponse:
    """What a client needs to know to get a token (RFC 8414)."""
    return JSONResponse(_server_metadata(), headers=CACHE_PUBLIC)


@router.get("/.well-known/openid-configuration", summary="OpenID Connect discovery")
def openid_configuration() -> JSONResponse:
    """The same metadata as an OpenID provider's configuration (OpenID Connect Discovery 1.0)."""
    return JSONResponse(_server_metadata(), headers=CACHE_PUBLIC)


@router.get("/oauth/userinfo", summary="Who a person's access token is for (OpenID Connect)",
            responses={401: {"model": ErrorBody, "description": "No valid access token of a person's sign-in."}})
def userinfo(request: Request, session: SessionDep) -> JSONResponse:
    """The claims of the person an access token of the hub's pages was issued to."""
    claims = verify_access_token(bearer_token(request))
    if claims["client_id"] != PAGES_CLIENT_ID or "openid" not in claims["scope"].split():
        raise Unauthorized("this access token was not issued to a person signing in (scope openid)")
    user = session.get(WebUser, claims.get("sub", ""))
    if user is None:
        raise Unauthorized("the account of this access token no longer exists")
    body = {"sub": user.id}
    if "profile" in claims["scope"].split():
        body["preferred_username"] = user.username
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None once it grows past ``limit`` (so a huge body is never held whole)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
