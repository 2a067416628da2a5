"""A fake external OpenID Connect issuer, served over real HTTP inside the test (no internet).

It does what Keycloak, Entra ID or Google do for the code flow, and checks what they check: the
client's id and secret, the exact redirect URI, the PKCE verifier against the S256 challenge, a
code used once. It signs ID tokens with an RSA key of its own (RS256), with the claims a test
gives the next person; ``tamper`` changes the next ID token (claims, signing key, algorithm).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from tests.factories.servers import free_port

CLIENT_ID = "hub-at-keycloak"
CLIENT_SECRET = "fake-issuer-client-secret-0123456789"


@dataclass
class FakeIssuer:
    url: str = ""
    redirect_uri: str = "http://127.0.0.1:8000/signin/callback"
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, auto_kid=True))
    person: dict = field(default_factory=dict)  # the claims of whoever signs in next
    tamper: dict = field(default_factory=dict)  # claims: {...}, key: a key, alg: "HS256"...
    codes: dict = field(default_factory=dict)
    token_requests: list = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/realms/hub/.well-known/openid-configuration", self.configuration),
            Route("/realms/hub/auth", self.authorize),
            Route("/realms/hub/token", self.token, methods=["POST"]),
            Route("/realms/hub/certs", self.certs),
        ])

    @property
    def issuer(self) -> str:
        return self.url + "/realms/hub"

    async def configuration(self, request: Request):
        return JSONResponse({"issuer": self.issuer, "authorization_endpoint": self.issuer + "/auth",
                             "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/certs",
                             "id_token_signing_alg_values_supported": ["RS256"]})

    async def certs(self, request: Request):
        return JSONResponse({"keys": [self.key.as_dict(private=False, use="sig", alg="RS256")]})

    async def authorize(self, request: Request):
        query = request.query_params
        if (query.get("client_id") != CLIENT_ID or query.get("redirect_uri") != self.redirect_uri
                or query.get("response_type") != "code" or query.get("code_challenge_method") != "S256"
                or "openid" not in query.get("scope", "").split()):
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"challenge": query["code_challenge"], "nonce": query.get("nonce"), "person": dict(self.person)}
        return RedirectResponse(self.redirect_uri + "?" + urlencode({"code": code, "state": query.get("state", "")}),
                                status_code=302)

    async def token(self, request: Request):
        form = await request.form()
        self.token_requests.append(dict(form))
        if not self._client_authenticated(request, form):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        issued = self.codes.pop(form.get("code", ""), None)
        if issued is None or form.get("grant_type") != "authorization_code" or form.get("redirect_uri") != self.redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != issued["challenge"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, status_code=400)
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": issued["nonce"],
                  **issued["person"], **self.tamper.get("claims", {})}
        alg = self.tamper.get("alg", "RS256")
        key = self.tamper.get("key", self.key)
        header = {"alg": alg, "kid": self.key.kid}
        id_token = jwt.encode(header, {k: v for k, v in claims.items() if v is not None}, key, algorithms=[alg])
        return JSONResponse({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                             "id_token": id_token})

    def _client_authenticated(self, request: Request, form) -> bool:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
        else:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        return client_id == CLIENT_ID and secret == CLIENT_SECRET


def hs256_key(secret: str) -> OctKey:
    return OctKey.import_key(secret)


@contextmanager
def running_fake_issuer() -> Iterator[FakeIssuer]:
    import uvicorn

    fake = FakeIssuer()
    port = free_port()
    fake.url = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(fake.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the fake issuer did not start")
        time.sleep(0.02)
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join()
