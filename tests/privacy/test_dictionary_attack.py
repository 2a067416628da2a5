"""What is stored is keyed: a dictionary of unkeyed hashes of name + date of birth recovers nothing."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from privacy.payload import make_linkage_payload

SECRET = b"test linkage secret of 32 bytes!"


def test_a_dictionary_of_all_birth_dates_for_a_known_name_matches_no_token():
    payload = make_linkage_payload(SECRET, full_name="Ana Silva", date_of_birth=date(1994, 6, 17),
                                   citizenship="PRT", sex="Female")
    sent = set(payload.tokens.values()) | set(payload.blocks.values())
    spellings = ("ana silva", "silva ana", "Ana Silva", "anasilva")
    day, guesses = date(1940, 1, 1), set()
    while day < date(2011, 1, 1):
        for name in spellings:
            for shown in (day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%Y%m%d")):
                for glue in ("", " ", "|", "\x1f"):
                    guesses.add(hashlib.sha256(f"{name}{glue}{shown}".encode()).hexdigest())
        day += timedelta(days=1)
    assert len(guesses) > 1_000_000
    assert not sent & guesses
    assert payload.clk.hex() not in guesses


def test_the_hub_cannot_compute_a_token_from_a_name_without_the_secret():
    ours = make_linkage_payload(SECRET, full_name="Ana Silva", date_of_birth=date(1994, 6, 17))
    guessed = make_linkage_payload(b"the hub's best guess at a secret", full_name="Ana Silva",
                                   date_of_birth=date(1994, 6, 17))
    assert not set(ours.tokens.values()) & set(guessed.tokens.values())
    assert not set(ours.blocks.values()) & set(guessed.blocks.values())
