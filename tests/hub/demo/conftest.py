"""One demo data set, generated once for the tests of this folder, and its parsed records."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hub.demo import DemoSummary, generate_demo_data
from schemas import load_schema
from tests.hub.demo.partner_files import read_partner

MONTHS = ["2025-04", "2025-05", "2025-06"]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    # Eight partners: the six hand-written layouts and two variants drawn from the seed.
    out_dir = tmp_path_factory.mktemp("demo")
    return generate_demo_data(out_dir, partners=8, persons=1500, months=MONTHS, seed=7)


@pytest.fixture(scope="session")
def records(demo: DemoSummary) -> list[tuple[str, str, dict]]:
    """Every record of every partner as (partner slug, month, {schema field: value})."""
    schema = load_schema("case-v1")
    return [
        (slug, month, record)
        for slug in demo.mapping_files
        for month, record in read_partner(demo.out_dir / slug, schema)
    ]


@pytest.fixture(scope="session")
def truth(demo: DemoSummary) -> dict[tuple[str, str], str]:
    """(partner slug, case reference) -> true person id, from ground_truth.csv."""
    with Path(demo.ground_truth_file).open(encoding="utf-8", newline="") as handle:
        return {(row["partner"], row["case_reference"]): row["person_id"] for row in csv.DictReader(handle)}
