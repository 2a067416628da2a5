"""Every submissions route, once per kind of caller, with real access tokens."""

from __future__ import annotations

import pytest

from tests.factories.auth import bearer, make_client, make_organisation
from tests.factories.submissions import upload_row

NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}
WRITER = ("submissions:write", "submissions:read")


@pytest.fixture
def opened(client, session):
    """A submission opened by its owner, with one chunk, and the owner's headers."""
    owner = make_client(session, make_organisation(session, "Shelter A"), WRITER)
    headers = bearer(client, owner)
    submission_id = client.post("/v1/submissions", json=NEW, headers=headers).json()["id"]
    client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1)]}, headers=headers)
    return submission_id, headers


def caller_headers(kind: str, client, session, owner_headers) -> dict:
    if kind == "anonymous":
        return {}
    if kind == "forged":
        return {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}
    if kind == "wrong scope":
        return bearer(client, make_client(session, make_organisation(session), ("reports:read",)))
    if kind == "other organisation":
        return bearer(client, make_client(session, make_organisation(session, "Police B"), WRITER))
    return owner_headers


EXPECTED = {"anonymous": 401, "forged": 401, "wrong scope": 403, "other organisation": 404}
KINDS = [*EXPECTED, "owner"]


def requests(submission_id: str):
    return {
        "read": ("GET", f"/v1/submissions/{submission_id}", None),
        "receipt": ("GET", f"/v1/submissions/{submission_id}/receipt", None),
        "chunk": ("PUT", f"/v1/submissions/{submission_id}/chunks/2", {"rows": [upload_row(2)]}),
        "complete": ("POST", f"/v1/submissions/{submission_id}/complete", {"expected_chunks": 1}),
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("route", ["read", "receipt", "chunk", "complete"])
def test_route_answers_each_kind_of_caller(client, session, opened, kind, route):
    submission_id, owner_headers = opened
    method, path, body = requests(submission_id)[route]
    response = client.request(method, path, json=body, headers=caller_headers(kind, client, session, owner_headers))
    assert response.status_code == EXPECTED.get(kind, 200), response.text
    if kind != "owner":
        assert set(response.json()) == {"error", "detail"}
        assert submission_id not in response.json()["detail"] or kind == "other organisation"


@pytest.mark.parametrize("kind", KINDS)
def test_create_answers_each_kind_of_caller(client, session, opened, kind):
    _, owner_headers = opened
    response = client.post("/v1/submissions", json=NEW, headers=caller_headers(kind, client, session, owner_headers))
    expected = {**EXPECTED, "other organisation": 201, "owner": 201}[kind]
    assert response.status_code == expected, response.text


def test_listing_shows_only_the_callers_organisation(client, session, opened):
    _, owner_headers = opened
    other = bearer(client, make_client(session, make_organisation(session, "Police B"), WRITER))
    assert len(client.get("/v1/submissions", headers=owner_headers).json()) == 1
    assert client.get("/v1/submissions", headers=other).json() == []
