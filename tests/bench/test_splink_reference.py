"""Plaintext Splink as the reference: a partition of the records, the same on every run, and good."""

from __future__ import annotations

import pytest

pytest.importorskip("splink", reason="Splink comes with the bench extra")

from bench.febrl import febrl1_partners, pair_quality  # noqa: E402
from bench.splink_reference import splink_persons  # noqa: E402


def test_splink_finds_each_record_one_person_the_same_way_twice(capfd):
    case = febrl1_partners()
    persons = splink_persons(case)
    assert sorted(key for person in persons for key in person) == sorted(r["key"] for r in case.records)
    assert splink_persons(case) == persons
    assert pair_quality(persons, case.true_pairs)["f1"] > 0.85
    assert capfd.readouterr().out == ""  # the benchmark's stdout is its JSON alone
