"""The public report pages: every published table with its intervals, method and budgets."""

from __future__ import annotations

import pytest

from hub.reports.service import publish
from tests.factories.data import push_demo


@pytest.fixture
def published(client, session, tmp_path):
    # Enough persons that some cells' intervals exclude zero, so that there is a chart to check.
    demo = push_demo(client, session, tmp_path, persons=300)
    return publish(session, demo.months[-1])


def test_the_list_links_every_published_table(client, published):
    page = client.get("/reports").text
    assert all(f'href="/reports/{r.id}"' in page for r in published)


def test_a_report_page_shows_cells_intervals_method_and_both_budgets(client, published):
    release = published[0]
    page = client.get(f"/reports/{release.id}").text
    assert release.title in page and "95 % interval" in page and "OpenDP" in page
    assert "standard reports: lifetime" in page and "researchers&#39; reserve: lifetime" in page
    assert page.count("<tr") == len(release.cells) + 1


def test_a_report_page_shows_the_lifetime_budget_the_steward_set(client, session, published):
    from decimal import Decimal

    from hub.budget.totals import set_total

    release = published[0]
    for cohort in release.cohorts:
        set_total(session, release.dataset, cohort, "research", Decimal("1.5"),
                  reason="a larger reserve for a study", changed_by="a test")
    session.commit()
    page = client.get(f"/reports/{release.id}").text
    assert "researchers&#39; reserve: lifetime ε = 1.5000 per month" in page


def test_a_reader_can_recompute_the_content_hash_from_what_is_served(client, session, published):
    import hashlib
    import json

    from tests.factories.auth import bearer, make_client, make_organisation

    analyst = bearer(client, make_client(session, make_organisation(session, "Ministry", "government"),
                                         ["reports:read"]))
    served = client.get(f"/v1/reports/{published[0].id}", headers=analyst).json()
    fields = ("id", "kind", "report", "title", "period", "cohorts", "parameters", "mechanism", "cells", "snapshot")
    canonical = json.dumps({name: served[name] for name in fields}, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == served["content_hash"]


def test_reading_the_api_needs_reports_read(client, published):
    assert client.get(f"/v1/reports/{published[0].id}").status_code == 401


def test_the_api_serves_json_and_csv_as_stored_and_reading_spends_nothing(client, session, published):
    from hub.budget.service import accounts
    from tests.factories.auth import bearer, make_client, make_organisation

    analyst = bearer(client, make_client(session, make_organisation(session, "Ministry", "government"),
                                         ["reports:read"]))
    release = published[0]
    spent = [a.spent_rho for a in accounts(session)]
    listed = client.get("/v1/reports", headers=analyst).json()
    assert {r["id"] for r in listed} == {r.id for r in published}
    body = client.get(f"/v1/reports/{release.id}", headers=analyst).json()
    assert body["cells"] == release.cells and body["content_hash"] == release.content_hash
    csv_text = client.get(f"/v1/reports/{release.id}?format=csv", headers=analyst).text
    assert len(csv_text.strip().splitlines()) == len(release.cells) + 1
    budget = client.get("/v1/budget", headers=analyst).json()
    assert {line["purpose"] for line in budget} == {"reports"}
    assert [a.spent_rho for a in accounts(session)] == spent


def test_a_page_shows_labels_not_schema_codes_and_a_total(client, published):
    by_report = {r.report: r for r in published}
    page = client.get(f"/reports/{by_report['persons-by-gender'].id}").text
    assert "GenderDiverse" not in page and "Gender diverse" in page
    assert "<td>All</td>" in page and "excludes zero" in page
    kinds = client.get(f"/reports/{by_report['persons-by-type-of-exploitation'].id}").text
    assert "ForcedLabour" not in kinds and "Forced labour" in kinds and "chosen at random" in kinds


def test_the_chart_draws_exactly_the_cells_of_the_json_that_exclude_zero(client, published):
    import json
    import re

    release = max(published, key=lambda r: sum(c["ci95"][0] > 0 for c in r.cells if c.get("kind") == "cell"))
    page = client.get(f"/reports/{release.id}").text
    bars = json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.DOTALL)[1])
    served = client.get(f"/reports/{release.id}.json").json()["cells"]
    expected = sorted((c for c in served if c["kind"] == "cell" and c["ci95"][0] > 0), key=lambda c: -c["value"])
    assert bars and [(b["value"], b["low"], b["high"]) for b in bars] == [
        (c["value"], c["ci95"][0], c["ci95"][1]) for c in expected[:len(bars)]]
    assert all(not c["too_noisy"] for c in expected)


def test_a_page_loads_its_chart_library_from_the_hub(client, published):
    import re

    charted = next(r for r in published if r.report == "persons-total")
    page = client.get(f"/reports/{charted.id}").text
    sources = re.findall(r'<script[^>]* src="([^"]+)"', page) + re.findall(r'<link[^>]* href="([^"]+)"', page)
    assert "/static/web/vendor/plot/plot.umd.min.js" in sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    assert all(client.get(source).status_code == 200 for source in sources)


def test_a_page_is_laid_out_for_a_phone(client, published):
    page = client.get(f"/reports/{published[0].id}").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<div class="scroll">' in page  # wide tables scroll inside the page instead of widening it
    assert "@media (max-width: 480px)" in client.get("/static/web/hub.css").text
