"""Reading the first sheet of an XLSX workbook, row by row (openpyxl's read-only mode)."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from connectors.errors import FileRejected
from connectors.table import SourceTable, UnreadableRow, clean_header

_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError)


def _load(path: Path):
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (styles, validations); harmless here.
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _UNREADABLE:
        raise FileRejected(f"{path.name}: is not a readable XLSX workbook") from None


def cell_value(value):
    """A cell as the connector wants it: dates as dates, whole numbers as int, text as text."""
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | date | int | float | bool) or value is None:
        return value
    return str(value)


def _is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def open_xlsx(path: Path) -> SourceTable:
    """Open a workbook and read the header from the first non-blank row of its first sheet."""
    workbook = _load(path)
    try:
        sheet = workbook.worksheets[0]
        first = next((cells for cells in sheet.iter_rows(values_only=True) if not _is_blank(cells)), None)
        total_rows = sheet.max_row
    finally:
        workbook.close()
    if first is None:
        raise FileRejected(f"{path.name}: is empty (its first sheet has no rows)")
    return SourceTable(
        path=path,
        kind="xlsx",
        header=clean_header(list(first), path.name),
        header_is_complete=True,
        read_rows=_rows,
        progress_total=total_rows - 1 if total_rows else None,
    )


def _rows(table: SourceTable) -> Iterator[tuple[int, dict | UnreadableRow]]:
    workbook = _load(table.path)
    try:
        rows = (cells for cells in workbook.worksheets[0].iter_rows(values_only=True))
        for cells in rows:
            if not _is_blank(cells):
                break  # the header
        width = len(table.header)
        for row_number, cells in enumerate(rows, 1):
            table.progress_done = row_number
            if _is_blank(cells):
                continue
            if len(cells) > width and not _is_blank(cells[width:]):
                yield row_number, UnreadableRow("has values in columns that have no header")
                continue
            padded = list(cells) + [None] * (width - len(cells))
            yield row_number, {name: cell_value(padded[i]) for i, name in enumerate(table.header)}
    finally:
        workbook.close()
