"""Term frequency: a name held by many weighs little, a name held by no one else weighs as rare as
names seen once are (Good-Turing), never less than the levels' average says."""

from __future__ import annotations

import numpy as np
import pytest

from privacy.linkage.model import FIELDS, LEVELS, MatchModel
from privacy.linkage.pairs import _unseen_namesakes


def _model() -> MatchModel:
    """Names exact in 4 of 5 matches and one random pair in 256; every other level flat."""
    m = {name: [0.0, *([1 / (len(levels) - 1)] * (len(levels) - 1))] for name, levels in LEVELS.items()}
    u = {name: list(values) for name, values in m.items()}
    for name in ("given_name", "family_name"):
        m[name] = [0.0, 0.05, 0.05, 0.1, 0.8]
        u[name] = [0.0, 1 - 3 / 256, 1 / 256, 1 / 256, 1 / 256]
    return MatchModel(m=m, u=u, prior=1e-6)


def _exact_names() -> np.ndarray:
    levels = np.zeros((1, len(FIELDS)), dtype=np.int8)
    levels[0, FIELDS.index("given_name")] = levels[0, FIELDS.index("family_name")] = 4
    return levels


def test_good_turing_counts_the_other_holders_of_a_name_seen_once():
    # 100 names held by one person, 10 by two: a name seen once has 2 * 10 / 100 other holders.
    people = np.array([1] * 100 + [2] * 10 + [3] * 4)
    assert _unseen_namesakes(people) == 0.2
    assert _unseen_namesakes(np.array([1, 1, 3])) == 0.0  # nothing held by two: nothing to tell


def test_in_a_large_hub_a_name_no_one_else_holds_weighs_more_than_the_average_name():
    model, levels = _model(), _exact_names()
    average = model.match_weight(levels)[0]
    records = 1_000_000  # 1 / records far below the levels' u of 2 ** -16 for the full name
    unique = model.match_weight(levels, np.array([0]), records, unseen_namesakes=0.2)[0]
    assert unique - average == pytest.approx(np.log2(2 ** -16 / (0.2 / records)))


def test_in_a_small_hub_a_name_no_one_else_holds_weighs_what_the_levels_say():
    model, levels = _model(), _exact_names()
    # 0.2 / 10,000 is above the levels' u: the name cannot be told rarer than the average.
    assert model.match_weight(levels, np.array([0]), 10_000, unseen_namesakes=0.2)[0] == model.match_weight(levels)[0]


def test_a_name_others_hold_weighs_less_the_more_hold_it():
    model, levels = _model(), _exact_names()
    # Held by one other among a million: no rarer than the levels' average; by 100 and 1,000: a tenth as much.
    weights = [model.match_weight(levels, np.array([others]), 1_000_000, unseen_namesakes=0.2)[0]
               for others in (0, 1, 100, 1_000)]
    assert weights[0] > weights[1] == model.match_weight(levels)[0] > weights[2] > weights[3]
    assert weights[2] - weights[3] == pytest.approx(np.log2(10))
