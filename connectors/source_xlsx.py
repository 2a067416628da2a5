"""Reading one sheet of an XLSX workbook, row by row (openpyxl's read-only mode).

An XLSX file is a zip archive, and a small one can unpack to gigabytes (a "zip bomb"): before
openpyxl reads a byte, the archive's own table of contents is checked, its unpacked sizes against
:data:`MAX_UNPACKED_BYTES` and its compression ratio against :data:`MAX_COMPRESSION_RATIO`, and the
sheet's declared size against :data:`MAX_CELLS`.
"""

from __future__ import annotations

import dataclasses
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from connectors.errors import FileRejected
from connectors.layout import FileLayout, data_lines, find_header, is_blank
from connectors.table import SourceTable, UnreadableRow, clean_header

_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError)
# A month of cases is thousands of rows of a few dozen columns: tens of megabytes unpacked at most.
MAX_UNPACKED_BYTES = 512 * 1024**2
# Spreadsheet XML compresses about 10 to 1, rarely beyond 100 to 1; bombs reach 1000 to 1.
MAX_COMPRESSION_RATIO = 200
_RATIO_CHECKED_ABOVE_BYTES = 10 * 1024**2  # small parts may compress well: only big ones are suspect
MAX_CELLS = 50_000_000  # 2,000,000 rows (the hub's limit) of 25 columns


def check_archive(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to more than the limits allow."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileRejected(f"{path.name}: is not a readable XLSX workbook (it is not a zip archive)") from None
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRejected(f"{path.name}: would unpack to {unpacked / 1024**2:,.0f} MB, more than the "
                           f"{MAX_UNPACKED_BYTES // 1024**2} MB a month's export may hold; it was not opened")
    for part in parts:
        if part.file_size > _RATIO_CHECKED_ABOVE_BYTES and part.file_size > MAX_COMPRESSION_RATIO * max(
                part.compress_size, 1):
            raise FileRejected(f"{path.name}: part {part.filename} is compressed more than "
                               f"{MAX_COMPRESSION_RATIO} to 1, as only a zip bomb is; it was not opened")


def _load(path: Path):
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (styles, validations); harmless here.
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _UNREADABLE:
        raise FileRejected(f"{path.name}: is not a readable XLSX workbook") from None


def _sheet(workbook, path: Path, wanted: str | int | None):
    names = workbook.sheetnames
    if wanted is None:
        return workbook.worksheets[0]
    if isinstance(wanted, int) or str(wanted).isdigit():
        number = int(wanted)
        if not 1 <= number <= len(names):
            raise FileRejected(f"{path.name}: has {len(names)} sheet(s), so file.sheet {number} does not exist")
        return workbook.worksheets[number - 1]
    if wanted not in names:
        shown = ", ".join(f"'{name}'" for name in names)
        raise FileRejected(f"{path.name}: has no sheet '{wanted}' (its sheets: {shown}); check file.sheet")
    return workbook[wanted]


def cell_value(value):
    """A cell as the connector wants it: dates as dates, whole numbers as int, text as text."""
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | date | int | float | bool) or value is None:
        return value
    return str(value)


def _lines(sheet) -> Iterator[tuple[int, list]]:
    return ((line, list(cells)) for line, cells in enumerate(sheet.iter_rows(values_only=True), 1))


def open_xlsx(path: Path, layout: FileLayout | None = None) -> SourceTable:
    """Open a workbook and find the header of its sheet (the first, or ``layout.sheet``)."""
    layout = layout or FileLayout()
    check_archive(path)
    workbook = _load(path)
    try:
        sheet = _sheet(workbook, path, layout.sheet)
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            raise FileRejected(f"{path.name}: its sheet declares more than {MAX_CELLS:,} cells; it was not read")
        try:
            found = find_header(_lines(sheet), layout)
        except _UNREADABLE:
            raise FileRejected(f"{path.name}: is not a readable XLSX workbook") from None
        total_rows, title = sheet.max_row, sheet.title
        several = len(workbook.sheetnames) > 1
    finally:
        workbook.close()
    if found is None:
        if layout.header_row:
            raise FileRejected(f"{path.name}: line {layout.header_row} of sheet '{title}' (file.header_row) is blank")
        raise FileRejected(f"{path.name}: is empty (sheet '{title}' has no rows)")
    header_line, cells = found
    return SourceTable(
        path=path,
        kind="xlsx",
        header=clean_header(cells, path.name),
        header_is_complete=True,
        read_rows=_rows,
        progress_total=total_rows - header_line if total_rows else None,
        header_line=header_line,
        layout=dataclasses.replace(layout, sheet=title),
        where=f"{path.name}, sheet '{title}'" if several or layout.sheet is not None else path.name,
    )


def _rows(table: SourceTable) -> Iterator[tuple[int, dict | UnreadableRow]]:
    workbook = _load(table.path)
    try:
        sheet = _sheet(workbook, table.path, table.layout.sheet)
        width = len(table.header)
        lines = data_lines(_lines(sheet), table.header_line, width, table.layout, table.footer)
        for line, cells in lines:
            row_number = line - table.header_line
            table.progress_done = row_number
            if len(cells) > width and not is_blank(cells[width:]):
                yield row_number, UnreadableRow("has values in columns that have no header")
                continue
            padded = cells + [None] * (width - len(cells))
            yield row_number, {name: cell_value(padded[i]) for i, name in enumerate(table.header)}
    except _UNREADABLE:
        raise FileRejected(f"{table.path.name}: is not a readable XLSX workbook (a part of it is damaged)") from None
    finally:
        workbook.close()
