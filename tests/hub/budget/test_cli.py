"""``hub budget set`` and ``hub budget history`` as a steward runs them: clear refusals, never a traceback."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.factories.databases import HUB, fresh_database

REASON = "a second study of this month needs a larger reserve"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("budget-cli")
    return {**os.environ, "DATABASE_URL": fresh_database(tmp_path, "budget_cli"),
            "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"), "HUB_ENVIRONMENT": "development"}


def hub(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([HUB, "budget", *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("cohort", "epsilon", "complaint"),
    [
        ("2025-10", "NaN", "finite number"),
        ("2025-10", "inf", "finite number"),
        ("2025-10", "-1", "at least 0.001"),
        ("2025-10", "1e6", "at most epsilon 2"),
        ("2025-10", "abc", "epsilon must be a number"),
        ("2025-13", "1.5", "a cohort is a month written YYYY-MM"),
        ("October", "1.5", "a cohort is a month written YYYY-MM"),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_no_traceback(env, cohort, epsilon, complaint):
    run = hub(env, "set", "--cohort", cohort, "--purpose", "research", "--epsilon", epsilon, "--reason", REASON)
    assert run.returncode != 0
    assert complaint in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_a_reason_is_required(env):
    run = hub(env, "set", "--cohort", "2025-10", "--purpose", "research", "--epsilon", "1.5")
    assert run.returncode != 0 and "--reason" in run.stderr and "Traceback" not in run.stderr


def test_a_change_is_kept_and_history_prints_it(env):
    run = hub(env, "set", "--cohort", "2025-10", "--purpose", "research", "--epsilon", "1.5", "--reason", REASON)
    assert run.returncode == 0, run.stderr
    shown = hub(env, "history", "--cohort", "2025-10")
    assert shown.returncode == 0, shown.stderr
    (line,) = [line for line in shown.stdout.splitlines() if "2025-10" in line]
    assert "research" in line and "1.0000" in line and "1.5000" in line and REASON in line
    assert "hub budget set by" in line
    assert hub(env, "history", "--cohort", "2025-11").stdout.count("\n") == 1  # the header only
