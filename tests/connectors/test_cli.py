"""hub-connector: plain output for people, JSON for scripts, one line and exit 2 for failures."""

from __future__ import annotations

import contextlib
import json

import pytest
from click.testing import CliRunner

from connectors.cli import main

SECRET_HEX = "5f" * 32
HEADER = "case_reference,registration_date,gender,given_name\n"


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("HUB_URL", "HUB_CLIENT_ID", "HUB_CLIENT_SECRET", "HUB_CLIENT_KEY", "HUB_LINKAGE_SECRET_VERSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HUB_LINKAGE_SECRET", SECRET_HEX)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def export(tmp_path, bad: int = 0, good: int = 2):
    rows = [f"C{i},2025-06-0{1 + i % 9},F,Ana\n" for i in range(good)]
    rows += [f"B{i},2025-06-02,dragon,Zed\n" for i in range(bad)]
    path = tmp_path / "june.csv"
    path.write_text(HEADER + "".join(rows))
    return str(path)


def invoke(*args):
    return CliRunner().invoke(main, ["push", *args])


def test_dry_run_prints_counts_and_exits_0(env, tmp_path):
    result = invoke(export(tmp_path), "--period", "2025-06", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would be accepted" in result.output and "2 rows valid, 0 rows rejected" in result.output


def test_rejections_are_listed_and_capped(env, tmp_path):
    result = invoke(export(tmp_path, bad=53), "--period", "2025-06", "--dry-run")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "  row 3, gender: is not a recognised value; expected one of Female, Male, GenderDiverse, Unknown" in lines
    assert lines[-1] == "… and 3 more; use --json for all"
    assert "dragon" not in result.output and "Zed" not in result.output


def test_json_receipt(env, tmp_path):
    result = invoke(export(tmp_path, bad=1), "--period", "2025-06", "--dry-run", "--json", "--on-invalid", "skip")
    assert result.exit_code == 0
    receipt = json.loads(result.stdout)
    assert {"submission_id", "status", "accepted", "rejected", "errors", "warnings"} <= set(receipt)
    assert receipt["errors"] == [
        {"row": 3, "field": "gender", "code": "not_recognised", "message": receipt["errors"][0]["message"]}]


@pytest.mark.parametrize("unset, message", [
    ("HUB_LINKAGE_SECRET", "HUB_LINKAGE_SECRET is not set"),
    ("HUB_URL", "HUB_URL is not set"),
])
def test_missing_configuration_is_one_line_and_exit_2(env, tmp_path, monkeypatch, unset, message):
    monkeypatch.setenv("HUB_URL", "http://hub.invalid")
    monkeypatch.setenv("HUB_CLIENT_ID", "c1")
    monkeypatch.setenv("HUB_CLIENT_SECRET", "s")
    monkeypatch.delenv(unset)
    result = invoke(export(tmp_path), "--period", "2025-06")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {message}" or result.stderr.startswith(f"error: {message}")
    assert "Traceback" not in result.output


def test_short_secret_is_refused(env, tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_LINKAGE_SECRET", "secret")
    result = invoke(export(tmp_path), "--period", "2025-06", "--dry-run")
    assert result.exit_code == 2 and "too short" in result.stderr


def test_file_rejection_is_one_line_and_exit_2(env, tmp_path):
    path = tmp_path / "june.csv"
    path.write_text("case_reference;registration_date;gender\nC1;2025-06-01;F\n")
    result = invoke(str(path), "--period", "2025-06", "--dry-run", "--delimiter", ",")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: june.csv: no column for the required field case_reference")
    assert "delimiter is probably wrong" in result.stderr


def test_bad_period_is_refused(env, tmp_path):
    result = invoke(export(tmp_path), "--period", "June", "--dry-run")
    assert result.exit_code == 2 and "YYYY-MM" in result.stderr


def test_push_through_oauth_to_the_hub(env, tmp_path, monkeypatch, client, session):
    from tests.factories.auth import make_client, make_organisation

    credentials = make_client(session, make_organisation(session), ["submissions:write", "submissions:read"])
    monkeypatch.setenv("HUB_URL", str(client.base_url))
    monkeypatch.setenv("HUB_CLIENT_ID", credentials["client_id"])
    monkeypatch.setenv("HUB_CLIENT_SECRET", credentials["client_secret"])
    # The CLI opens its own httpx.Client; hand it the test client of the app instead.
    monkeypatch.setattr("connectors.cli.httpx.Client", lambda **options: contextlib.nullcontext(client))
    result = invoke(export(tmp_path, bad=1), "--period", "2025-06", "--on-invalid", "skip", "--json")
    assert result.exit_code == 0, result.output
    receipt = json.loads(result.stdout)
    assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("accepted", 2, 1)

    monkeypatch.setenv("HUB_CLIENT_SECRET", "wrong")
    result = invoke(export(tmp_path), "--period", "2025-06")
    assert result.exit_code == 2 and result.stderr.startswith("error: the hub refused a token (401")
