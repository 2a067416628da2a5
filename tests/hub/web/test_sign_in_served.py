"""Signing in at a hub served as `make run` serves it (`hub serve`, its own database connections),
not through the tests' shared session: on SQLite the sign-in form's rate-limit counter, which
commits on a connection of its own, once waited 30 s for the form's own transaction and answered 500."""

from __future__ import annotations

import json
import re
import subprocess

import httpx
import pytest

from tests.factories.databases import fresh_database
from tests.factories.servers import BIN, free_port, hub_environment, served_hub


@pytest.fixture
def served(tmp_path):
    url = fresh_database(tmp_path, "signin")
    port = free_port()
    env = hub_environment(tmp_path, url, port)
    subprocess.run([BIN / "hub", "orgs", "create", "Ministry", "--type", "government"], env=env, check=True,
                   capture_output=True)
    created = subprocess.run([BIN / "hub", "users", "create", "--username", "analyst", "--org", "Ministry",
                              "--role", "analyst"], env=env, check=True, capture_output=True, text=True)
    password = json.loads(created.stdout[:created.stdout.rindex("}") + 1])["password"]
    with served_hub(env, port, "--no-linker") as base:
        yield base, password


def test_a_person_signs_in_at_a_served_hub(served):
    base, password = served
    with httpx.Client(base_url=base, timeout=10) as browser:
        form = browser.get("/signin", follow_redirects=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        answer = browser.post(str(form.url), data={"username": "analyst", "password": password, "csrf_token": token})
        assert answer.status_code == 302 and answer.headers["location"].startswith(base + "/signin/callback?code=")
        signed_in = browser.get(answer.headers["location"], follow_redirects=True)
        assert signed_in.status_code == 200 and "analyst" in signed_in.text
