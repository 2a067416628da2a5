"""Coarsening of quasi-identifiers, done on the partner's machine before upload."""

from __future__ import annotations

import bisect
from datetime import date

from schemas.loader import Schema


def age_band(schema: Schema, age: int) -> str:
    """CTDC's age band for an age in whole years.

    >>> from schemas import load_schema
    >>> [age_band(load_schema(), a) for a in (0, 8, 9, 17, 18, 29, 30, 47, 48, 99)]
    ['0-8', '0-8', '9-17', '9-17', '18-20', '27-29', '30-38', '39-47', '48+', '48+']
    """
    bands = schema.enumerations["age_band"]
    if age < 0:
        raise ValueError("age must not be negative")
    return bands.values[bisect.bisect_right(bands.lower_bounds, age) - 1]


def age_at(birth: date, on: date) -> int:
    """Age in whole years on a given day.

    >>> age_at(date(2000, 3, 1), date(2026, 2, 28))
    25
    """
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def month_of(day: date) -> str:
    """The month of a date as YYYY-MM.

    >>> month_of(date(2026, 7, 14))
    '2026-07'
    """
    return f"{day.year:04d}-{day.month:02d}"
