"""A release's snapshot is a keyed commitment: it tells readers nothing about the data, yet the key checks it."""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl

from hub.releases.snapshot import commit_snapshot, new_nonce, snapshot_matches
from hub.reports.persons import person_frame, snapshot_hash
from hub.reports.service import publish
from tests.factories.auth import bearer, make_client, make_organisation

KEY = "a snapshot key of at least thirty-two characters"
OTHER_KEY = "another hub's snapshot key, also long enough"


def test_the_empty_cohorts_snapshot_is_no_fixed_value_and_differs_between_hubs(session):
    empty = person_frame(session)
    assert empty.height == 0
    nonce = new_nonce()
    ours, theirs = commit_snapshot(empty, nonce, KEY), commit_snapshot(empty, nonce, OTHER_KEY)
    assert ours != theirs
    fixed = {hashlib.sha256(b"").hexdigest(), snapshot_hash(empty), hashlib.sha256(b"\n").hexdigest()}
    assert ours not in fixed and theirs not in fixed
    assert commit_snapshot(empty, new_nonce(), KEY) != ours  # a fresh nonce: never the same value twice


def test_the_key_holder_can_check_a_snapshot_against_the_data(session):
    schema = person_frame(session).schema
    persons = pl.DataFrame(
        {name: [[f"{name}-{i}"] if isinstance(dtype, pl.List) else f"{name}-{i}" for i in (1, 2)]
         for name, dtype in schema.items()},
        schema=schema,
    )
    nonce = new_nonce()
    snapshot = commit_snapshot(persons, nonce, KEY)
    assert snapshot_matches(snapshot, nonce, persons, KEY)
    assert not snapshot_matches(snapshot, nonce, persons.head(1), KEY)
    assert not snapshot_matches(snapshot, nonce, persons, OTHER_KEY)
    assert not snapshot_matches(snapshot, new_nonce(), persons, KEY)


def test_published_tables_of_one_empty_cohort_have_unrelated_snapshots_and_serve_no_nonce(client, session):
    month = f"{date.today().year - 1}-03"
    releases = publish(session, month)  # nobody submitted: nothing is expected and no one is counted
    snapshots = [release.snapshot for release in releases]
    assert len(set(snapshots)) == len(snapshots) > 1
    assert hashlib.sha256(b"").hexdigest() not in snapshots
    assert all(snapshot_matches(r.snapshot, r.snapshot_nonce, person_frame(session).filter(
        pl.col("cohort").is_in(r.cohorts)), "development-only-snapshot-commitment-secret") for r in releases)
    analyst = bearer(client, make_client(session, make_organisation(session, "Ministry", "government"),
                                         ["reports:read"]))
    served = client.get(f"/v1/reports/{releases[0].id}", headers=analyst)
    assert served.status_code == 200
    assert releases[0].snapshot_nonce not in served.text and "nonce" not in served.text
