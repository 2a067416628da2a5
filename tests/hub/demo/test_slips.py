"""The slips of one registration: dates mistyped, ages heard, a repeat typed worse than a first."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from hub.demo.names import NameForm, common_names, parse_pool
from hub.demo.partners import build_partners
from hub.demo.people import PersonFactory
from hub.demo.render import Renderer
from hub.demo.slips import FIRST_CONTACT, REPEAT, Slips, mistyped_birth_date, off_by
from schemas.coarsen import age_at

NONE = Slips(**{name: 0.0 for name in Slips.__dataclass_fields__})
REGISTERED = date(2025, 6, 15)


@pytest.fixture(scope="module")
def layouts():
    return {layout.kind: layout for layout in build_partners(6, seed=7)}


@pytest.fixture
def person():
    made = PersonFactory(random.Random(3), reference_day=date(2025, 6, 30)).make()
    return replace(made, birth_known="exact", birth_date=date(1996, 3, 7), middle=NameForm("Grace"))


def test_with_no_slips_a_date_is_typed_as_it_is():
    assert mistyped_birth_date(date(1996, 3, 7), random.Random(1), NONE) == date(1996, 3, 7)


def test_day_and_month_are_swapped_only_when_the_day_could_be_a_month():
    slips = replace(NONE, day_and_month_swapped=1.0)
    assert mistyped_birth_date(date(1996, 3, 7), random.Random(1), slips) == date(1996, 7, 3)
    assert mistyped_birth_date(date(1996, 3, 17), random.Random(1), slips) == date(1996, 3, 17)


def test_a_mistyped_year_or_day_changes_one_part_by_one_digit():
    rng = random.Random(2)
    for _ in range(200):
        typed = mistyped_birth_date(date(1996, 3, 14), rng, replace(NONE, year_mistyped=1.0))
        assert typed.year in (1995, 1997) and (typed.month, typed.day) == (3, 14)
        typed = mistyped_birth_date(date(1996, 3, 14), rng, replace(NONE, day_mistyped=1.0))
        assert (typed.year, typed.month) == (1996, 3) and typed.day != 14
        assert sum(a != b for a, b in zip(f"{typed.day:02d}", "14")) == 1


def test_another_date_given_is_within_three_years():
    rng = random.Random(4)
    for _ in range(100):
        typed = mistyped_birth_date(date(1996, 3, 14), rng, replace(NONE, other_birth_date=1.0))
        assert 30 <= abs((typed - date(1996, 3, 14)).days) <= 3 * 365


def test_an_age_is_missed_by_the_years_drawn_and_never_below_zero():
    rng = random.Random(5)
    assert {off_by(30, rng, {2: 1.0}) for _ in range(50)} == {28, 32}
    assert min(off_by(1, rng, {2: 1.0}) for _ in range(50)) == 0


def test_a_hotline_hears_the_age_sometimes_a_year_or_two_off(layouts, person):
    renderer = Renderer(layouts["hotline"], random.Random(6))
    true_age = age_at(person.birth_date, REGISTERED)
    ages = Counter(renderer.record(person, REGISTERED, "SPH-1").get("age") for _ in range(1000))
    ages.pop(None, None)  # not asked
    assert set(ages) <= {true_age + off for off in range(-2, 3)}
    assert ages.most_common(1)[0][0] == true_age
    assert ages[true_age - 1] + ages[true_age + 1] > 100 and ages[true_age - 2] + ages[true_age + 2] > 10


def test_a_shelter_computes_the_age_from_the_date_it_has(layouts, person):
    renderer = Renderer(layouts["shelter"], random.Random(7))
    rendered = [renderer.record(person, REGISTERED, "HH/1") for _ in range(300)]
    assert {r["age"] for r in rendered if r.get("age") is not None} == {age_at(person.birth_date, REGISTERED)}


def test_a_repeat_is_typed_with_more_slips_than_a_first_registration(layouts, person):
    def slipped(slips: Slips) -> Counter:
        renderer = Renderer(layouts["shelter"], random.Random(8))
        counts = Counter()
        for _ in range(2000):
            record = renderer.record(person, REGISTERED, "HH/1", slips)
            counts["age only"] += record.get("date_of_birth") is None and record.get("age") is not None
            counts["other date"] += record.get("date_of_birth") not in (None, person.birth_date)
            counts["sex blank"] += record.get("gender") is None
        return counts

    first, repeat = slipped(FIRST_CONTACT), slipped(REPEAT)
    assert all(repeat[slip] > first[slip] > 0 for slip in ("age only", "other date", "sex blank"))


def test_a_middle_name_is_written_sometimes(layouts, person):
    renderer = Renderer(layouts["shelter"], random.Random(9))
    given = Counter(renderer.record(person, REGISTERED, "HH/1")["given_name"].split()[-1] for _ in range(400))
    assert 100 < given["Grace"] < 300


def test_the_commonest_names_of_a_pool_are_drawn_most_often():
    pool = parse_pool("; ".join(f"Name{i}" for i in range(12)))
    rng = random.Random(10)
    drawn = Counter(common_names(pool, rng, 1, skew=1.0)[0].latin for _ in range(6000))
    assert drawn["Name0"] > 5 * drawn["Name11"] > 0
    pairs = [common_names(pool, rng, 2, skew=1.0) for _ in range(200)]
    assert all(first != second for first, second in pairs)
