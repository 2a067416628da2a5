"""Downloads of published reports work without signing in; nothing unpublished is served."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from hub.auth.dependencies import Caller
from hub.models import Organisation
from hub.releases.schemas import ReleaseRequestCreate
from hub.releases.service import approve, create_request
from hub.reports.service import publish
from tests.factories.data import push_demo


@pytest.fixture
def published(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    return demo, publish(session, demo.months[-1])


class TestPublishedDownloads:
    def test_the_csv_needs_no_token_and_holds_every_cell(self, client, published):
        _, releases = published
        release = releases[0]
        response = client.get(f"/reports/{release.id}.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert sorted(int(r["value"]) for r in rows) == sorted(c["value"] for c in release.cells)

    def test_the_json_needs_no_token_and_is_the_release_as_stored(self, client, published):
        _, releases = published
        release = releases[0]
        body = client.get(f"/reports/{release.id}.json").json()
        assert body["cells"] == release.cells and body["content_hash"] == release.content_hash
        assert "snapshot_nonce" not in body

    def test_every_page_links_its_downloads(self, client, published):
        _, releases = published
        page = client.get(f"/reports/{releases[0].id}").text
        assert f'href="/reports/{releases[0].id}.csv"' in page and f'href="/reports/{releases[0].id}.json"' in page
        assert "/v1/reports/" not in page  # the API needs a token; the page's links must not


class TestUnpublished:
    def test_a_custom_release_is_not_served_publicly(self, client, session, published):
        demo, _ = published
        researchers = Organisation(name="Researchers", type="research")
        session.add(researchers)
        session.flush()
        caller = Caller("c_researcher", researchers.id, frozenset({"releases:request"}))
        request = create_request(session, caller, ReleaseRequestCreate(
            dimensions=["gender"], cohorts=list(demo.months), epsilon=Decimal("0.5"),
            purpose="a custom table that nobody published"))
        approved = approve(session, Caller("c_steward", researchers.id, frozenset({"releases:approve"})), request.id)
        session.commit()
        for suffix in (".csv", ".json", ""):
            response = client.get(f"/reports/{approved.release_id}{suffix}")
            assert response.status_code == 404, suffix

    def test_an_unknown_report_is_404(self, client, session):
        for suffix in (".csv", ".json", ""):
            assert client.get(f"/reports/{'0' * 32}{suffix}").status_code == 404
