"""Readers: every common export shape streams as numbered rows; broken files get one clear message."""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl
import pytest

from connectors.readers import FileRejected, UnreadableRow, open_table
from connectors.source_json import MAX_JSON_ARRAY_BYTES

HEADER = "Case No;Nom;Ville\n"
ROWS = "C1;José Müller;Zürich\nC2;Zoë Ñúñez;Besançon\n"


def rows_of(table) -> list:
    return list(table)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8", "utf-8-sig", "utf-16"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "cases.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    table = open_table(path)
    assert table.header == ("Case No", "Nom", "Ville")
    assert table.delimiter == ";"
    assert rows_of(table) == [
        (1, {"Case No": "C1", "Nom": "José Müller", "Ville": "Zürich"}),
        (2, {"Case No": "C2", "Nom": "Zoë Ñúñez", "Ville": "Besançon"}),
    ]


def test_cyrillic_windows_1251_is_detected(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("id,name\n1,Иван Петров\n2,Мария Иванова\n".encode("cp1251"))
    assert [values["name"] for _, values in open_table(path)] == ["Иван Петров", "Мария Иванова"]


def test_non_ascii_far_down_the_file_still_decides_the_encoding(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"id,name\n" + b"1,abc\n" * 300_000 + "2,Zoë\n".encode("cp1252"))
    table = open_table(path)
    assert table.encoding == "cp1252"
    assert list(table)[-1] == (300_001, {"id": "2", "name": "Zoë"})


def test_encoding_can_be_given(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("id,name\n1,Dvořák\n".encode("cp1250"))
    assert rows_of(open_table(path, encoding="cp1250")) == [(1, {"id": "1", "name": "Dvořák"})]


def test_wrong_encoding_given_is_a_file_rejection(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("id,name\n1,Zoë\n".encode("cp1252"))
    with pytest.raises(FileRejected, match="cases.csv: cannot be read as utf-8"):
        rows_of(open_table(path, encoding="utf-8"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    path = tmp_path / "cases.csv"
    lines = [["case_reference", "gender", "notes"], ["C1", "F", "said: a, b; c"], ["C2", "M", ""]]
    path.write_text("\n".join(delimiter.join(f'"{v}"' if v else v for v in line) for line in lines) + "\n")
    table = open_table(path)
    assert table.delimiter == delimiter
    assert rows_of(table)[0] == (1, {"case_reference": "C1", "gender": "F", "notes": "said: a, b; c"})


def test_blank_rows_are_skipped_but_keep_their_number(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("id,name\n1,a\n,\n\n4,d\n")
    assert [number for number, _ in open_table(path)] == [1, 4]


def test_a_row_with_too_many_values_is_unreadable_not_fatal(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("id,name\n1,a\n2,Silva, Ana\n3,c,\n")
    rows = rows_of(open_table(path))
    assert isinstance(rows[1][1], UnreadableRow)
    assert "Silva" not in rows[1][1].message
    assert rows[2] == (3, {"id": "3", "name": "c"})  # a trailing empty value is harmless


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_rejected(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match="empty.csv: is empty"):
        open_table(path)


def test_duplicate_column_is_rejected(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("id,name,name\n1,a,b\n")
    with pytest.raises(FileRejected, match="column 'name' appears twice"):
        open_table(path)


@pytest.mark.parametrize("name, message", [
    ("cases.pdf", "unsupported file type '.pdf'"),
    ("cases.xls", "old .xls workbooks"),
])
def test_unsupported_extensions(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(FileRejected, match=message):
        open_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileRejected, match="nowhere.csv: does not exist"):
        open_table(tmp_path / "nowhere.csv")


def test_xlsx_first_sheet_with_dates_and_numbers(tmp_path):
    path = tmp_path / "cases.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Case No", "Registered", "Age", "Name"])
    sheet.append(["C1", datetime(2026, 1, 5), 34, "Ana"])
    sheet.append([None, None, None, None])
    sheet.append([1002, date(2026, 1, 9), 21.0, None])
    workbook.create_sheet("Other").append(["ignored"])
    workbook.save(path)
    table = open_table(path)
    assert table.kind == "xlsx" and table.header == ("Case No", "Registered", "Age", "Name")
    assert rows_of(table) == [
        (1, {"Case No": "C1", "Registered": date(2026, 1, 5), "Age": 34, "Name": "Ana"}),
        (3, {"Case No": 1002, "Registered": date(2026, 1, 9), "Age": 21, "Name": None}),
    ]


def test_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_text("id,name\n")
    with pytest.raises(FileRejected, match="not a readable XLSX workbook"):
        open_table(path)


def test_empty_xlsx(tmp_path):
    path = tmp_path / "cases.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(FileRejected, match="is empty"):
        open_table(path)


def test_json_array(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([{"id": "1", "types": ["sex", "labour"]}, {"id": "2", "extra": None}, 5]))
    table = open_table(path)
    assert table.header == ("id", "types", "extra") and not table.header_is_complete
    rows = rows_of(table)
    assert rows[:2] == [(1, {"id": "1", "types": ["sex", "labour"]}), (2, {"id": "2", "extra": None})]
    assert rows[2] == (3, UnreadableRow("is not a JSON object"))


@pytest.mark.parametrize("name", ["cases.jsonl", "cases.ndjson", "cases.json"])
def test_json_lines(tmp_path, name):
    path = tmp_path / name
    path.write_text('{"id": "1"}\n\n{"id": "3", "age": 4}\n{broken\n')
    table = open_table(path)
    assert table.kind == "jsonl" and table.header == ("id",)
    assert rows_of(table) == [(1, {"id": "1"}), (3, {"id": "3", "age": 4}), (4, UnreadableRow("is not valid JSON"))]


def test_huge_json_array_is_refused_with_advice(tmp_path):
    path = tmp_path / "cases.json"
    with path.open("wb") as stream:
        stream.write(b"[")
        stream.truncate(MAX_JSON_ARRAY_BYTES + 1)  # sparse: no need to write 200 MB
    with pytest.raises(FileRejected, match="JSON Lines .* or CSV"):
        open_table(path)


def test_invalid_json_array(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text('[{"id": 1},\n{"id": ')
    with pytest.raises(FileRejected, match="cases.json: is not valid JSON at line 2"):
        open_table(path)


def test_a_2_gb_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "cases.csv"
    with huge.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: takes no disk
    with pytest.raises(FileRejected, match=r"cases.csv: is 2.0 GB, larger than the 1 GB"):
        open_table(huge)
