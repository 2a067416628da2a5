"""Reading records' linkage material for the resolver: each record gets its own, on every path."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlmodel import select

from connectors.upload import push
from hub.linkage.load import linkage_records, record_key
from hub.models import Record
from tests.factories.sealed import stored_blocks
from tests.factories.submissions import act_as, make_org

ROWS = [
    "A-1,2026-01-05,Ana Silva,1994-06-17,PRT",
    "A-2,2026-01-06,,,PRT",  # no name: no block
    "A-3,2026-01-07,Rina Akter,,BGD",  # no date: fewer blocks
    "A-4,2026-01-08,,,",
    "A-5,2026-01-09,Sita Tamang,2001-02-03,NPL",
]


@pytest.fixture
def stored(app, client, session, tmp_path):
    act_as(app, make_org(session))
    export = tmp_path / "cases.csv"
    export.write_text("case_reference,registration_date,full_name,date_of_birth,citizenship\n" + "\n".join(ROWS) + "\n")
    push(export, "2026-01", http=client, tokens=None, linkage_secret=b"a linkage secret", linkage_secret_version=1,
         progress=False, state_dir=tmp_path / "state")
    blocks = defaultdict(dict)
    for submission_id, row, label, token, features in stored_blocks(session):
        blocks[(submission_id, row)][label] = (token, features)
    keys = session.exec(select(Record.submission_id, Record.row)).all()
    return [tuple(key) for key in keys], blocks


@pytest.mark.parametrize("path", ["by key, one record a batch", "by key, two records a batch", "by scan",
                                  "by scan, some records"])
def test_every_record_gets_its_own_blocks_and_attributes(stored, session, monkeypatch, path):
    keys, blocks = stored
    assert len(keys) == len(ROWS) and len(blocks) == 3
    monkeypatch.setattr("hub.linkage.load._BATCH", 1 if "one" in path else 2)
    if path.startswith("by scan"):
        monkeypatch.setattr("hub.linkage.load.SCAN_ABOVE", 0)
    asked = sorted(keys)[1::2] if "some" in path else keys[::-1]  # rows of the others are passed over
    read = {record_key(record.key): record for record in linkage_records(session, asked)}
    assert sorted(read) == sorted(asked)
    for key, record in read.items():
        assert dict(record.blocks) == blocks.get(key, {})
        assert record.citizenship == (ROWS[key[1] - 1].split(",")[-1] or None)
