"""CLKs and blocking tokens: keyed, salted by year and by citizenship, close for variants, far for strangers."""

from __future__ import annotations

from datetime import date

import pytest

from privacy.clk import CLK_BITS, make_blocking_keys, make_clk
from privacy.linkage.dice import dice_of_bytes
from privacy.linkage.resolve import DEFAULT_CITIZENSHIP_DICE_THRESHOLD, DEFAULT_DICE_THRESHOLD

SECRET = b"test linkage secret of 32 bytes!"
ANA = dict(full_name="Ana Maria Silva", date_of_birth=date(1994, 6, 17))


def test_clk_is_fixed_length_and_deterministic():
    clk = make_clk(SECRET, **ANA)
    assert len(clk) * 8 == CLK_BITS and clk == make_clk(SECRET, **ANA)


def test_clk_depends_on_the_secret():
    assert dice_of_bytes(make_clk(SECRET, **ANA), make_clk(b"another secret", **ANA)) < 0.7


@pytest.mark.parametrize("variant", ["Ana Maria Sylva", "ANA MARIA SILVA", "Silva Ana Maria", "Anna Maria Silva"])
def test_spelling_variants_stay_close(variant):
    assert dice_of_bytes(make_clk(SECRET, **ANA), make_clk(SECRET, **{**ANA, "full_name": variant})) > 0.8


def test_transliterations_stay_close():
    latin = make_clk(SECRET, full_name="Muhammad Rahman", date_of_birth=date(1995, 4, 12))
    for written in ("Мухаммад Рахман", "Mohammed Rahman", "মোহাম্মদ রহমান"):
        assert dice_of_bytes(latin, make_clk(SECRET, full_name=written, date_of_birth=date(1995, 4, 12))) > 0.75


def _year_half(clk: bytes) -> bytes:
    return clk[:CLK_BITS // 16]


def _citizenship_half(clk: bytes) -> bytes:
    return clk[CLK_BITS // 16:]


def test_namesakes_born_on_other_days_are_not_close():
    one = make_clk(SECRET, full_name="Muhammad Khan", date_of_birth=date(1990, 3, 14), citizenship="PAK")
    other = make_clk(SECRET, full_name="Muhammad Khan", date_of_birth=date(1990, 10, 27), citizenship="PAK")
    assert dice_of_bytes(_year_half(one), _year_half(other)) < DEFAULT_DICE_THRESHOLD


def test_year_of_birth_salts_the_first_half():
    other_year = make_clk(SECRET, **{**ANA, "date_of_birth": date(1995, 6, 17)})
    assert dice_of_bytes(_year_half(make_clk(SECRET, **ANA)), _year_half(other_year)) < 0.5


def test_a_mistyped_year_only_lowers_the_citizenship_half():
    one = make_clk(SECRET, **ANA, citizenship="BRA")
    other_year = make_clk(SECRET, **{**ANA, "date_of_birth": date(1984, 6, 17)}, citizenship="BRA")
    assert dice_of_bytes(_citizenship_half(one), _citizenship_half(other_year)) > DEFAULT_CITIZENSHIP_DICE_THRESHOLD


def test_citizenship_salts_the_second_half():
    one, other = make_clk(SECRET, **ANA, citizenship="BRA"), make_clk(SECRET, **ANA, citizenship="PRT")
    assert dice_of_bytes(_citizenship_half(one), _citizenship_half(other)) < 0.5


def test_an_undated_record_has_only_a_citizenship_half():
    undated = make_clk(SECRET, full_name="Ana Maria Silva", citizenship="BRA")
    assert _year_half(undated) == bytes(CLK_BITS // 16) and any(_citizenship_half(undated))


def test_no_name_gives_no_clk():
    assert make_clk(SECRET, date_of_birth=date(1994, 6, 17)) is None


def test_blocking_tokens_are_keyed_and_never_from_one_weak_field():
    keys = make_blocking_keys(SECRET, **ANA)
    assert set(keys.values()).isdisjoint(make_blocking_keys(b"another secret", **ANA).values())
    assert make_blocking_keys(SECRET, full_name="Ana Silva") == {}
