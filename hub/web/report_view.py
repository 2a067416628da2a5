"""What a report page shows, taken from the release as stored: rows, chart bars, privacy words, budgets.

Nothing here recomputes a number: the page, the chart, the CSV and the JSON all read the same
stored cells, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from hub.budget.service import accounts
from hub.config import get_settings
from hub.models import Release
from hub.reports.render import dimension_labels, entry_kind, key_text, row_keys, rows_in_reading_order
from privacy.dp.budget import epsilon_text

CHART_BARS = 25  # a chart of more bars than this is unreadable on a phone; the table has them all


@dataclass(frozen=True)
class Row:
    kind: str  # cell, margin or total
    keys: list[str]
    value: int
    low: int
    high: int
    too_noisy: bool


@dataclass(frozen=True)
class BudgetLine:
    what: str
    lifetime_epsilon: str
    used_share: float


@dataclass(frozen=True)
class ReportView:
    release: Release
    columns: list[str]
    rows: list[Row]
    chart: list[dict]  # label, value, low, high: the bars the chart library draws
    charted_of: int  # how many cells excluded zero, of which ``chart`` holds the largest
    budgets: list[BudgetLine]
    several_months: bool


def chart_bars(release: Release) -> tuple[list[dict], int]:
    """The largest cells whose 95 % interval excludes zero, with that interval; and how many such cells exist.

    Cells whose interval includes zero cannot be told apart from nobody and are never charted as findings.
    """
    names = [name for name, _ in dimension_labels(release)]
    found = [c for c in release.cells if entry_kind(c) == "cell" and c["ci95"][0] > 0]
    largest = sorted(found, key=lambda c: -c["value"])[:CHART_BARS]
    bars = [{"label": " · ".join(key_text(release, n, c["key"][n]) for n in names) or "All persons",
             "value": c["value"], "low": c["ci95"][0], "high": c["ci95"][1]} for c in largest]
    return bars, len(found)


def budget_lines(session: Session, cohorts: list[str]) -> list[BudgetLine]:
    """Both budgets of the release's months: the standard reports' and the researchers' reserve."""
    settings = get_settings()
    of_these_months = [a for a in accounts(session) if a.cohort in cohorts]
    lines = []
    for purpose, what, default in (("reports", "standard reports", settings.reports_epsilon),
                                   ("research", "researchers' reserve", settings.research_epsilon)):
        # The most used month's own account (a steward may have set its total), else the default.
        mine = [a for a in of_these_months if a.purpose == purpose]
        fullest = max(mine, key=lambda a: a.used, default=None)
        lifetime = epsilon_text(fullest.as_epsilon(fullest.total_rho) if fullest else default)
        lines.append(BudgetLine(what, lifetime, float(fullest.used) if fullest else 0.0))
    return lines


def report_view(session: Session, release: Release) -> ReportView:
    rows = [Row(entry_kind(e), row_keys(release, e), e["value"], e["ci95"][0], e["ci95"][1], e["too_noisy"])
            for e in rows_in_reading_order(release)]
    bars, charted_of = chart_bars(release)
    return ReportView(release, [label for _, label in dimension_labels(release)], rows, bars, charted_of,
                      budget_lines(session, release.cohorts), len(release.cohorts) > 1)
