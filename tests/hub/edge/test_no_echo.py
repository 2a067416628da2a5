"""No answer repeats a value submitted in a path, on any route with a path parameter."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import iter_route_contexts

from hub.auth.clients import SCOPES
from hub.main import create_app
from tests.factories.submissions import act_as, make_org

MARKER = "Fatima-Begum-9812345678"
ROUTES = sorted(
    (method, route.path)
    for route in iter_route_contexts(create_app().routes)
    if "{" in route.path
    for method in route.methods - {"HEAD"}
)


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_no_answer_repeats_a_path_value(app, client, session, method, template):
    act_as(app, make_org(session), scopes=SCOPES)
    path = re.sub(r"\{[^}]+\}", MARKER, template)
    response = client.request(method, path, json={})
    assert response.status_code < 500, response.text
    assert MARKER not in response.text
    assert "Fatima" not in str(response.headers)


def test_a_map_key_in_an_error_location_is_not_repeated(app, client, session):
    act_as(app, make_org(session), scopes={"releases:request"})
    body = {"dimensions": ["gender"], "cohorts": ["2026-10"], "epsilon": "0.5", "purpose": "a plan of prevention",
            "filters": {MARKER: []}}
    response = client.post("/v1/release-requests", json=body)
    assert response.status_code == 422
    assert MARKER not in response.text
