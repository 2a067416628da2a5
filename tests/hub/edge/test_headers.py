"""Security headers on every answer: pages, API answers, errors, refusals and failures."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories.submissions import act_as, make_org

ANSWERS = {
    "page": ("GET", "/", None),
    "json": ("GET", "/v1/dimensions", None),
    "401": ("GET", "/v1/submissions", None),
    "404": ("GET", "/no/such/page", None),
    "413": ("POST", "/v1/submissions", b" " * 70_000),
}


@pytest.mark.parametrize("answer", list(ANSWERS))
def test_every_answer_has_the_security_headers(client, answer):
    method, path, content = ANSWERS[answer]
    response = client.request(method, path, content=content, headers={"content-type": "application/json"})
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in response.headers  # plain http, http issuer


def test_a_failure_has_them_too(app, session):
    @app.get("/_fails")
    def fails() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/_fails")
    assert response.status_code == 500
    assert response.headers["x-content-type-options"] == "nosniff"


def test_hsts_over_tls(app, session):
    act_as(app, make_org(session))
    with TestClient(app, base_url="https://hub.example.org") as client:
        response = client.get("/v1/submissions")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_the_hubs_own_pages_run_only_the_hubs_own_scripts(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "http" not in policy and "unsafe-eval" not in policy
