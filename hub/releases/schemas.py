"""Bodies of the release-requests API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hub.periods import Period

# A dimension's name and keys are short codes (GET /v1/dimensions); the largest key set is the
# countries' (about 250), so a filter never needs more values than that.
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
MAX_FILTER_VALUES = 300


class ReleaseRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimensions: list[Code] = Field(min_length=1, max_length=3, description="Up to three dimensions (see GET /v1/dimensions).")
    filters: dict[Code, Annotated[list[Code], Field(min_length=1, max_length=MAX_FILTER_VALUES)]] = Field(
        default_factory=dict, max_length=8, description="Dimension -> the values to keep."
    )
    cohorts: list[Period] = Field(min_length=1, max_length=60, description="Months of first identification to cover.")
    statistic: Literal["count"] = Field("count", description="Counts of persons (the only statistic for now).")
    epsilon: Decimal = Field(ge=Decimal("0.001"), le=5, description="Privacy loss asked for, at the hub's delta; spent from each cohort.")
    purpose: str = Field(min_length=10, max_length=2000, description="What the table is for, for the steward.")


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=2000, description="Why: shown to the researcher.")


class CohortCost(BaseModel):
    cohort: str
    remaining_epsilon: str = Field(description="Research budget left in this cohort, before this request.")
    affordable: bool


class ReleaseRequestPublic(BaseModel):
    id: str
    status: str = Field(description="pending, approved or rejected.")
    dimensions: list[str]
    filters: dict[str, list[str]]
    cohorts: list[str]
    statistic: str
    epsilon: str
    delta: str
    purpose: str
    cells: int = Field(description="Number of cells of the table (all released, zeros included).")
    expected_error: dict[str, float] = Field(
        description="± error of every cell at 90, 95 and 99 % confidence; it depends on epsilon and the bounds, "
        "not on the data."
    )
    cost: list[CohortCost]
    reason: str | None
    release_id: str | None = Field(description="The release, once approved.")
    created_at: datetime
    decided_at: datetime | None
