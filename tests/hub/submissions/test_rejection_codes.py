"""A connector's reasons for refusing rows arrive, are stored and are signed as codes, never as text."""

from __future__ import annotations

import pytest
from sqlmodel import select

from hub.models import SubmissionError
from schemas.row_problems import MESSAGES, RowProblem
from tests.factories.submissions import act_as, make_org, upload_row

NEW = {"dataset": "case-v1", "period": "2026-10", "linkage_secret_version": 1, "on_invalid": "skip"}
NAME_AND_PHONE = "Fatima Begum +977 9812345678"


@pytest.fixture
def opened(app, client, session) -> str:
    act_as(app, make_org(session))
    return client.post("/v1/submissions", json=NEW).json()["id"]


@pytest.mark.parametrize("rejection", [
    {"row": 3, "field": "age", "message": NAME_AND_PHONE},
    {"row": 3, "field": "age", "code": "required", "message": NAME_AND_PHONE},
    {"row": 3, "field": "age", "code": NAME_AND_PHONE},
])
def test_a_rejection_with_text_is_refused_and_nothing_is_stored(client, session, opened, rejection):
    response = client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [], "rejected_rows": [rejection]})
    assert response.status_code == 422
    assert "Fatima" not in response.text and "9812345678" not in response.text
    assert session.exec(select(SubmissionError)).all() == []


def test_a_code_is_stored_as_sent_and_the_receipt_renders_its_fixed_message(client, session, opened):
    rejection = {"row": 3, "field": "age", "code": "out_of_range"}
    client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [upload_row(1)], "rejected_rows": [rejection]})
    stored = session.exec(select(SubmissionError.code).where(SubmissionError.submission_id == opened)).all()
    assert stored == ["out_of_range"]
    receipt = client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 1}).json()
    assert receipt["errors"] == [{"row": 3, "field": "age", "code": "out_of_range",
                                  "message": RowProblem.OUT_OF_RANGE.message}]
    assert receipt["signature"]


def test_every_code_has_a_fixed_message():
    assert set(MESSAGES) == set(RowProblem)
