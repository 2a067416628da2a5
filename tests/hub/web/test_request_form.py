"""A researcher's request form: the estimate follows epsilon, and filing goes through the release service."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from hub.models import ReleaseRequest
from hub.web.request_form import past_months
from tests.factories.web import form_token, make_user, signed_in


@pytest.fixture
def researcher(app, session):
    user = make_user(session, "researcher")
    with TestClient(app) as browser:
        yield signed_in(browser, user)


def estimate(browser, epsilon: str, dimensions=("gender", "age_band")):
    months = past_months()
    return browser.get("/researcher/requests/estimate", params={
        "dimension": list(dimensions), "first": months[2], "last": months[0], "epsilon": epsilon})


def test_the_form_offers_the_schemas_dimensions(researcher):
    page = researcher.get("/researcher/requests/new").text
    assert 'value="country_of_exploitation"' in page and "Means of control" in page
    assert "/static/web/request-form.js" in page


def test_the_expected_error_shrinks_as_epsilon_grows(researcher):
    small, large = estimate(researcher, "0.1").json(), estimate(researcher, "2").json()
    assert small["cells"] == large["cells"] > 1
    assert small["expected_error"]["95"] > large["expected_error"]["95"] > 0
    assert len(small["cost"]) == 3


def test_a_malformed_estimate_says_why(researcher):
    response = estimate(researcher, "9")
    assert response.status_code == 422 and "epsilon between 0.001 and 5" in response.json()["error"]


def test_filing_stores_the_request_the_estimate_described(researcher, session):
    shown = estimate(researcher, "0.5").json()
    token = form_token(researcher.get("/researcher/requests/new").text)
    months = past_months()
    response = researcher.post("/researcher/requests", data={
        "csrf_token": token, "dimension": ["gender", "age_band"], "first": months[2], "last": months[0],
        "epsilon": "0.5", "purpose": "Age and gender profile for a prevention study"}, follow_redirects=False)
    assert response.status_code == 303
    filed = session.exec(select(ReleaseRequest)).one()
    assert filed.status == "pending" and filed.cohorts == sorted(months[:3])
    assert filed.client_id.startswith("user:researcher")
    from hub.releases.service import to_public

    assert to_public(session, filed).expected_error == shown["expected_error"]
    assert "Age and gender profile" in researcher.get("/researcher/requests").text


def test_filing_without_the_csrf_token_stores_nothing(researcher, session):
    months = past_months()
    response = researcher.post("/researcher/requests", data={
        "dimension": ["gender"], "first": months[0], "last": months[0], "epsilon": "0.5",
        "purpose": "a request posted by another site"}, follow_redirects=False)
    assert response.status_code == 403
    assert session.exec(select(ReleaseRequest)).all() == []
