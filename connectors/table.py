"""The shape every reader returns: a header and a stream of numbered rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from connectors.errors import FileRejected
from connectors.layout import FileLayout, Footer, footer_warning, header_note


@dataclass(frozen=True)
class UnreadableRow:
    """A row the reader could not make sense of; ``message`` says why without quoting it."""

    message: str


@dataclass(eq=False)
class SourceTable:
    """An opened export: its header, how it was read, and its rows (read again on each pass)."""

    path: Path
    kind: str  # "csv", "xlsx", "json" or "jsonl"
    header: tuple[str, ...]
    # False when rows may hold columns the header does not list (JSON objects omit keys).
    header_is_complete: bool
    read_rows: Callable[[SourceTable], Iterator[tuple[int, dict | UnreadableRow]]] = field(repr=False)
    encoding: str | None = None
    delimiter: str | None = None
    progress_unit: str = "rows"  # "B" when progress is counted in bytes read
    progress_total: int | None = None
    progress_done: int = 0
    # Layout (connectors.layout): row N of the table is line header_line + N of the file or sheet.
    header_line: int = 1
    layout: FileLayout = field(default_factory=FileLayout)
    footer: Footer = field(default_factory=Footer)
    where: str = ""  # "cases.xlsx, sheet 'Cases'": how messages name the place read

    def __post_init__(self):
        self.where = self.where or self.path.name

    def __iter__(self) -> Iterator[tuple[int, dict | UnreadableRow]]:
        self.progress_done = 0
        self.footer = Footer()
        return self.read_rows(self)

    @property
    def notes(self) -> list[str]:
        """Where the header was found and what was left out as a footer (after a full pass)."""
        # A header line the mapping file sets is no news; one the connector found is.
        found_header = header_note(self.header_line, self.where) if self.layout.header_row is None else None
        found = (found_header, footer_warning(self.footer, self.where))
        return [note for note in found if note]


def clean_header(names: list, file_name: str) -> tuple[str, ...]:
    """Column names stripped of spacing; blank ones named by position; duplicates refused."""
    header = tuple(
        str(name).strip().lstrip("\ufeff") if name is not None and str(name).strip() else f"(column {i})"
        for i, name in enumerate(names, 1)
    )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise FileRejected(f"{file_name}: column '{name}' appears twice in the header")
        seen.add(name)
    return header
