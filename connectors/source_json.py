"""Reading JSON exports: an array of objects (up to 200 MB), or JSON Lines of any size."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from connectors.encoding import byte_order_mark_encoding
from connectors.errors import FileRejected
from connectors.table import SourceTable, UnreadableRow

# A JSON array has to be parsed whole; beyond this size that costs too much memory.
MAX_JSON_ARRAY_BYTES = 200 * 1024 * 1024
_PROGRESS_EVERY = 256


def _encoding(path: Path, encoding: str | None) -> str:
    with path.open("rb") as stream:
        head = stream.read(4)
    return encoding or byte_order_mark_encoding(head) or "utf-8"


def _first_character(path: Path, encoding: str) -> str:
    try:
        with path.open(encoding=encoding) as text:
            while chunk := text.read(4096):
                if stripped := chunk.lstrip():
                    return stripped[0]
    except UnicodeDecodeError:
        raise FileRejected(f"{path.name}: is not valid {encoding} text") from None
    return ""


def open_json(path: Path, *, encoding: str | None = None) -> SourceTable:
    """Open a ``.json`` file: an array of objects, or JSON Lines under a ``.json`` name."""
    encoding = _encoding(path, encoding)
    first = _first_character(path, encoding)
    if first == "{":
        return open_json_lines(path, encoding=encoding)
    if first != "[":
        raise FileRejected(f"{path.name}: is empty or not a JSON array of objects")
    size = path.stat().st_size
    if size > MAX_JSON_ARRAY_BYTES:
        raise FileRejected(
            f"{path.name}: a JSON array of {size // (1024 * 1024)} MB is too large to read; "
            "export it as JSON Lines (one object per line) or CSV, which are read as a stream"
        )
    try:
        with path.open(encoding=encoding) as text:
            items = json.load(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f" at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise FileRejected(f"{path.name}: is not valid JSON{where}") from None
    if not items:
        raise FileRejected(f"{path.name}: is empty (an array with no records)")
    header: dict[str, None] = {}
    for item in items:
        if isinstance(item, dict):
            header.update(dict.fromkeys(item))
    return SourceTable(
        path=path,
        kind="json",
        header=tuple(header),
        header_is_complete=False,
        read_rows=lambda table: _array_rows(table, items),
        encoding=encoding,
        progress_total=len(items),
    )


def _array_rows(table: SourceTable, items: list) -> Iterator[tuple[int, dict | UnreadableRow]]:
    for row_number, item in enumerate(items, 1):
        table.progress_done = row_number
        yield row_number, item if isinstance(item, dict) else UnreadableRow("is not a JSON object")


def _parse_line(line: str) -> dict | UnreadableRow:
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        return UnreadableRow("is not valid JSON")
    return item if isinstance(item, dict) else UnreadableRow("is not a JSON object")


def open_json_lines(path: Path, *, encoding: str | None = None) -> SourceTable:
    """Open a JSON Lines file; the header is the keys of the first object (others may add keys)."""
    encoding = _encoding(path, encoding)
    first = None
    try:
        with path.open(encoding=encoding) as text:
            first = next((_parse_line(line) for line in text if line.strip()), None)
    except UnicodeDecodeError:
        raise FileRejected(f"{path.name}: is not valid {encoding} text") from None
    if first is None:
        raise FileRejected(f"{path.name}: is empty")
    return SourceTable(
        path=path,
        kind="jsonl",
        header=tuple(first) if isinstance(first, dict) else (),
        header_is_complete=False,
        read_rows=_line_rows,
        encoding=encoding,
        progress_unit="B",
        progress_total=path.stat().st_size,
    )


def _line_rows(table: SourceTable) -> Iterator[tuple[int, dict | UnreadableRow]]:
    """Rows numbered by line, so that row N is line N of the file."""
    line_number = 0
    try:
        with table.path.open(encoding=table.encoding) as text:
            for line_number, line in enumerate(text, 1):
                if line_number % _PROGRESS_EVERY == 0:
                    table.progress_done = text.buffer.tell()
                if line.strip():
                    yield line_number, _parse_line(line)
    except UnicodeDecodeError:
        raise FileRejected(f"{table.path.name}: is not valid {table.encoding} text after line {line_number}") from None
    table.progress_done = table.progress_total or 0
