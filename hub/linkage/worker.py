"""The linker in the background of ``hub serve``: resolves new and replaced submissions every so often.

It runs in a process of its own: resolution is CPU-bound Python and numpy, and inside the API's
process it would hold the interpreter lock against every request (uploads slowed by half while a
full run was under way). Each run is one transaction (on PostgreSQL under an advisory lock, so
several API workers never link at once); a run that fails, or that is stopped with the server,
leaves the submissions pending for the next one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time

from sqlmodel import Session

from hub.config import get_settings
from hub.db import get_engine
from hub.linkage.service import link_pending

log = logging.getLogger(__name__)


def link_once() -> None:
    with Session(get_engine(), expire_on_commit=False) as session:
        run = link_pending(session)
        session.commit()
    if run.submissions:
        log.info(
            "linked %d submission change(s): %d record(s) added, %d taken out, %d resolved again",
            run.submissions, run.records_added, run.records_removed, run.records_resolved,
        )


def link_periodically(interval_s: float, parent_pid: int | None = None) -> None:
    """Link, then wait ``interval_s`` seconds, for ever (the body of the linker's process); with
    ``parent_pid``, only as long as that process is its parent: a server killed before it could stop
    its linker (uvicorn re-raises SIGTERM once it has shut down) leaves no linker behind."""
    logging.basicConfig(level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    def served() -> bool:
        return parent_pid is None or os.getppid() == parent_pid

    while served():
        try:
            link_once()
        except Exception as error:  # noqa: BLE001 - the loop must outlive one bad run; the next retries
            log.error("linkage run failed (%s); the submissions stay pending", type(error).__name__)
        wake = time.monotonic() + interval_s
        while served() and time.monotonic() < wake:  # a second at most between looks at the parent
            time.sleep(min(1.0, max(wake - time.monotonic(), 0)))


def start_linker(interval_s: float) -> multiprocessing.Process:
    """The linker's process, started (a fresh interpreter: no connection or lock is inherited)."""
    process = multiprocessing.get_context("spawn").Process(
        target=link_periodically, args=(interval_s, os.getpid()), name="hub-linker", daemon=True
    )
    process.start()
    return process


def stop_linker(process: multiprocessing.Process, timeout_s: float = 10) -> None:
    """Stop the linker; a run under way is rolled back with its connection and done again later."""
    process.terminate()
    process.join(timeout_s)
    if process.is_alive():
        process.kill()
        process.join()
