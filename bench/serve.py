"""Serving benchmark: stored reports read under concurrent load, against a static endpoint.

Seeds a fresh demo database (``hub demo``; PostgreSQL by default, ``--database-url sqlite``), serves it with ``hub serve`` (two workers), then sends
the same number of requests, from several threads, to ``/healthz`` (the floor: no database, no
token) and to ``GET /v1/reports/{id}`` with a bearer token (token check, one query, the stored
JSON). Reading a report spends no budget, so load never touches the privacy accounting.

Usage: ``.venv/bin/python bench/serve.py [--requests 2000] [--threads 8]``; the last line printed
is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BIN, fresh_database, free_port, log, served_hub  # noqa: E402



def hammer(base: str, path: str, headers: dict, requests: int, threads: int) -> dict:
    """Requests per second and latency percentiles of ``requests`` GETs of ``path``."""
    latencies: list[float] = []

    def one(client: httpx.Client) -> None:
        started = time.perf_counter()
        client.get(path, headers=headers).raise_for_status()
        latencies.append(time.perf_counter() - started)

    clients = [httpx.Client(base_url=base, timeout=30) for _ in range(threads)]
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda i: one(clients[i % threads]), range(requests)))
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    quantiles = statistics.quantiles(latencies, n=100)
    return {"per_s": round(requests / elapsed), "p50_ms": round(quantiles[49] * 1000, 1),
            "p99_ms": round(quantiles[98] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to make a fresh database on, or 'sqlite'")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    port = free_port()
    database_url = (f"sqlite:///{work / 'hub.db'}" if args.database_url == "sqlite"
                    else fresh_database(args.database_url, "bench_serve"))
    env = {**os.environ, "DATABASE_URL": database_url, "HUB_SIGNING_KEY_FILE": str(work / "key.json"),
           "HUB_ISSUER": f"http://127.0.0.1:{port}", "HUB_LOG_LEVEL": "WARNING", "HUB_LINK_INTERVAL_S": "0"}
    subprocess.run([BIN / "hub", "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([BIN / "hub", "demo", "--out", work / "demo"], env=env, check=True, capture_output=True)
    credentials = json.loads((work / "demo" / "credentials.json").read_text())["Ministry of Interior (demo)"]
    with served_hub(env, port, "--workers", "2") as base:
        token = httpx.post(f"{base}/oauth/token", auth=(credentials["client_id"], credentials["client_secret"]),
                           data={"grant_type": "client_credentials"}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        report = httpx.get(f"{base}/v1/reports", headers=headers).json()[0]["id"]
        floor = hammer(base, "/healthz", {}, args.requests, args.threads)
        log(f"/healthz: {floor}")
        served = hammer(base, f"/v1/reports/{report}", headers, args.requests, args.threads)
        log(f"/v1/reports/{{id}}: {served}")
    print(json.dumps({
        "requests": args.requests, "threads": args.threads, "database": database_url.split(":")[0],
        "floor_per_s": floor["per_s"], "floor_p99_ms": floor["p99_ms"],
        "report_per_s": served["per_s"], "report_p50_ms": served["p50_ms"], "report_p99_ms": served["p99_ms"],
        "report_vs_floor_ratio": round(floor["per_s"] / served["per_s"], 2),
    }))


if __name__ == "__main__":
    main()
