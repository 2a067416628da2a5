"""No direct identifier is ever sent to the hub, stored, logged or put in an answer.

Six demo partners' files (every layout: CSV in three encodings, TSV, XLSX, JSON Lines; names in
several scripts; free-text notes that mention names and phones) are pushed through the real
connector and the hub's API. Then every raw identifier of those files is searched for in what
went over the wire, in a dump of every table of the database, and in the logs.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from connectors.oauth import TokenSource
from connectors.upload import push
from hub.auth.clients import token_endpoint
from hub.demo import generate_demo_data
from hub.models import SQLModel
from hub.models.client import OAuthClient
from schemas import load_schema
from tests.factories.auth import make_client, make_organisation
from tests.hub.demo.partner_files import load_mapping, read_rows

SECRET = b"linkage secret of the test partners"


def raw_identifiers(demo) -> set[str]:
    """Every identifier, case reference and free text of the files, as written and as dates."""
    schema = load_schema()
    secret_fields = {
        f.name for f in schema.fields if f.field_class in ("identifier", "free_text", "reference") and f.type != "enum"
    }
    found = set()
    for slug, paths in demo.partner_files.items():
        mapping = load_mapping(paths[0].parent)
        columns = [column for column, field in mapping["columns"].items() if field in secret_fields]
        for path in paths:
            for row in read_rows(path, mapping):
                for column in columns:
                    value = row.get(column)
                    if isinstance(value, datetime | date):
                        found.add(value.strftime("%Y-%m-%d"))
                    elif value not in (None, ""):
                        found.add(str(value).strip())
    # Short values (a two-letter name part) would match by chance inside hex and codes.
    return {value for value in found if len(value) >= 5}


KEYED = {"tokens", "blocks", "clk", "case_ref", "signature"}


def readable(body: bytes) -> str:
    """A request body as text, keyed material (random hex and base64, by construction) left out."""
    try:
        content = json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")

    def strip(value):
        if isinstance(value, dict):
            return {k: ("<keyed>" if k in KEYED else strip(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(content), ensure_ascii=False)


def database_values(session) -> list[tuple[str, str]]:
    """Every value of every table as text, with its ``table.column``; the hub's own random
    credentials (client ids, secret hashes: base64 text that could spell a short name by chance,
    and that no identifier reaches) as ``<credential>``."""
    credentials = {value for client in session.exec(sa.select(OAuthClient)).scalars()
                   for value in (client.client_id, client.secret_hash) if value}
    found = []
    for table in SQLModel.metadata.sorted_tables:
        names = [column.name for column in table.columns]
        for row in session.execute(sa.select(table)).all():
            for name, value in zip(names, row, strict=True):
                if isinstance(value, bytes):
                    # As text, as an identifier stored in bytes would read. Keyed tokens are random
                    # bytes that almost never decode; as hex or latin-1 they would spell short names
                    # by chance and make the test flaky.
                    try:
                        value = value.decode("utf-8")
                    except UnicodeDecodeError:
                        continue
                text = str(value)
                for credential in credentials:
                    text = text.replace(credential, "<credential>")
                found.append((f"{table.name}.{name}", text))
    return found


def leaks(values: set[str], haystack: str) -> list[str]:
    folded = haystack.casefold()
    return sorted(v for v in values if v.casefold() in folded)


def leaks_where(values: set[str], stored: list[tuple[str, str]]) -> list[str]:
    """Each leaked value with the ``table.column`` of a stored value that holds it."""
    texts = [text.casefold() for _, text in stored]
    return [f"{value} in {stored[next(at for at, text in enumerate(texts) if value.casefold() in text)][0]}"
            for value in leaks(values, "\n".join(texts))]


@pytest.fixture
def pushed(client, session, tmp_path, caplog):
    """Push every file of six demo partners; what was sent and the log."""
    caplog.set_level(logging.DEBUG)
    demo = generate_demo_data(tmp_path / "demo", partners=6, persons=120, seed=5)
    sent: list[str] = []
    client.event_hooks["request"] = [lambda request: sent.append(str(request.url) + readable(request.read()))]
    receipts = []
    for slug, paths in demo.partner_files.items():
        credentials = make_client(session, make_organisation(session, slug), ["submissions:write"])
        tokens = TokenSource(token_endpoint(), credentials["client_id"], client_secret=credentials["client_secret"])
        for path in paths:
            receipts.append(
                push(path, path.stem, mapping=demo.mapping_files[slug], http=client, tokens=tokens,
                     linkage_secret=SECRET, linkage_secret_version=1, on_invalid="skip", progress=False,
                     state_dir=tmp_path / "state")
            )
    return demo, receipts, "\n".join(sent), caplog.text


def test_the_files_were_really_pushed(pushed):
    demo, receipts, sent, _ = pushed
    assert sum(r["accepted"] for r in receipts) == demo.records
    assert len(raw_identifiers(demo)) > 500


def test_no_identifier_is_sent_to_the_hub(pushed):
    demo, _, sent, _ = pushed
    assert leaks(raw_identifiers(demo), sent) == []


def test_no_identifier_is_stored(pushed, session):
    demo, *_ = pushed
    assert leaks_where(raw_identifiers(demo), database_values(session)) == []


def test_no_identifier_is_logged_or_answered(pushed):
    demo, receipts, _, log = pushed
    # Signatures are random base64 text, which could spell a short name by chance: leave them out.
    answers = repr([{k: v for k, v in receipt.items() if k != "signature"} for receipt in receipts])
    assert leaks(raw_identifiers(demo), log + answers) == []


def test_the_search_finds_a_planted_identifier(pushed, session):
    """The control: the same search does see an identifier where one is stored."""
    demo, *_ = pushed
    planted = sorted(raw_identifiers(demo))[0]
    make_organisation(session, f"Shelter of {planted}")
    assert leaks_where(raw_identifiers(demo), database_values(session)) == [f"{planted} in organisation.name"]
