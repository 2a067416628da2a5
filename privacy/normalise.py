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
4. Script-specific readings before the transliteration, each taken from how the demo's name
   pools (``hub/demo/name_pools.py``) write a native-script name in Latin, so that the native
   form and its usual Latin spelling meet (see :func:`native_to_latin`); the Latin article
   ``al``/``el`` written apart is joined to the name it belongs to (*Al-Hassan*, *El Hassan*,
   *Alhassan* and الحسن agree). Latin-only names are unchanged but for that article.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from anyascii import anyascii

NORMALISATION_VERSION = 4

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
# anyascii writes ASCII only, where these are exactly the characters str.isalnum keeps; and the
# ASCII digits are exactly the characters both str.isdigit and str.isascii keep.
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]+")
_NOT_AN_ASCII_DIGIT = re.compile(r"[^0-9]+")
# The same, as the bytes that bytes.translate deletes from ASCII text: most documents and phones
# are ASCII already (NFKC and anyascii leave ASCII as it is). Cleaning a record's document and
# phone cost about a twentieth of its encoding, the regular expressions' calls some half of that.
_ASCII = bytes(range(128))
_ASCII_NOT_ALPHANUMERIC = bytes(byte for byte in _ASCII if _NOT_ALPHANUMERIC.fullmatch(chr(byte)))
_ASCII_NOT_A_DIGIT = bytes(byte for byte in _ASCII if _NOT_AN_ASCII_DIGIT.fullmatch(chr(byte)))
_MIN_PHONE_DIGITS = 7
_PHONE_DIGITS_KEPT = 9
_MIN_DOCUMENT_CHARACTERS = 5


# Arabic script writes no short vowels, so anyascii reads أحمد as "hmd" and علي as "ly": a
# word-initial alif (any hamza form) or ayn is read "a" (Ahmad, Ali, Omar, Ibrahim, Abbas, Othman,
# Amira, Abdullah; the article ال becomes "al"). Waw inside a word is the long vowel "u" (Noor,
# Mahmoud, Yusuf, Mansour, Jubouri) unless a vowel letter follows, where it is the consonant "w"
# (Darwish).
_ARABIC_LETTER = "\u0621-\u064a"
_ARABIC_INITIAL_VOWEL = re.compile(f"(?<![{_ARABIC_LETTER}])[\u0627\u0623\u0625\u0622\u0639]")
_ARABIC_LONG_U = re.compile(f"(?<=[{_ARABIC_LETTER}])\u0648(?![\u0627\u0648\u064a\u0649])")
# Thai: the vowels เ แ โ ใ ไ are written before the consonant they follow in speech (แซ่ตั้ง is
# "saetang", ใจดี "jaidee"); a consonant (with its vowel sign) under the thanthakhat ์ is silent
# (สมศักดิ์ "somsak", อนันต์ "anan"); ห before a sonorant only marks the tone (สมหญิง "somying",
# พรหม "phrom"); ข is "k" (Srisuk, Sukprasert), พ ภ "p" (Siriporn, Supaporn), จ "j" (Jintana,
# Jaidee) in the usual spellings; ญ closing a syllable is "n" (บุญมี "boonmee"); ร closing a word is
# "rn" as in the usual "-porn", "-korn" (Siriporn, Supaporn, Thanakorn, Rattanakorn), ส closing a
# word "t" (วงศ์สวัสดิ์ "wongsawat"); ง is "ng".
_THAI_CONSONANT = "\u0e01-\u0e2e"
_THAI_PREPOSED_VOWEL = re.compile(f"([\u0e40-\u0e44])([{_THAI_CONSONANT}])")
_THAI_SILENCED = re.compile(f"[{_THAI_CONSONANT}][\u0e34-\u0e39]?\u0e4c")
_THAI_TONE_HO = re.compile("\u0e2b(?=[\u0e07\u0e0d\u0e19\u0e21\u0e22\u0e23\u0e25\u0e27])")
_THAI_CLOSING_YO = re.compile(f"\u0e0d(?=[{_THAI_CONSONANT}]|$|[^\u0e00-\u0e7f])")
_THAI_FINAL_RO = re.compile(f"(?<=[{_THAI_CONSONANT}])\u0e23(?![\u0e00-\u0e7f])")
_THAI_FINAL_SO = re.compile("(?<=[\u0e00-\u0e7f])\u0e2a(?![\u0e00-\u0e7f])")
_THAI_LETTERS = str.maketrans({"\u0e02": "k", "\u0e1e": "p", "\u0e20": "p", "\u0e08": "j", "\u0e07": "ng"})
# Bengali: ভ is "v" in Parvin, and the vowel ৌ "ow" in Chowdhury.
_BENGALI_LETTERS = str.maketrans({"\u09ad": "v", "\u09cc": "ow"})
# Devanagari (Nepali): व is "b" (विकास Bikash, विनोद Binod, कविता Kabita) except after a virama or
# at the end of a word, where it is "v"/"w" (विश्वकर्मा Bishwakarma, यादव Yadav); ङ is "ng" (तामाङ
# Tamang, गुरुङ Gurung).
_DEVANAGARI_VA = re.compile("(?<![\u094d])\u0935(?=[\u0900-\u097f])")
_DEVANAGARI_NGA = re.compile("\u0919")
# The Arabic article written apart in Latin ("Al-Hassan", "El Hassan") joins its name, as in
# Arabic script and in "Alhassan".
_ARTICLES = frozenset({"al", "el"})


def native_to_latin(text: str) -> str:
    """The readings of native-script letters that anyascii would give differently from the usual
    Latin spelling (rules of ``NORMALISATION_VERSION`` 4, above); other text is unchanged.

    >>> from anyascii import anyascii
    >>> [anyascii(native_to_latin(name)) for name in ("أحمد", "علي", "نور", "درويش")]
    ['ahmd', 'aly', 'nur', 'drwysh']
    >>> [anyascii(native_to_latin(name)) for name in ("แซ่ตั้ง", "สมศักดิ์", "ศิริพร", "บุญมี")]
    ['saetang', 'smsak', 'siriprn', 'bunmi']
    >>> [anyascii(native_to_latin(name)) for name in ("विकास", "यादव", "तामाङ")]
    ['bikas', 'yadv', 'tamang']
    """
    if text.isascii():
        return text
    text = _ARABIC_LONG_U.sub("u", _ARABIC_INITIAL_VOWEL.sub("a", text))
    text = _THAI_SILENCED.sub("", _THAI_PREPOSED_VOWEL.sub(r"\2\1", text))
    text = _THAI_FINAL_RO.sub("rn", _THAI_CLOSING_YO.sub("n", _THAI_TONE_HO.sub("", text)))
    text = _THAI_FINAL_SO.sub("t", text).translate(_THAI_LETTERS).translate(_BENGALI_LETTERS)
    return _DEVANAGARI_NGA.sub("ng", _DEVANAGARI_VA.sub("b", text))


def _join_articles(parts: list[str]) -> list[str]:
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1] in _ARTICLES and len(joined) < len(parts):
            joined[-1] += part
        else:
            joined.append(part)
    return joined


def name_parts(text: str | None) -> list[str]:
    """The parts of a name in the order written: Latin letters only, case folded, no titles.

    >>> name_parts("  Dr. MUHAMMAD  al-Hassan ")
    ['muhammad', 'alhassan']
    >>> name_parts("Nguyễn Thị Hương")
    ['nguyen', 'thi', 'huong']
    >>> name_parts("Мухаммад Али")
    ['mukhammad', 'ali']
    >>> name_parts("Miss")
    ['miss']
    >>> name_parts("Ahmad Al-Hassan"), name_parts("احمد الحسن"), name_parts("El Hassan")
    (['ahmad', 'alhassan'], ['ahmd', 'alhsn'], ['elhassan'])
    """
    return list(_name_parts(text)) if text else []


# Names repeat across a file: each written name is read once, for up to this many names.
@lru_cache(maxsize=200_000)
def _name_parts(text: str) -> tuple[str, ...]:
    latin = anyascii(native_to_latin(unicodedata.normalize("NFKC", text))).casefold()
    parts = _join_articles(_NOT_A_LETTER.sub(" ", _JOINING_MARKS.sub("", latin)).split())
    without_titles = [part for part in parts if part not in HONORIFICS]
    return tuple(without_titles or parts)


def document_code(text: str | None) -> str | None:
    """A document number with spacing and punctuation removed, or None when too short to trust.

    >>> document_code(" ab-123 456 ")
    'AB123456'
    >>> document_code("0000000") is None
    True
    """
    if not text:
        return None
    if text.isascii():
        code = text.upper().encode("ascii").translate(None, _ASCII_NOT_ALPHANUMERIC).decode("ascii")
    else:
        code = _NOT_ALPHANUMERIC.sub("", anyascii(unicodedata.normalize("NFKC", text)).upper())
    if len(code) < _MIN_DOCUMENT_CHARACTERS or code.count(code[0]) == len(code):
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
    if text.isascii():
        digits = text.encode("ascii").translate(None, _ASCII_NOT_A_DIGIT).decode("ascii")
    else:
        digits = _NOT_AN_ASCII_DIGIT.sub("", unicodedata.normalize("NFKC", text))
    if len(digits) < _MIN_PHONE_DIGITS or digits.count(digits[0]) == len(digits):
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

    The connector goes further for the records partners push today: it reads every year before
    1901 as unknown, and says so (``connectors.prepare.EARLIEST_BIRTH_YEAR``).

    >>> is_placeholder_birth_year(date(1985, 1, 1)), is_placeholder_birth_year(date(1900, 1, 1))
    (False, True)
    >>> is_placeholder_birth_year(date(1899, 5, 2)), is_placeholder_birth_year(date(1900, 6, 4))
    (True, False)
    """
    return day in PLACEHOLDER_BIRTH_DATES or day.year < _EARLIEST_BIRTH_YEAR
