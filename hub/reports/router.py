"""Reports and budget routes: read-only; reading spends nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from hub.auth.dependencies import RequireScope
from hub.auth.scopes import Scope
from hub.budget.service import accounts
from hub.config import get_settings
from hub.db import SessionDep
from hub.reports import service
from hub.reports.render import release_csv
from hub.reports.schemas import BudgetLine, ReleasePublic, ReportSummary
from privacy.dp.budget import epsilon_text

router = APIRouter(tags=["reports"])
Reader = RequireScope(Scope.REPORTS_READ)


def summary(release) -> ReportSummary:
    return ReportSummary(id=release.id, report=release.report, title=release.title, period=release.period,
                         epsilon=release.parameters["epsilon"], delta=release.parameters["delta"],
                         created_at=release.created_at)


@router.get("/reports", response_model=list[ReportSummary])
def list_reports(session: SessionDep, caller: Reader,
                 period: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2})?$")] = None):
    """Published standard reports, newest period first."""
    return [summary(r) for r in service.list_reports(session, period)]


@router.get("/reports/{release_id}", response_model=ReleasePublic,
            responses={200: {"content": {"text/csv": {}}}})
def read_report(release_id: str, session: SessionDep, caller: Reader,
                format: Annotated[str, Query(pattern="^(json|csv)$")] = "json"):
    """One report: every cell with its value and intervals, the privacy parameters and the method."""
    release = service.get_report(session, release_id)
    if format == "csv":
        return PlainTextResponse(release_csv(release), media_type="text/csv",
                                 headers={"Content-Disposition": f'attachment; filename="{release.report}-{release.period}.csv"'})
    return release


@router.get("/budget", response_model=list[BudgetLine])
def read_budget(session: SessionDep, caller: Reader):
    """The privacy budget of every cohort: total, spent and remaining, as epsilon at delta and as rho."""
    delta = get_settings().privacy_delta
    return [
        BudgetLine(
            dataset=a.dataset, cohort=a.cohort, purpose=a.purpose, delta=str(delta),
            total_epsilon=epsilon_text(a.as_epsilon(a.total_rho)),
            spent_epsilon=epsilon_text(a.as_epsilon(a.spent_rho)),
            remaining_epsilon=epsilon_text(a.as_epsilon(a.remaining_rho), down=True), used_share=f"{a.used:.4f}",
            total_rho=str(a.total_rho), spent_rho=str(a.spent_rho), remaining_rho=str(a.remaining_rho),
        )
        for a in accounts(session)
    ]
