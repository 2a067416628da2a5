"""Researchers' requests: expected error at once, approval within budget, once, and never overdrawn."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import func, select

from hub.budget.service import accounts
from hub.budget.totals import set_total
from hub.models import BudgetEntry, Release
from tests.factories.auth import bearer, make_client, make_organisation
from tests.factories.data import push_demo


@pytest.fixture
def hub_with_data(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    researcher = bearer(client, make_client(session, make_organisation(session, "University", "research"),
                                            ["releases:request"]))
    steward = bearer(client, make_client(session, make_organisation(session, "Stewards", "steward"),
                                         ["releases:approve", "reports:read"]))
    return demo, researcher, steward


def ask(client, headers, demo, epsilon="0.5", dimensions=("gender", "age_band")) -> dict:
    body = {"dimensions": list(dimensions), "cohorts": list(demo.months), "epsilon": epsilon,
            "purpose": "Age and gender profile of identified persons for a prevention study"}
    response = client.post("/v1/release-requests", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


class TestCreate:
    def test_shows_expected_error_and_cost_before_approval(self, client, hub_with_data):
        demo, researcher, _ = hub_with_data
        request = ask(client, researcher, demo)
        assert request["status"] == "pending" and request["cells"] == 4 * 10
        assert 0 < request["expected_error"]["90"] < request["expected_error"]["95"] < request["expected_error"]["99"]
        assert [c["cohort"] for c in request["cost"]] == sorted(demo.months)
        assert all(c["affordable"] for c in request["cost"])

    def test_unknown_dimension_is_refused_with_the_choices(self, client, hub_with_data):
        demo, researcher, _ = hub_with_data
        body = {"dimensions": ["name"], "cohorts": [demo.months[0]], "epsilon": "0.5", "purpose": "a purpose long enough"}
        response = client.post("/v1/release-requests", json=body, headers=researcher)
        assert response.status_code == 422 and "gender" in response.json()["detail"]

    def test_a_steward_scope_is_needed_to_approve(self, client, hub_with_data):
        demo, researcher, _ = hub_with_data
        request = ask(client, researcher, demo)
        response = client.post(f"/v1/release-requests/{request['id']}/approve", headers=researcher)
        assert response.status_code == 403


class TestApprove:
    def test_approval_releases_once_with_the_promised_error(self, client, session, hub_with_data):
        demo, researcher, steward = hub_with_data
        request = ask(client, researcher, demo)
        approved = client.post(f"/v1/release-requests/{request['id']}/approve", headers=steward).json()
        release = client.get(f"/v1/releases/{approved['release_id']}", headers=researcher).json()
        promised = request["expected_error"]["95"]  # the least-squares half-width, before widening and rounding
        cells = [c for c in release["cells"] if c["kind"] == "cell"]
        # The upper end is the estimate (0 if negative) + half-width rounded down to an integer, or the
        # value if above it (promised and estimate are served rounded to 0.1 and 0.01).
        centres = [max(c["estimate"], 0) for c in cells]
        assert all(centre + promised - 1.1 <= c["ci95"][1] <= max(centre + promised + 0.1, c["value"])
                   for centre, c in zip(centres, cells))
        spent = [a.spent_rho for a in accounts(session)]
        again = client.post(f"/v1/release-requests/{request['id']}/approve", headers=steward).json()
        assert again["release_id"] == approved["release_id"]
        assert client.get(f"/v1/releases/{approved['release_id']}", headers=researcher).json() == release
        assert [a.spent_rho for a in accounts(session)] == spent

    def test_spending_stops_exactly_at_the_budget(self, client, session, hub_with_data):
        demo, researcher, steward = hub_with_data
        for cohort in demo.months:
            set_total(session, "case-v1", cohort, "research", Decimal("1"), reason="the default, set explicitly",
                      changed_by="a test")
        first = ask(client, researcher, demo, epsilon="1")  # exactly the whole budget
        approved = client.post(f"/v1/release-requests/{first['id']}/approve", headers=steward)
        assert approved.status_code == 200, approved.text
        assert all(a.remaining_rho == 0 for a in accounts(session) if a.purpose == "research")
        second = ask(client, researcher, demo, epsilon="0.01")
        assert not any(c["affordable"] for c in second["cost"])
        refused = client.post(f"/v1/release-requests/{second['id']}/approve", headers=steward)
        assert refused.status_code == 409 and refused.json()["error"] == "BudgetExhausted"
        assert session.exec(select(func.count()).select_from(Release)).one() == 1
        assert session.exec(select(func.count()).select_from(BudgetEntry)).one() == len(demo.months)
        assert client.get(f"/v1/release-requests/{second['id']}", headers=researcher).json()["status"] == "pending"

    def test_rejection_carries_the_reason(self, client, hub_with_data):
        demo, researcher, steward = hub_with_data
        request = ask(client, researcher, demo)
        rejected = client.post(f"/v1/release-requests/{request['id']}/reject",
                               json={"reason": "cells too fine for these months"}, headers=steward).json()
        assert (rejected["status"], rejected["reason"]) == ("rejected", "cells too fine for these months")
        assert client.post(f"/v1/release-requests/{request['id']}/approve", headers=steward).status_code == 409


class TestVisibility:
    def test_another_organisation_sees_neither_request_nor_release(self, client, session, hub_with_data):
        demo, researcher, steward = hub_with_data
        request = ask(client, researcher, demo)
        approved = client.post(f"/v1/release-requests/{request['id']}/approve", headers=steward).json()
        other = bearer(client, make_client(session, make_organisation(session, "Other university", "research"),
                                           ["releases:request"]))
        assert client.get(f"/v1/release-requests/{request['id']}", headers=other).status_code == 404
        assert client.get(f"/v1/releases/{approved['release_id']}", headers=other).status_code == 404
        assert client.get("/v1/release-requests", headers=other).json() == []


class TestRefusals:
    def test_an_epsilon_too_small_to_release_anything_is_422(self, client, hub_with_data):
        demo, researcher, _ = hub_with_data
        body = {"dimensions": ["gender"], "cohorts": list(demo.months), "epsilon": "1e-12",
                "purpose": "a request with a vanishing epsilon"}
        assert client.post("/v1/release-requests", json=body, headers=researcher).status_code == 422

    def test_a_month_that_has_not_ended_cannot_be_asked_for(self, client, hub_with_data):
        from hub.models import utcnow

        _, researcher, _ = hub_with_data
        body = {"dimensions": ["gender"], "cohorts": [utcnow().strftime("%Y-%m")], "epsilon": "0.5",
                "purpose": "a request about the running month"}
        response = client.post("/v1/release-requests", json=body, headers=researcher)
        assert response.status_code == 422 and "has not ended" in response.json()["detail"]
