"""What is stored is keyed: a dictionary of unkeyed hashes of names and dates recovers nothing."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from privacy.encodings import decode_features, make_encoding

SECRET = b"test linkage secret of 32 bytes!"


def _sent(encoding) -> set[bytes]:
    """Every 8-byte value sent: the block tokens' first 8 bytes and every feature token."""
    found = set()
    for token, features in encoding.blocks.values():
        found.add(bytes.fromhex(token)[:8])
        found.update(int(value).to_bytes(8, "big") for value in decode_features(features)[1].tolist())
    return found


def test_a_dictionary_of_all_birth_dates_for_a_known_name_matches_no_token():
    sent = _sent(make_encoding(SECRET, full_name="Ana Silva", date_of_birth=date(1994, 6, 17), citizenship="PRT",
                               sex="Female"))
    spellings = ("ana", "silva", "ana silva", "silva ana", "Ana Silva", "anasilva")
    day, guesses = date(1940, 1, 1), set()
    while day < date(2011, 1, 1):
        for shown in (day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%Y%m%d"), str(day.year)):
            guesses.add(hashlib.sha256(shown.encode()).digest()[:8])
            for name in spellings:
                for glue in ("", " ", "|", "\x1f"):
                    guesses.add(hashlib.sha256(f"{name}{glue}{shown}".encode()).digest()[:8])
        day += timedelta(days=1)
    assert len(guesses) > 1_000_000
    assert not sent & guesses


def test_the_hub_cannot_compute_an_encoding_from_a_name_without_the_secret():
    ours = make_encoding(SECRET, full_name="Ana Silva", date_of_birth=date(1994, 6, 17))
    guessed = make_encoding(b"the hub's best guess at a secret", full_name="Ana Silva", date_of_birth=date(1994, 6, 17))
    assert len(_sent(ours)) > 50
    assert not _sent(ours) & _sent(guessed)
