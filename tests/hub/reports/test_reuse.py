"""The year reuses its months' measurements: what is combined, recorded, and intervals that stay honest."""

from __future__ import annotations

import math
from decimal import Decimal
from statistics import NormalDist

import numpy as np
import pytest

from hub.reports.definitions import ANNUAL, MONTHLY, check_reuses
from hub.reports.reuse import in_year_axes, measurements_record
from hub.reports.service import publish, reused_by_table
from hub.releases.compute import expected_halfwidths
from privacy.dp.consistency import interval
from privacy.dp.release import measure_counts
from privacy.dp.tables import Dimension, TableQuery
from tests.factories.data import push_demo

MONTH_AND_REGION = "new-persons-by-month-and-region"


def test_every_declared_reuse_is_a_margin_of_persons_and_each_month_table_is_reused_once():
    check_reuses()
    reused = [m for report in ANNUAL for m in report.reuses]
    assert len(reused) == len(set(reused)) and set(reused) <= {r.id for r in MONTHLY}


@pytest.fixture
def linked(client, session, tmp_path):
    return push_demo(client, session, tmp_path)


def _by_report(releases):
    return {release.report: release for release in releases}


def _half_width_matches(release, half: float) -> bool:
    """Every cell's 95 % interval is its estimate (0 if negative) +/- ``half`` (ends rounded inwards),
    unless widened to its value."""
    for cell in (c for c in release.cells if c["kind"] == "cell"):
        low, high = cell["ci95"]
        if high != cell["value"] and abs(high - (max(cell["estimate"], 0) + half)) > 1.01:
            return False
    return True


def test_a_year_combines_its_twelve_months_measurements_and_records_them(session, linked):
    year = linked.months[-1][:4]
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    monthly = {month: _by_report(publish(session, month, force_reason="the test's partners sent three months only")
                                 if month in linked.months else publish(session, month)) for month in months}
    region = monthly[months[-1]]["persons-by-region"].mechanism["measurements"]
    assert [level["dimensions"] for level in region] == [["region"]]
    assert all(isinstance(v, int) for v in region[0]["values"])
    assert len(region[0]["values"]) == len(region[0]["keys"][0])
    alone = expected_halfwidths(year)[MONTH_AND_REGION]["cells"]
    combined = expected_halfwidths(year, reused=reused_by_table(session, year))[MONTH_AND_REGION]["cells"]
    assert combined < alone - 2  # the months' region tables are about as precise as the year's own cells

    annual = _by_report(publish(session, year, force_reason="the test's partners sent three months only"))
    record = annual[MONTH_AND_REGION].mechanism["reused"]
    assert [(r["monthly_report"], r["reused"], r["margin"]) for r in record] == [
        ("persons-total", True, ["month"]), ("persons-by-region", True, ["month", "region"])]
    assert all([e["id"] for e in r["releases"]] == [monthly[m][r["monthly_report"]].id for m in months] for r in record)
    assert "earlier release's measurement of month x region" in annual[MONTH_AND_REGION].mechanism["description"]
    assert any("twelve monthly publications made of persons identified and persons identified by region" in note
               for note in annual[MONTH_AND_REGION].mechanism["notes"])
    assert _half_width_matches(annual[MONTH_AND_REGION], combined)
    assert not _half_width_matches(annual[MONTH_AND_REGION], alone)
    border = annual["domestic-vs-cross-border"].mechanism["reused"]
    assert [(r["reused"], r["combined"]) for r in border] == [(True, "summed over the twelve months")]
    assert "reused" not in annual["persons-by-citizenship"].mechanism


def test_a_year_whose_months_were_not_all_published_stands_on_its_own_and_says_why(session, linked):
    year = linked.months[-1][:4]
    publish(session, linked.months[-1], force_reason="the test's partners sent three months only")
    annual = _by_report(publish(session, year, force_reason="the test's partners sent three months only"))
    record = annual[MONTH_AND_REGION].mechanism["reused"]
    assert all(not r["reused"] and f"{year}-01" in r["reason"] and linked.months[-1] not in r["reason"] for r in record)
    assert _half_width_matches(annual[MONTH_AND_REGION], expected_halfwidths(year)[MONTH_AND_REGION]["cells"])


MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
REGION = Dimension("region", ("North", "South", "East", "West"))
MONTH = Dimension("month", tuple(MONTHS), never_null=True)
TRUTH = np.random.default_rng(11).poisson(12, (12, 5))  # persons by month and region (with Unknown)


def _monthly_records(query: TableQuery, truth: np.ndarray, rho: Decimal) -> list[list[dict]]:
    return [measurements_record(measure_counts(row, query, rho)) for row in truth]


def test_combined_intervals_have_their_stated_coverage_stacked_and_summed():
    """Months measured with OpenDP, the year too, combined: the least-squares intervals cover 95 %, no more, no less.

    A combined variance too small (the months' noise forgotten, or a sum's not added up) covers
    less; one too large (the reuse not counted) covers more. 400 publications: 24,000 cells,
    4,800 month totals, 2,000 regions summed over the year; each share is allowed 4 standard errors.
    """
    year_query = TableQuery((MONTH, REGION))
    summed_query = TableQuery((REGION,))
    z = NormalDist().inv_cdf(0.975)
    hits = {"cells": [], "months": [], "summed": []}
    published_hits = []
    rng = np.random.default_rng(5)
    for _ in range(400):
        by_month = [level[0] for level in _monthly_records(TableQuery((REGION,)), TRUTH, Decimal("0.004"))]
        totals = [level[0] for level in _monthly_records(TableQuery(()), TRUTH.sum(axis=1), Decimal("0.004"))]
        stacked = [in_year_axes(year_query, by_month)[0], in_year_axes(year_query, totals)[0]]
        year = measure_counts(TRUTH.ravel(), year_query, Decimal("0.006"), reused=tuple(stacked))
        for kept, truth, kind in (((0, 1), TRUTH, "cells"), ((0,), TRUTH.sum(axis=1), "months")):
            half = z * math.sqrt(year.estimate.variance(kept))
            hits[kind] += (np.abs(year.estimate.margin(kept) - truth) <= half).ravel().tolist()
        summed = in_year_axes(summed_query, by_month)[0]
        assert summed.variance == pytest.approx(12 * by_month[0]["variance"])
        region = measure_counts(TRUTH.sum(axis=0), summed_query, Decimal("0.002"), reused=(summed,))
        half = z * math.sqrt(region.estimate.variance((0,)))
        hits["summed"] += (np.abs(region.estimate.cells - TRUTH.sum(axis=0)) <= half).tolist()
        for estimate, true in zip(year.estimate.cells.ravel(), TRUTH.ravel()):
            published = max(int(round(estimate + rng.uniform(-0.5, 0.5))), 0)
            low, high = interval(float(estimate), year.estimate.variance((0, 1)), published, 0.05)
            published_hits.append(low <= true <= high)
    for kind, covered in hits.items():
        allowed = 4 * math.sqrt(0.05 * 0.95 / len(covered))
        assert abs(np.mean(covered) - 0.95) < allowed, kind
    assert np.mean(published_hits) >= 0.95 - 4 * math.sqrt(0.05 * 0.95 / len(published_hits))
