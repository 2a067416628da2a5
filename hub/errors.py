"""The hub's one error family and the handlers that turn it into a stable JSON body.

Every error answers ``{"error": "<Name>", "detail": "<sentence>"}`` and, for row-level problems,
``"errors": [{"row", "field", "message"}]``. Messages never repeat a submitted value.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class HubError(Exception):
    status_code = 400

    def __init__(self, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers

    def body(self) -> dict:
        body = {"error": type(self).__name__, "detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


class InvalidRequest(HubError):
    status_code = 422


class SchemaRejected(HubError):
    status_code = 422


class Unauthorized(HubError):
    status_code = 401

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


class Forbidden(HubError):
    status_code = 403


class NotFound(HubError):
    status_code = 404


class Conflict(HubError):
    status_code = 409


class UploadExpired(Conflict):
    """A chunk or completion of an upload opened longer ago than ``open_submission_hours``."""


class FuturePeriod(InvalidRequest):
    """A submission for a month that has not begun yet, anywhere."""


class WouldShrinkMonth(Conflict):
    """Completing would replace a month's records with none, or with fewer than half as many."""


class PayloadTooLarge(HubError):
    status_code = 413


def _hub_error(request: Request, exc: HubError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)


REQUEST_PARTS = frozenset({"body", "query", "path", "header", "cookie"})


def location_text(location, known_names: frozenset[str]) -> str:
    """Where a validation error is, as ``a.b.0.c``; a part that is not a name the API declares (a
    map's key, which could be any text the caller sent) is shown as ``*``.

    >>> location_text(("body", "filters", "Fatima Begum", 0), frozenset({"filters"}))
    'filters.*.0'
    """
    return ".".join(str(part) if isinstance(part, int) or part in known_names else "*"
                    for part in location if part != "body")


def declared_names(document: dict) -> frozenset[str]:
    """Every property and parameter name an OpenAPI document declares, and the schema's field names."""
    from schemas import load_schema

    names = set(REQUEST_PARTS) | {field.name for field in load_schema("case-v1").fields}
    names |= {f.name for f in load_schema("case-v1").upload_fields}
    for schema in document.get("components", {}).get("schemas", {}).values():
        names |= set(schema.get("properties", {}))
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            names |= {parameter["name"] for parameter in operation.get("parameters", [])}
    return frozenset(names)


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's default body echoes the offending input; ours names the place only.
    known = getattr(request.app.state, "declared_names", None)
    if known is None:
        known = request.app.state.declared_names = declared_names(request.app.openapi())
    errors = [{"row": None, "field": location_text(e["loc"], known), "message": e["msg"]} for e in exc.errors()]
    body = {"error": "InvalidRequest", "detail": "the request does not have the expected form", "errors": errors}
    return JSONResponse(body, status_code=422)


def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    name = {404: "NotFound", 405: "MethodNotAllowed", 401: "Unauthorized", 403: "Forbidden", 413: "PayloadTooLarge"}.get(
        exc.status_code, "HTTPError"
    )
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        from hub.edge.routes import allowed_methods

        headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
    return JSONResponse({"error": name, "detail": str(exc.detail)}, status_code=exc.status_code, headers=headers)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Logged once, by the layer that contains it (hub.edge.contain), by type only: an exception's
    # message and arguments can hold submitted values.
    return JSONResponse({"error": "InternalError", "detail": "the hub failed; nothing was stored"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HubError, _hub_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
