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
import itertools
import operator
import struct
import threading
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

try:
    import numpy as np
except ImportError:  # in the browser (Pyodide has no numpy): the entries are laid out in Python
    np = None

from privacy.ecb import ecb_encryptor
from privacy.identity import Identity, normalise_identity
from privacy.phonetic import phonetic_code

__all__ = [
    "BLOCK_LABELS", "ENCODING_VERSION", "ENTRY_BYTES", "Feature", "LinkageEncoding", "decode_features",
    "feature_digests", "feature_label", "features_of", "make_encoding", "make_encoding_of",
]

ENCODING_VERSION = 1
BLOCK_LABELS = ("dob", "family_year", "given_year", "names")
# Names longer than this make no edit forms (they still compare exactly and phonetically): it
# bounds the features per record.
MAX_EDIT_LENGTH = 20
# One feature on the wire: its kind (one byte) and its 64-bit token.
ENTRY_BYTES = 9
_ENTRY_DTYPE = np.dtype(f"S{ENTRY_BYTES}") if np is not None else None


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


def _family_joined(family: str | None) -> str | None:
    """The family name as its features and block values are made from it: its parts run together."""
    return family.replace(" ", "") if family else None


def features_of(who: Identity) -> list[tuple[Feature, str]]:
    """Every feature of a normalised identity, as (kind, value); never leaves the partner's machine.

    >>> from datetime import date
    >>> who = normalise_identity(given_name="Ana", family_name="Silva", date_of_birth=date(1990, 3, 2))
    >>> sorted({kind.name for kind, _ in features_of(who)})  # doctest: +NORMALIZE_WHITESPACE
    ['DOB_DIGIT', 'DOB_EXACT', 'DOB_SWAPPED', 'FAMILY_EDIT', 'FAMILY_EXACT', 'FAMILY_PHONETIC',
     'GIVEN_EDIT', 'GIVEN_EXACT', 'GIVEN_PHONETIC', 'YEAR', 'YEAR_PAIR', 'YEAR_SPAN']
    """
    return [
        *_given_features(who.given), *_family_features(_family_joined(who.family)), *_dob_features(who.dob),
        *_year_features(who.birth_year, who.age_years),
        *_other_features(who.document, who.document_country, who.phone),
    ]


class _Keys(threading.local):
    """What the linkage secret gives: the AES cipher of the feature tokens (AES-128 in ECB mode,
    one block per feature) and the HMAC key of the block tokens, with each block's salt and token
    remembered by the block's label and value.

    The cipher is ``cryptography``'s, whose call costs a fifth of pycryptodome's on a record's few
    kilobytes, or in the browser the page's (:mod:`privacy.ecb`). One of its encryptors used by two
    threads at once fails ("Already borrowed"), so each thread makes its own (ECB keeps no state
    from one call to the next).
    """

    def __init__(self, secret: bytes):
        aes_key = hmac.digest(secret, f"comparison-encodings-v{ENCODING_VERSION}\x1faes".encode(), "sha256")[:16]
        self.block_key = hmac.digest(secret, f"comparison-encodings-v{ENCODING_VERSION}\x1fblock".encode(), "sha256")
        self.encrypt = ecb_encryptor(aes_key)
        self.block = lru_cache(maxsize=_REMEMBERED)(self._block)

    def _block(self, message: str) -> tuple[bytes, str]:
        """The salt of a block's features and the block's token (hex), from ``label 0x1f value``."""
        salt = _digest(f"block\x1f{message}".encode("utf-8"))
        return salt, hmac.digest(self.block_key, message.encode("utf-8"), "sha256").hex()


@lru_cache(maxsize=8)
def _keys(secret: bytes) -> _Keys:
    return _Keys(secret)


_PREFIX = {kind: f"{label}\x1f".encode() for kind, label in _LABEL.items()}
_EMPTY_BLAKE2B = hashlib.blake2b(digest_size=16)


def _digest(data: bytes) -> bytes:
    """The 16-byte BLAKE2b digest of ``data``: a copy of an empty hash, cheaper than reading the
    constructor's keywords for each of the few features a record makes."""
    hasher = _EMPTY_BLAKE2B.copy()
    hasher.update(data)
    return hasher.digest()


# Names, dates, years and block values recur across a partner's file: what is made from one of
# them alone is made once and remembered, up to this many of each (some tens of MB at most, in the
# connector's memory only, which holds the rows themselves). Documents and phones seldom recur,
# and are not remembered.
_REMEMBERED = 200_000


def _digests(features: tuple[tuple[Feature, str], ...]) -> tuple[bytes, bytes]:
    """The features' 16-byte BLAKE2b digests, concatenated, and their kinds, one byte each."""
    digests = b"".join([
        _digest(_PREFIX[kind] + value.encode("utf-8")) for kind, value in features
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
    """What the given name and the family name as normalised (parts apart) give."""
    family = _family_joined(family)
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
# The parts each block sends (by their number in _PARTS), in order.
_SENT_PARTS = {
    label: tuple(number for number, kinds in enumerate(_PARTS) if kinds.isdisjoint(implied))
    for label, implied in IMPLIED.items()
}
# Every block sends two parts or more: a layout's itemgetter then gives a tuple, never one part.
assert all(len(parts) > 1 for parts in _SENT_PARTS.values())


@dataclass(frozen=True)
class _Layout:
    """Where the entries of a record's blocks go, for records with the same blocks and parts of
    the same sizes: the features each block sends are encrypted block after block, those of each
    block in the order of their parts; ``pick`` takes the parts so laid out from the record's
    parts, ``counts`` are how many entries each block sends, ``spans`` the numbers of each block's
    entries, ``ends`` where each block's packed entries end. With numpy, ``block_numbers`` is the
    block of each entry (so that in (block, token) order each block's entries come together);
    ``tokens`` reads the first 8 bytes (big-endian) of each 16-byte AES output, for the Python path."""

    pick: operator.itemgetter
    counts: tuple[int, ...]
    spans: tuple[range, ...]
    ends: tuple[int, ...]
    block_numbers: object  # np.ndarray, or None without numpy
    tokens: struct.Struct

    @property
    def count(self) -> int:
        return self.spans[-1].stop


@lru_cache(maxsize=4096)
def _layout(labels: tuple[str, ...], part_sizes: tuple[int, ...]) -> _Layout:
    parts = tuple(number for label in labels for number in _SENT_PARTS[label])
    counts = tuple(sum(part_sizes[number] for number in _SENT_PARTS[label]) for label in labels)
    starts = tuple(itertools.accumulate(counts, initial=0))
    spans = tuple(range(start, stop) for start, stop in zip(starts, starts[1:]))
    ends = tuple(ENTRY_BYTES * end for end in starts)
    block_numbers = np.repeat(np.arange(len(labels), dtype=np.uint8), counts) if np is not None else None
    return _Layout(operator.itemgetter(*parts), counts, spans, ends, block_numbers, struct.Struct(">" + "Q8x" * starts[-1]))


def _blocks(who: Identity, names: _Names) -> tuple[tuple[str, ...], list[str]]:
    """The labels of the record's blocks and, for each, ``label 0x1f value``: what the block's
    token and salt are made from."""
    labels, messages = [], []
    if who.dob:
        labels.append("dob")
        messages.append(f"dob\x1f{who.dob}")
    if who.birth_year:
        if names.family_code:
            labels.append("family_year")
            messages.append(f"family_year\x1f{names.family_code}\x1f{who.birth_year}")
        if names.given_code:
            labels.append("given_year")
            messages.append(f"given_year\x1f{names.given_code}\x1f{who.birth_year}")
    if names.names_value:
        labels.append("names")
        messages.append(f"names\x1f{names.names_value}")
    return tuple(labels), messages


_DOCUMENT_PREFIX, _PHONE_PREFIX = _PREFIX[Feature.DOCUMENT], _PREFIX[Feature.PHONE]
_DOCUMENT_KIND, _PHONE_KIND = bytes([Feature.DOCUMENT]), bytes([Feature.PHONE])


def _other_digests(who: Identity) -> tuple[bytes, bytes]:
    """The digests and kinds of a record's document and phone: those of ``_other_features``, made
    directly (they seldom repeat, so they are made for nearly every record and not remembered)."""
    digests, kinds = b"", b""
    if who.document and who.document_country:
        document = f"{who.document}\x1f{who.document_country}".encode()
        digests, kinds = _digest(_DOCUMENT_PREFIX + document), _DOCUMENT_KIND
    if who.phone:
        digests += _digest(_PHONE_PREFIX + who.phone.encode())
        kinds += _PHONE_KIND
    return digests, kinds


def _feature_parts(who: Identity, names: _Names) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """The digests and the kinds of the record's features, part by part (see _PARTS)."""
    (dob, dob_kinds), (year, year_kinds) = _dob_digests(who.dob), _year_digests(who.birth_year, who.age_years)
    other, other_kinds = _other_digests(who)
    return (names.digests, dob, year, other), (names.kinds, dob_kinds, year_kinds, other_kinds)


def feature_digests(who: Identity) -> tuple[bytes, bytes]:
    """The unsalted 16-byte digests of every feature of a normalised identity, in the order of
    :func:`features_of`, and their kinds (one byte each); never leaves the partner's machine. Two
    features have one digest when they have one label and one value (as :func:`feature_label`).

    >>> who = normalise_identity(given_name="Ana", family_name="Ana")
    >>> digests, kinds = feature_digests(who)
    >>> [Feature(kind).name for kind in kinds[:2]], len(digests) == 16 * len(features_of(who))
    (['GIVEN_EXACT', 'GIVEN_PHONETIC'], True)
    >>> exact = [digests[16 * at:16 * at + 16] for at, kind in enumerate(kinds) if kind in (1, 4)]
    >>> exact[0] == exact[1]  # the given and the family name: names swapped meet
    True
    """
    digests, kinds = _feature_parts(who, _names(who.given, who.family))
    return b"".join(digests), b"".join(kinds)


def make_encoding_of(secret: bytes, who: Identity) -> LinkageEncoding:
    """The blocks and salted features of an already normalised identity (see :func:`make_encoding`)."""
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    keys = _keys(secret)
    names = _names(who.given, who.family)
    labels, messages = _blocks(who, names)
    digests, kinds = _feature_parts(who, names)
    part_sizes = tuple(map(len, kinds))
    if not labels or part_sizes == (0, 0, 0, 0):
        return LinkageEncoding({})
    layout = _layout(labels, part_sizes)
    salts, tokens = zip(*map(keys.block, messages))
    entries = _sorted_entries(
        keys.encrypt, layout, b"".join(layout.pick(digests)), b"".join(map(operator.mul, salts, layout.counts)),
        b"".join(layout.pick(kinds)),
    )
    return LinkageEncoding({
        label: (token, entries[start:end]) for label, token, start, end in zip(labels, tokens, layout.ends, layout.ends[1:])
    })


def _entries_with_numpy(encrypt, layout: _Layout, digests: bytes, salts: bytes, kinds: bytes) -> bytes:
    """Every block's packed entries, block after block, each block's in token order.

    Every feature a block sends, in every block, is encrypted in one run of AES: the feature's
    digest XOR the block's salt. Each 16-byte AES output is preceded by one spare byte (the
    previous output's last, or the padding), where the kind goes: the entry (kind, first 8 bytes
    of the output) is one window. Within each block the entries are in token order (ties in
    written order), so that the order of the entries says nothing about the name.
    """
    mixed = np.frombuffer(digests, np.uint64) ^ np.frombuffer(salts, np.uint64)
    laid = bytearray(16) + encrypt(mixed.tobytes())
    count = layout.count
    laid[15:16 * count:16] = kinds
    order = np.lexsort((np.ndarray((count,), ">u8", laid, 16, (16,)), layout.block_numbers))
    return np.ndarray((count,), _ENTRY_DTYPE, laid, 15, (16,))[order].tobytes()


def _entries_in_python(encrypt, layout: _Layout, digests: bytes, salts: bytes, kinds: bytes) -> bytes:
    """What :func:`_entries_with_numpy` gives, byte for byte, without numpy (in the browser). The
    connector keeps numpy where it has it: with this path it encoded 27 % fewer records per CPU
    second (``bench/encoding_speed.py``)."""
    mixed = (int.from_bytes(digests, "little") ^ int.from_bytes(salts, "little")).to_bytes(len(salts), "little")
    laid = bytearray(16) + encrypt(mixed)
    laid[15:16 * layout.count:16] = kinds
    tokens = layout.tokens.unpack_from(laid, 16)
    window = memoryview(laid)
    # Python's sort is stable: ties keep their written order, as numpy's lexsort does.
    return b"".join([window[15 + 16 * entry:24 + 16 * entry]
                     for span in layout.spans for entry in sorted(span, key=tokens.__getitem__)])


_sorted_entries = _entries_with_numpy if np is not None else _entries_in_python


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


def decode_features(features: bytes):
    """The kinds (uint8) and tokens (uint64) of packed features, as numpy arrays (the hub's reading;
    the connector, which may run without numpy in the browser, never needs it).

    >>> kinds, tokens = decode_features(bytes([7]) + (5).to_bytes(8, "big"))
    >>> kinds.tolist(), tokens.tolist()
    ([7], [5])
    """
    entries = np.frombuffer(features, dtype=[("kind", "u1"), ("token", ">u8")])
    return entries["kind"].astype(np.uint8), entries["token"].astype(np.uint64)

