"""A month cannot be wiped by mistake: shrinking replacements need ``replace``, failed uploads are
abandoned at once, and a superseded version can be restored."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, func, select

from hub.cli import main as hub_cli
from hub.cli import partners as partners_cli
from hub.models import Record, Submission
from tests.factories.submissions import act_as, make_org, upload_row
from tests.hub.submissions.test_api import NEW, open_submission


def _send(client, rows, *, replace: bool | None = None):
    submission_id = open_submission(client)
    response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": rows, "rejected_rows": []})
    assert response.status_code == 200, response.text
    body = {"expected_chunks": 1} if replace is None else {"expected_chunks": 1, "replace": replace}
    return submission_id, client.post(f"/v1/submissions/{submission_id}/complete", json=body)


def _rows(count: int, first: int = 1) -> list[dict]:
    return [upload_row(row) for row in range(first, first + count)]


def _status(session, submission_id) -> str:
    session.expire_all()
    return session.get(Submission, submission_id).status


def _records(session, submission_id) -> int:
    return session.exec(select(func.count()).where(Record.submission_id == submission_id)).one()


class TestShrinkingReplacement:
    def test_a_version_with_no_records_does_not_replace_a_month_that_has_some(self, app, client, session):
        act_as(app, make_org(session))
        november, _ = _send(client, _rows(4))
        empty, response = _send(client, [])
        assert response.status_code == 409
        assert response.json()["error"] == "WouldShrinkMonth"
        assert "holds 0 record(s)" in response.json()["detail"] and "holds 4" in response.json()["detail"]
        assert (_status(session, november), _status(session, empty)) == ("accepted", "open")

    def test_fewer_than_half_as_many_records_is_refused_without_replace(self, app, client, session):
        act_as(app, make_org(session))
        november, _ = _send(client, _rows(5))
        _, response = _send(client, _rows(2))
        assert response.status_code == 409
        assert _status(session, november) == "accepted"

    def test_replace_confirms_the_shrink(self, app, client, session):
        act_as(app, make_org(session))
        november, _ = _send(client, _rows(5))
        smaller, response = _send(client, _rows(2), replace=True)
        assert response.status_code == 200, response.text
        assert (_status(session, november), _status(session, smaller)) == ("superseded", "accepted")

    def test_half_as_many_or_more_replaces_without_asking(self, app, client, session):
        act_as(app, make_org(session))
        _ = _send(client, _rows(4))
        corrected, response = _send(client, _rows(2))
        assert response.status_code == 200, response.text
        assert _status(session, corrected) == "accepted"


class TestAbandon:
    def test_an_open_submission_is_abandoned_with_its_rows(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": _rows(3), "rejected_rows": []})
        response = client.post(f"/v1/submissions/{submission_id}/abandon")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "abandoned"
        assert _records(session, submission_id) == 0
        assert client.post(f"/v1/submissions/{submission_id}/abandon").status_code == 200  # again: the same

    def test_another_organisations_submission_is_not_found(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        act_as(app, make_org(session))
        assert client.post(f"/v1/submissions/{submission_id}/abandon").status_code == 404
        assert _status(session, submission_id) == "open"

    def test_an_accepted_submission_cannot_be_abandoned(self, app, client, session):
        act_as(app, make_org(session))
        accepted, _ = _send(client, _rows(2))
        response = client.post(f"/v1/submissions/{accepted}/abandon")
        assert response.status_code == 409
        assert _status(session, accepted) == "accepted"


class TestRestore:
    def test_a_superseded_version_becomes_current_again_with_its_records(self, app, client, session):
        act_as(app, make_org(session))
        first, _ = _send(client, _rows(4))
        second, _ = _send(client, _rows(3, first=10))
        response = client.post(f"/v1/submissions/{first}/restore")
        assert response.status_code == 200, response.text
        assert (_status(session, first), _status(session, second)) == ("accepted", "superseded")
        assert _records(session, first) == 4
        linked = session.exec(select(Submission.linked_at).where(Submission.id.in_([first, second]))).all()
        assert linked == [None, None]  # the linkage takes one version out and puts the other back

    def test_only_a_superseded_version_is_restored(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        assert client.post(f"/v1/submissions/{submission_id}/restore").status_code == 409

    def test_another_organisations_version_is_not_found(self, app, client, session):
        act_as(app, make_org(session))
        first, _ = _send(client, _rows(2))
        _send(client, _rows(2, first=10))
        act_as(app, make_org(session))
        assert client.post(f"/v1/submissions/{first}/restore").status_code == 404

    def test_the_steward_restores_from_the_command_line(self, app, client, session, monkeypatch):
        act_as(app, make_org(session))
        first, _ = _send(client, _rows(2))
        second, _ = _send(client, _rows(2, first=10))
        monkeypatch.setattr(partners_cli, "open_session", lambda: Session(
            bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False))
        result = CliRunner().invoke(hub_cli, ["submissions", "restore", first])
        assert result.exit_code == 0, result.output
        assert f"{first} (version 1) is again the current {NEW['period']}" in result.stderr
        assert (_status(session, first), _status(session, second)) == ("accepted", "superseded")
