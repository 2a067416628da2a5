"""Public web pages of the standard reports: tables and charts with error bars.

Public on purpose (the explicit exception to authenticated routes): a published report is a
differentially private aggregate, meant for governments and the public; reading it spends nothing.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from hub.budget.service import accounts
from hub.config import get_settings
from hub.db import SessionDep
from hub.reports import service
from hub.reports.render import release_html
from privacy.dp.budget import epsilon_text

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(session: SessionDep) -> str:
    releases = service.list_reports(session)
    by_period: dict[str, list] = {}
    for release in releases:
        by_period.setdefault(release.period, []).append(release)
    sections = "".join(
        f"<h2>{escape(period)}</h2><ul>"
        + "".join(f'<li><a href="/reports/{r.id}">{escape(r.title)}</a> (&epsilon; = {r.parameters["epsilon"]})</li>'
                  for r in items)
        + "</ul>"
        for period, items in by_period.items()
    ) or "<p>No report has been published yet. A steward publishes with <code>hub reports publish --period YYYY-MM</code>.</p>"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reports</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}</style>
</head><body><p><a href="/">Home</a></p><h1>Standard reports</h1>
<p>Counts of persons identified as victims of trafficking, reported by the partner organisations and counted
once across them, published with differential privacy: every number carries a little random noise and a 95 %
interval. <a href="/privacy">What this protects, in plain words</a>.</p>{sections}</body></html>"""


@router.get("/reports/{release_id}", response_class=HTMLResponse)
def report_page(release_id: str, session: SessionDep) -> str:
    release = service.get_report(session, release_id)
    return release_html(release, budget_note(session, release.cohorts))


def budget_note(session, cohorts: list[str]) -> str:
    """Both budgets of the release's months: the standard reports' and the researchers' reserve."""
    settings = get_settings()
    lines = []
    of_these_months = [a for a in accounts(session) if a.cohort in cohorts]
    for purpose, what, default in (("reports", "standard reports", settings.reports_epsilon),
                                   ("research", "researchers' reserve", settings.research_epsilon)):
        # The most used month's own account (a steward may have set its total), else the default.
        mine = [a for a in of_these_months if a.purpose == purpose]
        fullest = max(mine, key=lambda a: a.used, default=None)
        lifetime = epsilon_text(fullest.as_epsilon(fullest.total_rho) if fullest else default)
        share = fullest.used if fullest else 0
        lines.append(f"{what}: lifetime &epsilon; = {lifetime} per month of first identification, "
                     f"{share:.0%} used{' (the most used month)' if len(cohorts) > 1 else ''}")
    return "<p>Privacy budget of these persons &mdash; " + "; ".join(lines) + ".</p>"
