"""What the demo data must hold for linkage to be measured on it: overlaps, variants, scripts, traps."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date

import pytest

from schemas.coarsen import age_at


def _name(record: dict) -> str:
    split = f"{record.get('given_name', '')} {record.get('family_name', '')}".strip()
    return record.get("full_name") or split


@pytest.fixture(scope="module")
def by_person(records, truth) -> dict[str, list[tuple[str, dict]]]:
    persons = defaultdict(list)
    for slug, _, record in records:
        persons[truth[slug, record["case_reference"]]].append((slug, record))
    return persons


def test_a_good_share_of_persons_is_reported_by_two_or_more_partners(demo, by_person):
    partner_counts = Counter(len({slug for slug, _ in reports}) for reports in by_person.values())
    assert len(by_person) == demo.persons
    several = sum(n for k, n in partner_counts.items() if k >= 2)
    assert 0.3 < several / demo.persons < 0.7
    assert partner_counts[3] > 0
    # A partner registers a person again under a new case reference now and then (test_repeats.py),
    # but most persons it has are one case of it.
    single = sum(1 for reports in by_person.values() if len(reports) == len({slug for slug, _ in reports}))
    assert 0.85 < single / demo.persons < 1.0


def test_the_same_person_is_often_written_differently_by_partners(by_person):
    shared = [reports for reports in by_person.values() if len(reports) >= 2]
    differing = [r for r in shared if len({_name(record) for _, record in r}) > 1]
    assert 0.3 < len(differing) / len(shared) < 1.0


def test_names_come_in_several_scripts(records):
    scripts = Counter(
        unicodedata.name(ch).split()[0]
        for _, _, record in records
        for ch in _name(record)
        if ch.isalpha()
    )
    assert {"LATIN", "CYRILLIC", "ARABIC", "BENGALI", "THAI", "ETHIOPIC", "DEVANAGARI"} <= set(scripts)
    assert scripts["LATIN"] > sum(scripts.values()) / 2


def test_transliteration_variants_of_one_name_appear(records):
    names = {word for _, _, record in records for word in re.split(r"[\s,]+", _name(record).casefold())}
    assert len({"mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "md"} & names) >= 2


def test_some_phones_are_shared_by_several_persons(records, truth):
    holders = defaultdict(set)
    for slug, _, record in records:
        if "phone" in record:
            digits = re.sub(r"\D", "", record["phone"]).removeprefix("00")
            holders[digits].add(truth[slug, record["case_reference"]])
    assert sum(1 for persons in holders.values() if len(persons) >= 2) >= 5


def test_dates_of_birth_are_sometimes_missing_defaulted_or_placeholders(records):
    birth_partners = {"harbour-house-shelters", "linksafe-platform"}
    with_birth_column = [r for slug, _, r in records if slug in birth_partners]
    births = [r.get("date_of_birth") for r in with_birth_column]
    assert births.count(None) / len(births) > 0.1
    assert sum(1 for b in births if b and (b.month, b.day) == (1, 1)) / len(births) > 0.05
    assert any(r.get("date_of_birth") == date(1900, 1, 1) for _, _, r in records)


def test_joint_distributions_are_plausible(records):
    with_sex = [r for _, _, r in records if "gender" in r]  # some partners leave it blank now and then
    sexual = [r["gender"] for r in with_sex if "SexualExploitation" in r.get("type_of_exploitation", [])]
    assert sexual.count("Female") / len(sexual) > 0.75
    construction = [r["gender"] for r in with_sex if r.get("forced_labour_industry") == "F"]
    assert construction.count("Male") / len(construction) > 0.8
    child_ages = []
    for _, _, r in records:
        if "ChildLabour" in r.get("type_of_exploitation", []):
            born = r.get("date_of_birth")
            if "age" in r:
                child_ages.append(r["age"])
            elif born and born.year > 1900:
                child_ages.append(age_at(born, r["registration_date"]))
    assert sum(1 for a in child_ages if 8 <= a <= 17) / len(child_ages) > 0.9


def test_exploitation_is_mostly_but_not_always_across_a_border(records):
    pairs = [(r["citizenship"], r["country_of_exploitation"]) for _, _, r in records]
    abroad = sum(1 for home, there in pairs if home != there) / len(pairs)
    assert 0.5 < abroad < 0.95


def test_several_means_of_control_are_recorded(records):
    counts = Counter(len(r.get("means_of_control", [])) for _, _, r in records)
    assert counts[0] > 0 and sum(n for k, n in counts.items() if k >= 2) > counts[1]
