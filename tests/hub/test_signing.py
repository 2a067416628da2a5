"""Releases and receipts carry the hub's signature, which a reader checks with the published JWKS."""

from __future__ import annotations

import json

from joserfc import jws
from joserfc.jwk import KeySet

from hub.reports.service import publish
from tests.factories.data import push_demo
from tests.factories.submissions import act_as, make_org, upload_row


def verify(client, signature: str) -> dict:
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    return json.loads(jws.deserialize_compact(signature, keys).payload)


def test_a_release_signature_vouches_for_its_content_hash(client, session, tmp_path):
    demo = push_demo(client, session, tmp_path)
    release = publish(session, demo.months[-1])[0]
    assert verify(client, release.signature) == {"release_id": release.id, "content_hash": release.content_hash}


def test_a_receipt_signature_vouches_for_the_receipt(app, client, session):
    act_as(app, make_org(session))
    opened = client.post("/v1/submissions", json={"period": "2026-10", "linkage_secret_version": 1}).json()["id"]
    client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [upload_row(1)]})
    receipt = client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 1}).json()
    signed = verify(client, receipt.pop("signature"))
    assert signed == receipt


def test_a_forged_receipt_does_not_verify(app, client, session):
    import pytest
    from joserfc.errors import BadSignatureError

    act_as(app, make_org(session))
    opened = client.post("/v1/submissions", json={"period": "2026-10", "linkage_secret_version": 1}).json()["id"]
    client.put(f"/v1/submissions/{opened}/chunks/1", json={"rows": [upload_row(1)]})
    signature = client.post(f"/v1/submissions/{opened}/complete", json={"expected_chunks": 1}).json()["signature"]
    header, payload, sig = signature.split(".")
    import base64

    forged = base64.urlsafe_b64encode(json.dumps({"accepted": 1000}).encode()).decode().rstrip("=")
    with pytest.raises(BadSignatureError):
        verify(client, f"{header}.{forged}.{sig}")
