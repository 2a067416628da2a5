"""Publishing checks that the period's expected partners have submitted, or records why not."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from hub.budget.service import accounts
from hub.models import Organisation, Release, Submission, SubmissionStatus, utcnow
from hub.reports.completeness import completeness
from hub.reports.service import PeriodIncomplete, publish
from tests.factories.auth import make_organisation

YEAR = str(date.today().year - 1)
OCTOBER, NOVEMBER, DECEMBER = (f"{YEAR}-{month}" for month in ("10", "11", "12"))


def accepted_submission(session, organisation, period: str) -> None:
    session.add(Submission(organisation_id=organisation.id, client_id="c_test", dataset="case-v1", period=period,
                           version=1, status=SubmissionStatus.accepted, on_invalid="reject",
                           linkage_secret_version=1, completed_at=utcnow(), linked_at=utcnow()))
    session.flush()


@pytest.fixture
def december_without_the_police(session):
    """Three partners submit October and November; the police unit does not submit December."""
    hotline, shelter = make_organisation(session, "Hotline"), make_organisation(session, "Shelter")
    police = make_organisation(session, "Police Unit", "government")
    for month in (OCTOBER, NOVEMBER):
        for organisation in (hotline, shelter, police):
            accepted_submission(session, organisation, month)
    for organisation in (hotline, shelter):
        accepted_submission(session, organisation, DECEMBER)


def test_an_incomplete_month_is_refused_naming_the_missing_partner_and_spends_nothing(session,
                                                                                      december_without_the_police):
    with pytest.raises(PeriodIncomplete, match=f"{DECEMBER}: Police Unit\\)") as refused:
        publish(session, DECEMBER)
    assert "Hotline" not in refused.value.detail and "Shelter" not in refused.value.detail
    assert session.exec(select(Release)).first() is None
    assert all(account.spent_rho == 0 for account in accounts(session))


def test_with_a_reason_it_publishes_and_every_table_records_what_was_missing_and_why(session,
                                                                                     december_without_the_police):
    reason = "the police unit's system is down until March; the steward publishes without it"
    releases = publish(session, DECEMBER, force_reason=reason)
    assert releases
    for release in releases:
        assert release.parameters["completeness"]["missing_partners"] == {DECEMBER: ["Police Unit"]}
        assert release.parameters["completeness"]["forced_reason"] == reason


def test_a_forced_publication_needs_a_real_reason(session, december_without_the_police):
    with pytest.raises(Exception, match="reason must be 10 to 500 characters"):
        publish(session, DECEMBER, force_reason=" ok ")


def test_a_complete_month_publishes_and_records_that_nothing_was_missing(session, december_without_the_police):
    releases = publish(session, NOVEMBER)
    assert all(r.parameters["completeness"] == {**r.parameters["completeness"], "missing_partners": {},
                                                "forced_reason": None} for r in releases)


def test_a_month_is_complete_once_the_missing_partner_submits(session, december_without_the_police):
    assert not completeness(session, DECEMBER).complete
    police = session.exec(select(Organisation).where(Organisation.name == "Police Unit")).one()
    accepted_submission(session, police, DECEMBER)
    assert completeness(session, DECEMBER).complete


def test_a_year_is_refused_while_one_of_its_months_is_incomplete(session, december_without_the_police):
    with pytest.raises(PeriodIncomplete) as refused:
        publish(session, YEAR)
    assert f"{DECEMBER}: Police Unit" in refused.value.detail
    # October is the first month anyone submitted: nobody was expected for it, nor for January to September.
    assert set(completeness(session, YEAR).missing) == {DECEMBER}


def test_a_partner_is_no_longer_expected_once_it_has_not_submitted_for_the_lookback(session):
    shelter = make_organisation(session, "Shelter")
    accepted_submission(session, shelter, f"{YEAR}-06")
    assert completeness(session, f"{YEAR}-09").missing == {f"{YEAR}-09": ("Shelter",)}
    assert completeness(session, f"{YEAR}-10").complete  # June is more than 3 months before October
