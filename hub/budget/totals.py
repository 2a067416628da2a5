"""The steward's changes to a budget's lifetime total: bounded by a ceiling, with a reason, kept as history.

A total can be raised only up to the ceiling its purpose has in the configuration
(``HUB_BUDGET_CEILING_EPSILON_REPORTS`` / ``..._RESEARCH``) and lowered only down to what the
account has spent. Every change is a :class:`~hub.models.BudgetChange` row (old and new total,
who, when, why) that nothing updates or deletes. The reason is for stewards and auditors; no API
serves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.budget.service import AccountView, ensure_accounts, rho_of_epsilon
from hub.config import get_settings
from hub.errors import InvalidRequest
from hub.models import BudgetAccount, BudgetChange, BudgetPurpose, utcnow
from hub.models.budget_change import REASON_MAX_LENGTH
from privacy.dp.budget import epsilon_text, rho_to_epsilon

MIN_EPSILON = Decimal("0.001")  # the smallest total worth an account, as for researchers' requests
REASON_MIN_LENGTH = 10
COHORT = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ChangeView:
    """One line of an account's history, with its totals shown as epsilon at the delta of the time."""

    created_at: datetime
    dataset: str
    cohort: str
    purpose: str
    old_epsilon: Decimal
    new_epsilon: Decimal
    delta: Decimal
    changed_by: str
    reason: str


def ceiling(purpose: str) -> Decimal:
    settings = get_settings()
    if purpose == BudgetPurpose.reports:
        return settings.budget_ceiling_epsilon_reports
    return settings.budget_ceiling_epsilon_research


def parse_epsilon(text: str) -> Decimal:
    """An epsilon typed by a steward, as a finite Decimal; refused with a sentence otherwise."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidRequest("epsilon must be a number, such as 0.5") from None
    if not value.is_finite():
        raise InvalidRequest("epsilon must be a finite number (not NaN or infinity)")
    return value


def checked_cohort(cohort: str) -> str:
    """A cohort is a month of first identification, YYYY-MM, that has begun."""
    if not COHORT.match(cohort):
        raise InvalidRequest("a cohort is a month written YYYY-MM, such as 2026-10")
    if cohort > utcnow().strftime("%Y-%m"):
        raise InvalidRequest("that month has not begun; no person can be in its cohort yet")
    return cohort


def checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not REASON_MIN_LENGTH <= len(reason) <= REASON_MAX_LENGTH:
        raise InvalidRequest(f"the reason must be {REASON_MIN_LENGTH} to {REASON_MAX_LENGTH} characters long")
    if _CONTROL.search(reason):
        raise InvalidRequest("the reason must be one line of text, without control characters")
    return reason


def set_total(
    session: Session, dataset: str, cohort: str, purpose: str, epsilon: Decimal, *, reason: str, changed_by: str,
    actor: str = "cli",
) -> AccountView:
    """Set an account's lifetime total to ``epsilon`` (at the hub's delta) and record the change.

    :raises InvalidRequest: if the purpose, cohort, epsilon or reason is not acceptable: epsilon
        not finite, below ``MIN_EPSILON``, above the purpose's ceiling, or below what is spent.
    """
    if purpose not in tuple(BudgetPurpose):
        raise InvalidRequest("the purpose is reports or research")
    checked_cohort(cohort)
    reason = checked_reason(reason)
    epsilon = Decimal(epsilon)
    if not epsilon.is_finite():
        raise InvalidRequest("epsilon must be a finite number (not NaN or infinity)")
    if epsilon < MIN_EPSILON:
        raise InvalidRequest(f"a lifetime epsilon must be at least {MIN_EPSILON}")
    limit = ceiling(purpose)
    if epsilon > limit:
        raise InvalidRequest(
            f"the {purpose} budget of a cohort can be at most epsilon {limit} "
            f"(HUB_BUDGET_CEILING_EPSILON_{purpose.upper()})"
        )
    ensure_accounts(session, dataset, [cohort], purpose)
    account = session.exec(
        select(BudgetAccount)
        .where(BudgetAccount.dataset == dataset, BudgetAccount.cohort == cohort, BudgetAccount.purpose == purpose)
        .with_for_update()
    ).one()
    delta = get_settings().privacy_delta
    total = rho_of_epsilon(epsilon)
    if total < account.spent_rho:
        spent = epsilon_text(rho_to_epsilon(account.spent_rho, delta))
        raise InvalidRequest(f"cohort {cohort} has already spent epsilon {spent} of its {purpose} budget; "
                             "a total cannot be lowered below what is spent")
    if total != account.total_rho:
        session.add(BudgetChange(
            dataset=dataset, cohort=cohort, purpose=purpose, old_total_rho=account.total_rho, new_total_rho=total,
            epsilon=epsilon, delta=delta, changed_by=changed_by, reason=reason,
        ))
        record(session, AuditEvent.budget_changed, actor=actor, dataset=dataset, cohorts=[cohort], purpose=purpose,
               old_epsilon=epsilon_text(_as_epsilon(account.total_rho, delta)), new_epsilon=epsilon_text(epsilon),
               delta=str(delta))
        account.total_rho = total
        account.updated_at = utcnow()
        session.add(account)
        session.flush()
    return AccountView(dataset, cohort, purpose, total, Decimal(account.spent_rho))


def history(session: Session, cohort: str | None = None, purpose: str | None = None) -> list[ChangeView]:
    """Every change of the totals, oldest first, optionally of one cohort and purpose."""
    query = select(BudgetChange).order_by(BudgetChange.created_at, BudgetChange.id)
    if cohort is not None:
        query = query.where(BudgetChange.cohort == checked_cohort(cohort))
    if purpose is not None:
        query = query.where(BudgetChange.purpose == purpose)
    return [
        ChangeView(change.created_at, change.dataset, change.cohort, change.purpose,
                   _as_epsilon(change.old_total_rho, change.delta), _as_epsilon(change.new_total_rho, change.delta),
                   change.delta, change.changed_by, change.reason)
        for change in session.exec(query)
    ]


def _as_epsilon(rho: Decimal, delta: Decimal) -> Decimal:
    return rho_to_epsilon(Decimal(rho), Decimal(delta))
