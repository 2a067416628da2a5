"""Bounds on periods, list fields and numbers: absurd values are a 422, never stored or a 500."""

from __future__ import annotations

import pytest

from tests.factories.submissions import act_as, make_org, upload_row

NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}
REQUEST = {"dimensions": ["gender"], "cohorts": ["2026-10"], "epsilon": "0.5",
           "purpose": "Counts of persons by gender for a prevention plan."}
RESEARCHER = {"releases:request"}


@pytest.mark.parametrize("period", ["0000-01", "1989-12", "9999-12"])
def test_a_submission_period_outside_the_window_is_422(app, client, session, period):
    act_as(app, make_org(session))
    response = client.post("/v1/submissions", json={**NEW, "period": period})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "period"


@pytest.mark.parametrize("cohort", ["0000-01", "9999-12"])
def test_a_release_cohort_outside_the_window_is_422(app, client, session, cohort):
    act_as(app, make_org(session), scopes=RESEARCHER)
    response = client.post("/v1/release-requests", json={**REQUEST, "cohorts": [cohort]})
    assert response.status_code == 422, response.text


def test_a_listing_period_outside_the_window_is_422(app, client, session):
    act_as(app, make_org(session))
    assert client.get("/v1/submissions", params={"period": "0000-01"}).status_code == 422


def test_a_release_filter_without_a_bound_is_422(app, client, session):
    act_as(app, make_org(session), scopes=RESEARCHER)
    response = client.post("/v1/release-requests", json={**REQUEST, "filters": {"gender": ["Female"] * 5_000}})
    assert response.status_code == 422, response.text


def test_a_row_with_thousands_of_field_keys_is_422(app, client, session):
    act_as(app, make_org(session))
    submission_id = client.post("/v1/submissions", json=NEW).json()["id"]
    row = upload_row(1)
    row["fields"].update({f"k{number}": "x" for number in range(1_000)})
    response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [row]})
    assert response.status_code == 422, response.text
