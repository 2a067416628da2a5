"""The history of the budget's totals: every change a steward (or a migration) made, never rewritten."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from hub.models.base import utcnow
from hub.models.budget import RHO, ExactDecimal

REASON_MAX_LENGTH = 500


class BudgetChange(SQLModel, table=True):
    """One change of an account's lifetime total, in rho, with who made it and why. Append-only.

    The reason is the steward's own words for the other stewards and for auditors; no API serves it.
    """

    __tablename__ = "budget_change"

    id: int | None = Field(default=None, primary_key=True)
    dataset: str = Field(max_length=40)
    cohort: str = Field(max_length=7, index=True)
    purpose: str = Field(max_length=20)
    old_total_rho: Decimal = Field(sa_column=Column(RHO, nullable=False))
    new_total_rho: Decimal = Field(sa_column=Column(RHO, nullable=False))
    epsilon: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))  # the total as the steward asked it
    delta: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))  # the delta that epsilon is at
    changed_by: str = Field(max_length=200)
    reason: str = Field(max_length=REASON_MAX_LENGTH)
    created_at: datetime = Field(default_factory=utcnow, index=True)
