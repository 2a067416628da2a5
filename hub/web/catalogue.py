"""The catalogue of published reports: grouped by period, filtered by year and by theme."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from hub.models import Release
from hub.reports import service

# What a reader looks for, per standard report (hub.reports.definitions): a report not named
# here is listed under "other", so a new report is never hidden by a missing entry.
THEMES = {
    "overview": ("Overview", ("persons-total", "new-persons-by-month-and-region", "partner-overlap")),
    "places": ("Countries and regions", ("persons-by-country-of-exploitation", "persons-by-citizenship",
                                         "persons-by-region", "domestic-vs-cross-border")),
    "exploitation": ("Exploitation and control", ("persons-by-exploitation-gender-age",
                                                  "persons-by-type-of-exploitation", "persons-by-forced-labour-industry",
                                                  "persons-by-means-of-control")),
    "people": ("Who the persons are", ("persons-by-gender",)),
}
OTHER = "other"


def theme_of(report: str) -> str:
    return next((theme for theme, (_, reports) in THEMES.items() if report in reports), OTHER)


def theme_names() -> dict[str, str]:
    return {theme: name for theme, (name, _) in THEMES.items()} | {OTHER: "Other"}


@dataclass(frozen=True)
class Catalogue:
    periods: list[tuple[str, list[Release]]]  # newest first
    years: list[str]
    year: str | None
    theme: str | None


def catalogue(session: Session, year: str | None, theme: str | None) -> Catalogue:
    published = service.list_reports(session)
    years = sorted({r.period[:4] for r in published if r.period}, reverse=True)
    by_period: dict[str, list[Release]] = {}
    for release in published:
        if year and (release.period or "")[:4] != year:
            continue
        if theme and theme_of(release.report) != theme:
            continue
        by_period.setdefault(release.period or "", []).append(release)
    return Catalogue(list(by_period.items()), years, year, theme)
