"""Rules of the privacy budget.

Accounts hold zCDP's rho as exact decimals and are shown to people as epsilon at the configured
delta. ``debit`` locks the accounts it touches (in a fixed order, so that two debits cannot
deadlock), refuses the whole debit if any account lacks budget, and records one ledger entry per
cohort. It runs inside the transaction that stores the release, so a release that fails, or a
debit that is refused, leaves no spend and no release behind.

Each person is in exactly one cohort, so a release over several cohorts spends its full rho from
each of them (parallel composition); releases over the same cohort add up (sequential composition).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from hub.config import get_settings
from hub.errors import HubError
from hub.models import BudgetAccount, BudgetEntry, BudgetPurpose, utcnow
from privacy.dp.budget import epsilon_to_rho, rho_to_epsilon


RHO_PLACES = Decimal("1e-24")  # the scale of the rho columns


def stored_rho(rho: Decimal) -> Decimal:
    """``rho`` as the ledger stores it: cut (never rounded up) to the columns' 24 places.

    Every amount the hub computes goes through here before it is compared, spent or used to set
    a noise scale, so equal budgets compare equal and a smaller rho only means more noise.
    """
    return Decimal(rho).quantize(RHO_PLACES, rounding=ROUND_DOWN)


def rho_of_epsilon(epsilon: Decimal) -> Decimal:
    """The rho of a budget stated as epsilon at the hub's delta."""
    return stored_rho(epsilon_to_rho(Decimal(epsilon), get_settings().privacy_delta)) if epsilon > 0 else Decimal(0)


class BudgetExhausted(HubError):
    status_code = 409


@dataclass(frozen=True)
class AccountView:
    dataset: str
    cohort: str
    purpose: str
    total_rho: Decimal
    spent_rho: Decimal

    @property
    def remaining_rho(self) -> Decimal:
        return self.total_rho - self.spent_rho

    @property
    def used(self) -> Decimal:
        """The share of the budget spent (in rho, which adds up; epsilon does not)."""
        return self.spent_rho / self.total_rho if self.total_rho > 0 else Decimal(1)

    def as_epsilon(self, rho: Decimal) -> Decimal:
        return rho_to_epsilon(rho, get_settings().privacy_delta) if rho > 0 else Decimal(0)


def default_total_rho(purpose: str) -> Decimal:
    settings = get_settings()
    epsilon = settings.reports_epsilon if purpose == BudgetPurpose.reports else settings.research_epsilon
    return rho_of_epsilon(epsilon)


def ensure_accounts(session: Session, dataset: str, cohorts: list[str], purpose: str) -> None:
    """Open the accounts that do not exist yet, with the configured lifetime budget.

    ``ON CONFLICT DO NOTHING``: two first spends on a cohort at once both find the account open.
    """
    rows = [
        {"dataset": dataset, "cohort": cohort, "purpose": purpose, "total_rho": default_total_rho(purpose),
         "spent_rho": Decimal(0), "updated_at": utcnow()}
        for cohort in sorted(set(cohorts))
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(BudgetAccount).values(rows).on_conflict_do_nothing())
    session.flush()


def reserve(session: Session, dataset: str, cohorts: list[str], purpose: str, rho: Decimal) -> list[BudgetAccount]:
    """Lock the cohorts' accounts and take ``rho`` from each, or nothing at all.

    The ledger entries follow with :func:`record_spend` once the release exists, in the same
    transaction.

    :raises BudgetExhausted: naming the first cohort whose remaining budget is too small.
    """
    if rho <= 0 or rho != stored_rho(rho):
        raise ValueError("a release must cost a positive rho, cut to the ledger's places (stored_rho)")
    ensure_accounts(session, dataset, cohorts, purpose)
    locked = session.exec(
        select(BudgetAccount)
        .where(BudgetAccount.dataset == dataset, BudgetAccount.purpose == purpose, BudgetAccount.cohort.in_(cohorts))
        .order_by(BudgetAccount.cohort)
        .with_for_update()
    ).all()
    delta = get_settings().privacy_delta
    for account in locked:
        remaining = account.total_rho - account.spent_rho
        if remaining < rho:
            shown = rho_to_epsilon(remaining, delta) if remaining > 0 else Decimal(0)
            raise BudgetExhausted(
                f"the {purpose} budget of cohort {account.cohort} has epsilon {shown:.4f} left "
                f"(at delta {delta}); this release needs epsilon {rho_to_epsilon(rho, delta):.4f}"
            )
    for account in locked:
        account.spent_rho += rho
        account.updated_at = utcnow()
        session.add(account)
    session.flush()
    return list(locked)


def record_spend(session: Session, reserved: list[BudgetAccount], rho: Decimal, release_id: str) -> None:
    """The ledger entries of a reservation, once its release is stored."""
    for account in reserved:
        session.add(BudgetEntry(dataset=account.dataset, cohort=account.cohort, purpose=account.purpose,
                                release_id=release_id, rho=rho))
    session.flush()


def accounts(session: Session, dataset: str | None = None) -> list[AccountView]:
    query = select(BudgetAccount).order_by(BudgetAccount.dataset, BudgetAccount.cohort, BudgetAccount.purpose)
    if dataset is not None:
        query = query.where(BudgetAccount.dataset == dataset)
    return [
        AccountView(a.dataset, a.cohort, a.purpose, Decimal(a.total_rho), Decimal(a.spent_rho))
        for a in session.exec(query)
    ]
