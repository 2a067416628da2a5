"""The FEBRL cases bench/linkage.py scores linkage on: their sizes, their truth and the scoring."""

from __future__ import annotations

import doctest
from collections import Counter
from datetime import date

import pytest

import bench.febrl
from bench.febrl import febrl2_partners, febrl3_partners, febrl4, pair_quality

RECORD_FIELDS = {"key", "partner", "given_name", "family_name", "date_of_birth", "citizenship", "sex"}


def test_doctests_pass():
    assert doctest.testmod(bench.febrl).failed == 0


def test_febrl4_is_two_partners_of_5000_with_5000_true_pairs():
    case = febrl4()
    assert Counter(record["partner"] for record in case.records) == {"A": 5000, "B": 5000}
    assert len({record["key"] for record in case.records}) == 10_000
    assert len(case.true_pairs) == 5000
    partner_of = {record["key"]: record["partner"] for record in case.records}
    assert all(pair == tuple(sorted(pair)) for pair in case.true_pairs)
    assert all({partner_of[left], partner_of[right]} == {"A", "B"} for left, right in case.true_pairs)


@pytest.mark.parametrize("make_case", [febrl3_partners, febrl2_partners])
def test_a_split_has_the_pairs_its_entities_imply_and_duplicates_within_each_partner(make_case):
    case = make_case()
    assert len({record["key"] for record in case.records}) == len(case.records) == 5000
    sizes = Counter(record["key"].split("-")[1] for record in case.records)
    assert len(case.true_pairs) == sum(size * (size - 1) // 2 for size in sizes.values())
    partner_of = {record["key"]: record["partner"] for record in case.records}
    within = Counter(
        partner_of[left] for left, right in case.true_pairs if partner_of[left] == partner_of[right]
    )
    assert set(within) == set(partner_of.values()) and len(within) == 4
    assert make_case().records == case.records  # the deal is seeded


def test_records_have_exactly_the_linkage_fields_in_their_types():
    case = febrl3_partners()
    assert all(set(record) == RECORD_FIELDS for record in case.records)
    assert all(record["sex"] is None for record in case.records)
    births = [record["date_of_birth"] for record in case.records]
    assert all(born is None or isinstance(born, date) for born in births)
    assert 0 < births.count(None) < 500
    states = {record["citizenship"] for record in case.records} - {None}
    assert states and all(state == state.upper() and state.strip() == state for state in states)
    names = [record[field] for record in case.records for field in ("given_name", "family_name")]
    assert all(name is None or (name and name == name.strip()) for name in names)


def test_pair_quality_of_the_truth_is_perfect():
    case = febrl3_partners()
    by_entity: dict[str, set[str]] = {}
    for record in case.records:
        by_entity.setdefault(record["key"].split("-")[1], set()).add(record["key"])
    quality = pair_quality(list(by_entity.values()), case.true_pairs)
    assert quality == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0,
        "false_matches": 0, "missed_matches": 0, "person_count_error": 0.0,
    }
