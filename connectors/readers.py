"""Streaming readers of partners' exports: CSV (and other delimited text), XLSX and JSON.

Every reader yields ``(row_number, values)`` one row at a time, where row 1 is the first data
row (the row after the header; blank rows keep their number so that row N is line N + 1 of a
spreadsheet) and ``values`` maps column names to raw cell values. A row that cannot be read is
yielded as an :class:`UnreadableRow`, so that it is reported like any other bad row. Problems
with the file as a whole raise :class:`~connectors.errors.FileRejected`.
"""

from __future__ import annotations

from pathlib import Path

from connectors import source_delimited, source_json, source_xlsx
from connectors.errors import FileRejected
from connectors.layout import FileLayout
from connectors.table import SourceTable, UnreadableRow

__all__ = ["FileRejected", "SourceTable", "UnreadableRow", "open_table"]

DELIMITED_EXTENSIONS = (".csv", ".tsv", ".txt")
JSON_LINES_EXTENSIONS = (".jsonl", ".ndjson")
SUPPORTED_EXTENSIONS = (*DELIMITED_EXTENSIONS, ".xlsx", ".json", *JSON_LINES_EXTENSIONS)


# One month of one partner's cases is thousands of rows, megabytes; the hub takes at most two
# million rows per submission. A file above this is almost surely the wrong file (a full database
# export, a video), and is refused before a byte is read or sent.
MAX_FILE_BYTES = 1024**3


def open_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               layout: FileLayout | None = None) -> SourceTable:
    """Open an export for streaming; ``encoding`` and ``delimiter`` override detection (text files),
    ``layout`` says where the table sits (connectors.layout: header line, sheet, footer).

    >>> open_table("cases.pdf")
    Traceback (most recent call last):
    connectors.errors.FileRejected: cases.pdf: does not exist
    """
    path = Path(path)
    if not path.exists():
        raise FileRejected(f"{path.name}: does not exist")
    if not path.is_file():
        raise FileRejected(f"{path.name}: is not a file")
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(f"{path.name}: is empty")
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            f"{path.name}: is {size / 1024**3:.1f} GB, larger than the 1 GB that one month's export may be "
            "(the hub takes at most 2,000,000 rows per submission); check that it is the right file, "
            "or split it by month"
        )
    extension = path.suffix.lower()
    if extension in DELIMITED_EXTENSIONS:
        return source_delimited.open_delimited(path, encoding=encoding, delimiter=delimiter, layout=layout)
    if extension == ".xlsx":
        return source_xlsx.open_xlsx(path, layout)
    if extension == ".json":
        return source_json.open_json(path, encoding=encoding)
    if extension in JSON_LINES_EXTENSIONS:
        return source_json.open_json_lines(path, encoding=encoding)
    if extension == ".xls":
        raise FileRejected(f"{path.name}: old .xls workbooks cannot be read; save it as .xlsx or CSV")
    shown = ", ".join(SUPPORTED_EXTENSIONS)
    raise FileRejected(f"{path.name}: unsupported file type '{extension or '(none)'}'; use one of {shown}")
