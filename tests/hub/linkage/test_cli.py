"""``hub link``: what an operator sees of a run, and that it names no one."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from tests.factories.databases import HUB, seeded_demo_hub


def _names_in(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(value for key, value in row.items()
                             if key and "name" in key.lower() and value and len(value) > 3)
    return names


def test_a_full_run_reports_its_steps_and_counts_and_names_no_one(tmp_path):
    env = seeded_demo_hub(tmp_path, "link_cli", persons=40)
    names = _names_in(tmp_path / "demo")
    assert len(names) > 20

    run = subprocess.run([HUB, "link", "--full"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "resolving" in run.stderr and "writing what changed among" in run.stderr
    assert "resolved again;" in run.stderr and "person(s) in all" in run.stderr
    said = (run.stdout + run.stderr).lower()
    assert not [name for name in names if name.lower() in said]
