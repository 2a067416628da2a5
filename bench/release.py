"""Release benchmark: DP standard report tables against a plain Polars group-by, and their accuracy.

Data: synthetic person frames (one row per person) of 100,000 and 1,000,000 rows whose attributes
come from the ``case-v1`` enumerations: country of exploitation and citizenship (skewed over all
ISO countries), gender, age band (5 % missing), type of exploitation (one to three values),
registration year 2015-2024.

Standard report: two tables released together,
  A. type_of_exploitation (multi-valued, at most 2 values per person) x gender x age_band;
  B. citizenship x registration_year;
each at rho = 0.0025 (their sum, 0.005, is about epsilon 0.58 at delta 1e-7).
Floor: the same two tables by a plain Polars group-by (exploding the type list), same data, same
run. Times are medians of seven runs after one warm-up, the floor and the release alternated, and
``ratio_*`` is the median of the seven pairs' ratios (so that a change of the shared machine's
load between the floor's runs and the release's is not read as speed); ``counting_seconds_*`` is the exact
counting alone (the rest is OpenDP's discrete Gaussian sampler, about 12 microseconds per cell
whatever the number of persons, and the cells' post-processing, whose intervals are computed as
arrays). ``startup_seconds`` is the fixed cost
paid once per process: importing OpenDP and Polars and building the first measurement.
Peak memory: the peak resident set of a child process that builds the 1,000,000-row frame and
runs one floor (``peak_rss_mb_floor_1m``) or one release (``peak_rss_mb_release_1m``).
Accuracy: 30 releases of the standard report over the 100,000-person frame; mean absolute error
of the published values and the share of cells whose true count lies in the published 95 %
interval.

Usage: ``.venv/bin/python bench/release.py`` (``--quick``: 100,000 persons only, no memory children).
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_started = time.perf_counter()
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from privacy.dp import Dimension, TableQuery, make_count_release  # noqa: E402
from privacy.dp.tables import count_cells  # noqa: E402
from schemas import load_schema  # noqa: E402

RHO_PER_TABLE = Decimal("0.0025")
YEARS = tuple(str(year) for year in range(2015, 2025))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def standard_report() -> tuple[TableQuery, TableQuery]:
    schema = load_schema("case-v1")
    exploitation = Dimension.from_schema(schema, "type_of_exploitation", max_values=2)
    gender = Dimension.from_schema(schema, "gender")
    age_band = Dimension.from_schema(schema, "age_band")
    citizenship = Dimension.from_schema(schema, "citizenship")
    year = Dimension("registration_year", YEARS)
    return TableQuery((exploitation, gender, age_band)), TableQuery((citizenship, year))


def make_persons(n: int, seed: int = 2024) -> pl.DataFrame:
    """One row per person, attributes drawn from the schema's enumerations."""
    schema = load_schema("case-v1")
    rng = np.random.default_rng(seed)
    countries = np.array(schema.enumerations["country"].values)
    # Zipf-like: a few countries hold most persons, most hold few or none.
    weights = 1 / np.arange(1, len(countries) + 1) ** 1.3
    weights /= weights.sum()

    def pick(values, p=None):
        return np.asarray(values)[rng.choice(len(values), size=n, p=p)]

    types = schema.enumerations["type_of_exploitation"].values
    type_weights = np.array([30, 25, 8, 6, 5, 1, 0.5, 4, 0.5, 0.5, 3])
    type_weights /= type_weights.sum()
    first, second, third = (pick(types, type_weights) for _ in range(3))
    how_many = rng.choice([1, 2, 3], size=n, p=[0.7, 0.22, 0.08])
    age_bands = pick(schema.enumerations["age_band"].values).astype(object)
    age_bands[rng.random(n) < 0.05] = None
    return pl.DataFrame(
        {
            "person_id": np.arange(n),
            "country_of_exploitation": rng.permutation(countries)[rng.choice(len(countries), size=n, p=weights)],
            "citizenship": countries[rng.choice(len(countries), size=n, p=weights)],
            "gender": pick(schema.enumerations["gender"].values, [0.55, 0.42, 0.01, 0.02]),
            "age_band": pl.Series(age_bands, dtype=pl.String),
            "registration_year": pick(YEARS),
            "first": first, "second": second, "third": third, "how_many": how_many,
        }
    ).with_columns(
        pl.concat_list("first", "second", "third").list.head(pl.col("how_many")).list.unique(maintain_order=True)
        .alias("type_of_exploitation")
    ).drop("first", "second", "third", "how_many")


def floor(persons: pl.DataFrame) -> list[pl.DataFrame]:
    """The same two tables without privacy: plain group-bys (the non-private floor)."""
    by_type = (
        persons.lazy().select("type_of_exploitation", "gender", "age_band")
        .explode("type_of_exploitation")
        .group_by("type_of_exploitation", "gender", "age_band").len()
    )
    by_citizenship = persons.lazy().group_by("citizenship", "registration_year").len()
    return pl.collect_all([by_type, by_citizenship])


def release(persons: pl.DataFrame, queries) -> list:
    return [make_count_release(persons, query, RHO_PER_TABLE) for query in queries]


def median_seconds(function, *args, runs: int = 5) -> float:
    function(*args)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def paired_seconds(first, second, runs: int = 7) -> tuple[float, float, float]:
    """Medians of ``first()`` and ``second()`` timed in alternation, and the median of their per-pair ratios.

    On a shared machine the load changes from one second to the next: timing one function's runs
    and then the other's lets a change of load between them pass for a difference of speed;
    alternating them, and taking the ratio within each pair, does not.
    """
    first(), second()
    pairs = []
    for _ in range(runs):
        started = time.perf_counter()
        first()
        middle = time.perf_counter()
        second()
        pairs.append((middle - started, time.perf_counter() - middle))
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(b / a for a, b in pairs))


def accuracy(persons: pl.DataFrame, queries, releases: int) -> tuple[float, float]:
    truths = [count_cells(persons, query) for query in queries]
    errors, covered, cells = 0.0, 0, 0
    for _ in range(releases):
        for published, truth in zip(release(persons, queries), truths):
            for cell, true_value in zip(published.cells, truth.tolist()):
                low, high = cell.interval(0.05)
                covered += low <= true_value <= high
                errors += abs(cell.value - true_value)
                cells += 1
    return errors / cells, covered / cells


def demo_accuracy(releases: int) -> tuple[float, float, int]:
    """Mean absolute error and 95 % coverage of two monthly standard tables over the hub's demo persons."""
    from bench.demo_persons import demo_person_frame
    from hub.reports.dimensions import catalogue, dp_dimension, time_dimension

    persons = demo_person_frame()
    months = sorted(set(persons.get_column("cohort")))
    dimensions = catalogue()
    queries = [
        TableQuery((dp_dimension(dimensions["type_of_exploitation"]), dp_dimension(dimensions["gender"]))),
        TableQuery((dp_dimension(time_dimension("month", months)), dp_dimension(dimensions["region"]))),
    ]
    mean_abs_error, coverage = accuracy(persons, queries, releases)
    return mean_abs_error, coverage, persons.height


def child_peak(kind: str, n: int) -> float:
    """Peak resident memory (MB) of a fresh process that builds the frame and runs ``kind`` once."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--persons", str(n)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])["peak_rss_mb"]


def run_child(kind: str, n: int) -> None:
    persons = make_persons(n)
    queries = standard_report()
    floor(persons) if kind == "floor" else release(persons, queries)
    print(json.dumps({"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", choices=["floor", "release"])
    parser.add_argument("--persons", type=int)
    arguments = parser.parse_args()
    if arguments.child:
        run_child(arguments.child, arguments.persons)
        return

    queries = standard_report()
    # Fixed start-up: imports (timed from the top of this file) and the first, tiny release.
    release(pl.DataFrame({c.name: [] for q in queries for c in q.dimensions},
                         schema={"type_of_exploitation": pl.List(pl.String)} | {
                             c.name: pl.String for q in queries for c in q.dimensions if not c.multi}), queries)
    startup = time.perf_counter() - _started
    figures: dict[str, object] = {
        "startup_seconds": round(startup, 3),
        "cells": [q.n_cells for q in queries],
        "rho_per_table": str(RHO_PER_TABLE),
    }
    log(f"start-up (imports, first measurement): {startup:.3f} s; cells per table: {figures['cells']}")

    demo_error, demo_coverage, demo_persons = demo_accuracy(releases=30)
    figures |= {"demo_persons": demo_persons, "demo_mean_abs_error": round(demo_error, 3),
                "demo_interval_coverage_95": round(demo_coverage, 4)}
    log(f"demo data ({demo_persons} linked persons), 30 releases of two monthly tables at rho {RHO_PER_TABLE}: "
        f"mean absolute error "
        f"{demo_error:.2f}, 95 % interval coverage {demo_coverage:.4f}")

    for n, label in [(100_000, "100k"), (1_000_000, "1m")]:
        if arguments.quick and n > 100_000:
            break
        persons = make_persons(n)
        floor_seconds, release_seconds, ratio = paired_seconds(lambda: floor(persons), lambda: release(persons, queries))
        counting_seconds = median_seconds(lambda: [count_cells(persons, query) for query in queries])
        figures |= {
            f"counting_seconds_{label}": round(counting_seconds, 4),
            f"floor_seconds_{label}": round(floor_seconds, 4),
            f"release_seconds_{label}": round(release_seconds, 4),
            f"ratio_{label}": round(ratio, 2),
        }
        log(f"{n:>9,} persons: floor {floor_seconds:.3f} s, release {release_seconds:.3f} s "
            f"(of which exact counting {counting_seconds:.3f} s), ratio {ratio:.2f} (median of 7 alternated pairs)")
        if n == 100_000:
            mean_abs_error, coverage = accuracy(persons, queries, releases=30)
            figures |= {"mean_abs_error": round(mean_abs_error, 3), "interval_coverage_95": round(coverage, 4),
                        "accuracy_releases": 30, "sigma": [release(persons, queries)[i].sigma for i in (0, 1)]}
            log(f"accuracy over 30 releases: mean absolute error {mean_abs_error:.2f}, "
                f"95 % interval coverage {coverage:.4f}")
    if not arguments.quick:
        figures["peak_rss_mb_floor_1m"] = child_peak("floor", 1_000_000)
        figures["peak_rss_mb_release_1m"] = child_peak("release", 1_000_000)
        log(f"peak RSS at 1,000,000 persons: floor {figures['peak_rss_mb_floor_1m']} MB, "
            f"release {figures['peak_rss_mb_release_1m']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
