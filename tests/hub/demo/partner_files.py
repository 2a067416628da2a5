"""A deliberately simple reader of the demo partners' files, independent of the connector.

It reads each file with only what its mapping.yaml declares (encoding, delimiter, date
format, codes), so a test that passes shows the mapping is enough to read the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from itertools import zip_longest
from pathlib import Path

import openpyxl
import yaml

from schemas import Schema


def load_mapping(partner_dir: Path) -> dict:
    return yaml.safe_load((partner_dir / "mapping.yaml").read_text(encoding="utf-8"))


def read_rows(path: Path, mapping: dict) -> Iterator[dict]:
    """The rows of one partner file as ``{header: raw value}``."""
    options = mapping.get("file") or {}
    if path.suffix in (".csv", ".tsv"):
        with path.open(encoding=options["encoding"], newline="") as handle:
            yield from csv.DictReader(handle, delimiter=options["delimiter"])
    elif path.suffix == ".jsonl":
        with path.open(encoding=options["encoding"]) as handle:
            for line in handle:
                yield json.loads(line)
    elif path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows)
        for values in rows:
            # Write-only workbooks leave trailing empty cells out, as many exporters do.
            yield dict(zip_longest(header, values))
        book.close()
    else:
        raise AssertionError(f"unexpected file type {path.name}")


def _date(raw, mapping: dict) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return datetime.strptime(raw, mapping["file"]["date_format"]).date()


def _enum(schema: Schema, field_name: str, raw, mapping: dict) -> str:
    enumeration = schema.enumerations[schema.field(field_name).enumeration]
    mapped = (mapping.get("values") or {}).get(field_name, {}).get(raw) or enumeration.canonical(str(raw))
    assert mapped in enumeration.values, f"{field_name}: {raw!r} maps to no value of the schema"
    return mapped


def map_row(row: dict, mapping: dict, schema: Schema) -> dict:
    """A row as ``{schema field: value}``; fails the test on a value the schema refuses."""
    record: dict = {}
    for header, field_name in mapping["columns"].items():
        raw = row[header]
        if raw is None or raw == "" or raw == []:
            continue
        spec = schema.field(field_name)
        if spec.type == "date":
            record[field_name] = _date(raw, mapping)
        elif spec.type == "integer":
            value = int(raw)
            assert spec.minimum <= value <= spec.maximum, f"{field_name}: {value} out of range"
            record[field_name] = value
        elif spec.type == "enum" and spec.multiple:
            parts = raw if isinstance(raw, list) else str(raw).split(mapping["multi_separator"])
            record[field_name] = [_enum(schema, field_name, part, mapping) for part in parts]
        elif spec.type == "enum":
            record[field_name] = _enum(schema, field_name, raw, mapping)
        else:
            assert isinstance(raw, str), f"{field_name}: {raw!r} is not text"
            record[field_name] = raw
    return record


def read_partner(partner_dir: Path, schema: Schema) -> Iterator[tuple[str, dict]]:
    """Every record of one partner as ``(month, {schema field: value})``."""
    mapping = load_mapping(partner_dir)
    for path in sorted(partner_dir.iterdir()):
        if path.name != "mapping.yaml":
            for row in read_rows(path, mapping):
                yield path.stem, map_row(row, mapping, schema)
