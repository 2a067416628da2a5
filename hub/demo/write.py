"""Writers of the demo output: partners' monthly files, their mapping files and the index files.

Partner files are written row by row (CSV, JSON Lines, and XLSX through openpyxl's write-only
mode), so that the size of a demo is bounded by disk, not memory.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Protocol

import yaml
from openpyxl import Workbook

from hub.demo.partners import PartnerLayout

SHEET_TITLE = "Cases"


class RecordWriter(Protocol):
    """Something that takes a partner's records one at a time and writes its file."""

    def write(self, record: dict) -> None: ...

    def close(self) -> None: ...


def _text(value, layout: PartnerLayout) -> str:
    """A value as the partner writes it in a text cell."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(layout.date_format)
    if isinstance(value, list):
        return layout.multi_separator.join(value)
    return str(value)


class CsvWriter:
    """A delimited text file in the partner's encoding and delimiter."""

    def __init__(self, path: Path, layout: PartnerLayout) -> None:
        self.layout = layout
        self._file = path.open("w", encoding=layout.encoding, newline="")
        self._csv = csv.writer(self._file, delimiter=layout.delimiter)
        self._csv.writerow([header for header, _ in layout.columns])

    def write(self, record: dict) -> None:
        self._csv.writerow([_text(record.get(name), self.layout) for _, name in self.layout.columns])

    def close(self) -> None:
        self._file.close()


class JsonLinesWriter:
    """One JSON object per line; lists stay lists, dates are text in the partner's format."""

    def __init__(self, path: Path, layout: PartnerLayout) -> None:
        self.layout = layout
        self._file = path.open("w", encoding=layout.encoding, newline="\n")

    def write(self, record: dict) -> None:
        row = {}
        for header, name in self.layout.columns:
            value = record.get(name)
            row[header] = value.strftime(self.layout.date_format) if isinstance(value, date) else value
        self._file.write(json.dumps(row, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._file.close()


class XlsxWriter:
    """A workbook with one sheet; dates are date cells and ages numbers, as Excel users keep them."""

    def __init__(self, path: Path, layout: PartnerLayout) -> None:
        self.path, self.layout = path, layout
        self._book = Workbook(write_only=True)
        self._book.properties.creator = "hub demo-data (synthetic)"
        self._sheet = self._book.create_sheet(SHEET_TITLE)
        self._sheet.append([header for header, _ in layout.columns])

    def write(self, record: dict) -> None:
        row = []
        for _, name in self.layout.columns:
            value = record.get(name)
            row.append(self.layout.multi_separator.join(value) if isinstance(value, list) else value)
        self._sheet.append(row)

    def close(self) -> None:
        self._book.save(self.path)
        self._book.close()


def open_writer(path: Path, layout: PartnerLayout) -> RecordWriter:
    """The writer of one partner's monthly file, by the partner's file format."""
    writers = {"csv": CsvWriter, "jsonl": JsonLinesWriter, "xlsx": XlsxWriter}
    return writers[layout.file_format](path, layout)


def mapping_document(layout: PartnerLayout, codes_used: dict[str, dict[str, str]]) -> dict:
    """The mapping file's content: how the partner's columns and codes map to case-v1."""
    file_options: dict = {}
    if layout.file_format in ("csv", "jsonl"):
        file_options["encoding"] = layout.encoding
    if layout.file_format == "csv":
        file_options["delimiter"] = layout.delimiter
    if layout.file_format in ("csv", "jsonl"):  # XLSX dates are date cells
        file_options["date_format"] = layout.date_format
    document = {
        "schema": "case-v1",
        "file": file_options,
        "columns": {header: name for header, name in layout.columns},
        "values": {name: dict(sorted(codes.items())) for name, codes in sorted(codes_used.items())},
    }
    if layout.file_format != "jsonl":  # JSON Lines holds several values as a list
        document["multi_separator"] = layout.multi_separator
    return document


def write_mapping(path: Path, layout: PartnerLayout, codes_used: dict[str, dict[str, str]]) -> None:
    """Write ``mapping.yaml`` for one partner."""
    header = f"# How {layout.display_name}'s export maps to the standard schema (synthetic demo data).\n"
    document = mapping_document(layout, codes_used)
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(header + body, encoding="utf-8")


def write_partners_index(
    path: Path, layouts: list[PartnerLayout], months: list[str], counts: dict[str, int], *,
    seed: int, persons: int,
) -> None:
    """Write ``partners.json``: who the partners are and what they sent."""
    partners = [
        {
            "slug": layout.slug,
            "display_name": layout.display_name,
            "organisation_type": layout.organisation_type,
            "kind": layout.kind,
            "data_source_type": layout.data_source_type,
            "file_format": layout.file_format,
            "months": months,
            "files": [f"{layout.slug}/{month}.{layout.extension}" for month in months],
            "mapping": f"{layout.slug}/mapping.yaml",
            "records": counts[layout.slug],
        }
        for layout in layouts
    ]
    index = {"synthetic": True, "seed": seed, "persons": persons, "months": months, "partners": partners}
    path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class GroundTruthWriter:
    """``ground_truth.csv``: which record is which synthetic person, and nothing else."""

    HEADER = ("partner", "month", "case_reference", "person_id")

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file)
        self._csv.writerow(self.HEADER)

    def write(self, partner: str, month: str, case_reference: str, person_id: str) -> None:
        self._csv.writerow((partner, month, case_reference, person_id))

    def close(self) -> None:
        self._file.close()
