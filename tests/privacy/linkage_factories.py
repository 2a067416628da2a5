"""Linkage records as a connector and the hub would produce them, for tests."""

from __future__ import annotations

from privacy.encodings import make_encoding_of
from privacy.identity import normalise_identity
from privacy.linkage.records import LinkageRecord
from privacy.random_pairs import LevelCounts, random_pair_levels

SECRET = b"test linkage secret of 32 bytes!"


def make_record(key: str, partner: str, secret: bytes = SECRET, case=None, **identifiers) -> LinkageRecord:
    """The record the hub would hold for these identifiers (tokens not re-keyed: tests need not)."""
    who = normalise_identity(**identifiers)
    encoding = make_encoding_of(secret, who)
    return LinkageRecord(
        key, partner, {label: (bytes.fromhex(token), features) for label, (token, features) in encoding.blocks.items()},
        sex=identifiers.get("sex"), citizenship=identifiers.get("citizenship"), case=case,
    )


def random_levels(people: list[dict]) -> LevelCounts:
    """The random pairs' level counts a connector would send for these identifiers."""
    return random_pair_levels([normalise_identity(**person) for person in people])


def person_of(persons, key):
    return next(person for person in persons if key in person)
