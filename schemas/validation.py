"""Checks of an upload row: the coarsened form that leaves the partner and that the hub stores.

Messages never repeat the offending value: a misplaced column could hold a name, and these
messages travel to the hub and into receipts.
"""

from __future__ import annotations

import re
from datetime import date

from schemas.loader import Schema, UploadField

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _allowed(schema: Schema, f: UploadField) -> str:
    values = schema.enumerations[f.enumeration].values
    shown = ", ".join(values[:12]) + (", ..." if len(values) > 12 else "")
    return f"expected one of {shown}"


def check_upload_value(schema: Schema, f: UploadField, value, period: str, today: date) -> str | None:
    """The message for a bad value of upload field ``f``, or None when it is valid."""
    if value is None:
        return "is required" if f.required else None
    if f.type == "month":
        if not isinstance(value, str) or not MONTH.match(value):
            return "must be a month written YYYY-MM"
        if value > today.strftime("%Y-%m"):
            return "is in the future"
        if value > period:
            return f"is after the submission period {period}"
        if value < "1990-01":
            return "is before 1990, which is not plausible for a case registration"
        return None
    values = schema.enumerations[f.enumeration].values
    if f.multiple:
        if not isinstance(value, list) or not value:
            return "must be a non-empty list of values"
        if len(set(value)) != len(value):
            return "lists a value twice"
        if any(v not in values for v in value):
            return f"holds a value that is not recognised; {_allowed(schema, f)}"
        return None
    if value not in values:
        return f"is not a recognised value; {_allowed(schema, f)}"
    return None


def check_upload_fields(schema: Schema, fields: dict, period: str, today: date) -> list[tuple[str, str]]:
    """All (field, message) problems of one upload row; an empty list when it is valid.

    >>> from schemas import load_schema
    >>> schema = load_schema("case-v1")
    >>> check_upload_fields(schema, {"registration_month": "2026-01", "gender": "Female"},
    ...                     "2026-01", date(2026, 2, 1))
    []
    >>> check_upload_fields(schema, {"registration_month": "2026-01", "given_name": "x", "Fatima": "x"},
    ...                     "2026-01", date(2026, 2, 1))
    [('given_name', 'is not a field of case-v1 that may be uploaded'), ('fields', 'holds 1 key(s) that are not fields of case-v1')]
    """
    known = {f.name for f in schema.fields}
    unknown = [name for name in fields if name not in schema.upload_field_names]
    # A schema field (an identifier, say) is named; any other key is only counted, since a key
    # that is not a field name could be anything, a value included.
    problems = [(name, f"is not a field of {schema.id} that may be uploaded") for name in unknown if name in known]
    strangers = sum(1 for name in unknown if name not in known)
    if strangers:
        problems.append(("fields", f"holds {strangers} key(s) that are not fields of {schema.id}"))
    for f in schema.upload_fields:
        message = check_upload_value(schema, f, fields.get(f.name), period, today)
        if message:
            problems.append((f.name, message))
    return problems
