"""What the hub stores of linkage is useless without its own secret, and never leaves through the API."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlmodel import select

from connectors.upload import push
from hub.models import Record, RecordBlock, RecordToken
from privacy.payload import make_linkage_payload
from tests.factories.databases import ROOT
from tests.factories.submissions import act_as, make_org

SECRET = b"the partners' shared linkage secret"
BORN = date(1994, 6, 17)


@pytest.fixture
def stored(app, client, session, tmp_path):
    """Ana Silva's record pushed by a partner; what the hub stored of its linkage material."""
    act_as(app, make_org(session))
    export = tmp_path / "cases.csv"
    export.write_text(f"case_reference,registration_date,full_name,date_of_birth,citizenship\n"
                      f"A-1,2026-01-05,Ana Silva,{BORN.isoformat()},PRT\n")
    receipt = push(export, "2026-01", http=client, tokens=None, linkage_secret=SECRET, linkage_secret_version=1,
                   progress=False, state_dir=tmp_path / "state")
    tokens = set(session.exec(select(RecordToken.token)).all()) | set(session.exec(select(RecordBlock.token)).all())
    clk = session.exec(select(Record.clk)).one()
    return receipt, tokens, clk


def test_a_dictionary_of_unkeyed_hashes_recovers_nothing_from_the_database(stored):
    _, tokens, _ = stored
    guesses, day = set(), date(1940, 1, 1)
    while day < date(2011, 1, 1):
        for name in ("ana silva", "silva ana", "Ana Silva"):
            for shown in (day.isoformat(), day.strftime("%d/%m/%Y")):
                for glue in ("", " ", "|", "\x1f"):
                    guesses.add(hashlib.sha256(f"{name}{glue}{shown}".encode()).digest())
        day += timedelta(days=1)
    assert len(tokens) > 5 and not tokens & guesses


def test_a_partner_holding_the_linkage_secret_cannot_find_its_tokens_in_the_database(stored):
    _, tokens, clk = stored
    own = make_linkage_payload(SECRET, full_name="Ana Silva", date_of_birth=BORN, citizenship="PRT")
    sent = {bytes.fromhex(t) for t in [*own.tokens.values(), *own.blocks.values()]}
    assert len(sent) == len(tokens)
    assert not sent & tokens
    assert clk != own.clk


def test_the_hub_holds_no_linkage_secret_and_never_makes_tokens():
    """Only the connector turns names into tokens; the hub (but for its demo, which plays a partner)
    has neither the secret nor a call to the functions that would need it."""
    from hub.config import Settings

    assert not [name for name in Settings.model_fields if "linkage_secret" in name and name != "linkage_secret_version"]
    makers = ("make_match_keys", "make_linkage_payload", "make_clk", "make_blocking_keys", "make_case_ref")
    hub_sources = [p for p in (ROOT / "hub").rglob("*.py") if "demo" not in p.parts]
    calls = [(p.name, m) for p in hub_sources for m in makers if m in p.read_text()]
    assert calls == []


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_token_or_clk_leaves_through_the_api(stored, client):
    receipt, tokens, clk = stored
    submission_id = receipt["submission_id"]
    answers = [
        client.get(path)
        for path in ("/v1/submissions", f"/v1/submissions/{submission_id}", f"/v1/submissions/{submission_id}/receipt")
    ]
    text = "".join(answer.text for answer in answers)
    for secret_bytes in [*tokens, clk]:
        assert secret_bytes.hex() not in text
    # No field of any answer carries linkage material (signatures are random text: look at names).
    assert not [k for a in answers for k in _keys(a.json()) if "clk" in k or "token" in k or "block" in k]
