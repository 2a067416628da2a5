"""Making a release: reserve the budget, compute once with OpenDP, store immutably, record the spend.

All of it happens in the caller's transaction: the budget accounts are locked and debited before
the data is touched; if the computation or the storage fails, the transaction rolls back and
nothing is spent or stored. A stored release is served as stored ever after.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

import polars as pl
from sqlalchemy import func
from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.budget.service import record_spend, reserve
from hub.config import get_settings
from hub.errors import InvalidRequest
from hub.models import Organisation, Release, Submission
from hub.reports.definitions import MARGIN_SHARE, MONTHLY, cohorts_of
from hub.reports.dimensions import DimensionInfo, bound_note, code_label, dp_dimension
from hub.releases.snapshot import commit_snapshot, new_nonce
from hub.reports.persons import person_frame
from hub.reports.reuse import measurements_record
from hub.signing import sign
from privacy.dp.budget import epsilon_text, rho_to_epsilon
from privacy.dp.consistency import Measurement, combine, half_width, round_total
from privacy.dp.overlap import MAX_PARTNERS, make_overlap_release
from privacy.dp.release import PublishedTotal, expected_variances, finish_table, measure_table
from privacy.dp.tables import TableQuery

DATASET = "case-v1"


def content_hash(release: Release) -> str:
    """SHA-256 of the canonical JSON of what a release serves (see ``ReleasePublic.content_hash``)."""
    content = {
        "id": release.id, "kind": release.kind, "report": release.report, "title": release.title,
        "period": release.period, "cohorts": release.cohorts, "parameters": release.parameters,
        "mechanism": release.mechanism, "cells": release.cells, "snapshot": release.snapshot,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _entry(cell, key: dict[str, str], kind: str) -> dict:
    return {
        "key": key,
        "kind": kind,
        "value": cell.value,
        "estimate": round(cell.estimate, 2),
        "ci90": list(cell.interval(0.10)),
        "ci95": list(cell.interval(0.05)),
        "ci99": list(cell.interval(0.01)),
        "too_noisy": cell.too_noisy,
    }


def _cells(result, names: list[str]) -> list[dict]:
    """Every published number: the cells, then each margin, then the total (``kind`` says which)."""
    entries = [_entry(cell, dict(zip(names, cell.keys, strict=True)), "cell") for cell in result.cells]
    for kept, margin in result.margins.items():
        entries += [_entry(cell, dict(zip(kept, cell.keys, strict=True)), "margin") for cell in margin]
    if names:
        entries.append(_entry(result.total, {}, "total"))
    return entries


def _mechanism(result, notes: list[str], plan: TablePlan, measured) -> dict:
    extra = {}
    if plan.keep_measurements and measured is not None:
        extra["measurements"] = measurements_record(measured)
    if plan.reuse_record:
        extra["reused"] = list(plan.reuse_record)
    return extra | {
        "description": f"{result.mechanism}. Contributions: {result.contributions}. "
        f"Post-processing: {result.post_processing}.",
        "notes": notes,
        "intervals": "derived (exact variance of the least-squares step), checked by simulation after rounding",
        "sigma": result.sigma,
        "l2_sensitivity": result.sensitivity,
        "levels": [{"dimensions": list(level.dimensions), "sigma": level.sigma, "l2_sensitivity": level.sensitivity,
                    "rho": str(level.rho)} for level in result.levels],
        "rho": str(result.rho),
        "rho_by_opendp_map": str(result.rho_map),
    }


def _reporting_partners(session: Session, cohorts: list[str]) -> dict[str, str]:
    """The organisations with an accepted submission for these months, by id: the overlap's key set.

    Which organisations submitted is public (the register of partners), not a fact about anyone.
    """
    rows = session.exec(
        select(Organisation.id, Organisation.name)
        .join(Submission, Submission.organisation_id == Organisation.id)
        .where(Submission.period.in_(cohorts), Submission.status == "accepted")
        .distinct()
    ).all()
    if not rows:
        raise InvalidRequest("no partner submitted for these months; there is no overlap to release")
    if len(rows) > MAX_PARTNERS:
        raise InvalidRequest(f"{len(rows)} partners submitted; an overlap table covers at most {MAX_PARTNERS}")
    return dict(rows)


def _data_as_of(session: Session):
    return session.exec(select(func.max(Submission.linked_at))).one()


@dataclass(frozen=True)
class TablePlan:
    """One table of a publication (or a single custom table): what it shows and the rho it may spend."""

    report: str
    title: str
    dimensions: list[DimensionInfo]
    filters: dict[str, list[str]]
    rho: Decimal
    overlap: bool = False
    # Kept on the release: its own noisy measurements (a month's, which the year reuses).
    keep_measurements: bool = False
    # Earlier releases' measurements of this table's margins to combine, and the record of them.
    reused: tuple[Measurement, ...] = ()
    reuse_record: tuple[dict, ...] = ()


def table_query(plan: TablePlan) -> TableQuery:
    """The privacy core's query of a plan."""
    return TableQuery(tuple(dp_dimension(d) for d in plan.dimensions), {k: tuple(v) for k, v in plan.filters.items()})


def _notes(plan: TablePlan) -> list[str]:
    """What a reader must know to read the table: the bounds on multi-valued dimensions, the filter."""
    notes = [bound_note(d.name) for d in plan.dimensions if d.multi]
    if any(d.multi for d in plan.dimensions):
        notes.append("So a person may count in several rows, and the total counts a person once for each of theirs.")
    for column, allowed in plan.filters.items():
        notes.append(f"Only persons whose {column.replace('_', ' ')} includes {', '.join(code_label(a) for a in allowed)}.")
    titles = {r.id: r.title.lower() for r in MONTHLY}
    combined = list(dict.fromkeys(titles[r["monthly_report"]] for r in plan.reuse_record if r["reused"]))
    if combined:
        notes.append(f"Besides its own measurements, this table combines those the twelve monthly publications made of "
                     f"{' and '.join(combined)}, each weighted by its precision; its intervals account for both.")
    return notes


def make_release(
    session: Session,
    *,
    kind: str,
    report: str,
    title: str,
    period: str | None,
    cohorts: list[str],
    dimensions: list[DimensionInfo],
    filters: dict[str, list[str]],
    rho: Decimal,
    purpose: str,
    overlap: bool = False,
    persons: pl.DataFrame | None = None,
    extra_parameters: dict | None = None,
) -> Release:
    """Compute, store and pay for one release on its own (see module docstring); ``extra_parameters``
    are stored, signed and served with its parameters (a publication's completeness)."""
    plan = TablePlan(report, title, dimensions, filters, rho, overlap)
    return make_publication(session, kind=kind, period=period, cohorts=cohorts, tables=[plan], purpose=purpose,
                            persons=persons, extra_parameters=extra_parameters, shared_total=False)[0]


def make_publication(
    session: Session,
    *,
    kind: str,
    period: str | None,
    cohorts: list[str],
    tables: list[TablePlan],
    purpose: str,
    persons: pl.DataFrame | None = None,
    extra_parameters: dict | None = None,
    shared_total: bool = True,
    rng: np.random.Generator | None = None,
) -> list[Release]:
    """Compute, store and pay for the tables of one publication, consistent with each other.

    Every table's budget is reserved before the data is read. With ``shared_total``, every table
    that counts each person once adds up to one total of persons: the inverse-variance mean of
    each such table's own (independent) estimate of it, rounded without bias once (post-processing).
    """
    accounts = [reserve(session, DATASET, cohorts, purpose, plan.rho) for plan in tables]
    frame = persons if persons is not None else person_frame(session)
    subset = frame.filter(pl.col("cohort").is_in(cohorts))
    rng = rng if rng is not None else np.random.default_rng()
    measured, results = {}, {}
    for i, plan in enumerate(tables):
        if plan.overlap:
            partners = _reporting_partners(session, cohorts)
            results[i] = make_overlap_release(subset, tuple(sorted(partners)), plan.rho)
        else:
            measured[i] = measure_table(subset, table_query(plan), plan.rho, margin_share=MARGIN_SHARE, rng=rng,
                                        reused=plan.reused)
    of_persons = [i for i, table in measured.items() if table.counts_persons_once]
    total = None
    if shared_total and of_persons:
        estimate, variance = combine([(measured[i].estimate.total, measured[i].estimate.total_variance)
                                      for i in of_persons])
        total = PublishedTotal(round_total(estimate, rng), estimate, variance)
    for i, table in measured.items():
        results[i] = finish_table(table, total if i in of_persons else None, rng=rng)
    releases = []
    for i, plan in enumerate(tables):
        releases.append(_store(session, kind=kind, period=period, cohorts=cohorts, purpose=purpose, plan=plan,
                               result=results[i], measured=measured.get(i), subset=subset,
                               extra_parameters=extra_parameters))
        record_spend(session, accounts[i], plan.rho, releases[-1].id)
    return releases


def _store(session, *, kind, period, cohorts, purpose, plan: TablePlan, result, measured, subset,
           extra_parameters) -> Release:
    delta = get_settings().privacy_delta
    if plan.overlap:
        partners = _reporting_partners(session, cohorts)
        cells = _cells(result, list(result.dimensions))
        for cell in cells:
            if cell["kind"] == "cell":
                reported_by = sorted(partners[p] for p, flag in cell["key"].items() if flag == "1")
                cell["key"] = {"partners": " + ".join(reported_by)}
        if cells[-1]["kind"] != "total":
            cells.append(_entry(result.total, {}, "total"))
        dimension_info = [{"name": "partners", "label": "Reported by exactly these partners"}]
    else:
        cells = _cells(result, [d.name for d in plan.dimensions])
        dimension_info = [{"name": d.name, "label": d.label, "key_labels": dict(d.labels)} for d in plan.dimensions]
    nonce = new_nonce()
    release = Release(
        kind=kind, report=plan.report, title=plan.title, period=period, dataset=DATASET, cohorts=sorted(cohorts),
        parameters={
            "dimensions": dimension_info, "filters": plan.filters, "statistic": "count", "purpose": purpose,
            "rho": str(plan.rho), "epsilon": epsilon_text(rho_to_epsilon(plan.rho, delta)), "delta": str(delta),
            **(extra_parameters or {}),
        },
        mechanism=_mechanism(result, _notes(plan), plan, measured),
        cells=cells,
        snapshot=commit_snapshot(subset, nonce, get_settings().snapshot_secret),
        snapshot_nonce=nonce,
        data_as_of=_data_as_of(session),
    )
    release.content_hash = content_hash(release)
    release.signature = sign({"release_id": release.id, "content_hash": release.content_hash}, "hub-release+jws")
    session.add(release)
    session.flush()
    record(session, AuditEvent.release_computed, subject=release.id, kind=kind, report=plan.report, period=period,
           cohorts=release.cohorts, purpose=purpose, epsilon=release.parameters["epsilon"], delta=str(delta))
    return release


def expected_halfwidths(period: str, alpha: float = 0.05,
                        reused: dict[str, tuple[Measurement, ...]] | None = None) -> dict[str, dict[str, float]]:
    """Before publishing ``period``: per standard table, the expected ± half-width of each kind of number.

    Keys of the inner dict: ``"cells"``, ``"total"`` and ``"margin: a x b"``. It depends only on
    the budget (the rho the publication may spend), the tables' bounds and the split of rho, never
    on the data. The total of a table of persons is the publication's (all its tables' together).
    ``reused``: per annual table, the months' measurements it will combine (their variances count).
    """
    reused = reused or {}
    from hub.reports.definitions import reports_of, table_rhos
    from hub.reports.dimensions import catalogue, time_dimension
    from hub.reports.service import publication_rho

    reports = reports_of(period)
    cohorts = cohorts_of(period)
    dimensions = catalogue()
    variances = {}
    for report, rho in zip(reports, table_rhos(reports, publication_rho(period))):
        infos = [time_dimension(n, cohorts) if n == "month" else dimensions[n] for n in report.dimensions]
        plan = TablePlan(report.id, report.title, infos, {k: list(v) for k, v in report.filters.items()}, rho)
        earlier = tuple((m.kept, m.variance) for m in reused.get(report.id, ()))
        query = table_query(plan)
        variances[report.id] = (query, expected_variances(query, rho, MARGIN_SHARE, reused=earlier))
    persons_tables = [v for q, v in variances.values() if not q.filters and not any(d.multi for d in q.dimensions)]
    shared = 1 / sum(1 / v[()] for v in persons_tables)
    result = {}
    for report_id, (query, by_kind) in variances.items():
        names = tuple(d.name for d in query.dimensions)
        of_persons = not query.filters and not any(d.multi for d in query.dimensions)
        result[report_id] = {}
        multi = {d.name for d in query.dimensions if d.multi}
        for kept, variance in by_kind.items():
            if kept and kept != names and not multi <= set(kept):
                continue  # not published: it would count a person once per value of a dimension it sums over
            if kept == ():
                variance = shared if of_persons else variance
                label = "total"
            else:
                label = "cells" if kept == names else "margin: " + " x ".join(kept)
                if of_persons:  # the shared total narrows every number's grand-mean part
                    n = math.prod(len(d.cell_keys) for d in query.dimensions)
                    dropped = n // math.prod(len(d.cell_keys) for d in query.dimensions if d.name in kept)
                    variance = variance - (dropped / n) ** 2 * (by_kind[()] - shared)
            result[report_id][label] = round(half_width(variance, alpha), 1)
    return result
