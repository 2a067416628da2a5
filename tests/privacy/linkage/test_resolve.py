"""Resolution: one person across partners and spellings, strangers kept apart, incremental = batch."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from privacy.linkage.records import LinkageRecord
from privacy.linkage.resolve import LinkageSettings, Resolver, resolve
from tests.privacy.linkage_factories import make_record, person_of


def test_same_person_spelt_differently_by_two_partners_is_one_person():
    records = [
        make_record("shelter-1", "shelter", full_name="Muhammad Rahman", date_of_birth=date(1995, 4, 12),
                    citizenship="BGD", sex="Male"),
        make_record("police-9", "police", given_name="Мухаммад", family_name="Рахман",
                    date_of_birth=date(1995, 4, 12), citizenship="BGD", sex="Male"),
        make_record("hotline-3", "hotline", full_name="Rahman Mohammed", date_of_birth=date(1995, 4, 12)),
    ]
    assert resolve(records) == [frozenset({"shelter-1", "police-9", "hotline-3"})]


def test_a_typo_in_both_names_is_joined_by_the_bloom_filter():
    records = [
        make_record("a-1", "A", full_name="Fatima Begum", date_of_birth=date(1998, 7, 23)),
        make_record("b-1", "B", full_name="Fatema Begun", date_of_birth=date(1998, 7, 23)),
    ]
    assert not set(records[0].tokens.values()) & set(records[1].tokens.values())
    assert len(resolve(records)) == 1


def _common_name_background(count: int = 30) -> list[LinkageRecord]:
    """Many people called Muhammad Khan, born in many years: the name itself is common."""
    rng = random.Random(7)
    return [
        make_record(f"bg-{i}", f"P{i % 5}", full_name="Muhammad Khan", citizenship="PAK",
                    date_of_birth=date(rng.randint(1970, 1989), rng.randint(1, 12), rng.randint(2, 28)))
        for i in range(count)
    ]


def test_two_people_sharing_a_common_name_and_birth_year_stay_two():
    first = make_record("a-1", "A", full_name="Muhammad Khan", date_of_birth=date(1990, 3, 14), citizenship="PAK")
    second = make_record("b-1", "B", full_name="Muhammad Khan", date_of_birth=date(1990, 10, 27), citizenship="PAK")
    persons = resolve([first, second, *_common_name_background()])
    assert person_of(persons, "a-1") == {"a-1"} and person_of(persons, "b-1") == {"b-1"}


@pytest.mark.parametrize("placeholder", [date(1900, 1, 1), date(1985, 1, 1)])
def test_a_placeholder_birth_date_does_not_merge_strangers(placeholder):
    records = [
        make_record(f"r-{i}", f"P{i % 3}", full_name=name, date_of_birth=placeholder, citizenship="NPL")
        for i, name in enumerate(["Sita Tamang", "Gita Tamang", "Sita Gurung", "Maya Rai", "Sita Rai"])
    ]
    assert len(resolve(records)) == len(records)


def test_a_token_held_by_implausibly_many_records_links_nothing():
    placeholder = b"\x09" * 32
    records = [LinkageRecord(f"r-{i}", f"P{i}", {"name_dob": placeholder}) for i in range(30)]
    assert len(resolve(records, LinkageSettings(max_records_per_token=20))) == 30
    assert len(resolve(records[:5], LinkageSettings(max_records_per_token=20))) == 1


def test_two_cases_of_one_partner_are_not_joined_through_another_partner():
    strong, weak = b"\x01" * 32, b"\x02" * 32
    records = [
        LinkageRecord("a-1", "A", {"name_dob": strong}),
        LinkageRecord("b-1", "B", {"name_dob": strong, "name_phone": weak}),
        LinkageRecord("a-2", "A", {"name_phone": weak}),
    ]
    assert sorted(map(sorted, resolve(records))) == [["a-1", "b-1"], ["a-2"]]
    # A partner's own duplicate registration, sharing a token directly, is one person.
    records.append(LinkageRecord("a-3", "A", {"name_dob": strong}))
    assert sorted(map(sorted, resolve(records))) == [["a-1", "a-3", "b-1"], ["a-2"]]


def _population(seed: int) -> list[LinkageRecord]:
    rng = random.Random(seed)
    given = ["Ana", "Fatima", "Fatema", "Muhammad", "Mohammed", "Sita", "Olena", "Олена", "Abebe"]
    family = ["Silva", "Begum", "Khan", "Tamang", "Petrenko", "Петренко", "Tesfaye", "Rahman"]
    records = []
    for person in range(60):
        name = f"{rng.choice(given)} {rng.choice(family)}"
        born = date(rng.randint(1985, 1992), rng.randint(1, 12), rng.randint(2, 28))
        for copy in range(rng.randint(1, 3)):
            spelt = name if rng.random() < 0.7 else name.replace("a", "e", 1)
            # A quarter of the copies give an age at registration instead of the date (a hotline).
            when = {"date_of_birth": born} if rng.random() < 0.75 else {
                "age": 2024 - born.year - rng.randint(0, 1), "registration_date": date(2024, 6, 1)}
            records.append(make_record(f"p{person}-c{copy}", f"P{rng.randint(0, 3)}{copy}",
                                       full_name=spelt, citizenship="XYZ", **when))
    return records


def _sorted_persons(persons) -> list[list[str]]:
    return sorted(sorted(person) for person in persons)


def test_incremental_additions_give_the_batch_result():
    records = _population(1)
    batch = _sorted_persons(resolve(records))
    resolver = Resolver()
    shuffled = random.Random(2).sample(records, len(records))
    for start in range(0, len(shuffled), 17):
        resolver.add(shuffled[start:start + 17])
        resolver.persons()
    assert _sorted_persons(resolver.persons()) == batch


def test_replacing_a_submission_gives_the_batch_result():
    records = _population(3)
    replaced, kept = records[::4], [r for i, r in enumerate(records) if i % 4]
    resolver = Resolver()
    resolver.add(records)
    resolver.persons()
    resolver.remove(record.key for record in replaced)
    assert _sorted_persons(resolver.persons()) == _sorted_persons(resolve(kept))
    resolver.add(replaced)
    assert _sorted_persons(resolver.persons()) == _sorted_persons(resolve(records))


def test_a_key_cannot_be_added_twice():
    resolver = Resolver()
    resolver.add([LinkageRecord("a-1", "A")])
    with pytest.raises(ValueError):
        resolver.add([LinkageRecord("a-1", "A")])


_SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tu", "vi", "dor", "ne", "pa", "zi", "bo", "ha", "ju", "qe", "wy")


def _rare_names(count: int, seed: int) -> list[str]:
    """Distinct invented names: nobody else in a test population holds them."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        given = "".join(rng.sample(_SYLLABLES, 2)).capitalize()
        family = "".join(rng.sample(_SYLLABLES, 3)).capitalize()
        names.add(f"{given} {family}")
    return sorted(names)


def _two_partners(b_copy, namesake_dates, namesakes_within_partners: int, seed: int, count: int = 60,
                  b_name=lambda i, name: name, namesake_names=lambda name: (name, name)):
    """Partners A and B each report ``count`` people with invented names (keys ``a-i``, ``b-i``);
    B's date of birth is ``b_copy(i, born)`` and its name ``b_name(i, name)``. Each partner also
    holds ``namesakes_within_partners`` pairs of its own two records named ``namesake_names(name)``
    and dated ``namesake_dates(born)``: namesakes, which a partner knows apart by their case
    references."""
    records = []
    for i, name in enumerate(_rare_names(count + 2 * namesakes_within_partners, seed)):
        born = date(1980 + i % 20, 1 + i % 12, 2 + i % 26)  # never 1 January: a default date
        if i < count:
            records += [
                make_record(f"a-{i}", "A", full_name=name, date_of_birth=born, citizenship="BGD"),
                make_record(f"b-{i}", "B", full_name=b_name(i, name), date_of_birth=b_copy(i, born), citizenship="BGD"),
            ]
        else:
            partner = "A" if i % 2 else "B"
            records += [
                make_record(f"{partner}-{i}-{k}", partner, full_name=namesake, date_of_birth=dated, citizenship="BGD")
                for k, (namesake, dated) in enumerate(zip(namesake_names(name), namesake_dates(born)))
            ]
    return records


def _population_with_mistyped_years(namesakes_within_partners: int) -> list[LinkageRecord]:
    """B mistypes every fifth person's year of birth; namesakes are born in different years."""
    return _two_partners(
        lambda i, born: born.replace(year=born.year - 10) if i % 5 == 0 else born,
        lambda born: (born.replace(year=1970), born.replace(year=1999)),
        namesakes_within_partners, seed=11,
    )


def test_a_mistyped_year_of_birth_is_joined_where_partners_hold_no_namesakes():
    records = _population_with_mistyped_years(namesakes_within_partners=0)
    persons = resolve(records)
    assert person_of(persons, "a-0") == {"a-0", "b-0"}
    assert len(persons) == 60


def test_a_mistyped_year_is_not_trusted_where_partners_hold_namesakes():
    # Six pairs of namesakes in each partner: among 60 cross-partner pairs of one name and two
    # years, as many as 6 x (cross pairs / own pairs) ≈ 12 could be namesakes too. Too many.
    records = _population_with_mistyped_years(namesakes_within_partners=6)
    persons = resolve(records)
    assert person_of(persons, "a-0") == {"a-0"} and person_of(persons, "b-0") == {"b-0"}
    assert person_of(persons, "a-1") == {"a-1", "b-1"}  # the same year: a day apart is still one person


def test_one_pair_of_weak_evidence_is_never_trusted_alone():
    records = [
        make_record("a-1", "A", full_name="Shirin Akhter", date_of_birth=date(1994, 6, 17), citizenship="BGD"),
        make_record("b-1", "B", full_name="Shirin Akhter", date_of_birth=date(1984, 6, 17), citizenship="BGD"),
    ]
    assert len(resolve(records)) == 2


def test_a_mistyped_year_does_not_join_a_common_name():
    # The background's days of birth run to the 28th: nobody else shares the 30th.
    first = make_record("a-1", "A", full_name="Muhammad Khan", date_of_birth=date(1990, 3, 30), citizenship="PAK")
    second = make_record("b-1", "B", full_name="Muhammad Khan", date_of_birth=date(1980, 3, 30), citizenship="PAK")
    persons = resolve([first, second, *_common_name_background()])
    assert person_of(persons, "a-1") == {"a-1"} and person_of(persons, "b-1") == {"b-1"}


def test_a_mistyped_year_with_another_citizenship_stays_apart():
    records = _population_with_mistyped_years(namesakes_within_partners=0) + [
        make_record("x-1", "A", full_name="Shirin Akhter", date_of_birth=date(1994, 6, 17), citizenship="BGD"),
        make_record("y-1", "B", full_name="Shirin Akhter", date_of_birth=date(1984, 6, 17), citizenship="IND"),
    ]
    assert person_of(resolve(records), "x-1") == {"x-1"}


def test_a_namesake_sharing_weak_evidence_does_not_take_the_place_of_a_full_match():
    # B's record matches A's first record on the date and, but for two typing errors, the name
    # (the Bloom filter's first tier); A's second record has the name exactly but another year of
    # birth, evidence this population trusts. The full match is weighed first.
    records = _population_with_mistyped_years(namesakes_within_partners=0) + [
        make_record("b-x", "B", full_name="Jack Paterson", date_of_birth=date(1964, 10, 2), citizenship="BGD"),
        make_record("a-typed", "A", full_name="Jakc Pateson", date_of_birth=date(1964, 10, 2), citizenship="BGD"),
        make_record("a-namesake", "A", full_name="Jack Paterson", date_of_birth=date(1983, 8, 17), citizenship="BGD"),
    ]
    persons = resolve(records)
    assert person_of(persons, "b-x") == {"b-x", "a-typed"}
    assert person_of(persons, "a-namesake") == {"a-namesake"}


def _population_with_undated_copies(namesakes_within_partners: int) -> list[LinkageRecord]:
    """B leaves every third person undated; namesakes are one dated and one undated record."""
    return _two_partners(
        lambda i, born: None if i % 3 == 0 else born, lambda born: (born, None), namesakes_within_partners, seed=5,
    )


def test_an_undated_record_joins_the_dated_record_of_a_rare_name():
    persons = resolve(_population_with_undated_copies(namesakes_within_partners=0))
    assert person_of(persons, "a-0") == {"a-0", "b-0"}
    persons = resolve(_population_with_undated_copies(namesakes_within_partners=6))
    assert person_of(persons, "a-0") == {"a-0"}


def _mistyped(name: str) -> str:
    """The name with its last letter mistyped (no invented name holds an x)."""
    return name[:-1] + "x"


def _population_with_mistyped_undated_copies(namesakes_within_partners: int) -> list[LinkageRecord]:
    """B mistypes one letter of every third person's name and leaves that record undated;
    namesakes are one dated record and one undated record of a name one letter apart."""
    return _two_partners(
        lambda i, born: None if i % 3 == 0 else born, lambda born: (born, None), namesakes_within_partners, seed=3,
        b_name=lambda i, name: _mistyped(name) if i % 3 == 0 else name,
        namesake_names=lambda name: (name, _mistyped(name)),
    )


def test_a_mistyped_name_without_a_date_joins_where_partners_hold_no_namesakes_spelt_alike():
    persons = resolve(_population_with_mistyped_undated_copies(namesakes_within_partners=0))
    assert person_of(persons, "a-0") == {"a-0", "b-0"}
    assert person_of(persons, "a-3") == {"a-3", "b-3"}
    assert len(persons) == 60


def test_a_mistyped_name_without_a_date_stays_apart_where_partners_hold_namesakes_spelt_alike():
    persons = resolve(_population_with_mistyped_undated_copies(namesakes_within_partners=6))
    assert person_of(persons, "a-0") == {"a-0"} and person_of(persons, "b-0") == {"b-0"}
    assert person_of(persons, "a-1") == {"a-1", "b-1"}


def test_a_real_birth_in_1900_is_a_date():
    records = [
        make_record("a-1", "A", full_name="Ana Silva", date_of_birth=date(1900, 6, 4), citizenship="PRT"),
        make_record("b-1", "B", full_name="Ana Silva", date_of_birth=date(1900, 6, 4)),
    ]
    assert records[0].tokens["name_dob"] == records[1].tokens["name_dob"]
    assert len(resolve(records)) == 1


def test_a_weak_token_of_one_partner_links_nothing():
    records = _population_with_mistyped_years(namesakes_within_partners=0) + [
        make_record("a-x1", "A", full_name="Rina Akter", date_of_birth=date(1990, 3, 3), citizenship="BGD"),
        make_record("a-x2", "A", full_name="Rina Akter", date_of_birth=date(2004, 3, 3), citizenship="BGD"),
    ]
    assert person_of(resolve(records), "a-x1") == {"a-x1"}


def _hotline_caller(key: str, partner: str = "hotline", age: int = 24):
    return make_record(key, partner, full_name="Sunita Pariyar", citizenship="NPL", sex="Female", age=age,
                       registration_date=date(2024, 8, 1))


def _resident(key: str, partner: str, born: date):
    return make_record(key, partner, given_name="Sunita", family_name="Pariyar", citizenship="NPL", sex="Female",
                       date_of_birth=born)


def test_an_age_at_registration_meets_a_date_of_birth_in_either_possible_year():
    for born in (date(1999, 11, 20), date(2000, 5, 2)):
        assert len(resolve([_hotline_caller("h-1"), _resident("s-1", "shelter", born)])) == 1


def test_an_age_between_two_dated_namesakes_links_to_neither():
    records = [_hotline_caller("h-1"), _resident("s-1", "shelter", date(1999, 11, 20)),
               _resident("p-1", "police", date(2000, 3, 9))]
    assert len(resolve(records)) == 3


def test_an_age_meets_a_person_whom_two_partners_reported_with_one_date():
    records = [_hotline_caller("h-1"), _resident("s-1", "shelter", date(1999, 11, 20)),
               _resident("p-1", "police", date(1999, 11, 20))]
    assert resolve(records) == [frozenset({"h-1", "s-1", "p-1"})]


def test_an_age_meets_a_date_of_birth_written_in_another_script():
    caller = make_record("h-1", "hotline", full_name="Tetiana Savchenko", citizenship="UKR", age=24,
                         registration_date=date(2024, 8, 1))
    resident = make_record("s-1", "shelter", full_name="Тетяна Савченко", citizenship="UKR",
                           date_of_birth=date(2000, 2, 11))
    assert len(resolve([caller, resident])) == 1


def test_two_ages_of_one_partner_sharing_a_year_pair_are_namesakes():
    records = [_hotline_caller("h-1"), _hotline_caller("h-2"), _resident("s-1", "shelter", date(1999, 11, 20))]
    assert len(resolve(records)) == 3


def test_ages_meeting_dates_give_one_outcome_whatever_order_the_records_arrived_in():
    # One year-pair token held by three units: a1 (an age) already one person with b2 of partner
    # B, b1 of partner B (dated), c1 (an age). a1 cannot join b1 (two records of B); c1 could join
    # either side, and which one it joins must not depend on arrival order.
    year_pair, strong = b"\x07" * 32, b"\x08" * 32
    records = [
        LinkageRecord("a1", "A", {"name_dob": strong, "sorted_name_year_pair_citizenship": year_pair}),
        LinkageRecord("b2", "B", {"name_dob": strong}),
        LinkageRecord("b1", "B", {"sorted_name_year_pair_citizenship": year_pair,
                                  "sorted_name_year_citizenship": b"\x09" * 32}),
        LinkageRecord("c1", "C", {"sorted_name_year_pair_citizenship": year_pair}),
    ]
    outcomes = {frozenset(resolve(order)) for order in itertools.permutations(records)}
    assert len(outcomes) == 1


def test_a_neighbourhood_is_judged_by_the_calibration_of_the_whole_population():
    population = Resolver()
    population.add(_population_with_mistyped_years(namesakes_within_partners=0))
    population.persons()
    assert ("sorted_name_citizenship", "years differ", "rare name") in population.trusted()
    neighbourhood = [r for r in _population_with_mistyped_years(namesakes_within_partners=0) if r.key in ("a-0", "b-0")]
    assert len(resolve(neighbourhood)) == 2  # too few pairs to measure anything on its own
    assert resolve(neighbourhood, trusted_classes=population.trusted()) == [frozenset({"a-0", "b-0"})]
