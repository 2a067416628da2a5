"""A lifetime budget moves only within its ceiling and above what is spent, and every move is kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import func, select

from hub.budget.service import default_total_rho, ensure_accounts, rho_of_epsilon
from hub.budget.totals import history, set_total
from hub.errors import InvalidRequest
from hub.models import BudgetAccount, BudgetChange

COHORT = "2025-10"
REASON = "a second study of this month needs a larger reserve"


def change(session, epsilon, purpose="research", cohort=COHORT, reason=REASON):
    return set_total(session, "case-v1", cohort, purpose, Decimal(epsilon), reason=reason, changed_by="steward Ana")


def changes_count(session) -> int:
    return session.exec(select(func.count()).select_from(BudgetChange)).one()


def test_a_budget_can_be_raised_up_to_its_ceiling_and_not_past_it(session):
    assert change(session, "2").total_rho == rho_of_epsilon(Decimal(2))  # the research ceiling by default
    with pytest.raises(InvalidRequest, match="at most epsilon 2 .HUB_BUDGET_CEILING_EPSILON_RESEARCH"):
        change(session, "2.0001")
    with pytest.raises(InvalidRequest, match="at most epsilon 1 .HUB_BUDGET_CEILING_EPSILON_REPORTS"):
        change(session, "1.5", purpose="reports")  # a reports budget cannot be reopened by default
    assert [view.new_epsilon <= 2 for view in history(session)] == [True]


def test_every_change_is_in_the_history_with_old_and_new_total_who_and_why(session):
    change(session, "1.5")
    change(session, "1.2", reason="the study was cut down to one table")
    lines = history(session, cohort=COHORT)
    assert [(line.old_epsilon.quantize(Decimal("0.0001")), line.new_epsilon.quantize(Decimal("0.0001")))
            for line in lines] == [(Decimal("1.0000"), Decimal("1.5000")), (Decimal("1.5000"), Decimal("1.2000"))]
    assert [line.reason for line in lines] == [REASON, "the study was cut down to one table"]
    assert {line.changed_by for line in lines} == {"steward Ana"}
    assert lines[0].created_at <= lines[1].created_at
    assert history(session, cohort="2025-09") == []


def test_setting_the_same_total_again_records_nothing(session):
    change(session, "1.5")
    change(session, "1.5")
    assert changes_count(session) == 1


def test_a_total_cannot_be_lowered_below_what_is_spent(session):
    ensure_accounts(session, "case-v1", [COHORT], "research")
    account = session.get(BudgetAccount, ("case-v1", COHORT, "research"))
    account.spent_rho = default_total_rho("research") / 2
    session.add(account)
    session.flush()
    with pytest.raises(InvalidRequest, match="cannot be lowered below what is spent"):
        change(session, "0.1")
    assert session.get(BudgetAccount, ("case-v1", COHORT, "research")).total_rho == default_total_rho("research")
    assert changes_count(session) == 0


@pytest.mark.parametrize(
    ("epsilon", "complaint"),
    [("NaN", "finite"), ("Infinity", "finite"), ("-1", "at least 0.001"), ("0", "at least 0.001"),
     ("1e6", "at most epsilon 2")],
)
def test_bad_amounts_are_refused_and_nothing_is_recorded(session, epsilon, complaint):
    with pytest.raises(InvalidRequest, match=complaint):
        change(session, epsilon)
    assert changes_count(session) == 0


@pytest.mark.parametrize(
    ("cohort", "complaint"),
    [("2025-13", "YYYY-MM"), ("'; drop table budget_account; --", "YYYY-MM"), ("2025", "YYYY-MM"),
     ("2999-01", "has not begun")],
)
def test_a_cohort_is_a_month_that_has_begun(session, cohort, complaint):
    with pytest.raises(InvalidRequest, match=complaint):
        change(session, "1.5", cohort=cohort)
    assert session.exec(select(func.count()).select_from(BudgetAccount)).one() == 0


@pytest.mark.parametrize("reason", ["", "too short", "x" * 501, "two\nlines of reason text"])
def test_a_reason_is_one_line_of_10_to_500_characters(session, reason):
    with pytest.raises(InvalidRequest, match="reason"):
        change(session, "1.5", reason=reason)
