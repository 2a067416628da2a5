"""Uploads left open too long: refused, then deleted by the hub itself.

An upload (an open submission) must be completed within ``settings.open_submission_hours`` of
being opened. The limit runs from the opening, not from the last chunk, so that one stated bound
holds: no partner, careless or hostile, keeps records and tokens on the hub that count nowhere for
longer than that by trickling chunks. Past it, a chunk or a completion answers ``UploadExpired``
(409) and the upload's records, blocks, sealed features and data key are deleted (the submission
row stays, ``abandoned``, as history), whichever comes first of:

- the hub's own sweep, every ``expired_sweep_interval_s`` in ``hub serve`` and ``hub linker``;
- the organisation's next new submission (a connector run again after an expired upload);
- the connector abandoning it (it does so when the hub answers ``UploadExpired``).

So nothing of an unfinished upload outlives the limit by more than one sweep interval; with the
bounds of both settings (120 hours, one day) that is always less than 7 days.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from hub.config import get_settings
from hub.errors import UploadExpired
from hub.models import Submission, SubmissionStatus

log = logging.getLogger(__name__)


def upload_window() -> timedelta:
    return timedelta(hours=get_settings().open_submission_hours)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def expires_at(submission: Submission) -> datetime | None:
    """When an open submission stops taking chunks and completion; None once it is not open."""
    if submission.status != SubmissionStatus.open:
        return None
    return _aware(submission.created_at) + upload_window()


def refuse_if_expired(submission: Submission, now: datetime | None = None) -> None:
    """:raises UploadExpired: ``submission`` is open and its time to complete is over."""
    deadline = expires_at(submission)
    if deadline is None or (now or datetime.now(UTC)) < deadline:
        return
    hours = get_settings().open_submission_hours
    raise UploadExpired(
        f"this upload was opened more than {hours} hour(s) ago and was not completed; the hub takes chunks "
        f"and completion for {hours} hour(s) only and deletes what it received after that. Push the file "
        "again: a new upload starts from the beginning"
    )


def purge_expired(session: Session, *, organisation_id: str | None = None) -> int:
    """Abandon every expired upload (of one organisation, if given), deleting its rows; how many."""
    from hub.submissions.service import abandon_stale

    return abandon_stale(session, upload_window(), organisation_id=organisation_id, actor="hub")


def sweep_once() -> int:
    from hub.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as session:
        purged = purge_expired(session)
        session.commit()
    if purged:
        log.info("deleted %d expired upload(s)", purged)
    return purged


def _sweep_until(stop: threading.Event, interval_s: float) -> None:
    while not stop.is_set():
        try:
            sweep_once()
        except Exception as error:  # noqa: BLE001 - the sweep must outlive one failure; the next retries
            log.error("sweep of expired uploads failed (%s)", type(error).__name__)
        stop.wait(interval_s)


def start_sweeper(interval_s: float | None = None) -> tuple[threading.Thread, threading.Event] | None:
    """A daemon thread that purges expired uploads every ``interval_s`` (by default the setting's),
    and the event that stops it; None when the interval is 0. Deleting is the database's work, so
    a thread of the serving process does it without holding up requests."""
    interval_s = get_settings().expired_sweep_interval_s if interval_s is None else interval_s
    if interval_s <= 0:
        return None
    stop = threading.Event()
    thread = threading.Thread(target=_sweep_until, args=(stop, interval_s), name="hub-expired-uploads", daemon=True)
    thread.start()
    return thread, stop
