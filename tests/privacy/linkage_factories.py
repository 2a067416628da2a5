"""Linkage records as a connector and the hub would produce them, for tests."""

from __future__ import annotations

from privacy.linkage.records import LinkageRecord
from privacy.payload import make_linkage_payload

SECRET = b"test linkage secret of 32 bytes!"


def make_record(key: str, partner: str, secret: bytes = SECRET, **identifiers) -> LinkageRecord:
    payload = make_linkage_payload(secret, **identifiers)
    return LinkageRecord(
        key,
        partner,
        {label: bytes.fromhex(token) for label, token in payload.tokens.items()},
        payload.clk,
        [bytes.fromhex(token) for token in payload.blocks.values()],
    )


def person_of(persons, key):
    return next(person for person in persons if key in person)
