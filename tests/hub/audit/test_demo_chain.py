"""After ``hub demo`` the audit chain verifies; a changed, deleted or reordered entry is named by
``hub audit verify``; and nothing in the log names anyone or counts records."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.factories.databases import HUB, seeded_demo_hub
from tests.hub.audit.tampering import change_entry, delete_entry, disable_append_only, swap_entries

# Columns of the demo files that hold identifiers or free text (the connector never sends them).
_SECRET_COLUMN_WORDS = ("name", "birth", "dob", "phone", "mail", "passport", "document", "address", "note", "case")


def _secret_values(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.csv"):
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            for row in csv.DictReader(handle):
                found.update(value.strip() for key, value in row.items()
                             if key and any(word in key.lower() for word in _SECRET_COLUMN_WORDS)
                             and value and len(value.strip()) > 3)
    return found


@pytest.fixture(scope="module")
def demo_hub(tmp_path_factory) -> dict:
    tmp_path = tmp_path_factory.mktemp("audit_demo")
    env = seeded_demo_hub(tmp_path, "audit_demo", persons=30)
    return {"env": env, "folder": tmp_path / "demo"}


def _verify(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([HUB, "audit", "verify"], check=False, env=env, capture_output=True, text=True, timeout=120)


def _entries(env: dict) -> list[dict]:
    shown = subprocess.run([HUB, "audit", "show", "--json", "--limit", "100000"], check=False, env=env,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    return [json.loads(line) for line in shown.stdout.splitlines()]


def test_the_chain_of_a_demo_verifies_and_holds_its_events(demo_hub):
    verified = _verify(demo_hub["env"])
    assert verified.returncode == 0, verified.stderr
    assert "audit chain intact" in verified.stdout
    kinds = {entry["kind"] for entry in _entries(demo_hub["env"])}
    assert {"client.created", "token.issued", "submission.created", "submission.completed", "linkage.run",
            "release.computed", "report.published", "release.requested"} <= kinds


def test_no_entry_names_anyone_or_counts_records(demo_hub):
    entries = _entries(demo_hub["env"])
    secrets = _secret_values(demo_hub["folder"])
    assert len(secrets) > 50
    text = "\n".join(json.dumps(entry) for entry in entries).lower()
    assert not [value for value in secrets if value.lower() in text]

    def numbers(value) -> list:
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []

    assert [n for entry in entries for n in numbers(entry["details"])] == []
    allowed = {"seq", "at", "kind", "actor", "organisation_id", "subject", "details", "prev_hash", "entry_hash"}
    assert all(set(entry) == allowed for entry in entries)


@pytest.mark.parametrize("tamper, named", [
    (lambda connection: change_entry(connection, 5), 5),
    (lambda connection: delete_entry(connection, 7), 7),
    (lambda connection: swap_entries(connection, 3, 4), 3),
])
def test_hub_audit_verify_names_the_first_broken_entry(demo_hub, tamper, named):
    engine = sa.create_engine(demo_hub["env"]["DATABASE_URL"])
    with engine.connect() as connection:
        transaction = connection.begin()
        saved = [dict(row._mapping) for row in connection.execute(sa.text("SELECT * FROM audit_entry WHERE seq <= 8"))]
        disable_append_only(connection)
        tamper(connection)
        transaction.commit()
    try:
        verified = _verify(demo_hub["env"])
        assert verified.returncode == 1
        assert f"BROKEN at entry {named}:" in verified.stderr
    finally:
        with engine.begin() as connection:  # put the entries back as they were, for the next case
            connection.execute(sa.text("DELETE FROM audit_entry WHERE seq <= 8"))
            connection.execute(sa.text(
                "INSERT INTO audit_entry (seq, at, kind, actor, organisation_id, subject, details, prev_hash, "
                "entry_hash) VALUES (:seq, :at, :kind, :actor, :organisation_id, :subject, :details, :prev_hash, "
                ":entry_hash)"), saved)
        engine.dispose()
    assert _verify(demo_hub["env"]).returncode == 0
