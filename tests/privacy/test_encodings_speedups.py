"""The connector's linkage encoding gives, byte for byte, what it gave before it was made faster.

The hub links records encoded by different connector versions, so any change to a token is a
breaking change. ``encodings_fixture.json`` holds a corpus of varied identifiers and, for each, the
normalised identity and every block's token and packed features as the implementation of commit
149cfa0 (before the speed-ups) made them. It was written by ``_write_fixture`` below, run against
that commit; never regenerate it with a later implementation, or it proves nothing.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from privacy.encodings import make_encoding_of
from privacy.identity import normalise_identity

FIXTURE = Path(__file__).with_name("encodings_fixture.json")
SECRETS = (b"fixture linkage secret, 32 byte.", bytes(range(7, 39)))
# Only the first records are also encoded with the second secret: it shows the secret is used,
# without doubling the fixture.
SECOND_SECRET_RECORDS = 40

GIVEN = (
    "Ana", "Maria", "José", "Fatima", "Фатима", "ফাতেমা", "فاطمة", "Muhammad", "Мухаммад", "محمد",
    "Nguyễn Thị", "Somchai", "สมชาย", "สมศักดิ์", "Abebe", "አበበ", "Олена", "Rahim", "রহিম", "विकास",
    "Joy", "O'Brien", "Mrs Grace", "Dr. Ahmad", "Aaaa", "Anna", "Ali", "علي", "أحمد", "Lê", "X",
    "Hadji", "Sri", "Mx", "al-Hassan", "Wolfeschlegelsteinhausen", "Abcdefghijklmnopqrst",
    "Abcdefghijklmnopqrstu", "Чорновол-Щербак", "ẞtraße", "Ａｎａ", "123", "  ", "",
)
FAMILY = (
    "Silva", "da Silva Santos", "Begum", "Бегум", "বেগম", "চৌধুরী", "Khan", "خان", "Ivanova", "Иванова",
    "Tesfaye", "ተስፋዬ", "Saelim", "แซ่ลิ้ม", "แซ่ตั้ง", "ศิริพร", "Hossain", "হোসেন", "Okafor", "Петренко",
    "Ahmed", "أحمد", "الحسن", "Al-Hassan", "El Hassan", "तामाङ", "यादव", "Wolfeschlegelsteinhausenbergerdorff",
    "Venkatanarasimharajuvaripeta", "Abcdefghijklmnopqrst", "Abcdefghijklmnopqrstu", "Darwish", "درويش",
    "Mohammed Ali", "Trần", "Ng", "Smith-Jones", "MacDonald", "Miss", "Sheikh Rahman", "42", "",
)
FULL = (
    "Ana Silva", "Mrs ANA  SILVA", "Фатима Бегум", "Mrs Фатима  Бегум", "محمد الحسن", "স্মিতা চৌধুরী",
    "สมชาย แซ่ลิ้ม", "አበበ ተስፋዬ", "Sita Tamang", "सीता तामाङ", "Nguyễn Thị Hương", "Dr. MUHAMMAD  al-Hassan",
    "Madonna", "Sheikh", "Jean-Baptiste de la Wolfeschlegelsteinhausenbergerdorff", "O'Neil  Mc Carthy",
    "Ｍａｒｉａ Ｓｉｌｖａ", "..", "",
)
DATES = (
    date(1990, 3, 2), date(1990, 3, 3), date(1985, 12, 31), date(2001, 7, 7), date(1999, 1, 1),
    date(1990, 1, 1), date(1900, 1, 1), date(1901, 1, 1), date(1970, 1, 1), date(1899, 5, 2),
    date(1900, 6, 4), date(1901, 2, 28), date(2010, 11, 30), date(1960, 10, 10), date(2024, 2, 29), None,
)
DOCUMENTS = ("P1234567", " ab-123 456 ", "0000000", "AB12", "№ 12 34 567890", "Ｐ９８７６５４３", None)
PHONES = ("+977 981-234-5678", "09812345678", "12-34", "1111111", "٠١٢٣٤٥٦٧٨٩", "+880 １７１１ 223344", None)


def _identifiers(rng: random.Random) -> dict:
    """One record's identifiers, drawn so that every kind of field is present, missing or odd."""
    written: dict = {}
    form = rng.random()
    if form < 0.55:
        written |= {"given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY)}
    elif form < 0.8:
        written["full_name"] = rng.choice(FULL)
    elif form < 0.88:
        written["given_name"] = rng.choice(GIVEN)
    elif form < 0.96:
        written["family_name"] = rng.choice(FAMILY)
    born = rng.choice(DATES)
    if born is not None:
        written["date_of_birth"] = born
        written["dob_approximate"] = rng.random() < 0.1
    if rng.random() < 0.35:
        written["age"] = rng.choice((0, 1, 24, 37, 60, 99, 130, -1))
        written["registration_date"] = rng.choice((date(2025, 3, 9), date(2019, 12, 31), None))
    for name, values in (("document_number", DOCUMENTS), ("phone", PHONES)):
        if rng.random() < 0.6:
            written[name] = rng.choice(values)
    if rng.random() < 0.6:
        written["document_country"] = rng.choice(("BGD", " npl ", "ｕｋｒ", "", None))
    if rng.random() < 0.7:
        written["sex"] = rng.choice(("Female", " male ", "MALE", "x", "", None))
    if rng.random() < 0.7:
        written["citizenship"] = rng.choice(("BGD", "npl ", "Ｔｈａ", "", None))
    return written


def corpus(count: int = 300, seed: int = 2026) -> list[dict]:
    """The fixture's identifiers: a few chosen cases, then random ones."""
    chosen = [
        {"full_name": "Ana Silva", "date_of_birth": date(1990, 3, 2)},
        {"given_name": "Ana", "family_name": "Silva", "date_of_birth": date(1990, 3, 2), "phone": "09812345678",
         "document_number": "P1234567", "document_country": "PRT"},
        {"full_name": "Sita Tamang", "age": 24, "registration_date": date(2025, 3, 9)},
        {"given_name": "Abcdefghijklmnopqrstu", "family_name": "Abcdefghijklmnopqrst", "date_of_birth": date(1984, 5, 6)},
        {"given_name": "Fatima", "date_of_birth": date(1990, 1, 1)},
        {"family_name": "Begum", "date_of_birth": date(1900, 1, 1), "age": 30, "registration_date": date(2020, 1, 1)},
        {"phone": "+977 981-234-5678", "document_number": "P1234567", "document_country": "NPL"},
        {},
    ]
    rng = random.Random(seed)
    return chosen + [_identifiers(rng) for _ in range(count - len(chosen))]


def _to_json(identifiers: dict) -> dict:
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in identifiers.items()}


def _from_json(identifiers: dict) -> dict:
    dated = ("date_of_birth", "registration_date")
    return {name: date.fromisoformat(value) if name in dated and value else value
            for name, value in identifiers.items()}


def _encoded(secret: bytes, identifiers: dict) -> dict:
    """What the fixture holds of one record: its normalised identity and its blocks, in hex."""
    who = normalise_identity(**identifiers)
    blocks = make_encoding_of(secret, who).blocks
    return {
        "identity": json.loads(json.dumps(who._asdict())),
        "blocks": {label: [token, features.hex()] for label, (token, features) in blocks.items()},
        # The order of the blocks is part of the output (the upload's JSON object keeps it).
        "order": list(blocks),
    }


def _write_fixture() -> None:
    records = []
    for at, identifiers in enumerate(corpus()):
        secrets = SECRETS if at < SECOND_SECRET_RECORDS else SECRETS[:1]
        records.append({"identifiers": _to_json(identifiers),
                        "encodings": [_encoded(secret, identifiers) for secret in secrets]})
    fixture = {"secrets": [secret.hex() for secret in SECRETS], "records": records}
    FIXTURE.write_text(json.dumps(fixture, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_the_fixture_holds_the_corpus(fixture):
    assert [record["identifiers"] for record in fixture["records"]] == [_to_json(one) for one in corpus()]


def test_every_record_encodes_as_before(fixture):
    secrets = [bytes.fromhex(secret) for secret in fixture["secrets"]]
    differing = [
        (at, record["identifiers"])
        for at, record in enumerate(fixture["records"])
        for secret, expected in zip(secrets, record["encodings"])
        if _encoded(secret, _from_json(record["identifiers"])) != expected
    ]
    assert differing == []


def test_records_encoded_again_in_another_order_encode_as_before(fixture):
    """Whatever the encoder remembers between records changes nothing: the corpus, reversed and
    twice over, still gives the fixture's bytes."""
    secret = bytes.fromhex(fixture["secrets"][0])
    records = fixture["records"][::-1] * 2
    differing = [at for at, record in enumerate(records)
                 if _encoded(secret, _from_json(record["identifiers"])) != record["encodings"][0]]
    assert differing == []


def test_records_encoded_by_several_threads_at_once_encode_as_before(fixture):
    """Each thread has its own cipher object: threads encoding together still give the fixture's bytes."""
    secret = bytes.fromhex(fixture["secrets"][0])
    records = fixture["records"]

    def differing(start: int) -> list[int]:
        order = records[start:] + records[:start]
        return [at for at, record in enumerate(order)
                if _encoded(secret, _from_json(record["identifiers"])) != record["encodings"][0]]

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(differing, (0, 75, 150, 225))) == [[]] * 4


if __name__ == "__main__":
    _write_fixture()
