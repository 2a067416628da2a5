"""The frequency attack of bench/attack.py on tiny populations built so that its outcome is known."""

from __future__ import annotations

import doctest
import itertools
from datetime import date

import pytest

import bench.attack
from bench.attack import (
    FIELDS,
    FrequencyTable,
    chained_classes,
    chaining_guesses,
    naive_guesses,
    recovered_share,
    shape_guesses,
    store,
    unsalted_guesses,
)
from privacy.identity import normalise_identity
from privacy.phonetic import phonetic_code

GIVEN, FAMILY, YEAR = FIELDS
# Distinct counts, so that a perfect frequency alignment is unambiguous.
SKEWED_GIVEN = {"maria": 40, "olga": 25, "fatima": 15, "grace": 10, "sita": 6, "joy": 4}


def _family_names(count: int) -> list[str]:
    """``count`` family names with distinct phonetic codes, so that each sits in blocks of its own."""
    names, codes = [], set()
    for first, second, third in itertools.product("blmnrst", repeat=3):
        name = f"{first}a{second}o{third}u"
        if phonetic_code(name) not in codes:
            codes.add(phonetic_code(name))
            names.append(name)
    return names[:count]


def _population(born) -> list[dict]:
    given = [name for name, count in SKEWED_GIVEN.items() for _ in range(count)]
    family = _family_names(len(given))
    return [
        {"given_name": name, "family_name": family[at], "date_of_birth": born(at)}
        for at, name in enumerate(given)
    ]


def _spread_births(at: int) -> date:
    return date(1901 + at, 3 + at % 9, 2 + at % 27)


def _shares(records: list[dict], field) -> dict[str, float]:
    stored, identities = store(records)
    table = FrequencyTable.of(field, identities)
    truth = [field.value_of(who) for who in identities]
    guesses = chaining_guesses(stored, field, table)
    guesses["naive"] = naive_guesses(stored, field, table)
    guesses["shape_only"] = shape_guesses(stored, field, table)
    guesses["unsalted"] = unsalted_guesses(identities, field, table)
    return {variant: recovered_share(truth, guessed) for variant, guessed in guesses.items()}


def test_doctests_pass():
    assert doctest.testmod(bench.attack).failed == 0


def test_the_unsalted_design_gives_every_skewed_name_away_and_salting_hides_it():
    shares = _shares(_population(_spread_births), GIVEN)
    assert shares["unsalted"] == 1.0
    # Every block holds one record: every salted token occurs once, nothing to align.
    assert shares["naive"] < 0.2
    assert shares["chain_rank"] < 0.2


def test_the_length_of_a_name_shows_through_the_salt():
    shares = _shares(_population(_spread_births), GIVEN)
    # Edit forms: maria and grace 6, olga and sita 5, fatima 7, joy 4. Guessing the most frequent name
    # of each shape is right for maria, olga, fatima and joy: 40 + 25 + 15 + 4 of 100 records.
    assert shares["shape_only"] == pytest.approx(0.84)
    assert shares["chain_fill"] >= shares["shape_only"] - 0.1


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.name)
def test_chaining_recovers_everyone_sharing_one_birth_date_block(field):
    records = _population(lambda at: date(1984, 5, 17))
    # Family names as skewed as the given names, so that they can be aligned too.
    for record, family in zip(records, [record["given_name"] + "son" for record in records]):
        record["family_name"] = family
    shares = _shares(records, field)
    assert shares["chain_rank"] == shares["chain_fill"] == 1.0


def test_a_names_block_chains_one_name_across_two_birth_dates():
    one, other = date(1980, 3, 4), date(1991, 6, 7)
    records = [
        {"given_name": "maria", "family_name": "silva", "date_of_birth": born}
        for born in (one,) * 3 + (other,) * 3
    ]
    stored, _ = store(records)
    given_classes, year_classes = chained_classes(stored, GIVEN), chained_classes(stored, YEAR)
    assert len(set(given_classes)) == 1
    assert len(set(year_classes)) == 2 and len(set(year_classes[:3])) == 1


def test_a_record_without_blocks_shows_no_value_and_the_shape_counts_runs_of_letters():
    stored, identities = store([{"given_name": "anna"}, {"given_name": "anna", "family_name": "silva"}])
    assert chained_classes(stored, GIVEN)[0] is None and chained_classes(stored, GIVEN)[1] is not None
    # "anna" leaves out one letter in three ways (ann, ana, nna), beside itself; and it has a code.
    assert FrequencyTable.of(GIVEN, identities).shape_of["anna"] == (4, True)
    assert GIVEN.value_of(normalise_identity(family_name="da silva")) is None
    assert FAMILY.value_of(normalise_identity(family_name="da silva")) == "dasilva"


def test_the_figures_of_one_population_name_the_strongest_attack_and_the_joint_share():
    records = _population(lambda at: date(1984, 5, 17))
    for record in records:
        record["family_name"] = record["given_name"] + "son"
    figures = bench.attack.attack("tiny", records)
    assert figures["attack_given_name_recovered_share"] == 1.0
    assert figures["attack_given_name_strongest"].startswith("chain_")
    assert figures["attack_given_name_baseline_share"] == pytest.approx(0.40)
    assert figures["attack_both_names_and_year_recovered_share"] == 1.0
