"""What makes counting each person once hard: ages for dates, placeholders, shared birthdays,
namesakes, two scripts for one name, a middle name written or not, sex left blank."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date
from itertools import combinations

import pytest

PLACEHOLDERS = {date(1900, 1, 1), date(1980, 1, 1)}


def _name(record: dict) -> str:
    split = f"{record.get('given_name', '')} {record.get('family_name', '')}"
    return (record.get("full_name") or split).replace(",", " ")


def _scripts(text: str) -> frozenset[str]:
    return frozenset(unicodedata.name(ch).split()[0] for ch in text if ch.isalpha())


@pytest.fixture(scope="module")
def person_of(truth):
    return lambda slug, record: truth[slug, record["case_reference"]]


def test_some_rows_give_an_age_and_no_date(records):
    age_only = [(slug, r) for slug, _, r in records if "age" in r and "date_of_birth" not in r]
    assert len(age_only) / len(records) > 0.1
    # A hotline hears an age and has no date column; a shelter that has both is sometimes told an age.
    dated_partners = {slug for slug, _, r in records if "date_of_birth" in r}
    assert {"safe-passage-hotline"} < {slug for slug, _ in age_only}
    assert {slug for slug, _ in age_only} & dated_partners


def test_unknown_dates_of_birth_are_written_as_each_partner_writes_them(records):
    def share(slug: str, day: date) -> float:
        births = [r.get("date_of_birth") for s, _, r in records if s == slug and "date_of_birth" in r]
        return births.count(day) / len(births)

    assert share("metro-police-anti-trafficking-unit", date(1900, 1, 1)) > 0.05
    assert share("labour-inspectorate", date(1980, 1, 1)) > 0.05
    assert share("harbour-house-shelters", date(1980, 1, 1)) < 0.01  # 1980 is not its placeholder
    births = [r["date_of_birth"] for _, _, r in records if "date_of_birth" in r]
    first_januaries = {born.year for born in births if (born.month, born.day) == (1, 1)}
    assert len(first_januaries - {1900, 1980}) > 20  # 1 January of the right year, many years


def test_some_strangers_share_a_date_of_birth(records, person_of):
    persons_born = defaultdict(set)
    for slug, _, record in records:
        if record.get("date_of_birth") and record["date_of_birth"] not in PLACEHOLDERS:
            persons_born[record["date_of_birth"]].add(person_of(slug, record))
    shared = [day for day, persons in persons_born.items() if len(persons) >= 2]
    assert any((day.month, day.day) == (1, 1) for day in shared)  # registered without papers
    assert sum(1 for day in shared if (day.month, day.day) != (1, 1)) >= 20  # plain coincidence


def test_namesakes_are_common_and_mostly_of_one_community(records, person_of):
    holders = defaultdict(set)
    for slug, _, record in records:
        written = " ".join(sorted(_name(record).casefold().split()))
        holders[written].add((person_of(slug, record), record.get("citizenship")))
    pairs = [
        (first, second)
        for persons in holders.values()
        for first, second in combinations(sorted(persons), 2)
        if first[0] != second[0]
    ]
    assert len(pairs) > 100
    assert sum(1 for first, second in pairs if first[1] == second[1]) / len(pairs) > 0.8


def test_some_persons_name_appears_in_two_scripts_across_partners(records, person_of):
    scripts = defaultdict(set)
    for slug, _, record in records:
        scripts[person_of(slug, record)].add((slug, _scripts(_name(record))))
    native = {"CYRILLIC", "ARABIC", "BENGALI", "DEVANAGARI", "THAI", "ETHIOPIC"}
    in_two = set()
    for person, written in scripts.items():
        in_latin = {slug for slug, used in written if used == {"LATIN"}}
        in_native = {slug for slug, used in written if used & native}
        if any(a != b for a in in_latin for b in in_native):
            in_two.add(person)
    assert len(in_two) >= 20


def test_a_middle_name_is_written_by_one_partner_and_left_out_by_another(records, person_of):
    given = defaultdict(set)
    for slug, _, record in records:
        if "given_name" in record:
            given[person_of(slug, record)].add(tuple(record["given_name"].casefold().split()))
    with_middle = [
        person for person, names in given.items()
        if any(len(a) > len(b) and set(b) < set(a) for a in names for b in names)
    ]
    assert len(with_middle) >= 10


def test_sex_is_left_blank_at_one_partner_and_given_at_another(records, person_of):
    sexes = defaultdict(set)
    for slug, _, record in records:
        sexes[person_of(slug, record)].add(record.get("gender"))
    assert sum(1 for values in sexes.values() if None in values and len(values) > 1) >= 10
