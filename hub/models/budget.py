"""The privacy budget: an account per dataset, cohort and purpose, and its append-only ledger.

Amounts are zCDP's rho as exact decimals. An account is debited only inside the transaction that
stores the release it pays for, after a row lock on the account, so that two approvals can never
overdraw it together and a failed release spends nothing.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Numeric, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from hub.models.base import utcnow


class ExactDecimal(TypeDecorator):
    """A decimal stored exactly: NUMERIC(38, 24) on PostgreSQL, text on SQLite (whose numbers are floats)."""

    impl = String(50)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(precision=38, scale=24))
        return dialect.type_descriptor(String(50))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return Decimal(value) if dialect.name == "postgresql" else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


RHO = ExactDecimal()


class BudgetPurpose(StrEnum):
    reports = "reports"  # the standard monthly and annual reports
    research = "research"  # researchers' custom releases, approved by a steward


class BudgetAccount(SQLModel, table=True):
    __tablename__ = "budget_account"

    dataset: str = Field(primary_key=True, max_length=40)
    cohort: str = Field(primary_key=True, max_length=7)
    purpose: str = Field(primary_key=True, max_length=20)
    total_rho: Decimal = Field(sa_column=Column(RHO, nullable=False))
    spent_rho: Decimal = Field(default=Decimal(0), sa_column=Column(RHO, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class BudgetEntry(SQLModel, table=True):
    """One debit: which release spent how much rho of which account. Never updated or deleted."""

    __tablename__ = "budget_entry"

    id: int | None = Field(default=None, primary_key=True)
    dataset: str = Field(max_length=40)
    cohort: str = Field(max_length=7, index=True)
    purpose: str = Field(max_length=20)
    release_id: str = Field(foreign_key="release.id", index=True, max_length=32)
    rho: Decimal = Field(sa_column=Column(RHO, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
