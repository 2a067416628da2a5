"""No page, for any role, shows a person id, a linkage token or an identifier of the partners' files."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import select

from hub.auth.dependencies import Caller
from hub.models import Organisation, Person, RecordBlock, Submission
from hub.releases.schemas import ReleaseRequestCreate
from hub.releases.service import approve, create_request
from hub.reports.service import publish
from tests.factories.auth import make_organisation
from tests.factories.data import push_demo
from tests.factories.web import make_user, signed_in
from tests.test_no_identifiers import leaks, raw_identifiers

HTML_ATTRIBUTE_OR_TAG = re.compile(r"<[^>]+>")


def test_every_page_of_every_role_is_free_of_individual_data(app, client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    releases = publish(session, demo.months[-1])
    university = make_organisation(session, "University", "research")
    request = create_request(session, Caller("c_university", university.id, frozenset({"releases:request"})),
                             ReleaseRequestCreate(dimensions=["gender"], cohorts=list(demo.months),
                                                  epsilon=Decimal(1), purpose="a table to check the pages"))
    approve(session, Caller("c_steward", university.id, frozenset({"releases:approve"})), request.id)
    session.commit()
    partner = session.get(Organisation, session.exec(select(Submission.organisation_id)).first())
    submissions = session.exec(select(Submission.id).where(Submission.organisation_id == partner.id)).all()

    pages = [client.get(path).text for path in ("/", "/reports", "/privacy", "/docs")]
    for release in releases:
        pages += [client.get(f"/reports/{release.id}{suffix}").text for suffix in ("", ".csv", ".json")]
    browsers = {"steward": ["/steward/requests?status=all", "/steward/budget", "/steward/partners", "/steward/publish"],
                "researcher": ["/researcher/requests"],
                "ngo": ["/partner/submissions", *(f"/partner/submissions/{s}" for s in submissions)]}
    organisations = {"researcher": university, "ngo": partner}
    for role, paths in browsers.items():
        with TestClient(app) as browser:
            signed_in(browser, make_user(session, role, organisations.get(role)))
            for path in paths:
                response = browser.get(path)
                assert response.status_code == 200, path
                pages.append(response.text)
    everything = "\n".join(pages)

    person_ids = session.exec(select(Person.id)).all()
    tokens = session.exec(select(RecordBlock.token)).all()
    assert person_ids and [p for p in person_ids if p in everything] == []
    assert [t for t in tokens[:500] if t.hex() in everything] == []
    # Text as read (tags and attributes left out, since ids and hashes there are random hex).
    assert leaks(raw_identifiers(demo), HTML_ATTRIBUTE_OR_TAG.sub(" ", everything)) == []
