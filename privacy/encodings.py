"""Keyed comparison encodings: what the connector sends so that the hub can compare two records
field by field without ever seeing a name.

A record is put in a few **blocks** (records are compared only with records sharing a block):

- ``dob``: the exact date of birth;
- ``family_year`` / ``given_year``: the phonetic code of the family (given) name and the year of
  birth;
- ``names``: the phonetic codes of both names, in sorted order (so swapped names still meet).

Each block is sent as a keyed **block token** (which records share the block) and the record's
**features** salted by that block: for the given and the family name the name as written, its
phonetic code and each form with one letter left out (two names one typing error apart share a
form); for the date of birth the date, the date with day and month swapped, the date with each
digit in turn masked (one digit mistyped), the year, the two pairs of adjacent years holding it
(a year apart; an age at registration gives the one pair of years it allows) and the two spans of
six years holding it (a few years apart, or far apart); a document number with its country, and a
phone. Sex and citizenship are not encoded: the hub holds them as
attributes of the record already.

A feature's token is ``AES_K(H(feature) XOR H(block))`` truncated to 64 bits, where ``K`` is
derived from the linkage secret and ``H`` is BLAKE2b: equal features of two records in one block
give equal tokens, and nothing else is equal.

Privacy claim. Without the linkage secret nobody can compute a token from a name (no dictionary
attack); the hub re-keys every token with a key of its own before storing it
(:mod:`privacy.rekey`), so a partner holding the linkage secret cannot compute stored tokens
either. Because features are salted by the block, the same given name has a different token in
every block: the hub learns which records of one block share a name, never how often a name
occurs across the hub, which is what a frequency attack needs (measured in ``bench/attack.py``).
What is not hidden: which of a record's fields are present, the number of letters of each name
(one edit form per letter), and, within a block, which records agree on which field. Tokens and
what the hub computes from them never leave the hub.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import numpy as np
from Crypto.Cipher import AES

from privacy.identity import Identity, normalise_identity
from privacy.phonetic import phonetic_code

__all__ = [
    "BLOCK_LABELS", "ENCODING_VERSION", "ENTRY_BYTES", "Feature", "LinkageEncoding", "decode_features",
    "feature_label", "features_of", "make_encoding", "make_encoding_of",
]

ENCODING_VERSION = 1
BLOCK_LABELS = ("dob", "family_year", "given_year", "names")
# Names longer than this make no edit forms (they still compare exactly and phonetically): it
# bounds the features per record.
MAX_EDIT_LENGTH = 20
# One feature on the wire: its kind (one byte) and its 64-bit token.
ENTRY_BYTES = 9


class Feature(IntEnum):
    """The kinds of feature; the hub reads a record's features by kind."""

    GIVEN_EXACT = 1
    GIVEN_PHONETIC = 2
    GIVEN_EDIT = 3
    FAMILY_EXACT = 4
    FAMILY_PHONETIC = 5
    FAMILY_EDIT = 6
    DOB_EXACT = 7
    DOB_SWAPPED = 8
    DOB_DIGIT = 9
    YEAR = 10
    YEAR_PAIR = 11
    DOCUMENT = 12
    PHONE = 13
    YEAR_SPAN = 14


# What a feature's token is made from: kinds that share a label can be equal across kinds (a given
# name equal to a family name: names swapped; a swapped date equal to a date).
_LABEL = {
    Feature.GIVEN_EXACT: "name", Feature.FAMILY_EXACT: "name",
    Feature.GIVEN_PHONETIC: "phonetic", Feature.FAMILY_PHONETIC: "phonetic",
    Feature.GIVEN_EDIT: "edit", Feature.FAMILY_EDIT: "edit",
    Feature.DOB_EXACT: "dob", Feature.DOB_SWAPPED: "dob",
    Feature.DOB_DIGIT: "dob-digit", Feature.YEAR: "year", Feature.YEAR_PAIR: "year-pair", Feature.YEAR_SPAN: "year-span",
    Feature.DOCUMENT: "document", Feature.PHONE: "phone",
}
_DATE_FEATURES = frozenset({
    Feature.DOB_EXACT, Feature.DOB_SWAPPED, Feature.DOB_DIGIT, Feature.YEAR, Feature.YEAR_PAIR, Feature.YEAR_SPAN,
})
# Years fall in spans of this many years, laid twice (the second shifted by half a span): two years
# at most half a span apart always share a span, two more than a span apart never do.
YEAR_SPAN = 6
# Features every record of a block shares by construction: not sent in that block (the hub knows them).
IMPLIED = {
    "dob": _DATE_FEATURES,
    "family_year": frozenset({Feature.YEAR, Feature.YEAR_PAIR, Feature.YEAR_SPAN}),
    "given_year": frozenset({Feature.YEAR, Feature.YEAR_PAIR, Feature.YEAR_SPAN}),
    "names": frozenset(),
}
# For each block, whether each kind (by value) is implied there.
_IMPLIED_KINDS = {
    label: np.isin(np.arange(max(Feature) + 1), sorted(kinds)) if kinds else None for label, kinds in IMPLIED.items()
}


@dataclass(frozen=True)
class LinkageEncoding:
    """A record's blocks: ``{block label: (block token hex, features)}``, features being the packed
    entries (kind byte, 8-byte token) in token order."""

    blocks: dict[str, tuple[str, bytes]]

    def wire(self) -> dict:
        """The upload form: ``{label: {"token": hex, "features": base64}}``."""
        return {
            label: {"token": token, "features": base64.b64encode(features).decode("ascii")}
            for label, (token, features) in self.blocks.items()
        }


def feature_label(kind: Feature) -> str:
    """What a feature's token is made from: two kinds with one label can be equal (names swapped)."""
    return _LABEL[kind]


def _edits(value: str) -> list[str]:
    """The value and each form of it with one letter left out, once each.

    >>> _edits("ana")
    ['ana', 'na', 'aa', 'an']
    """
    if len(value) > MAX_EDIT_LENGTH:
        return [value]
    return list(dict.fromkeys([value, *(value[:at] + value[at + 1:] for at in range(len(value)))]))


def _name_features(given: str | None, family: str | None) -> list[tuple[Feature, str]]:
    found = []
    for value, exact, phonetic, edit in (
        (given, Feature.GIVEN_EXACT, Feature.GIVEN_PHONETIC, Feature.GIVEN_EDIT),
        (family, Feature.FAMILY_EXACT, Feature.FAMILY_PHONETIC, Feature.FAMILY_EDIT),
    ):
        if not value:
            continue
        found.append((exact, value))
        code = phonetic_code(value)
        if code:
            found.append((phonetic, code))
        found.extend((edit, form) for form in _edits(value))
    return found


def _date_features(who: Identity) -> list[tuple[Feature, str]]:
    found = []
    if who.dob:
        year, month, day = who.dob[:4], who.dob[5:7], who.dob[8:10]
        digits = year + month + day
        found.append((Feature.DOB_EXACT, who.dob))
        if int(day) <= 12 and day != month:
            found.append((Feature.DOB_SWAPPED, f"{year}-{day}-{month}"))
        found.extend((Feature.DOB_DIGIT, digits[:at] + "_" + digits[at + 1:]) for at in range(len(digits)))
    if who.birth_year:
        year = int(who.birth_year)
        found.append((Feature.YEAR, who.birth_year))
        # The pairs (year - 1, year) and (year, year + 1), each named by its first year.
        found.extend((Feature.YEAR_PAIR, f"{first:04d}") for first in (year - 1, year))
        years = [year]
    elif who.age_years:
        found.append((Feature.YEAR_PAIR, who.age_years[0]))
        years = [int(year) for year in who.age_years]
    else:
        return found
    spans = {f"{shift}:{(year + shift) // YEAR_SPAN}" for year in years for shift in (0, YEAR_SPAN // 2)}
    found.extend((Feature.YEAR_SPAN, span) for span in sorted(spans))
    return found


def features_of(who: Identity) -> list[tuple[Feature, str]]:
    """Every feature of a normalised identity, as (kind, value); never leaves the partner's machine.

    >>> from datetime import date
    >>> who = normalise_identity(given_name="Ana", family_name="Silva", date_of_birth=date(1990, 3, 2))
    >>> sorted({kind.name for kind, _ in features_of(who)})  # doctest: +NORMALIZE_WHITESPACE
    ['DOB_DIGIT', 'DOB_EXACT', 'DOB_SWAPPED', 'FAMILY_EDIT', 'FAMILY_EXACT', 'FAMILY_PHONETIC',
     'GIVEN_EDIT', 'GIVEN_EXACT', 'GIVEN_PHONETIC', 'YEAR', 'YEAR_PAIR', 'YEAR_SPAN']
    """
    family = who.family.replace(" ", "") if who.family else None
    found = _name_features(who.given, family) + _date_features(who)
    if who.document and who.document_country:
        found.append((Feature.DOCUMENT, f"{who.document}\x1f{who.document_country}"))
    if who.phone:
        found.append((Feature.PHONE, who.phone))
    return found


def _block_values(who: Identity) -> dict[str, str]:
    given = phonetic_code(who.given) if who.given else None
    family = phonetic_code(who.family.replace(" ", "")) if who.family else None
    values = {
        "dob": who.dob,
        "family_year": family and who.birth_year and f"{family}\x1f{who.birth_year}",
        "given_year": given and who.birth_year and f"{given}\x1f{who.birth_year}",
        "names": given and family and "\x1f".join(sorted((given, family))),
    }
    return {label: value for label, value in values.items() if value}


@lru_cache(maxsize=8)
def _keys(secret: bytes):
    """The AES cipher of the feature tokens and the HMAC key of the block tokens, from the secret."""
    aes_key = hmac.digest(secret, f"comparison-encodings-v{ENCODING_VERSION}\x1faes".encode(), "sha256")[:16]
    block_key = hmac.digest(secret, f"comparison-encodings-v{ENCODING_VERSION}\x1fblock".encode(), "sha256")
    return AES.new(aes_key, AES.MODE_ECB), block_key


_PREFIX = {kind: f"{label}\x1f".encode() for kind, label in _LABEL.items()}
_BLAKE2B = hashlib.blake2b


def make_encoding_of(secret: bytes, who: Identity) -> LinkageEncoding:
    """The blocks and salted features of an already normalised identity (see :func:`make_encoding`)."""
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    cipher, block_key = _keys(secret)
    blocks = _block_values(who)
    features = features_of(who)
    if not blocks or not features:
        return LinkageEncoding({})
    digests = b"".join(
        _BLAKE2B(_PREFIX[kind] + value.encode("utf-8"), digest_size=16).digest() for kind, value in features
    )
    salts = b"".join(
        _BLAKE2B(f"block\x1f{label}\x1f{value}".encode("utf-8"), digest_size=16).digest()
        for label, value in blocks.items()
    )
    count = len(features)
    mixed = np.frombuffer(digests, np.uint8).reshape(1, count, 16) ^ np.frombuffer(salts, np.uint8).reshape(-1, 1, 16)
    tokens = np.frombuffer(cipher.encrypt(mixed.tobytes()), np.uint8).reshape(len(blocks), count, 16)
    entries = np.empty((len(blocks), count, ENTRY_BYTES), np.uint8)
    entries[:, :, 0] = [kind for kind, _ in features]
    entries[:, :, 1:] = tokens[:, :, :8]
    # In token order, so that the order of the entries says nothing about the name.
    order = np.argsort(entries[:, :, 1:].copy().view(">u8")[:, :, 0], axis=1, kind="stable")
    encoded = {}
    for at, (label, value) in enumerate(blocks.items()):
        sorted_entries = entries[at][order[at]]
        implied = _IMPLIED_KINDS[label]
        if implied is not None:
            sorted_entries = sorted_entries[~implied[sorted_entries[:, 0]]]
        block_token = hmac.digest(block_key, f"{label}\x1f{value}".encode("utf-8"), "sha256").hex()
        encoded[label] = (block_token, sorted_entries.tobytes())
    return LinkageEncoding(encoded)


def make_encoding(secret: bytes, **identifiers) -> LinkageEncoding:
    """The comparison encoding of one record: its block tokens and salted features.

    ``identifiers`` are the keywords of :func:`privacy.identity.normalise_identity`.

    >>> from datetime import date
    >>> secret = bytes(32)
    >>> one = make_encoding(secret, full_name="Ana Silva", date_of_birth=date(1990, 3, 2))
    >>> sorted(one.blocks)
    ['dob', 'family_year', 'given_year', 'names']
    >>> same = make_encoding(secret, full_name="Mrs ANA  SILVA", date_of_birth=date(1990, 3, 2))
    >>> same == one
    True
    >>> other_key = make_encoding(b"k" * 32, full_name="Ana Silva", date_of_birth=date(1990, 3, 2))
    >>> other_key.blocks["dob"][0] == one.blocks["dob"][0]
    False
    """
    return make_encoding_of(secret, normalise_identity(**identifiers))


def decode_features(features: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The kinds (uint8) and tokens (uint64) of packed features.

    >>> kinds, tokens = decode_features(bytes([7]) + (5).to_bytes(8, "big"))
    >>> kinds.tolist(), tokens.tolist()
    ([7], [5])
    """
    entries = np.frombuffer(features, dtype=[("kind", "u1"), ("token", ">u8")])
    return entries["kind"].astype(np.uint8), entries["token"].astype(np.uint64)

