"""A person's cohort never changes once the person exists: its releases were charged to that cohort."""

from __future__ import annotations

from sqlmodel import select

from hub.linkage.service import link_pending
from hub.models import Person
from tests.factories.submissions import act_as, make_org, random_pairs, upload_row


def push(client, period: str, rows: list[dict]) -> None:
    opened = client.post("/v1/submissions", json={"period": period, "linkage_secret_version": 1}).json()["id"]
    client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": rows})
    assert client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 1, "random_pairs": random_pairs()}
                       ).json()["status"] == "accepted"


def test_a_late_backdated_report_joins_the_person_without_moving_its_cohort(app, client, session):
    act_as(app, make_org(session, "Police B"))
    push(client, "2026-03", [upload_row(1, registration_month="2026-03")])
    link_pending(session)
    (person,) = session.exec(select(Person)).all()
    assert person.cohort == "2026-03"

    act_as(app, make_org(session, "Shelter A"))  # a late file about the same person, months earlier
    push(client, "2025-11", [upload_row(1, case="late", registration_month="2025-11")])
    link_pending(session)
    (still,) = session.exec(select(Person)).all()
    assert (still.id, still.cohort) == (person.id, "2026-03")


def test_a_new_person_takes_the_earliest_period_of_its_records(app, client, session):
    act_as(app, make_org(session, "Police B"))
    push(client, "2025-11", [upload_row(7, registration_month="2025-11")])
    act_as(app, make_org(session, "Shelter A"))
    push(client, "2025-12", [upload_row(7, case="other", registration_month="2025-12")])
    link_pending(session)
    (person,) = session.exec(select(Person)).all()
    assert person.cohort == "2025-11"
