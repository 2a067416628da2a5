"""Publishing standard reports: every table, its privacy parameters, once, and within budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import func, select

from hub.budget.service import accounts
from hub.models import BudgetEntry, Release
from hub.reports.definitions import TOTAL, reports_of
from hub.reports.persons import person_frame
from hub.reports.service import publication_rho, publish
from tests.factories.data import push_demo


@pytest.fixture
def linked(client, session, tmp_path):
    return push_demo(client, session, tmp_path)


def test_a_year_publishes_every_standard_table_with_every_cell(session, linked):
    year = linked.months[-1][:4]
    releases = publish(session, year)
    assert sorted(r.report for r in releases) == sorted(r.id for r in reports_of(year))
    by_report = {r.report: r for r in releases}
    gender_age = by_report["persons-by-exploitation-gender-age"]
    # 11 types (+ Unknown) x 4 genders (Unknown is one) x 9 bands (+ Unknown): zeros included.
    assert len([c for c in gender_age.cells if c["kind"] == "cell"]) == 12 * 4 * 10
    assert all(c["ci95"][0] <= c["value"] <= c["ci95"][1] for c in gender_age.cells)
    assert gender_age.parameters["delta"] == "1E-7"
    assert "OpenDP" in gender_age.mechanism["description"]


def test_publishing_again_spends_nothing_and_answers_the_same(session, linked):
    month = linked.months[-1]
    first = publish(session, month)
    spent = [a.spent_rho for a in accounts(session)]
    again = publish(session, month)
    assert [r.id for r in again] == [r.id for r in first]
    assert [r.content_hash for r in again] == [r.content_hash for r in first]
    assert [a.spent_rho for a in accounts(session)] == spent


def test_a_month_spends_exactly_its_share_of_its_cohort(session, linked):
    month = linked.months[-1]
    publish(session, month)
    account = next(a for a in accounts(session) if a.cohort == month)
    assert account.spent_rho == pytest.approx(publication_rho(month), rel=Decimal("1e-20"))
    entries = session.exec(select(func.count()).select_from(BudgetEntry).where(BudgetEntry.cohort == month)).one()
    assert entries == len(reports_of(month))


def test_each_person_is_one_row_in_exactly_one_cohort(session, linked):
    persons = person_frame(session)
    assert persons.get_column("person_id").is_unique().all()
    assert persons.get_column("cohort").null_count() == 0
    assert set(persons.get_column("cohort")) <= set(linked.months)


def test_a_failed_release_spends_nothing_and_stores_nothing(session, linked, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("OpenDP failed")

    monkeypatch.setattr("hub.releases.compute.measure_table", broken)
    with pytest.raises(RuntimeError):
        with session.begin_nested():
            publish(session, linked.months[-1])
    assert all(a.spent_rho == 0 for a in accounts(session))
    assert session.exec(select(func.count()).select_from(Release)).one() == 0


def _adds_up(release) -> bool:
    cells = [c for c in release.cells if c["kind"] == "cell"]
    total = next(c for c in release.cells if c["kind"] == "total")
    margins = [c for c in release.cells if c["kind"] == "margin"]
    fits = all(m["value"] == sum(c["value"] for c in cells if all(c["key"][k] == v for k, v in m["key"].items()))
               for m in margins)
    return fits and sum(c["value"] for c in cells) == total["value"]


def test_every_published_table_adds_up_and_tables_of_persons_share_one_total(session, linked):
    releases = publish(session, linked.months[-1][:4])
    assert all(_adds_up(r) for r in releases if r.report != TOTAL)
    persons_total = next(r for r in releases if r.report == TOTAL).cells[0]["value"]
    of_persons = [r for r in releases if r.report in ("persons-by-citizenship", "new-persons-by-month-and-region")]
    assert all(next(c for c in r.cells if c["kind"] == "total")["value"] == persons_total for r in of_persons)


def test_titles_say_what_is_counted_and_a_month_is_never_by_year(session, linked):
    month = linked.months[-1]
    for release in publish(session, month):
        assert "by year" not in release.title and release.title.endswith(month[:4])
        assert all(d["name"] != "year" for d in release.parameters["dimensions"])
    industry = next(r for r in reports_of(month[:4]) if r.id == "persons-by-forced-labour-industry")
    assert industry.filters == {"type_of_exploitation": ("ForcedLabour",)} and "include forced labour" in industry.title
