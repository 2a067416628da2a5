"""The hub itself refuses a month that has not begun: at creation and again at completion."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import func, select

from hub.models import Submission
from hub.periods import current_month_anywhere
from hub.submissions import service
from tests.factories.submissions import act_as, make_org, random_pairs, upload_row
from tests.hub.submissions.test_api import NEW, open_submission


def _month_after(period: str) -> str:
    year, month = map(int, period.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


class TestAtCreation:
    def test_a_month_after_the_current_one_is_refused(self, app, client, session, monkeypatch):
        # The window of periods a request may name reaches a month ahead (time zones); the hub's own
        # rule is stricter: the month must have begun somewhere. Pin "now" to just before NEW's month.
        monkeypatch.setattr(service, "current_month_anywhere", lambda: "2026-09")
        act_as(app, make_org(session))
        response = client.post("/v1/submissions", json=NEW)
        assert response.status_code == 422
        assert response.json()["error"] == "FuturePeriod"
        assert "2026-09" in response.json()["detail"] and NEW["period"] not in response.json()["detail"]
        assert session.exec(select(func.count()).select_from(Submission)).one() == 0

    def test_the_month_under_way_is_accepted(self, app, client, session):
        act_as(app, make_org(session))
        open_submission(client, period=current_month_anywhere())

    def test_next_month_by_the_real_clock_is_refused(self, app, client, session):
        act_as(app, make_org(session))
        response = client.post("/v1/submissions", json={**NEW, "period": _month_after(current_month_anywhere())})
        assert response.status_code == 422
        assert response.json()["error"] in ("FuturePeriod", "InvalidRequest")  # past the window too, near a month's end


class TestAtCompletion:
    def test_an_upload_whose_month_lies_ahead_is_not_completed(self, app, client, session, monkeypatch):
        act_as(app, make_org(session))
        submission_id = open_submission(client)
        client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": [upload_row(1)]})
        # Opened under another clock (or before the rule): the completion checks the month again.
        monkeypatch.setattr(service, "current_month_anywhere", lambda: "2026-09")
        response = client.post(f"/v1/submissions/{submission_id}/complete",
                               json={"expected_chunks": 1, "random_pairs": random_pairs()})
        assert response.status_code == 422
        assert response.json()["error"] == "FuturePeriod"
        session.expire_all()
        assert session.get(Submission, submission_id).status == "open"


class TestTheMonthUnderWayAnywhere:
    def test_a_month_has_begun_once_it_has_begun_in_the_time_zone_furthest_ahead(self):
        assert current_month_anywhere(datetime(2026, 12, 31, 9, 59, tzinfo=UTC)) == "2026-12"
        assert current_month_anywhere(datetime(2026, 12, 31, 10, 0, tzinfo=UTC)) == "2027-01"
