"""A failure in the middle of storing a chunk or an upload leaves nothing half-stored."""

from __future__ import annotations

from sqlmodel import func, select

from hub.models import Record, RecordBlock, SubmissionChunk
from hub.submissions import bulk
from tests.factories.submissions import act_as, make_org, upload_row

NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}


def test_failure_after_records_before_blocks_stores_nothing_of_the_chunk(app, client, session, monkeypatch):
    act_as(app, make_org(session))
    submission_id = client.post("/v1/submissions", json=NEW).json()["id"]
    real_insert = bulk.insert_rows

    def insert_then_die(session_, table, columns, rows):
        real_insert(session_, table, columns, rows)
        if table.name == "record_block":
            raise OSError("disk full")

    monkeypatch.setattr("hub.submissions.chunks.insert_rows", insert_then_die)
    response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1), upload_row(2)]})
    assert response.status_code == 500
    assert response.json()["error"] == "InternalError"
    for model in (Record, RecordBlock, SubmissionChunk):
        assert session.exec(select(func.count()).select_from(model)).one() == 0

    monkeypatch.setattr("hub.submissions.chunks.insert_rows", real_insert)
    retry = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1), upload_row(2)]})
    assert retry.json()["accepted"] == 2


def test_records_of_an_unfinished_upload_count_nowhere(app, client, session):
    act_as(app, make_org(session))
    submission_id = client.post("/v1/submissions", json=NEW).json()["id"]
    client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1)]})
    # The upload dies here. Nothing is current: only accepted submissions count.
    listed = client.get("/v1/submissions").json()
    assert [(s["status"], s["accepted"], s["chunks_received"]) for s in listed] == [("open", 0, [1])]

    from datetime import timedelta

    from hub.submissions.service import abandon_stale

    assert abandon_stale(session, timedelta(seconds=-1)) == 1
    assert session.exec(select(func.count()).select_from(Record)).one() == 0
    assert client.get(f"/v1/submissions/{submission_id}").json()["status"] == "abandoned"


def test_a_failed_commit_is_never_answered_as_success(app, client, session, monkeypatch):
    act_as(app, make_org(session))

    def commit_fails():
        raise OSError("the database went away")

    monkeypatch.setattr(session, "commit", commit_fails)
    response = client.post("/v1/submissions", json=NEW)
    assert response.status_code == 500


def test_no_block_outlives_its_record(app, client, session):
    """Blocks have no foreign key (see RecordBlock); every path that deletes records deletes them."""
    from sqlalchemy import text

    act_as(app, make_org(session))
    for mode in ("reject", "skip"):
        opened = client.post("/v1/submissions", json={**NEW, "on_invalid": mode}).json()["id"]
        client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [upload_row(1), upload_row(2, gender="?")]})
        client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 1})
    stale = client.post("/v1/submissions", json=NEW).json()["id"]
    client.put(f"/v1/submissions/{stale}/chunks/1", json={"rows": [upload_row(1)]})
    from datetime import timedelta

    from hub.submissions.service import abandon_stale

    abandon_stale(session, timedelta(seconds=-1))
    # One record stays (row 1 of the skip-mode submission), with its four blocks.
    assert session.exec(select(func.count()).select_from(RecordBlock)).one() == 4
    orphan_blocks = session.execute(
        text(
            "SELECT count(*) FROM record_block b WHERE NOT EXISTS "
            "(SELECT 1 FROM record r WHERE r.submission_id = b.submission_id AND r.row = b.row)"
        )
    ).scalar_one()
    assert orphan_blocks == 0
