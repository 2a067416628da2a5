"""Reading delimited text (CSV, TSV): encoding and delimiter detection, then streaming rows."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from connectors.encoding import detect_encoding
from connectors.errors import FileRejected
from connectors.layout import FileLayout, data_lines, find_header
from connectors.table import SourceTable, UnreadableRow, clean_header

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARACTERS = 64 * 1024
_SNIFF_LINES = 50
_PROGRESS_EVERY = 256
_ENCODING_HINT = "set file.encoding in the mapping file or pass --encoding (for example cp1252 or utf-8)"


def sniff_delimiter(sample: str) -> str:
    """The delimiter among , ; TAB | that splits the sample into the most consistent columns.

    Falls back to a comma, so that a file with another delimiter shows up as one wide column
    (which :mod:`connectors.mapping` explains).

    >>> sniff_delimiter("Case No;Gender;Note\\n1;F;a, b\\n2;M;c\\n")
    ';'
    >>> sniff_delimiter("id\\tname\\n1\\tAna\\n")
    '\\t'
    >>> sniff_delimiter("Export of cases\\nCase No;Gender\\n1;F\\n")
    ';'
    >>> sniff_delimiter("just one column\\n")
    ','
    """
    lines = sample.splitlines()[:_SNIFF_LINES]
    best, best_score = ",", None
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not widths:
            continue
        # The most common width, not the first line's: a title line above the header has one cell.
        width = max(set(widths), key=lambda w: (widths.count(w), w))
        if width < 2:
            continue
        agreement = widths.count(width) / len(widths)
        score = (agreement >= 0.9, agreement, width)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _checked_encoding(path: Path, encoding: str | None) -> str:
    if encoding is None:
        encoding = detect_encoding(path)
        if encoding is None:
            raise FileRejected(f"{path.name}: the text encoding could not be recognised; {_ENCODING_HINT}")
        return encoding
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileRejected(f"{path.name}: unknown encoding '{encoding}'") from None
    return encoding


def _read_start(path: Path, encoding: str) -> str:
    try:
        with path.open(encoding=encoding, newline="") as text:
            return text.read(_SNIFF_CHARACTERS)
    except UnicodeDecodeError:
        raise FileRejected(f"{path.name}: cannot be read as {encoding}; {_ENCODING_HINT}") from None


def open_delimited(path: Path, *, encoding: str | None = None, delimiter: str | None = None,
                   layout: FileLayout | None = None) -> SourceTable:
    """Open a delimited text file: detect what was not given, and find its header (connectors.layout)."""
    layout = layout or FileLayout()
    encoding = _checked_encoding(path, encoding)
    start = _read_start(path, encoding)
    if not start.strip():
        raise FileRejected(f"{path.name}: is empty")
    if "\x00" in start:
        raise FileRejected(f"{path.name}: holds NUL characters, so the encoding is wrong; {_ENCODING_HINT}")
    delimiter = delimiter or sniff_delimiter(start)
    try:
        found = find_header(enumerate(csv.reader(io.StringIO(start), delimiter=delimiter), 1), layout)
    except csv.Error:
        found = None
    if found is None:
        detail = f" (line {layout.header_row} is blank or beyond the first 64 KB)" if layout.header_row else ""
        raise FileRejected(f"{path.name}: has no header row{detail}")
    header_line, first_record = found
    return SourceTable(
        path=path,
        kind="csv",
        header=clean_header(first_record, path.name),
        header_is_complete=True,
        read_rows=_rows,
        encoding=encoding,
        delimiter=delimiter,
        progress_unit="B",
        progress_total=path.stat().st_size,
        header_line=header_line,
        layout=layout,
    )


def _values(table: SourceTable, record: list[str]) -> dict | UnreadableRow:
    width = len(table.header)
    if len(record) > width and any(cell.strip() for cell in record[width:]):
        return UnreadableRow(
            "has more values than the header has columns; a value holding the delimiter may be missing quotes"
        )
    return {name: (record[i] if i < len(record) else "") for i, name in enumerate(table.header)}


def _rows(table: SourceTable) -> Iterator[tuple[int, dict | UnreadableRow]]:
    name, row_number = table.path.name, 0
    with table.path.open(encoding=table.encoding, newline="") as text:
        records = enumerate(csv.reader(text, delimiter=table.delimiter), 1)
        try:
            for line, record in data_lines(records, table.header_line, len(table.header), table.layout, table.footer):
                row_number = line - table.header_line
                if row_number % _PROGRESS_EVERY == 0:
                    table.progress_done = text.buffer.tell()
                yield row_number, _values(table, record)
        except UnicodeDecodeError:
            raise FileRejected(
                f"{name}: cannot be read as {table.encoding} after row {row_number}; {_ENCODING_HINT}"
            ) from None
        except csv.Error as error:
            raise FileRejected(f"{name}: row {row_number + 1} is not valid delimited text ({error})") from None
    table.progress_done = table.progress_total or 0
