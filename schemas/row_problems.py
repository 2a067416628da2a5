"""Why a row was refused, as a code from a fixed list: what travels to the hub and is stored.

A reason written as text could carry anything a buggy or hostile connector puts in it (a name, a
phone number) into the hub, its database and its signed receipts. So the connector sends a code,
the hub refuses any code not in this list, stores the code, and renders each code's fixed
message in the receipt. The connector may show more detail on the partner's own screen.

>>> RowProblem("not_recognised").message
'is not a value of its enumeration (see GET /v1/schemas/case-v1)'
"""

from __future__ import annotations

from enum import StrEnum


class RowProblem(StrEnum):
    REQUIRED = "required"
    NOT_A_DATE = "not_a_date"
    INVALID_DATE = "invalid_date"
    AMBIGUOUS_DATE = "ambiguous_date"
    NOT_A_MONTH = "not_a_month"
    IN_FUTURE = "in_future"
    AFTER_PERIOD = "after_period"
    BEFORE_PERIOD = "before_period"
    AFTER_REGISTRATION = "after_registration"
    IMPLAUSIBLY_EARLY = "implausibly_early"
    OUT_OF_RANGE = "out_of_range"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    NOT_RECOGNISED = "not_recognised"
    NOT_SINGLE_VALUE = "not_single_value"
    EMPTY_LIST = "empty_list"
    LISTED_TWICE = "listed_twice"
    NOT_UPLOADABLE = "not_uploadable"
    UNKNOWN_KEYS = "unknown_keys"
    DUPLICATE_CASE = "duplicate_case"
    UNREADABLE_ROW = "unreadable_row"
    MALFORMED_LINKAGE = "malformed_linkage"
    # Rows refused before reasons were codes: their text was not kept (it could hold anything).
    LEGACY = "legacy"

    @property
    def message(self) -> str:
        """The fixed sentence that completes "row 12, <field> ..." in a receipt."""
        return MESSAGES[self]


MESSAGES: dict[RowProblem, str] = {
    RowProblem.REQUIRED: "is required",
    RowProblem.NOT_A_DATE: "is not a date in a recognised form (write YYYY-MM-DD or DD.MM.YYYY)",
    RowProblem.INVALID_DATE: "is not a valid calendar date",
    RowProblem.AMBIGUOUS_DATE: "is ambiguous: day and month could be either way round",
    RowProblem.NOT_A_MONTH: "must be a month written YYYY-MM",
    RowProblem.IN_FUTURE: "is in the future",
    RowProblem.AFTER_PERIOD: "is after the end of the submission period",
    RowProblem.BEFORE_PERIOD: "is before the start of the submission period",
    RowProblem.AFTER_REGISTRATION: "is after the registration date",
    RowProblem.IMPLAUSIBLY_EARLY: "is before 1990, which is not plausible for a case registration",
    RowProblem.OUT_OF_RANGE: "must be a whole number within the range the schema allows",
    RowProblem.AGE_OUT_OF_RANGE: "gives an age above the schema's maximum at registration",
    RowProblem.NOT_RECOGNISED: "is not a value of its enumeration (see GET /v1/schemas/case-v1)",
    RowProblem.NOT_SINGLE_VALUE: "must be a single value",
    RowProblem.EMPTY_LIST: "must be a non-empty list of values",
    RowProblem.LISTED_TWICE: "lists a value twice",
    RowProblem.NOT_UPLOADABLE: "is a field of the schema that may not be uploaded",
    RowProblem.UNKNOWN_KEYS: "holds keys that are not fields of the schema",
    RowProblem.DUPLICATE_CASE: "repeats the case reference of an earlier row",
    RowProblem.UNREADABLE_ROW: "could not be read as a row of the file",
    RowProblem.MALFORMED_LINKAGE: "has malformed linkage features; update the connector and push again",
    RowProblem.LEGACY: "was refused (the reason was recorded before reasons were codes)",
}
