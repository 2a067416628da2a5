"""Native-script names and their usual Latin spelling agree (normalisation version 4)."""

from __future__ import annotations

import pytest

from privacy.identity import normalise_identity
from privacy.normalise import name_parts
from privacy.phonetic import phonetic_code


def _codes(text: str) -> list[str]:
    return sorted(phonetic_code(part) for part in name_parts(text))


@pytest.mark.parametrize(
    ("native", "latin"),
    [
        ("أحمد", "Ahmad"), ("علي", "Ali"), ("عمر", "Omar"), ("إبراهيم", "Ibrahim"), ("عبدالله", "Abdullah"),
        ("نور", "Noor"), ("محمود", "Mahmoud"), ("يوسف", "Yusuf"), ("منصور", "Mansour"), ("درويش", "Darwish"),
        ("الحسن", "Al-Hassan"), ("الحسن", "El Hassan"), ("الحسن", "Alhassan"), ("الأحمد", "Al-Ahmad"),
        ("แซ่ตั้ง", "Saetang"), ("ใจดี", "Jaidee"), ("สมศักดิ์", "Somsak"), ("สมหญิง", "Somying"),
        ("ศิริพร", "Siriporn"), ("บุญมี", "Boonmee"), ("ศรีสุข", "Srisuk"), ("วงศ์สวัสดิ์", "Wongsawat"),
        ("ธนากร", "Thanakorn"), ("แก้วคำ", "Kaewkham"),
        ("विकास", "Bikash"), ("कविता", "Kabita"), ("यादव", "Yadav"), ("तामाङ", "Tamang"),
        ("विश्वकर्मा", "Bishwakarma"),
        ("পারভীন", "Parvin"), ("চৌধুরী", "Chowdhury"),
    ],
)
def test_native_and_latin_spelling_share_phonetic_codes(native, latin):
    assert _codes(native) == _codes(latin)


def test_latin_article_joins_its_name_only_when_a_name_follows():
    assert name_parts("Ahmad al Hassan") == name_parts("Ahmad Al-Hassan") == ["ahmad", "alhassan"]
    assert name_parts("Maria El") == ["maria", "el"]
    assert name_parts("Alan Smith") == ["alan", "smith"]


def test_full_name_and_split_name_agree_on_the_family_name_with_an_article():
    split = normalise_identity(given_name="Ahmad", family_name="Al-Najjar")
    full = normalise_identity(full_name="Ahmad Al Najjar")
    assert split.family == full.family == "alnajjar"
    assert split.parts == full.parts
