"""Documents and phones: ASCII text takes a shorter path, which must give what the general rule gives."""

from __future__ import annotations

import random
import re
import string
import unicodedata

from anyascii import anyascii

from privacy.normalise import document_code, phone_digits


def _document_by_the_rule(text: str) -> str | None:
    code = re.sub(r"[^0-9A-Za-z]+", "", anyascii(unicodedata.normalize("NFKC", text)).upper())
    return None if len(code) < 5 or code.count(code[0]) == len(code) else code


def _phone_by_the_rule(text: str) -> str | None:
    digits = re.sub(r"[^0-9]+", "", unicodedata.normalize("NFKC", text))
    return None if len(digits) < 7 or digits.count(digits[0]) == len(digits) else digits[-9:]


def _ascii_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.printable + "\x00\x1f\x7f"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20))) for _ in range(count)]
    return texts + ["P1234567", " ab-123 456 ", "0000000", "+977 981-234-5678", "(01) 23.45.67.89", "1111111"]


def test_ascii_documents_give_what_the_rule_gives():
    texts = _ascii_texts(5_000, seed=1)
    assert [document_code(text) for text in texts] == [_document_by_the_rule(text) for text in texts]


def test_ascii_phones_give_what_the_rule_gives():
    texts = _ascii_texts(5_000, seed=2) + [f"+{random.Random(n).randint(10**9, 10**11)}" for n in range(200)]
    assert [phone_digits(text) for text in texts] == [_phone_by_the_rule(text) for text in texts]


def test_other_scripts_still_take_the_rule():
    documents = ("№ 12 34 567890", "Ｐ９８７６５４３", "Ä-12345", "ПАСПОРТ 45 12")
    phones = ("+880 １７１１ 223344", "٠١٢٣٤٥٦٧٨٩", "+977 ９８１–234–5678")
    assert [document_code(text) for text in documents] == [_document_by_the_rule(text) for text in documents]
    assert [phone_digits(text) for text in phones] == [_phone_by_the_rule(text) for text in phones]
    assert document_code("Ｐ９８７６５４３") == "P9876543" and phone_digits("+977 ９８１–234–5678") == "812345678"
