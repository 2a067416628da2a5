"""The background linker of ``hub serve`` runs in a process of its own and links what is pending."""

from __future__ import annotations

import multiprocessing
import os
import time

import sqlalchemy as sa

from hub.linkage.worker import start_linker, stop_linker
from tests.factories.databases import seeded_demo_hub


def _counts(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        persons = connection.execute(sa.text("SELECT count(*) FROM person_record")).scalar_one()
        pending = connection.execute(sa.text("SELECT count(*) FROM submission WHERE linked_at IS NULL")).scalar_one()
    engine.dispose()
    return persons, pending


def test_the_linker_process_links_pending_submissions_and_stops_with_the_server(tmp_path, monkeypatch):
    env = seeded_demo_hub(tmp_path, "linker", persons=60)
    url = env["DATABASE_URL"]
    linked, _ = _counts(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # as if nothing had been linked yet
        connection.execute(sa.text("DELETE FROM person_record"))
        connection.execute(sa.text("DELETE FROM person"))
        connection.execute(sa.text("DELETE FROM linkage_run"))
        connection.execute(sa.text("UPDATE submission SET linked_at = NULL"))
    engine.dispose()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    linker = start_linker(interval_s=0.2)
    try:
        deadline = time.monotonic() + 120
        while _counts(url) != (linked, 0) and time.monotonic() < deadline and linker.is_alive():
            time.sleep(0.5)
        assert _counts(url) == (linked, 0)
        assert linker.pid != os.getpid()
    finally:
        stop_linker(linker)
    assert not linker.is_alive()


def test_a_linker_whose_server_is_gone_stops_by_itself():
    from hub.linkage.worker import link_periodically

    # As if the server that started it had died: its parent is not the process it was told of.
    process = multiprocessing.get_context("spawn").Process(target=link_periodically, args=(3600, os.getpid() + 10**6))
    process.start()
    process.join(60)
    assert not process.is_alive() and process.exitcode == 0
