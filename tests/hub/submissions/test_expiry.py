"""Uploads left open past ``open_submission_hours`` are refused and deleted by the hub itself."""

from __future__ import annotations

import threading
from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import Session, func, select

from hub.cli import main as hub_cli
from hub.cli import partners as partners_cli
from hub.config import get_settings
from hub.models import AuditEntry, DataKey, Record, RecordBlock, SealedFeatures, Submission, utcnow
from hub.submissions import expiry
from tests.factories.submissions import act_as, make_org, random_pairs, upload_row
from tests.hub.submissions.test_api import open_submission


def _opened_with_rows(client, rows: int = 3) -> str:
    submission_id = open_submission(client)
    response = client.put(f"/v1/submissions/{submission_id}/chunks/1",
                          json={"rows": [upload_row(row) for row in range(1, rows + 1)]})
    assert response.status_code == 200, response.text
    return submission_id


def _age(session, submission_id: str, by: timedelta) -> None:
    """Move the upload's opening back by ``by`` past the limit (as if that much time had gone by)."""
    submission = session.get(Submission, submission_id)
    submission.created_at = utcnow() - timedelta(hours=get_settings().open_submission_hours) - by
    session.add(submission)
    session.flush()


def _left_on_the_hub(session, submission_id: str) -> dict:
    session.expire_all()
    return {
        "status": session.get(Submission, submission_id).status,
        "records": session.exec(select(func.count()).where(Record.submission_id == submission_id)).one(),
        "blocks": session.exec(select(func.count()).where(RecordBlock.submission_id == submission_id)).one(),
        "sealed": session.exec(select(func.count()).where(SealedFeatures.submission_id == submission_id)).one(),
        "data_key": session.get(DataKey, submission_id) is not None,
    }


GONE = {"status": "abandoned", "records": 0, "blocks": 0, "sealed": 0, "data_key": False}


class TestRefusal:
    def test_a_chunk_after_the_limit_is_refused_as_expired(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = _opened_with_rows(client)
        _age(session, submission_id, timedelta(seconds=1))
        response = client.put(f"/v1/submissions/{submission_id}/chunks/2", json={"rows": [upload_row(9)]})
        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "UploadExpired"
        assert f"{get_settings().open_submission_hours} hour(s)" in body["detail"]
        assert submission_id not in body["detail"]
        assert _left_on_the_hub(session, submission_id)["records"] == 3  # chunk 2 stored nothing

    def test_a_completion_after_the_limit_is_refused_as_expired(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = _opened_with_rows(client)
        _age(session, submission_id, timedelta(seconds=1))
        response = client.post(f"/v1/submissions/{submission_id}/complete",
                               json={"expected_chunks": 1, "random_pairs": random_pairs()})
        assert response.status_code == 409
        assert response.json()["error"] == "UploadExpired"
        assert _left_on_the_hub(session, submission_id)["status"] == "open"  # never accepted

    def test_within_the_limit_the_upload_completes(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = _opened_with_rows(client)
        _age(session, submission_id, timedelta(minutes=-5))  # five minutes before the limit
        response = client.post(f"/v1/submissions/{submission_id}/complete",
                               json={"expected_chunks": 1, "random_pairs": random_pairs()})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "accepted"

    def test_an_open_upload_says_when_it_expires(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = _opened_with_rows(client)
        shown = client.get(f"/v1/submissions/{submission_id}").json()
        opened = session.get(Submission, submission_id).created_at
        hours = get_settings().open_submission_hours
        assert shown["expires_at"] is not None
        assert abs(expiry.expires_at(session.get(Submission, submission_id)) - expiry._aware(opened)
                   - timedelta(hours=hours)) < timedelta(seconds=1)

    def test_the_connector_can_still_abandon_an_expired_upload_at_once(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = _opened_with_rows(client)
        _age(session, submission_id, timedelta(seconds=1))
        assert client.post(f"/v1/submissions/{submission_id}/abandon").status_code == 200
        assert _left_on_the_hub(session, submission_id) == GONE


class TestPurge:
    def test_the_sweep_deletes_expired_uploads_with_their_records_tokens_and_keys(self, app, client, session):
        act_as(app, make_org(session))
        expired = _opened_with_rows(client)
        _age(session, expired, timedelta(seconds=1))
        assert _left_on_the_hub(session, expired)["sealed"] == 1 and _left_on_the_hub(session, expired)["data_key"]
        act_as(app, make_org(session))  # another partner: opening it does not purge the first one's
        fresh = _opened_with_rows(client)
        assert expiry.purge_expired(session) == 1
        assert _left_on_the_hub(session, expired) == GONE
        assert _left_on_the_hub(session, fresh)["status"] == "open"
        assert _left_on_the_hub(session, fresh)["records"] == 3
        session.commit()  # the audit entry is written with the transaction
        entry = session.exec(select(AuditEntry).where(AuditEntry.subject == expired,
                                                      AuditEntry.kind == "submission.abandoned")).one()
        assert entry.actor == "hub"

    def test_the_organisations_next_submission_deletes_its_expired_uploads(self, app, client, session):
        partner = make_org(session)
        act_as(app, partner)
        expired = _opened_with_rows(client)
        _age(session, expired, timedelta(seconds=1))
        other = make_org(session)
        act_as(app, other)
        others_expired = _opened_with_rows(client)
        _age(session, others_expired, timedelta(seconds=1))
        act_as(app, partner)
        open_submission(client, period="2026-09")
        assert _left_on_the_hub(session, expired) == GONE
        # Another organisation's upload is left to the sweep: a request acts on its caller's rows only.
        assert _left_on_the_hub(session, others_expired)["records"] == 3

    def test_purge_stale_defaults_to_the_configured_limit(self, app, client, session, monkeypatch):
        act_as(app, make_org(session))
        expired = _opened_with_rows(client)
        _age(session, expired, timedelta(seconds=1))
        act_as(app, make_org(session))
        fresh = _opened_with_rows(client)
        _age(session, fresh, timedelta(minutes=-5))
        monkeypatch.setattr(partners_cli, "open_session", lambda: Session(
            bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False))
        result = CliRunner().invoke(hub_cli, ["submissions", "purge-stale"])
        assert result.exit_code == 0, result.output
        assert "abandoned 1 open submission(s)" in result.stderr
        assert _left_on_the_hub(session, expired) == GONE
        assert _left_on_the_hub(session, fresh)["status"] == "open"


class TestSweeper:
    def test_the_sweeper_sweeps_repeatedly_until_stopped(self, monkeypatch):
        swept = threading.Semaphore(0)

        def counting_sweep():
            swept.release()
            return 0

        monkeypatch.setattr(expiry, "sweep_once", counting_sweep)
        thread, stop = expiry.start_sweeper(0.01)
        try:
            assert all(swept.acquire(timeout=5) for _ in range(3))
        finally:
            stop.set()
        thread.join(5)
        assert not thread.is_alive()

    def test_a_failed_sweep_does_not_stop_the_sweeper(self, monkeypatch):
        calls = threading.Semaphore(0)

        def failing_sweep():
            calls.release()
            raise OSError("the database went away")

        monkeypatch.setattr(expiry, "sweep_once", failing_sweep)
        thread, stop = expiry.start_sweeper(0.01)
        try:
            assert calls.acquire(timeout=5) and calls.acquire(timeout=5)
        finally:
            stop.set()
        thread.join(5)

    def test_an_interval_of_zero_starts_no_sweeper(self):
        assert expiry.start_sweeper(0) is None

    def test_the_settings_bound_what_an_unfinished_upload_can_leave_to_under_seven_days(self):
        fields = type(get_settings()).model_fields
        longest_hours = next(m.le for m in fields["open_submission_hours"].metadata if hasattr(m, "le"))
        longest_sweep_s = next(m.le for m in fields["expired_sweep_interval_s"].metadata if hasattr(m, "le"))
        assert timedelta(hours=longest_hours, seconds=longest_sweep_s) < timedelta(days=7)
