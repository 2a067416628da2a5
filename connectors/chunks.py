"""Reading, preparing and cutting a file into numbered chunks, the same way on every run."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tqdm import tqdm

from connectors.columns import plan_columns
from connectors.mapping import Mapping
from connectors.prepare import PrepareContext, RowPreparer
from connectors.readers import SourceTable, open_table


SENT_OF_A_REJECTION = ("row", "field", "code")


@dataclass
class Chunk:
    """Chunk ``seq`` (1, 2, ...): the valid rows and the locally rejected rows among its source rows."""

    seq: int
    rows: list[dict] = field(default_factory=list)
    rejected_rows: list[dict] = field(default_factory=list)
    rejected_count: int = 0
    # What the partner's screen adds to each rejection (column, cell, nearest codes): never sent.
    local_details: list[dict] = field(default_factory=list)

    def body(self) -> bytes:
        """The chunk as sent: canonical JSON, so that a resent chunk is byte for byte the same."""
        # A rejection leaves as its row, field and code: its message may say more, for this screen only.
        rejected = [{name: error[name] for name in SENT_OF_A_REJECTION} for error in self.rejected_rows]
        content = {"rows": self.rows, "rejected_rows": rejected}
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass
class PreparedFile:
    """An opened export with the preparation of its rows ready to run."""

    table: SourceTable
    preparer: RowPreparer

    @property
    def warnings(self) -> list[str]:
        """The file's notes (header line, footer; complete after a full pass) and the rows' warnings."""
        return self.table.notes + self.preparer.warnings


def open_prepared(path: Path, period: str, mapping: Mapping, linkage_secret: bytes, *, today: date,
                  encoding: str | None = None, delimiter: str | None = None,
                  on_invalid: str = "reject") -> PreparedFile:
    """Open the file and plan its columns; file-level problems raise FileRejected here."""
    table = open_table(path, encoding=encoding or mapping.encoding, delimiter=delimiter or mapping.delimiter,
                       layout=mapping.layout())
    schema = mapping.schema()
    plan = plan_columns(schema, mapping, table.header, table.where, header_is_complete=table.header_is_complete,
                        header_line=table.header_line if table.kind in ("csv", "xlsx") else None)
    context = PrepareContext(schema, mapping, period, today, linkage_secret, on_invalid)
    return PreparedFile(table, RowPreparer(context, plan))


def _progress_bar(table: SourceTable, enabled: bool) -> tqdm:
    in_bytes = table.progress_unit == "B"
    return tqdm(
        total=table.progress_total, unit="B" if in_bytes else " rows", unit_scale=in_bytes,
        file=sys.stderr, disable=not enabled or not sys.stderr.isatty(), delay=1.0, desc="reading",
    )


def prepared_chunks(prepared: PreparedFile, chunk_rows: int, *, progress: bool = False) -> Iterator[Chunk]:
    """The file's chunks of ``chunk_rows`` source rows each (valid and rejected alike)."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    chunk, in_chunk = Chunk(1), 0
    with _progress_bar(prepared.table, progress) as bar:
        for row_number, values in prepared.table:
            outcome = prepared.preparer.prepare(row_number, values)
            if outcome.upload is not None:
                chunk.rows.append(outcome.upload)
            else:
                chunk.rejected_rows.extend(outcome.errors)
                chunk.local_details.extend(outcome.details)
                chunk.rejected_count += 1
            in_chunk += 1
            if in_chunk == chunk_rows:
                bar.update(prepared.table.progress_done - bar.n)
                yield chunk
                chunk, in_chunk = Chunk(chunk.seq + 1), 0
        bar.update(prepared.table.progress_done - bar.n)
    if in_chunk:
        yield chunk


# Enough for every error a person reads; a file with more bad rows shows the rest without details.
MAX_LOCAL_DETAILS = 10_000


class LocalDetails:
    """The local details of a file's rejections, joined to any list of errors by row and field."""

    def __init__(self, header_line: int = 1):
        self.header_line = header_line
        self._by_place: dict[tuple, dict] = {}

    def add(self, chunk: Chunk) -> None:
        for detail in chunk.local_details:
            if len(self._by_place) < MAX_LOCAL_DETAILS:
                self._by_place[(detail["row"], detail["field"])] = detail

    def of(self, errors: list[dict]) -> list[dict]:
        """For each row error (the hub's or the dry run's): row, field, line, column, cell, nearest codes.

        Kept apart from the errors, so that the hub's signed receipt stays as the hub signed it."""
        found = []
        for error in errors:
            if error.get("row") is None:
                continue
            detail = {"row": error["row"], "field": error.get("field"), "line": error["row"] + self.header_line}
            detail.update(self._by_place.get((error["row"], error.get("field")), {}))
            found.append(detail)
        return found
