"""The OpenAPI document: FastAPI's, completed with what FastAPI cannot see.

- Bodies read by :func:`hub.edge.json_body.JsonBody` are not parameters FastAPI knows: their
  models are added to the components.
- The security scheme (OAuth 2 client credentials, bearer JWT access tokens), and on each
  protected operation the scopes its ``RequireScope`` asks for (any one of them).
- The error answers each operation can give, with the hub's error body, in place of FastAPI's
  422 model (which is not what the hub answers).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field

from hub.edge.json_body import BODY_MODELS

REF_TEMPLATE = "#/components/schemas/{model}"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SCHEME = "oauth2"


class ErrorItem(BaseModel):
    row: int | None = Field(None, description="Row of the partner's file, when the problem is in one.")
    field: str | None = Field(None, description="Where: a field name or a dotted location; * for a map key.")
    message: str = Field(description="What is wrong; never repeats the value.")


class ErrorBody(BaseModel):
    """Every error the API answers (but the token endpoint's, which are OAuth errors)."""

    error: str = Field(description="The error's name: NotFound, Forbidden, PayloadTooLarge, TooManyRequests ...")
    detail: str = Field(description="A sentence saying what to do; never repeats a submitted value.")
    errors: list[ErrorItem] | None = Field(None, description="Each problem of a malformed request.")


class OAuthErrorBody(BaseModel):
    """An error of the token endpoint (RFC 6749 section 5.2)."""

    error: str
    error_description: str | None = None


ANSWERS = {
    "400": "The request is malformed.",
    "401": "No valid access token (get one from /oauth/token).",
    "403": "The access token lacks the scope this needs.",
    "404": "Not found, or not yours: another organisation's is answered the same way.",
    "409": "In conflict with the state of what it names (see detail).",
    "413": "The body is larger than this route accepts.",
    "422": "The request does not have the expected form; errors names each place.",
    "429": "Too many requests; wait for Retry-After seconds.",
}
SCOPE_MEANINGS = {
    "submissions:write": "open, upload and complete your organisation's submissions",
    "submissions:read": "read your organisation's submissions and receipts",
    "reports:read": "read the published reports and the privacy budget",
    "releases:request": "ask for custom tables and read your releases",
    "releases:approve": "decide on every organisation's release requests (data steward)",
    "admin": "administer the hub",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}


def _walk(dependant):
    yield dependant
    for child in dependant.dependencies:
        yield from _walk(child)


def required_scopes(route) -> frozenset[str] | None:
    """The scopes (any one of them) a route's ``RequireScope`` asks for; None for a public route."""
    dependant = getattr(route, "dependant", None)
    for found in _walk(dependant) if dependant is not None else ():
        scopes = getattr(found.call, "required_scopes", None)
        if scopes is not None:
            return scopes
    return None


def _answer(code: str, body: type[BaseModel]) -> dict:
    answer = {"description": ANSWERS[code],
              "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body.__name__}"}}}}
    if code == "429":
        answer["headers"] = RETRY_AFTER
    return answer


def _error_codes(method: str, operation: dict, scopes) -> list[str]:
    codes = []
    has_path = any(p["in"] == "path" for p in operation.get("parameters", []))
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    if scopes is not None:
        codes += ["401", "403"]
    if has_path:
        codes.append("404")
    if scopes is not None and method in WRITE_METHODS:
        codes += ["409", "429"]
    if "requestBody" in operation or method in WRITE_METHODS:
        codes.append("413")
    if has_input:
        codes.append("422")
    return codes


def _complete(document: dict, app: FastAPI, token_url: str) -> None:
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in sorted({*BODY_MODELS, ErrorItem, ErrorBody, OAuthErrorBody}, key=lambda m: m.__name__):
        schema = model.model_json_schema(ref_template=REF_TEMPLATE)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    all_scopes = {}
    routes = {(method, route.path): route for route in iter_route_contexts(app.routes) for method in route.methods or ()}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            scopes = required_scopes(routes[method.upper(), path])
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            if path == "/oauth/token":
                for code in ("400", "401", "413", "429"):
                    responses[code] = _answer(code, OAuthErrorBody)
                continue
            for code in _error_codes(method.upper(), operation, scopes):
                responses[code] = _answer(code, ErrorBody)
            if scopes is not None:
                operation["security"] = [{SCHEME: [str(scope)]} for scope in sorted(scopes)]
                all_scopes.update({str(scope): SCOPE_MEANINGS.get(str(scope), str(scope)) for scope in scopes})
    components["securitySchemes"] = {SCHEME: {
        "type": "oauth2",
        "description": "Client credentials (a client secret or private_key_jwt); the access token is an "
                       "RFC 9068 JWT sent as 'Authorization: Bearer <token>'.",
        "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": dict(sorted(all_scopes.items()))}},
    }}


def install_openapi(app: FastAPI, token_url: str) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes)
            _complete(document, app, token_url)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi
