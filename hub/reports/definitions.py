"""The standard reports: which tables a monthly or annual publication holds.

A monthly report (period YYYY-MM) covers the persons first identified in that month; an annual
one (period YYYY) those first identified in any month of that year. A month holds few persons, so
its publication has only a few coarse tables (trend by region, type of exploitation by gender,
domestic or cross-border); the detailed tables (by country, by age band, by industry...) come
with the year, when twelve months of persons share the noise. Time dimensions (``year``,
``month``) take their keys from the period, so a monthly table has one month and an annual one
twelve.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardReport:
    id: str
    title: str
    dimensions: tuple[str, ...]  # names from hub.reports.dimensions, or "year" / "month"
    overlap: bool = False  # the overlap of partners' lists instead of a table of dimensions
    monthly: bool = False  # also in the monthly publication (every report is in the annual one)


STANDARD_REPORTS = (
    StandardReport("persons-by-country-of-exploitation", "Persons identified by country of exploitation and year",
                   ("country_of_exploitation", "year")),
    StandardReport("persons-by-citizenship", "Persons identified by citizenship and year", ("citizenship", "year")),
    StandardReport("persons-by-exploitation-gender-age", "Persons by type of exploitation, gender and age band",
                   ("type_of_exploitation", "gender", "age_band")),
    StandardReport("persons-by-exploitation-and-gender", "Persons by type of exploitation and gender",
                   ("type_of_exploitation", "gender"), monthly=True),
    StandardReport("persons-by-forced-labour-industry", "Persons in forced labour by industry",
                   ("forced_labour_industry",)),
    StandardReport("persons-by-means-of-control", "Persons by means of control used by traffickers",
                   ("means_of_control",)),
    StandardReport("domestic-vs-cross-border", "Domestic and cross-border exploitation by year", ("border", "year"),
                   monthly=True),
    StandardReport("new-persons-by-region-and-month", "Newly identified persons by month and region of exploitation",
                   ("month", "region"), monthly=True),
    StandardReport("partner-overlap", "Overlap of partners' lists (persons by the set of partners that reported them)",
                   (), overlap=True),
)


def reports_of(period: str) -> tuple[StandardReport, ...]:
    """The tables of a monthly or an annual publication."""
    return STANDARD_REPORTS if len(period) == 4 else tuple(r for r in STANDARD_REPORTS if r.monthly)


def cohorts_of(period: str) -> list[str]:
    """The cohorts (months) a report period covers: itself, or the twelve months of a year."""
    if len(period) == 4:
        return [f"{period}-{month:02d}" for month in range(1, 13)]
    return [period]
