"""The synthetic population bench/linkage.py resolves at scale, and how its persons are scored."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.linkage import _clustering_quality, _synthetic_identifiers, resolve_speed


def test_clustering_quality_counts_pairs_of_clusters_persons_and_overlaps():
    truth = {"a1": 1, "a2": 1, "a3": 1, "b1": 2, "c1": 3}
    quality = _clustering_quality([frozenset({"a1", "a2"}), frozenset({"a3"}), frozenset({"b1", "c1"})], truth)
    assert quality["precision"] == pytest.approx(1 / 2)
    assert quality["recall"] == pytest.approx(1 / 3)
    assert quality["count_error"] == pytest.approx(0.0)


def test_the_synthetic_population_repeats_people_across_partners():
    records = _synthetic_identifiers(4000, partners=20, seed=5)
    copies = Counter(person for *_, person in records)
    assert len(records) == 4000 and 1.5 < len(records) / len(copies) < 2.5  # drawn with replacement
    assert len({partner for _, partner, *_ in records}) == 20


@pytest.mark.slow
def test_resolving_the_synthetic_population_reports_its_quality():
    figures = resolve_speed(3000)
    assert figures["records"] == 3000 and 0.8 < figures["f1"] <= 1.0
