"""Keeping the persons up to date as submissions are accepted and replaced.

Incremental: only the neighbourhood of a change is resolved again. For the records added (an
accepted submission) and taken out (a superseded one), the neighbourhood starts as the records of
every person that holds one of them or shares a block with one of them, and the records added.
The resolver compares them with every live record sharing a block with them; when a link reaches
a record outside the neighbourhood, that record's person joins it, until no link leaves it. The
neighbourhood then holds whole components of the links, and its persons are exactly those a full
run would make; persons elsewhere keep their records. ``relink_all`` resolves everything from
scratch, for repair and as the yardstick the tests hold the incremental path to.

The model (:mod:`privacy.linkage.model`) is fitted on the whole population, never on a
neighbourhood: a full run fits it and stores it with the run (``LinkageRun``), and incremental runs
use the latest one. When the live records have changed in number by more than a fifth since it
was fitted, the next run is a full one that fits anew.

Person ids are stable where they can be: a resolved cluster keeps the id (and the cohort, which
never changes) of the earliest-cohort person among its records' former persons; a person that no
cluster keeps is deleted. A cluster of new records only is a new person, whose cohort is the
earliest submission period among its records.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, text, tuple_
from sqlmodel import Session, select
from tqdm import tqdm

from hub.audit import AuditEvent, record
from hub.errors import Conflict
from hub.linkage.load import (
    RecordKey,
    batches,
    cohorts_of,
    linkage_records,
    person_of_records,
    pooled_random_pairs,
    record_key,
    records_of_persons,
    records_sharing_blocks,
    resolver_key,
)
from hub.models import LinkageRun, Person, PersonRecord, Record, Submission, SubmissionStatus, utcnow
from hub.models.base import new_id
from hub.submissions.bulk import insert_rows
from privacy.linkage.model import MatchModel
from privacy.linkage.resolve import Quality, Resolver

_LOCK_KEY = 727_001  # PostgreSQL advisory lock: one linkage run at a time across workers
# The model is fitted anew once the live records have grown or shrunk by this share since.
REFIT_AFTER = 0.2


@dataclass(frozen=True)
class LinkageOutcome:
    """What one run changed, and the model's estimate of its errors (counts only: nothing here
    names a person)."""

    submissions: int
    records_added: int
    records_removed: int
    records_resolved: int
    persons: int
    full: bool
    quality: Quality | None


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


def link_pending(session: Session, progress: bool = False) -> LinkageOutcome:
    """Bring the persons up to date with every submission accepted or superseded since the last run.

    The changes' neighbourhood is resolved with the latest full run's model; when there is none,
    or the live records have changed in number by more than ``REFIT_AFTER`` since it was fitted,
    everything is resolved anew with a model fitted anew instead. With ``progress``, each step
    and a bar of the records read are shown on standard error.
    """
    lock_linkage(session)
    pending = _pending_submissions(session)
    latest = latest_full_run(session)
    if latest is None and not pending and not _count_persons(session):
        return LinkageOutcome(0, 0, 0, 0, 0, False, None)  # a hub with nothing to link yet
    if latest is None or (pending and _drifted(session, latest)):
        return _link(session, pending, None, everything=True, progress=progress)
    if not pending:
        return LinkageOutcome(0, 0, 0, 0, _count_persons(session), False, None)
    return _link(session, pending, MatchModel.from_json(latest.model), progress=progress)


def relink_all(session: Session, refit: bool = True, progress: bool = False) -> LinkageOutcome:
    """Resolve every live record from scratch (repair, and the yardstick of the incremental path);
    with ``refit``, fit the model anew, else keep the latest full run's."""
    lock_linkage(session)
    latest = None if refit else latest_full_run(session)
    model = MatchModel.from_json(latest.model) if latest else None
    return _link(session, _pending_submissions(session), model, everything=True, progress=progress)


def latest_full_run(session: Session) -> LinkageRun | None:
    return session.exec(
        select(LinkageRun).where(LinkageRun.full).order_by(LinkageRun.created_at.desc(), LinkageRun.id.desc()).limit(1)
    ).first()


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


def _live_count(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(Record).join(Submission, Submission.id == Record.submission_id)
        .where(Submission.status == SubmissionStatus.accepted)
    ).scalar_one()


def _drifted(session: Session, run: LinkageRun) -> bool:
    """Whether the live records differ in number from those the model was fitted on by more than
    ``REFIT_AFTER``."""
    return abs(_live_count(session) - run.records) > REFIT_AFTER * run.records


def _link(session: Session, pending: list, model: MatchModel | None, everything: bool = False,
          progress: bool = False) -> LinkageOutcome:
    added_ids = [s for s, status in pending if status == SubmissionStatus.accepted]
    removed_ids = [s for s, status in pending if status == SubmissionStatus.superseded]
    added = set(_keys_of(session, added_ids, Record))
    removed = set(_keys_of(session, removed_ids, PersonRecord))
    if model is None:
        levels = pooled_random_pairs(session)
        if levels is None:
            raise Conflict("no accepted submission holds random-pair counts, so the linkage model cannot be "
                           "fitted: the partners must push their months with the current connector")
    resolver = Resolver(model, random_levels=None if model else levels)

    if everything:
        former = records_of_persons(session, set(session.exec(select(Person.id)).all()))
        focus = (set(former) - removed) | added
    else:
        touched = sorted(added | removed)
        neighbours = person_of_records(session, sorted(records_sharing_blocks(session, touched)))
        former = records_of_persons(session, set(person_of_records(session, sorted(removed)).values())
                                    | set(neighbours.values()))
        focus = (set(former) - removed) | added
    loaded: set[RecordKey] = set()
    context: set[RecordKey] = set()
    asked: set[RecordKey] = set()  # focus records whose block-mates have been read
    while True:
        if not everything:
            context = (context | _live_neighbours(session, focus - asked, added, removed)) - focus
            asked |= focus
        wanted = sorted((focus | context) - loaded)
        if wanted:
            resolver.add(_bar(progress, linkage_records(session, wanted), len(wanted)))
            loaded.update(wanted)
        _step(progress, f"resolving {len(focus):,} records into persons"
                        + (f" (compared with {len(context):,} around them)" if context else ""))
        resolution = resolver.resolve(sorted(resolver_key(key) for key in focus))
        reached = {record_key(key) for key in resolution.reached}
        if not reached:
            break
        # A link leaves the neighbourhood: the persons it reaches join it, whole.
        joining = records_of_persons(session, set(person_of_records(session, sorted(reached)).values()))
        former.update(joining)
        focus |= reached | (set(joining) - removed)
    clusters = [frozenset(record_key(key) for key in cluster) for cluster in resolution.persons]
    _step(progress, f"writing what changed among {len(clusters):,} persons")
    _replace_persons(session, clusters, former)
    now = utcnow()
    for submission in session.exec(select(Submission).where(Submission.id.in_(added_ids + removed_ids))).all():
        submission.linked_at = now
        session.add(submission)
    session.flush()
    persons = _count_persons(session)
    run = LinkageRun(
        full=everything, records=_live_count(session), records_resolved=len(focus), persons=persons,
        model=resolution.model.to_json(), quality=json.dumps(resolution.quality.as_dict()),
    )
    session.add(run)
    session.flush()
    # The run's id and kind only: its counts stay in linkage_run, out of the log.
    record(session, AuditEvent.linkage_run, subject=run.id, full=everything)
    return LinkageOutcome(len(pending), len(added), len(removed), len(focus), persons, everything, resolution.quality)


def _live_neighbours(session: Session, keys: set[RecordKey], added: set[RecordKey],
                     removed: set[RecordKey]) -> set[RecordKey]:
    """Live records that share a block with any of ``keys``: linked ones and ``added`` ones."""
    sharing = records_sharing_blocks(session, sorted(keys)) - removed
    linked = set(person_of_records(session, sorted(sharing)))
    return linked | (sharing & added)


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
