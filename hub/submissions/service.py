"""Rules of submissions, always scoped to the caller's organisation.

A submission is open while chunks arrive; its records count nowhere until completion, which is
one transaction: it either accepts the submission (superseding the earlier version of the same
period, kept as history) or refuses it and deletes its rows. An upload killed half-way leaves an
open submission that the connector resumes or abandons (``POST .../abandon``); one left open past
``open_submission_hours`` is refused and deleted by the hub itself (:mod:`hub.submissions.expiry`).
A submission covers a month that has begun (:func:`hub.periods.current_month_anywhere`), checked
when it is opened and again when it is completed. A completion that would leave a month with no
records, or fewer than half as many as its current version, is refused unless the partner confirms
it (``replace``): one wrong file must not wipe a month. Superseded versions keep their records, so ``restore_submission`` can make
an earlier version current again.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.auth.dependencies import Caller
from hub.config import get_settings
from hub.errors import Conflict, FuturePeriod, InvalidRequest, NotFound, WouldShrinkMonth
from hub.models import (
    DataKey,
    Record,
    RecordBlock,
    SealedFeatures,
    Submission,
    SubmissionChunk,
    SubmissionError,
    SubmissionStatus,
    utcnow,
)
from hub.periods import current_month_anywhere
from hub.signing import sign
from hub.submissions.expiry import expires_at, purge_expired, refuse_if_expired
from hub.submissions.schemas import Receipt, RowErrorPublic, SubmissionCreate, SubmissionPublic
from privacy.random_pairs import LevelCounts
from schemas import load_schema

# A replacement keeping fewer than this share of the current version's records needs ``replace``:
# a month rarely halves from one correction to the next, while a wrong file (another month's, an
# export filtered by mistake, every row refused under skip) usually does.
SHRINK_NEEDS_CONFIRMATION_BELOW = 0.5


def _same_period(organisation_id: str, dataset: str, period: str) -> tuple:
    """The conditions that pick every version of one organisation's period."""
    return (
        Submission.organisation_id == organisation_id,
        Submission.dataset == dataset,
        Submission.period == period,
    )


def _lock_period(session: Session, submission: Submission) -> None:
    """Lock every version of the submission's period, in one order, and re-read it: two versions
    completing (or one restored) at once then run one after the other instead of colliding."""
    session.exec(
        select(Submission.id)
        .where(*_same_period(submission.organisation_id, submission.dataset, submission.period))
        .order_by(Submission.id)
        .with_for_update()
    ).all()
    session.refresh(submission)


def get_submission(session: Session, caller: Caller, submission_id: str, *, lock: bool = False) -> Submission:
    """The caller's submission; another organisation's is answered exactly like a missing one."""
    query = select(Submission).where(
        Submission.id == submission_id, Submission.organisation_id == caller.organisation_id
    )
    if lock:
        query = query.with_for_update()
    submission = session.exec(query).first()
    if submission is None:
        raise NotFound("no such submission of your organisation")
    return submission


def list_submissions(
    session: Session, caller: Caller, *, period: str | None = None, limit: int = 100, offset: int = 0
) -> list[Submission]:
    query = select(Submission).where(Submission.organisation_id == caller.organisation_id)
    if period is not None:
        query = query.where(Submission.period == period)
    query = query.order_by(Submission.period.desc(), Submission.version.desc()).offset(offset).limit(limit)
    return list(session.exec(query))


def refuse_future_period(period: str) -> None:
    """:raises FuturePeriod: ``period`` is a month that has not begun anywhere yet."""
    latest = current_month_anywhere()
    if period > latest:
        raise FuturePeriod(f"the period is after the current month ({latest}); a month is submitted once it "
                           "has begun. If it has, check the date of the computer that made the upload")


def create_submission(session: Session, caller: Caller, body: SubmissionCreate) -> Submission:
    """Open a new version of the caller's submission for (dataset, period); the caller's expired
    uploads are deleted first (a new push is usually what follows one)."""
    refuse_future_period(body.period)
    try:
        load_schema(body.dataset)
    except LookupError:
        raise InvalidRequest("unknown dataset; this hub accepts case-v1") from None
    expected_version = get_settings().linkage_secret_version
    if body.linkage_secret_version != expected_version:
        raise Conflict(
            f"this hub links tokens made with linkage secret version {expected_version}, "
            f"but the upload used version {body.linkage_secret_version}; ask your key custodian "
            "for the current secret and tokenise again"
        )
    purge_expired(session, organisation_id=caller.organisation_id)
    latest = session.exec(
        select(func.max(Submission.version)).where(*_same_period(caller.organisation_id, body.dataset, body.period))
    ).one()
    submission = Submission(
        organisation_id=caller.organisation_id,
        client_id=caller.client_id,
        dataset=body.dataset,
        period=body.period,
        version=(latest or 0) + 1,
        on_invalid=body.on_invalid,
        linkage_secret_version=body.linkage_secret_version,
    )
    session.add(submission)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict("another version of this period was opened at the same moment; try again") from error
    record(session, AuditEvent.submission_created, actor=caller.client_id, organisation_id=caller.organisation_id,
           subject=submission.id, dataset=submission.dataset, period=submission.period,
           version=str(submission.version))
    return submission


def _error_rows(session: Session, submission_id: str) -> int:
    return session.exec(
        select(func.count(func.distinct(SubmissionError.row))).where(SubmissionError.submission_id == submission_id)
    ).one()


def _has_errors(session: Session, submission_id: str) -> bool:
    """Any problem at all, a file-level one (no row) included."""
    return session.exec(
        select(func.count()).where(SubmissionError.submission_id == submission_id)
    ).one() > 0


def _delete_rows(session: Session, submission_id: str) -> None:
    session.execute(delete(RecordBlock).where(RecordBlock.submission_id == submission_id))
    session.execute(delete(Record).where(Record.submission_id == submission_id))
    # With its data key gone, no copy of the submission's sealed features can be opened again.
    session.execute(delete(SealedFeatures).where(SealedFeatures.submission_id == submission_id))
    session.execute(delete(DataKey).where(DataKey.submission_id == submission_id))


def _check_shrink(current: Submission | None, accepted: int, replace: bool) -> None:
    if current is None or replace or current.accepted == 0:
        return
    if accepted >= current.accepted * SHRINK_NEEDS_CONFIRMATION_BELOW:
        return
    raise WouldShrinkMonth(
        f"this version holds {accepted} record(s) and would replace version {current.version} of "
        f"{current.period}, which holds {current.accepted}; nothing was changed. If that is what you "
        "mean, complete again with replace (hub-connector push --replace)"
    )


def complete_submission(
    session: Session, caller: Caller, submission_id: str, expected_chunks: int, random_pairs: dict | None = None,
    *, replace: bool = False,
) -> Receipt:
    """Accept or refuse the submission as a whole; completing it again answers the same receipt.

    ``random_pairs``: the level counts of the file's random pairs (privacy.random_pairs), kept for
    the linkage model's ``u``. ``replace`` confirms a replacement that shrinks the period a lot
    (:data:`SHRINK_NEEDS_CONFIRMATION_BELOW`); without it that raises WouldShrinkMonth and the
    submission stays open."""
    submission = get_submission(session, caller, submission_id)
    _lock_period(session, submission)
    if submission.status != SubmissionStatus.open:
        return receipt(session, caller, submission_id)
    refuse_if_expired(submission)
    refuse_future_period(submission.period)
    chunks = session.exec(
        select(SubmissionChunk.seq, SubmissionChunk.checksum)
        .where(SubmissionChunk.submission_id == submission.id)
        .order_by(SubmissionChunk.seq)
    ).all()
    received = {seq for seq, _ in chunks}
    if received and max(received) > expected_chunks:
        raise Conflict("the hub holds more chunks for this submission than expected_chunks says")
    if len(received) < expected_chunks:
        missing = []
        for seq in range(1, expected_chunks + 1):
            if seq not in received:
                missing.append(seq)
                if len(missing) > 20:
                    break
        shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
        raise Conflict(f"chunks {shown} have not been received; send them, then complete again")

    if random_pairs is not None:
        try:
            submission.random_pairs = LevelCounts.from_wire(random_pairs).to_json()
        except (ValueError, KeyError):
            raise InvalidRequest("random_pairs must give, for each field, one count per comparison level") from None
    submission.accepted = session.exec(select(func.count()).where(Record.submission_id == submission.id)).one()
    submission.rejected = _error_rows(session, submission.id)
    submission.checksum = hashlib.sha256("".join(c for _, c in chunks).encode()).hexdigest()
    submission.completed_at = utcnow()
    if _has_errors(session, submission.id) and submission.on_invalid == "reject":
        _delete_rows(session, submission.id)
        submission.accepted = 0
        submission.status = SubmissionStatus.rejected
    else:
        current = _current_version(session, submission)
        _check_shrink(current, submission.accepted, replace)
        if current is not None:
            current.status = SubmissionStatus.superseded
            current.linked_at = None  # the linkage must now take its records out of the persons
            session.add(current)
            session.flush()
            record(session, AuditEvent.submission_replaced, actor=caller.client_id,
                   organisation_id=caller.organisation_id, subject=current.id, replaced_by=submission.id)
        submission.status = SubmissionStatus.accepted
    session.add(submission)
    session.flush()
    record(session, AuditEvent.submission_completed, actor=caller.client_id, organisation_id=caller.organisation_id,
           subject=submission.id, status=submission.status, period=submission.period)
    return receipt(session, caller, submission_id)


def _current_version(session: Session, submission: Submission) -> Submission | None:
    return session.exec(
        select(Submission)
        .where(
            *_same_period(submission.organisation_id, submission.dataset, submission.period),
            Submission.status == SubmissionStatus.accepted,
        )
        .with_for_update()
    ).first()


def abandon_submission(session: Session, caller: Caller, submission_id: str) -> Submission:
    """Give up the caller's open submission at once, deleting its rows; again answers the same."""
    submission = get_submission(session, caller, submission_id, lock=True)
    if submission.status == SubmissionStatus.abandoned:
        return submission
    if submission.status != SubmissionStatus.open:
        raise Conflict(f"submission {submission_id} is {submission.status}, not open; only an open one is abandoned")
    _delete_rows(session, submission.id)
    submission.status = SubmissionStatus.abandoned
    session.add(submission)
    session.flush()
    return submission


def restore_submission(session: Session, caller: Caller, submission_id: str) -> Submission:
    """Make a superseded version of the caller's period current again; the current one is superseded.

    Superseded versions keep their records, so nothing is uploaded again; the linkage takes the
    replaced version's records out and puts the restored ones back (``linked_at`` cleared on both).
    """
    submission = get_submission(session, caller, submission_id)
    _lock_period(session, submission)
    if submission.status == SubmissionStatus.accepted:
        return submission
    if submission.status != SubmissionStatus.superseded:
        raise Conflict(
            f"submission {submission_id} is {submission.status}; only a superseded version can be restored"
        )
    current = _current_version(session, submission)
    if current is not None:
        current.status = SubmissionStatus.superseded
        current.linked_at = None
        session.add(current)
        session.flush()  # one current version per period: the old one steps down first
    submission.status = SubmissionStatus.accepted
    submission.linked_at = None
    session.add(submission)
    session.flush()
    return submission


def receipt(session: Session, caller: Caller, submission_id: str) -> Receipt:
    submission = get_submission(session, caller, submission_id)
    errors = session.exec(
        select(SubmissionError)
        .where(SubmissionError.submission_id == submission.id)
        .order_by(SubmissionError.row, SubmissionError.id)
    ).all()
    supersedes = None
    if submission.status in (SubmissionStatus.accepted, SubmissionStatus.superseded) and submission.version > 1:
        supersedes = session.exec(
            select(Submission.id).where(
                *_same_period(submission.organisation_id, submission.dataset, submission.period),
                Submission.version < submission.version,
                Submission.status == SubmissionStatus.superseded,
            ).order_by(Submission.version.desc())
        ).first()
    unsigned = Receipt(
        submission_id=submission.id,
        status=submission.status,
        dataset=submission.dataset,
        period=submission.period,
        version=submission.version,
        accepted=submission.accepted,
        rejected=submission.rejected,
        errors=[RowErrorPublic.of(e.row, e.field, e.code) for e in errors],
        supersedes=supersedes,
        checksum=submission.checksum,
    )
    if submission.status == SubmissionStatus.open:
        return unsigned
    content = unsigned.model_dump(mode="json", exclude={"signature"})
    return unsigned.model_copy(update={"signature": sign(content, "hub-receipt+jws")})


def to_public(session: Session, submission: Submission) -> SubmissionPublic:
    chunks = session.exec(
        select(SubmissionChunk.seq).where(SubmissionChunk.submission_id == submission.id).order_by(SubmissionChunk.seq)
    ).all()
    return SubmissionPublic(**submission.model_dump(exclude={"organisation_id", "client_id"}),
                            chunks_received=list(chunks), expires_at=expires_at(submission))


def abandon_stale(session: Session, older_than: timedelta, *, organisation_id: str | None = None,
                  actor: str = "cli") -> int:
    """Abandon submissions still open ``older_than`` after they were opened (of one organisation,
    if given), deleting their rows; how many."""
    cutoff: datetime = utcnow() - older_than
    query = select(Submission).where(Submission.status == SubmissionStatus.open, Submission.created_at < cutoff)
    if organisation_id is not None:
        query = query.where(Submission.organisation_id == organisation_id)
    # Locked, skipping any being completed or uploaded to right now: it is refused as expired there.
    stale = session.exec(query.order_by(Submission.id).with_for_update(skip_locked=True)).all()
    for submission in stale:
        _delete_rows(session, submission.id)
        submission.status = SubmissionStatus.abandoned
        session.add(submission)
        record(session, AuditEvent.submission_abandoned, actor=actor, organisation_id=submission.organisation_id,
               subject=submission.id)
    session.flush()
    return len(stale)
