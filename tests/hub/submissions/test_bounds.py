"""Out-of-range input is a clear 4xx naming the place, never a 500 from the database."""

from __future__ import annotations

import pytest

from tests.factories.submissions import act_as, make_org, upload_row

NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1}


@pytest.fixture
def opened(app, client, session) -> str:
    act_as(app, make_org(session))
    return client.post("/v1/submissions", json=NEW).json()["id"]


@pytest.mark.parametrize(
    "chunk",
    [
        {"rows": [upload_row(2**31)]},
        {"rows": [], "rejected_rows": [{"row": 2**31, "field": "age", "code": "required"}]},
        {"rows": [], "rejected_rows": [{"row": 1, "field": "x" * 101, "code": "required"}]},
        {"rows": [], "rejected_rows": [{"row": 1, "field": "Fatima Begum", "code": "required"}]},
    ],
)
def test_out_of_range_chunk_is_422(client, opened, chunk):
    response = client.put(f"/v1/submissions/{opened}/chunks/1", json=chunk)
    assert response.status_code == 422, response.text
    assert "Fatima" not in response.text


@pytest.mark.parametrize("seq", [0, 2**31])
def test_out_of_range_chunk_number_is_422(client, opened, seq):
    assert client.put(f"/v1/submissions/{opened}/chunks/{seq}", json={"rows": []}).status_code == 422


def test_an_absurd_chunk_count_is_refused_at_once(client, opened):
    response = client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 10**9})
    assert response.status_code == 422


def test_an_unknown_key_is_counted_not_echoed(client, opened):
    row = upload_row(1)
    row["fields"]["Fatima Begum"] = "x"
    body = client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [row]}).json()
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("fields", "unknown_keys")]
    assert "Fatima" not in str(body)


def test_a_file_level_rejection_refuses_a_reject_mode_submission(client, opened):
    file_error = {"row": None, "field": None, "code": "unreadable_row"}
    client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [upload_row(1)], "rejected_rows": [file_error]})
    receipt = client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 1}).json()
    assert (receipt["status"], receipt["accepted"]) == ("rejected", 0)


@pytest.mark.parametrize("offset", [-1, 2**31, 2**63])
def test_an_out_of_range_list_offset_is_422_not_a_database_error(client, opened, offset):
    response = client.get("/v1/submissions", params={"offset": offset})
    assert response.status_code == 422, response.text
