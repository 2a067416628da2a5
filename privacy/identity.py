"""One person's identifiers, normalised once and shared by match keys, Bloom filter and blocks."""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from privacy.normalise import (
    document_code, is_placeholder_birth_date, is_placeholder_birth_year, name_parts, phone_digits,
)
from privacy.phonetic import phonetic_code

_KNOWN_SEXES = frozenset({"female", "male"})


class Identity(NamedTuple):
    """Normalised identifiers of one record. Never leaves the partner's machine.

    ``dob`` is the ISO date of birth only when it is exact (not flagged approximate, not a
    default such as 1 January); ``birth_year`` is kept for any date but a whole-date placeholder
    (the year of an approximate or 1 January date is often right): the citizenship half of the
    CLK and the year blocks use it, never a match key.

    ``age_years`` is set only for a record without any year of birth but with an age at
    registration: the two years the person may have been born in (registration year minus age,
    and the year before). It is never a ``birth_year``, never a date: only the year-pair keys
    of :mod:`privacy.tokens` use it, as a range, so an age is never mistaken for an exact year.

    A named tuple, not a frozen dataclass: one is made per row, and a frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field) took four times as long, a twentieth of the
    connector's time per record (``bench/encoding_speed.py``).
    """

    parts: tuple[str, ...]  # every name part, in written order
    given: str | None  # the first given name
    family: str | None  # the family name parts, joined by spaces
    dob: str | None
    birth_year: str | None
    sex: str | None
    citizenship: str | None
    document: str | None
    document_country: str | None
    phone: str | None
    age_years: tuple[str, str] | None = None

    @property
    def sorted_name(self) -> str:
        return " ".join(sorted(self.parts))

    @property
    def phonetic_name(self) -> str:
        return " ".join(sorted(filter(None, map(phonetic_code, self.parts))))


# Codes, dates and names repeat across a file: each is read once, for up to this many values.
_REMEMBERED = 200_000


@lru_cache(maxsize=_REMEMBERED)
def _names(
    given_name: str | None, family_name: str | None, full_name: str | None,
) -> tuple[tuple[str, ...], str | None, str | None]:
    """The name parts, the given name and the family name (parts joined by spaces) of a record."""
    if full_name and not (given_name or family_name):
        parts = name_parts(full_name)
        given, family = parts[:1], parts[1:][-1:]
    else:
        given, family = name_parts(given_name), name_parts(family_name)
        parts = given + family
    return tuple(parts), given[0] if given else None, " ".join(family) or None


@lru_cache(maxsize=_REMEMBERED)
def _code(text: str | None) -> str | None:
    if not text:
        return None
    code = unicodedata.normalize("NFKC", text).strip().upper()
    return code or None


# Typed: a datetime (or a pandas Timestamp) is not read as the date it may equal.
@lru_cache(maxsize=_REMEMBERED, typed=True)
def _birth(date_of_birth: date | None, dob_approximate: bool) -> tuple[str | None, str | None]:
    """The year of birth and the exact date of birth that a written date gives, or None for each."""
    if not date_of_birth or is_placeholder_birth_year(date_of_birth):
        return None, None
    year = f"{date_of_birth.year:04d}"
    if dob_approximate or is_placeholder_birth_date(date_of_birth):
        return year, None
    return year, date_of_birth.isoformat()


def normalise_identity(
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
    age: int | None = None,
    registration_date: date | None = None,
) -> Identity:
    """Normalise the identifiers of one record (rules of ``NORMALISATION_VERSION``).

    With only ``full_name``, its first part stands for the given name and its last for the family
    name. ``age`` (whole years at ``registration_date``) counts only when there is no year of
    birth: it gives ``age_years``, the two possible years of birth.

    >>> normalise_identity(full_name="Sita Tamang", age=24, registration_date=date(2025, 3, 9)).age_years
    ('2000', '2001')
    >>> who = normalise_identity(full_name="Mrs Фатима  Бегум", date_of_birth=date(1990, 1, 1))
    >>> who.given, who.family, who.dob, who.birth_year, who.phonetic_name
    ('fatima', 'begum', None, '1990', 'bkm ftm')
    """
    parts, given, family = _names(given_name, family_name, full_name)
    year, dob = _birth(date_of_birth, dob_approximate)
    age_years = None
    if year is None and age is not None and registration_date and 0 <= age < registration_date.year - 1900:
        born_latest = registration_date.year - age
        age_years = (f"{born_latest - 1:04d}", f"{born_latest:04d}")
    sex_code = sex.strip().casefold() if sex else None
    return Identity(
        parts=parts,
        given=given,
        family=family,
        dob=dob,
        birth_year=year,
        sex=sex_code if sex_code in _KNOWN_SEXES else None,
        citizenship=_code(citizenship),
        document=document_code(document_number),
        document_country=_code(document_country),
        phone=phone_digits(phone),
        age_years=age_years,
    )
