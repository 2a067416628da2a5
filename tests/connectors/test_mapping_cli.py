"""``hub-connector mapping init`` proposes a mapping from a messy export; ``mapping check`` shows what it reads."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from click.testing import CliRunner

from connectors.cli import main
from connectors.mapping import load_mapping
from tests.connectors.test_real_exports import workbook

HEADER = ["Case No", "Date registered", "First name", "Surname", "DOB", "Sex", "Nationality", "Control", "Remarks"]
RECORDS = [
    ["K-1", date(2026, 1, 5), "Asha", "Gurung", date(1999, 4, 3), "F", "Népal", "passport taken; debt", "found at"],
    ["K-2", 46028, "Bina", "Rai", 35888, "female", "Deutschland", "threats", None],
    ["K-3", "2026-01-07", "Chandra", "Thapa", None, "M", "Narnia", None, None],
]


@pytest.fixture
def export(tmp_path, monkeypatch):
    for name in ("HUB_URL", "HUB_CLIENT_ID", "HUB_CLIENT_SECRET", "HUB_LINKAGE_SECRET"):
        monkeypatch.delenv(name, raising=False)  # neither command needs the hub nor the secret
    return workbook(tmp_path / "cases.xlsx", {"Cases": [["Shelter intake, January 2026"], [], HEADER, *RECORDS,
                                                        [], ["Total: 3 cases"]]})


def test_init_proposes_the_header_line_columns_and_values(export, tmp_path):
    result = CliRunner().invoke(main, ["mapping", "init", str(export)])
    assert result.exit_code == 0, result.output
    proposed = yaml.safe_load(result.stdout)
    assert proposed["file"] == {"header_row": 3, "sheet": "Cases"}
    assert proposed["columns"]["Nationality"] == "citizenship" and proposed["columns"]["DOB"] == "date_of_birth"
    assert proposed["values"]["citizenship"] == {"Deutschland": "DEU", "Népal": "NPL"}
    assert '# "Narnia": ?' in result.stdout and '# "passport taken": ?' in result.stdout
    for identifier in ("Asha", "Gurung", "Bina", "1999"):
        assert identifier not in result.stdout  # only the values of attributes are read into a mapping
    saved = tmp_path / "mapping.yaml"
    saved.write_text(result.stdout, encoding="utf-8")
    assert load_mapping(saved).values["citizenship"]["deutschland"] == "DEU"


def test_check_shows_each_row_as_read_and_sends_nothing(export, tmp_path):
    saved = tmp_path / "mapping.yaml"
    saved.write_text(CliRunner().invoke(main, ["mapping", "init", str(export)]).stdout, encoding="utf-8")
    result = CliRunner().invoke(main, ["mapping", "check", str(export), "--mapping", str(saved), "--period", "2026-01"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "cases.xlsx, sheet 'Cases': header on line 3; rows checked against the period 2026-01; nothing is sent"
    assert "  column 'Remarks' -> dropped" in lines
    assert any(line.startswith("refused: row 1 (line 4), column 'Control' (means_of_control)") and
               "('passport taken' is not recognised)" in line for line in lines)
    assert ("row 2 (line 5): read as age_band=27-29, registration_month=2026-01, gender=Female, citizenship=DEU, "
            "means_of_control=Threats") in lines
    assert any("line 8 below the last record was read as a footer" in line for line in lines)
    assert lines[-1] == "1 row(s) would be sent, 2 refused"
