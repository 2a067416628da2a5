"""Checks of an upload row: the coarsened form that leaves the partner and that the hub stores.

A problem is a :class:`~schemas.row_problems.RowProblem` code, never text: it travels to the hub
and into receipts, and a misplaced column could hold a name.
"""

from __future__ import annotations

import re
from datetime import date

from schemas.loader import Schema, UploadField
from schemas.row_problems import RowProblem

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_upload_value(schema: Schema, f: UploadField, value, period: str, today: date) -> RowProblem | None:
    """The problem of a value of upload field ``f``, or None when it is valid."""
    if value is None:
        return RowProblem.REQUIRED if f.required else None
    if f.type == "month":
        if not isinstance(value, str) or not MONTH.match(value):
            return RowProblem.NOT_A_MONTH
        if value > today.strftime("%Y-%m"):
            return RowProblem.IN_FUTURE
        if value > period:
            return RowProblem.AFTER_PERIOD
        if value < "1990-01":
            return RowProblem.IMPLAUSIBLY_EARLY
        return None
    values = schema.enumerations[f.enumeration].values
    if f.multiple:
        if not isinstance(value, list) or not value:
            return RowProblem.EMPTY_LIST
        if len(set(value)) != len(value):
            return RowProblem.LISTED_TWICE
        if any(v not in values for v in value):
            return RowProblem.NOT_RECOGNISED
        return None
    if value not in values:
        return RowProblem.NOT_RECOGNISED
    return None


def check_upload_fields(schema: Schema, fields: dict, period: str, today: date) -> list[tuple[str, RowProblem]]:
    """All (field, problem) pairs of one upload row; an empty list when it is valid.

    >>> from schemas import load_schema
    >>> schema = load_schema("case-v1")
    >>> check_upload_fields(schema, {"registration_month": "2026-01", "gender": "Female"},
    ...                     "2026-01", date(2026, 2, 1))
    []
    >>> [(name, str(problem)) for name, problem in check_upload_fields(
    ...     schema, {"registration_month": "2026-01", "given_name": "x", "Fatima": "x"}, "2026-01", date(2026, 2, 1))]
    [('given_name', 'not_uploadable'), ('fields', 'unknown_keys')]
    """
    known = {f.name for f in schema.fields}
    unknown = [name for name in fields if name not in schema.upload_field_names]
    # A schema field (an identifier, say) is named; any other key is only counted, since a key
    # that is not a field name could be anything, a value included: it is flagged, never named.
    problems = [(name, RowProblem.NOT_UPLOADABLE) for name in unknown if name in known]
    if any(name not in known for name in unknown):
        problems.append(("fields", RowProblem.UNKNOWN_KEYS))
    for f in schema.upload_fields:
        problem = check_upload_value(schema, f, fields.get(f.name), period, today)
        if problem:
            problems.append((f.name, problem))
    return problems
