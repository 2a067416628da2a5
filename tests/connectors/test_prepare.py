"""Row preparation: every bad input of the issue gets row, field and a message, and no identifier leaks."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from connectors.chunks import open_prepared, prepared_chunks
from connectors.mapping import Mapping
from privacy.encodings import Feature, decode_features
from connectors.prepare import PrepareContext, prepare_fields
from schemas import load_schema

SECRET = b"partners' shared linkage secret!"
TODAY = date(2026, 2, 10)
CONTEXT = PrepareContext(load_schema(), Mapping(), "2026-01", TODAY, SECRET)
GOOD = {
    "case_reference": "SH-2026-0001",
    "registration_date": "2026-01-14",
    "given_name": "Sunita",
    "family_name": "Tamang",
    "date_of_birth": "19.08.2003",
    "phone": "+977 981 234 5678",
    "document_number": "PA1234567",
    "document_country": "Nepal",
    "gender": "f",
    "citizenship": "NPL",
    "country_of_exploitation": "India",
    "type_of_exploitation": "sexual exploitation; forced labour",
    "means_of_control": "debt",
}
IDENTIFYING = ("SH-2026-0001", "Sunita", "Tamang", "2003", "19.08", "981", "5678", "PA1234567")


def errors_of(**changes) -> list[tuple]:
    outcome = prepare_fields(CONTEXT, 7, {**GOOD, **changes})
    assert outcome.upload is None
    return [(e["row"], e["field"], e["message"]) for e in outcome.errors]


def test_a_good_row_is_coarsened_and_tokenised():
    outcome = prepare_fields(CONTEXT, 7, GOOD)
    assert outcome.errors == []
    upload = outcome.upload
    assert upload["row"] == 7 and len(upload["case_ref"]) == 64
    assert upload["fields"] == {
        "age_band": "21-23",  # from the date of birth at registration
        "registration_month": "2026-01",
        "gender": "Female",
        "citizenship": "NPL",
        "country_of_exploitation": "IND",
        "type_of_exploitation": ["SexualExploitation", "ForcedLabour"],
        "forced_labour_industry": None,
        "means_of_control": ["DebtBondage"],
        "recruiter_relationship": None,
        "trafficking_status": None,
        "data_source_type": None,
    }
    assert set(upload["blocks"]) == {"dob", "family_year", "given_year", "names"}
    kinds = {Feature(kind).name for block in upload["blocks"].values()
             for kind in decode_features(base64.b64decode(block["features"]))[0].tolist()}
    assert {"GIVEN_EXACT", "FAMILY_EXACT", "DOB_EXACT", "DOCUMENT"} <= kinds


def test_no_identifier_reaches_the_upload():
    text = json.dumps(prepare_fields(CONTEXT, 7, GOOD).upload)
    for value in IDENTIFYING:
        assert value not in text


def test_age_wins_over_date_of_birth():
    assert prepare_fields(CONTEXT, 7, {**GOOD, "age": "40"}).upload["fields"]["age_band"] == "39-47"


@pytest.mark.parametrize("changes, expected", [
    ({"gender": "martian"}, ("gender", "is not a recognised value; expected one of Female, Male, GenderDiverse, Unknown")),
    ({"age": "300"}, ("age", "must be a whole number between 0 and 120")),
    ({"registration_date": "2026-02-11"}, ("registration_date", "is in the future")),
    ({"registration_date": "2026-02-03"}, ("registration_date", "is after the end of the submission period 2026-01")),
    ({"registration_date": ""}, ("registration_date", "is required")),
    ({"case_reference": "  "}, ("case_reference", "is required")),
    ({"date_of_birth": "2030-01-02"}, ("date_of_birth", "is in the future")),
    ({"date_of_birth": "2026-01-20"}, ("date_of_birth", "is after the registration date")),
    ({"date_of_birth": "1901-05-05"}, ("date_of_birth", "gives an age above 120 at registration")),
    ({"type_of_exploitation": "sex; gardening"}, ("type_of_exploitation", "holds a value that is not recognised")),
    ({"registration_date": "2025-12-31"}, ("registration_date", "is before the submission period 2026-01")),
])
def test_bad_values_name_row_and_field(changes, expected):
    found = errors_of(**changes)
    assert len(found) == 1
    row, field, message = found[0]
    assert (row, field) == (7, expected[0]) and message.startswith(expected[1])
    for value in changes.values():
        if value.strip():
            assert value not in message


def test_an_implausible_registration_kept_under_skip_is_still_refused():
    context = PrepareContext(load_schema(), Mapping(), "2026-01", TODAY, SECRET, on_invalid="skip")
    outcome = prepare_fields(context, 7, {**GOOD, "registration_date": "1989-12-31", "date_of_birth": ""})
    assert [(e["field"], e["message"][:14]) for e in outcome.errors] == [("registration_month", "is before 1990")]


def test_several_problems_are_all_reported():
    fields = [field for _, field, _ in errors_of(gender="martian", age="-3", citizenship="Atlantis")]
    assert fields == ["age", "gender", "citizenship"]


def test_placeholder_birth_date_is_not_an_error_and_makes_no_date_features():
    outcome = prepare_fields(CONTEXT, 7, {**GOOD, "date_of_birth": "1900-01-01"})
    assert outcome.upload["fields"]["age_band"] is None
    blocks = outcome.upload["blocks"]
    assert set(blocks) == {"names"}  # no block of a date or a year
    kinds = {Feature(kind) for kind in decode_features(base64.b64decode(blocks["names"]["features"]))[0].tolist()}
    assert Feature.DOCUMENT in kinds
    assert not kinds & {Feature.DOB_EXACT, Feature.DOB_DIGIT, Feature.DOB_SWAPPED, Feature.YEAR, Feature.YEAR_PAIR}


def test_mapping_values_and_date_format_apply():
    mapping = Mapping(values={"gender": {"femme": "Female"}}, date_format="%m/%d/%Y")
    context = PrepareContext(load_schema(), mapping, "2026-01", TODAY, SECRET)
    outcome = prepare_fields(context, 1, {**GOOD, "gender": "FEMME", "registration_date": "01/02/2026",
                                         "date_of_birth": "08/19/2003"})
    assert outcome.upload["fields"]["gender"] == "Female"
    assert outcome.upload["fields"]["registration_month"] == "2026-01"


CSV = """Case No;Registered;First name;Last name;DOB;Phone;Gender;Age;Remarks;Shoe size
C-1;2026-01-05;Sunita;Tamang;19.08.2003;+977 9812345678;F;;she said her uncle Ram Bahadur sold her;42
C-2;2026-01-06;Asha;Gurung;;;F;300;;
C-3;2026-02-01;Mina;Rai;;;F;20;;
C-1;2026-01-09;Sunita;Tamang;19.08.2003;;F;;;
C-5;2026-01-09;Gita;Magar;;;dragon;25;;
"""
MAPPING = Mapping(columns={"Case No": "case_reference", "Registered": "registration_date", "First name": "given_name",
                           "Last name": "family_name", "DOB": "date_of_birth", "Remarks": "notes"})


def prepare_file(tmp_path, text=CSV, mapping=MAPPING, chunk_rows=2):
    path = tmp_path / "march.csv"
    path.write_text(text, encoding="utf-8")
    prepared = open_prepared(path, "2026-01", mapping, SECRET, today=TODAY)
    return prepared, list(prepared_chunks(prepared, chunk_rows))


def test_a_file_is_prepared_into_chunks_with_its_rejections(tmp_path):
    prepared, chunks = prepare_file(tmp_path)
    assert [chunk.seq for chunk in chunks] == [1, 2, 3]
    assert [row["row"] for chunk in chunks for row in chunk.rows] == [1]
    errors = [(e["row"], e["field"], e["message"]) for chunk in chunks for e in chunk.rejected_rows]
    assert errors == [
        (2, "age", "must be a whole number between 0 and 120"),
        (3, "registration_date", "is after the end of the submission period 2026-01"),
        (4, "case_reference", "duplicates row 1 (same case reference)"),
        (5, "gender", "is not a recognised value; expected one of Female, Male, GenderDiverse, Unknown"),
    ]
    assert prepared.warnings == [
        "column 'Remarks' is free text; it was dropped and never leaves this machine",
        "column 'Shoe size' matches no field of case-v1; it was dropped and never leaves this machine",
    ]


def test_nothing_identifying_or_free_text_leaves_in_chunks_or_messages(tmp_path):
    prepared, chunks = prepare_file(tmp_path)
    sent = b" ".join(chunk.body() for chunk in chunks).decode() + json.dumps(prepared.warnings)
    for value in ("C-1", "C-2", "Sunita", "Tamang", "Asha", "Gurung", "19.08.2003", "2003", "9812345678",
                  "uncle", "Ram Bahadur", "dragon", "300"):
        assert value not in sent


def test_chunking_is_deterministic(tmp_path):
    _, first = prepare_file(tmp_path)
    _, again = prepare_file(tmp_path)
    assert [chunk.body() for chunk in first] == [chunk.body() for chunk in again]


def test_unreadable_rows_are_rejected_without_a_field(tmp_path):
    text = "case_reference,registration_date\nA,2026-01-02\nB,2026-01-03,oops\n"
    _, chunks = prepare_file(tmp_path, text, Mapping(), chunk_rows=10)
    assert chunks[0].rejected_rows == [{"row": 2, "field": None, "code": "unreadable_row", "message": (
        "has more values than the header has columns; a value holding the delimiter may be missing quotes")}]


def test_json_rows_missing_a_required_key_are_rejected(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"case_reference": "A", "registration_date": "2026-01-02", "note": "x"}\n{"case_reference": "B"}\n')
    prepared = open_prepared(path, "2026-01", Mapping(), SECRET, today=TODAY)
    chunks = list(prepared_chunks(prepared, 10))
    assert chunks[0].rejected_rows == [
        {"row": 2, "field": "registration_date", "code": "required", "message": "is required"}]
    assert prepared.warnings == [
        "column 'note' matches no field of case-v1; it was dropped and never leaves this machine"]


def test_a_corrected_copy_of_a_rejected_row_is_accepted(tmp_path):
    header = CSV.splitlines()[0]
    first = CSV.splitlines()[1]
    broken = first.replace(";F;", ";martian;") if ";F;" in first else None
    assert broken, "the fixture's first row is expected to hold the gender F"
    prepared, chunks = prepare_file(tmp_path, text="\n".join([header, broken, first]) + "\n")
    assert [row["row"] for chunk in chunks for row in chunk.rows] == [2]
    assert [(e["row"], e["field"]) for chunk in chunks for e in chunk.rejected_rows] == [(1, "gender")]
