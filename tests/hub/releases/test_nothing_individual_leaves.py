"""No answer or log line of the reports and releases exposes a person id, a token or an exact count."""

from __future__ import annotations

import logging

from sqlmodel import select

from hub.models import Person, RecordBlock
from hub.reports.service import publish
from tests.factories.auth import bearer, make_client, make_organisation
from tests.factories.data import push_demo


def test_reports_and_releases_expose_no_person_id_token_or_exact_table(client, session, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    demo = push_demo(client, session, tmp_path)
    releases = publish(session, demo.months[-1])
    analyst = bearer(client, make_client(session, make_organisation(session, "Ministry", "government"),
                                         ["reports:read"]))
    researcher = bearer(client, make_client(session, make_organisation(session, "University", "research"),
                                            ["releases:request"]))
    steward = bearer(client, make_client(session, make_organisation(session, "Stewards", "steward"),
                                         ["releases:approve"]))
    request = client.post("/v1/release-requests", headers=researcher, json={
        "dimensions": ["gender"], "cohorts": list(demo.months), "epsilon": "1",
        "purpose": "a table to check what leaves the hub"}).json()
    approved = client.post(f"/v1/release-requests/{request['id']}/approve", headers=steward).json()
    answers = [client.get("/v1/reports", headers=analyst).text, client.get("/v1/budget", headers=analyst).text,
               client.get(f"/v1/releases/{approved['release_id']}", headers=researcher).text,
               client.get("/reports").text]
    answers += [client.get(f"/v1/reports/{r.id}", headers=analyst).text for r in releases]
    answers += [client.get(f"/v1/reports/{r.id}?format=csv", headers=analyst).text for r in releases]
    answers += [client.get(f"/reports/{r.id}").text for r in releases]
    everything = "\n".join(answers) + caplog.text

    person_ids = session.exec(select(Person.id)).all()
    tokens = session.exec(select(RecordBlock.token)).all()
    assert person_ids and not [p for p in person_ids if p in everything]
    assert not [t for t in tokens[:500] if t.hex() in everything]
    published = client.get(f"/v1/releases/{approved['release_id']}", headers=researcher).json()
    assert published["mechanism"]["sigma"] > 1
    # No cell is exact: each has an interval of some width around its value (the value may sit at
    # either end: the interval is widened to hold the published integer).
    assert all(cell["ci95"][0] <= cell["value"] <= cell["ci95"][1] and cell["ci95"][0] < cell["ci95"][1]
               for cell in published["cells"])
