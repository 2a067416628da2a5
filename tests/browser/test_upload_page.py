"""The upload page in Chromium: the connector runs in the browser, and no identifier leaves it.

The data officer signs in, picks a month's export, its mapping and the connector's settings file
(which holds the linkage secret), checks the file and sends it. Every request the page and its
worker make is intercepted: no name (in any case), date of birth (as the file writes it or in ISO
form), document number, phone or the secret is in any URL, header or body. The hub stores the
month with the right count, and what the page sent is, byte for byte, what the command-line
connector makes of the same file with the same secret.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from connectors.chunks import open_prepared, prepared_chunks
from connectors.config import parse_linkage_secret
from connectors.mapping import load_mapping
from hub.models import Record, RecordBlock, Submission
from hub.web.upload import RUNTIME_MANIFEST
from tests.factories.auth import make_organisation
from tests.factories.web import make_user

pytestmark = pytest.mark.browser
LOADING_S = 180  # Pyodide's first start in a cold browser, on a busy machine
SECRET = "correct horse battery staple, the partners' own"
MONTH = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
PERIOD = MONTH.strftime("%Y-%m")
PEOPLE = [  # given, family, date of birth, document, phone
    ("Sunita", "Gurung", date(1994, 7, 21), "PA4471902", "+977 9841 552 310"),
    ("Fatima", "Begum", date(2001, 11, 3), "BX0937716", "+880 1711 223 344"),
    ("Olena", "Petrenko", date(1988, 2, 14), "FE8812345", "+380 67 123 4567"),
    ("Grace", "Okafor", date(1999, 5, 30), "A09182736", "+234 803 555 0199"),
]


def _export(tmp_path):
    lines = ["Case No;First name;Surname;DOB;Sex;Nationality;Passport;Phone;Registered"]
    for number, (given, family, born, document, phone) in enumerate(PEOPLE, 1):
        lines.append(f"KTM-{number:04d};{given};{family.upper()};{born:%d/%m/%Y};F;NPL;{document};{phone};"
                     f"{MONTH.replace(day=number + 1):%d/%m/%Y}")
    lines.append(f"KTM-0099;Maya;Rai;12/12/1990;dragon;NPL;;;{MONTH.replace(day=9):%d/%m/%Y}")  # refused: sex
    export = tmp_path / "cases-month.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        'schema: case-v1\nfile: {delimiter: ";", date_format: "%d/%m/%Y"}\n'
        'columns: {"Case No": case_reference, "First name": given_name, "Surname": family_name, "DOB": date_of_birth,'
        ' "Sex": gender, "Nationality": citizenship, "Passport": document_number, "Phone": phone,'
        ' "Registered": registration_date}\n'
        "values: {gender: {F: Female, M: Male}}\n", encoding="utf-8")
    settings = tmp_path / "connector.env"
    settings.write_text(f"HUB_URL=https://hub.example.org\nHUB_LINKAGE_SECRET={SECRET}\n", encoding="utf-8")
    return export, mapping, settings


def _identifiers() -> list[str]:
    found = [SECRET, SECRET.encode().hex()]
    for given, family, born, document, phone in PEOPLE:
        for name in (given, family):
            found += [name, name.lower(), name.upper()]
        found += [born.isoformat(), f"{born:%d/%m/%Y}", f"{born:%Y%m%d}", document, document.lower(), phone,
                  "".join(ch for ch in phone if ch.isdigit())]
    return found


def _recording(context) -> list[dict]:
    """Every request of the page and its worker, with its URL, headers and body, as it leaves."""
    seen: list[dict] = []

    def record(route, request):
        seen.append({"method": request.method, "url": request.url, "headers": request.all_headers(),
                     "body": request.post_data_buffer or b""})
        route.continue_()

    context.route("**/*", record)
    return seen


def _sign_in(page, user) -> None:
    page.goto("/signin")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/partner/submissions")


def test_the_page_tokenises_in_the_browser_and_sends_no_identifier(browser_page, live_hub, session, tmp_path):
    from playwright.sync_api import expect

    assert RUNTIME_MANIFEST.exists(), "the browser runtime is missing: run make setup"
    page = browser_page
    officer = make_user(session, "ngo", make_organisation(session, "Safe Passage Hotline", "ngo"), username="officer")
    export, mapping, settings = _export(tmp_path)
    seen = _recording(page.context)
    _sign_in(page, officer)
    page.get_by_role("link", name="Send a file").click()
    page.get_by_label("Month's export (CSV, XLSX, JSON)").set_input_files(str(export))
    page.get_by_label("Month the records cover").fill(PERIOD)
    page.get_by_label("Mapping file (YAML), if you have one").set_input_files(str(mapping))
    expect(page.locator("#mapping-text")).to_have_value(mapping.read_text(encoding="utf-8"))
    page.get_by_label("Your connector's settings file, or the secret's file from the key custodian").set_input_files(
        str(settings))
    page.get_by_label("send the valid rows and list the others", exact=False).check()
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#check-summary")).to_contain_text("4 rows valid, 1 row rejected", timeout=LOADING_S * 1000)
    problems = page.locator("#problems").text_content()
    assert "row 5 (line 6), column 'Sex' (gender)" in problems and "'dragon'" in problems  # shown here only
    page.get_by_role("button", name="Send to the hub").click()
    expect(page.locator("#receipt-summary")).to_contain_text("accepted", timeout=60_000)
    assert "4 rows accepted, 1 row rejected" in page.locator("#receipt-summary").text_content()

    leaks = [(request["method"], request["url"], identifier) for request in seen for identifier in _identifiers()
             if identifier in request["url"] or identifier.encode() in request["body"]
             or any(identifier in value for value in request["headers"].values())]
    assert leaks == []
    assert all(request["url"].startswith(live_hub) for request in seen)
    sent = [request["body"] for request in seen if request["method"] == "PUT"]
    assert len(sent) == 1 and b'"blocks"' in sent[0]  # the worker's requests were seen too

    session.expire_all()
    stored = session.exec(select(Submission).where(Submission.client_id == "user:officer")).one()
    assert (stored.status, stored.period, stored.accepted, stored.rejected) == ("accepted", PERIOD, 4, 1)
    assert session.exec(select(func.count()).select_from(Record).where(Record.submission_id == stored.id)).one() == 4
    assert session.exec(select(func.count()).select_from(RecordBlock)
                        .where(RecordBlock.submission_id == stored.id)).one() == 4 * 4

    # What the command-line connector makes of the same file with the same secret (its push sends
    # these bodies): byte for byte what the browser sent, tokens included.
    prepared = open_prepared(export, PERIOD, load_mapping(mapping), parse_linkage_secret(SECRET),
                             today=date.today(), on_invalid="skip")
    assert [chunk.body() for chunk in prepared_chunks(prepared, 2000)] == sent


def test_the_page_shows_the_hubs_refusal_of_an_accidental_wipe_and_abandons_its_upload(
        browser_page, session, tmp_path):
    from playwright.sync_api import expect

    from connectors.browser import PageUpload
    from hub.submissions import chunks, service
    from hub.submissions.schemas import SubmissionCreate
    from hub.web.upload import UPLOAD_SCOPES, Caller

    page = browser_page
    hotline = make_organisation(session, "Safe Passage Hotline", "ngo")
    officer = make_user(session, "ngo", hotline, username="officer")
    export, mapping, settings = _export(tmp_path)
    # The month as it stands: the four valid rows, sent earlier through the same service.
    earlier = PageUpload(str(export), PERIOD, str(mapping), settings.read_text(), "skip", date.today().isoformat())
    caller = Caller("user:officer", hotline.id, UPLOAD_SCOPES)
    opened = service.create_submission(session, caller, SubmissionCreate.model_validate_json(earlier.create_body()))
    chunks.store_chunk(session, caller, opened.id, 1, earlier.chunk(1))
    service.complete_submission(session, caller, opened.id, 1)
    session.commit()
    # This month's file again, cut to its header and one row: it would halve the month and more.
    export.write_text("\n".join(export.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    _sign_in(page, officer)
    page.goto("/partner/upload")
    page.get_by_label("Month's export (CSV, XLSX, JSON)").set_input_files(str(export))
    page.get_by_label("Month the records cover").fill(PERIOD)
    page.get_by_label("Mapping file (YAML), if you have one").set_input_files(str(mapping))
    page.get_by_label("or the secret itself").fill(SECRET)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#check-summary")).to_contain_text("1 row valid, 0 rows rejected", timeout=LOADING_S * 1000)
    page.get_by_role("button", name="Send to the hub").click()
    status = page.locator("#status")
    expect(status).to_contain_text("WouldShrinkMonth", timeout=60_000)
    assert "was abandoned: nothing of it is kept there" in status.text_content()
    session.expire_all()
    versions = session.exec(select(Submission).where(Submission.organisation_id == hotline.id)
                            .order_by(Submission.version)).all()
    assert [(one.status, one.accepted) for one in versions] == [("accepted", 4), ("abandoned", 0)]
