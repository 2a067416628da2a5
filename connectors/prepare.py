"""Turning one source row into what may leave the partner's machine, or into row errors.

What leaves: the keyed hash of the case reference, the attributes, the coarsened
quasi-identifiers (age band, registration month) and the linkage tokens. What never leaves:
identifiers, exact dates and ages, free text. A rejection names the row and the field and says
why as a code of :class:`~schemas.row_problems.RowProblem`; its message, which may say more,
stays on the partner's screen and never repeats a value either.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from connectors.columns import ColumnPlan
from connectors.mapping import Mapping
from connectors.matching import nearest_values
from connectors.table import UnreadableRow
from connectors.values import (
    ValueProblem, parse_choice, parse_choices, parse_date, parse_text, parse_whole_number,
)
from privacy.normalise import is_placeholder_birth_year
from privacy.encodings import make_encoding_of
from privacy.identity import Identity, normalise_identity
from privacy.identity_sample import IdentitySample
from privacy.tokens import make_case_ref
from schemas.coarsen import age_at, age_band, month_of
from schemas.loader import Schema
from schemas.row_problems import RowProblem
from schemas.validation import check_upload_fields

_NAME_FIELDS = ("given_name", "family_name", "full_name", "document_number", "phone")
# A year of birth before 1901 is what software writes for a date it does not have, not a birth:
# nobody alive now was born before 1901, and spreadsheets count days from 1899-12-30 or 1900-01-01,
# so a blank or zero date cell reads as one of those. Such a date, like the whole-date placeholders
# of privacy.normalise (1901-01-01, 1970-01-01), is read as unknown and counted in a warning; a
# later date that makes the person older than the schema allows at registration is refused.
EARLIEST_BIRTH_YEAR = 1901
_ROWS_NAMED_IN_A_WARNING = 5
_VALUE_SHOWN_CHARACTERS = 80


@dataclass(frozen=True)
class PrepareContext:
    """Everything a row's preparation depends on besides the row itself."""

    schema: Schema
    mapping: Mapping
    period: str  # YYYY-MM
    today: date
    linkage_secret: bytes
    on_invalid: str = "reject"

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
    identity: Identity | None = None  # stays on the partner's machine (random pairs, privacy.random_pairs)
    errors: list[dict] = field(default_factory=list)
    # The date of birth was a placeholder, read as unknown (see EARLIEST_BIRTH_YEAR).
    placeholder_birth_date: bool = False
    # Registered before the period: kept under skip (a late report), refused under reject.
    before_period: bool = False
    # field -> the enumerated value that was not recognised; stays on the partner's machine.
    refused_values: dict[str, str] = field(default_factory=dict)
    # What the partner's screen shows besides each error (column, cell, nearest codes); never sent.
    details: list[dict] = field(default_factory=list)

    def reject(self, field_name: str | None, code: RowProblem, detail: str | None = None) -> None:
        """Refuse the row: ``code`` goes to the hub, ``detail`` (default the code's message) is shown here."""
        self.errors.append({"row": self.row, "field": field_name, "code": str(code), "message": detail or code.message})
        self.upload = None


def is_placeholder_birth(born: date) -> bool:
    """Whether a date of birth stands for "unknown": a year before 1901, or a known placeholder date.

    >>> [is_placeholder_birth(date(*day)) for day in ((1899, 5, 2), (1900, 6, 4), (1970, 1, 1), (1901, 5, 5))]
    [True, True, True, False]
    """
    return born.year < EARLIEST_BIRTH_YEAR or is_placeholder_birth_year(born)


def _period_end(period: str) -> date:
    year, month = map(int, period.split("-"))
    return date(year + month // 12, month % 12 + 1, 1)


def _period_start(period: str) -> date:
    year, month = map(int, period.split("-"))
    return date(year, month, 1)


def _dates(context: PrepareContext, source: dict, outcome: PreparedRow) -> tuple[date | None, date | None]:
    """The registration date and the usable date of birth, each checked."""
    registered = born = None
    try:
        registered = parse_date(source.get("registration_date"), context.mapping.date_format)
    except ValueProblem as problem:
        outcome.reject("registration_date", problem.code, str(problem))
    else:
        if registered is None:
            outcome.reject("registration_date", RowProblem.REQUIRED)
        elif registered > context.today:
            outcome.reject("registration_date", RowProblem.IN_FUTURE)
        elif registered >= _period_end(context.period):
            outcome.reject("registration_date", RowProblem.AFTER_PERIOD,
                           f"is after the end of the submission period {context.period}")
        elif registered < _period_start(context.period):
            outcome.before_period = True
            if context.on_invalid == "reject":
                outcome.reject("registration_date", RowProblem.BEFORE_PERIOD,
                               f"is before the submission period {context.period}; "
                               "check the period, or push with --on-invalid skip to keep late-reported cases")
    try:
        born = parse_date(source.get("date_of_birth"), context.mapping.date_format)
    except ValueProblem as problem:
        outcome.reject("date_of_birth", problem.code, str(problem))
    if born and born > context.today:
        outcome.reject("date_of_birth", RowProblem.IN_FUTURE)
        born = None
    elif born and registered and born > registered:
        outcome.reject("date_of_birth", RowProblem.AFTER_REGISTRATION)
        born = None
    elif born and is_placeholder_birth(born):
        outcome.placeholder_birth_date = True
        born = None
    return registered, born


def _age_band(context: PrepareContext, source: dict, registered, born, outcome: PreparedRow) -> str | None:
    age_field = context.schema.field("age")
    try:
        age = parse_whole_number(source.get("age"), age_field.minimum, age_field.maximum)
    except ValueProblem as problem:
        outcome.reject("age", problem.code, str(problem))
        return None
    if age is not None:
        return age_band(context.schema, age)
    if born and registered:
        age = age_at(born, registered)
        if age > age_field.maximum:
            outcome.reject("date_of_birth", RowProblem.AGE_OUT_OF_RANGE,
                           f"gives an age above {age_field.maximum} at registration")
            return None
        return age_band(context.schema, age)
    return None


def _stated_age(context: PrepareContext, source: dict) -> int | None:
    """The age column as a whole number (already checked by :func:`_age_band`), or None."""
    age_field = context.schema.field("age")
    try:
        return parse_whole_number(source.get("age"), age_field.minimum, age_field.maximum)
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
            outcome.reject(schema_field.name, problem.code, str(problem))
            if problem.refused is not None:
                outcome.refused_values[schema_field.name] = problem.refused
    return chosen


def prepare_fields(context: PrepareContext, row_number: int, source: dict) -> PreparedRow:
    """Validate, coarsen and tokenise one row given as ``{schema field: raw cell}``."""
    outcome = PreparedRow(row_number)
    reference = parse_text(source.get("case_reference"))
    if reference is None:
        outcome.reject("case_reference", RowProblem.REQUIRED)
    else:
        outcome.case_ref = make_case_ref(context.linkage_secret, reference)
    registered, born = _dates(context, source, outcome)
    band = _age_band(context, source, registered, born, outcome)
    chosen = _choices(context, source, outcome)
    if outcome.errors:
        return outcome
    derived = {"age_band": band, "registration_month": month_of(registered)}
    fields = {f.name: chosen.get(f.name, derived.get(f.name)) for f in context.schema.upload_fields}
    for field_name, problem in check_upload_fields(context.schema, fields, context.period, context.today):
        outcome.reject(field_name, problem)
    if outcome.errors:
        return outcome
    names = {name: parse_text(source.get(name)) for name in _NAME_FIELDS}
    # Without a date of birth, the age at registration gives the pair of years the person may have
    # been born in (privacy.encodings), never a date; the age itself never leaves.
    outcome.identity = normalise_identity(
        **names, date_of_birth=born, dob_approximate=False,
        sex=chosen.get("gender"), citizenship=chosen.get("citizenship"),
        document_country=chosen.get("document_country"),
        age=None if born else _stated_age(context, source), registration_date=registered,
    )
    encoding = make_encoding_of(context.linkage_secret, outcome.identity)
    outcome.upload = {"row": row_number, "case_ref": outcome.case_ref, "fields": fields, "blocks": encoding.wire()}
    return outcome


class RowPreparer:
    """Prepares the rows of one file in order, remembering case references to refuse repeats."""

    def __init__(self, context: PrepareContext, plan: ColumnPlan):
        self.context = context
        self.plan = plan
        # First 64 bits of each case_ref -> its row: small enough for files of millions of rows.
        self._first_row_of_case: dict[int, int] = {}
        self.placeholder_birth_rows = 0
        self._first_placeholder_birth_rows: list[int] = []
        self.rows_before_period: list[int] = []  # the first few only; counted in before_period_count
        self.before_period_count = 0
        # The identities random pairs are drawn from (privacy.random_pairs); never sent.
        self.sample = IdentitySample()

    @property
    def warnings(self) -> list[str]:
        """What the partner is told besides the rejections: dropped columns, unknown dates of birth.

        Shown on the partner's screen only; they name columns and row numbers, never a value.
        """
        warnings = list(self.plan.warnings)
        if self.placeholder_birth_rows:
            warnings.append(self._placeholder_birth_warning())
        if self.before_period_count and self.context.on_invalid == "skip":
            warnings.append(self._before_period_warning())
        return warnings

    def _before_period_warning(self) -> str:
        count, first = self.before_period_count, self.rows_before_period
        more = f" and {count - len(first):,} more" if count > len(first) else ""
        return (f"{count:,} row(s) have a registration date before {self.context.period} (row "
                f"{', '.join(map(str, first))}{more}); they were kept as late-reported cases of this month: "
                "if the file is of another month, push it with that month's --period")

    def _placeholder_birth_warning(self) -> str:
        count, first = self.placeholder_birth_rows, self._first_placeholder_birth_rows
        more = f" and {count - len(first):,} more" if count > len(first) else ""
        rows = ", ".join(map(str, first)) + more
        have = "row has" if count == 1 else "rows have"
        return (f"{count:,} {have} a date of birth before {EARLIEST_BIRTH_YEAR} or one that software writes "
                f"for an unknown date (row {rows}); it was read as unknown, so it gives no age band and no "
                "linkage by date of birth")

    def prepare(self, row_number: int, values: dict | UnreadableRow) -> PreparedRow:
        if isinstance(values, UnreadableRow):
            outcome = PreparedRow(row_number)
            outcome.reject(None, RowProblem.UNREADABLE_ROW, values.message)
            return outcome
        source = {}
        for column, raw in values.items():
            target = self.plan.field_of(column)
            if target is not None:
                source[target] = raw
        outcome = prepare_fields(self.context, row_number, source)
        if outcome.errors:
            self._describe_locally(outcome, source)
        if outcome.before_period:
            self.before_period_count += 1
            if len(self.rows_before_period) < _ROWS_NAMED_IN_A_WARNING:
                self.rows_before_period.append(row_number)
        if outcome.placeholder_birth_date:
            self.placeholder_birth_rows += 1
            if len(self._first_placeholder_birth_rows) < _ROWS_NAMED_IN_A_WARNING:
                self._first_placeholder_birth_rows.append(row_number)
        if outcome.case_ref is not None:
            # Only valid rows claim their case reference: a corrected copy of a rejected row, later
            # in the file, is then accepted instead of being refused as a duplicate of nothing.
            case_key = int(outcome.case_ref[:16], 16)
            first_row = self._first_row_of_case.get(case_key)
            if first_row is not None:
                outcome.reject("case_reference", RowProblem.DUPLICATE_CASE,
                               f"duplicates row {first_row} (same case reference)")
            elif outcome.upload is not None:
                self._first_row_of_case[case_key] = row_number
        if outcome.upload is not None:
            self.sample.offer(outcome.identity)
        return outcome

    def _describe_locally(self, outcome: PreparedRow, source: dict) -> None:
        """For each error, the partner's column, the cell and the nearest codes: for their screen only."""
        column_of = {target: column for column, target in self.plan.fields.items() if target}
        for error in outcome.errors:
            field_name = error["field"]
            if field_name not in column_of:
                continue
            detail = {"row": error["row"], "field": field_name, "column": column_of[field_name]}
            raw = source.get(field_name)
            if raw is not None and str(raw).strip():
                detail["value"] = str(raw)[:_VALUE_SHOWN_CHARACTERS]
            refused = outcome.refused_values.get(field_name)
            if refused is not None:
                enumeration = self.context.schema.enumerations[self.context.schema.field(field_name).enumeration]
                detail["nearest"] = nearest_values(refused, enumeration)
                if refused != str(raw).strip():
                    detail["refused"] = refused[:_VALUE_SHOWN_CHARACTERS]
            outcome.details.append(detail)
