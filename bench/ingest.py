"""Ingest benchmark: 100,000 demo records pushed end to end, against a plain PostgreSQL COPY.

Connector side: read, validate, coarsen and encode every row and cut the chunks (no network).
Hub side: the chunks sent over HTTP to a real ``hub serve`` on PostgreSQL (create, chunks,
complete for each partner's monthly file), timed from the first request to the last receipt.
Floor: a plain ``COPY`` of exactly the rows the hub stored (records, their blocks, the blocks'
salted comparison features as sealed per chunk, and the data keys) into tables of the same shape and
indexes, in the same run.

Usage: ``.venv/bin/python bench/ingest.py [--records 100000] [--database-url URL]``
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import fresh_database, free_port, log  # noqa: E402
from connectors.chunks import open_prepared, prepared_chunks  # noqa: E402
from connectors.mapping import load_mapping  # noqa: E402
from connectors.oauth import TokenSource  # noqa: E402
from hub.demo import generate_demo_data  # noqa: E402

LINKAGE_SECRET = b"bench-linkage-secret-0123456789ab"


def prepare_files(demo, wanted: int) -> tuple[list[dict], int, float]:
    """Every monthly file's chunk bodies until ``wanted`` records; the connector-side time."""
    files, records = [], 0
    started = time.perf_counter()
    for slug, paths in demo.partner_files.items():
        mapping = load_mapping(demo.mapping_files[slug])
        for path in paths:
            if records >= wanted:
                break
            period = path.stem
            prepared = open_prepared(path, period, mapping, LINKAGE_SECRET, today=date.today())
            bodies, rows = [], 0
            for chunk in prepared_chunks(prepared, 2000):
                bodies.append(chunk.body())
                rows += len(chunk.rows) + chunk.rejected_count
            files.append({"partner": slug, "period": period, "bodies": bodies, "rows": rows})
            records += rows
    return files, records, time.perf_counter() - started


def start_hub(env: dict, port: int) -> subprocess.Popen:
    hub = ROOT / ".venv" / "bin" / "hub"
    process = subprocess.Popen(
        [str(hub), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the hub did not start")


def register_partners(env: dict, partners: list[str]) -> dict[str, dict]:
    hub = str(ROOT / ".venv" / "bin" / "hub")
    credentials = {}
    for slug in partners:
        subprocess.run([hub, "orgs", "create", slug, "--type", "ngo"], env=env, check=True, capture_output=True)
        created = subprocess.run(
            [hub, "clients", "create", "--org", slug, "--scopes", "submissions:write submissions:read"],
            env=env, check=True, capture_output=True, text=True,
        )
        credentials[slug] = json.loads(created.stdout)
    return credentials


def push_all(base: str, files: list[dict], credentials: dict) -> float:
    with httpx.Client(base_url=base, timeout=120) as http:
        tokens = {
            slug: TokenSource(f"{base}/oauth/token", c["client_id"], client_secret=c["client_secret"])
            for slug, c in credentials.items()
        }
        for source in tokens.values():
            source.token(http)  # token requests are not ingest: fetch them before the clock starts
        started = time.perf_counter()
        for item in files:
            headers = {"Authorization": f"Bearer {tokens[item['partner']].token(http)}"}
            body = {"dataset": "case-v1", "period": item["period"], "on_invalid": "skip", "linkage_secret_version": 1}
            opened = http.post("/v1/submissions", json=body, headers=headers)
            opened.raise_for_status()
            submission_id = opened.json()["id"]
            for seq, chunk in enumerate(item["bodies"], start=1):
                answer = http.put(f"/v1/submissions/{submission_id}/chunks/{seq}", content=chunk,
                                  headers={**headers, "Content-Type": "application/json"})
                answer.raise_for_status()
            done = http.post(f"/v1/submissions/{submission_id}/complete",
                             json={"expected_chunks": len(item["bodies"])}, headers=headers)
            done.raise_for_status()
        return time.perf_counter() - started


# The linkage features are sealed per chunk (sealed_features) under a data key per submission (data_key).
STORED_TABLES = ("record", "record_block", "sealed_features", "data_key")


def copy_floor(database_url: str) -> tuple[float, dict[str, int]]:
    """COPY the rows the hub stored (records, blocks) into same-shaped tables; seconds, row counts."""
    dsn = sa.engine.make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as connection:
        stored = {table: connection.execute(f"SELECT * FROM {table}").fetchall() for table in STORED_TABLES}
        columns = {
            table: [c.name for c in connection.execute(f"SELECT * FROM {table} LIMIT 0").description]
            for table in STORED_TABLES
        }
        for table in STORED_TABLES:
            connection.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in STORED_TABLES:
                column_list = ", ".join(map(repr_column, columns[table]))
                with cursor.copy(f"COPY floor_{table} ({column_list}) FROM STDIN") as copy:
                    for row in stored[table]:
                        copy.write_row(row)
        connection.commit()
        return time.perf_counter() - started, {table: len(rows) for table, rows in stored.items()}


def repr_column(name: str) -> str:
    return f'"{name}"'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    log(f"generating demo data in {work}")
    demo = generate_demo_data(work / "demo", partners=args.partners, persons=int(args.records * 0.62), seed=11)
    files, records, connector_seconds = prepare_files(demo, args.records)
    log(f"connector: {records} records prepared in {connector_seconds:.1f} s")

    database_url = fresh_database(args.database_url, "bench_ingest")
    env = {**os.environ, "DATABASE_URL": database_url, "HUB_SIGNING_KEY_FILE": str(work / "key.json"),
           "HUB_MASTER_KEY_FILE": str(work / "master-keys.json"),
           "HUB_LOG_LEVEL": "WARNING"}
    subprocess.run([str(ROOT / ".venv" / "bin" / "hub"), "migrate"], env=env, check=True, capture_output=True)
    credentials = register_partners(env, sorted({f["partner"] for f in files}))
    port = free_port()
    server = start_hub({**env, "HUB_ISSUER": f"http://127.0.0.1:{port}"}, port)
    try:
        hub_seconds = push_all(f"http://127.0.0.1:{port}", files, credentials)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log(f"hub: {records} records received and stored in {hub_seconds:.1f} s")
    copy_seconds, stored = copy_floor(database_url)
    log(f"floor: COPY of {stored['record']} records and {stored['record_block']} blocks in {copy_seconds:.2f} s")

    print(json.dumps({
        "records": records,
        "stored_records": stored["record"],
        "stored_blocks": stored["record_block"],
        "connector_seconds": round(connector_seconds, 2),
        "connector_records_per_s": round(records / connector_seconds),
        "hub_seconds": round(hub_seconds, 2),
        "hub_records_per_s": round(records / hub_seconds),
        "copy_seconds": round(copy_seconds, 2),
        "hub_vs_copy_ratio": round(hub_seconds / copy_seconds, 2),
        "target_hub_vs_copy_ratio": 3.0,
    }))


if __name__ == "__main__":
    main()
