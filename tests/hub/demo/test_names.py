"""Name pools and the spelling differences between partners."""

from __future__ import annotations

import random

import pytest

from hub.demo.names import NameForm, parse_pool, region_names, spell, typo
from hub.demo.regions import REGIONS


@pytest.mark.parametrize("key", sorted({region.names for region in REGIONS}))
def test_every_pool_parses_with_ascii_latin_spellings(key: str):
    names = region_names(key)
    for form in (*names.female, *names.male, *names.family, *names.family_female):
        assert form.latin and form.latin.isascii(), form
        assert all(v and v.isascii() for v in form.variants), form


def test_local_forms_in_latin_with_diacritics_are_told_apart_from_other_scripts():
    assert NameForm("Nguyen", local="Nguyễn").local_is_latin
    assert not NameForm("Olena", local="Олена").local_is_latin


def test_a_typo_changes_a_long_name_but_not_a_short_one():
    rng = random.Random(5)
    assert all(typo("Shevchenko", rng) != "Shevchenko" for _ in range(50))
    assert typo("Ali", rng) == "Ali"


def test_spell_picks_the_local_form_or_a_variant():
    form = parse_pool("Mohammed|Muhammad|Mohamed=محمد")[0]
    rng = random.Random(1)
    assert spell(form, rng, local_rate=1.0, variant_rate=0.0) == "محمد"
    spellings = {spell(form, rng, local_rate=0.0, variant_rate=0.5) for _ in range(100)}
    assert spellings == {"Mohammed", "Muhammad", "Mohamed"}
