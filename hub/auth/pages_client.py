"""The hub's own pages as a client of its authorisation server: the one client of the code grant.

It is a public client (it holds no secret: the browser's flow is bound by PKCE, and its only
redirect URI is the hub's own sign-in callback, so a code can reach no one else). It is not a row
of ``oauth_client``: it belongs to no organisation, and its tokens open none of the API (the API
reads its callers from that table).
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import ClientMixin

PAGES_CLIENT_ID = "hub-pages"
PAGES_SCOPES = ("openid", "profile")
CALLBACK_PATH = "/signin/callback"


def pages_redirect_uri(issuer: str) -> str:
    return issuer.rstrip("/") + CALLBACK_PATH


class PagesClient(ClientMixin):
    """Authlib's view of the pages' client: the code grant with PKCE, one exact redirect URI."""

    def __init__(self, issuer: str):
        self.redirect_uri = pages_redirect_uri(issuer)

    def get_client_id(self) -> str:
        return PAGES_CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Exact comparison (RFC 9700 2.1): no prefix, pattern or port leniency.
        return redirect_uri == self.redirect_uri

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"

    def get_allowed_scope(self, scope: str | None) -> str:
        asked = (scope or "").split()
        return " ".join(s for s in PAGES_SCOPES if s in asked)

    def check_client_secret(self, client_secret: str) -> bool:
        return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none"
