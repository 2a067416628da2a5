"""Exports as partners make them: title rows, footers, several sheets, serial dates, zip bombs."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from connectors import source_xlsx
from connectors.errors import FileRejected
from connectors.mapping import Mapping, load_mapping
from connectors.readers import open_table
from connectors.upload import push

SECRET = b"partners' shared linkage secret!"
TODAY = date(2026, 2, 10)
MAPPING = Mapping(columns={"Case No": "case_reference", "Registered": "registration_date", "Sex": "gender"})
RECORDS = [["K-1", date(2026, 1, 5), "F"], ["K-2", date(2026, 1, 6), "M"], ["K-3", date(2026, 1, 7), "F"]]


def workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, lines in sheets.items():
        sheet = book.create_sheet(name)
        for line in lines:
            sheet.append(line)
    book.save(path)
    return path


def titled(records=RECORDS) -> list[list]:
    return [["Cases registered in January 2026"], [], ["Case No", "Registered", "Sex"], *records,
            [], ["Total: 3 cases"]]


def dry_run(path, mapping=MAPPING, **options) -> dict:
    return push(path, "2026-01", mapping=mapping, linkage_secret=SECRET, linkage_secret_version=1,
                dry_run=True, progress=False, today=TODAY, **options)


def test_a_header_below_a_title_is_found_and_a_total_below_the_records_is_no_row(tmp_path):
    receipt = dry_run(workbook(tmp_path / "cases.xlsx", {"Cases": titled()}))
    assert (receipt["would_be"], receipt["accepted"], receipt["rejected"]) == ("accepted", 3, 0)
    notes = receipt["warnings"]
    assert "cases.xlsx: the header was read from line 3; the lines above it were skipped" in notes[0]
    assert "cases.xlsx: line 8 below the last record was read as a footer" in notes[1]


def test_the_same_in_a_csv_export(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("Cases registered in January 2026\n\nCase No,Registered,Sex\nK-1,2026-01-05,F\n"
                    "K-2,2026-01-06,M\nTotal: 2 cases,,\n")
    receipt = dry_run(path)
    assert (receipt["accepted"], receipt["rejected"]) == (2, 0)
    assert any("header was read from line 3" in note for note in receipt["warnings"])


def test_the_sheet_header_row_and_footer_lines_can_be_set_in_the_mapping(tmp_path):
    lines = [["Export", "of", "cases"], ["Case No", "Registered", "Sex"], *RECORDS, ["Printed by", "the", "system"]]
    path = workbook(tmp_path / "cases.xlsx", {"Summary": [["nothing here"]], "Cases": lines})
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("columns: {Case No: case_reference, Registered: registration_date, Sex: gender}\n"
                            "file: {sheet: Cases, header_row: 2, skip_footer: 1}\n")
    receipt = dry_run(path, mapping=load_mapping(mapping_file))
    assert (receipt["accepted"], receipt["rejected"]) == (3, 0)
    assert "cases.xlsx, sheet 'Cases': line 6 below the last record" in receipt["warnings"][0]
    mapping_file.write_text("file: {sheet: Intake}\n")
    with pytest.raises(FileRejected, match="has no sheet 'Intake' \\(its sheets: 'Summary', 'Cases'\\)"):
        dry_run(path, mapping=load_mapping(mapping_file))


def test_a_bad_layout_option_is_named(tmp_path):
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text("file: {header_row: 0}\n")
    with pytest.raises(FileRejected, match="file.header_row: must be a whole number, 1 or more"):
        load_mapping(mapping_file)


def test_serial_dates_and_date_cells_are_read(tmp_path):
    records = [["K-1", 46027, "F"], ["K-2", datetime(2026, 1, 6, 14, 30), "M"], ["K-3", "46029", "F"]]
    receipt = dry_run(workbook(tmp_path / "cases.xlsx", {"Cases": [["Case No", "Registered", "Sex"], *records]}))
    assert (receipt["accepted"], receipt["rejected"], receipt["errors"]) == (3, 0, [])


def _bomb(tmp_path, part_bytes: int):
    """A real workbook whose sheet part is padded with blanks: tiny packed, big unpacked."""
    plain = workbook(tmp_path / "plain.xlsx", {"Cases": [["Case No", "Registered", "Sex"], *RECORDS]})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            content = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                content += b" " * part_bytes
            target.writestr(part, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return bomb


def test_a_zip_bomb_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    bomb = _bomb(tmp_path, 20 * 1024**2)
    assert bomb.stat().st_size < 200_000
    monkeypatch.setattr(source_xlsx.openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(FileRejected, match="compressed more than 200 to 1, as only a zip bomb is"):
        open_table(bomb)
    monkeypatch.setattr(source_xlsx, "MAX_UNPACKED_BYTES", 10 * 1024**2)
    with pytest.raises(FileRejected, match="would unpack to 20 MB, more than the 10 MB"):
        open_table(bomb)


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_clearly(tmp_path):
    fake = tmp_path / "cases.xlsx"
    fake.write_text("Case No,Registered\nK-1,2026-01-05\n")
    with pytest.raises(FileRejected, match="is not a readable XLSX workbook \\(it is not a zip archive\\)"):
        open_table(fake)


def test_a_damaged_workbook_is_refused_clearly(tmp_path):
    path = workbook(tmp_path / "cases.xlsx", {"Cases": [["Case No", "Registered", "Sex"], *RECORDS]})
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(FileRejected, match="is not a readable XLSX workbook"):
        open_table(path)
