"""Keyed linkage tokens: the only form in which a person's identifiers leave the partner.

Privacy claim: a token is ``HMAC-SHA256(secret, label ‖ 0x1f ‖ value)`` over normalised
identifiers. Without the linkage secret (held by the partners, never by the hub) a token
cannot be recomputed from a guessed name and date of birth, so a dictionary attack on the
tokens fails; with the secret, equal normalised values give equal tokens, which is what lets
the hub count a person reported by several partners once. No match key rests on one
low-entropy field alone: a phone is always paired with the full name, a date of birth with a
name, and approximate or defaulted dates of birth make no key at all. What the tokens do not hide: two
records of one partner with equal keys are visibly linked, whoever holds the secret can test a
guess, and the edit key's number of tokens is about the number of letters in the name (as the
Hamming weight of a CLK grows with it, :mod:`privacy.clk`); two records sharing an edit token
have names one typing error apart, which the hub would also read from their CLKs.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Collection

from privacy.identity import Identity, normalise_identity
from privacy.normalise import NORMALISATION_VERSION

__all__ = [
    "EDIT_KEY_LABEL",
    "EDIT_SLOT_LABELS",
    "RARE_NAME_LABELS",
    "YEAR_PAIR_LABELS",
    "FIRST_KEY_LABELS",
    "MATCH_KEY_LABELS",
    "NORMALISATION_VERSION",
    "key_label",
    "linkage_token",
    "make_case_ref",
    "make_match_keys",
    "make_match_keys_of",
]

MATCH_KEY_LABELS = (
    "name_dob",
    "sorted_name_dob",
    "phonetic_name_dob",
    "initial_family_dob_sex",
    "initial_family_dob_citizenship",
    "given_initial_dob_citizenship",
    "sorted_name_year_month_citizenship",
    "sorted_name_month_day_citizenship",
    "document_country",
    "name_phone",
    "sorted_name_year_citizenship",
    "sorted_name_citizenship",
    "sorted_name_edit_citizenship",
    "phonetic_name_citizenship",
    "given_dob_citizenship",
    "sorted_name_year_pair_citizenship",
    "sorted_name_odd_year_pair_citizenship",
    "phonetic_name_year_pair_citizenship",
    "phonetic_name_odd_year_pair_citizenship",
)
# A name one typing error away from another: the sorted name with each character (letter or space)
# in turn left out (and whole), and the name as written without spaces, with citizenship. A record
# has one such token per distinct form, sent under the labels ``sorted_name_edit_citizenship_00``,
# ``_01``, ... (one per slot, as the upload holds one token per label); the hub reads every slot
# as this one key (``key_label``). Names longer than ``MAX_EDIT_NAME_LENGTH`` letters make none,
# which bounds the tokens per record.
EDIT_KEY_LABEL = "sorted_name_edit_citizenship"
MAX_EDIT_NAME_LENGTH = 40
# The upload label of each slot: a name of n characters fills n + 2 of them at most.
EDIT_SLOT_LABELS = tuple(f"{EDIT_KEY_LABEL}_{slot:02d}" for slot in range(MAX_EDIT_NAME_LENGTH + 2))
# Keys of a name, citizenship and two adjacent years of birth: they let an age at registration
# (which allows two years) meet a date of birth (see make_match_keys). The hub lets them link only
# a few records that are not two of one partner (privacy.linkage.resolve.LinkageSettings).
YEAR_PAIR_LABELS = (
    "sorted_name_year_pair_citizenship",
    "sorted_name_odd_year_pair_citizenship",
    "phonetic_name_year_pair_citizenship",
    "phonetic_name_odd_year_pair_citizenship",
)
# The first key set, which make_match_keys still returns unless asked for more: connectors that
# have not moved to the full cascade keep producing exactly these. ``family_phone`` is superseded
# by ``name_phone`` (siblings share a family name and often a phone).
FIRST_KEY_LABELS = ("name_dob", "sorted_name_dob", "initial_family_dob_sex", "document_country", "family_phone")
# Keys that namesakes share (no date, a partial date, or no family name): weak evidence, which the
# hub lets link only where it measures few namesakes (privacy.linkage.namesakes).
RARE_NAME_LABELS = (
    "sorted_name_year_citizenship",
    "sorted_name_citizenship",
    "phonetic_name_citizenship",
    "given_dob_citizenship",
    "sorted_name_year_month_citizenship",
    "sorted_name_month_day_citizenship",
    EDIT_KEY_LABEL,
)
_SEPARATOR = "\x1f"


def _two_names(who: Identity) -> bool:
    return len(who.parts) >= 2


def _citizenship(who: Identity) -> str:
    """Citizenship for the keys of weak evidence: a missing one is a value of its own (as it is a
    salt of its own for the CLK), so two records without it can still meet on a name. Codes are
    upper case, so the lower-case marker is never a code."""
    return who.citizenship or "unknown"


def _year_pair(who: Identity, odd: bool) -> str | None:
    """The pair of adjacent years holding the record's year of birth, named by its first year.

    Pairs start at even years (1990-1991) or, with ``odd``, at odd years (1989-1990); a known
    year lies in one pair of each kind, an age's two possible years in exactly one.
    """
    if who.birth_year:
        year = int(who.birth_year)
        return f"{year - (year - odd) % 2:04d}"
    if who.age_years:
        first = int(who.age_years[0])
        return who.age_years[0] if first % 2 == odd else None
    return None


# Each recipe gives the components of one key, or None (or a None component) when the record
# lacks a part. Every recipe holds a name and a second high-entropy field (full date of birth,
# the other name, a phone, a document); citizenship and sex only narrow a key further.
_RECIPES = {
    "name_dob": lambda who: (" ".join(who.parts), who.dob) if _two_names(who) else None,
    "sorted_name_dob": lambda who: (who.sorted_name, who.dob) if _two_names(who) else None,
    "phonetic_name_dob": lambda who: (who.phonetic_name, who.dob) if _two_names(who) else None,
    "initial_family_dob_sex": lambda who: (who.given and who.given[0], who.family, who.dob, who.sex),
    "initial_family_dob_citizenship": lambda who: (
        who.given and who.given[0], who.family, who.dob, who.citizenship
    ),
    "given_initial_dob_citizenship": lambda who: (
        who.given, who.family and who.family[0], who.dob, who.citizenship
    ),
    "sorted_name_year_month_citizenship": lambda who: (
        (who.sorted_name, who.dob[:7], _citizenship(who)) if _two_names(who) and who.dob else None
    ),
    "sorted_name_month_day_citizenship": lambda who: (
        (who.sorted_name, who.dob[5:], _citizenship(who)) if _two_names(who) and who.dob else None
    ),
    "document_country": lambda who: (who.document, who.document_country),
    "name_phone": lambda who: (who.sorted_name, who.phone) if _two_names(who) else None,
    "family_phone": lambda who: (who.family, who.phone),
    "sorted_name_year_citizenship": lambda who: (
        (who.sorted_name, who.birth_year, _citizenship(who)) if _two_names(who) else None
    ),
    "sorted_name_citizenship": lambda who: (who.sorted_name, _citizenship(who)) if _two_names(who) else None,
    "phonetic_name_citizenship": lambda who: (who.phonetic_name, _citizenship(who)) if _two_names(who) else None,
    "given_dob_citizenship": lambda who: (who.given, who.dob, _citizenship(who)),
    "sorted_name_year_pair_citizenship": lambda who: (
        (who.sorted_name, _year_pair(who, False), _citizenship(who)) if _two_names(who) else None
    ),
    "sorted_name_odd_year_pair_citizenship": lambda who: (
        (who.sorted_name, _year_pair(who, True), _citizenship(who)) if _two_names(who) else None
    ),
    "phonetic_name_year_pair_citizenship": lambda who: (
        (who.phonetic_name, _year_pair(who, False), _citizenship(who)) if _two_names(who) else None
    ),
    "phonetic_name_odd_year_pair_citizenship": lambda who: (
        (who.phonetic_name, _year_pair(who, True), _citizenship(who)) if _two_names(who) else None
    ),
}


def _name_edits(who: Identity) -> list[str]:
    """The sorted name whole and with each letter in turn left out, and the name as written
    without spaces; each form once, in order.

    Two names one substitution, insertion, deletion or swap of neighbouring letters apart share
    one of these forms (*robert waller* and *robery waller* share *rober waller*); a space counts
    as a letter, so a name split in two meets it whole (*ewa n whiteley*, *ewan whiteley*). The
    pieces of a split part may sort apart (*porti a coumans* sorts as *a coumans porti*): the
    written form without spaces (*portiacoumans*) still meets the whole name's.

    >>> from privacy.identity import normalise_identity
    >>> _name_edits(normalise_identity(full_name="Li Wu"))
    ['li wu', 'i wu', 'l wu', 'liwu', 'li u', 'li w']
    >>> _name_edits(normalise_identity(full_name="Wu Li"))[-1]
    'wuli'
    """
    name = who.sorted_name
    if not _two_names(who) or len(name) > MAX_EDIT_NAME_LENGTH:
        return []
    deletions = [name[:at] + name[at + 1:] for at in range(len(name))]
    return list(dict.fromkeys([name, *deletions, "".join(who.parts)]))


def key_label(upload_label: str) -> str:
    """The match key an upload label stands for: a slot of the edit key is that key.

    >>> key_label("sorted_name_edit_citizenship_07"), key_label("name_dob")
    ('sorted_name_edit_citizenship', 'name_dob')
    """
    return EDIT_KEY_LABEL if upload_label in EDIT_SLOT_LABELS else upload_label


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
    return hmac.digest(secret, message, "sha256").hex()


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


def make_match_keys(secret: bytes, *, labels: Collection[str] = FIRST_KEY_LABELS, **identifiers) -> dict[str, str]:
    """The match keys of one person, as ``{label: hex token}``, strongest first.

    ``identifiers`` are the keywords of :func:`privacy.identity.normalise_identity`.
    ``labels`` chooses the keys: by default the first key set (``FIRST_KEY_LABELS``), which
    connectors made before the full cascade; pass ``MATCH_KEY_LABELS`` for the full cascade.
    A key is made only when all its parts are present and trustworthy:

    - ``name_dob``, ``sorted_name_dob``: the name parts in written order, or sorted (family-name-
      first records agree), and the date of birth;
    - ``phonetic_name_dob``: the sorted phonetic codes of the name parts (*Mukhammad* and
      *Mohammed* agree) and the date of birth;
    - ``initial_family_dob_sex`` / ``..._citizenship``: initial of the given name, family name,
      date of birth, and sex (Female or Male only) or citizenship;
    - ``given_initial_dob_citizenship``: given name, family initial, date of birth, citizenship;
    - ``sorted_name_year_month_citizenship``, ``sorted_name_month_day_citizenship``: the full
      name with a partial date (survives one mistyped date component) and citizenship; weak
      evidence (see below);
    - ``document_country``: document number and issuing country;
    - ``family_phone`` (first key set only): family name and phone;
    - ``name_phone``: the full name and the last nine digits of the phone. A phone alone, or with
      a family name, would join every victim of a trafficker, or siblings, sharing one phone;
    - ``sorted_name_citizenship``: the full name and citizenship, for records whose date of birth
      is missing or mistyped. Namesakes share it, so for the hub it (like the other keys of
      ``RARE_NAME_LABELS`` and ``phonetic_name_citizenship``) is weak evidence: it links only two
      records of two partners, and only in a class of such evidence (key, how the years of birth
      relate, rare or common name) where the partners' own records show few namesakes
      (:mod:`privacy.linkage.namesakes`);
    - ``sorted_name_year_citizenship``: the full name, the year of birth (also of a 1 January
      or approximate date, whose year is usually right) and citizenship; weak evidence. It also
      tells the hub a record with a year of birth from one with an age only;
    - ``phonetic_name_citizenship``: the sorted phonetic codes of the name parts and
      citizenship, for transliterations of an undated name (*Мухаммад Рахман*, *Mohammed
      Rahman*); weak evidence;
    - ``given_dob_citizenship``: the given name, date of birth and citizenship, for a missing or
      replaced family name; weak evidence.
    - ``sorted_name_edit_citizenship``: one token per form of the sorted name with one
      character left out (and the whole name, and the name as written without spaces, for a
      part split in two whose pieces sort apart), with citizenship, under the labels
      ``sorted_name_edit_citizenship_00``, ``_01``, ...: two records whose names are one typing
      error apart share one (*robert waller*, *robery waller*), for a date of birth missing or
      replaced on one side. Weak evidence, judged like the others; the hub counts a pair once
      however many forms it shares. A name of more than ``MAX_EDIT_NAME_LENGTH`` letters makes
      none.
    - ``sorted_name_year_pair_citizenship``, ``sorted_name_odd_year_pair_citizenship``: the full
      name, citizenship and a pair of adjacent years of birth (starting at an even, or an odd,
      year). A known year of birth lies in one pair of each kind, so it makes both keys; an age
      at registration (``Identity.age_years``, the two years the person may have been born in)
      makes the one key whose pair is those two years. That is how a hotline's caller (name and
      age) meets a shelter's resident (name and date of birth). Privacy: the value is a full
      name with two coarse fields, coarser than ``sorted_name_year_citizenship`` by one year;
      namesakes born a year apart share it, so the hub lets it link only a few records, no two
      of one partner (``LinkageSettings.year_pair_max_units``). An age never makes a date or
      year key: it is a range, and only these range keys use it.
    - ``phonetic_name_year_pair_citizenship``, ``phonetic_name_odd_year_pair_citizenship``: the
      same with the phonetic codes of the name parts, so that an age meets a date of birth
      across transliterations (*Haasan Mia* aged 23, *হাসান মিয়া* born in 2002); the hub holds
      them to the same rule.

    In the keys of weak evidence (those of ``RARE_NAME_LABELS``, ``phonetic_name_citizenship``
    and the year-pair keys) a missing citizenship is a value of its own: two records without
    one meet on them, a record with one and a record without do not.

    Name keys need at least two name parts. Date-of-birth keys are skipped when the date is
    approximate or looks defaulted (1 January, a known placeholder date, before 1900).

    >>> from datetime import date
    >>> secret = bytes(32)
    >>> keys = make_match_keys(secret, given_name="Ana", family_name="SILVA", sex="Female",
    ...                        date_of_birth=date(1990, 3, 2), phone="+351 912 345 678")
    >>> sorted(keys)
    ['family_phone', 'initial_family_dob_sex', 'name_dob', 'sorted_name_dob']
    >>> keys == make_match_keys(secret, full_name="Mrs  Ana Silva", sex="female",
    ...                         date_of_birth=date(1990, 3, 2), phone="0912345678")
    True
    >>> everything = make_match_keys(secret, full_name="Ana Silva", date_of_birth=date(1990, 3, 2),
    ...                              phone="0912345678", labels=MATCH_KEY_LABELS)
    >>> sorted(label for label in everything if key_label(label) not in RARE_NAME_LABELS + YEAR_PAIR_LABELS)
    ['name_dob', 'name_phone', 'phonetic_name_dob', 'sorted_name_dob']
    >>> len([label for label in everything if key_label(label) == EDIT_KEY_LABEL])  # "ana silva" and 9 forms
    10
    >>> make_match_keys(secret, full_name="Ana Silva", date_of_birth=date(1990, 1, 1))
    {}
    """
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    return make_match_keys_of(secret, normalise_identity(**identifiers), labels)


def make_match_keys_of(secret: bytes, who: Identity, labels: Collection[str] = MATCH_KEY_LABELS) -> dict[str, str]:
    """The match keys of an already normalised identity (see :func:`make_match_keys`)."""
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    keys = {}
    for label in labels:
        if label == EDIT_KEY_LABEL:
            keys.update(
                (slot, linkage_token(secret, label, form, _citizenship(who)))
                for slot, form in zip(EDIT_SLOT_LABELS, _name_edits(who))
            )
            continue
        components = _RECIPES[label](who)
        if components and all(components):
            keys[label] = linkage_token(secret, label, *components)
    return keys
