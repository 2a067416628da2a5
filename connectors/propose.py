"""Proposing a mapping file from an export: which column feeds which field, what each value means.

Used by ``hub-connector mapping init``. Everything proposed is written into the mapping for the
partner to check: a column named as the schema names a field is taken as is; a usual column name
(:data:`connectors.column_names.COLUMN_NAMES`) or a close spelling is proposed with a comment; values are proposed through
:mod:`connectors.matching`. Only values of enumerated fields (attributes) are read into the mapping,
never an identifier.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from connectors.column_names import COLUMN_NAMES
from connectors.layout import fold_column
from connectors.matching import nearest_values
from connectors.readers import SourceTable
from connectors.values import DEFAULT_SEPARATORS, ValueProblem, parse_choice
from schemas.loader import Schema

VALUES_READ_PER_COLUMN = 200  # distinct values: enough for any code list, bounded for free text
ROWS_READ = 20_000


@dataclass
class ColumnProposal:
    column: str
    field: str | None
    how: str  # "named", "usual name", "close spelling", "taken", "no field"


def propose_columns(schema: Schema, header: tuple[str, ...]) -> list[ColumnProposal]:
    """One proposal per column, each field proposed for at most one column (the first)."""
    by_name = {fold_column(f.name): f.name for f in schema.fields}
    by_usual = {fold_column(name): target for target, names in COLUMN_NAMES.items() for name in names}
    proposals, taken = [], set()
    for column in header:
        folded = fold_column(column)
        target, how = by_name.get(folded), "named"
        if target is None and folded in by_usual:
            target, how = by_usual[folded], "usual name"
        if target is None:
            close = difflib.get_close_matches(folded, [*by_name, *by_usual], n=1, cutoff=0.85)
            if close:
                target, how = by_name.get(close[0]) or by_usual[close[0]], "close spelling"
        if target is not None and target in taken:
            target, how = None, "taken"
        if target is None and how != "taken":
            how = "no field"
        taken.add(target)
        proposals.append(ColumnProposal(column, target, how))
    return proposals


@dataclass
class ValueProposals:
    """For one enumerated field: each value of the file the schema does not name, and its proposal."""

    field: str
    proposals: dict[str, str | None] = field(default_factory=dict)


def propose_values(schema: Schema, table: SourceTable, columns: list[ColumnProposal]) -> list[ValueProposals]:
    fed = {c.column: schema.field(c.field) for c in columns if c.field}
    enumerated = {column: f for column, f in fed.items() if f.type == "enum"}
    seen: dict[str, set[str]] = {column: set() for column in enumerated}
    for count, (_, values) in enumerate(table, 1):
        if count > ROWS_READ:
            break
        if not isinstance(values, dict):
            continue
        for column, schema_field in enumerated.items():
            raw = values.get(column)
            if raw is None or len(seen[column]) >= VALUES_READ_PER_COLUMN:
                continue
            parts = DEFAULT_SEPARATORS.split(raw) if schema_field.multiple and isinstance(raw, str) else [raw]
            seen[column].update(str(part).strip() for part in parts if str(part).strip())
    found = []
    for column, schema_field in enumerated.items():
        enumeration = schema.enumerations[schema_field.enumeration]
        proposals = ValueProposals(schema_field.name)
        for value in sorted(seen[column]):
            try:
                if parse_choice(value, enumeration, {}) is not None or not value:
                    continue
            except ValueProblem:
                pass
            else:
                continue  # a marker of a missing value
            nearest = nearest_values(value, enumeration, limit=1)
            proposals.proposals[value] = nearest[0] if nearest else None
        if proposals.proposals:
            found.append(proposals)
    return found


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


_HOW = {"usual name": "proposed from the column's name; check", "close spelling": "proposed from a close "
        "spelling; check", "taken": "another column already feeds this field: dropped",
        "no field": "matches no field: dropped, never leaves this machine"}


def mapping_yaml(schema: Schema, table: SourceTable, columns: list[ColumnProposal],
                 values: list[ValueProposals]) -> str:
    """The proposed mapping file, with a comment on everything the partner should check."""
    lines = [f"# Mapping proposed by hub-connector mapping init from {table.where}.",
             "# Check every entry marked 'check' or 'proposed', then try it with:",
             "#   hub-connector mapping check FILE --mapping THIS_FILE",
             f"schema: {schema.id}"]
    file_options = {}
    if table.header_line != 1:
        file_options["header_row"] = table.header_line
    if table.kind == "xlsx" and table.layout.sheet is not None:
        file_options["sheet"] = table.layout.sheet
    if table.kind == "csv":
        file_options["encoding"], file_options["delimiter"] = table.encoding, table.delimiter
    if file_options:
        shown = ", ".join(f"{key}: {_quoted(v) if isinstance(v, str) else v}" for key, v in file_options.items())
        lines.append(f"file: {{{shown}}}")
    lines.append("columns:")
    for proposal in columns:
        comment = _HOW.get(proposal.how)
        if proposal.field and schema.field(proposal.field).field_class == "free_text":
            comment = "free text: dropped, never leaves this machine"
        entry = f"  {_quoted(proposal.column)}: {proposal.field or 'null'}"
        lines.append(f"{entry}  # {comment}" if comment else entry)
    if values:
        lines.append("values:")
    for field_values in values:
        none_proposed = all(code is None for code in field_values.proposals.values())
        lines.append(f"  {field_values.field}:{' {}' if none_proposed else ''}")
        enumeration = schema.enumerations[schema.field(field_values.field).enumeration]
        for value, code in field_values.proposals.items():
            if code is None:
                lines.append(f"    # {_quoted(value)}: ?  # no close value: write one of {field_values.field}'s codes")
            else:
                label = enumeration.label(code)
                lines.append(f"    {_quoted(value)}: {code}  # proposed{f' ({label})' if label != code else ''}; check")
    return "\n".join(lines) + "\n"
