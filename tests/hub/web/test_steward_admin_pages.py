"""The steward's pages for partners and their clients, and for publishing a period, through the services."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from hub.models import AuditEntry, OAuthClient, Organisation, Release, Submission, SubmissionStatus
from tests.factories.auth import make_client, make_organisation
from tests.factories.data import push_demo
from tests.factories.web import form_token, make_user, signed_in

STEWARD_PAGES = ["/steward/partners", "/steward/publish"]


@pytest.fixture
def steward(app, session):
    user = make_user(session, "steward", make_organisation(session, "Stewards", "steward"))
    with TestClient(app) as browser:
        yield signed_in(browser, user)


def token_response(client, credentials):
    return client.post("/oauth/token", data={"grant_type": "client_credentials"},
                       auth=(credentials["client_id"], credentials["client_secret"]))


class TestWhoMaySee:
    @pytest.mark.parametrize("path", STEWARD_PAGES)
    def test_another_role_is_refused(self, app, session, path):
        with TestClient(app) as browser:
            signed_in(browser, make_user(session, "researcher"))
            assert browser.get(path).status_code == 403

    @pytest.mark.parametrize("path", STEWARD_PAGES)
    def test_nobody_signed_in_is_sent_to_sign_in(self, client, path):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/signin")


class TestPartners:
    def test_registering_an_organisation(self, steward, session):
        page = steward.get("/steward/partners").text
        response = steward.post("/steward/partners", data={"csrf_token": form_token(page), "name": "Hotline North",
                                                           "organisation_type": "ngo"})
        assert response.status_code == 200 and "Hotline North" in response.text
        session.expire_all()
        assert session.exec(select(Organisation.type).where(Organisation.name == "Hotline North")).one() == "ngo"

    def test_registering_without_the_csrf_token_is_refused_and_registers_nothing(self, steward, session):
        response = steward.post("/steward/partners", data={"name": "Hotline South", "organisation_type": "ngo"})
        assert response.status_code == 403
        session.expire_all()
        assert session.exec(select(Organisation).where(Organisation.name == "Hotline South")).first() is None

    def test_a_name_taken_is_refused(self, steward, session):
        make_organisation(session, "Shelter East")
        session.commit()
        page = steward.get("/steward/partners").text
        response = steward.post("/steward/partners", data={"csrf_token": form_token(page), "name": "Shelter  East",
                                                           "organisation_type": "ngo"})
        assert response.status_code == 422 and "has this name" in response.text

    def test_a_new_client_gets_a_secret_shown_once_that_gets_a_token(self, steward, session, client):
        shelter = make_organisation(session, "Shelter West")
        session.commit()
        page = steward.get("/steward/partners").text
        response = steward.post(f"/steward/partners/{shelter.id}/clients",
                                data={"csrf_token": form_token(page), "scope": ["submissions:write", "submissions:read"]})
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
        client_id = re.search(r"<dt>Client id</dt><dd><code>([^<]+)</code>", response.text)[1]
        secret = re.search(r"<dt>Client secret</dt><dd><code>([^<]+)</code>", response.text)[1]
        session.expire_all()
        stored = session.get(OAuthClient, client_id)
        assert stored.organisation_id == shelter.id and stored.scopes == "submissions:write submissions:read"
        assert secret not in (stored.secret_hash or "")
        assert token_response(client, {"client_id": client_id, "client_secret": secret}).status_code == 200
        assert secret not in steward.get("/steward/partners").text
        entry = session.exec(select(AuditEntry).where(AuditEntry.subject == client_id)).one()
        assert entry.actor.startswith("user:steward")

    def test_a_client_with_no_scope_is_refused(self, steward, session):
        shelter = make_organisation(session, "Shelter Hill")
        session.commit()
        page = steward.get("/steward/partners").text
        response = steward.post(f"/steward/partners/{shelter.id}/clients", data={"csrf_token": form_token(page)})
        assert response.status_code == 422
        session.expire_all()
        assert session.exec(select(OAuthClient).where(OAuthClient.organisation_id == shelter.id)).all() == []

    def test_a_private_key_is_refused(self, steward, session):
        from joserfc.jwk import ECKey

        shelter = make_organisation(session, "Shelter Lake")
        session.commit()
        private = ECKey.generate_key("P-256", private=True).as_dict(private=True)
        page = steward.get("/steward/partners").text
        import json

        response = steward.post(f"/steward/partners/{shelter.id}/clients",
                                data={"csrf_token": form_token(page), "scope": ["submissions:read"],
                                      "public_jwk": json.dumps(private)})
        assert response.status_code == 422 and "private key" in response.text

    def test_revoking_a_client_stops_its_tokens(self, steward, session, client):
        credentials = make_client(session, make_organisation(session, "Shelter River"), ["submissions:read"])
        session.commit()
        token = token_response(client, credentials).json()["access_token"]
        assert client.get("/v1/submissions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        page = steward.get("/steward/partners").text
        response = steward.post(f"/steward/clients/{credentials['client_id']}/revoke",
                                data={"csrf_token": form_token(page)}, follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/v1/submissions", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        assert "revoked" in steward.get("/steward/partners").text

    def test_revoking_without_the_csrf_token_revokes_nothing(self, steward, session):
        credentials = make_client(session, make_organisation(session, "Shelter Coast"), ["submissions:read"])
        session.commit()
        assert steward.post(f"/steward/clients/{credentials['client_id']}/revoke", data={}).status_code == 403
        session.expire_all()
        assert session.get(OAuthClient, credentials["client_id"]).revoked_at is None


class TestPublishing:
    @pytest.fixture
    def demo(self, client, session, tmp_path):
        demo = push_demo(client, session, tmp_path)
        session.commit()
        return demo

    def test_a_complete_month_is_published_through_the_reports_service(self, steward, session, demo):
        month = demo.months[-1]
        page = steward.get("/steward/publish").text
        assert month in page and "not published" in page
        response = steward.post("/steward/publish", data={"csrf_token": form_token(page), "period": month},
                                follow_redirects=False)
        assert response.status_code == 303
        session.expire_all()
        releases = session.exec(select(Release).where(Release.kind == "standard", Release.period == month)).all()
        assert releases
        assert f"{month} is published" in steward.get(response.headers["location"]).text

    def test_an_incomplete_month_needs_a_reason(self, steward, session, demo):
        month, before = demo.months[-1], demo.months[-2]
        late = make_organisation(session, "Late Partner")
        session.add(Submission(organisation_id=late.id, client_id="c_late", dataset="case-v1", period=before,
                               version=1, status=SubmissionStatus.accepted, on_invalid="skip",
                               linkage_secret_version=1))
        session.commit()
        page = steward.get("/steward/publish").text
        assert "Late Partner" in page
        refused = steward.post("/steward/publish", data={"csrf_token": form_token(page), "period": month})
        assert refused.status_code == 409 and "Late Partner" in refused.text
        session.expire_all()
        assert session.exec(select(Release).where(Release.period == month)).all() == []
        forced = steward.post("/steward/publish", data={"csrf_token": form_token(page), "period": month,
                                                        "reason": "The late partner closed its office this month"},
                              follow_redirects=False)
        assert forced.status_code == 303
        session.expire_all()
        assert session.exec(select(Release).where(Release.period == month)).all()

    def test_publishing_without_the_csrf_token_publishes_nothing(self, steward, session, demo):
        assert steward.post("/steward/publish", data={"period": demo.months[-1]}).status_code == 403
        session.expire_all()
        assert session.exec(select(Release).where(Release.kind == "standard")).all() == []
