"""The submissions API: create, upload chunks, complete, read; scoped to the caller."""

from __future__ import annotations

import base64

import pytest
from sqlmodel import func, select

from hub.models import Record, RecordBlock, Submission
from tests.factories.sealed import stored_blocks
from tests.factories.submissions import act_as, make_org, upload_row

NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}


def open_submission(client, **overrides) -> str:
    response = client.post("/v1/submissions", json={**NEW, **overrides})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def push(client, rows, *, rejected_rows=(), **overrides) -> dict:
    submission_id = open_submission(client, **overrides)
    response = client.put(
        f"/v1/submissions/{submission_id}/chunks/1", json={"rows": rows, "rejected_rows": list(rejected_rows)}
    )
    assert response.status_code == 200, response.text
    response = client.post(f"/v1/submissions/{submission_id}/complete", json={"expected_chunks": 1})
    assert response.status_code == 200, response.text
    return response.json()


def count(session, model, submission_id) -> int:
    return session.exec(select(func.count()).where(model.submission_id == submission_id)).one()


class TestCreate:
    def test_versions_count_up_per_period(self, app, client, session):
        act_as(app, make_org(session))
        first = client.post("/v1/submissions", json=NEW).json()
        second = client.post("/v1/submissions", json=NEW).json()
        other_month = client.post("/v1/submissions", json={**NEW, "period": "2026-09"}).json()
        assert (first["version"], second["version"], other_month["version"]) == (1, 2, 1)
        assert first["status"] == "open"

    def test_same_idempotency_key_and_body_answers_the_same(self, app, client, session):
        act_as(app, make_org(session))
        headers = {"Idempotency-Key": "upload-2026-10-a"}
        first = client.post("/v1/submissions", json=NEW, headers=headers)
        again = client.post("/v1/submissions", json=NEW, headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert session.exec(select(func.count()).select_from(Submission)).one() == 1

    def test_same_idempotency_key_with_another_body_is_refused(self, app, client, session):
        act_as(app, make_org(session))
        headers = {"Idempotency-Key": "k1"}
        client.post("/v1/submissions", json=NEW, headers=headers)
        response = client.post("/v1/submissions", json={**NEW, "period": "2026-09"}, headers=headers)
        assert response.status_code == 422
        assert response.json()["error"] == "InvalidRequest"

    def test_wrong_linkage_secret_version_is_refused(self, app, client, session):
        act_as(app, make_org(session))
        response = client.post("/v1/submissions", json={**NEW, "linkage_secret_version": 2})
        assert response.status_code == 409
        assert "version 1" in response.json()["detail"]

    def test_unknown_dataset_is_refused(self, app, client, session):
        act_as(app, make_org(session))
        response = client.post("/v1/submissions", json={**NEW, "dataset": "case-v9"})
        assert response.status_code == 422

    def test_without_write_scope_is_forbidden(self, app, client, session):
        act_as(app, make_org(session), scopes={"reports:read"})
        response = client.post("/v1/submissions", json=NEW)
        assert response.status_code == 403
        assert response.json()["error"] == "Forbidden"


class TestChunks:
    def test_valid_rows_are_stored_with_rekeyed_tokens(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        rows = [upload_row(1), upload_row(2, type_of_exploitation=["ForcedLabour", "Servitude"])]
        response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": rows})
        assert response.json() == {"seq": 1, "rows": 2, "accepted": 2, "rejected": 0, "errors": []}
        stored = session.exec(select(Record).where(Record.row == 2)).one()
        assert stored.type_of_exploitation == "ForcedLabour|Servitude"
        ((*_, token, features),) = stored_blocks(session, RecordBlock.row == 1, RecordBlock.label == "dob")
        sent = rows[0]["blocks"]["dob"]
        assert token != bytes.fromhex(sent["token"])
        assert len(features) == len(base64.b64decode(sent["features"])) > 0
        assert features != base64.b64decode(sent["features"])

    def test_invalid_rows_are_named_by_row_and_field_without_their_value(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        rows = [upload_row(1), upload_row(2, gender="Fatima Begum"), upload_row(3, registration_month="2099-01")]
        body = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": rows}).json()
        assert (body["accepted"], body["rejected"]) == (1, 2)
        assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "gender"), (3, "registration_month")]
        assert "Fatima" not in str(body)
        assert (body["errors"][1]["code"], body["errors"][1]["message"]) == ("in_future", "is in the future")

    def test_identical_retry_answers_the_same_and_stores_once(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        chunk = {"rows": [upload_row(1), upload_row(2)]}
        first = client.put(f"/v1/submissions/{submission_id}/chunks/1", json=chunk)
        again = client.put(f"/v1/submissions/{submission_id}/chunks/1", json=chunk)
        assert first.json() == again.json()
        assert count(session, Record, submission_id) == 2

    def test_other_content_under_the_same_number_is_refused(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1)]})
        response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(2)]})
        assert response.status_code == 409

    def test_a_row_sent_in_two_chunks_refuses_the_second_whole(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1)]})
        response = client.put(
            f"/v1/submissions/{submission_id}/chunks/2", json={"rows": [upload_row(2), upload_row(1, case="other")]}
        )
        assert response.status_code == 409
        assert count(session, Record, submission_id) == 1

    def test_malformed_chunk_names_the_place_not_the_value(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        row = upload_row(1)
        row["given_name"] = "Fatima"
        response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [row]})
        assert response.status_code == 422
        assert "Fatima" not in response.text
        assert response.json()["errors"][0]["field"] == "given_name"

    def test_identifier_smuggled_as_a_field_is_rejected(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        body = client.put(
            f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1, given_name="Fatima")]}
        ).json()
        assert body["errors"][0]["field"] == "given_name"
        assert count(session, Record, submission_id) == 0

    def test_chunk_larger_than_allowed_is_refused(self, app, client, session, monkeypatch):
        from hub.config import get_settings

        monkeypatch.setattr(get_settings(), "max_rows_per_chunk", 2)
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        rows = [upload_row(i) for i in range(1, 4)]
        response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": rows})
        assert response.status_code == 413


class TestComplete:
    def test_reject_mode_refuses_whole_and_stores_nothing(self, app, client, session):
        act_as(app, make_org(session))
        receipt = push(client, [upload_row(1), upload_row(2, gender="??")], on_invalid="reject")
        assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("rejected", 0, 1)
        assert count(session, Record, receipt["submission_id"]) == 0
        assert count(session, RecordBlock, receipt["submission_id"]) == 0

    def test_skip_mode_accepts_the_valid_rows(self, app, client, session):
        act_as(app, make_org(session))
        local = [{"row": 3, "field": "age", "code": "out_of_range"}]
        receipt = push(client, [upload_row(1), upload_row(2, gender="??")], rejected_rows=local, on_invalid="skip")
        assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("accepted", 1, 2)
        assert [e["row"] for e in receipt["errors"]] == [2, 3]

    def test_resubmission_supersedes_and_keeps_history(self, app, client, session):
        act_as(app, make_org(session))
        first = push(client, [upload_row(1), upload_row(2)])
        second = push(client, [upload_row(1)])
        assert second["supersedes"] == first["submission_id"]
        statuses = dict(session.exec(select(Submission.id, Submission.status)).all())
        assert statuses == {first["submission_id"]: "superseded", second["submission_id"]: "accepted"}
        assert count(session, Record, first["submission_id"]) == 2

    def test_missing_chunks_are_named(self, app, client, session):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        client.put(f"/v1/submissions/{submission_id}/chunks/2", json={"rows": [upload_row(1)]})
        response = client.post(f"/v1/submissions/{submission_id}/complete", json={"expected_chunks": 3})
        assert response.status_code == 409
        assert "chunks 1, 3" in response.json()["detail"]

    def test_completing_twice_answers_the_same_receipt(self, app, client, session):
        act_as(app, make_org(session))
        receipt = push(client, [upload_row(1)])
        again = client.post(f"/v1/submissions/{receipt['submission_id']}/complete", json={"expected_chunks": 1})
        # The same receipt; its signature is made afresh (ECDSA signatures are randomised) and verifies.
        assert {**again.json(), "signature": None} == {**receipt, "signature": None}
        assert again.json()["signature"]

    def test_no_chunk_after_completion(self, app, client, session):
        act_as(app, make_org(session))
        receipt = push(client, [upload_row(1)])
        response = client.put(f"/v1/submissions/{receipt['submission_id']}/chunks/2", json={"rows": [upload_row(2)]})
        assert response.status_code == 409


class TestIsolation:
    @pytest.mark.parametrize("path", ["", "/receipt"])
    def test_another_organisation_cannot_read_a_submission(self, app, client, session, path):
        act_as(app, make_org(session, "Hotline B"))
        receipt = push(client, [upload_row(1)])
        act_as(app, make_org(session, "Police C"))
        response = client.get(f"/v1/submissions/{receipt['submission_id']}{path}")
        assert response.status_code == 404
        assert client.get("/v1/submissions").json() == []

    def test_another_organisation_cannot_add_chunks(self, app, client, session):
        act_as(app, make_org(session, "Hotline B"))
        submission_id = open_submission(client)
        act_as(app, make_org(session, "Police C"))
        response = client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1)]})
        assert response.status_code == 404
