"""Missing values and placeholder dates of birth: what the review found reading files as a partner does."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from connectors.chunks import open_prepared, prepared_chunks
from connectors.cli import main
from connectors.mapping import Mapping, load_mapping
from connectors.prepare import PrepareContext, prepare_fields
from connectors.upload import push
from schemas import load_schema
from tests.factories.submissions import act_as, make_org

SECRET = b"partners' shared linkage secret!"
TODAY = date(2026, 2, 10)
CONTEXT = PrepareContext(load_schema(), Mapping(), "2026-01", TODAY, SECRET)
ROW = {
    "case_reference": "SH-2026-0001",
    "registration_date": "2026-01-14",
    "given_name": "Sunita",
    "family_name": "Tamang",
    "date_of_birth": "19.08.2003",
    "citizenship": "NPL",
    "type_of_exploitation": "sexual exploitation",
}
# How pandas, R, SQL, spreadsheets and people write "nothing here"; every one must read as missing.
SPELLINGS = ("nan", "NaN", "NULL", "null", "None", "N/A", "n/a", "NA", "na", "-", "--", "?", "unknown",
             "Unknown", "UNKNOWN", "not known", "nil", "#N/A", "<NA>", "NaT", "", "   ", " \t")


def prepared(context=CONTEXT, **changes):
    outcome = prepare_fields(context, 7, {**ROW, **changes})
    assert outcome.errors == [], outcome.errors
    return outcome


def linkage_part(outcome) -> dict:
    """What the upload carries for linkage: everything but the row number, case reference and fields."""
    return {key: value for key, value in outcome.upload.items() if key not in ("row", "case_ref", "fields")}


def test_nan_names_make_no_linkage_material():
    no_names = linkage_part(prepared(given_name="", family_name=""))
    assert linkage_part(prepared(given_name="nan", family_name="nan")) == no_names
    # The comparison can tell: real names do make linkage material.
    assert linkage_part(prepared()) != no_names


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_a_missing_name(spelling):
    no_names = linkage_part(prepared(given_name="", family_name=""))
    assert linkage_part(prepared(given_name=spelling, family_name=spelling)) == no_names
    assert linkage_part(prepared(full_name=spelling, given_name=None, family_name=None)) == no_names


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_a_missing_date(spelling):
    without = prepared(date_of_birth="")
    outcome = prepared(date_of_birth=spelling)
    assert outcome.upload["fields"]["age_band"] is None
    assert linkage_part(outcome) == linkage_part(without)
    assert not outcome.placeholder_birth_date
    refused = prepare_fields(CONTEXT, 7, {**ROW, "registration_date": spelling})
    assert [(e["field"], e["message"]) for e in refused.errors] == [("registration_date", "is required")]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_a_missing_code_age_and_item(spelling):
    outcome = prepared(citizenship=spelling, age=spelling, type_of_exploitation=f"sex; {spelling}")
    fields = outcome.upload["fields"]
    assert fields["citizenship"] is None
    assert fields["age_band"] == "21-23"  # from the date of birth, the age being missing
    assert fields["type_of_exploitation"] == ["SexualExploitation"]
    assert prepared(type_of_exploitation=["labour", spelling]).upload["fields"]["type_of_exploitation"] == [
        "ForcedLabour"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_a_missing_case_reference(spelling):
    refused = prepare_fields(CONTEXT, 7, {**ROW, "case_reference": spelling})
    assert [(e["field"], e["message"]) for e in refused.errors] == [("case_reference", "is required")]


@pytest.mark.parametrize("name", ["Nan", "Na", "Nat", "Nil Sharma", "Ana"])
def test_names_that_look_like_markers_stay_names(name):
    assert linkage_part(prepared(given_name=name, family_name="")) != linkage_part(
        prepared(given_name="", family_name=""))


def test_a_float_nan_from_json_is_missing(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"case_reference": "A", "registration_date": "2026-01-02", "given_name": NaN, '
                    '"family_name": NaN, "age": NaN, "citizenship": NaN}\n'
                    '{"case_reference": "B", "registration_date": "2026-01-02", "given_name": "", '
                    '"family_name": null}\n'
                    '{"case_reference": NaN, "registration_date": "2026-01-02"}\n')
    chunk, = prepared_chunks(open_prepared(path, "2026-01", Mapping(), SECRET, today=TODAY), 10)
    first, second = chunk.rows
    assert first["fields"]["citizenship"] is None and first["fields"]["age_band"] is None
    assert {k: v for k, v in first.items() if k not in ("row", "case_ref")} == {
        k: v for k, v in second.items() if k not in ("row", "case_ref")}
    assert chunk.rejected_rows == [{"row": 3, "field": "case_reference", "code": "required", "message": "is required"}]


def test_the_schemas_own_unknown_is_a_value():
    assert prepared(gender="unknown").upload["fields"]["gender"] == "Unknown"
    assert prepared(gender="n/a").upload["fields"]["gender"] is None


def test_a_value_the_mapping_names_wins_over_the_missing_rule(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text('values:\n  citizenship: {"N/A": NAM, "-": NPL}\n  type_of_exploitation: {"?": Other}\n')
    context = PrepareContext(load_schema(), load_mapping(path), "2026-01", TODAY, SECRET)
    fields = prepared(context, citizenship="N/A", type_of_exploitation="sex; ?").upload["fields"]
    assert fields["citizenship"] == "NAM"
    assert fields["type_of_exploitation"] == ["SexualExploitation", "Other"]
    assert prepared(context, citizenship="-").upload["fields"]["citizenship"] == "NPL"
    # Only in the field it maps, and never for a blank cell.
    assert prepared(context, citizenship="").upload["fields"]["citizenship"] is None
    elsewhere = prepared(context, country_of_exploitation="N/A").upload["fields"]
    assert elsewhere["country_of_exploitation"] is None
    assert linkage_part(prepared(context, given_name="N/A", family_name="")) == linkage_part(
        prepared(context, given_name="", family_name=""))


@pytest.mark.parametrize("born", ["1899-05-02", "1900-01-01", "1900-06-04", "1901-01-01", "1970-01-01"])
def test_a_placeholder_date_of_birth_is_unknown(born):
    outcome = prepared(date_of_birth=born)
    assert outcome.placeholder_birth_date
    assert outcome.upload["fields"]["age_band"] is None
    assert linkage_part(outcome) == linkage_part(prepared(date_of_birth=""))
    with_age = prepared(date_of_birth=born, age="22")
    assert with_age.upload["fields"]["age_band"] == "21-23"
    assert linkage_part(with_age) == linkage_part(prepared(date_of_birth="", age="22"))


@pytest.mark.parametrize("born, message", [
    ("2030-01-02", "is in the future"),
    ("2026-01-20", "is after the registration date"),
    ("1901-05-05", "gives an age above 120 at registration"),
])
def test_an_impossible_date_of_birth_refuses_the_row(born, message):
    outcome = prepare_fields(CONTEXT, 7, {**ROW, "date_of_birth": born})
    assert [(e["field"], e["message"]) for e in outcome.errors] == [("date_of_birth", message)]
    assert not outcome.placeholder_birth_date


CSV = ("case_reference,registration_date,given_name,family_name,date_of_birth\n"
       "C-1,2026-01-05,Sunita,Tamang,1899-05-02\n"
       "C-2,2026-01-06,Asha,Gurung,19.08.2003\n"
       "C-3,2026-01-07,Mina,Rai,1900-01-01\n"
       "C-4,2026-01-07,Gita,Magar,2030-01-01\n")


def test_placeholder_dates_are_counted_in_a_warning_that_names_no_value(tmp_path):
    path = tmp_path / "january.csv"
    path.write_text(CSV, encoding="utf-8")
    file = open_prepared(path, "2026-01", Mapping(), SECRET, today=TODAY)
    chunks = list(prepared_chunks(file, 10))
    assert [row["row"] for row in chunks[0].rows] == [1, 2, 3]
    assert file.warnings == [
        "2 rows have a date of birth before 1901 or one that software writes for an unknown date (row 1, 3); "
        "it was read as unknown, so it gives no age band and no linkage by date of birth"
    ]
    for value in ("1899", "1900", "05-02", "01-01", "Sunita", "Mina", "C-1"):
        assert value not in file.warnings[0]


def test_a_warning_names_at_most_five_rows(tmp_path):
    path = tmp_path / "january.csv"
    rows = "".join(f"C-{i},2026-01-05,Ana,Silva,1899-12-30\n" for i in range(1, 1202))
    path.write_text("case_reference,registration_date,given_name,family_name,date_of_birth\n" + rows)
    file = open_prepared(path, "2026-01", Mapping(), SECRET, today=TODAY)
    list(prepared_chunks(file, 500))
    assert file.warnings[0].startswith(
        "1,201 rows have a date of birth before 1901 or one that software writes for an unknown date "
        "(row 1, 2, 3, 4, 5 and 1,196 more)")


def test_the_dry_run_shows_the_warning_on_screen_and_in_json(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_LINKAGE_SECRET", "5f" * 32)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "june.csv"
    path.write_text("case_reference,registration_date,given_name,date_of_birth\n"
                    "C1,2025-06-02,Ana,1899-05-02\n")
    shown = CliRunner().invoke(main, ["push", str(path), "--period", "2025-06", "--dry-run"])
    assert shown.exit_code == 0, shown.output
    assert "warning: 1 row has a date of birth before 1901" in shown.stderr
    as_json = CliRunner().invoke(main, ["push", str(path), "--period", "2025-06", "--dry-run", "--json"])
    warnings = json.loads(as_json.stdout)["warnings"]
    assert len(warnings) == 1 and warnings[0].startswith("1 row has a date of birth before 1901")


def test_the_pushed_receipt_carries_the_warning_and_the_hub_gets_no_date(app, session, client, tmp_path):
    act_as(app, make_org(session))
    path = tmp_path / "january.csv"
    path.write_text(CSV, encoding="utf-8")
    sent: list[bytes] = []
    client.event_hooks["request"].append(lambda request: sent.append(request.read()))
    receipt = push(path, "2026-01", http=client, tokens=None, linkage_secret=SECRET, linkage_secret_version=1,
                   on_invalid="skip", progress=False, state_dir=tmp_path / "state", today=TODAY)
    assert (receipt["status"], receipt["accepted"], receipt["rejected"]) == ("accepted", 3, 1)
    assert receipt["warnings"][0].startswith("2 rows have a date of birth before 1901")
    body = b"".join(sent)
    assert body and b"1899" not in body and b"1900" not in body and b"unknown date" not in body
