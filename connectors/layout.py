"""Where the table sits in a sheet or text file: the header line, title lines above it, footer lines.

Exports made by hand or by reporting tools put a title ("Cases registered, November") and blank
lines above the header, and a total ("Total: 6 cases") below the last record. The header is the
line given by ``file.header_row`` in the mapping file; otherwise, among the first
:data:`HEADER_SEARCH_LINES` lines (after ``file.skip_rows``), the line naming the most known columns
(the mapping's columns and the schema's field names), or the first non-blank line when none names
any. Lines after the last record that fill a single cell of a table of three or more columns are a
footer and are left out, as are the last ``file.skip_footer`` non-blank lines; both are reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

HEADER_SEARCH_LINES = 30
# A footer line fills one cell; a record fills several. With two columns a record may fill one.
_FOOTER_NEEDS_COLUMNS = 3


@dataclass(frozen=True)
class FileLayout:
    """The mapping file's ``file`` options on layout, and the column names a header may hold."""

    header_row: int | None = None  # line number (1 = the first line) of the header
    skip_rows: int = 0  # lines at the top never taken as the header
    skip_footer: int = 0  # last non-blank lines left out
    sheet: str | int | None = None  # XLSX: a sheet's name or its number from 1
    known_columns: frozenset[str] = field(default_factory=frozenset)  # folded with fold_column


def fold_column(name: str) -> str:
    """A column name as compared with schema field names.

    >>> fold_column(" Date of-Birth ")
    'dateofbirth'
    """
    return "".join(ch for ch in name.casefold() if ch not in " _-\t")


def is_blank(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _filled(cells) -> int:
    return sum(1 for cell in cells if not is_blank((cell,)))


def find_header(lines: Iterable[tuple[int, list]], layout: FileLayout) -> tuple[int, list] | None:
    """The header's (line number, cells) among the first lines; None when there is no non-blank line.

    >>> lines = enumerate([["Cases of November"], [], ["Case No", "Gender", "age"], ["1", "F", "20"]], 1)
    >>> find_header(lines, FileLayout(known_columns=frozenset({"gender", "age"})))
    (3, ['Case No', 'Gender', 'age'])
    """
    best, best_score, first = None, 0, None
    for line, cells in lines:
        if layout.header_row is not None:
            if line == layout.header_row:
                return (line, cells) if not is_blank(cells) else None
            continue
        if line <= layout.skip_rows or is_blank(cells):
            continue
        first = first or (line, cells)
        score = sum(1 for cell in cells if cell is not None and fold_column(str(cell)) in layout.known_columns)
        if score > best_score:
            best, best_score = (line, cells), score
        if line >= layout.skip_rows + HEADER_SEARCH_LINES:
            break
    return best or first


@dataclass
class Footer:
    """What was left out below the last record, for the partner's warning."""

    lines: list[int] = field(default_factory=list)


def _without_last(lines: Iterator[tuple[int, list]], count: int, footer: Footer) -> Iterator[tuple[int, list]]:
    held: deque[tuple[int, list]] = deque()
    for item in lines:
        held.append(item)
        if len(held) > count:
            yield held.popleft()
    footer.lines.extend(line for line, _ in held)


def _without_sparse_tail(lines: Iterator[tuple[int, list]], footer: Footer) -> Iterator[tuple[int, list]]:
    held: list[tuple[int, list]] = []
    for line, cells in lines:
        if _filled(cells) == 1 and not is_blank(cells[:1]):
            held.append((line, cells))  # a footer, unless a record follows
            continue
        yield from held
        held.clear()
        yield line, cells
    footer.lines[:0] = [line for line, _ in held]


def data_lines(lines: Iterable[tuple[int, list]], header_line: int, width: int, layout: FileLayout,
               footer: Footer) -> Iterator[tuple[int, list]]:
    """The non-blank lines below the header, footer lines left out (and listed in ``footer``).

    >>> cells = [["Case No", "Gender", "Age"], ["1", "F", "20"], ["Total: 1 case", "", ""], ["", "", ""]]
    >>> footer = Footer()
    >>> list(data_lines(enumerate(cells, 1), 1, 3, FileLayout(), footer)), footer.lines
    ([(2, ['1', 'F', '20'])], [3])
    """
    below = ((line, cells) for line, cells in lines if line > header_line and not is_blank(cells))
    if layout.skip_footer:
        below = _without_last(below, layout.skip_footer, footer)
    if width >= _FOOTER_NEEDS_COLUMNS:
        below = _without_sparse_tail(below, footer)
    yield from below


def footer_warning(footer: Footer, where: str) -> str | None:
    if not footer.lines:
        return None
    shown = ", ".join(map(str, footer.lines[:5])) + (" ..." if len(footer.lines) > 5 else "")
    return (f"{where}: line {shown} below the last record was read as a footer (a total or a note) "
            "and left out; if it is a record, fill its other cells")


def header_note(header_line: int, where: str) -> str | None:
    if header_line == 1:
        return None
    return (f"{where}: the header was read from line {header_line}; the lines above it were skipped "
            "(set file.header_row in the mapping file if that is wrong)")
