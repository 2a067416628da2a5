"""The steward's queue: who asked, for what, at what cost; approve or reject through the release service."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from hub.auth.dependencies import Caller
from hub.budget.service import accounts
from hub.models import Organisation, Release, ReleaseRequest
from hub.releases.schemas import ReleaseRequestCreate
from hub.releases.service import create_request
from tests.factories.auth import make_organisation
from tests.factories.data import push_demo
from tests.factories.web import form_token, make_user, signed_in

PURPOSE = "Regional profile of the last quarter for a prevention study"


@pytest.fixture
def pending(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    university = make_organisation(session, "University of Somewhere", "research")
    request = create_request(session, Caller("c_university", university.id, frozenset({"releases:request"})),
                             ReleaseRequestCreate(dimensions=["region"], cohorts=list(demo.months),
                                                  epsilon=Decimal("0.5"), purpose=PURPOSE))
    session.commit()
    return request


@pytest.fixture
def steward(app, session):
    user = make_user(session, "steward", make_organisation(session, "Stewards", "steward"), totp=True)
    with TestClient(app) as browser:
        yield signed_in(browser, user)


def research_left(session) -> dict[str, Decimal]:
    return {a.cohort: a.remaining_rho for a in accounts(session) if a.purpose == "research"}


def test_the_queue_says_who_asked_for_what_and_the_budget_left_after_approval(steward, pending):
    page = steward.get("/steward/requests").text
    assert "University of Somewhere" in page and "c_university" in page and PURPOSE in page
    assert "Region" in page and "ε = 0.5" in page and "ε left after approval" in page
    rows = re.findall(r'<tr><td>(\d{4}-\d{2})</td><td class="n">([\d.]+)</td><td class="n">([\d.]+)</td></tr>', page)
    assert [month for month, _, _ in rows] == pending.cohorts
    assert all(Decimal(after) < Decimal(now) <= 1 for _, now, after in rows)


def test_the_budget_left_after_approval_is_what_approval_leaves(steward, session, pending):
    page = steward.get("/steward/requests").text
    previewed = re.findall(r'<td class="n">[\d.]+</td><td class="n">([\d.]+)</td></tr>', page)
    steward.post(f"/steward/requests/{pending.id}/approve", data={"csrf_token": form_token(page)})
    decided = steward.get("/steward/requests?status=approved").text
    assert re.findall(r'<td>\d{4}-\d{2}</td><td class="n">([\d.]+)</td></tr>', decided) == previewed


def test_approving_computes_the_release_once_and_the_budget_goes_down(steward, session, pending):
    before = research_left(session)
    page = steward.get("/steward/requests").text
    response = steward.post(f"/steward/requests/{pending.id}/approve", data={"csrf_token": form_token(page)},
                            follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    decided = session.get(ReleaseRequest, pending.id)
    assert decided.status == "approved" and decided.decided_by.startswith("user:steward")
    assert session.get(Release, decided.release_id) is not None
    after = research_left(session)
    assert all(after[cohort] < before.get(cohort, Decimal(1)) for cohort in pending.cohorts)
    assert pending.id in steward.get("/steward/requests?status=approved").text


def test_approving_without_the_csrf_token_is_refused_and_spends_nothing(steward, session, pending):
    before = research_left(session)
    response = steward.post(f"/steward/requests/{pending.id}/approve", data={}, follow_redirects=False)
    assert response.status_code == 403
    session.expire_all()
    assert session.get(ReleaseRequest, pending.id).status == "pending"
    assert research_left(session) == before and session.exec(select(Release).where(Release.kind == "custom")).all() == []


def test_rejecting_needs_a_reason_that_the_researcher_then_reads(app, steward, session, pending):
    token = form_token(steward.get("/steward/requests").text)
    assert steward.post(f"/steward/requests/{pending.id}/reject", data={"csrf_token": token, "reason": " "},
                        follow_redirects=False).status_code == 422
    assert steward.post(f"/steward/requests/{pending.id}/reject",
                        data={"csrf_token": token, "reason": "too fine a table for these months"},
                        follow_redirects=False).status_code == 303
    session.expire_all()
    assert session.get(ReleaseRequest, pending.id).reason == "too fine a table for these months"
    researcher = make_user(session, "researcher", session.get(
        Organisation, pending.organisation_id))
    with TestClient(app) as browser:
        page = signed_in(browser, researcher).get("/researcher/requests").text
    assert "rejected" in page and "too fine a table for these months" in page


def test_a_researcher_sees_their_organisations_requests_only_and_downloads_approved_ones(app, session, pending):
    from hub.releases.service import approve

    approved = approve(session, Caller("c_steward", pending.organisation_id, frozenset({"releases:approve"})),
                       pending.id)
    session.commit()
    owner = session.get(Organisation, pending.organisation_id)
    with TestClient(app) as mine, TestClient(app) as other:
        page = signed_in(mine, make_user(session, "researcher", owner)).get("/researcher/requests").text
        assert PURPOSE in page and f"/researcher/releases/{approved.release_id}.csv" in page
        assert mine.get(f"/researcher/releases/{approved.release_id}.csv").headers["content-type"].startswith("text/csv")
        signed_in(other, make_user(session, "researcher"))
        assert PURPOSE not in other.get("/researcher/requests").text
        assert other.get(f"/researcher/releases/{approved.release_id}.csv").status_code == 404


def test_the_budget_page_shows_every_months_accounts_and_a_chart_of_the_same_numbers(steward, session, pending):
    import json

    from hub.reports.service import publish

    assert "No budget has been opened yet" in steward.get("/steward/budget").text
    publish(session, pending.cohorts[-1])
    session.commit()
    page = steward.get("/steward/budget").text
    lines = json.loads(re.search(r'<script type="application/json" id="budget-data">(.*?)</script>', page,
                                 re.DOTALL)[1])
    assert lines and {(line["cohort"], line["purpose"]) for line in lines} == {
        (a.cohort, a.purpose) for a in accounts(session)}
    assert all(f"<td>{line['cohort']}</td><td>{line['purpose']}</td>" in page for line in lines)
    assert "/static/web/budget-chart.js" in page
