"""A hub served as `make run` serves it: `hub serve` in a process of its own, on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.factories.databases import ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hub_environment(tmp_path: Path, database_url: str, port: int) -> dict:
    """The environment of the hub's commands for a hub on ``database_url`` served on ``port``."""
    return {**os.environ, "DATABASE_URL": database_url, "HUB_ISSUER": f"http://127.0.0.1:{port}",
            "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"), "HUB_ENVIRONMENT": "test"}


@contextmanager
def served_hub(env: dict, port: int, *options: str) -> Iterator[str]:
    """`hub serve --port PORT OPTIONS` with ``env``, once it answers; its base URL. Stopped after."""
    server = subprocess.Popen([BIN / "hub", "serve", "--port", str(port), *options], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
