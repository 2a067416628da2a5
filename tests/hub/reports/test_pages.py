"""The public report pages: every published table with its intervals, method and budgets."""

from __future__ import annotations

import pytest

from hub.reports.service import publish
from tests.factories.data import push_demo


@pytest.fixture
def published(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    return publish(session, demo.months[-1])


def test_the_list_links_every_published_table(client, published):
    page = client.get("/reports").text
    assert all(f'href="/reports/{r.id}"' in page for r in published)


def test_a_report_page_shows_cells_intervals_method_and_both_budgets(client, published):
    release = published[0]
    page = client.get(f"/reports/{release.id}").text
    assert release.title in page and "95 % interval" in page and "OpenDP" in page
    assert "standard reports: lifetime" in page and "researchers&#x27; reserve" not in page
    assert "researchers' reserve: lifetime" in page
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
    assert "researchers' reserve: lifetime &epsilon; = 1.5000 per month" in page


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
