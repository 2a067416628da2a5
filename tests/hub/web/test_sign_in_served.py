"""Signing in at a hub served as `make run` serves it (`hub serve`, its own database connections),
not through the tests' shared session: on SQLite the sign-in form's rate-limit counter, which
commits on a connection of its own, once waited 30 s for the form's own transaction and answered 500."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.factories.databases import ROOT, fresh_database

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    url = fresh_database(tmp_path, "signin")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "HUB_ISSUER": f"http://127.0.0.1:{port}",
           "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"), "HUB_ENVIRONMENT": "test"}
    subprocess.run([BIN / "hub", "orgs", "create", "Ministry", "--type", "government"], env=env, check=True,
                   capture_output=True)
    created = subprocess.run([BIN / "hub", "users", "create", "--username", "analyst", "--org", "Ministry",
                              "--role", "analyst"], env=env, check=True, capture_output=True, text=True)
    password = json.loads(created.stdout[:created.stdout.rindex("}") + 1])["password"]
    server = subprocess.Popen([BIN / "hub", "serve", "--port", str(port), "--no-linker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz")
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", password
    server.terminate()
    server.wait(timeout=10)


def test_a_person_signs_in_at_a_served_hub(served):
    base, password = served
    with httpx.Client(base_url=base, timeout=10) as browser:
        form = browser.get("/signin", follow_redirects=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        answer = browser.post(str(form.url), data={"username": "analyst", "password": password, "csrf_token": token})
        assert answer.status_code == 302 and answer.headers["location"].startswith(base + "/signin/callback?code=")
        signed_in = browser.get(answer.headers["location"], follow_redirects=True)
        assert signed_in.status_code == 200 and "analyst" in signed_in.text
