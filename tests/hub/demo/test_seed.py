"""``hub demo`` (the second half of ``make run``) seeds a fresh database end to end, and again safely."""

from __future__ import annotations

import os
import re
import subprocess

import sqlalchemy as sa

from hub.reports.definitions import ANNUAL, MONTHLY
from tests.factories.databases import HUB, fresh_database


def test_demo_seeds_links_publishes_and_can_run_twice(tmp_path):
    url = fresh_database(tmp_path, "demo")
    env = {**os.environ, "DATABASE_URL": url, "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"),
           "HUB_ENVIRONMENT": "development"}
    command = [HUB, "demo", "--partners", "3", "--persons", "120", "--out", tmp_path / "demo"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "tables published" in first.stderr and "waits for the steward" in first.stderr
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "all months already loaded" in again.stderr
    # One account per role, each with a generated password, new at every run and written nowhere.
    passwords = [re.findall(r"username (\S+) +password (\S+)", run.stderr) for run in (first, again)]
    assert [name for name, _ in passwords[0]] == ["officer", "analyst", "researcher", "steward"]
    assert not {p for _, p in passwords[0]} & {p for _, p in passwords[1]}
    assert "pyotp.TOTP(" in first.stderr
    assert not any(p in (tmp_path / "demo" / "credentials.json").read_text() for _, p in passwords[1])
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        persons = connection.execute(sa.text("SELECT count(*) FROM person")).scalar_one()
        records = connection.execute(sa.text("SELECT count(*) FROM person_record")).scalar_one()
        releases = connection.execute(sa.text("SELECT count(*) FROM release")).scalar_one()
    engine.dispose()
    assert 0 < persons < records and releases == 3 * len(MONTHLY) + len(ANNUAL)
    assert (tmp_path / "demo" / "credentials.json").stat().st_mode & 0o777 == 0o600
