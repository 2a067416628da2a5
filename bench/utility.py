"""Utility benchmark: how far the published annual tables are from the truth, against CTDC's approach.

Persons: the demo's ground truth (``hub.demo.people.PersonFactory``, the persons partners'
records are rendered from), not the linked persons, so linkage errors do not enter; each person
falls in a month of one year at random (seeded). Publication: the annual standard tables of
``hub.reports.definitions`` (the partner overlap left out: the ground truth has no partners; its
share of rho is left unspent), at the default budget: the reports' lifetime epsilon converted by
``privacy.dp.budget`` and the annual share of it, split as the definitions say. Each of
``--seeds`` publications measures every table with OpenDP, shares the total of persons, and
post-processes as the hub does.

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


def annual_plan():
    """The annual tables (no overlap) as queries, with their rho, from the definitions and the budget."""
    from hub.config import get_settings
    from hub.reports.definitions import ANNUAL, cohorts_of, table_rhos
    from hub.reports.dimensions import catalogue, dp_dimension, time_dimension
    from privacy.dp.budget import epsilon_to_rho
    from privacy.dp.tables import TableQuery

    settings = get_settings()
    rho = epsilon_to_rho(settings.reports_epsilon, settings.privacy_delta) * (1 - settings.monthly_report_share)
    dimensions = catalogue()
    plan = []
    for report, table_rho in zip(ANNUAL, table_rhos(ANNUAL, rho)):
        if report.overlap:
            continue
        infos = [time_dimension(n, cohorts_of(YEAR)) if n == "month" else dimensions[n] for n in report.dimensions]
        plan.append((report.id, TableQuery(tuple(dp_dimension(d) for d in infos), dict(report.filters)), table_rho))
    return plan, rho


def publish_once(persons: pl.DataFrame, plan, seed: int):
    """One annual publication and the truth it is measured against (the same draws of values)."""
    from privacy.dp.consistency import combine, round_total
    from privacy.dp.release import PublishedTotal, finish_table, measure_table
    from privacy.dp.tables import count_cells

    truths, measured = {}, {}
    for report, query, rho in plan:
        truths[report] = count_cells(persons, query, rng=np.random.default_rng([seed, len(truths)]))
        measured[report] = measure_table(persons, query, rho, rng=np.random.default_rng([seed, len(measured)]))
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
    arguments = parser.parse_args()
    started = time.perf_counter()
    persons = truth_persons(arguments.persons)
    plan, rho = annual_plan()
    log(f"{persons.height} ground-truth persons in {YEAR}; annual rho {rho:.6f} over {len(plan)} tables")
    from privacy.dp.tables import Dimension, TableQuery, count_cells

    errors = {"total": [], "margin": [], "cell": []}
    covered = {"total": [], "margin": [], "cell": []}
    usable, ctdc_cells, hidden, truncation = [], None, None, None
    for seed in range(arguments.seeds):
        releases, truths = publish_once(persons, plan, seed)
        published_ctdc = 0
        usable_here = []
        for (report, query, _), release in zip(plan, releases.values()):
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
        usable.append(np.mean(usable_here))
        if ctdc_cells is None:
            ctdc_cells = published_ctdc
            hidden = sum(int(t[(t > 0) & (t < 10)].sum()) for t in truths.values())
            # How far the bounded count of multi-valued tables is from counting every value.
            gaps = []
            for report, query, _ in plan:
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
        "tables": [report for report, _, _ in plan],
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
        "ctdc_cells_published": ctdc_cells,
        "ctdc_persons_in_suppressed_cells": hidden,
        "truncation_mae": round(truncation, 3),
        "seconds": round(time.perf_counter() - started, 1),
    }
    log(json.dumps(figures, indent=1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
