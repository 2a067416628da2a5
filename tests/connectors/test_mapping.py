"""Mapping files and column plans: mistakes name the entry; dropped columns are said once."""

from __future__ import annotations

import pytest

from connectors.columns import plan_columns
from connectors.errors import FileRejected
from connectors.mapping import Mapping, load_mapping
from schemas import load_schema

SCHEMA = load_schema()


def write(tmp_path, text: str):
    path = tmp_path / "mapping.yaml"
    path.write_text(text)
    return path


def test_full_mapping_loads(tmp_path):
    mapping = load_mapping(write(tmp_path, """
schema: case-v1
file: {encoding: cp1252, delimiter: tab, date_format: "%d/%m/%Y"}
columns: {"Case No": case_reference, "First name": given_name, "Internal": null}
values: {gender: {"F": Female, "H": m}, citizenship: {"Nepal": NPL}}
multi_separator: "/"
"""))
    assert (mapping.encoding, mapping.delimiter, mapping.date_format) == ("cp1252", "\t", "%d/%m/%Y")
    assert mapping.columns == {"Case No": "case_reference", "First name": "given_name", "Internal": None}
    assert mapping.values["gender"] == {"f": "Female", "h": "Male"}
    assert mapping.multi_separator == "/"
    assert len(mapping.fingerprint) == 64


@pytest.mark.parametrize("text, message", [
    ("columns: {'First name': givenname}", r"columns.'First name': 'givenname' is not a field of case-v1; did you mean given_name\?"),
    ("columns: {A: gender, B: gender}", "columns.'B': maps to gender, which column 'A' already maps to"),
    ("values: {gender: {F: Femme}}", r"values.gender.'F': 'Femme' is not a value of gender"),
    ("values: {given_name: {a: b}}", "values.given_name: is not a field of case-v1 with a list of values"),
    ("file: {encoding: klingon}", "file.encoding: 'klingon' is not an encoding"),
    ("file: {delimiter: '::'}", "file.delimiter: must be one character"),
    ("colums: {}", "colums: is not a mapping entry"),
    ("schema: case-v9", "schema: 'case-v9' is not a known schema"),
    ("columns: [a, b", r"is not valid UTF-8 \(or UTF-16\) YAML"),
])
def test_mapping_mistakes_name_the_entry(tmp_path, text, message):
    with pytest.raises(FileRejected, match=f"mapping file mapping.yaml: {message}"):
        load_mapping(write(tmp_path, text))


def test_a_mapping_file_windows_powershell_wrote_is_read(tmp_path):
    # `hub-connector mapping init FILE > mapping.yaml` in Windows PowerShell 5 writes UTF-16 with a BOM.
    path = tmp_path / "mapping.yaml"
    path.write_bytes("columns: {'Nationalité': citizenship}\n".encode("utf-16"))
    assert load_mapping(path).columns == {"Nationalité": "citizenship"}


def test_without_mapping_columns_match_field_names_loosely():
    header = ("Case Reference", "REGISTRATION DATE", "date-of-birth", "Notes", "Shoe size")
    plan = plan_columns(SCHEMA, Mapping(), header, "cases.csv")
    assert plan.fields == {
        "Case Reference": "case_reference", "REGISTRATION DATE": "registration_date",
        "date-of-birth": "date_of_birth", "Notes": None, "Shoe size": None,
    }
    assert plan.warnings == [
        "column 'Notes' is free text; it was dropped and never leaves this machine",
        "column 'Shoe size' matches no field of case-v1; it was dropped and never leaves this machine",
    ]


def test_mapping_targets_free_text_and_null_drops_silently():
    mapping = Mapping(columns={"Remarks": "notes", "Internal": None, "Ref": "case_reference"})
    plan = plan_columns(SCHEMA, mapping, ("Ref", "registration_date", "Remarks", "Internal"), "cases.csv")
    assert plan.warnings == ["column 'Remarks' is free text; it was dropped and never leaves this machine"]


def test_missing_required_column_is_named():
    with pytest.raises(FileRejected, match="cases.csv: no column for the required field registration_date"):
        plan_columns(SCHEMA, Mapping(), ("case_reference", "gender"), "cases.csv")


def test_missing_mapped_column_is_explained():
    mapping = Mapping(columns={"Date reg": "registration_date"})
    with pytest.raises(FileRejected, match="the mapping names column 'Date reg', which the file does not have"):
        plan_columns(SCHEMA, mapping, ("case_reference", "gender"), "cases.csv")


def test_wrong_delimiter_gets_a_hint():
    with pytest.raises(FileRejected, match="single column holding ';', so the delimiter is probably wrong"):
        plan_columns(SCHEMA, Mapping(), ("case_reference;registration_date;gender",), "cases.csv")


def test_two_columns_for_one_field_are_refused():
    with pytest.raises(FileRejected, match="columns 'Gender' and 'gender' both feed the field gender"):
        plan_columns(SCHEMA, Mapping(), ("case_reference", "registration_date", "Gender", "gender"), "c.csv")


def test_json_headers_are_not_checked_for_required_columns():
    plan = plan_columns(SCHEMA, Mapping(), ("gender",), "cases.jsonl", header_is_complete=False)
    assert plan.field_of("registration_date") == "registration_date"
