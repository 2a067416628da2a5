"""The pages in headless Chromium: chart and table agree with the JSON, downloads, sign-in, approval."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pyotp
import pytest

from hub.auth.dependencies import Caller
from hub.models import ReleaseRequest
from hub.releases.schemas import ReleaseRequestCreate
from hub.releases.service import create_request
from hub.reports.service import publish
from tests.factories.auth import make_organisation
from tests.factories.data import push_demo
from tests.factories.web import make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path, persons=300)
    releases = publish(session, demo.months[-1])
    session.commit()
    return demo, releases


def _outside(page, base: str) -> list[str]:
    return [url for url in page.requested if not url.startswith(base) and not url.startswith("data:")]


def test_a_report_page_draws_the_jsons_numbers_offline_and_downloads_its_csv(browser_page, live_hub, published):
    page = browser_page
    _, releases = published
    total = next(r for r in releases if r.report == "persons-total")
    page.goto("/reports")
    page.get_by_role("link", name=total.title).first.click()
    page.wait_for_selector("#chart svg")
    served = json.loads(page.context.request.get(f"/reports/{total.id}.json").text())
    drawn = json.loads(page.locator("#chart-data").text_content())
    cell = next(c for c in served["cells"] if c["kind"] == "cell")
    assert [(b["value"], b["low"], b["high"]) for b in drawn] == [(cell["value"], *cell["ci95"])]
    assert page.locator("#chart svg g[aria-label='bar'] rect").count() == len(drawn)
    assert page.locator("table.cells td.n").first.text_content() == f"{cell['value']:,}"
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert int(rows[0]["value"]) == cell["value"]
    assert _outside(page, live_hub) == []


def test_pages_fit_a_phone(browser_page, published):
    page = browser_page
    page.set_viewport_size(PHONE)
    for release in published[1]:
        page.goto(f"/reports/{release.id}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], release.report


def test_the_api_docs_render_from_the_hub_alone(browser_page, live_hub):
    page = browser_page
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.get_by_role("button", name=re.compile("Authorize")).count() >= 1
    assert _outside(page, live_hub) == []


def test_the_steward_signs_in_with_a_code_sees_who_asked_and_approves(browser_page, session, published):
    page = browser_page
    demo, _ = published
    university = make_organisation(session, "University of Elsewhere", "research")
    request = create_request(session, Caller("c_elsewhere", university.id, frozenset({"releases:request"})),
                             ReleaseRequestCreate(dimensions=["gender"], cohorts=list(demo.months),
                                                  epsilon=Decimal("0.5"), purpose="Gender profile for a study"))
    steward = make_user(session, "steward", make_organisation(session, "Stewards", "steward"), totp=True)
    session.commit()
    page.goto("/steward/requests")
    assert "/oauth/authorize?" in page.url and "code_challenge_method=S256" in page.url  # the hub's OpenID flow
    page.get_by_label("Username").fill(steward.username)
    page.get_by_label("Password").fill("a wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert "is not right" in page.get_by_role("alert").text_content()
    page.get_by_label("Username").fill(steward.username)
    page.get_by_label("Password").fill(steward.password)
    page.get_by_label("One-time code").fill(pyotp.TOTP(steward.totp_secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/steward/requests")
    card = page.locator(f"section[aria-labelledby='request-{request.id}']")
    assert "University of Elsewhere" in card.text_content() and "Gender profile for a study" in card.text_content()
    card.get_by_role("button", name="Approve and compute").click()
    page.wait_for_url("**/steward/requests?done=approved")
    session.expire_all()
    assert session.get(ReleaseRequest, request.id).status == "approved"


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), from npm


def _accessibility_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found["violations"]]


def test_the_public_pages_pass_axe(axe_page, published):
    page = axe_page
    _, releases = published
    for path in ["/", "/reports", f"/reports/{releases[0].id}", "/privacy", "/signin"]:
        page.goto(path)
        assert _accessibility_violations(page) == [], path


def test_the_signed_in_pages_pass_axe(axe_page, session):
    page = axe_page
    for role, path in (("steward", "/steward/requests"), ("ngo", "/partner/submissions"),
                       ("researcher", "/researcher/requests")):
        user = make_user(session, role)
        page.context.clear_cookies()
        page.goto("/signin")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(user.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**{path}")
        assert _accessibility_violations(page) == [], path
        extras = {"steward": ["/steward/budget", "/steward/partners", "/steward/publish"],
                  "researcher": ["/researcher/requests/new"], "ngo": ["/partner/upload"]}.get(role, [])
        for extra in extras:
            page.goto(extra)
            assert _accessibility_violations(page) == [], extra


def test_a_researchers_estimate_follows_epsilon_as_the_form_changes(browser_page, session):
    from playwright.sync_api import expect

    page = browser_page
    researcher = make_user(session, "researcher")
    page.goto("/signin")
    page.get_by_label("Username").fill(researcher.username)
    page.get_by_label("Password").fill(researcher.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/researcher/requests")
    page.get_by_role("link", name="Ask for a table").click()
    estimate = page.locator("#estimate")
    page.get_by_label("Gender").check()
    # Locator expectations, not wait_for_function: the hub's policy refuses evaluating strings.
    expect(estimate).to_contain_text("±")
    at_half = float(re.search(r"± ([\d.]+) persons at 95", estimate.text_content())[1])
    page.get_by_label("Privacy loss ε (0.001 to 5)").fill("2")
    expect(estimate).not_to_contain_text(f"± {at_half:.1f} persons")
    at_two = float(re.search(r"± ([\d.]+) persons at 95", estimate.text_content())[1])
    assert at_two < at_half
