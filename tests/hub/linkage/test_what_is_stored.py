"""What the hub stores of linkage is useless without its own secret, and never leaves through the API."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from connectors.upload import push
from privacy.encodings import decode_features, make_encoding
from tests.factories.databases import ROOT
from tests.factories.sealed import stored_blocks
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
    blocks = [(token, features) for *_, token, features in stored_blocks(session)]
    tokens = {token for token, _ in blocks}
    features = {int(value).to_bytes(8, "big") for _, packed in blocks for value in decode_features(packed)[1].tolist()}
    return receipt, tokens, features


def test_a_dictionary_of_unkeyed_hashes_recovers_nothing_from_the_database(stored):
    _, tokens, features = stored
    guesses, day = set(), date(1940, 1, 1)
    while day < date(2011, 1, 1):
        for name in ("ana silva", "silva ana", "Ana Silva"):
            for shown in (day.isoformat(), day.strftime("%d/%m/%Y")):
                for glue in ("", " ", "|", "\x1f"):
                    guesses.add(hashlib.sha256(f"{name}{glue}{shown}".encode()).digest())
        day += timedelta(days=1)
    assert len(tokens) == 4 and len(features) > 50
    assert not tokens & guesses
    assert not features & {guess[:8] for guess in guesses}


def test_a_partner_holding_the_linkage_secret_cannot_find_its_tokens_in_the_database(stored):
    _, tokens, features = stored
    own = make_encoding(SECRET, full_name="Ana Silva", date_of_birth=BORN, citizenship="PRT")
    sent_blocks = {bytes.fromhex(token) for token, _ in own.blocks.values()}
    sent_features = {int(value).to_bytes(8, "big") for _, packed in own.blocks.values()
                     for value in decode_features(packed)[1].tolist()}
    assert len(sent_blocks) == len(tokens) and len(sent_features) == len(features)
    assert not sent_blocks & tokens
    assert not sent_features & features


def test_the_hub_holds_no_linkage_secret_and_never_makes_tokens():
    """Only the connector turns names into tokens; the hub (but for its demo, which plays a partner)
    has neither the secret nor a call to the functions that would need it."""
    from hub.config import Settings

    assert not [name for name in Settings.model_fields if "linkage_secret" in name and name != "linkage_secret_version"]
    makers = ("make_encoding", "features_of", "feature_digests", "random_pair_levels", "make_case_ref", "linkage_token")
    hub_sources = [p for p in (ROOT / "hub").rglob("*.py") if "demo" not in p.parts]
    calls = [(p.name, m) for p in hub_sources for m in makers if m in p.read_text()]
    assert calls == []


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_token_or_feature_leaves_through_the_api(stored, client):
    receipt, tokens, features = stored
    submission_id = receipt["submission_id"]
    answers = [
        client.get(path)
        for path in ("/v1/submissions", f"/v1/submissions/{submission_id}", f"/v1/submissions/{submission_id}/receipt")
    ]
    text = "".join(answer.text for answer in answers)
    for secret_bytes in [*tokens, *features]:
        assert secret_bytes.hex() not in text
    # No field of any answer carries linkage material (signatures are random text: look at names).
    assert not [k for a in answers for k in _keys(a.json())
                if any(word in k for word in ("feature", "token", "block", "pairs", "level"))]
