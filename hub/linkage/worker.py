"""The linker in the background of ``hub serve``: resolves new and replaced submissions every so often.

Each run is one transaction (on PostgreSQL under an advisory lock, so several API workers never
link at once); a run that fails leaves the submissions pending for the next one.
"""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

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


async def link_periodically(interval_s: float) -> None:
    while True:
        try:
            await run_in_threadpool(link_once)
        except Exception as error:  # noqa: BLE001 - the loop must outlive one bad run; the next retries
            log.error("linkage run failed (%s); the submissions stay pending", type(error).__name__)
        await asyncio.sleep(interval_s)
