"""``hub link``: what an operator sees of a run, and that it names no one."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from tests.factories.databases import fresh_database

HUB = Path(sys.executable).parent / "hub"


def _names_in(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(value for key, value in row.items()
                             if key and "name" in key.lower() and value and len(value) > 3)
    return names


def test_a_full_run_reports_its_steps_and_counts_and_names_no_one(tmp_path):
    url = fresh_database(tmp_path, "link_cli")
    env = {**os.environ, "DATABASE_URL": url, "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"),
           "HUB_ENVIRONMENT": "development"}
    seeded = subprocess.run([HUB, "demo", "--partners", "2", "--persons", "40", "--out", tmp_path / "demo"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    names = _names_in(tmp_path / "demo")
    assert len(names) > 20

    run = subprocess.run([HUB, "link", "--full"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "resolving" in run.stderr and "writing what changed among" in run.stderr
    assert "resolved again;" in run.stderr and "person(s) in all" in run.stderr
    said = (run.stdout + run.stderr).lower()
    assert not [name for name in names if name.lower() in said]
