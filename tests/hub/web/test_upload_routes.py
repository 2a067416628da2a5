"""The upload page's routes: the signed-in data officer's browser submits for its own organisation
only, through the submissions service, and only with the session's CSRF token."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from connectors.browser import PageUpload
from hub.models import Record, Submission, SubmissionStatus
from tests.factories.auth import make_organisation
from tests.factories.web import make_user, signed_in

SECRET = "00112233445566778899aabbccddeeff"
LAST_MONTH = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def _export(folder, rows: int = 3) -> str:
    folder.mkdir(exist_ok=True)
    path = folder / "cases.csv"
    lines = ["case_reference,registration_date,gender,age,given_name,family_name,date_of_birth"]
    lines += [f"K-{n},{LAST_MONTH}-0{n % 9 + 1},Female,30,Sita{n},Tamang,1990-03-0{n % 9 + 1}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _checked(tmp_path, rows: int = 3) -> PageUpload:
    checked = PageUpload(_export(tmp_path, rows), LAST_MONTH, None, SECRET, "reject", date.today().isoformat())
    assert checked.failure is None
    return checked


def _csrf(browser) -> str:
    return re.search(r'data-csrf-token="([^"]+)"', browser.get("/partner/upload").text)[1]


def _send(browser, checked: PageUpload, csrf: str | None) -> tuple[int, dict]:
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    opened = browser.post("/partner/upload/submissions", content=checked.create_body(), headers=headers)
    if opened.status_code != 201:
        return opened.status_code, opened.json()
    base = f"/partner/upload/submissions/{opened.json()['id']}"
    for seq in range(1, len(checked.bodies) + 1):
        assert browser.put(f"{base}/chunks/{seq}", content=checked.chunk(seq), headers=headers).status_code == 200
    done = browser.post(f"{base}/complete", json={"expected_chunks": len(checked.bodies)}, headers=headers)
    return done.status_code, done.json()


def _submissions(session, organisation) -> int:
    return session.exec(select(func.count()).select_from(Submission)
                        .where(Submission.organisation_id == organisation.id)).one()


def test_the_officer_submits_for_their_organisation_through_the_service(app, session, tmp_path):
    shelter = make_organisation(session, "Shelter U", "ngo")
    officer = make_user(session, "ngo", shelter)
    with TestClient(app) as browser:
        signed_in(browser, officer)
        status, receipt = _send(browser, _checked(tmp_path), _csrf(browser))
    assert status == 200 and receipt["status"] == "accepted" and receipt["accepted"] == 3
    assert receipt["signature"]  # the hub's signed receipt, as the API gives it
    stored = session.get(Submission, receipt["submission_id"])
    assert stored.organisation_id == shelter.id and stored.client_id == f"user:{officer.username}"
    assert session.exec(select(func.count()).select_from(Record).where(Record.submission_id == stored.id)).one() == 3


@pytest.mark.parametrize("csrf", [None, "a token of another session"])
def test_a_request_without_the_sessions_csrf_token_is_refused_and_opens_nothing(app, session, tmp_path, csrf):
    shelter = make_organisation(session, "Shelter C", "ngo")
    with TestClient(app) as browser:
        signed_in(browser, make_user(session, "ngo", shelter))
        status, body = _send(browser, _checked(tmp_path), csrf)
    assert status == 403 and body["error"] == "Forbidden" and "upload page" in body["detail"]
    assert _submissions(session, shelter) == 0


@pytest.mark.parametrize("role", ["researcher", "analyst", "steward"])
def test_a_person_of_another_role_is_refused(app, session, tmp_path, role):
    person = make_user(session, role)
    with TestClient(app) as browser:
        signed_in(browser, person)
        assert browser.get("/partner/upload").status_code == 403
        status, body = _send(browser, _checked(tmp_path), "any")
    assert status == 403 and body["error"] == "Forbidden"


def test_nobody_signed_in_is_refused(client, tmp_path):
    status, body = _send(client, _checked(tmp_path), "any")
    assert status == 401 and body["error"] == "Unauthorized"
    assert client.get("/partner/upload/connector.zip", follow_redirects=False).status_code == 303  # to sign in


def test_another_organisations_open_submission_is_answered_as_missing(app, session, tmp_path):
    shelter, hotline = make_organisation(session, "Shelter D", "ngo"), make_organisation(session, "Hotline D", "ngo")
    checked = _checked(tmp_path)
    with TestClient(app) as theirs, TestClient(app) as mine:
        signed_in(theirs, make_user(session, "ngo", hotline))
        opened = theirs.post("/partner/upload/submissions", content=checked.create_body(),
                             headers={"X-CSRF-Token": _csrf(theirs)}).json()
        signed_in(mine, make_user(session, "ngo", shelter))
        headers, base = {"X-CSRF-Token": _csrf(mine)}, f"/partner/upload/submissions/{opened['id']}"
        answers = [mine.put(f"{base}/chunks/1", content=checked.chunk(1), headers=headers),
                   mine.post(f"{base}/complete", json={"expected_chunks": 1}, headers=headers),
                   mine.post(f"{base}/abandon", headers=headers)]
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    session.expire_all()
    assert session.get(Submission, opened["id"]).status == SubmissionStatus.open
    assert session.exec(select(func.count()).select_from(Record).where(Record.submission_id == opened["id"])).one() == 0


def test_the_hub_refuses_the_accidental_wipe_as_it_refuses_the_connectors(app, session, tmp_path):
    shelter = make_organisation(session, "Shelter W", "ngo")
    with TestClient(app) as browser:
        signed_in(browser, make_user(session, "ngo", shelter))
        csrf = _csrf(browser)
        assert _send(browser, _checked(tmp_path / "first", rows=6), csrf)[1]["accepted"] == 6
        status, body = _send(browser, _checked(tmp_path / "second", rows=2), csrf)
    assert status == 409 and body["error"] == "WouldShrinkMonth"


def test_the_connectors_code_is_served_with_the_digest_the_page_names(app, session):
    import base64
    import hashlib
    import zipfile
    from io import BytesIO

    with TestClient(app) as browser:
        signed_in(browser, make_user(session, "ngo"))
        named = re.search(r'data-connector-integrity="([^"]+)"', browser.get("/partner/upload").text)[1]
        served = browser.get("/partner/upload/connector.zip").content
    assert named == "sha384-" + base64.b64encode(hashlib.sha384(served).digest()).decode()
    names = zipfile.ZipFile(BytesIO(served)).namelist()
    assert "connectors/browser.py" in names and "privacy/encodings.py" in names
    assert not [name for name in names if name.startswith(("hub/", "privacy/dp/", "privacy/linkage/"))]


def test_the_page_says_when_the_browser_runtime_is_not_installed(app, session, tmp_path, monkeypatch):
    from hub.web import upload

    monkeypatch.setattr(upload, "RUNTIME_MANIFEST", tmp_path / "missing" / "manifest.json")
    with TestClient(app) as browser:
        signed_in(browser, make_user(session, "ngo"))
        shown = browser.get("/partner/upload").text
    assert 'id="runtime-missing"' in shown and "upload-page.js" not in shown
