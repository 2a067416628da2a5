"""Linkage tokens: deterministic, secret-dependent, normalised, and never from weak evidence."""

from __future__ import annotations

import re
from datetime import date

import pytest

from privacy.normalise import name_parts, phone_digits
from privacy.tokens import (
    EDIT_KEY_LABEL, EDIT_SLOT_LABELS, FIRST_KEY_LABELS, MATCH_KEY_LABELS, YEAR_PAIR_LABELS, key_label, linkage_token, make_case_ref,
    make_match_keys,
)

SECRET = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
OTHER_SECRET = b"another partner group's secret!!"
PERSON = dict(
    given_name="Ana Maria",
    family_name="Silva",
    date_of_birth=date(1994, 6, 17),
    sex="Female",
    citizenship="PRT",
    document_number="P1234567",
    document_country="PRT",
    phone="+351 912 345 678",
)


@pytest.mark.parametrize("labels", [FIRST_KEY_LABELS, MATCH_KEY_LABELS])
def test_tokens_are_deterministic_hex_and_labelled(labels):
    first = make_match_keys(SECRET, **PERSON, labels=labels)
    assert first == make_match_keys(SECRET, **PERSON, labels=labels)
    assert {key_label(label) for label in first} == set(labels)
    assert all(re.fullmatch(r"[0-9a-f]{64}", token) for token in first.values())
    assert len(set(first.values())) == len(first)


def test_tokens_depend_on_the_secret():
    ours, theirs = make_match_keys(SECRET, **PERSON), make_match_keys(OTHER_SECRET, **PERSON)
    assert set(ours) == set(theirs)
    assert not set(ours.values()) & set(theirs.values())


def test_tokens_hold_no_identifier():
    keys = make_match_keys(SECRET, **PERSON)
    text = repr(keys).lower()
    for value in ("ana", "silva", "1994", "p1234567", "912345678"):
        assert value not in text


def test_case_and_spacing_and_titles_do_not_matter():
    plain = make_match_keys(SECRET, given_name="Muhammad", family_name="Ali", date_of_birth=date(1990, 5, 4))
    shouted = make_match_keys(SECRET, given_name="Dr.  MUHAMMAD", family_name=" ali ", date_of_birth=date(1990, 5, 4))
    assert plain == shouted


def test_fullwidth_and_accented_forms_agree():
    assert name_parts("Ｍｕｈａｍｍａｄ") == ["muhammad"]
    assert name_parts("José Müller-Lüdenscheidt") == ["jose", "muller", "ludenscheidt"]
    assert name_parts("O'Brien") == name_parts("OBrien") == ["obrien"]


def test_cyrillic_is_transliterated_but_not_to_the_english_spelling():
    # anyascii writes Мухаммад as "Mukhammad": transliteration narrows the gap between scripts but
    # does not close it; the fuzzy comparison of the linkage issue is what joins such pairs.
    assert name_parts("Мухаммад Али") == ["mukhammad", "ali"]
    cyrillic = make_match_keys(SECRET, full_name="Мухаммад Али", date_of_birth=date(1990, 5, 4))
    latin = make_match_keys(SECRET, full_name="MUHAMMAD  Ali", date_of_birth=date(1990, 5, 4))
    assert cyrillic["name_dob"] != latin["name_dob"]
    same_spelling = make_match_keys(SECRET, full_name="Mukhammad Ali", date_of_birth=date(1990, 5, 4))
    assert cyrillic == same_spelling


def test_sorted_name_key_survives_family_name_first():
    western = make_match_keys(SECRET, full_name="Nguyen Huong", date_of_birth=date(1988, 2, 9))
    family_first = make_match_keys(SECRET, full_name="Huong Nguyen", date_of_birth=date(1988, 2, 9))
    assert western["sorted_name_dob"] == family_first["sorted_name_dob"]
    assert western["name_dob"] != family_first["name_dob"]


WITHOUT_DATE = {"document_country", "name_phone", "sorted_name_citizenship", EDIT_KEY_LABEL, "phonetic_name_citizenship"}


@pytest.mark.parametrize("placeholder", [date(1900, 1, 1), date(1901, 1, 1), date(1899, 7, 3)])
def test_placeholder_birth_dates_make_no_date_keys(placeholder):
    keys = make_match_keys(SECRET, **{**PERSON, "date_of_birth": placeholder}, labels=MATCH_KEY_LABELS)
    assert {key_label(label) for label in keys} == WITHOUT_DATE


def test_a_first_of_january_keeps_only_its_year():
    keys = make_match_keys(SECRET, **{**PERSON, "date_of_birth": date(1990, 1, 1)}, labels=MATCH_KEY_LABELS)
    assert {key_label(label) for label in keys} == WITHOUT_DATE | {"sorted_name_year_citizenship", *YEAR_PAIR_LABELS}


def test_approximate_birth_dates_keep_only_their_year():
    keys = make_match_keys(SECRET, **PERSON, dob_approximate=True, labels=MATCH_KEY_LABELS)
    assert {key_label(label) for label in keys} == WITHOUT_DATE | {"sorted_name_year_citizenship", *YEAR_PAIR_LABELS}


@pytest.mark.parametrize("born", [date(1999, 11, 20), date(2000, 5, 2)])
def test_an_age_makes_one_year_pair_key_that_a_date_in_either_year_shares(born):
    from privacy.identity import normalise_identity
    from privacy.tokens import make_match_keys_of

    names = dict(full_name="Sita Tamang", citizenship="NPL")
    by_age = make_match_keys_of(SECRET, normalise_identity(**names, age=24, registration_date=date(2024, 8, 1)))
    by_date = make_match_keys_of(SECRET, normalise_identity(**names, date_of_birth=born))
    assert set(by_age) & {*YEAR_PAIR_LABELS, "sorted_name_year_citizenship"} == {
        "sorted_name_odd_year_pair_citizenship", "phonetic_name_odd_year_pair_citizenship"
    }
    assert by_age.items() <= by_date.items()


def test_an_age_is_ignored_when_the_year_of_birth_is_known():
    from privacy.identity import normalise_identity

    who = normalise_identity(full_name="Sita Tamang", date_of_birth=date(1990, 1, 1), age=5,
                             registration_date=date(2024, 8, 1))
    assert who.age_years is None and who.birth_year == "1990"


def test_a_real_date_in_1900_makes_date_keys():
    keys = make_match_keys(SECRET, **{**PERSON, "date_of_birth": date(1900, 6, 4)}, labels=MATCH_KEY_LABELS)
    assert "name_dob" in keys


def test_no_key_from_one_weak_field():
    everything = dict(labels=MATCH_KEY_LABELS)
    assert make_match_keys(SECRET, phone="+351 912 345 678", citizenship="PRT", sex="Female", **everything) == {}
    assert make_match_keys(SECRET, date_of_birth=date(1994, 6, 17), citizenship="PRT", **everything) == {}
    assert make_match_keys(SECRET, family_name="Silva", phone="+351 912 345 678", **everything) == {}
    assert make_match_keys(SECRET, phone="+351 912 345 678") == {}
    assert make_match_keys(SECRET, date_of_birth=date(1994, 6, 17), sex="Female") == {}
    assert make_match_keys(SECRET, given_name="Ana", date_of_birth=date(1994, 6, 17)) == {}
    assert make_match_keys(SECRET, document_number="P1234567") == {}
    assert make_match_keys(SECRET, family_name="Silva", phone="12-34") == {}
    assert make_match_keys(SECRET, given_name="Ana", citizenship="PRT", sex="Female") == {}


def test_unknown_sex_makes_no_initial_key():
    keys = make_match_keys(SECRET, **{**PERSON, "sex": "Unknown"})
    assert "initial_family_dob_sex" not in keys


def test_phone_formats_agree():
    assert phone_digits("+351 912 345 678") == phone_digits("00351-912-345-678") == phone_digits("912345678")


def test_case_ref_is_keyed_and_trimmed():
    assert make_case_ref(SECRET, "CASE-0001 ") == make_case_ref(SECRET, "CASE-0001")
    assert make_case_ref(SECRET, "CASE-0001") != make_case_ref(OTHER_SECRET, "CASE-0001")
    assert make_case_ref(SECRET, "CASE-0001") != linkage_token(SECRET, "name_dob", "CASE-0001")
    with pytest.raises(ValueError):
        make_case_ref(SECRET, "   ")


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        make_match_keys(b"", **PERSON)


def _edit_tokens(**identifiers) -> set[str]:
    keys = make_match_keys(SECRET, **identifiers, labels=(EDIT_KEY_LABEL,))
    assert all(key_label(label) == EDIT_KEY_LABEL for label in keys)
    return set(keys.values())


@pytest.mark.parametrize(
    "typed", ["Robery Waller", "Robet Waller", "Roberta Waller", "Rboert Waller", "Waller Robert", "Robe Rt Waller",
              "Rob Ert Waller", "Robert Wal Ler"],  # the last two: pieces of a split part that sort apart
)
def test_names_one_typing_error_apart_share_an_edit_token(typed):
    assert _edit_tokens(full_name="Robert Waller", citizenship="AUS") & _edit_tokens(full_name=typed, citizenship="AUS")


@pytest.mark.parametrize("other", [
    dict(full_name="Rupert Waller", citizenship="AUS"),  # two letters apart
    dict(full_name="Robert Walker", citizenship="NZL"),  # one letter, but another citizenship
    dict(full_name="Robert", citizenship="AUS"),  # one name part: no edit key
    dict(full_name="Robert Waller"),  # one letter apart, but no citizenship against one
])
def test_names_further_apart_share_none(other):
    assert not _edit_tokens(full_name="Robert Waller", citizenship="AUS") & _edit_tokens(**other)


def test_a_very_long_name_makes_no_edit_tokens():
    from privacy.tokens import MAX_EDIT_NAME_LENGTH

    assert _edit_tokens(full_name="a" * MAX_EDIT_NAME_LENGTH + " b", citizenship="AUS") == set()
    assert len(_edit_tokens(full_name="ab cd", citizenship="AUS")) == 6  # whole, 5 left out ("abcd" also as written)
    # The longest name with no two neighbouring letters alike: every form has a slot of its own.
    longest = "abcdefghijklmnopqrstuvwxy abcdefghijklmn"
    assert len(longest) == MAX_EDIT_NAME_LENGTH
    assert len(_edit_tokens(full_name=longest, citizenship="AUS")) == len(EDIT_SLOT_LABELS) == MAX_EDIT_NAME_LENGTH + 2


def test_records_without_citizenship_meet_on_weak_keys_only_among_themselves():
    without = make_match_keys(SECRET, full_name="Ana Silva", labels=MATCH_KEY_LABELS)
    assert {key_label(label) for label in without} == {"sorted_name_citizenship", EDIT_KEY_LABEL,
                                                       "phonetic_name_citizenship"}
    swapped = make_match_keys(SECRET, full_name="Silva Ana", labels=MATCH_KEY_LABELS)
    assert swapped["sorted_name_citizenship"] == without["sorted_name_citizenship"]
    with_one = make_match_keys(SECRET, full_name="Ana Silva", citizenship="PRT", labels=MATCH_KEY_LABELS)
    assert not set(without.values()) & set(with_one.values())
