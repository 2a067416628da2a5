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
every block: counting tokens across the hub tells nothing of how common a name is. What is not
hidden: which of a record's fields are present, the number of letters of each name (one edit form
per letter), and, within a block, which records agree on which field; following those agreements
from block to block through the records they share groups the records of a common name, so a hub
that knows a population's name frequencies can still guess the most common names (measured by
``bench/attack.py``: docs/linkage-privacy.md). Tokens and what the hub computes from them never
leave the hub.
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


def _name_features(value: str | None, exact: Feature, phonetic: Feature, edit: Feature) -> tuple[tuple[Feature, str], ...]:
    if not value:
        return ()
    found = [(exact, value)]
    code = phonetic_code(value)
    if code:
        found.append((phonetic, code))
    found.extend((edit, form) for form in _edits(value))
    return tuple(found)


def _given_features(given: str | None) -> tuple[tuple[Feature, str], ...]:
    return _name_features(given, Feature.GIVEN_EXACT, Feature.GIVEN_PHONETIC, Feature.GIVEN_EDIT)


def _family_features(family: str | None) -> tuple[tuple[Feature, str], ...]:
    return _name_features(family, Feature.FAMILY_EXACT, Feature.FAMILY_PHONETIC, Feature.FAMILY_EDIT)


def _dob_features(dob: str | None) -> tuple[tuple[Feature, str], ...]:
    if not dob:
        return ()
    year, month, day = dob[:4], dob[5:7], dob[8:10]
    digits = year + month + day
    found = [(Feature.DOB_EXACT, dob)]
    if int(day) <= 12 and day != month:
        found.append((Feature.DOB_SWAPPED, f"{year}-{day}-{month}"))
    found.extend((Feature.DOB_DIGIT, digits[:at] + "_" + digits[at + 1:]) for at in range(len(digits)))
    return tuple(found)


def _year_features(birth_year: str | None, age_years: tuple[str, str] | None) -> tuple[tuple[Feature, str], ...]:
    if birth_year:
        year = int(birth_year)
        found = [(Feature.YEAR, birth_year)]
        # The pairs (year - 1, year) and (year, year + 1), each named by its first year.
        found.extend((Feature.YEAR_PAIR, f"{first:04d}") for first in (year - 1, year))
        years = [year]
    elif age_years:
        found = [(Feature.YEAR_PAIR, age_years[0])]
        years = [int(year) for year in age_years]
    else:
        return ()
    spans = {f"{shift}:{(year + shift) // YEAR_SPAN}" for year in years for shift in (0, YEAR_SPAN // 2)}
    found.extend((Feature.YEAR_SPAN, span) for span in sorted(spans))
    return tuple(found)


def _other_features(document: str | None, document_country: str | None, phone: str | None) -> tuple[tuple[Feature, str], ...]:
    found = []
    if document and document_country:
        found.append((Feature.DOCUMENT, f"{document}\x1f{document_country}"))
    if phone:
        found.append((Feature.PHONE, phone))
    return tuple(found)


def _family_joined(who: Identity) -> str | None:
    """The family name as its features and block values are made from it: its parts run together."""
    return who.family.replace(" ", "") if who.family else None


def features_of(who: Identity) -> list[tuple[Feature, str]]:
    """Every feature of a normalised identity, as (kind, value); never leaves the partner's machine.

    >>> from datetime import date
    >>> who = normalise_identity(given_name="Ana", family_name="Silva", date_of_birth=date(1990, 3, 2))
    >>> sorted({kind.name for kind, _ in features_of(who)})  # doctest: +NORMALIZE_WHITESPACE
    ['DOB_DIGIT', 'DOB_EXACT', 'DOB_SWAPPED', 'FAMILY_EDIT', 'FAMILY_EXACT', 'FAMILY_PHONETIC',
     'GIVEN_EDIT', 'GIVEN_EXACT', 'GIVEN_PHONETIC', 'YEAR', 'YEAR_PAIR', 'YEAR_SPAN']
    """
    return [
        *_given_features(who.given), *_family_features(_family_joined(who)), *_dob_features(who.dob),
        *_year_features(who.birth_year, who.age_years),
        *_other_features(who.document, who.document_country, who.phone),
    ]


@lru_cache(maxsize=8)
def _keys(secret: bytes):
    """The AES cipher of the feature tokens and the HMAC key of the block tokens, from the secret."""
    aes_key = hmac.digest(secret, f"comparison-encodings-v{ENCODING_VERSION}\x1faes".encode(), "sha256")[:16]
    block_key = hmac.digest(secret, f"comparison-encodings-v{ENCODING_VERSION}\x1fblock".encode(), "sha256")
    return AES.new(aes_key, AES.MODE_ECB), block_key


_PREFIX = {kind: f"{label}\x1f".encode() for kind, label in _LABEL.items()}
_BLAKE2B = hashlib.blake2b
# Names, dates, years and block values recur across a partner's file: what is made from one of
# them alone is made once and remembered, up to this many of each (some tens of MB at most, in the
# connector's memory only, which holds the rows themselves). Documents and phones seldom recur,
# and are not remembered.
_REMEMBERED = 200_000


def _digests(features: tuple[tuple[Feature, str], ...]) -> tuple[bytes, bytes]:
    """The features' 16-byte BLAKE2b digests, concatenated, and their kinds, one byte each."""
    digests = b"".join([
        _BLAKE2B(_PREFIX[kind] + value.encode("utf-8"), digest_size=16).digest() for kind, value in features
    ])
    return digests, bytes([kind for kind, _ in features])


@lru_cache(maxsize=_REMEMBERED)
def _given_digests(given: str | None) -> tuple[bytes, bytes]:
    return _digests(_given_features(given))


@lru_cache(maxsize=_REMEMBERED)
def _family_digests(family: str | None) -> tuple[bytes, bytes]:
    return _digests(_family_features(family))


@dataclass(frozen=True)
class _Names:
    """What a record's given and family names alone give: their phonetic codes, the value of the
    block of names, and the digests and kinds of their features."""

    given_code: str | None
    family_code: str | None
    names_value: str | None
    digests: bytes
    kinds: bytes


@lru_cache(maxsize=_REMEMBERED)
def _names(given: str | None, family: str | None) -> _Names:
    given_code = phonetic_code(given) if given else None
    family_code = phonetic_code(family) if family else None
    (given_digests, given_kinds), (family_digests, family_kinds) = _given_digests(given), _family_digests(family)
    return _Names(
        given_code, family_code, given_code and family_code and "\x1f".join(sorted((given_code, family_code))),
        given_digests + family_digests, given_kinds + family_kinds,
    )


@lru_cache(maxsize=_REMEMBERED)
def _dob_digests(dob: str | None) -> tuple[bytes, bytes]:
    return _digests(_dob_features(dob))


@lru_cache(maxsize=_REMEMBERED)
def _year_digests(birth_year: str | None, age_years: tuple[str, str] | None) -> tuple[bytes, bytes]:
    return _digests(_year_features(birth_year, age_years))


# A record's features come in parts, in this order (that of features_of); each part's kinds are
# implied in the same blocks, so a block sends or leaves out whole parts.
_PARTS = (
    {Feature.GIVEN_EXACT, Feature.GIVEN_PHONETIC, Feature.GIVEN_EDIT, Feature.FAMILY_EXACT, Feature.FAMILY_PHONETIC,
     Feature.FAMILY_EDIT},
    {Feature.DOB_EXACT, Feature.DOB_SWAPPED, Feature.DOB_DIGIT},
    {Feature.YEAR, Feature.YEAR_PAIR, Feature.YEAR_SPAN},
    {Feature.DOCUMENT, Feature.PHONE},
)
assert all(kinds <= implied or kinds.isdisjoint(implied) for kinds in _PARTS for implied in IMPLIED.values())
# The sort key of the entries a block leaves out: after those of every block (numbered from 0).
_LEFT_OUT = 255


@dataclass(frozen=True)
class _Layout:
    """Where the entries of a record's blocks go, for records with the same blocks and parts of
    the same sizes: every feature is encrypted in every block, block after block; ``sort_keys``
    gives each the number of its block, or ``_LEFT_OUT`` where that block implies it, so that in
    (key, token) order each block's entries come together and the left-out ones last; ``ends``
    are where each block's packed entries end."""

    sort_keys: np.ndarray
    ends: tuple[int, ...]


@lru_cache(maxsize=4096)
def _layout(labels: tuple[str, ...], part_sizes: tuple[int, ...]) -> _Layout:
    sort_keys, ends = bytearray(), [0]
    for number, label in enumerate(labels):
        sent = [kinds.isdisjoint(IMPLIED[label]) for kinds in _PARTS]
        for is_sent, size in zip(sent, part_sizes):
            sort_keys += bytes([number if is_sent else _LEFT_OUT]) * size
        ends.append(ends[-1] + ENTRY_BYTES * sum(size for is_sent, size in zip(sent, part_sizes) if is_sent))
    return _Layout(np.frombuffer(bytes(sort_keys), np.uint8), tuple(ends))


@lru_cache(maxsize=_REMEMBERED)
def _block_keys(block_key: bytes, label: str, value: str) -> tuple[bytes, str]:
    """The salt of a block's features and the block's token (hex)."""
    salt = _BLAKE2B(f"block\x1f{label}\x1f{value}".encode("utf-8"), digest_size=16).digest()
    return salt, hmac.digest(block_key, f"{label}\x1f{value}".encode("utf-8"), "sha256").hex()


def make_encoding_of(secret: bytes, who: Identity) -> LinkageEncoding:
    """The blocks and salted features of an already normalised identity (see :func:`make_encoding`)."""
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    cipher, block_key = _keys(secret)
    names = _names(who.given, _family_joined(who))
    blocks = {
        label: value for label, value in (
            ("dob", who.dob),
            ("family_year", names.family_code and who.birth_year and f"{names.family_code}\x1f{who.birth_year}"),
            ("given_year", names.given_code and who.birth_year and f"{names.given_code}\x1f{who.birth_year}"),
            ("names", names.names_value),
        ) if value
    }
    if not blocks:
        return LinkageEncoding({})
    # The digests and kinds of the record's features, part by part (see _PARTS).
    dob_digests, dob_kinds = _dob_digests(who.dob)
    year_digests, year_kinds = _year_digests(who.birth_year, who.age_years)
    other_digests, other_kinds = _digests(_other_features(who.document, who.document_country, who.phone))
    kinds = b"".join((names.kinds, dob_kinds, year_kinds, other_kinds))
    if not kinds:
        return LinkageEncoding({})
    digests = b"".join((names.digests, dob_digests, year_digests, other_digests))
    layout = _layout(tuple(blocks), (len(names.kinds), len(dob_kinds), len(year_kinds), len(other_kinds)))
    keys = [_block_keys(block_key, label, value) for label, value in blocks.items()]
    # Every feature in every block in one run of AES: the feature's digest XOR the block's salt.
    count = len(kinds) * len(blocks)
    mixed = np.frombuffer(digests * len(blocks), np.uint64) ^ np.frombuffer(
        b"".join([salt * len(kinds) for salt, _ in keys]), np.uint64
    )
    # Each 16-byte AES output is preceded by one spare byte (the previous output's last, or the
    # padding), where the kind goes: the entry (kind, first 8 bytes of the output) is one window.
    laid = bytearray(16 * (count + 1))
    cipher.encrypt(mixed.tobytes(), output=memoryview(laid)[16:])
    laid[15:16 * count:16] = kinds * len(blocks)
    tokens = np.ndarray((count,), ">u8", laid, 16, (16,))
    # In token order within each block (ties in written order), so that the order of the entries
    # says nothing about the name.
    order = np.lexsort((tokens, layout.sort_keys))[:layout.ends[-1] // ENTRY_BYTES]
    entries = np.ndarray((count,), f"S{ENTRY_BYTES}", laid, 15, (16,))[order].tobytes()
    return LinkageEncoding({
        label: (token, entries[start:end])
        for label, (_, token), start, end in zip(blocks, keys, layout.ends, layout.ends[1:])
    })


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

