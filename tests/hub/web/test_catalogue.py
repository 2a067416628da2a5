"""The catalogue of published reports, filtered by year and by theme."""

from __future__ import annotations

import pytest

from hub.reports.service import publish
from hub.web.catalogue import THEMES, theme_of
from tests.factories.data import push_demo


@pytest.fixture
def published(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    month, year = demo.months[-1], demo.months[-1][:4]
    return publish(session, month) + publish(session, year)


def test_every_standard_report_has_a_theme():
    from hub.reports.definitions import STANDARD_REPORTS

    assert {theme_of(report.id) for report in STANDARD_REPORTS} <= set(THEMES)


def test_the_catalogue_lists_every_published_table(client, published):
    page = client.get("/reports").text
    assert all(f'href="/reports/{r.id}"' in page for r in published)


def test_a_theme_keeps_its_reports_only(client, published):
    page = client.get("/reports?theme=places").text
    shown = [r for r in published if f'href="/reports/{r.id}"' in page]
    assert shown and all(theme_of(r.report) == "places" for r in shown)
    assert len(shown) == sum(theme_of(r.report) == "places" for r in published)


def test_a_year_keeps_its_periods_only(client, published):
    year = published[-1].period
    assert client.get(f"/reports?year={int(year) - 5}").text.count('href="/reports/') == 0
    page = client.get(f"/reports?year={year}").text
    assert all(f'href="/reports/{r.id}"' in page for r in published)


def test_a_malformed_year_is_refused(client):
    assert client.get("/reports?year=20x6").status_code == 422
