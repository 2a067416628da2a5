"""The year's publication reusing its months' measurements: read, checked, set in the year's axes.

A monthly standard table keeps its noisy measurements on its release (``mechanism["measurements"]``:
each level's dimensions, keys, noisy values and noise variance). An annual table that
``reuses`` it (:mod:`hub.reports.definitions`) takes the twelve months' measurements as
measurements of one of its own margins: stacked as rows by month when the annual table has a
month dimension, else summed over the months (their variances add). They enter its weighted
least squares (:func:`privacy.dp.release.measure_table`) with their variances, so the intervals
account for them exactly.

Privacy: the monthly measurements are outputs of the monthly releases, paid for by each month's
cohort when it was published; combining them is post-processing and spends nothing more. Each
month's persons are disjoint from the other months', and the annual noise is drawn afresh, so
all the noises combined are independent. Whether a monthly table is reused depends only on what
was published (every month published, with its measurements kept, at one scale when stacked),
never on the data; the annual release records what it combined, or why it did not.

What is measured: a month's measurement counts the month's persons as they were when the month
was published; the annual one counts them as they are when the year is. Records sent after a
month was published (its completeness check makes that rare) enter the annual measurement only,
so where a month's persons changed in between, the combined estimate sits between the two
counts. Checking for such a change before reusing would itself publish whether a month changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, select

from hub.models import Release
from hub.reports.definitions import StandardReport, cohorts_of
from privacy.dp.consistency import Measurement
from privacy.dp.tables import TableQuery


@dataclass(frozen=True)
class Reused:
    """What an annual table combines from its months, and the record of it for the release."""

    measurements: tuple[Measurement, ...]
    record: tuple[dict, ...]


def measurements_record(measured) -> list[dict]:
    """A table's own noisy levels as a release keeps them, for a later publication to reuse."""
    query = measured.query
    return [
        {"dimensions": [query.dimensions[a].name for a in m.kept],
         "keys": [list(query.dimensions[a].cell_keys) for a in m.kept],
         "values": [int(v) for v in np.ravel(m.values)], "variance": m.variance}
        for m in measured.measurements
    ]


def reused_measurements(session: Session, year: str, report: StandardReport, query: TableQuery) -> Reused:
    """The measurements ``report`` (an annual table over ``query``) takes from the twelve months of ``year``."""
    from hub.releases.compute import content_hash

    months = cohorts_of(year)
    measurements, record = [], []
    for monthly_report in report.reuses:
        releases = {r.period: r for r in session.exec(
            select(Release).where(Release.kind == "standard", Release.report == monthly_report,
                                  Release.period.in_(months)))}
        missing = [m for m in months if m not in releases or "measurements" not in releases[m].mechanism]
        if missing:
            record.append({"monthly_report": monthly_report, "reused": False,
                           "reason": "not every month of the year was published with its measurements kept: "
                           + ", ".join(missing)})
            continue
        if any(content_hash(releases[m]) != releases[m].content_hash for m in months):
            raise RuntimeError("a stored monthly release does not match its content hash")
        for level in range(len(releases[months[0]].mechanism["measurements"])):
            found, reason = in_year_axes(query, [releases[m].mechanism["measurements"][level] for m in months])
            entry = {"monthly_report": monthly_report,
                     "releases": [{"period": m, "id": releases[m].id, "content_hash": releases[m].content_hash}
                                  for m in months]}
            if found is None:
                record.append(entry | {"reused": False, "reason": reason})
                continue
            measurements.append(found)
            record.append(entry | {"reused": True, "margin": [query.dimensions[a].name for a in found.kept],
                                   "combined": reason, "variance": found.variance})
    return Reused(tuple(measurements), tuple(record))


def in_year_axes(query: TableQuery, by_month: list[dict]) -> tuple[Measurement | None, str]:
    """The twelve months' measurements of one level as one measurement of the annual table, or why not."""
    names = [d.name for d in query.dimensions]
    level_names = by_month[0]["dimensions"]
    if any(m["dimensions"] != level_names or m["keys"] != by_month[0]["keys"] for m in by_month):
        return None, "the months measured different dimensions or keys"
    year_keys = [list(query.dimensions[names.index(n)].cell_keys) for n in level_names]
    if year_keys != by_month[0]["keys"]:
        return None, "the months' keys differ from the year's"
    shape = [len(keys) for keys in by_month[0]["keys"]]
    values = np.stack([np.reshape(np.asarray(m["values"], dtype=float), shape) for m in by_month])
    if "month" in names:
        if len({m["variance"] for m in by_month}) != 1:
            return None, "the months were measured at different scales, so their rows cannot be one measurement"
        axes, variance, how = ["month", *level_names], by_month[0]["variance"], "stacked as rows by month"
    else:
        axes, values = list(level_names), values.sum(axis=0)
        variance, how = float(sum(m["variance"] for m in by_month)), "summed over the twelve months"
    kept = tuple(sorted(names.index(n) for n in axes))
    values = np.transpose(values, [axes.index(names[a]) for a in kept]) if kept else values
    return Measurement(kept, np.reshape(values, [len(query.dimensions[a].cell_keys) for a in kept]), variance), how
