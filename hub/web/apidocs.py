"""The OAuth flow in the API's description, so that /docs can get a token and try the API."""

from __future__ import annotations

from fastapi import FastAPI

from hub.auth.clients import SCOPES

SCHEME = "hubOAuth"
# Routes that answer without a token; every other route of the API needs one.
PUBLIC_TAGS = {"public", "oauth"}

SCOPE_WORDS = {
    "submissions:write": "submit your organisation's records",
    "submissions:read": "read your organisation's submissions and receipts",
    "reports:read": "read the published reports and the budget",
    "releases:request": "ask for custom tables and read your own",
    "releases:approve": "approve or reject requests (stewards)",
    "admin": "administer the hub (stewards)",
}


def describe_oauth(app: FastAPI) -> None:
    """Adds the client-credentials flow of ``/oauth/token`` to the OpenAPI of ``app``, once, on first use."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {})["securitySchemes"] = {SCHEME: {
            "type": "oauth2",
            "description": "Client credentials of your organisation's OAuth client (ask the data steward).",
            "flows": {"clientCredentials": {"tokenUrl": "/oauth/token",
                                            "scopes": {scope: SCOPE_WORDS.get(scope, scope) for scope in SCOPES}}},
        }}
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if path.startswith("/v1/") and not PUBLIC_TAGS & set(operation.get("tags", [])):
                    operation["security"] = [{SCHEME: []}]
        return schema

    app.openapi = openapi
