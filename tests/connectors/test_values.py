"""Cell parsers: the date rules, ages and enumerations, with messages that never quote the cell."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from connectors.values import ValueProblem, parse_choice, parse_choices, parse_date, parse_whole_number
from schemas import load_schema

ENUMS = load_schema().enumerations


@pytest.mark.parametrize("raw, expected", [
    ("2026-01-05", date(2026, 1, 5)),
    ("2026/1/5", date(2026, 1, 5)),
    ("2026-01-05 00:00:00", date(2026, 1, 5)),
    ("2026-01-05T13:45:00+02:00", date(2026, 1, 5)),
    ("05.01.2026", date(2026, 1, 5)),
    ("25/01/2026", date(2026, 1, 25)),
    ("01/25/2026", date(2026, 1, 25)),
    ("07-07-2026", date(2026, 7, 7)),
    ("5 January 2026", date(2026, 1, 5)),
    ("05-Jan-2026", date(2026, 1, 5)),
    ("January 5, 2026", date(2026, 1, 5)),
    (datetime(2026, 1, 5, 9, 30), date(2026, 1, 5)),
    (date(2026, 1, 5), date(2026, 1, 5)),
    (35888, date(1998, 4, 3)),  # a spreadsheet's serial date, in a cell not formatted as a date
    (45123.0, date(2023, 7, 16)),
    ("35888", date(1998, 4, 3)),  # the same, once a CSV export has written it out
])
def test_date_forms(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("03/04/2026", "is ambiguous"),
    ("03/04/26", "two-digit year"),
    ("31.02.2026", "not a valid calendar date"),
    ("Tuesday", "not a date in a recognised form"),
    (3_000_000, "is a number that is not a spreadsheet date"),
    (0, "is a number that is not a spreadsheet date"),
])
def test_bad_dates(raw, message):
    with pytest.raises(ValueProblem, match=message) as caught:
        parse_date(raw)
    assert str(raw) not in str(caught.value)


def test_mapping_date_format_settles_ambiguity_and_excludes_other_forms():
    assert parse_date("03/04/2026", "%m/%d/%Y") == date(2026, 3, 4)
    assert parse_date("2026-03-04", "%m/%d/%Y") == date(2026, 3, 4)  # year first always works
    with pytest.raises(ValueProblem, match="date format %m/%d/%Y"):
        parse_date("04.03.2026", "%m/%d/%Y")


@pytest.mark.parametrize("raw", ["300", 300, -1, "25 years", "2.5", True, 2.5])
def test_implausible_ages(raw):
    with pytest.raises(ValueProblem, match="^must be a whole number between 0 and 120$"):
        parse_whole_number(raw, 0, 120)


def test_choices_use_mapping_then_aliases_then_missing_markers():
    gender = ENUMS["gender"]
    assert parse_choice("Femme", gender, {"femme": "Female"}) == "Female"
    assert parse_choice(" w ", gender, {}) == "Female"
    assert parse_choice("unknown", gender, {}) == "Unknown"  # a value of this enumeration
    assert parse_choice("unknown", ENUMS["country"], {}) is None  # here it means "not recorded"
    assert parse_choice("Nepal", ENUMS["country"], {}) == "NPL"
    with pytest.raises(ValueProblem, match="expected one of Female, Male, GenderDiverse, Unknown"):
        parse_choice("martian", gender, {})
    with pytest.raises(ValueProblem, match="must be a single value"):
        parse_choice(["f", "m"], gender, {})


def test_multiple_choices_split_and_deduplicate():
    types = ENUMS["type_of_exploitation"]
    assert parse_choices("sex; labour | forced labour,", types, {}, None) == ["SexualExploitation", "ForcedLabour"]
    assert parse_choices(["begging"], types, {}, None) == ["ForcedBegging"]
    assert parse_choices("sex / labour", types, {}, "/") == ["SexualExploitation", "ForcedLabour"]
    assert parse_choices(" ; ", types, {}, None) is None
    with pytest.raises(ValueProblem, match="holds a value that is not recognised"):
        parse_choices("sex; gardening", types, {}, None)
