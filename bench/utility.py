"""Utility benchmark: how far the published annual tables are from the truth, against CTDC's approach.

Persons: the demo's ground truth (``hub.demo.people.PersonFactory``, the persons partners'
records are rendered from), not the linked persons, so linkage errors do not enter; each person
falls in a month of one year at random (seeded). Publication: the annual standard tables of
``hub.reports.definitions`` (the partner overlap left out: the ground truth has no partners; its
share of rho is left unspent), at the default budget: the reports' lifetime epsilon converted by
``privacy.dp.budget`` and the annual share of it, split as the definitions say. Each of
``--seeds`` publications measures every table with OpenDP, shares the total of persons, and
post-processes as the hub does. As the hub does when the year's twelve months are published,
the annual tables that reuse monthly ones combine the months' measurements (each month's tables
measured over its persons at the monthly share of the budget) with their own; ``--no-reuse``
publishes the year on its own measurements, as before the months were reused.

Figures (means over publications): bias and mean absolute error of the total, of every published
margin and of every cell; the share of the cells with a true count >= 10 (those CTDC would
publish exactly, suppressing the rest) whose 95 % interval excludes zero ("usable"); 95 %
coverage of cells, margins and totals; CTDC's side: cells published, and persons in suppressed
cells. The truth of a multi-valued table is counted with the same random choice of values as the
publication (the bound is part of what the table counts); ``truncation_mae`` is how far that is
from counting every value.

Usage: ``.venv/bin/python bench/utility.py [--seeds 200] [--persons 1500]``; the last line printed
is one JSON object, progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from bench.common import log  # noqa: E402

YEAR = "2025"


def truth_persons(n: int, seed: int = 7) -> pl.DataFrame:
    """One row per ground-truth demo person, with the columns of the hub's person frame."""
    from hub.demo.people import PersonFactory
    from hub.reports.persons import country_regions
    from schemas import load_schema

    bands = load_schema("case-v1").enumerations["age_band"]
    _, regions = country_regions()
    factory = PersonFactory(random.Random(f"demo-persons:{seed}"), reference_day=date(2025, 12, 31))
    months = random.Random(f"utility-months:{seed}")
    rows = []
    for _ in range(n):
        person = factory.make()
        age = (date(2025, 12, 31) - person.birth_date).days // 365
        band = next(v for v, low in reversed(list(zip(bands.values, bands.lower_bounds))) if age >= low)
        rows.append({
            "cohort": f"{YEAR}-{months.randint(1, 12):02d}", "gender": person.gender, "age_band": band,
            "citizenship": person.citizenship, "country_of_exploitation": person.exploitation_country,
            "type_of_exploitation": list(person.types), "forced_labour_industry": person.industry,
            "means_of_control": list(person.means),
        })
    frame = pl.DataFrame(rows, schema_overrides={"type_of_exploitation": pl.List(pl.String),
                                                 "means_of_control": pl.List(pl.String)})
    return frame.with_columns(
        pl.col("cohort").alias("month"),
        pl.col("country_of_exploitation").replace_strict(regions, default=None).alias("region"),
        pl.when(pl.col("citizenship") == pl.col("country_of_exploitation")).then(pl.lit("Domestic"))
        .otherwise(pl.lit("CrossBorder")).alias("border"),
    )


def _queries(reports, cohorts):
    from hub.reports.dimensions import catalogue, dp_dimension, time_dimension
    from privacy.dp.tables import TableQuery

    dimensions = catalogue()
    queries = []
    for report in reports:
        infos = [time_dimension(n, cohorts) if n == "month" else dimensions[n] for n in report.dimensions]
        queries.append(TableQuery(tuple(dp_dimension(d) for d in infos), dict(report.filters)))
    return queries


def annual_plan():
    """The annual tables (no overlap) as (id, query, rho, reused monthly tables), from the definitions and the budget.

    Also the monthly tables that some annual one reuses, as (id, query, rho), and the annual rho.
    """
    from hub.config import get_settings
    from hub.reports.definitions import ANNUAL, MONTHLY, cohorts_of, table_rhos
    from privacy.dp.budget import epsilon_to_rho

    settings = get_settings()
    lifetime = epsilon_to_rho(settings.reports_epsilon, settings.privacy_delta)
    rho = lifetime * (1 - settings.monthly_report_share)
    reports = [r for r in ANNUAL if not r.overlap]
    plan = [(report.id, query, table_rho, report.reuses) for report, query, table_rho
            in zip(reports, _queries(reports, cohorts_of(YEAR)), table_rhos(ANNUAL, rho)[: len(reports)])]
    reused = {m for r in reports for m in r.reuses}
    monthly = [(report.id, query, table_rho) for report, query, table_rho
               in zip(MONTHLY, _queries(MONTHLY, []), table_rhos(MONTHLY, lifetime * settings.monthly_report_share))
               if report.id in reused]
    return plan, monthly, rho


def monthly_measurements(persons: pl.DataFrame, monthly) -> dict[str, list[list[dict]]]:
    """Each reused monthly table measured over each month's persons, as the month's release keeps it."""
    from hub.reports.definitions import cohorts_of
    from hub.reports.reuse import measurements_record
    from privacy.dp.release import measure_table

    kept = {}
    for report, query, rho in monthly:
        kept[report] = [measurements_record(measure_table(persons.filter(pl.col("cohort") == month), query, rho))
                        for month in cohorts_of(YEAR)]
    return kept


def publish_once(persons: pl.DataFrame, plan, monthly, seed: int):
    """One annual publication and the truth it is measured against (the same draws of values)."""
    from hub.reports.reuse import in_year_axes
    from privacy.dp.consistency import combine, round_total
    from privacy.dp.release import PublishedTotal, finish_table, measure_table
    from privacy.dp.tables import count_cells

    months = monthly_measurements(persons, monthly)
    truths, measured = {}, {}
    for report, query, rho, reuses in plan:
        reused = tuple(in_year_axes(query, [month[level] for month in months[m]])[0]
                       for m in reuses if m in months for level in range(len(months[m][0])))
        truths[report] = count_cells(persons, query, rng=np.random.default_rng([seed, len(truths)]))
        measured[report] = measure_table(persons, query, rho, rng=np.random.default_rng([seed, len(measured)]),
                                         reused=reused)
    of_persons = [r for r, m in measured.items() if m.counts_persons_once]
    estimate, variance = combine([(measured[r].estimate.total, measured[r].estimate.total_variance) for r in of_persons])
    rng = np.random.default_rng([seed, 999])
    total = PublishedTotal(round_total(estimate, rng), estimate, variance)
    releases = {r: finish_table(m, total if r in of_persons else None, rng=rng) for r, m in measured.items()}
    return releases, truths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--persons", type=int, default=1500)
    parser.add_argument("--no-reuse", action="store_true", help="the year on its own measurements only")
    arguments = parser.parse_args()
    started = time.perf_counter()
    persons = truth_persons(arguments.persons)
    plan, monthly, rho = annual_plan()
    if arguments.no_reuse:
        monthly = []
    log(f"{persons.height} ground-truth persons in {YEAR}; annual rho {rho:.6f} over {len(plan)} tables")
    from privacy.dp.tables import Dimension, TableQuery, count_cells

    errors = {"total": [], "margin": [], "cell": []}
    covered = {"total": [], "margin": [], "cell": []}
    usable, ctdc_cells, hidden, truncation = [], None, None, None
    usable_by_table = {report: [] for report, _, _, _ in plan}
    for seed in range(arguments.seeds):
        releases, truths = publish_once(persons, plan, monthly, seed)
        published_ctdc = 0
        usable_here = []
        for (report, query, _, _), release in zip(plan, releases.values()):
            truth = truths[report].reshape([len(d.cell_keys) for d in query.dimensions])
            names = release.dimensions
            true_total = int(truth.sum())
            errors["total"].append(release.total.value - true_total)
            covered["total"].append(release.total.interval()[0] <= true_total <= release.total.interval()[1])
            for kept, margin in release.margins.items():
                positions = tuple(names.index(n) for n in kept)
                true_margin = truth.sum(axis=tuple(a for a in range(truth.ndim) if a not in positions)).ravel()
                for cell, true in zip(margin, true_margin.tolist()):
                    errors["margin"].append(cell.value - true)
                    covered["margin"].append(cell.interval()[0] <= true <= cell.interval()[1])
            for cell, true in zip(release.cells, truth.ravel().tolist()):
                errors["cell"].append(cell.value - true)
                covered["cell"].append(cell.interval()[0] <= true <= cell.interval()[1])
                if true >= 10:
                    published_ctdc += 1
                    usable_here.append(cell.interval()[0] > 0)
                    usable_by_table[report].append(cell.interval()[0] > 0)
        usable.append(np.mean(usable_here))
        if ctdc_cells is None:
            ctdc_cells = published_ctdc
            hidden = sum(int(t[(t > 0) & (t < 10)].sum()) for t in truths.values())
            # How far the bounded count of multi-valued tables is from counting every value.
            gaps = []
            for report, query, _, _ in plan:
                if any(d.multi for d in query.dimensions):
                    unbounded = TableQuery(tuple(Dimension(d.name, d.keys, d.multi, len(d.cell_keys) if d.multi else 1, d.never_null)
                                                 for d in query.dimensions), query.filters)
                    gaps.append(np.abs(count_cells(persons, unbounded) - truths[report]))
            truncation = float(np.mean(np.concatenate(gaps)))
        if seed % 50 == 49:
            log(f"{seed + 1} publications, {time.perf_counter() - started:.1f} s")
    totals = np.array(errors["total"], dtype=float)
    persons_total_error = np.array(errors["total"][:: len(plan)], dtype=float)  # the first table: the total
    figures = {
        "persons": persons.height,
        "publications": arguments.seeds,
        "annual_rho": f"{rho:.6f}",
        "tables": [report for report, _, _, _ in plan],
        "reused_monthly_tables": [report for report, _, _ in monthly],
        "total_bias": round(float(persons_total_error.mean()), 3),
        "total_mae": round(float(np.abs(persons_total_error).mean()), 2),
        "total_relative_mae": round(float(np.abs(persons_total_error).mean()) / persons.height, 4),
        "table_total_bias": round(float(totals.mean()), 3),
        "margin_bias": round(float(np.mean(errors["margin"])), 3),
        "margin_mae": round(float(np.mean(np.abs(errors["margin"]))), 2),
        "cell_bias": round(float(np.mean(errors["cell"])), 3),
        "cell_mae": round(float(np.mean(np.abs(errors["cell"]))), 2),
        "coverage_cells": round(float(np.mean(covered["cell"])), 4),
        "coverage_margins": round(float(np.mean(covered["margin"])), 4),
        "coverage_totals": round(float(np.mean(covered["total"])), 4),
        "usable_share_of_ctdc_cells": round(float(np.mean(usable)), 4),
        "usable_share_by_table": {report: round(float(np.mean(hits)), 3) if hits else None
                                  for report, hits in usable_by_table.items()},
        "ctdc_cells_published": ctdc_cells,
        "ctdc_persons_in_suppressed_cells": hidden,
        "truncation_mae": round(truncation, 3),
        "seconds": round(time.perf_counter() - started, 1),
    }
    log(json.dumps(figures, indent=1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
