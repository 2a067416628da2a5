"""The standard reports: which tables a monthly or annual publication holds, and the rho each gets.

A monthly report (period YYYY-MM) covers the persons first identified in that month; an annual
one (period YYYY) those first identified in any month of that year. A month holds about a
twelfth of a year's persons and 30 % of a cohort's reports budget (``monthly_report_share``), so
its cells would be noise: it publishes what a month can support, the total and four margins of
a single dimension each. The year publishes the detail, its tables over all twelve months'
persons at once.

Every table is measured as a chain of margins down to its cells (see
:mod:`privacy.dp.release`); every table that counts each person once (no multi-valued
dimension, no filter) adds up to the publication's total, whose estimate combines the total's
own measurement with what every such table says about it.

The year uses its months' measurements together (``reuses``): an annual table combines, with
its own measurements, the noisy measurements its twelve months' publications already made and
paid for, by weighted least squares (:mod:`hub.reports.reuse`). A monthly table is a margin of an
annual one when its dimensions are among the annual table's: it is a row per month of an annual
table with a month dimension (the months stacked: its full precision is kept), otherwise a term
of the year's sum (twelve months' noise added up, so worth a twelfth of an annual measurement of
the same cost). The twelve monthly measurements of the month and region tables are therefore
where reuse pays. Each monthly table is reused by one annual table at most, so that the annual
tables' estimates of the total stay independent (the publication's total combines them as such).
The monthly type of exploitation is not reused: the types counted of a person with more than
the bound are drawn afresh in each publication, so the month and the year count different things.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Context, Decimal

from hub.reports.persons import MULTI


@dataclass(frozen=True)
class StandardReport:
    id: str
    title: str  # what is counted; the page adds the period
    dimensions: tuple[str, ...]  # names from hub.reports.dimensions, or "month"; the first is the margin fitted first
    weight: Decimal  # share of the publication's rho (see ANNUAL and MONTHLY)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    overlap: bool = False  # the overlap of partners' lists instead of a table of dimensions
    reuses: tuple[str, ...] = ()  # an annual table: the monthly tables whose twelve measurements it combines


TOTAL = "persons-total"

# The annual split of rho, in one place. What the year's tables are for: the cells a reader would
# quote, those CTDC would publish (10 persons or more), told apart from nobody. A cell is that
# once its count exceeds about twice its standard deviation, and the variance of a cell is
# sensitivity^2 / (2 rho): so rho buys most where many such cells lie near that threshold, and
# little where a table's few numbers are large already or hopelessly small. Hence:
# - the detail: type of exploitation x gender x age (480 cells, a person counts in up to three
#   types, so each cell needs three times the rho of a country's for the same precision) 0.24;
#   each country table (250 cells, the few that hold people spread over tens of countries) 0.17,
#   the two alike, as nothing public says which is more concentrated; month x region (288 cells)
#   0.18, to which the twelve months' region and total measurements add about as much again
#   (see ``reuses``);
# - the short lists, whose cells hold hundreds: means of control 0.07 (sensitivity 2), the
#   forced-labour industries 0.05;
# - the few large numbers: the total 0.05 (every table of persons estimates it too, so the
#   year's total stays within about 1.5 % at 1,500 persons), domestic / cross-border 0.03 (three
#   cells, and the months' measurements of it), the partners' overlap 0.04 (at most 255
#   histories, which capture-recapture models pool).
# Measured on the demo's synthetic persons (bench/utility.py, 1,500 persons, default budget), a
# split fitted to those very persons would make about 55 % of the CTDC cells usable, this one
# about 52 %; making 75 % usable needs about three times the year's rho (an epsilon of about
# 1.5 for the year's tables alone, against 0.83): the month x region cells hold 10 to 20
# persons, and the whole lifetime budget of a cohort on one cell gives it a standard deviation
# of 5.
ANNUAL = (
    StandardReport(TOTAL, "Persons identified", (), Decimal("0.05")),
    StandardReport("persons-by-country-of-exploitation", "Persons identified by country of exploitation",
                   ("country_of_exploitation",), Decimal("0.17")),
    StandardReport("persons-by-citizenship", "Persons identified by citizenship", ("citizenship",), Decimal("0.17")),
    StandardReport("persons-by-exploitation-gender-age", "Persons by type of exploitation, gender and age band",
                   ("type_of_exploitation", "gender", "age_band"), Decimal("0.24")),
    StandardReport("persons-by-forced-labour-industry",
                   "Persons in forced labour by industry (persons whose types of exploitation include forced labour)",
                   ("forced_labour_industry",), Decimal("0.05"), filters={"type_of_exploitation": ("ForcedLabour",)}),
    StandardReport("persons-by-means-of-control", "Persons by means of control used by traffickers",
                   ("means_of_control",), Decimal("0.07")),
    StandardReport("domestic-vs-cross-border", "Persons exploited in their own country or across a border",
                   ("border",), Decimal("0.03"), reuses=("domestic-vs-cross-border",)),
    StandardReport("new-persons-by-month-and-region", "Newly identified persons by month and region of exploitation",
                   ("month", "region"), Decimal("0.18"), reuses=(TOTAL, "persons-by-region")),
    StandardReport("partner-overlap", "Overlap of partners' lists (persons by the set of partners that reported them)",
                   (), Decimal("0.04"), overlap=True),
)

# The monthly split: the total and four one-dimensional margins, each a few large cells. The
# type of exploitation counts a person up to three times (sensitivity sqrt(3)), so it gets a
# little more; the total is also estimated by the three tables of persons, so it needs no more.
# The month's total and region measurements are also the year's month x region rows (and its
# border measurement a twelfth of the year's border), see ``reuses``. Moving rho from the month's
# total and gender to its region (0.15, 0.15, 0.30) would make about 1 % more of the year's CTDC
# cells usable but widen the month's total from +-32 to +-36 persons: the month keeps its split.
MONTHLY = (
    StandardReport(TOTAL, "Persons identified", (), Decimal("0.20")),
    StandardReport("persons-by-gender", "Persons identified by gender", ("gender",), Decimal("0.20")),
    StandardReport("persons-by-type-of-exploitation", "Persons identified by type of exploitation",
                   ("type_of_exploitation",), Decimal("0.25")),
    StandardReport("persons-by-region", "Persons identified by region of exploitation", ("region",), Decimal("0.20")),
    StandardReport("domestic-vs-cross-border", "Persons exploited in their own country or across a border",
                   ("border",), Decimal("0.15")),
)
STANDARD_REPORTS = ANNUAL + tuple(r for r in MONTHLY if r.id not in {a.id for a in ANNUAL})

# Share of a table's rho that the margins above its cells take together (privacy.dp.release).
MARGIN_SHARE = Decimal("0.3")
_DOWN = Context(prec=28, rounding=ROUND_FLOOR)


def check_reuses() -> None:
    """Refuse a reuse that would not measure what the annual table counts, or that two tables share."""
    monthly = {r.id: r for r in MONTHLY}
    seen: set[str] = set()
    for report in ANNUAL:
        for reused in report.reuses:
            source = monthly[reused]
            if reused in seen:
                raise ValueError(f"monthly table {reused} is reused twice: the annual totals would be correlated")
            seen.add(reused)
            if not set(source.dimensions) <= set(report.dimensions) - {"month", "year"}:
                raise ValueError(f"{reused} is not a margin of {report.id}")
            if source.filters or report.filters or any(d in MULTI for d in (*source.dimensions, *report.dimensions)):
                raise ValueError(f"{reused} and {report.id} must count each person once, without filters")


def reports_of(period: str) -> tuple[StandardReport, ...]:
    """The tables of a monthly or an annual publication."""
    return ANNUAL if len(period) == 4 else MONTHLY


def table_rhos(tables: tuple[StandardReport, ...] | list[StandardReport], publication_rho: Decimal) -> list[Decimal]:
    """Each table's rho: its weight among the tables published (an overlap may be left out), rounded down.

    >>> rhos = table_rhos(MONTHLY, Decimal("0.0045"))
    >>> rhos[0], sum(rhos) <= Decimal("0.0045")
    (Decimal('0.0009'), True)
    """
    weights = sum(t.weight for t in tables)
    return [_DOWN.divide(_DOWN.multiply(publication_rho, t.weight), weights) for t in tables]


def period_text(period: str) -> str:
    """A period as a reader writes it: "2025", "March 2025".

    >>> period_text("2025-03"), period_text("2025")
    ('March 2025', '2025')
    """
    if len(period) == 4:
        return period
    return f"{calendar.month_name[int(period[5:])]} {period[:4]}"


def cohorts_of(period: str) -> list[str]:
    """The cohorts (months) a report period covers: itself, or the twelve months of a year."""
    if len(period) == 4:
        return [f"{period}-{month:02d}" for month in range(1, 13)]
    return [period]
