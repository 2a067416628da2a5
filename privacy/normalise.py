"""Normalisation of identifiers before they are turned into linkage tokens.

Two partners produce the same token only if they normalise the same way, so the rules are
versioned: any change to them is a new ``NORMALISATION_VERSION`` and a re-tokenisation, like a
new linkage secret. Everything here is pure and depends on the standard library and
``anyascii`` only.

Version history:

1. NFKC, ``anyascii`` transliteration to Latin, case folding, letters only, honorifics removed.
2. Adds the spelling folds of :mod:`privacy.phonetic` (phonetic match key, Bloom-filter q-grams,
   blocking), name-part sorting for the order-free keys, and partial dates of birth; an
   approximate or defaulted date of birth makes no match key, no Bloom filter and no block.
3. Only known placeholder patterns are defaults: 1 January of any year (day and month unknown,
   the year kept), and the whole-date placeholders of ``PLACEHOLDER_BIRTH_DATES`` and any year
   before 1900 (nothing kept). Real births in 1900 are dates again. The CLK is two halves, one
   salted by year of birth and one by citizenship (:mod:`privacy.clk`), and year-free blocks.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from anyascii import anyascii

NORMALISATION_VERSION = 3

# Titles that some records carry in the name columns and others do not. Removed only as whole
# name parts, and only when a real name part remains.
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir madam madame mme mlle sr sra srta don dona herr frau "
    "sheikh shaikh sheik haji hajji hajj hadji hajia alhaji sri shri smt mister mistress".split()
)

# Apostrophe-like marks join the letters around them ("O'Brien" is "obrien"); anyascii writes
# the Arabic ayn as a backtick, so it belongs here too.
_JOINING_MARKS = re.compile(r"['`\u2019\u02bc\u02bb]")
_NOT_A_LETTER = re.compile(r"[^a-z]+")
_MIN_PHONE_DIGITS = 7
_PHONE_DIGITS_KEPT = 9
_MIN_DOCUMENT_CHARACTERS = 5


def name_parts(text: str | None) -> list[str]:
    """The parts of a name in the order written: Latin letters only, case folded, no titles.

    >>> name_parts("  Dr. MUHAMMAD  al-Hassan ")
    ['muhammad', 'al', 'hassan']
    >>> name_parts("Nguyễn Thị Hương")
    ['nguyen', 'thi', 'huong']
    >>> name_parts("Мухаммад Али")
    ['mukhammad', 'ali']
    >>> name_parts("Miss")
    ['miss']
    """
    if not text:
        return []
    latin = anyascii(unicodedata.normalize("NFKC", text)).casefold()
    parts = _NOT_A_LETTER.sub(" ", _JOINING_MARKS.sub("", latin)).split()
    without_titles = [part for part in parts if part not in HONORIFICS]
    return without_titles or parts


def document_code(text: str | None) -> str | None:
    """A document number with spacing and punctuation removed, or None when too short to trust.

    >>> document_code(" ab-123 456 ")
    'AB123456'
    >>> document_code("0000000") is None
    True
    """
    if not text:
        return None
    code = "".join(ch for ch in anyascii(unicodedata.normalize("NFKC", text)).upper() if ch.isalnum())
    if len(code) < _MIN_DOCUMENT_CHARACTERS or len(set(code)) == 1:
        return None
    return code


def phone_digits(text: str | None) -> str | None:
    """The last nine digits of a phone number, or None when it has fewer than seven.

    Keeping the subscriber end makes ``+977 981-234-5678``, ``00977 9812345678`` and the
    national ``09812345678`` agree without knowing each country's dialling plan.

    >>> phone_digits("+977 981-234-5678") == phone_digits("09812345678")
    True
    >>> phone_digits("12-34") is None
    True
    """
    if not text:
        return None
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit() and ch.isascii())
    if len(digits) < _MIN_PHONE_DIGITS or len(set(digits)) == 1:
        return None
    return digits[-_PHONE_DIGITS_KEPT:]


# Dates that registries and spreadsheets write for "unknown": the year of such a date is no
# more known than its day (1900-01-01 and 1901-01-01 are defaults of data-entry systems and
# spreadsheets; 1970-01-01 is the Unix epoch).
PLACEHOLDER_BIRTH_DATES = frozenset({date(1900, 1, 1), date(1901, 1, 1), date(1970, 1, 1)})
_EARLIEST_BIRTH_YEAR = 1900


def is_placeholder_birth_date(day: date) -> bool:
    """Whether a date of birth looks defaulted rather than known: 1 January, or a known placeholder.

    Registries write 1 January when only the year (or nothing) is known; such dates would link
    unrelated people of the same name. Other dates, even of 1900, are taken as written.

    >>> is_placeholder_birth_date(date(1990, 1, 1)), is_placeholder_birth_date(date(1990, 3, 2))
    (True, False)
    >>> is_placeholder_birth_date(date(1900, 6, 4))
    False
    """
    return (day.month, day.day) == (1, 1) or is_placeholder_birth_year(day)


def is_placeholder_birth_year(day: date) -> bool:
    """Whether even the year of a date of birth is unknown: a whole-date placeholder, or before 1900.

    >>> is_placeholder_birth_year(date(1985, 1, 1)), is_placeholder_birth_year(date(1900, 1, 1))
    (False, True)
    """
    return day in PLACEHOLDER_BIRTH_DATES or day.year < _EARLIEST_BIRTH_YEAR
