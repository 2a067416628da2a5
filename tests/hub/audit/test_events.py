"""The hub's actions write their audit entries; the steward reads them, nobody else does."""

from __future__ import annotations

import json

from sqlmodel import select

from hub.audit.verify import verify_chain
from hub.auth.clients import revoke_client
from hub.models import AuditEntry, AuditHead
from tests.factories.auth import bearer, make_client, make_organisation
from tests.factories.submissions import act_as, random_pairs, upload_row

GRANT = {"grant_type": "client_credentials"}


def _since(session, seq: int) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq)))


def _head(session) -> int:
    return session.get(AuditHead, 1).seq


class TestSignIn:
    def test_a_token_issued_and_a_wrong_secret_are_recorded_with_the_client(self, client, session):
        organisation = make_organisation(session)
        credentials = make_client(session, organisation, ["reports:read"])
        session.commit()
        before = _head(session)
        assert client.post("/oauth/token", data=GRANT, auth=(credentials["client_id"], "wrong")).status_code == 401
        assert client.post("/oauth/token", data=GRANT,
                           auth=(credentials["client_id"], credentials["client_secret"])).status_code == 200
        failed, issued = _since(session, before)
        assert (failed.kind, failed.actor, failed.organisation_id) == ("sign-in.failed", credentials["client_id"],
                                                                        organisation.id)
        assert json.loads(failed.details) == {"reason": "invalid_client"}
        assert (issued.kind, issued.actor, json.loads(issued.details)) == (
            "token.issued", credentials["client_id"], {"scopes": ["reports:read"]})

    def test_an_unknown_client_id_is_never_stored(self, client, session):
        before = _head(session)
        typed = "Fatima Rai +977 9841 000000"
        assert client.post("/oauth/token", data=GRANT, auth=(typed, "x")).status_code == 401
        (failed,) = _since(session, before)
        assert failed.kind == "sign-in.failed" and failed.actor is None and failed.organisation_id is None
        assert "Fatima" not in failed.model_dump_json() and "9841" not in failed.model_dump_json()


def test_a_submission_s_life_is_recorded_without_its_counts(app, client, session):
    organisation = make_organisation(session)
    act_as(app, organisation)
    before = _head(session)
    for version in (1, 2):
        opened = client.post("/v1/submissions", json={"dataset": "case-v1", "period": "2026-10",
                                                      "linkage_secret_version": 1})
        assert opened.status_code == 201, opened.text
        submission_id = opened.json()["id"]
        chunk = {"rows": [upload_row(row) for row in (1, 2, 3)], "rejected_rows": []}
        assert client.put(f"/v1/submissions/{submission_id}/chunks/1", json=chunk).status_code == 200
        done = client.post(f"/v1/submissions/{submission_id}/complete",
                           json={"expected_chunks": 1, "random_pairs": random_pairs()})
        assert done.status_code == 200, done.text
        if version == 1:
            first = submission_id
    kinds = [(e.kind, e.subject) for e in _since(session, before)]
    assert kinds == [
        ("submission.created", first), ("submission.completed", first),
        ("submission.created", submission_id), ("submission.replaced", first),
        ("submission.completed", submission_id),
    ]
    details = [json.loads(e.details) for e in _since(session, before)]
    assert details[1] == {"status": "accepted", "period": "2026-10"}
    assert details[3] == {"replaced_by": submission_id}
    assert verify_chain(session).ok


def test_a_revoked_client_is_recorded(session):
    credentials = make_client(session, make_organisation(session), ["reports:read"])
    session.commit()
    before = _head(session)
    revoke_client(session, credentials["client_id"])
    session.commit()
    (entry,) = _since(session, before)
    assert (entry.kind, entry.subject, entry.actor) == ("client.revoked", credentials["client_id"], "cli")


class TestStewardsRead:
    def test_the_steward_reads_the_entries_and_the_check(self, client, session):
        steward = make_client(session, make_organisation(session, type="steward"), ["admin"])
        session.commit()
        headers = bearer(client, steward)
        page = client.get("/v1/audit", headers=headers, params={"kind": "client.created"})
        assert page.status_code == 200, page.text
        assert steward["client_id"] in {entry["subject"] for entry in page.json()["entries"]}
        assert page.json()["head_seq"] == _head(session)
        checked = client.get("/v1/audit/verification", headers=headers)
        assert checked.status_code == 200 and checked.json()["ok"] is True

    def test_a_partner_or_a_reader_cannot(self, client, session):
        partner = make_client(session, make_organisation(session), ["submissions:write", "reports:read",
                                                                   "releases:request"])
        session.commit()
        headers = bearer(client, partner)
        assert client.get("/v1/audit", headers=headers).status_code == 403
        assert client.get("/v1/audit/verification", headers=headers).status_code == 403
        assert client.get("/v1/audit").status_code == 401


def test_a_budget_change_is_recorded_with_its_epsilons_and_not_its_reason(session):
    from decimal import Decimal

    from hub.budget.totals import set_total

    before = _head(session)
    set_total(session, "case-v1", "2025-10", "research", Decimal("1.5"), reason="Asha Tamang's study needs more",
              changed_by="hub budget set by steward")
    session.commit()
    (entry,) = _since(session, before)
    assert entry.kind == "budget.changed" and entry.actor == "cli"
    assert json.loads(entry.details) == {"dataset": "case-v1", "cohorts": ["2025-10"], "purpose": "research",
                                         "old_epsilon": "1.0000", "new_epsilon": "1.5000", "delta": "1E-7"}
    assert "Asha" not in entry.model_dump_json() and "steward" not in entry.model_dump_json()
