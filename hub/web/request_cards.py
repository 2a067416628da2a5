"""Release requests as the pages show them: who asked, the table in words, the cost and each month's budget.

Figures come from :mod:`hub.releases.service` (``to_public``: cost, expected error, whether each
month can afford it) and the budget accounts; the budget left after approval is shown, never
debited here: approval debits it, in the release service, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from hub.auth.dependencies import Caller
from hub.budget.service import accounts, default_total_rho, rho_of_epsilon
from hub.config import get_settings
from hub.models import BudgetPurpose, Organisation, ReleaseRequest
from hub.releases import service
from hub.releases.compute import DATASET
from hub.releases.schemas import ReleaseRequestPublic
from hub.reports.dimensions import catalogue
from privacy.dp.budget import epsilon_text, rho_to_epsilon


@dataclass(frozen=True)
class CohortPreview:
    cohort: str
    left_now: str  # epsilon, rounded down
    left_after: str | None  # epsilon left if approved; None if the cohort cannot afford it
    affordable: bool


@dataclass(frozen=True)
class RequestCard:
    request: ReleaseRequestPublic
    organisation: str
    asked_by: str
    tables: str
    filters: list[str]
    cohorts: list[CohortPreview]


def _epsilon_left(rho: Decimal) -> str:
    return epsilon_text(rho_to_epsilon(rho, get_settings().privacy_delta), down=True) if rho > 0 else "0.0000"


def _card(session: Session, request: ReleaseRequest, organisations: dict[str, str], left: dict[str, Decimal]) -> RequestCard:
    public = service.to_public(session, request)
    labels = {name: info.label for name, info in catalogue().items()} | {"year": "Year", "month": "Month"}
    cost = rho_of_epsilon(Decimal(request.epsilon))
    previews = []
    for line in public.cost:
        now = left.get(line.cohort, default_total_rho(BudgetPurpose.research))
        previews.append(CohortPreview(line.cohort, _epsilon_left(now),
                                      _epsilon_left(now - cost) if line.affordable else None, line.affordable))
    return RequestCard(
        public, organisations.get(request.organisation_id, "?"), request.client_id,
        " × ".join(labels.get(name, name) for name in request.dimensions),
        [f"{labels.get(name, name)}: {', '.join(values)}" for name, values in request.filters.items()], previews)


def request_cards(session: Session, caller: Caller, status: str | None) -> list[RequestCard]:
    requests = service.list_requests(session, caller, status)
    organisations = dict(session.exec(select(Organisation.id, Organisation.name)).all())
    left = {a.cohort: a.remaining_rho for a in accounts(session, DATASET) if a.purpose == BudgetPurpose.research}
    return [_card(session, r, organisations, left) for r in requests]
