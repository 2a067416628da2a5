"""Rejections in the partner's terms: their column and line, the refused cell and the nearest codes,
on their own screen only; the hub receives the row, the field and a message, never the cell."""

from __future__ import annotations

from connectors.hub_client import HubClient
from connectors.mapping import Mapping
from tests.connectors.test_upload import partner, run

__all__ = ["partner"]  # a fixture

MAPPING = Mapping(columns={"Case No": "case_reference", "Registered": "registration_date",
                           "Nationality": "citizenship", "Control": "means_of_control"})
CELLS = ("Deutschland", "passport taken", "Népal", "Allemagne")


def messy(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text("Our cases\nCase No,Registered,Nationality,Control\nK-1,2026-01-05,Deutschland,debt\n"
                    "K-2,2026-01-06,NPL,passport taken; debt\nK-3,2026-01-07,Népal,\nK-4,2026-01-08,Allemagne,\n",
                    encoding="utf-8")
    return path


def test_the_dry_run_shows_the_cell_and_the_nearest_codes(tmp_path):
    receipt = run(messy(tmp_path), None, tmp_path, mapping=MAPPING, dry_run=True)
    details = {(d["row"], d["field"]): d for d in receipt["local_details"]}
    assert details[(1, "citizenship")] == {"row": 1, "field": "citizenship", "line": 3, "column": "Nationality",
                                           "value": "Deutschland", "nearest": ["DEU"]}
    assert details[(3, "citizenship")]["nearest"] == ["NPL"]
    assert details[(4, "citizenship")]["nearest"] == ["DEU"]  # French
    control = details[(2, "means_of_control")]
    assert (control["value"], control["refused"]) == ("passport taken; debt", "passport taken")
    for error in receipt["errors"]:  # what the hub's receipt would list: no cell
        assert not any(cell in error["message"] for cell in CELLS)


def test_the_hub_receives_no_cell(partner, client, tmp_path, monkeypatch):
    sent: list[bytes] = []
    real_put = HubClient.put_chunk
    monkeypatch.setattr(HubClient, "put_chunk",
                        lambda self, sid, seq, body: (sent.append(body), real_put(self, sid, seq, body))[1])
    receipt = run(messy(tmp_path), client, tmp_path, mapping=MAPPING, on_invalid="skip")
    assert (receipt["accepted"], receipt["rejected"]) == (0, 4)
    assert {d["column"] for d in receipt["local_details"]} == {"Nationality", "Control"}
    body = b"".join(sent).decode()
    assert "citizenship" in body
    for cell in CELLS:
        assert cell not in body
