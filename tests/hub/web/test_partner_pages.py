"""A data officer sees their own organisation's submissions and receipts, and never another's."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hub.models import Submission, SubmissionError, SubmissionStatus
from schemas.row_problems import RowProblem
from tests.factories.auth import make_organisation
from tests.factories.web import make_user, signed_in


def make_submission(session, organisation, period, version=1, status=SubmissionStatus.accepted, errors=()):
    submission = Submission(organisation_id=organisation.id, client_id=f"c_{organisation.id[:6]}", dataset="cases",
                            period=period, version=version, status=status, on_invalid="skip",
                            linkage_secret_version=1, accepted=10, rejected=len(errors))
    session.add(submission)
    session.flush()
    for row, field, code in errors:
        session.add(SubmissionError(submission_id=submission.id, row=row, field=field, code=code))
    session.commit()
    return submission


def test_the_officer_sees_their_months_versions_and_rejected_rows(app, session):
    shelter = make_organisation(session, "Shelter A", "ngo")
    old = make_submission(session, shelter, "2025-10", 1, SubmissionStatus.superseded)
    new = make_submission(session, shelter, "2025-10", 2, errors=[(17, "gender", RowProblem.NOT_RECOGNISED)])
    with TestClient(app) as browser:
        signed_in(browser, make_user(session, "ngo", shelter))
        listing = browser.get("/partner/submissions").text
        assert "2025-10" in listing and "superseded" in listing and new.client_id in listing
        assert f'href="/partner/submissions/{old.id}"' in listing and f'href="/partner/submissions/{new.id}"' in listing
        receipt = browser.get(f"/partner/submissions/{new.id}").text
        assert RowProblem.NOT_RECOGNISED.message in receipt and "<td class=\"n\">17</td>" in receipt


def test_another_organisations_submissions_are_neither_listed_nor_opened(app, session):
    shelter, hotline = make_organisation(session, "Shelter B", "ngo"), make_organisation(session, "Hotline B", "ngo")
    mine = make_submission(session, shelter, "2025-11")
    theirs = make_submission(session, hotline, "2025-12", errors=[(3, "age", RowProblem.OUT_OF_RANGE)])
    with TestClient(app) as browser:
        signed_in(browser, make_user(session, "ngo", shelter))
        listing = browser.get("/partner/submissions").text
        assert mine.id in listing and theirs.id not in listing and "2025-12" not in listing
        response = browser.get(f"/partner/submissions/{theirs.id}")
        assert response.status_code == 404 and RowProblem.OUT_OF_RANGE.message not in response.text
