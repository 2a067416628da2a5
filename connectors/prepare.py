"""Turning one source row into what may leave the partner's machine, or into row errors.

What leaves: the keyed hash of the case reference, the attributes, the coarsened
quasi-identifiers (age band, registration month) and the linkage tokens. What never leaves:
identifiers, exact dates and ages, free text. Error messages name the row and the field and
never repeat a value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from connectors.columns import ColumnPlan
from connectors.mapping import Mapping
from connectors.table import UnreadableRow
from connectors.values import ValueProblem, is_missing, parse_choice, parse_choices, parse_date, parse_whole_number
from privacy.payload import make_linkage_payload
from privacy.tokens import make_case_ref
from schemas.coarsen import age_at, age_band, month_of
from schemas.loader import Schema
from schemas.validation import check_upload_fields

_NAME_FIELDS = ("given_name", "family_name", "full_name", "document_number", "phone")
# A date of birth in or before this year is a registry's placeholder for "unknown".
_PLACEHOLDER_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class PrepareContext:
    """Everything a row's preparation depends on besides the row itself."""

    schema: Schema
    mapping: Mapping
    period: str  # YYYY-MM
    today: date
    linkage_secret: bytes

    @functools.cached_property
    def enumerated_fields(self) -> tuple:
        """The fields read through an enumeration: attributes, and document_country."""
        return tuple(f for f in self.schema.fields if f.type == "enum")


@dataclass
class PreparedRow:
    """The outcome for one row: an upload row, or the errors that keep it from being one."""

    row: int
    case_ref: str | None = None
    upload: dict | None = None
    errors: list[dict] = field(default_factory=list)

    def reject(self, field_name: str | None, message: str) -> None:
        self.errors.append({"row": self.row, "field": field_name, "message": message})
        self.upload = None


def _text(raw) -> str | None:
    """A cell as text, with whole numbers from workbooks written without a trailing .0."""
    if is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip() or None


def _period_end(period: str) -> date:
    year, month = map(int, period.split("-"))
    return date(year + month // 12, month % 12 + 1, 1)


def _dates(context: PrepareContext, source: dict, outcome: PreparedRow) -> tuple[date | None, date | None]:
    """The registration date and the usable date of birth, each checked."""
    registered = born = None
    if is_missing(source.get("registration_date")):
        outcome.reject("registration_date", "is required")
    else:
        try:
            registered = parse_date(source["registration_date"], context.mapping.date_format)
        except ValueProblem as problem:
            outcome.reject("registration_date", str(problem))
        if registered and registered > context.today:
            outcome.reject("registration_date", "is in the future")
        elif registered and registered >= _period_end(context.period):
            outcome.reject("registration_date", f"is after the end of the submission period {context.period}")
    if not is_missing(source.get("date_of_birth")):
        try:
            born = parse_date(source["date_of_birth"], context.mapping.date_format)
        except ValueProblem as problem:
            outcome.reject("date_of_birth", str(problem))
        if born and born > context.today:
            outcome.reject("date_of_birth", "is in the future")
            born = None
        elif born and registered and born > registered:
            outcome.reject("date_of_birth", "is after the registration date")
            born = None
        if born and born.year <= _PLACEHOLDER_BIRTH_YEAR:
            born = None
    return registered, born


def _age_band(context: PrepareContext, source: dict, registered, born, outcome: PreparedRow) -> str | None:
    age_field = context.schema.field("age")
    if not is_missing(source.get("age")):
        try:
            age = parse_whole_number(source["age"], age_field.minimum, age_field.maximum)
        except ValueProblem as problem:
            outcome.reject("age", str(problem))
            return None
        return age_band(context.schema, age)
    if born and registered:
        age = age_at(born, registered)
        if age > age_field.maximum:
            outcome.reject("date_of_birth", f"gives an age above {age_field.maximum} at registration")
            return None
        return age_band(context.schema, age)
    return None


def _stated_age(context: PrepareContext, source: dict) -> int | None:
    """The age column as a whole number (already checked by :func:`_age_band`), or None."""
    if is_missing(source.get("age")):
        return None
    age_field = context.schema.field("age")
    try:
        return parse_whole_number(source["age"], age_field.minimum, age_field.maximum)
    except ValueProblem:
        return None


def _choices(context: PrepareContext, source: dict, outcome: PreparedRow) -> dict[str, str | list[str] | None]:
    """Every enumerated field of the source (attributes and document_country), canonical."""
    chosen = {}
    for schema_field in context.enumerated_fields:
        enumeration = context.schema.enumerations[schema_field.enumeration]
        value_mapping = context.mapping.values.get(schema_field.name, {})
        raw = source.get(schema_field.name)
        try:
            if schema_field.multiple:
                chosen[schema_field.name] = parse_choices(
                    raw, enumeration, value_mapping, context.mapping.multi_separator
                )
            else:
                chosen[schema_field.name] = parse_choice(raw, enumeration, value_mapping)
        except ValueProblem as problem:
            outcome.reject(schema_field.name, str(problem))
    return chosen


def prepare_fields(context: PrepareContext, row_number: int, source: dict) -> PreparedRow:
    """Validate, coarsen and tokenise one row given as ``{schema field: raw cell}``."""
    outcome = PreparedRow(row_number)
    reference = _text(source.get("case_reference"))
    if reference is None:
        outcome.reject("case_reference", "is required")
    else:
        outcome.case_ref = make_case_ref(context.linkage_secret, reference)
    registered, born = _dates(context, source, outcome)
    band = _age_band(context, source, registered, born, outcome)
    chosen = _choices(context, source, outcome)
    if outcome.errors:
        return outcome
    derived = {"age_band": band, "registration_month": month_of(registered)}
    fields = {f.name: chosen.get(f.name, derived.get(f.name)) for f in context.schema.upload_fields}
    for field_name, message in check_upload_fields(context.schema, fields, context.period, context.today):
        outcome.reject(field_name, message)
    if outcome.errors:
        return outcome
    names = {name: _text(source.get(name)) for name in _NAME_FIELDS}
    # Without a date of birth, the age at registration gives two possible years of birth: only
    # range keys use them (privacy.tokens), never a date key; the age itself never leaves.
    linkage = make_linkage_payload(
        context.linkage_secret, **names, date_of_birth=born, dob_approximate=False,
        sex=chosen.get("gender"), citizenship=chosen.get("citizenship"),
        document_country=chosen.get("document_country"),
        age=None if born else _stated_age(context, source), registration_date=registered,
    )
    outcome.upload = {"row": row_number, "case_ref": outcome.case_ref, "fields": fields, **linkage.wire()}
    return outcome


class RowPreparer:
    """Prepares the rows of one file in order, remembering case references to refuse repeats."""

    def __init__(self, context: PrepareContext, plan: ColumnPlan):
        self.context = context
        self.plan = plan
        # First 64 bits of each case_ref -> its row: small enough for files of millions of rows.
        self._first_row_of_case: dict[int, int] = {}

    @property
    def warnings(self) -> list[str]:
        return self.plan.warnings

    def prepare(self, row_number: int, values: dict | UnreadableRow) -> PreparedRow:
        if isinstance(values, UnreadableRow):
            outcome = PreparedRow(row_number)
            outcome.reject(None, values.message)
            return outcome
        source = {}
        for column, raw in values.items():
            target = self.plan.field_of(column)
            if target is not None:
                source[target] = raw
        outcome = prepare_fields(self.context, row_number, source)
        if outcome.case_ref is not None:
            # Only valid rows claim their case reference: a corrected copy of a rejected row, later
            # in the file, is then accepted instead of being refused as a duplicate of nothing.
            case_key = int(outcome.case_ref[:16], 16)
            first_row = self._first_row_of_case.get(case_key)
            if first_row is not None:
                outcome.reject("case_reference", f"duplicates row {first_row} (same case reference)")
            elif outcome.upload is not None:
                self._first_row_of_case[case_key] = row_number
        return outcome
