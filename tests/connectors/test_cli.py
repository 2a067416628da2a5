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
    # In the partner's terms: the row, the line of the file, their column, the schema field and, on
    # their own screen only, the cell that was refused.
    assert ("  row 3 (line 4), column 'gender' (gender): is not a recognised value; expected one of Female, Male, "
            "GenderDiverse, Unknown; the cell holds 'dragon'") in lines
    assert lines[-1] == "… and 3 more; use --json for all"
    assert "Zed" not in result.output  # a name in a row whose name was fine is not shown


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
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the hub at http://testserver does not accept this client (401 invalid_client)")
    assert "HUB_CLIENT_ID" in result.stderr and "clock" in result.stderr
    result = invoke(export(tmp_path), "--period", "2025-06", "--json")
    assert result.exit_code == 2 and json.loads(result.stdout)["error"] == "credentials_refused"


def _as_partner(monkeypatch, client, session):
    from tests.factories.auth import make_client, make_organisation

    credentials = make_client(session, make_organisation(session), ["submissions:write", "submissions:read"])
    monkeypatch.setenv("HUB_URL", str(client.base_url))
    monkeypatch.setenv("HUB_CLIENT_ID", credentials["client_id"])
    monkeypatch.setenv("HUB_CLIENT_SECRET", credentials["client_secret"])
    monkeypatch.setattr("connectors.cli.httpx.Client", lambda **options: contextlib.nullcontext(client))


def test_history_lists_the_versions_and_restore_undoes_a_replacement(env, tmp_path, monkeypatch, client, session):
    _as_partner(monkeypatch, client, session)
    first = json.loads(invoke(export(tmp_path, good=4), "--period", "2025-06", "--json").stdout)
    result = invoke(export(tmp_path, good=1), "--period", "2025-06")
    assert result.exit_code == 2 and "holds 1 record(s)" in result.stderr and "--replace" in result.stderr
    result = invoke(export(tmp_path, good=1), "--period", "2025-06", "--replace")
    assert result.exit_code == 0, result.output
    assert f"hub-connector restore {first['submission_id']} makes it current again" in result.output

    result = CliRunner().invoke(main, ["history", "--period", "2025-06"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split()[:3] == ["3", "accepted", "1"] and lines[2].split()[:2] == ["2", "abandoned"]
    assert lines[3].split()[:3] == ["1", "superseded", "4"]
    assert lines[-1] == "To make a superseded version current again: hub-connector restore SUBMISSION"

    result = CliRunner().invoke(main, ["restore", first["submission_id"]])
    assert result.exit_code == 0, result.output
    assert "is again the current 2025-06, with 4 rows" in result.output


def test_abandon_discards_an_open_submission(env, monkeypatch, client, session):
    _as_partner(monkeypatch, client, session)
    from connectors.hub_client import HubClient
    from connectors.oauth import TokenSource

    tokens = TokenSource(str(client.base_url) + "/oauth/token", monkeypatch_env("HUB_CLIENT_ID"),
                         client_secret=monkeypatch_env("HUB_CLIENT_SECRET"))
    opened = HubClient(client, tokens).create_submission(
        {"dataset": "case-v1", "period": "2025-06", "linkage_secret_version": 1}, "key-1")
    result = CliRunner().invoke(main, ["abandon", opened["id"], "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "abandoned"


def monkeypatch_env(name: str) -> str:
    import os

    return os.environ[name]


def test_json_covers_file_level_failures(env, tmp_path):
    path = tmp_path / "june.csv"
    path.write_text("Case No;Gender\n1;F\n")
    result = invoke(str(path), "--period", "2025-06", "--dry-run", "--json")
    assert result.exit_code == 2
    failure = json.loads(result.stdout)
    assert failure["error"] == "file_rejected" and "case_reference" in failure["detail"]


def test_an_unreachable_hub_is_named_with_its_address(env, tmp_path, monkeypatch):
    from connectors import hub_client

    monkeypatch.setattr(hub_client, "_sleep", lambda seconds: None)
    monkeypatch.setenv("HUB_URL", "http://127.0.0.1:9")  # the discard port: nothing listens there
    monkeypatch.setenv("HUB_CLIENT_ID", "c_1")
    monkeypatch.setenv("HUB_CLIENT_SECRET", "s")
    result = invoke(export(tmp_path), "--period", "2025-06", "--json")
    assert result.exit_code == 2
    failure = json.loads(result.stdout)
    assert failure["error"] == "hub_unreachable"
    assert "http://127.0.0.1:9" in failure["detail"] and "HUB_URL" in failure["detail"]
