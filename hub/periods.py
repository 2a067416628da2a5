"""Months that a request may name: a submission's period, a cohort, a report's month.

A month is ``YYYY-MM`` within a window the settings set (``earliest_period`` to a month or so past
the current one), so that 0000-01 or 9999-12 never reaches the database, the budget ledger or a
report as a month of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from hub.config import get_settings

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
# The time zone furthest ahead (UTC+14, the Line Islands): a month has begun somewhere once it has
# begun there, so a partner on its own first of the month is never told that its month lies ahead.
FURTHEST_AHEAD = timezone(timedelta(hours=14))


def current_month_anywhere(now: datetime | None = None) -> str:
    """The latest month that has begun somewhere on Earth: the last one a submission may cover.

    >>> current_month_anywhere(datetime(2026, 11, 30, 9, 59, tzinfo=UTC))
    '2026-11'
    >>> current_month_anywhere(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    '2026-12'
    """
    return (now or datetime.now(UTC)).astimezone(FURTHEST_AHEAD).strftime("%Y-%m")


def latest_period(now: datetime | None = None) -> str:
    """The last month a request may name: the current month (UTC) plus the configured months ahead."""
    now = now or datetime.now(UTC)
    months = now.year * 12 + now.month - 1 + get_settings().latest_period_months_ahead
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def check_period(period: str) -> str:
    """``period`` if it lies in the window; a ValueError (a 422 naming the field) otherwise."""
    earliest, latest = get_settings().earliest_period, latest_period()
    if not earliest <= period <= latest:
        raise ValueError(f"must be a month from {earliest} to {latest}")
    return period


Period = Annotated[str, StringConstraints(pattern=MONTH_PATTERN), AfterValidator(check_period)]
