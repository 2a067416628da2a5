"""The generator's contract: deterministic for a seed, checked arguments, fast enough for benchmarks."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from hub.demo import default_months, generate_demo_data

MONTHS = ["2025-01", "2025-02"]


def _contents(root: Path) -> dict[str, object]:
    """Every file under ``root``: bytes, or cell values for workbooks (which carry a save time)."""
    contents: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            contents[str(path.relative_to(root))] = list(book.worksheets[0].iter_rows(values_only=True))
            book.close()
        elif path.is_file():
            contents[str(path.relative_to(root))] = path.read_bytes()
    return contents


def test_the_same_seed_writes_the_same_data(tmp_path: Path):
    first = generate_demo_data(tmp_path / "a", partners=7, persons=300, months=MONTHS, seed=11)
    second = generate_demo_data(tmp_path / "b", partners=7, persons=300, months=MONTHS, seed=11)
    assert first.records == second.records
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")


def test_another_seed_writes_other_data(tmp_path: Path):
    generate_demo_data(tmp_path / "a", partners=3, persons=200, months=MONTHS, seed=1)
    generate_demo_data(tmp_path / "b", partners=3, persons=200, months=MONTHS, seed=2)
    truth = "ground_truth.csv"
    assert (tmp_path / "a" / truth).read_bytes() != (tmp_path / "b" / truth).read_bytes()


def test_summary_counts_match_the_files(tmp_path: Path):
    summary = generate_demo_data(tmp_path, partners=2, persons=100, months=MONTHS)
    assert summary.partners == 2 and summary.persons == 100 and summary.months == tuple(MONTHS)
    truth_lines = summary.ground_truth_file.read_text(encoding="utf-8").splitlines()
    assert len(truth_lines) - 1 == summary.records == sum(summary.records_by_partner.values())


def test_months_default_to_the_last_three_full_months():
    assert default_months(date(2026, 3, 31)) == ["2025-12", "2026-01", "2026-02"]
    assert default_months(date(2026, 12, 1)) == ["2026-09", "2026-10", "2026-11"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"partners": 0, "persons": 10},
        {"partners": 2, "persons": 0},
        {"partners": 2, "persons": 10, "months": ["2025-13"]},
        {"partners": 2, "persons": 10, "months": ["2999-01"]},
        {"partners": 2, "persons": 10, "months": ["2025-01", "2025-01"]},
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, arguments: dict):
    with pytest.raises(ValueError):
        generate_demo_data(tmp_path, **arguments)


def test_ten_partners_and_five_thousand_persons_take_seconds(tmp_path: Path):
    started = time.perf_counter()
    summary = generate_demo_data(tmp_path, partners=10, persons=5000, months=MONTHS)
    # About one second on a laptop; the bound only catches an accidental quadratic.
    assert time.perf_counter() - started < 30
    assert summary.records > 5000
