"""Keeping the persons up to date as submissions are accepted and replaced.

Incremental: only the neighbourhood of a change is resolved again. For the records added (an
accepted submission) and taken out (a superseded one), the neighbourhood is every person that
holds one of them or shares a match key or blocking token with one of them, with all of those
persons' records. The resolver runs over that neighbourhood alone; persons elsewhere keep their
records. ``relink_all`` resolves everything from scratch, for repair and as the yardstick the
tests hold the incremental path to.

Which weak evidence links (a name whose dates differ, a partial date: :mod:`privacy.linkage.namesakes`)
is measured on the whole population, never on a neighbourhood: a full run stores the measurement as a
``LinkageCalibration``, and incremental runs use the latest one. When the live records have changed in
number by more than a fifth since it was measured, the next run is a full one that measures anew.

Person ids are stable where they can be: a resolved cluster keeps the id (and the cohort, which
never changes) of the earliest-cohort person among its records' former persons; a person that no
cluster keeps is deleted. A cluster of new records only is a new person, whose cohort is the
earliest submission period among its records.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, text, tuple_
from sqlmodel import Session, select
from tqdm import tqdm

from hub.linkage.load import (
    RecordKey,
    batches,
    cohorts_of,
    linkage_records,
    person_of_records,
    record_key,
    records_of_persons,
    records_sharing_material,
)
from hub.models import LinkageCalibration, Person, PersonRecord, Record, Submission, SubmissionStatus, utcnow
from hub.models.base import new_id
from hub.submissions.bulk import insert_rows
from privacy.linkage.resolve import Resolver

_LOCK_KEY = 727_001  # PostgreSQL advisory lock: one linkage run at a time across workers
# A calibration is measured anew once the live records have grown or shrunk by this share since.
RECALIBRATE_AFTER = 0.2


@dataclass(frozen=True)
class LinkageRun:
    """What one run changed (counts only: nothing here names a person)."""

    submissions: int
    records_added: int
    records_removed: int
    records_resolved: int
    persons: int


def lock_linkage(session: Session) -> None:
    """Hold the linkage lock to the end of the transaction (PostgreSQL; SQLite serialises writers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _keys_of(session: Session, submission_ids: list[str], table) -> list[RecordKey]:
    if not submission_ids:
        return []
    return [tuple(k) for k in session.execute(
        select(table.submission_id, table.row).where(table.submission_id.in_(submission_ids))
    )]


def link_pending(session: Session, progress: bool = False) -> LinkageRun:
    """Bring the persons up to date with every submission accepted or superseded since the last run.

    The changes' neighbourhood is resolved with the latest calibration; when there is none, or
    the live records have changed in number by more than ``RECALIBRATE_AFTER`` since it was
    measured, everything is resolved anew and a new calibration measured instead. With
    ``progress``, each step and a bar of the records read are shown on standard error.
    """
    lock_linkage(session)
    pending = _pending_submissions(session)
    calibration = latest_calibration(session)
    if calibration is None or (pending and _drifted(session, calibration)):
        return _relink_everything(session, pending, progress=progress)
    return _link_changes(session, pending, calibration.trusted_classes(), progress=progress)[0]


def relink_all(session: Session, recalibrate: bool = True, progress: bool = False) -> LinkageRun:
    """Resolve every live record from scratch (repair, and the yardstick of the incremental path);
    with ``recalibrate``, measure which weak evidence to trust anew, else keep the latest calibration."""
    lock_linkage(session)
    calibration = None if recalibrate else latest_calibration(session)
    return _relink_everything(session, _pending_submissions(session), calibration, progress)


def latest_calibration(session: Session) -> LinkageCalibration | None:
    return session.exec(
        select(LinkageCalibration).order_by(LinkageCalibration.created_at.desc(), LinkageCalibration.id.desc()).limit(1)
    ).first()


def _relink_everything(
    session: Session, pending: list, calibration: LinkageCalibration | None = None, progress: bool = False
) -> LinkageRun:
    # Every person is in the neighbourhood, so persons keep their ids and cohorts as in any run.
    trusted = None if calibration is None else calibration.trusted_classes()
    run, resolver = _link_changes(session, pending, trusted, everything=True, progress=progress)
    if calibration is None:
        session.add(LinkageCalibration.measured(run.records_resolved, resolver.evidence))
        session.flush()
    return run


def _pending_submissions(session: Session) -> list:
    """Submissions accepted or superseded and not linked since, as (id, status)."""
    # Locked, so that a version completed while this run resolves waits for it: otherwise the run
    # would stamp linked_at over the "superseded, take me out" mark that completion just set.
    return session.execute(
        select(Submission.id, Submission.status)
        .where(
            Submission.linked_at.is_(None),
            Submission.status.in_([SubmissionStatus.accepted, SubmissionStatus.superseded]),
        )
        .order_by(Submission.id)
        .with_for_update()
    ).all()


def _drifted(session: Session, calibration: LinkageCalibration) -> bool:
    """Whether the live records differ in number from those the calibration was measured on by
    more than ``RECALIBRATE_AFTER``."""
    live = session.execute(
        select(func.count()).select_from(Record).join(Submission, Submission.id == Record.submission_id)
        .where(Submission.status == SubmissionStatus.accepted)
    ).scalar_one()
    return abs(live - calibration.records) > RECALIBRATE_AFTER * calibration.records


def _link_changes(
    session: Session, pending: list, trusted_classes, everything: bool = False, progress: bool = False
) -> tuple[LinkageRun, Resolver]:
    added_ids = [s for s, status in pending if status == SubmissionStatus.accepted]
    removed_ids = [s for s, status in pending if status == SubmissionStatus.superseded]
    added = _keys_of(session, added_ids, Record)
    removed = _keys_of(session, removed_ids, PersonRecord)

    if everything:
        affected_persons = set(session.exec(select(Person.id)).all())
    else:
        touched = set(added) | set(removed)
        linked_neighbours = person_of_records(session, sorted(records_sharing_material(session, sorted(touched))))
        affected_persons = set(person_of_records(session, removed).values()) | set(linked_neighbours.values())
    former = records_of_persons(session, affected_persons)
    removed_set = set(removed)
    neighbourhood = (set(former) - removed_set) | set(added)

    resolver = Resolver(trusted_classes=trusted_classes)
    if neighbourhood:
        resolver.add(_bar(progress, linkage_records(session, neighbourhood), len(neighbourhood)))
    _step(progress, f"resolving {len(neighbourhood):,} records into persons")
    clusters = [frozenset(record_key(key) for key in cluster) for cluster in resolver.persons()]
    _step(progress, f"writing what changed among {len(clusters):,} persons")
    _replace_persons(session, clusters, former)
    now = utcnow()
    for submission in session.exec(select(Submission).where(Submission.id.in_(added_ids + removed_ids))).all():
        submission.linked_at = now
        session.add(submission)
    session.flush()
    run = LinkageRun(len(pending), len(added), len(removed), len(neighbourhood), _count_persons(session))
    return run, resolver


def _bar(enabled: bool, records: Iterable, total: int) -> tqdm:
    """``records`` with a bar of those read, on standard error when it is a terminal and ``enabled``."""
    return tqdm(records, total=total, unit=" records", desc="reading linkage material", file=sys.stderr, delay=1.0,
                disable=not enabled or not sys.stderr.isatty())


def _step(enabled: bool, message: str) -> None:
    if enabled:
        tqdm.write(message, file=sys.stderr)


def _periods(session: Session, submission_ids: set[str]) -> dict[str, str]:
    return dict(session.execute(select(Submission.id, Submission.period).where(Submission.id.in_(sorted(submission_ids)))).all())


def _replace_persons(session: Session, clusters: list[frozenset], former: dict[RecordKey, str]) -> None:
    """Give every cluster a person and write what changed: the memberships of records whose person
    is new or another, the persons no cluster keeps (deleted), the new persons. A run that finds
    most persons as they were (a full run, above all) rewrites little."""
    former_ids = set(former.values())
    cohorts = cohorts_of(session, former_ids)
    periods = _periods(session, {key[0] for cluster in clusters for key in cluster})
    kept: set[str] = set()
    new_persons, person_of = [], {}
    for cluster in sorted(clusters, key=min):
        cohort = min(periods[submission_id] for submission_id, _ in cluster)
        candidates = sorted(
            {former[key] for key in cluster if key in former} - kept, key=lambda pid: (cohorts[pid], pid)
        )
        if candidates:
            # An existing person keeps its cohort for good: releases of that cohort have already
            # been charged for it, and moving it would let another cohort's budget be spent on it.
            person_id = candidates[0]
            kept.add(person_id)
        else:
            # New records, or the part of a person that a correction split off: a new person in the
            # month of its earliest record. That human is then two persons in two months' groups,
            # each charged to one group's budget (docs/privacy.md).
            person_id = new_id()
            new_persons.append((person_id, "case-v1", cohort, utcnow()))
        person_of.update(dict.fromkeys(cluster, person_id))
    # Memberships that end (the record moved to another person, or was taken out) and that start.
    ending = sorted(key for key, person_id in former.items() if person_of.get(key) != person_id)
    starting = [(*key, person_id) for key, person_id in sorted(person_of.items()) if former.get(key) != person_id]
    for keys in batches(ending):
        session.execute(delete(PersonRecord).where(tuple_(PersonRecord.submission_id, PersonRecord.row).in_(keys)))
    for ids in batches(sorted(former_ids - kept)):
        session.execute(delete(Person).where(Person.id.in_(ids)))
    session.flush()
    insert_rows(session, Person.__table__, ("id", "dataset", "cohort", "created_at"), new_persons)
    insert_rows(session, PersonRecord.__table__, ("submission_id", "row", "person_id"), starting)


def _count_persons(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Person)).scalar_one()


def partners_by_person(session: Session) -> dict[str, set[str]]:
    """Each person's reporting organisations (for the aggregates of later issues; never served)."""
    found: dict[str, set[str]] = defaultdict(set)
    for person_id, organisation_id in session.execute(
        select(PersonRecord.person_id, Submission.organisation_id).join(Submission, Submission.id == PersonRecord.submission_id)
    ):
        found[person_id].add(organisation_id)
    return dict(found)
