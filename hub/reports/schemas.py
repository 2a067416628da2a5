"""Bodies of the reports and budget API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ReportSummary(BaseModel):
    id: str
    report: str = Field(description="Which standard report this is.")
    title: str
    period: str | None
    epsilon: str = Field(description="Privacy loss of this table, as epsilon at the stated delta.")
    delta: str
    created_at: datetime


class Cell(BaseModel):
    key: dict[str, str] = Field(description="The cell's value of each dimension it keeps (a margin keeps some, the total none).")
    kind: str = Field("cell", description="cell, margin (a sum over the dimensions it does not name) or total.")
    value: int = Field(description="Count of persons after noise and post-processing: whole, never negative, "
                       "and cells add up to their margins and the total.")
    estimate: float | None = Field(None, description="The unbiased least-squares estimate behind the value "
                                   "(may be fractional or negative); sums of estimates are unbiased.")
    ci90: list[int] = Field(description="90 % interval [low, high].")
    ci95: list[int] = Field(description="95 % interval [low, high].")
    ci99: list[int] = Field(description="99 % interval [low, high].")
    too_noisy: bool = Field(description="The 95 % interval includes zero: not told apart from nobody.")


class ReleasePublic(BaseModel):
    id: str
    kind: str
    report: str
    title: str
    period: str | None
    cohorts: list[str] = Field(description="Months of first identification the table covers.")
    parameters: dict = Field(description="Dimensions, filters, statistic, rho, epsilon and delta.")
    mechanism: dict = Field(description="How the noise was added, with its scale and the bounds on each person.")
    cells: list[Cell]
    data_as_of: datetime | None
    snapshot: str = Field(
        description="Keyed commitment (HMAC-SHA256 under the hub's snapshot key, with a random nonce kept by the hub) "
        "to the linked data the table was computed on: it reveals nothing about the data to readers; the hub or "
        "an auditor holding the key can check the table against the data."
    )
    content_hash: str = Field(
        description="SHA-256 of the canonical JSON (keys sorted, no spaces) of id, kind, report, title, period, "
        "cohorts, parameters, mechanism, cells and snapshot as served: the same numbers forever."
    )
    signature: str = Field(
        description="Compact JWS (ES256, key at /.well-known/jwks.json) over {release_id, content_hash}."
    )
    created_at: datetime


class BudgetLine(BaseModel):
    dataset: str
    cohort: str
    purpose: str = Field(description="reports (standard reports) or research (approved custom releases).")
    total_epsilon: str
    spent_epsilon: str
    remaining_epsilon: str
    used_share: str = Field(description="Share of the budget spent, in rho (which adds up; epsilon does not).")
    delta: str
    total_rho: str
    spent_rho: str
    remaining_rho: str
