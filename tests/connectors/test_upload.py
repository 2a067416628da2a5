"""push() against the real hub app: chunks, receipts, resume after a crash, retries, dry runs."""

from __future__ import annotations

import json

from datetime import date

import httpx
import pytest
from sqlmodel import SQLModel, func, select

from connectors import hub_client
from connectors.errors import FileRejected, HubRequestFailed
from connectors.hub_client import HubClient
from connectors.mapping import Mapping
from connectors.upload import push
from hub.models import Record, RecordBlock, Submission
from tests.factories.submissions import act_as, make_org

SECRET = b"partners' shared linkage secret!"
TODAY = date(2026, 2, 10)
MAPPING = Mapping(columns={"Case No": "case_reference", "Registered": "registration_date", "Name": "full_name",
                           "Born": "date_of_birth", "Mobile": "phone", "Story": "notes"})
HEADER = "Case No,Registered,Name,Born,Mobile,Gender,Citizenship,Story\n"
RAW_IDENTIFIERS = ("KTM-", "Sunita Tamang", "Asha Gurung", "1999-04-03", "2001-11-23", "9812345678", "uncle")


def export(tmp_path, good: int = 5, bad: int = 0):
    rows = [
        f"KTM-{i:04d},2026-01-{1 + i % 28:02d},Sunita Tamang {i},1999-04-03,+977 9812345678,F,NPL,her uncle took her\n"
        for i in range(good)
    ]
    rows += [f"KTM-9{i:03d},2026-01-05,Asha Gurung,2001-11-23,,dragon,NPL,\n" for i in range(bad)]
    path = tmp_path / "january.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.fixture
def partner(app, session):
    return act_as(app, make_org(session))


@pytest.fixture
def no_waiting(monkeypatch):
    monkeypatch.setattr(hub_client, "_sleep", lambda seconds: None)


def run(path, client, tmp_path, period="2026-01", **options):
    settings = dict(mapping=MAPPING, http=client, tokens=None, linkage_secret=SECRET, linkage_secret_version=1,
                    chunk_rows=2, progress=False, state_dir=tmp_path / "state", today=TODAY)
    return push(path, period, **{**settings, **options})


def records(session, submission_id) -> int:
    return session.exec(select(func.count()).where(Record.submission_id == submission_id)).one()


def test_a_valid_file_is_accepted_in_chunks(partner, client, session, tmp_path):
    receipt = run(export(tmp_path, good=5), client, tmp_path)
    assert (receipt["status"], receipt["accepted"], receipt["rejected"], receipt["errors"]) == ("accepted", 5, 0, [])
    assert receipt["warnings"] == ["column 'Story' is free text; it was dropped and never leaves this machine"]
    assert records(session, receipt["submission_id"]) == 5
    labels = set(session.exec(select(RecordBlock.label).where(RecordBlock.submission_id == receipt["submission_id"])))
    assert labels == {"dob", "family_year", "given_year", "names"}
    pairs = session.exec(select(Submission.random_pairs).where(Submission.id == receipt["submission_id"])).one()
    assert json.loads(pairs)["pairs"] == 10  # every pair of the five records
    assert not list((tmp_path / "state").glob("*.json"))


def test_skip_keeps_the_valid_rows_and_lists_the_bad(partner, client, session, tmp_path):
    receipt = run(export(tmp_path, good=3, bad=2), client, tmp_path, on_invalid="skip")
    assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("accepted", 3, 2)
    assert [(e["row"], e["field"]) for e in receipt["errors"]] == [(4, "gender"), (5, "gender")]


def test_reject_stores_nothing(partner, client, session, tmp_path):
    receipt = run(export(tmp_path, good=3, bad=1), client, tmp_path)
    assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("rejected", 0, 1)
    assert records(session, receipt["submission_id"]) == 0


def test_a_second_push_of_the_month_supersedes_the_first(partner, client, session, tmp_path):
    first = run(export(tmp_path, good=2), client, tmp_path)
    second = run(export(tmp_path, good=3), client, tmp_path)
    assert (second["version"], second["supersedes"]) == (2, first["submission_id"])


def test_no_identifier_reaches_the_hub_database(partner, client, session, tmp_path):
    run(export(tmp_path, good=3, bad=1), client, tmp_path, on_invalid="skip")
    session.flush()
    dump = []
    for table in SQLModel.metadata.sorted_tables:
        dump.extend(repr(tuple(row)) for row in session.execute(table.select()))
    text = "\n".join(dump)
    assert "2026-01" in text  # the dump does hold the submission
    for value in RAW_IDENTIFIERS:
        assert value not in text


def test_an_interrupted_upload_resumes_where_it_stopped(partner, client, session, tmp_path, monkeypatch):
    path = export(tmp_path, good=7)
    sent: list[int] = []
    real_put = HubClient.put_chunk

    def put_then_crash(self, submission_id, seq, body):
        if seq == 3:
            raise KeyboardInterrupt  # the laptop lid closes
        sent.append(seq)
        return real_put(self, submission_id, seq, body)

    monkeypatch.setattr(HubClient, "put_chunk", put_then_crash)
    with pytest.raises(KeyboardInterrupt):
        run(path, client, tmp_path)
    assert sent == [1, 2] and len(list((tmp_path / "state").glob("*.json"))) == 1

    sent.clear()
    monkeypatch.setattr(HubClient, "put_chunk", lambda self, *args: (sent.append(args[1]), real_put(self, *args))[1])
    receipt = run(path, client, tmp_path)
    assert sent == [3, 4]
    assert (receipt["status"], receipt["accepted"], receipt["version"]) == ("accepted", 7, 1)
    assert not list((tmp_path / "state").glob("*.json"))


def test_connection_errors_and_5xx_are_retried(partner, client, session, tmp_path, monkeypatch, no_waiting):
    real_request = client.request
    failures = iter([httpx.ConnectError("down"), httpx.Response(503), httpx.ReadTimeout("slow")])

    def flaky(method, url, **kwargs):
        failure = next(failures, None)
        if isinstance(failure, Exception):
            raise failure
        return failure or real_request(method, url, **kwargs)

    monkeypatch.setattr(client, "request", flaky)
    receipt = run(export(tmp_path, good=3), client, tmp_path)
    assert (receipt["status"], receipt["accepted"]) == ("accepted", 3)


def test_the_hubs_refusal_is_reported_with_its_detail(partner, client, tmp_path):
    with pytest.raises(HubRequestFailed, match="409 Conflict.*linkage secret version 1") as caught:
        run(export(tmp_path), client, tmp_path, linkage_secret_version=2)
    assert caught.value.status == 409 and caught.value.body["error"] == "Conflict"


def test_an_unreachable_hub_is_one_clear_error(tmp_path, no_waiting):
    def refuse(request):
        raise httpx.ConnectError("refused")

    with httpx.Client(base_url="http://hub.invalid", transport=httpx.MockTransport(refuse)) as http:
        with pytest.raises(HubRequestFailed, match="could not be reached"):
            run(export(tmp_path), http, tmp_path)


def test_dry_run_needs_no_hub(tmp_path):
    receipt = run(export(tmp_path, good=3, bad=2), None, tmp_path, dry_run=True)
    assert receipt["status"] == "dry-run" and receipt["would_be"] == "rejected"
    assert (receipt["accepted"], receipt["rejected"], receipt["chunks"]) == (3, 2, 3)
    assert [e["field"] for e in receipt["errors"]] == ["gender", "gender"]
    assert not (tmp_path / "state").exists()


def test_a_file_without_data_rows_is_rejected_before_contacting_the_hub(tmp_path):
    path = tmp_path / "january.csv"
    path.write_text(HEADER)
    with pytest.raises(FileRejected, match="has a header but no data rows"):
        run(path, httpx.Client(base_url="http://hub.invalid"), tmp_path)
