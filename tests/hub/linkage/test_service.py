"""Linkage on the hub: accepted records become persons, incrementally, and as a full run would."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from connectors.oauth import TokenSource
from connectors.upload import push
from hub.auth.clients import token_endpoint
from hub.demo import generate_demo_data
from hub.linkage.service import latest_full_run, link_pending, relink_all
from hub.models import LinkageRun, Person, PersonRecord, Record, Submission
from tests.factories.auth import make_client, make_organisation

SECRET = b"linkage secret of the test partners"


def persons_as_case_sets(session) -> set[frozenset]:
    """Each person as the set of (organisation, period, row) of its records: comparable across runs."""
    grouped = defaultdict(set)
    for person_id, organisation_id, period, row in session.execute(
        select(PersonRecord.person_id, Submission.organisation_id, Submission.period, PersonRecord.row)
        .join(Submission, Submission.id == PersonRecord.submission_id)
    ):
        grouped[person_id].add((organisation_id, period, row))
    return {frozenset(v) for v in grouped.values()}


@pytest.fixture
def demo(tmp_path):
    return generate_demo_data(tmp_path / "demo", partners=4, persons=150, seed=3)


def push_month(client, session, demo, month: str, tmp_path, credentials: dict) -> None:
    for slug, paths in demo.partner_files.items():
        if slug not in credentials:
            credentials[slug] = make_client(session, make_organisation(session, slug), ["submissions:write"])
        c = credentials[slug]
        tokens = TokenSource(token_endpoint(), c["client_id"], client_secret=c["client_secret"])
        for path in paths:
            if path.stem == month:
                push(path, month, mapping=demo.mapping_files[slug], http=client, tokens=tokens,
                     linkage_secret=SECRET, linkage_secret_version=1, on_invalid="skip", progress=False,
                     state_dir=tmp_path / "state")


@pytest.mark.parametrize("read", ["by key", "by scan"])
def test_incremental_linkage_equals_a_full_run(client, session, demo, tmp_path, monkeypatch, read):
    if read == "by scan":
        monkeypatch.setattr("hub.linkage.load.SCAN_ABOVE", 0)
    credentials: dict = {}
    push_month(client, session, demo, demo.months[0], tmp_path, credentials)
    link_pending(session)  # the first run is a full one, and fits the model
    monkeypatch.setattr("hub.linkage.service.REFIT_AFTER", 100.0)  # the later ones are incremental
    for month in demo.months[1:]:
        push_month(client, session, demo, month, tmp_path, credentials)
        run = link_pending(session)
        assert not run.full
        assert run.records_resolved < session.exec(select(func.count()).select_from(Record)).one()
    # A month pushed again: its old version's records taken out, the new ones linked.
    push_month(client, session, demo, demo.months[1], tmp_path, credentials)
    assert link_pending(session).records_removed > 0
    incremental = persons_as_case_sets(session)
    relink_all(session, refit=False)
    assert persons_as_case_sets(session) == incremental


def test_the_model_is_fitted_anew_when_the_records_grow_by_a_fifth(client, session, demo, tmp_path):
    credentials: dict = {}
    push_month(client, session, demo, demo.months[0], tmp_path, credentials)
    link_pending(session)
    first = latest_full_run(session)
    assert first.records == session.exec(select(func.count()).select_from(Record)).one()
    figures = first.quality_figures()
    assert set(figures) == {"pairs", "links", "expected_precision", "expected_recall", "expected_split_share",
                            "expected_merge_share"}
    assert 0.5 < figures["expected_precision"] <= 1 and 0.5 < figures["expected_recall"] <= 1
    push_month(client, session, demo, demo.months[1], tmp_path, credentials)
    run = link_pending(session)
    assert run.full and latest_full_run(session).id != first.id
    assert run.records_resolved == latest_full_run(session).records > first.records
    assert session.exec(select(func.count()).select_from(LinkageRun)).one() == 2


def test_every_accepted_record_is_in_exactly_one_person(client, session, demo, tmp_path):
    push_month(client, session, demo, demo.months[0], tmp_path, {})
    link_pending(session)
    records = session.exec(select(func.count()).select_from(Record)).one()
    linked = session.exec(select(func.count()).select_from(PersonRecord)).one()
    assert records == linked > 0


def test_linkage_removes_most_duplicates_without_merging_strangers(client, session, demo, tmp_path):
    credentials: dict = {}
    for month in demo.months:
        push_month(client, session, demo, month, tmp_path, credentials)
    link_pending(session)
    with demo.ground_truth_file.open() as handle:
        true_persons = len({row["person_id"] for row in csv.DictReader(handle)})
    persons = session.exec(select(func.count()).select_from(Person)).one()
    records = session.exec(select(func.count()).select_from(Record)).one()
    duplicates = records - true_persons
    # Demo partners misspell, transliterate, swap name order and drop birth dates on purpose;
    # bench/linkage.py measures the quality, this guards against a linkage that stopped working.
    assert true_persons <= persons <= true_persons + duplicates // 2


def test_a_replaced_submission_is_unlinked_and_its_replacement_linked(client, session, demo, tmp_path):
    credentials: dict = {}
    push_month(client, session, demo, demo.months[0], tmp_path, credentials)
    link_pending(session)
    before = persons_as_case_sets(session)
    push_month(client, session, demo, demo.months[0], tmp_path, credentials)  # the same month again
    run = link_pending(session)
    assert run.records_removed == run.records_added > 0
    superseded = session.exec(select(Submission.id).where(Submission.status == "superseded")).all()
    assert session.exec(select(func.count()).where(PersonRecord.submission_id.in_(superseded))).one() == 0
    assert len(persons_as_case_sets(session)) == len(before)
    assert link_pending(session).submissions == 0


def test_a_full_run_over_unchanged_persons_rewrites_none_of_them(client, session, engine, demo, tmp_path):
    credentials: dict = {}
    for month in demo.months[:2]:
        push_month(client, session, demo, month, tmp_path, credentials)
    relink_all(session)
    before = persons_as_case_sets(session)
    writes = []

    def record(conn, cursor, statement, parameters, context, executemany):
        writing = statement.lstrip().upper().startswith(("DELETE", "INSERT", "UPDATE", "COPY"))
        if writing and "person" in statement and "linkage_run" not in statement:  # a run is recorded, always
            writes.append(statement.split("(")[0][:60])

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        relink_all(session, refit=False)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert persons_as_case_sets(session) == before
    assert writes == []


def test_a_full_run_binds_persons_and_records_in_batches(client, session, engine, demo, tmp_path, monkeypatch):
    # PostgreSQL refuses a statement with more than 65,535 parameters: a full run over a large
    # hub must never list all its persons or records in one IN (...). Batches of 7 here, so that
    # this demo's few hundred persons would show any list that is not cut.
    credentials: dict = {}
    for month in demo.months[:3]:
        push_month(client, session, demo, month, tmp_path, credentials)
    relink_all(session)
    submissions = session.exec(select(func.count()).select_from(Submission)).one()
    monkeypatch.setattr("hub.linkage.load._BATCH", 7)
    widest = []

    def count(conn, cursor, statement, parameters, context, executemany):
        rows = parameters if executemany else [parameters]
        widest.append(max((len(row) for row in rows), default=0))

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        relink_all(session)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert session.exec(select(func.count()).select_from(Person)).one() > 2 * 7 + submissions
    assert max(widest) <= 2 * 7 + submissions + 4


def test_a_restored_version_is_linked_again_and_the_one_it_replaces_unlinked(client, session, demo, tmp_path):
    from hub.auth.dependencies import Caller
    from hub.submissions.service import restore_submission

    credentials: dict = {}
    push_month(client, session, demo, demo.months[0], tmp_path, credentials)
    link_pending(session)
    push_month(client, session, demo, demo.months[0], tmp_path, credentials)
    link_pending(session)
    first = session.exec(select(Submission).where(Submission.status == "superseded")).first()
    replacing = session.exec(select(Submission).where(
        Submission.organisation_id == first.organisation_id, Submission.period == first.period,
        Submission.status == "accepted")).one()
    restore_submission(session, Caller("steward", first.organisation_id, frozenset()), first.id)
    run = link_pending(session)
    assert run.records_removed == run.records_added == first.accepted > 0

    def linked(submission_id) -> int:
        return session.exec(select(func.count()).where(PersonRecord.submission_id == submission_id)).one()

    assert (linked(first.id), linked(replacing.id)) == (first.accepted, 0)
