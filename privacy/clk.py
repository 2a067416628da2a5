"""Keyed Bloom-filter encodings (CLKs) and blocking tokens, for fuzzy linkage of misspelt names.

A CLK ("cryptographic long-term key", Schnell et al. 2011) sets bits for the q-grams of a
person's names and the parts of the date of birth; records of one person spelt a little
differently set mostly the same bits, so their Dice similarity stays high where every exact match
key fails.

Privacy claim. What is protected: bit positions are ``HMAC-SHA512`` of each feature under a key
derived from the linkage secret *and the year of birth* (the salt), so without the secret nobody
can compute where any name lands (no dictionary attack), and filters of different birth years are
unrelated, which splits any frequency statistics a holder of many CLKs could mine by year. The
filter is built at ``2 * CLK_BITS`` and XOR-folded in half (Schnell, Borgs and Encarnação, 2016):
each stored bit mixes two positions, so no single bit is the mark of one q-gram, which is what
pattern-mining attacks on Bloom filters exploit. What is not protected: a CLK is a deterministic
function of the identifiers, so equal records give equal CLKs and similar names give similar
CLKs; its Hamming weight grows with the length of the names; and a large enough collection of
CLKs of one year may still yield to a frequency-alignment attack by someone who knows the
population's name frequencies. CLKs therefore never leave the hub, and the hub stores them
permuted under its own secret (:func:`privacy.linkage.dice.permute_clks`) so that a partner holding the linkage secret
cannot compute the stored form of a name. A record without an exact date of birth (missing,
approximate or defaulted) gets no CLK: name similarity alone is not evidence enough to join two
records (*Sita Tamang* and *Gita Tamang* are likely two people), so such records link only
through exact match keys.

Blocking tokens say only which records are worth comparing: they are keyed HMACs of coarse
values (phonetic family name and year of birth, ...), never used to link on their own. They
reveal to the hub how many records share such a coarse value, which is why they too are re-keyed
on storage and never released.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from datetime import date

from privacy.identity import Identity, normalise_identity
from privacy.phonetic import fold_spelling, phonetic_code
from privacy.tokens import linkage_token

__all__ = ["BLOCKING_LABELS", "CLK_BITS", "make_blocking_keys", "make_clk", "make_clk_of"]

CLK_BITS = 1024
CLK_VERSION = 1
BLOCKING_LABELS = ("phonetic_family_year", "phonetic_given_year", "dob")
_BUILT_BITS = 2 * CLK_BITS
# Names and the date of birth weigh about the same, so that namesakes born on different days
# stay apart and one mistyped letter or digit costs little: the name budget is shared among the
# name's features, each date part has a fixed share (month, day, and both together).
_NAME_BITS = 320
_MIN_BITS_PER_NAME_FEATURE = 8
_DOB_BITS = {"m": 48, "d": 48, "md": 96}


def _features(who: Identity) -> list[tuple[str, int]]:
    """The features of a record and how many bits each sets: name bigrams, codes, date parts."""
    names = []
    for part in who.parts:
        folded = f"_{fold_spelling(part)}_"
        names.extend(f"n{folded[i:i + 2]}" for i in range(len(folded) - 1))
        names.append(f"p{phonetic_code(part)}")
    share = max(_MIN_BITS_PER_NAME_FEATURE, min(32, _NAME_BITS // max(len(names), 1)))
    features = [(feature, share) for feature in names]
    if who.dob:
        month, day = who.dob[5:7], who.dob[8:10]
        features += [(f"m{month}", _DOB_BITS["m"]), (f"d{day}", _DOB_BITS["d"]), (f"md{month}{day}", _DOB_BITS["md"])]
    return features


def _year_key(secret: bytes, birth_year: str) -> bytes:
    """The CLK key of one year of birth, derived from the linkage secret (HMAC as a KDF)."""
    context = f"clk-v{CLK_VERSION}\x1f{birth_year}".encode()
    return hmac.digest(secret, context, hashlib.sha256)


def make_clk_of(secret: bytes, who: Identity) -> bytes | None:
    """The CLK of an already normalised identity, or None without a name or an exact birth date."""
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    if not who.parts or not who.dob:
        return None
    key = _year_key(secret, who.dob[:4])
    built = 0
    for feature, bit_count in _features(who):
        # Each 64-byte block gives 32 positions of 11 bits (2048 = 2 ** 11: no modulo bias).
        positions = []
        for block in range((bit_count + 31) // 32):
            digest = hmac.digest(key, f"{feature}\x1f{block}".encode(), hashlib.sha512)
            positions.extend(struct.unpack(">32H", digest))
        for position in positions[:bit_count]:
            built |= 1 << (position % _BUILT_BITS)
    folded = (built >> CLK_BITS) ^ (built & ((1 << CLK_BITS) - 1))
    return folded.to_bytes(CLK_BITS // 8, "big")


def make_clk(
    secret: bytes,
    *,
    given_name: str | None = None,
    family_name: str | None = None,
    full_name: str | None = None,
    date_of_birth: date | None = None,
    dob_approximate: bool = False,
) -> bytes | None:
    """The 1024-bit CLK of one person's names and exact date of birth, or None without them.

    >>> secret = bytes(32)
    >>> one = make_clk(secret, full_name="Muhammad Ali", date_of_birth=date(1990, 5, 4))
    >>> len(one)
    128
    >>> from privacy.linkage.dice import dice_of_bytes
    >>> near = make_clk(secret, full_name="Мухаммад Али", date_of_birth=date(1990, 5, 4))
    >>> far = make_clk(secret, full_name="Fatima Begum", date_of_birth=date(1990, 5, 4))
    >>> dice_of_bytes(one, near) > 0.9, dice_of_bytes(one, far) < 0.7
    (True, True)
    >>> other_year = make_clk(secret, full_name="Muhammad Ali", date_of_birth=date(1991, 5, 4))
    >>> dice_of_bytes(one, other_year) < 0.7
    True
    >>> make_clk(secret, full_name="Muhammad Ali", date_of_birth=date(1990, 1, 1)) is None  # a default
    True
    """
    who = normalise_identity(
        given_name=given_name, family_name=family_name, full_name=full_name,
        date_of_birth=date_of_birth, dob_approximate=dob_approximate,
    )
    return make_clk_of(secret, who)


def make_blocking_keys_of(secret: bytes, who: Identity) -> dict[str, str]:
    """The blocking tokens of an already normalised identity (see :func:`make_blocking_keys`)."""
    given, family, year = who.given, who.family, who.dob and who.dob[:4]
    candidates = {
        "phonetic_family_year": (phonetic_code(family.replace(" ", "")) if family else None, year),
        "phonetic_given_year": (phonetic_code(given) if given else None, year),
        "dob": (who.dob,),
    }
    return {
        label: linkage_token(secret, f"block:{label}", *components)
        for label, components in candidates.items()
        if all(components)
    }


def make_blocking_keys(
    secret: bytes,
    *,
    given_name: str | None = None,
    family_name: str | None = None,
    full_name: str | None = None,
    date_of_birth: date | None = None,
    dob_approximate: bool = False,
) -> dict[str, str]:
    """Keyed blocking tokens ``{label: hex}``: records are compared only when they share one.

    Blocks serve only the CLK comparison, so a record gets them only with an exact date of birth,
    and every token includes its year (the CLK's salt: records of different years are never
    compared by CLK anyway) or the full date.

    >>> keys = make_blocking_keys(bytes(32), full_name="Mohammed Ali", date_of_birth=date(1990, 5, 4))
    >>> sorted(keys)
    ['dob', 'phonetic_family_year', 'phonetic_given_year']
    >>> keys["phonetic_given_year"] == make_blocking_keys(
    ...     bytes(32), full_name="Mukhammad Aly", date_of_birth=date(1990, 7, 1))["phonetic_given_year"]
    True
    """
    who = normalise_identity(
        given_name=given_name, family_name=family_name, full_name=full_name,
        date_of_birth=date_of_birth, dob_approximate=dob_approximate,
    )
    return make_blocking_keys_of(secret, who)

