"""One wrong push cannot wipe a month, and a push that fails part-way leaves nothing on the hub."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import func, select

from connectors import hub_client
from connectors.errors import ConfigurationError, FileRejected, HubRequestFailed
from connectors.hub_client import HubClient
from hub.models import Record, Submission
from tests.connectors.test_upload import HEADER, export, partner, records, run

__all__ = ["partner"]


def statuses(session) -> list[tuple[int, str]]:
    session.expire_all()
    return list(session.exec(select(Submission.version, Submission.status).order_by(Submission.version)))


def test_a_push_with_every_row_invalid_does_not_replace_the_month(partner, client, session, tmp_path):
    november = run(export(tmp_path, good=4), client, tmp_path)
    with pytest.raises(HubRequestFailed) as caught:
        run(export(tmp_path, good=0, bad=3), client, tmp_path, on_invalid="skip")
    message = str(caught.value)
    assert "holds 0 record(s)" in message and "holds 4" in message and "--replace" in message
    assert "was abandoned: nothing of it is kept there" in message
    assert statuses(session) == [(1, "accepted"), (2, "abandoned")]
    assert records(session, november["submission_id"]) == 4
    assert not list((tmp_path / "state").glob("*.json"))


def test_a_much_smaller_month_needs_replace(partner, client, session, tmp_path):
    run(export(tmp_path, good=6), client, tmp_path)
    with pytest.raises(HubRequestFailed, match="WouldShrinkMonth"):
        run(export(tmp_path, good=2), client, tmp_path)
    receipt = run(export(tmp_path, good=2), client, tmp_path, replace=True)
    assert (receipt["status"], receipt["accepted"], receipt["version"]) == ("accepted", 2, 3)


def test_a_future_period_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="2026-03 is in the future"):
        run(export(tmp_path), None, tmp_path, dry_run=True, period="2026-03")


def test_rows_registered_before_the_period_are_refused_or_reported(tmp_path):
    path = export(tmp_path, good=3)
    receipt = run(path, None, tmp_path, dry_run=True, period="2026-02")
    assert receipt["would_be"] == "rejected"
    assert {e["message"].split(";")[0] for e in receipt["errors"]} == {"is before the submission period 2026-02"}
    receipt = run(path, None, tmp_path, dry_run=True, period="2026-02", on_invalid="skip")
    assert (receipt["would_be"], receipt["accepted"]) == ("accepted", 3)
    assert any("3 row(s) have a registration date before 2026-02 (row 1, 2, 3)" in w for w in receipt["warnings"])


def test_a_file_unreadable_far_down_is_refused_before_anything_is_sent(partner, client, session, tmp_path):
    path = tmp_path / "late-failure.csv"
    good = "".join(f"KTM-{i:04d},2026-01-05,Asha,1999-04-03,,F,NPL,\n" for i in range(3000))
    path.write_bytes((HEADER + good).encode() + b"KTM-9,2026-01-05,\xff\xfe broken,,,F,NPL,\n")
    with pytest.raises(FileRejected, match="cannot be read as utf-8 after row"):
        run(path, client, tmp_path, encoding="utf-8")
    assert session.exec(select(func.count()).select_from(Submission)).one() == 0


def test_a_push_refused_part_way_abandons_its_submission(partner, client, session, tmp_path, monkeypatch):
    real_put = HubClient.put_chunk

    def refuse_the_second(self, submission_id, seq, body):
        if seq == 2:
            raise HubRequestFailed("the hub refused PUT (422 InvalidRequest): bad chunk", status=422)
        return real_put(self, submission_id, seq, body)

    monkeypatch.setattr(HubClient, "put_chunk", refuse_the_second)
    with pytest.raises(HubRequestFailed, match="was abandoned: nothing of it is kept there"):
        run(export(tmp_path, good=5), client, tmp_path)
    assert statuses(session) == [(1, "abandoned")]
    assert session.exec(select(func.count()).select_from(Record)).one() == 0


def test_a_push_cut_off_part_way_says_what_is_left_and_how_to_resume(partner, client, session, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(hub_client, "_sleep", lambda seconds: None)
    real_request = client.request
    calls = {"put": 0}

    def flaky(method, url, **kwargs):
        if method == "PUT":
            calls["put"] += 1
            if calls["put"] > 1:
                raise httpx.ConnectError("network gone")
        return real_request(method, url, **kwargs)

    monkeypatch.setattr(client, "request", flaky)
    with pytest.raises(HubRequestFailed) as caught:
        run(export(tmp_path, good=5), client, tmp_path)
    assert "stays open on the hub with the chunks sent so far" in str(caught.value)
    assert "hub-connector abandon" in str(caught.value)
    assert len(list((tmp_path / "state").glob("*.json"))) == 1  # so that the same command resumes


def test_resuming_an_upload_past_the_hubs_limit_is_explained_and_leaves_nothing(partner, client, session, tmp_path,
                                                                                monkeypatch):
    from datetime import timedelta

    from connectors.explain import explain
    from hub.config import get_settings
    from hub.models import utcnow

    path = export(tmp_path, good=7)
    real_put = HubClient.put_chunk

    def put_then_crash(self, submission_id, seq, body):
        if seq == 3:
            raise KeyboardInterrupt
        return real_put(self, submission_id, seq, body)

    monkeypatch.setattr(HubClient, "put_chunk", put_then_crash)
    with pytest.raises(KeyboardInterrupt):
        run(path, client, tmp_path)
    monkeypatch.setattr(HubClient, "put_chunk", real_put)
    # The partner comes back after the hub's limit: the upload is over.
    left = session.exec(select(Submission)).one()
    left.created_at = utcnow() - timedelta(hours=get_settings().open_submission_hours, seconds=1)
    session.add(left)
    session.flush()
    with pytest.raises(HubRequestFailed) as caught:
        run(path, client, tmp_path)
    failure = explain(caught.value, "https://hub.example")
    assert failure.error == "upload_expired" and failure.hub_error == "UploadExpired"
    assert "run the same command again" in failure.detail
    assert "was abandoned: nothing of it is kept there" in failure.detail
    assert statuses(session) == [(1, "abandoned")]
    assert session.exec(select(func.count()).select_from(Record)).one() == 0
    receipt = run(path, client, tmp_path)  # as the message says
    assert (receipt["status"], receipt["accepted"], receipt["version"]) == ("accepted", 7, 2)


def test_the_hub_refuses_a_future_month_even_if_the_connectors_clock_allows_it(partner, client, session, tmp_path,
                                                                               monkeypatch):
    from connectors.explain import explain
    from hub.submissions import service

    monkeypatch.setattr(service, "current_month_anywhere", lambda: "2025-12")  # the hub's clock is behind
    with pytest.raises(HubRequestFailed) as caught:
        run(export(tmp_path, good=3), client, tmp_path)
    assert explain(caught.value).error == "future_period"
    assert session.exec(select(func.count()).select_from(Submission)).one() == 0
