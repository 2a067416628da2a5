"""The random pairs' level counts are, count for count, what they were before they were made faster.

The counts a connector sends are the linkage model's ``u`` (:mod:`privacy.random_pairs`): any change
to them changes the hub's match weights. ``random_pairs_fixture.json`` holds the counts that the
implementation of commit be188c1 (before the speed-ups) gave for the identities of
``encodings_fixture.json``'s corpus and for a larger draw of the same kind, on each of the three
paths (every pair of a small file, pairs drawn at random, the reservoir sample of a file). It was
written by ``_write_fixture`` below, run against that commit; never regenerate it with a later
implementation, or it proves nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privacy.identity import normalise_identity
from privacy.random_pairs import IdentitySample, random_pair_levels
from tests.privacy.test_encodings_speedups import corpus

FIXTURE = Path(__file__).with_name("random_pairs_fixture.json")


def _level_counts() -> dict:
    """The counts of each case, in their upload form."""
    small = [normalise_identity(**identifiers) for identifiers in corpus()]
    large = [normalise_identity(**identifiers) for identifiers in corpus(count=6_000, seed=7)]
    sample = IdentitySample()
    for who in large:
        sample.offer(who)
    return {
        "every_pair": random_pair_levels(small).wire(),
        "every_pair_of_a_few": random_pair_levels(small[:12]).wire(),
        "drawn_pairs": random_pair_levels(small, pairs=3_000, seed=5).wire(),
        "reservoir_sample": sample.level_counts().wire(),
        "nobody": random_pair_levels([]).wire(),
    }


def _write_fixture() -> None:
    FIXTURE.write_text(json.dumps(_level_counts(), sort_keys=True, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_level_counts_are_as_before(fixture):
    assert _level_counts() == fixture


if __name__ == "__main__":
    _write_fixture()
