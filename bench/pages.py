"""Report page benchmark: a published report's page rendered on the server with 1,000,000 persons.

Run ``.venv/bin/python bench/pages.py [--persons 1000000] [--requests 200] [--database-url URL]``.
It builds a fresh database (SQLite in a temporary folder by default; ``--database-url`` names a
PostgreSQL server, on which it drops and creates ``bench_pages``) and fills it the way the hub
holds linked data: four partners with an accepted submission for each month of 2025, one record
per person with attributes drawn from the ``case-v1`` enumerations, and the persons (spread over
the twelve months as their cohorts) with their ``person_record`` rows (written in bulk, COPY on
PostgreSQL; the connector, the API and the linkage have benchmarks of their own). It then
publishes the year 2025 (the annual report, over every person: its tables are the largest, by
country and by exploitation, gender and age) and December 2025 through
``hub.reports.service.publish`` (OpenDP; forced with a reason, since the bench has no earlier
months to say which partners are expected), serves the hub with ``hub serve`` (one worker, no
linker) and times sequential GETs over loopback HTTP, after a warm-up:

- ``floor``: ``/healthz``, the static endpoint (no database, no template): what HTTP, the hub's
  middleware and the client cost by themselves, measured in the same run;
- each published report's page, ``/reports/{id}`` (the release read from the database, the budget
  accounts of its month, the template with its table and chart data).

``report_page_ms_1m`` is the median time of the slowest report page (in practice the one with the
most cells); ``report_page_over_floor_ms`` is that median less the floor's. The last line printed
is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import BIN, fresh_database, free_port, log, served_hub  # noqa: E402

PARTNERS = 4
YEAR = "2025"  # ended, so that it and its months can be published
MONTHS = [f"{YEAR}-{month:02d}" for month in range(1, 13)]
BATCH = 20_000
RECORD_COLUMNS = ("submission_id", "row", "case_ref", "registration_month", "age_band", "gender", "citizenship",
                  "country_of_exploitation", "type_of_exploitation", "forced_labour_industry", "means_of_control",
                  "recruiter_relationship", "trafficking_status", "data_source_type")


def record_values(schema, rng: random.Random):
    """A function making one record's attribute values (skewed, a few missing) from the enumerations."""
    enumerations = schema.enumerations
    countries = list(enumerations["country"].values)
    country_weights = [1 / (rank + 1) for rank in range(len(countries))]  # a few countries hold most cases

    def one(values: tuple[str, ...], missing: float = 0.05) -> str | None:
        return None if rng.random() < missing else rng.choice(values)

    def several(values: tuple[str, ...], most: int) -> str:
        chosen = set(rng.sample(values, rng.randint(1, most)))
        return "|".join(value for value in values if value in chosen)  # stored in schema order

    def make() -> tuple:
        citizenship, exploited_in = rng.choices(countries, country_weights, k=2)
        return (one(enumerations["age_band"].values), one(enumerations["gender"].values), citizenship,
                exploited_in if rng.random() < 0.7 else citizenship,
                several(enumerations["type_of_exploitation"].values, 2),
                one(enumerations["isic_section"].values, 0.5), several(enumerations["means_of_control"].values, 3),
                one(enumerations["recruiter_relationship"].values), one(enumerations["trafficking_status"].values),
                one(enumerations["data_source_type"].values))

    return make


def fill(engine, persons: int) -> None:
    """Partners, their accepted submissions, one record and one person per person."""
    from sqlmodel import Session

    from hub.models import Organisation, Person, PersonRecord, Record, Submission, SubmissionStatus
    from hub.releases.compute import DATASET
    from schemas import load_schema

    rng = random.Random(20261201)
    make = record_values(load_schema("case-v1"), rng)
    with Session(engine) as session:
        submissions: dict[tuple[int, str], str] = {}
        for number in range(PARTNERS):
            partner = Organisation(name=f"Partner {number + 1}", type="ngo")
            session.add(partner)
            session.flush()
            for month in MONTHS:
                submission = Submission(organisation_id=partner.id, client_id=f"c_bench_{number}", dataset=DATASET,
                                        period=month, version=1, status=SubmissionStatus.accepted,
                                        on_invalid="reject", linkage_secret_version=1)
                session.add(submission)
                session.flush()
                submissions[number, month] = submission.id
        session.commit()
    started = time.perf_counter()
    with engine.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        for first in range(0, persons, BATCH):
            records, people, links = [], [], []
            for index in range(first, min(first + BATCH, persons)):
                month = MONTHS[index % len(MONTHS)]
                submission_id = submissions[index // len(MONTHS) % PARTNERS, month]
                row = index // (len(MONTHS) * PARTNERS) + 1
                person_id = secrets.token_hex(16)
                records.append((submission_id, row, secrets.token_bytes(32), month, *make()))
                people.append((person_id, DATASET, month))
                links.append((submission_id, row, person_id))
            _write(connection, postgres, Record.__table__, RECORD_COLUMNS, records)
            _write(connection, postgres, Person.__table__, ("id", "dataset", "cohort"), people)
            _write(connection, postgres, PersonRecord.__table__, ("submission_id", "row", "person_id"), links)
            if first % 200_000 == 0:
                log(f"  {first + len(records):,} persons written ({time.perf_counter() - started:.0f} s)")


def _write(connection, postgres: bool, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if "created_at" in table.columns and "created_at" not in columns:
        from hub.models import utcnow

        now = utcnow()
        columns, rows = (*columns, "created_at"), [(*row, now) for row in rows]
    if postgres:
        with connection.connection.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    connection.execute(table.insert(), [dict(zip(columns, row)) for row in rows])


def timed(client: httpx.Client, path: str, requests: int) -> list[float]:
    for _ in range(5):  # warm-up: template compilation, connection pool, caches
        client.get(path).raise_for_status()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def summary(times: list[float]) -> dict:
    quantiles = statistics.quantiles(times, n=100)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(quantiles[94], 1),
            "min_ms": round(min(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL server to make a fresh database on (default: SQLite)")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    database_url = (fresh_database(arguments.database_url, "bench_pages") if arguments.database_url
                    else f"sqlite:///{work / 'hub.db'}")
    port = free_port()
    env = {"DATABASE_URL": database_url, "HUB_SIGNING_KEY_FILE": str(work / "key.json"),
           "HUB_MASTER_KEY_FILE": str(work / "master-keys.json"), "HUB_ISSUER": f"http://127.0.0.1:{port}",
           "HUB_LOG_LEVEL": "WARNING", "HUB_LINK_INTERVAL_S": "0", "HUB_ENVIRONMENT": "development"}
    os.environ.update(env)
    subprocess.run([BIN / "hub", "migrate"], env=os.environ, check=True, capture_output=True)

    from sqlmodel import Session, func, select

    from hub.db import make_engine
    from hub.models import Person
    from hub.reports.service import publish

    engine = make_engine(database_url)
    log(f"writing {arguments.persons:,} persons to {database_url.split(':')[0]}")
    started = time.perf_counter()
    fill(engine, arguments.persons)
    fill_s = time.perf_counter() - started
    started = time.perf_counter()
    with Session(engine) as session:
        reason = "benchmark: no earlier months to expect partners from"
        releases = [*publish(session, YEAR, force_reason=reason), *publish(session, MONTHS[-1], force_reason=reason)]
        session.commit()
        persons_in_database = session.exec(select(func.count()).select_from(Person)).one()
        reports = [(release.id, f"{release.report} {release.period}", len(release.cells)) for release in releases]
    publish_s = time.perf_counter() - started
    log(f"filled in {fill_s:.0f} s, published {len(reports)} reports in {publish_s:.0f} s")
    engine.dispose()

    with (served_hub(os.environ, port, "--workers", "1", "--no-linker", wait_s=30) as base,
          httpx.Client(base_url=base, timeout=30) as client):
        floor = summary(timed(client, "/healthz", arguments.requests))
        log(f"/healthz: {floor}")
        pages = {}
        for release_id, report, cells in reports:
            pages[report] = {"cells": cells, **summary(timed(client, f"/reports/{release_id}", arguments.requests))}
            log(f"/reports/{{id}} {report} ({cells} cells): {pages[report]}")
    slowest = max(pages, key=lambda report: pages[report]["p50_ms"])
    print(json.dumps({
        "persons": persons_in_database, "database": database_url.split(":")[0], "requests": arguments.requests,
        "fill_s": round(fill_s, 1), "publish_s": round(publish_s, 1), "floor_p50_ms": floor["p50_ms"],
        "floor_p95_ms": floor["p95_ms"], "slowest_report": slowest, "slowest_report_cells": pages[slowest]["cells"],
        "report_page_p95_ms_1m": pages[slowest]["p95_ms"],
        "report_page_over_floor_ms": round(pages[slowest]["p50_ms"] - floor["p50_ms"], 1),
        "pages_p50_ms": {report: page["p50_ms"] for report, page in sorted(pages.items())},
        "target_ms": 200, "report_page_ms_1m": pages[slowest]["p50_ms"],
    }))


if __name__ == "__main__":
    main()
