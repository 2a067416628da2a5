"""JSON request bodies read only once the caller is known.

FastAPI reads and parses a declared body before it runs any dependency, so anyone, without a
token, could make the hub parse a large document before the 401. A ``JsonBody(Model)`` parameter
is a dependency instead: it depends on the access-token check, so the body of an unauthenticated
request is never read, and the route's ``max_body_size`` bounds what an authenticated one sends.
The OpenAPI document still shows the body (:func:`json_body_openapi`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from hub.auth.dependencies import CurrentCaller

# Models whose schema the OpenAPI document must carry among its components (see hub.edge.openapi).
BODY_MODELS: set[type[BaseModel]] = set()
JSON_TYPE = "application/json"


def JsonBody(model: type[BaseModel]):  # reads as a type in signatures
    """``body: JsonBody(SubmissionCreate)``: the validated body, read after the caller is authenticated."""

    async def _read(request: Request, caller: CurrentCaller) -> BaseModel:
        del caller  # depended on so that no body is read before the token is checked
        raw = await request.body()  # bounded by the route's max_body_size while it streams
        try:
            return model.model_validate_json(raw or b"null")
        except ValidationError as error:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_input=False)]
            raise RequestValidationError(errors) from None

    return Annotated[model, Depends(_read)]


def json_body_openapi(model: type[BaseModel], description: str | None = None) -> dict[str, Any]:
    """``openapi_extra`` that documents ``model`` as the route's required JSON request body."""
    BODY_MODELS.add(model)
    body: dict[str, Any] = {
        "required": True,
        "content": {JSON_TYPE: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
    }
    if description:
        body["description"] = description
    return {"requestBody": body}
