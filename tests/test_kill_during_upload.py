"""A connector killed (SIGKILL) in the middle of an upload: nothing half-stored, and a re-run resumes.

Real processes: ``hub serve`` on its own database and ``hub-connector push`` in a subprocess, killed
once the hub holds some chunks and before it completes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
import sqlalchemy as sa

from tests.factories.databases import fresh_database
from tests.factories.servers import BIN, free_port, hub_environment, served_hub

ROWS, CHUNK_ROWS = 3000, 50


@pytest.fixture
def hub(tmp_path):
    """A running hub on a fresh database, a partner's credentials, and the database engine."""
    url = fresh_database(tmp_path, "kill")
    port = free_port()
    env = hub_environment(tmp_path, url, port)
    subprocess.run([BIN / "hub", "orgs", "create", "Shelter", "--type", "ngo"], env=env, check=True, capture_output=True)
    created = subprocess.run([BIN / "hub", "clients", "create", "--org", "Shelter", "--scopes", "submissions:write"],
                             env=env, check=True, capture_output=True, text=True)
    credentials = json.loads(created.stdout)
    engine = sa.create_engine(url)
    with served_hub(env, port) as base:
        yield {"url": base, "credentials": credentials, "engine": engine}
    engine.dispose()


def _count(engine, query: str) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text(query)).scalar_one()


def test_killed_connector_leaves_nothing_counted_and_resumes(hub, tmp_path):
    export = tmp_path / "cases.csv"
    lines = [f"C-{i:05d},2026-01-{1 + i % 28:02d},Person {i} Example,F,NPL\n" for i in range(ROWS)]
    export.write_text("case_reference,registration_date,full_name,gender,citizenship\n" + "".join(lines))
    env = {**os.environ, "HUB_URL": hub["url"], "HUB_CLIENT_ID": hub["credentials"]["client_id"],
           "HUB_CLIENT_SECRET": hub["credentials"]["client_secret"], "HUB_LINKAGE_SECRET": "k" * 32,
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    command = [BIN / "hub-connector", "push", export, "--period", "2026-01", "--chunk-rows", str(CHUNK_ROWS), "--json"]

    connector = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(hub["engine"], "SELECT count(*) FROM submission_chunk") < 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    connector.send_signal(signal.SIGKILL)
    connector.wait()
    held = _count(hub["engine"], "SELECT count(*) FROM submission_chunk")
    assert 3 <= held < ROWS // CHUNK_ROWS, "the kill did not land in the middle of the upload"
    assert _count(hub["engine"], "SELECT count(*) FROM submission WHERE status = 'accepted'") == 0
    # Every stored record belongs to a stored chunk: no chunk is half there. One statement reads
    # both counts from one snapshot: a chunk the hub was still storing when the connector died can
    # land between two separate reads.
    with hub["engine"].connect() as connection:
        records, chunked = connection.execute(sa.text(
            "SELECT (SELECT count(*) FROM record), (SELECT coalesce(sum(row_count), 0) FROM submission_chunk)"
        )).one()
    assert records == chunked

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    receipt = json.loads(resumed.stdout)
    assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("accepted", ROWS, 0)
    assert receipt["version"] == 1, "the re-run must resume the interrupted submission, not open another"
    assert _count(hub["engine"], "SELECT count(*) FROM record") == ROWS
    assert _count(hub["engine"], "SELECT count(*) FROM submission") == 1
