"""The demo's files: one per partner and month, readable with their own mapping, valid for case-v1."""

from __future__ import annotations

import csv
import json

from hub.demo import DemoSummary
from schemas import load_schema
from tests.hub.demo.conftest import MONTHS
from tests.hub.demo.partner_files import load_mapping

SCHEMA = load_schema("case-v1")


def test_one_file_per_partner_and_month_and_a_mapping_each(demo: DemoSummary):
    assert demo.partners == 8
    for slug, files in demo.partner_files.items():
        assert [f.stem for f in files] == MONTHS
        assert all(f.parent.name == slug and f.is_file() for f in files)
        assert demo.mapping_files[slug].is_file()


def test_partners_use_csv_xlsx_and_json_lines_with_several_encodings(demo: DemoSummary):
    suffixes = {f.suffix for files in demo.partner_files.values() for f in files}
    assert {".csv", ".xlsx", ".jsonl"} <= suffixes
    options = [load_mapping(demo.out_dir / slug).get("file") or {} for slug in demo.mapping_files]
    assert {"utf-8", "utf-8-sig", "cp1252"} <= {o.get("encoding") for o in options}
    delimiters = {o.get("delimiter") for o in options}
    assert {",", ";", "\t"} <= delimiters


def test_a_bom_is_written_exactly_when_the_mapping_says_utf_8_sig(demo: DemoSummary):
    for slug, files in demo.partner_files.items():
        encoding = (load_mapping(demo.out_dir / slug).get("file") or {}).get("encoding")
        for path in files:
            if path.suffix in (".csv", ".tsv", ".jsonl"):
                assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig"), path


def test_every_column_maps_to_a_field_of_the_schema(demo: DemoSummary):
    field_names = {f.name for f in SCHEMA.fields}
    for slug in demo.mapping_files:
        mapping = load_mapping(demo.out_dir / slug)
        assert mapping["schema"] == "case-v1"
        assert set(mapping["columns"].values()) <= field_names, slug
        assert {"case_reference", "registration_date"} <= set(mapping["columns"].values()), slug
        assert set(mapping.get("values", {})) <= {f.name for f in SCHEMA.fields if f.type == "enum"}


def test_free_text_columns_map_to_notes(demo: DemoSummary):
    notes_headers = {
        header
        for slug in demo.mapping_files
        for header, field_name in load_mapping(demo.out_dir / slug)["columns"].items()
        if field_name == "notes"
    }
    assert {"Call notes", "Remarks", "summary", "Inspector remarks", "case_notes"} <= notes_headers


def test_every_record_reads_and_maps_to_valid_values(demo: DemoSummary, records):
    # The records fixture fails on any value that its mapping and the schema cannot resolve.
    assert len(records) == demo.records
    for slug, month, record in records:
        assert record["registration_date"].strftime("%Y-%m") == month, (slug, record["case_reference"])
    seen_fields = {name for _, _, record in records for name in record}
    assert {"type_of_exploitation", "means_of_control", "forced_labour_industry", "document_country",
            "age", "date_of_birth", "phone", "notes"} <= seen_fields


def test_cp1252_files_hold_only_what_cp1252_can_encode(demo: DemoSummary):
    for slug, files in demo.partner_files.items():
        if (load_mapping(demo.out_dir / slug).get("file") or {}).get("encoding") == "cp1252":
            for path in files:
                path.read_bytes().decode("cp1252")  # raises on a byte cp1252 leaves undefined


def test_ground_truth_holds_the_record_keys_and_person_ids_only(demo: DemoSummary, records, truth):
    with demo.ground_truth_file.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["partner", "month", "case_reference", "person_id"]
    assert len(truth) == len(records) == demo.records
    assert {(slug, r["case_reference"]) for slug, _, r in records} == set(truth)
    names = {r.get("family_name") for _, _, r in records} - {None}
    assert not names & set(demo.ground_truth_file.read_text(encoding="utf-8").replace(",", "\n").split("\n"))


def test_partners_json_describes_each_partner(demo: DemoSummary):
    index = json.loads(demo.partners_file.read_text(encoding="utf-8"))
    assert index["synthetic"] is True
    partners = index["partners"]
    assert [p["slug"] for p in partners] == list(demo.mapping_files)
    kinds = {p["kind"] for p in partners}
    assert kinds == {"hotline", "shelter", "police", "labour_inspection", "case_management", "tech_platform"}
    for partner in partners:
        assert partner["organisation_type"] in {"ngo", "government", "research", "tech"}
        assert partner["file_format"] in {"csv", "xlsx", "jsonl"}
        assert partner["months"] == MONTHS
        assert partner["records"] == demo.records_by_partner[partner["slug"]]


def test_readme_says_the_data_is_synthetic(demo: DemoSummary):
    text = demo.readme_file.read_text(encoding="utf-8")
    assert "SYNTHETIC" in text and "not real people" in text.lower()
