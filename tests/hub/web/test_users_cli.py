"""``hub users`` as a steward runs it: a generated password printed once, clear refusals."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.factories.databases import HUB, fresh_database


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("users-cli")
    env = {**os.environ, "DATABASE_URL": fresh_database(tmp_path, "users_cli"),
           "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"), "HUB_ENVIRONMENT": "development"}
    for name, kind in (("Shelter CLI", "ngo"), ("Stewards CLI", "steward")):
        assert hub(env, "orgs", "create", name, "--type", kind).returncode == 0
    return env


def hub(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([HUB, *args], check=False, env=env, capture_output=True, text=True, timeout=120)


def test_create_prints_a_generated_password_once_and_reset_gives_a_new_one(env):
    created = hub(env, "users", "create", "--username", "officer", "--org", "Shelter CLI", "--role", "ngo")
    assert created.returncode == 0, created.stderr
    first = json.loads(created.stdout)
    assert first["role"] == "ngo" and len(first["password"]) >= 20 and "shows it once" in created.stderr
    reset = hub(env, "users", "reset-password", "officer")
    assert reset.returncode == 0 and json.loads(reset.stdout)["password"] != first["password"]
    assert "officer" in hub(env, "users", "list").stdout


def test_a_steward_with_a_second_factor_gets_its_secret(env):
    created = hub(env, "users", "create", "--username", "steward", "--org", "Stewards CLI", "--role", "steward",
                  "--totp")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["totp_uri"].startswith("otpauth://totp/")


@pytest.mark.parametrize(("args", "complaint"), [
    (["--username", "x", "--org", "Shelter CLI", "--role", "ngo"], "a username is 3 to 50"),
    (["--username", "someone", "--org", "Nowhere", "--role", "ngo"], "no organisation named"),
    (["--username", "boss", "--org", "Shelter CLI", "--role", "steward"], "stewards' organisation"),
])
def test_bad_input_is_refused_with_a_sentence(env, args, complaint):
    run = hub(env, "users", "create", *args)
    assert run.returncode == 2 and complaint in run.stderr and "Traceback" not in run.stderr
