"""Reading one raw cell as the schema wants it: text, dates, ages and values from an enumeration.

Every reading of a cell goes through a parser of this module, and every parser answers None
for a missing cell (:func:`is_missing`): the list of what counts as missing is decided here
once, for names, dates, codes, ages, case references and each item of a multi-valued cell.
A value that the partner's mapping file (or the schema's enumeration) gives a meaning wins
over that list: ``values: {citizenship: {"N/A": ...}}`` reads "N/A" as the value it names.

Each parser raises :class:`ValueProblem` with a message that never repeats the cell, since a
misplaced column could hold a name and the message travels to the hub.

Dates are read by these rules, in order:

1. a date from a workbook cell is taken as it is; a time of day after a date is ignored; a
   number (or text of five digits) is a spreadsheet's serial date, days since 1899-12-30
   (35888 is 1998-04-03), as workbooks hold dates in cells not formatted as dates;
2. year first (``2024-03-31``, ``2024/3/31``, ``2024.03.31``) is always year, month, day;
3. when the mapping file gives ``date_format``, only that format (and rule 2) is accepted;
4. otherwise ``31.03.2024`` is day.month.year; ``31/03/2024`` and ``31-03-2024`` are read
   day first or month first only when one of the two numbers is above 12 (or both are equal),
   and are refused as ambiguous otherwise;
5. English month names: ``31 March 2024``, ``31-Mar-2024``, ``March 31, 2024``.

Two-digit years are refused: 01/02/03 has too many readings.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from connectors.mapping import fold_value
from schemas.loader import Enumeration
from schemas.row_problems import RowProblem

# What a cell holds when nothing was recorded, once trimmed of spacing. Compared ignoring letter
# case, since none of these is a date or code, nor (but for nil) a name people bear:
MISSING_IN_ANY_CASE = frozenset({
    "",                     # an empty or whitespace-only cell
    "-", "--", "?",         # typed by hand for "nothing"
    "n/a", "n.a.",          # "not applicable" or "not available" on forms
    "#n/a",                 # a spreadsheet's "not available" value (Excel, LibreOffice), read as text
    "<na>",                 # pandas' missing value (pd.NA) written out as text
    "none",                 # Python's None written out as text
    "null",                 # SQL's and JSON's null exported as text
    "nil",                  # "nothing" on forms in South Asia, far more often than the Turkish name Nil
    "unknown", "not known", # said of the whole cell; a code list that has such a value keeps it
})
# What software writes for a missing value, compared exactly as written: capitalised as names are
# (Nan, Na, Nat), these are names people bear, and stay names.
MISSING_AS_WRITTEN = frozenset({
    "nan", "NaN",           # pandas and numpy write a missing number as nan; R, JavaScript, exports NaN
    "na", "NA",             # R's missing value, and n/a without its slash
    "NaT",                  # pandas' missing date ("not a time") written out as text
})
DEFAULT_SEPARATORS = re.compile(r"[;,|]")

_TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2}$")
_MONTH_NAME_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%B-%Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                       "%b %d %Y", "%d %b, %Y")
_WHOLE_NUMBER = re.compile(r"^\d+(\.0*)?$")
_RECOGNISED_FORMS = "write dates as YYYY-MM-DD or DD.MM.YYYY, or set date_format in the mapping file"
# Spreadsheets count days from 1899-12-30 (Excel's 1900 system, with its leap-day bug, and
# LibreOffice agree from 1900-03-01 on). Serials of five digits span 1927-05-18 to 2173-10-14.
_SERIAL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (1, 2_958_465)  # 9999-12-31
_SERIAL_TEXT = re.compile(r"^\d{5}(\.0*)?$")


class ValueProblem(ValueError):
    """A cell that cannot be read: ``code`` is what the hub is told, the message (which completes
    "<field> ...") what the partner's own screen shows, and ``refused`` the value (or the item of a
    multi-valued cell) that was not recognised: for the partner's own screen only, never sent."""

    def __init__(self, message: str, code: RowProblem, refused: str | None = None):
        super().__init__(message)
        self.code = code
        self.refused = refused


def is_missing(raw) -> bool:
    """Whether a cell holds nothing: None, a float NaN (JSON allows ``NaN``), blank, or a marker.

    >>> [is_missing(cell) for cell in ("nan", " NULL ", "N/A", "", float("nan"), None)]
    [True, True, True, True, True, True]
    >>> [is_missing(cell) for cell in ("Nan", "Na", "0", 0, "Ana")]
    [False, False, False, False, False]
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return True
    if not isinstance(raw, str):
        return False
    text = raw.strip()
    return text in MISSING_AS_WRITTEN or text.casefold() in MISSING_IN_ANY_CASE


def parse_text(raw) -> str | None:
    """A cell as text (names, numbers, case references), or None when it is missing.

    Whole numbers from workbooks are written without a trailing .0.

    >>> parse_text("  Sunita "), parse_text(1234.0), parse_text("NaN"), parse_text("unknown")
    ('Sunita', '1234', None, None)
    """
    if is_missing(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _calendar_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem("is not a valid calendar date", RowProblem.INVALID_DATE) from None


def parse_date(raw, date_format: str | None = None) -> date | None:
    """A date from a cell, by the rules of this module's docstring; None for a missing cell.

    >>> parse_date("NULL") is None
    True
    >>> parse_date("31.03.2024"), parse_date("2024-03-31T10:00:00Z"), parse_date("13/04/2024")
    (datetime.date(2024, 3, 31), datetime.date(2024, 3, 31), datetime.date(2024, 4, 13))
    >>> parse_date("03/04/2024")
    Traceback (most recent call last):
    connectors.values.ValueProblem: is ambiguous: day and month could be either way round; write it as YYYY-MM-DD or set date_format in the mapping file
    """
    if is_missing(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _serial_date(raw)
    if not isinstance(raw, str):
        hint = f"write dates as {date_format} (the mapping file's date_format)" if date_format else _RECOGNISED_FORMS
        raise ValueProblem(f"is not a date; {hint}", RowProblem.NOT_A_DATE)
    text = _TIME_OF_DAY.sub("", raw.strip())
    if _SERIAL_TEXT.match(text):
        return _serial_date(float(text))
    if match := _YEAR_FIRST.match(text):
        year, month, day = map(int, match.groups())
        return _calendar_date(year, month, day)
    if date_format:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            raise ValueProblem(f"does not match the date format {date_format} of the mapping file",
                               RowProblem.NOT_A_DATE) from None
    if match := _DOTTED.match(text):
        day, month, year = map(int, match.groups())
        return _calendar_date(year, month, day)
    if match := _SLASHED.match(text):
        first, second, year = map(int, match.groups())
        if first > 12 >= second or first == second:
            return _calendar_date(year, second, first)
        if second > 12 >= first:
            return _calendar_date(year, first, second)
        if first <= 12 and second <= 12:
            raise ValueProblem(
                "is ambiguous: day and month could be either way round; "
                "write it as YYYY-MM-DD or set date_format in the mapping file", RowProblem.AMBIGUOUS_DATE,
            )
        raise ValueProblem("is not a valid calendar date", RowProblem.INVALID_DATE)
    if _TWO_DIGIT_YEAR.match(text):
        raise ValueProblem(f"has a two-digit year; {_RECOGNISED_FORMS}", RowProblem.NOT_A_DATE)
    for form in _MONTH_NAME_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueProblem(f"is not a date in a recognised form; {_RECOGNISED_FORMS}", RowProblem.NOT_A_DATE)


def _serial_date(serial: float) -> date:
    """A spreadsheet serial date (a time of day, the fraction, ignored).

    >>> _serial_date(35888), _serial_date(45658.75)
    (datetime.date(1998, 4, 3), datetime.date(2025, 1, 1))
    """
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise ValueProblem("is a number that is not a spreadsheet date; format the cells as dates, "
                           "or write dates as YYYY-MM-DD", RowProblem.NOT_A_DATE)
    return _SERIAL_EPOCH + timedelta(days=int(serial))


def parse_whole_number(raw, minimum: int, maximum: int) -> int | None:
    """A whole number within bounds, from an int, an integral float or text such as "25"; None if missing.

    >>> parse_whole_number(" 25 ", 0, 120), parse_whole_number(31.0, 0, 120)
    (25, 31)
    >>> parse_whole_number("300", 0, 120)
    Traceback (most recent call last):
    connectors.values.ValueProblem: must be a whole number between 0 and 120
    """
    if is_missing(raw):
        return None
    problem = ValueProblem(f"must be a whole number between {minimum} and {maximum}", RowProblem.OUT_OF_RANGE)
    if isinstance(raw, bool):
        raise problem
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and _WHOLE_NUMBER.match(raw.strip()):
        raw = int(float(raw.strip()))
    if not isinstance(raw, int) or not minimum <= raw <= maximum:
        raise problem
    return raw


def expected_values(enumeration: Enumeration) -> str:
    """How an error names the accepted values, shortened for long lists such as countries."""
    values = enumeration.values
    if len(values) <= 16:
        return "expected one of " + ", ".join(values)
    return f"expected one of {len(values)} values such as {', '.join(values[:5])} (codes or English names)"


def parse_choice(raw, enumeration: Enumeration, value_mapping: dict[str, str]) -> str | None:
    """The schema value a cell stands for: the mapping's values first, then the schema's aliases.

    Returns None for a missing cell, unless the mapping or the schema gives the marker a
    meaning (gender's "unknown" is the value Unknown); a blank cell is always missing.

    >>> from schemas import load_schema
    >>> gender, country = load_schema().enumerations["gender"], load_schema().enumerations["country"]
    >>> parse_choice("N/A", country, {}), parse_choice("N/A", country, {"n/a": "NAM"})
    (None, 'NAM')
    >>> parse_choice("unknown", gender, {}), parse_choice("unknown", country, {})
    ('Unknown', None)
    """
    if isinstance(raw, list | dict):
        raise ValueProblem("must be a single value", RowProblem.NOT_SINGLE_VALUE)
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    found = value_mapping.get(fold_value(text)) or enumeration.canonical(text)
    if found is None and not is_missing(raw):
        raise ValueProblem(f"is not a recognised value; {expected_values(enumeration)}", RowProblem.NOT_RECOGNISED,
                           refused=text)
    return found


def parse_choices(raw, enumeration: Enumeration, value_mapping: dict[str, str],
                  separator: str | None) -> list[str] | None:
    """The values of a multi-valued cell (split on the separator), without repeats; None if empty."""
    if isinstance(raw, list):
        parts = [str(part) for part in raw if part is not None]
    elif isinstance(raw, str):
        parts = raw.split(separator) if separator else DEFAULT_SEPARATORS.split(raw)
    elif raw is None:
        return None
    else:
        parts = [str(raw)]
    found: list[str] = []
    for part in parts:
        try:
            value = parse_choice(part, enumeration, value_mapping)
        except ValueProblem as problem:
            raise ValueProblem(f"holds a value that is not recognised; {expected_values(enumeration)}",
                               RowProblem.NOT_RECOGNISED, refused=problem.refused) from None
        if value is not None and value not in found:
            found.append(value)
    return found or None
