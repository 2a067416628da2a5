"""What the connector sends of a refused row: its number, its field and a code; its message stays here."""

from __future__ import annotations

import json

from connectors.chunks import Chunk


def test_a_chunk_sends_the_code_and_not_the_local_message():
    local = {"row": 3, "field": "case_reference", "code": "duplicate_case",
             "message": "duplicates row 1 (same case reference)"}
    sent = json.loads(Chunk(seq=1, rejected_rows=[local]).body())
    assert sent["rejected_rows"] == [{"row": 3, "field": "case_reference", "code": "duplicate_case"}]
