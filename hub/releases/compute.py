"""Making a release: reserve the budget, compute once with OpenDP, store immutably, record the spend.

All of it happens in the caller's transaction: the budget accounts are locked and debited before
the data is touched; if the computation or the storage fails, the transaction rolls back and
nothing is spent or stored. A stored release is served as stored ever after.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import polars as pl
from sqlalchemy import func
from sqlmodel import Session, select

from hub.budget.service import record_spend, reserve
from hub.config import get_settings
from hub.errors import InvalidRequest
from hub.models import Organisation, Release, Submission
from hub.reports.dimensions import DimensionInfo, dp_dimension
from hub.releases.snapshot import commit_snapshot, new_nonce
from hub.reports.persons import person_frame
from hub.signing import sign
from privacy.dp.budget import epsilon_text, rho_to_epsilon
from privacy.dp.overlap import MAX_PARTNERS, make_overlap_release
from privacy.dp.release import make_count_release
from privacy.dp.tables import TableQuery

DATASET = "case-v1"


def _content_hash(release: Release) -> str:
    content = {
        "id": release.id, "kind": release.kind, "report": release.report, "title": release.title,
        "period": release.period, "cohorts": release.cohorts, "parameters": release.parameters,
        "mechanism": release.mechanism, "cells": release.cells, "snapshot": release.snapshot,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _cells(result, names: list[str]) -> list[dict]:
    return [
        {
            "key": dict(zip(names, cell.keys, strict=True)),
            "value": cell.value,
            "ci90": list(cell.interval(0.10)),
            "ci95": list(cell.interval(0.05)),
            "ci99": list(cell.interval(0.01)),
            "too_noisy": cell.too_noisy,
        }
        for cell in result.cells
    ]


def _mechanism(result) -> dict:
    return {
        "description": f"{result.mechanism}. Contributions: {result.contributions}. "
        f"Post-processing: {result.post_processing}.",
        "sigma": result.sigma,
        "l2_sensitivity": result.sensitivity,
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
    """Compute, store and pay for one release (see module docstring); ``extra_parameters`` are
    stored, signed and served with its parameters (a publication's completeness)."""
    accounts = reserve(session, DATASET, cohorts, purpose, rho)
    frame = persons if persons is not None else person_frame(session)
    subset = frame.filter(pl.col("cohort").is_in(cohorts))
    delta = get_settings().privacy_delta
    if overlap:
        partners = _reporting_partners(session, cohorts)
        result = make_overlap_release(subset, tuple(sorted(partners)), rho)
        cells = _cells(result, list(result.dimensions))
        for cell in cells:
            reported_by = sorted(partners[p] for p, flag in cell["key"].items() if flag == "1")
            cell["key"] = {"partners": " + ".join(reported_by)}
        dimension_info = [{"name": "partners", "label": "Reported by exactly these partners"}]
    else:
        query = TableQuery(tuple(dp_dimension(d) for d in dimensions),
                           {k: tuple(v) for k, v in filters.items()})
        result = make_count_release(subset, query, rho)
        cells = _cells(result, [d.name for d in dimensions])
        dimension_info = [{"name": d.name, "label": d.label, "key_labels": dict(d.labels)} for d in dimensions]
    nonce = new_nonce()
    release = Release(
        kind=kind, report=report, title=title, period=period, dataset=DATASET, cohorts=sorted(cohorts),
        parameters={
            "dimensions": dimension_info, "filters": filters, "statistic": "count", "purpose": purpose,
            "rho": str(rho), "epsilon": epsilon_text(rho_to_epsilon(rho, delta)), "delta": str(delta),
            **(extra_parameters or {}),
        },
        mechanism=_mechanism(result),
        cells=cells,
        snapshot=commit_snapshot(subset, nonce, get_settings().snapshot_secret),
        snapshot_nonce=nonce,
        data_as_of=_data_as_of(session),
    )
    release.content_hash = _content_hash(release)
    release.signature = sign({"release_id": release.id, "content_hash": release.content_hash}, "hub-release+jws")
    session.add(release)
    session.flush()
    record_spend(session, accounts, rho, release.id)
    return release
