"""Deciding, once per file, which source column feeds which schema field, and what is dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.errors import FileRejected
from connectors.layout import fold_column
from connectors.mapping import Mapping
from schemas.loader import Schema

__all__ = ["ColumnPlan", "fold_column", "plan_columns"]

_DELIMITER_LOOKALIKES = (";", ",", "\t", "|")


@dataclass
class ColumnPlan:
    """Source column -> schema field, plus one warning for each column that is dropped."""

    schema: Schema
    mapping: Mapping
    file_name: str
    fields: dict[str, str | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def field_of(self, column: str) -> str | None:
        """The schema field a column feeds (None when dropped), deciding on first sight."""
        if column not in self.fields:
            self.fields[column] = self._decide(column)
        return self.fields[column]

    def _decide(self, column: str) -> str | None:
        if column in self.mapping.columns:
            target = self.mapping.columns[column]
            if target is None:
                return None  # dropped on purpose in the mapping: no warning
        else:
            by_folded_name = {fold_column(f.name): f.name for f in self.schema.fields}
            target = by_folded_name.get(fold_column(column))
            if target is None:
                self.warnings.append(
                    f"column '{column}' matches no field of {self.schema.id}; "
                    "it was dropped and never leaves this machine"
                )
                return None
            taken_by = next((c for c, f in self.fields.items() if f == target), None)
            if taken_by is not None or target in self.mapping.columns.values():
                other = taken_by or next(c for c, f in self.mapping.columns.items() if f == target)
                raise FileRejected(
                    f"{self.file_name}: columns '{other}' and '{column}' both feed the field {target}; "
                    f"map one of them to null in the mapping file"
                )
        if self.schema.field(target).field_class == "free_text":
            self.warnings.append(f"column '{column}' is free text; it was dropped and never leaves this machine")
            return None
        return target


def _delimiter_hint(header: tuple[str, ...]) -> str:
    if len(header) == 1:
        found = next((d for d in _DELIMITER_LOOKALIKES if d in header[0]), None)
        if found:
            shown = "TAB" if found == "\t" else f"'{found}'"
            return (
                f"; the header was read as a single column holding {shown}, so the delimiter is probably "
                "wrong: set file.delimiter in the mapping file or pass --delimiter"
            )
    return ""


def _header_shown(header: tuple[str, ...], header_line: int | None) -> str:
    if header_line is None:
        return ""
    shown = ", ".join(f"'{name}'" for name in header[:12]) + (", ..." if len(header) > 12 else "")
    return (f"; the header was read from line {header_line}: {shown}; hub-connector mapping init FILE "
            "proposes a mapping for these columns")


def plan_columns(schema: Schema, mapping: Mapping, header: tuple[str, ...], file_name: str,
                 *, header_is_complete: bool = True, header_line: int | None = None) -> ColumnPlan:
    """Plan a file's columns; a required field that no column feeds rejects the file.

    When the header is not complete (JSON objects may omit keys) the required fields are
    checked row by row instead.
    """
    plan = ColumnPlan(schema, mapping, file_name)
    for column in header:
        plan.field_of(column)
    if not header_is_complete:
        return plan
    fed = set(plan.fields.values())
    for required in (f for f in schema.fields if f.required):
        if required.name not in fed:
            mapped_elsewhere = [c for c, f in mapping.columns.items() if f == required.name]
            detail = (f"the mapping names column '{mapped_elsewhere[0]}', which the file does not have"
                      if mapped_elsewhere else
                      f"add a column '{required.name}' or map one to it in the mapping file")
            raise FileRejected(
                f"{file_name}: no column for the required field {required.name} ({detail}){_delimiter_hint(header)}"
                f"{_header_shown(header, header_line)}"
            )
    return plan
