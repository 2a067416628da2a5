"""The OpenAPI document says how to authenticate and every error answer, with its body."""

from __future__ import annotations

import pytest

from hub.main import create_app
from hub.edge.openapi import required_scopes

DOCUMENT = create_app().openapi()
OPERATIONS = [(path, method, operation) for path, operations in DOCUMENT["paths"].items()
              for method, operation in operations.items()]


def refs(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def test_the_security_scheme_is_oauth2_client_credentials():
    flows = DOCUMENT["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"].endswith("/oauth/token")
    assert "submissions:write" in flows["clientCredentials"]["scopes"]


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_each_operation_documents_its_security_and_errors(path, method, operation):
    responses = operation["responses"]
    if path == "/oauth/token":
        assert {"400", "401", "413", "429"} <= set(responses)
        return
    body_ref = "#/components/schemas/ErrorBody"
    for code, answer in responses.items():
        if code.startswith(("4", "5")):
            assert answer["content"]["application/json"]["schema"] == {"$ref": body_ref}
    if "security" in operation:
        assert {"401", "403"} <= set(responses)
    if "{" in path:
        assert "404" in responses
    if "requestBody" in operation:
        assert {"413", "422"} <= set(responses)
    if method in ("post", "put") and "security" in operation:
        assert {"409", "413", "429"} <= set(responses)
        assert "Retry-After" in responses["429"]["headers"]


def test_protected_operations_name_their_scopes():
    from fastapi.routing import iter_route_contexts

    for route in iter_route_contexts(create_app().routes):
        scopes = required_scopes(route)
        for method in (route.methods or set()) - {"HEAD"}:
            operation = DOCUMENT["paths"].get(route.path, {}).get(method.lower())
            if operation is None:
                continue  # not in the schema (pages, docs)
            if scopes is None:
                assert "security" not in operation
            else:
                assert operation["security"] == [{"oauth2": [str(s)]} for s in sorted(scopes)]


def test_the_chunk_upload_body_is_documented():
    operation = DOCUMENT["paths"]["/v1/submissions/{submission_id}/chunks/{seq}"]["put"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ChunkUpload"}
    assert "rejected_rows" in DOCUMENT["components"]["schemas"]["ChunkUpload"]["properties"]


def test_every_reference_resolves():
    schemas = DOCUMENT["components"]["schemas"]
    missing = {ref for ref in refs(DOCUMENT) if ref.removeprefix("#/components/schemas/") not in schemas}
    assert missing == set()


def test_a_wrong_method_names_every_method_of_the_path(client):
    response = client.request("OPTIONS", "/v1/submissions")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
