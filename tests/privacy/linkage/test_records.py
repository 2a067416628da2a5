"""The resolver's record store: what add() keeps, and that a refused add keeps nothing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from privacy.linkage.records import LinkageRecord, RecordStore
from tests.privacy.linkage_factories import make_record


def _columns(store: RecordStore) -> dict:
    arrays = store.arrays()
    return {name: getattr(arrays, name).tolist() for name in arrays.__dataclass_fields__} | {"keys": list(store.keys)}


def _records() -> list[LinkageRecord]:
    return [
        make_record("a", "P1", given_name="Sita", family_name="Tamang", date_of_birth=date(1990, 1, 2), sex="Female",
                    citizenship="NPL", case="C1"),
        make_record("b", "P2", given_name="Rina", family_name="Rai", phone="+977 1", sex="Male"),
        make_record("c", "P1", given_name="Gita"),  # no date, no family name: one block only
        LinkageRecord("d", "P2", {"names": (b"\x01\x02", b"\x07" + bytes(8) + b"\x05")}),  # short token, cut entry
    ]


def test_added_records_are_kept_as_columns_one_membership_per_block():
    store = RecordStore()
    assert store.add(_records()[:2]) == [0, 1]
    assert store.add(_records()[2:]) == [2, 3]
    arrays = store.arrays()
    sent = [label for record in _records() for label in record.blocks]
    assert len(arrays.member_record) == len(sent)
    assert arrays.member_record.tolist() == [index for index, record in enumerate(_records()) for _ in record.blocks]
    assert arrays.sex.tolist() == [1, 2, 0, 0]
    assert arrays.partner.tolist() == [0, 1, 0, 1]
    assert arrays.case.tolist() == [0, -1, -1, -1]
    assert (arrays.citizenship[1:] == 0).all() and arrays.citizenship[0] > 0
    # A token shorter than 8 bytes is its value with zeros before it; an entry cut short is left out.
    assert arrays.member_block[-1] == 0x0102
    assert arrays.entry_offsets[-1] - arrays.entry_offsets[-2] == 1
    assert arrays.entry_kind[-1] == 7 and arrays.entry_token[-1] == 0
    first = _records()[0]
    begin, end = arrays.entry_offsets[0], arrays.entry_offsets[1]
    packed = first.blocks[next(iter(first.blocks))][1]
    assert (end - begin) * 9 == len(packed)
    assert arrays.entry_token[begin:end].tolist() == np.frombuffer(packed, dtype=[("k", "u1"), ("t", ">u8")])["t"].tolist()


@pytest.mark.parametrize("clash", ["with a record already linked", "twice among the new"])
def test_an_add_with_a_key_already_linked_keeps_none_of_its_records(clash):
    store = RecordStore()
    store.add(_records()[:2])
    before = _columns(store)
    again = [_records()[2], _records()[0]] if clash == "with a record already linked" else [_records()[2], _records()[2]]
    with pytest.raises(ValueError, match="already linked"):
        store.add(again)
    assert _columns(store) == before
    assert store.add(_records()[2:]) == [2, 3]
    assert store.index_of == {"a": 0, "b": 1, "c": 2, "d": 3}
