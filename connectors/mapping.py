"""Mapping files: how a partner's columns and values correspond to the standard schema.

A mapping is a small YAML file kept next to the partner's exports::

    schema: case-v1
    file: {encoding: cp1252, delimiter: ";", date_format: "%d/%m/%Y"}   # all optional
    # also: header_row (line of the header, from 1), skip_rows (top lines never the header),
    # skip_footer (last lines left out), sheet (XLSX: a sheet's name or number from 1)
    columns: {"Case No": case_reference, "First name": given_name, "Internal code": null}
    values: {gender: {"F": Female}, citizenship: {"Nepal": NPL}}
    multi_separator: ";"    # default: any of ; , |

A column mapped to ``null`` is dropped without a warning. Columns that the mapping does not
name still match a schema field whose name they spell, ignoring case, spaces, hyphens and
underscores ("Date of birth" is ``date_of_birth``).
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from connectors.column_names import known_column_names
from connectors.errors import FileRejected
from connectors.layout import FileLayout, fold_column
from schemas.loader import Schema, load_schema

_TOP_LEVEL_KEYS = {"schema", "file", "columns", "values", "multi_separator"}
_FILE_KEYS = {"encoding", "delimiter", "date_format", "header_row", "skip_rows", "skip_footer", "sheet"}
_LINE_COUNTS = {"header_row": 1, "skip_rows": 0, "skip_footer": 0}  # each option's smallest value
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def fold_value(text: str) -> str:
    """A value as compared with mapping entries: case, spacing, hyphens and underscores ignored."""
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


@dataclass(frozen=True)
class Mapping:
    """A loaded, checked mapping file (or the empty mapping, when there is none)."""

    schema_id: str = "case-v1"
    encoding: str | None = None
    delimiter: str | None = None
    date_format: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    # field -> folded source value -> schema value
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    multi_separator: str | None = None
    header_row: int | None = None
    skip_rows: int = 0
    skip_footer: int = 0
    sheet: str | int | None = None
    fingerprint: str = "no-mapping"

    def schema(self) -> Schema:
        return load_schema(self.schema_id)

    def layout(self) -> FileLayout:
        """Where the table sits in the file, and the column names its header may hold."""
        known = {fold_column(name) for name in self.columns} | known_column_names(self.schema())
        return FileLayout(header_row=self.header_row, skip_rows=self.skip_rows, skip_footer=self.skip_footer,
                          sheet=self.sheet, known_columns=frozenset(known))


def _fail(path: Path, entry: str, problem: str):
    raise FileRejected(f"mapping file {path.name}: {entry}: {problem}")


def _suggestion(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _file_options(path: Path, spec) -> dict:
    if not isinstance(spec, dict):
        _fail(path, "file", "must be a mapping of encoding, delimiter and date_format")
    for key in set(spec) - _FILE_KEYS:
        _fail(path, f"file.{key}", f"is not a file option (use {', '.join(sorted(_FILE_KEYS))})")
    options = {key: str(value) for key, value in spec.items() if value is not None and key not in _LINE_COUNTS}
    for key, smallest in _LINE_COUNTS.items():
        value = spec.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
            _fail(path, f"file.{key}", f"must be a whole number, {smallest} or more")
        options[key] = value
    if isinstance(spec.get("sheet"), int):
        options["sheet"] = spec["sheet"]
    if "encoding" in options:
        try:
            codecs.lookup(options["encoding"])
        except LookupError:
            _fail(path, "file.encoding", f"'{options['encoding']}' is not an encoding Python knows")
    if "delimiter" in options:
        options["delimiter"] = _DELIMITER_NAMES.get(options["delimiter"].lower(), options["delimiter"])
        if len(options["delimiter"]) != 1:
            _fail(path, "file.delimiter", "must be one character (or tab, comma, semicolon, pipe)")
    if "date_format" in options and "%" not in options["date_format"]:
        _fail(path, "file.date_format", "must be a strftime pattern such as %d/%m/%Y")
    return options


def _columns(path: Path, schema: Schema, spec) -> dict[str, str | None]:
    if not isinstance(spec, dict):
        _fail(path, "columns", "must map source column names to schema fields")
    field_names = [f.name for f in schema.fields]
    columns, targeted = {}, {}
    for source, target in spec.items():
        entry = f"columns.'{source}'"
        if target is not None and target not in field_names:
            _fail(path, entry, f"'{target}' is not a field of {schema.id}{_suggestion(str(target), field_names)}")
        if target is not None and target in targeted:
            _fail(path, entry, f"maps to {target}, which column '{targeted[target]}' already maps to")
        if target is not None:
            targeted[target] = source
        columns[str(source)] = target
    return columns


def _values(path: Path, schema: Schema, spec) -> dict[str, dict[str, str]]:
    if not isinstance(spec, dict):
        _fail(path, "values", "must map schema fields to {source value: schema value}")
    enum_fields = {f.name: f for f in schema.fields if f.type == "enum"}
    values = {}
    for field_name, pairs in spec.items():
        if field_name not in enum_fields:
            _fail(path, f"values.{field_name}", f"is not a field of {schema.id} with a list of values"
                  f"{_suggestion(str(field_name), enum_fields)}")
        if not isinstance(pairs, dict):
            _fail(path, f"values.{field_name}", "must map source values to schema values")
        enumeration = schema.enumerations[enum_fields[field_name].enumeration]
        resolved = {}
        for source, target in pairs.items():
            canonical = enumeration.canonical(str(target)) if target is not None else None
            if canonical is None:
                _fail(path, f"values.{field_name}.'{source}'", f"'{target}' is not a value of {field_name}")
            resolved[fold_value(str(source))] = canonical
        values[field_name] = resolved
    return values


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; any mistake raises FileRejected naming the entry."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        # Windows PowerShell 5 writes `>` redirections as UTF-16 with a byte-order mark.
        text = raw.decode("utf-16") if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else raw.decode("utf-8-sig")
        spec = yaml.safe_load(text) or {}
    except OSError:
        raise FileRejected(f"mapping file {path.name}: cannot be read") from None
    except (UnicodeDecodeError, yaml.YAMLError):
        raise FileRejected(f"mapping file {path.name}: is not valid UTF-8 (or UTF-16) YAML") from None
    if not isinstance(spec, dict):
        _fail(path, "top level", "must be a mapping with schema, file, columns, values")
    for key in set(spec) - _TOP_LEVEL_KEYS:
        _fail(path, key, f"is not a mapping entry (use {', '.join(sorted(_TOP_LEVEL_KEYS))})")
    schema_id = str(spec.get("schema", "case-v1"))
    try:
        schema = load_schema(schema_id)
    except LookupError:
        _fail(path, "schema", f"'{schema_id}' is not a known schema")
    separator = spec.get("multi_separator")
    if separator is not None and (not isinstance(separator, str) or not separator):
        _fail(path, "multi_separator", "must be a non-empty text such as ';'")
    return Mapping(
        schema_id=schema_id,
        **_file_options(path, spec.get("file") or {}),
        columns=_columns(path, schema, spec.get("columns") or {}),
        values=_values(path, schema, spec.get("values") or {}),
        multi_separator=separator,
        fingerprint=hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest(),
    )
