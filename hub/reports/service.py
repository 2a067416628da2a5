"""Publishing the standard reports of a period, and reading what was published.

Publishing is idempotent: a period already published answers its stored releases and spends
nothing. A period is published only once it is complete (:mod:`hub.reports.completeness`: every
expected partner has an accepted submission for each of its months), or when the steward forces
it with a reason; each table records the missing partners and that reason in its parameters.
A monthly report spends ``monthly_report_share`` of its cohort's lifetime reports budget, an
annual report the rest from each of its months; within a publication the tables share that rho
by the weights of :mod:`hub.reports.definitions` (zCDP composition adds rho). A month keeps its
noisy measurements on its releases, and the year combines them with its own
(:mod:`hub.reports.reuse`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.budget.service import default_total_rho, stored_rho
from hub.budget.totals import checked_reason
from hub.config import get_settings
from hub.errors import Conflict, InvalidRequest, NotFound
from hub.linkage.service import lock_linkage
from hub.models import BudgetPurpose, Release, Submission, SubmissionStatus, utcnow
from hub.releases.compute import TablePlan, make_publication, table_query
from hub.reports.completeness import completeness
from hub.reports.definitions import StandardReport, cohorts_of, period_text, reports_of, table_rhos
from hub.reports.dimensions import catalogue, time_dimension
from hub.reports.persons import person_frame
from hub.reports.reuse import reused_measurements
from privacy.dp.overlap import MAX_PARTNERS

PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def publication_rho(period: str) -> Decimal:
    """The rho each cohort of ``period`` pays for the whole publication."""
    share = get_settings().monthly_report_share
    if len(period) == 4:
        share = 1 - share
    return stored_rho(default_total_rho(BudgetPurpose.reports) * share)


class PeriodIncomplete(Conflict):
    """Expected partners have not submitted for the period; it can be published with a reason only."""


def publish(session: Session, period: str, *, force_reason: str | None = None) -> list[Release]:
    """The standard releases of ``period``: stored ones if published already, else computed now.

    :param force_reason: publish although expected partners are missing, for this reason (the
        steward's words, 10 to 500 characters, published with the tables).
    :raises PeriodIncomplete: naming the missing partners, if some are and no reason is given.
    """
    if not PERIOD.match(period):
        raise InvalidRequest("a report period is a month (YYYY-MM) or a year (YYYY)")
    existing = list(session.exec(
        select(Release).where(Release.kind == "standard", Release.period == period).order_by(Release.report)
    ))
    if existing:
        return existing
    if period >= utcnow().strftime("%Y-%m")[: len(period)]:
        # Computed once and never again: a period still running would be published without its
        # last persons, and would spend their cohorts' budget before they exist.
        raise InvalidRequest(f"the period {period} has not ended yet; publish it once it has")
    if force_reason is not None:
        force_reason = checked_reason(force_reason)
    cohorts = cohorts_of(period)
    # Serialise publications (the linker's lock): a second one of the same period waits, then
    # finds this one's releases; the unique index on standard releases backs this up.
    lock_linkage(session)
    existing = list(session.exec(
        select(Release).where(Release.kind == "standard", Release.period == period).order_by(Release.report)
    ))
    if existing:
        return existing
    check = completeness(session, period)
    if not check.complete and force_reason is None:
        raise PeriodIncomplete(
            f"{period} is not complete: expected partners have no accepted submission for it ({check.describe()}); "
            "publish once they have, or force it with a reason"
        )
    tables = [r for r in reports_of(period) if not r.overlap or overlap_possible(session, cohorts)]
    dimensions = catalogue()
    plans = [
        TablePlan(report.id, f"{report.title}, {period_text(period)}",
                  [time_dimension(n, cohorts) if n in ("year", "month") else dimensions[n] for n in report.dimensions],
                  {k: list(v) for k, v in report.filters.items()}, stored_rho(rho), report.overlap,
                  keep_measurements=len(period) == 7 and not report.overlap)
        for report, rho in zip(tables, table_rhos(tables, publication_rho(period)))
    ]
    plans = [with_reuse(session, period, report, plan) for report, plan in zip(tables, plans)]
    releases = make_publication(
        session, kind="standard", period=period, cohorts=cohorts, tables=plans, purpose=BudgetPurpose.reports,
        persons=person_frame(session), extra_parameters={"completeness": check.as_parameters(force_reason)},
    )
    # Whether it was forced, not why: the reason is the steward's words, published with the tables.
    record(session, AuditEvent.report_published, subject=period, period=period,
           releases=sorted(release.id for release in releases), forced=force_reason is not None)
    return sorted(releases, key=lambda release: release.report)


def with_reuse(session: Session, period: str, report: StandardReport, plan: TablePlan) -> TablePlan:
    """An annual table's plan with the measurements it takes from its published months (see hub.reports.reuse)."""
    if len(period) != 4 or not report.reuses:
        return plan
    reused = reused_measurements(session, period, report, table_query(plan))
    return replace(plan, reused=reused.measurements, reuse_record=reused.record)


def reused_by_table(session: Session, period: str) -> dict[str, tuple]:
    """Per annual table of ``period``, the months' measurements it would combine if published now."""
    if len(period) != 4:
        return {}
    dimensions, cohorts = catalogue(), cohorts_of(period)
    found = {}
    for report in reports_of(period):
        if report.reuses:
            infos = [time_dimension(n, cohorts) if n == "month" else dimensions[n] for n in report.dimensions]
            query = table_query(TablePlan(report.id, report.title, infos, dict(report.filters), Decimal(1)))
            found[report.id] = reused_measurements(session, period, report, query).measurements
    return found


def overlap_possible(session: Session, cohorts: list[str]) -> bool:
    """Whether an overlap table fits: between 1 and MAX_PARTNERS partners submitted for the months."""
    partners = session.exec(
        select(func.count(func.distinct(Submission.organisation_id))).where(
            Submission.period.in_(cohorts), Submission.status == SubmissionStatus.accepted
        )
    ).one()
    return 1 <= partners <= MAX_PARTNERS


def list_reports(session: Session, period: str | None = None) -> list[Release]:
    query = select(Release).where(Release.kind == "standard")
    if period is not None:
        query = query.where(Release.period == period)
    return list(session.exec(query.order_by(Release.period.desc(), Release.report)))


def get_report(session: Session, release_id: str) -> Release:
    release = session.get(Release, release_id)
    if release is None or release.kind != "standard":
        raise NotFound("no such published report")
    return release
