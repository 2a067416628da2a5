"""Keyed Bloom-filter encodings (CLKs) and blocking tokens, for fuzzy linkage of misspelt names.

A CLK ("cryptographic long-term key", Schnell et al. 2011) sets bits for the q-grams of a
person's names and the parts of the date of birth; records of one person spelt a little
differently set mostly the same bits, so their Dice similarity stays high where every exact match
key fails.

A CLK is two 512-bit halves (``CLK_VERSION`` 2), each its own Bloom filter:

- the **year half** (bytes 0-63): names, day and month of birth, keyed by the year of birth;
  all zero unless the date of birth is exact. Equal names and days in one year score high.
- the **citizenship half** (bytes 64-127): names, the year of birth (whole, first three digits,
  last digit) and, if exact, day and month, keyed by citizenship (an empty citizenship is a
  salt of its own). A mistyped year only lowers its similarity; a missing date leaves the
  names, which the dated record's half contains. Stage two uses it only for pairs whose years
  differ or of which one is undated, only for rare names, and only where the hub measures few
  namesakes among such pairs (:mod:`privacy.linkage.stage_two`, :mod:`privacy.linkage.namesakes`).

Privacy claim. What is protected: bit positions are ``HMAC-SHA512`` of each feature under a key
derived from the linkage secret and the half's salt (year of birth, or citizenship), so without
the secret nobody can compute where any name lands (no dictionary attack), and filters of
different salts are unrelated, which splits any frequency statistics a holder of many CLKs could
mine by year, or by citizenship. Each half is built at ``2 * HALF_BITS`` and XOR-folded in half
(Schnell, Borgs and Encarnação, 2016): each stored bit mixes two positions, so no single bit is
the mark of one q-gram, which is what pattern-mining attacks on Bloom filters exploit. What is
not protected: a CLK is a deterministic function of the identifiers, so equal records give equal
CLKs and similar names give similar CLKs; its Hamming weight grows with the length of the names;
and a large enough collection of CLKs of one salt may still yield to a frequency-alignment attack
by someone who knows the population's name frequencies. The citizenship salt splits the
population more coarsely than the year (a country's records share one key), so its half is the
weaker of the two against such an attack, and the half of an undated record encodes names alone.
CLKs therefore never leave the hub, and the hub stores them permuted under its own secret, each
half within itself (:func:`privacy.linkage.dice.permute_clks`), so that a partner holding the
linkage secret cannot compute the stored form of a name. A record without a name gets no CLK.
Name similarity alone never joins two undated records (*Sita Tamang* and *Gita Tamang* are likely
two people): they link only through exact match keys.

Blocking tokens say only which records are worth comparing: they are keyed HMACs of coarse
values (phonetic family name and year of birth, phonetic family name with the given initial and
citizenship, ...), never used to link on their own. They reveal to the hub how many records
share such a coarse value, which is why they too are re-keyed on storage and never released.
"""

from __future__ import annotations

import hashlib
import hmac
import struct

from privacy.identity import Identity, normalise_identity
from privacy.phonetic import fold_spelling, phonetic_code
from privacy.tokens import linkage_token

__all__ = [
    "BLOCKING_LABELS", "CLK_BITS", "HALF_BITS", "make_blocking_keys", "make_clk", "make_clk_of",
]

CLK_BITS = 1024
HALF_BITS = CLK_BITS // 2
CLK_VERSION = 2
BLOCKING_LABELS = (
    "phonetic_family_year", "phonetic_given_year", "dob",
    "phonetic_family_initial_citizenship", "phonetic_given_initial_citizenship",
)
_BUILT_BITS = 2 * HALF_BITS
# Names and the date of birth weigh about the same, so that namesakes born on different days
# stay apart and one mistyped letter or digit costs little: the name budget is shared among the
# name's features, each date part has a fixed share (month, day, and both together). The
# citizenship half adds the year of birth, whole and by digits, so that one mistyped digit of
# the year only lowers the similarity.
_NAME_BITS = 128
_MIN_BITS_PER_NAME_FEATURE = 4
_MAX_BITS_PER_NAME_FEATURE = 16
_DOB_BITS = {"m": 32, "d": 32, "md": 64}
_YEAR_BITS = {"y": 32, "y3": 16, "y4": 16}


def _name_features(who: Identity) -> list[tuple[str, int]]:
    names = []
    for part in who.parts:
        folded = f"_{fold_spelling(part)}_"
        names.extend(f"n{folded[i:i + 2]}" for i in range(len(folded) - 1))
        names.append(f"p{phonetic_code(part)}")
    share = max(_MIN_BITS_PER_NAME_FEATURE, min(_MAX_BITS_PER_NAME_FEATURE, _NAME_BITS // max(len(names), 1)))
    return [(feature, share) for feature in names]


def _date_features(who: Identity) -> list[tuple[str, int]]:
    if not who.dob:
        return []
    month, day = who.dob[5:7], who.dob[8:10]
    return [(f"m{month}", _DOB_BITS["m"]), (f"d{day}", _DOB_BITS["d"]), (f"md{month}{day}", _DOB_BITS["md"])]


def _year_features(who: Identity) -> list[tuple[str, int]]:
    year = who.birth_year
    if not year:
        return []
    return [(f"y{year}", _YEAR_BITS["y"]), (f"y3{year[:3]}", _YEAR_BITS["y3"]), (f"y4{year[3]}", _YEAR_BITS["y4"])]


def _salt_key(secret: bytes, salt_label: str, salt: str) -> bytes:
    """The key of one CLK half and salt value, derived from the linkage secret (HMAC as a KDF)."""
    context = f"clk-v{CLK_VERSION}\x1f{salt_label}\x1f{salt}".encode()
    return hmac.digest(secret, context, hashlib.sha256)


def _half(key: bytes, features: list[tuple[str, int]]) -> int:
    """One half: bits set at keyed positions, built at ``2 * HALF_BITS`` and XOR-folded."""
    built = 0
    for feature, bit_count in features:
        # Each 64-byte block gives 32 positions of 10 bits (1024 = 2 ** 10: no modulo bias).
        positions = []
        for block in range((bit_count + 31) // 32):
            digest = hmac.digest(key, f"{feature}\x1f{block}".encode(), hashlib.sha512)
            positions.extend(struct.unpack(">32H", digest))
        for position in positions[:bit_count]:
            built |= 1 << (position % _BUILT_BITS)
    return (built >> HALF_BITS) ^ (built & ((1 << HALF_BITS) - 1))


def make_clk_of(secret: bytes, who: Identity) -> bytes | None:
    """The CLK of an already normalised identity, or None without a name.

    The first half (bytes 0–63) encodes names and exact date of birth under a key salted by the
    year of birth, and is all zero without an exact date; the second half (bytes 64–127)
    encodes names, year of birth (if known) and exact day and month (if known) under a key
    salted by citizenship (empty when unknown).
    """
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    if not who.parts:
        return None
    names = _name_features(who)
    year_half = 0
    if who.dob:
        year_half = _half(_salt_key(secret, "year", who.dob[:4]), names + _date_features(who))
    coarse_features = names + _year_features(who) + _date_features(who)
    citizenship_half = _half(_salt_key(secret, "citizenship", who.citizenship or ""), coarse_features)
    return ((year_half << HALF_BITS) | citizenship_half).to_bytes(CLK_BITS // 8, "big")


def make_clk(secret: bytes, **identifiers) -> bytes | None:
    """The 1024-bit CLK of one person's names, date of birth and citizenship, or None without a name.

    ``identifiers`` are the keywords of :func:`privacy.identity.normalise_identity`.

    >>> from datetime import date
    >>> secret = bytes(32)
    >>> one = make_clk(secret, full_name="Muhammad Ali", date_of_birth=date(1990, 5, 4))
    >>> len(one)
    128
    >>> from privacy.linkage.dice import dice_of_bytes
    >>> year_half, citizenship_half = (lambda clk: clk[:64]), (lambda clk: clk[64:])
    >>> near = make_clk(secret, full_name="Мухаммад Али", date_of_birth=date(1990, 5, 4))
    >>> far = make_clk(secret, full_name="Fatima Begum", date_of_birth=date(1990, 5, 4))
    >>> dice_of_bytes(one, near) > 0.9, dice_of_bytes(one, far) < 0.7
    (True, True)
    >>> other_year = make_clk(secret, full_name="Muhammad Ali", date_of_birth=date(1991, 5, 4))
    >>> dice_of_bytes(year_half(one), year_half(other_year)) < 0.7
    True
    >>> dice_of_bytes(citizenship_half(one), citizenship_half(other_year)) > 0.8
    True
    >>> defaulted = make_clk(secret, full_name="Muhammad Ali", date_of_birth=date(1990, 1, 1))
    >>> year_half(defaulted) == bytes(64)  # a default date is no date: no year half
    True
    """
    return make_clk_of(secret, normalise_identity(**identifiers))


def make_blocking_keys_of(secret: bytes, who: Identity) -> dict[str, str]:
    """The blocking tokens of an already normalised identity (see :func:`make_blocking_keys`)."""
    given = phonetic_code(who.given) if who.given else None
    family = phonetic_code(who.family.replace(" ", "")) if who.family else None
    year, citizenship = who.birth_year, who.citizenship
    candidates = {
        "phonetic_family_year": (family, year),
        "phonetic_given_year": (given, year),
        "dob": (who.dob,),
        "phonetic_family_initial_citizenship": (family, who.given and who.given[0], citizenship),
        "phonetic_given_initial_citizenship": (given, who.family and who.family[0], citizenship),
    }
    return {
        label: linkage_token(secret, f"block:{label}", *components)
        for label, components in candidates.items()
        if all(components)
    }


def make_blocking_keys(secret: bytes, **identifiers) -> dict[str, str]:
    """Keyed blocking tokens ``{label: hex}``: records are compared only when they share one.

    ``identifiers`` are the keywords of :func:`privacy.identity.normalise_identity`.

    Two kinds: a name code with the year of birth (``phonetic_family_year``,
    ``phonetic_given_year``) or the exact date (``dob``), and, so that a mistyped or missing
    year still meets, a name code with the other name's initial and citizenship
    (``phonetic_family_initial_citizenship``, ``phonetic_given_initial_citizenship``). Every
    token holds a name code and a second field, or the full date; none is a single coarse value.

    >>> from datetime import date
    >>> keys = make_blocking_keys(bytes(32), full_name="Mohammed Ali", date_of_birth=date(1990, 5, 4),
    ...                           citizenship="PAK")
    >>> sorted(keys)  # doctest: +NORMALIZE_WHITESPACE
    ['dob', 'phonetic_family_initial_citizenship', 'phonetic_family_year',
     'phonetic_given_initial_citizenship', 'phonetic_given_year']
    >>> keys["phonetic_given_year"] == make_blocking_keys(
    ...     bytes(32), full_name="Mukhammad Aly", date_of_birth=date(1990, 7, 1))["phonetic_given_year"]
    True
    """
    return make_blocking_keys_of(secret, normalise_identity(**identifiers))
