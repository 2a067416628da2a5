"""Keyed linkage tokens: the only form in which a person's identifiers leave the partner.

Privacy claim: a token is ``HMAC-SHA256(secret, label ‖ 0x1f ‖ value)`` over normalised
identifiers. Without the linkage secret (held by the partners, never by the hub) a token
cannot be recomputed from a guessed name and date of birth, so a dictionary attack on the
tokens fails; with the secret, equal normalised values give equal tokens, which is what lets
the hub count a person reported by several partners once. No match key rests on one
low-entropy field alone: a phone is always paired with a family name, a date of birth with a
name, and defaulted dates of birth make no key at all. What the tokens do not hide: two
records of one partner with equal keys are visibly linked, and whoever holds the secret can
test a guess.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date

from privacy.normalise import (
    NORMALISATION_VERSION,
    document_code,
    is_placeholder_birth_date,
    name_parts,
    phone_digits,
)

__all__ = ["MATCH_KEY_LABELS", "NORMALISATION_VERSION", "linkage_token", "make_case_ref", "make_match_keys"]

MATCH_KEY_LABELS = ("name_dob", "sorted_name_dob", "initial_family_dob_sex", "document_country", "family_phone")
_SEPARATOR = "\x1f"
_KNOWN_SEXES = {"female", "male"}


def linkage_token(secret: bytes, label: str, *components: str) -> str:
    """The hex token of one match key: HMAC-SHA256 over the label and its value's components.

    The unit separator (0x1f) cannot occur in a normalised value, so no two different
    (label, components) inputs share a message.

    >>> token = linkage_token(b"k" * 32, "name_dob", "ana silva", "1990-03-02")
    >>> token == hmac.new(b"k" * 32, b"name_dob\x1fana silva\x1f1990-03-02", hashlib.sha256).hexdigest()
    True
    >>> token == linkage_token(b"j" * 32, "name_dob", "ana silva", "1990-03-02")
    False
    """
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    message = _SEPARATOR.join((label, *components)).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def make_case_ref(secret: bytes, case_reference: str) -> str:
    """The keyed hash under which the hub knows a partner's own case number.

    The hub can tell the same case apart from another when the partner corrects it, but cannot
    read the case number.

    >>> make_case_ref(b"k" * 32, " CASE-7 ") == make_case_ref(b"k" * 32, "CASE-7")
    True
    """
    reference = unicodedata.normalize("NFKC", case_reference).strip()
    if not reference:
        raise ValueError("a case reference must not be blank")
    return linkage_token(secret, "case_reference", reference)


def make_match_keys(
    secret: bytes,
    *,
    given_name: str | None = None,
    family_name: str | None = None,
    full_name: str | None = None,
    date_of_birth: date | None = None,
    dob_approximate: bool = False,
    sex: str | None = None,
    citizenship: str | None = None,
    document_number: str | None = None,
    document_country: str | None = None,
    phone: str | None = None,
) -> dict[str, str]:
    """The first set of match keys of one person, as ``{label: hex token}``.

    A key is made only when all its parts are present and trustworthy:

    - ``name_dob``: the name parts in written order and the date of birth;
    - ``sorted_name_dob``: the name parts sorted (family-name-first records agree) and the date
      of birth;
    - ``initial_family_dob_sex``: initial of the given name, family name, date of birth and sex
      (Female or Male only);
    - ``document_country``: document number and issuing country;
    - ``family_phone``: family name and the last nine digits of the phone; a phone alone would
      join every victim of a trafficker who shares one phone.

    Name keys need at least two name parts. With only ``full_name``, its first part stands for
    the given name and its last for the family name. Date-of-birth keys are skipped when the
    date is approximate or looks defaulted (1 January, or 1900 and before). ``citizenship`` is
    accepted for the keys of the full linkage design and not used by this first set.

    >>> secret = bytes(32)
    >>> keys = make_match_keys(secret, given_name="Ana", family_name="SILVA", sex="Female",
    ...                        date_of_birth=date(1990, 3, 2), phone="+351 912 345 678")
    >>> sorted(keys)
    ['family_phone', 'initial_family_dob_sex', 'name_dob', 'sorted_name_dob']
    >>> keys == make_match_keys(secret, full_name="Mrs  Ana Silva", sex="female",
    ...                         date_of_birth=date(1990, 3, 2), phone="0912345678")
    True
    >>> make_match_keys(secret, full_name="Ana Silva", date_of_birth=date(1990, 1, 1))
    {}
    """
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    del citizenship  # part of the signature for the fuller key set; see the docstring
    if full_name and not (given_name or family_name):
        parts = name_parts(full_name)
        given, family = parts[:1], parts[1:][-1:]
    else:
        given, family = name_parts(given_name), name_parts(family_name)
        parts = given + family
    usable_dob = date_of_birth if date_of_birth and not dob_approximate else None
    if usable_dob and is_placeholder_birth_date(usable_dob):
        usable_dob = None
    dob = usable_dob.isoformat() if usable_dob else None
    sex_code = sex.strip().casefold() if sex else None
    document = document_code(document_number)
    country = document_country.strip().upper() if document_country and document_country.strip() else None
    digits = phone_digits(phone)
    family_text = " ".join(family)

    candidates = {
        "name_dob": (" ".join(parts), dob) if len(parts) >= 2 else None,
        "sorted_name_dob": (" ".join(sorted(parts)), dob) if len(parts) >= 2 else None,
        "initial_family_dob_sex": (given[0][0], family_text, dob, sex_code)
        if given and family and sex_code in _KNOWN_SEXES
        else None,
        "document_country": (document, country),
        "family_phone": (family_text, digits),
    }
    return {
        label: linkage_token(secret, label, *components)
        for label, components in candidates.items()
        if components and all(components)
    }
