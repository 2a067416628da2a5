"""A large hub's model learns from a random sample of date blocks: the prior it finds is the
whole population's, and the persons the same (the sample was once chosen by block size, which
halved the prior: blocks holding a person's two records are larger)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from privacy.linkage import pairs as pairs_module
from privacy.linkage.model import comparison_levels
from privacy.linkage.pairs import candidate_pairs
from privacy.linkage.resolve import Resolver
from tests.privacy.linkage.test_resolve import _name, _typo
from tests.privacy.linkage_factories import make_record, random_levels


def _crowded(persons: int, seed: int = 3):
    """Records of ``persons`` people born within 300 days (date blocks of about 20 records), a
    third of them reported twice, sometimes with a typo."""
    rng = random.Random(seed)
    records, people = [], []
    for number in range(persons):
        person = {"given_name": _name(rng), "family_name": _name(rng), "sex": rng.choice(["Female", "Male"]),
                  "citizenship": "NPL", "date_of_birth": date(1995, 1, 1) + timedelta(days=rng.randrange(300))}
        people.append(person)
        for copy in range(2 if rng.random() < 0.33 else 1):
            written = dict(person)
            if copy and rng.random() < 0.3:
                written["family_name"] = _typo(rng, written["family_name"])
            records.append(make_record(f"{number}-{copy}", rng.choice("AB"), **written))
    return records, random_levels(people[:400])


def _prior_and_persons(records, levels):
    resolver = Resolver(random_levels=levels)
    resolver.add(records)
    arrays = resolver._store.arrays()
    pairs = candidate_pairs(arrays)
    model = resolver._fit(arrays, comparison_levels(arrays, pairs), pairs, levels)
    return model.prior, pairs.date_sample_share, len(resolver.resolve().persons)


def test_a_sample_of_date_blocks_finds_the_prior_and_the_persons_of_all(monkeypatch):
    records, levels = _crowded(5000)
    prior, share, persons = _prior_and_persons(records, levels)
    assert share == 1.0
    monkeypatch.setattr(pairs_module, "DATE_SAMPLE_PAIRS", 20_000)
    monkeypatch.setattr(pairs_module, "LARGE_BLOCK", 4)
    sampled_prior, sampled_share, sampled_persons = _prior_and_persons(records, levels)
    assert 0.15 < sampled_share < 0.6
    assert np.isclose(sampled_prior, prior, rtol=0.2)
    assert np.isclose(sampled_persons, persons, rtol=0.01)
