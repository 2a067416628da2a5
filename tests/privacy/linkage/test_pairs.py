"""Candidate pairs and their agreements, against a plain reading of the features pair by pair."""

from __future__ import annotations

import random
from datetime import date

import pytest

from privacy.encodings import BLOCK_LABELS, IMPLIED, Feature
from privacy.linkage import pairs as pairs_module
from privacy.linkage.agreements import agreement_of_kinds
from privacy.linkage.pairs import candidate_pairs
from privacy.linkage.records import RecordStore
from tests.privacy.linkage_factories import make_record

GIVEN = ["Ana", "Anna", "Ama", "Maria", "Mariya", "Sita", "Gita", "Rina", "Tamang"]
FAMILY = ["Tamang", "Tamag", "Rai", "Gurung", "Guring", "Sherpa", "Ana"]
# Days and months swapped, one digit apart, a year apart.
DATES = [date(1990, 1, 2), date(1990, 2, 1), date(1990, 1, 12), date(1991, 2, 1), date(1990, 3, 4), date(1990, 4, 3),
         date(1980, 4, 3)]


def _people(count: int, seed: int) -> list[dict]:
    """Identities crowded into few names and dates, with typos, swapped days, ages and documents."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        person = {"given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
                  "sex": rng.choice(["Female", "Male", None])}
        roll = rng.random()
        if roll < 0.6:
            person["date_of_birth"] = rng.choice(DATES)
        elif roll < 0.75:
            person["age"] = rng.randrange(30, 34)
            person["registration_date"] = date(2025, 6, 1)
        if rng.random() < 0.2:
            person["document_number"], person["document_country"] = rng.choice(["X1", "X2"]), "NPL"
        if rng.random() < 0.2:
            person["phone"] = rng.choice(["+977 1", "+977 2"])
        found.append(person)
    return found


def _store(people: list[dict]) -> RecordStore:
    store = RecordStore()
    store.add(make_record(f"r{index:03d}", "P", **person) for index, person in enumerate(people))
    return store


def _reference(store: RecordStore, large_block: int, max_block: int) -> dict[tuple[int, int], int]:
    """Every compared pair and what it agrees on, read record by record from the features sent."""
    arrays = store.arrays()
    blocks: dict[tuple[int, int], list[int]] = {}  # (label, block) -> records
    features: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (record, label) -> (kind, token)
    for member, (record, label, block) in enumerate(zip(arrays.member_record.tolist(), arrays.member_label.tolist(),
                                                        arrays.member_block.tolist())):
        blocks.setdefault((label, block), []).append(record)
        begin, end = arrays.entry_offsets[member], arrays.entry_offsets[member + 1]
        features[record, label] = list(zip(arrays.entry_kind[begin:end].tolist(), arrays.entry_token[begin:end].tolist()))
    seeds = {label: {int(kind) for kind in kinds} for label, kinds in pairs_module._SEEDS.items()}
    date_pairs = sum(len(records) * (len(records) - 1) // 2 for (label, _), records in blocks.items()
                     if label == BLOCK_LABELS.index("dob") and 2 <= len(records) <= max_block)
    every = max(1, -(-date_pairs // pairs_module.DATE_SAMPLE_PAIRS))
    contacts = {int(kind) for kind in pairs_module._CONTACT_KINDS}
    found: dict[tuple[int, int], int] = {}
    shared: dict[tuple[int, int], set[str]] = {}
    for (label, block), records in blocks.items():
        if not 2 <= len(records) <= max_block:
            continue
        name = BLOCK_LABELS[label]
        # The model's sample of date blocks has all its pairs compared.
        large = len(records) > large_block and not (name == "dob" and block % every == 0)
        for a in records:
            for b in records:
                if a >= b:
                    continue
                shared.setdefault((a, b), set()).add(name)
                mine, theirs = features[a, label], features[b, label]
                if large:
                    seeded = {token for kind, token in mine if kind in seeds[name]} & {
                        token for kind, token in theirs if kind in seeds[name]}
                    bare = [not any(kind in seeds[name] - contacts for kind, _ in side) for side in (mine, theirs)]
                    if not seeded and not any(bare):
                        continue
                bits = found.get((a, b), 0)
                for kind, token in mine:
                    for other_kind, other_token in theirs:
                        agreement = agreement_of_kinds(Feature(kind), Feature(other_kind))
                        if token == other_token and agreement is not None:
                            bits |= 1 << agreement
                found[a, b] = bits
    # What the blocks a compared pair shares imply (their features there are not sent).
    for pair in found:
        for name in shared[pair]:
            for kind in IMPLIED[name] - {Feature.DOB_SWAPPED}:
                found[pair] |= 1 << agreement_of_kinds(kind, kind)
    return found


@pytest.mark.parametrize(("seed", "large_block", "date_sample_pairs"),
                         [(1, 10_000, 10_000), (2, 10_000, 10_000), (3, 3, 10_000), (4, 5, 1), (5, 3, 30)])
def test_pairs_and_agreements_match_a_record_by_record_reading(monkeypatch, seed, large_block, date_sample_pairs):
    monkeypatch.setattr(pairs_module, "LARGE_BLOCK", large_block)
    monkeypatch.setattr(pairs_module, "DATE_SAMPLE_PAIRS", date_sample_pairs)
    store = _store(_people(120, seed))
    pairs = candidate_pairs(store.arrays(), max_block_size=60)
    found = {(int(a), int(b)): int(bits) for a, b, bits in zip(pairs.left, pairs.right, pairs.agreements)}
    assert len(found) == len(pairs), "a pair was compared twice"
    assert found == _reference(store, large_block, max_block=60)


def test_a_large_block_compares_only_pairs_sharing_more_than_its_value(monkeypatch):
    monkeypatch.setattr(pairs_module, "LARGE_BLOCK", 3)
    # Six namesakes born years apart, two of them one person (one date, a typo in the day), and
    # one record without a date: the block of names is large (7 records).
    people = [{"given_name": "Sita", "family_name": "Rai", "date_of_birth": date(1960 + 7 * i, 3, 9)} for i in range(6)]
    people[5]["date_of_birth"] = date(1960, 3, 8)
    people.append({"given_name": "Sita", "family_name": "Rai"})
    store = _store(people)
    pairs = candidate_pairs(store.arrays())
    compared = set(zip(pairs.left.tolist(), pairs.right.tolist()))
    assert (0, 5) in compared, "one digit of the date apart: a seed feature shared"
    assert {(index, 6) for index in range(6)} <= compared, "a record without a date is compared with all"
    assert (1, 2) not in compared, "namesakes sharing nothing but the name are not compared"
