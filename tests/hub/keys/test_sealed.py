"""Linkage features are sealed at rest: unreadable without their keys, and still readable after a rotation."""

from __future__ import annotations

import base64
import json
import shutil

import pytest
from sqlmodel import select

from hub.config import get_settings
from hub.keys.master import MasterKeyMissing, master_keys, read_ring, write_ring
from hub.keys.rotation import retire, rotate
from hub.keys.sealed import features_context, unwrap
from hub.linkage.load import linkage_records
from hub.models import DataKey, Record, SealedFeatures
from privacy.encodings import decode_features
from privacy.sealing import SealBroken, new_key, open_sealed
from tests.factories.sealed import stored_blocks
from tests.factories.submissions import act_as, make_org, random_pairs, upload_row


@pytest.fixture
def own_ring(tmp_path, monkeypatch):
    """A copy of the hub's master keys that this test may rotate and retire."""
    path = tmp_path / "master-keys.json"
    master_keys()  # made on first use in test
    shutil.copy(get_settings().master_key_file, path)
    monkeypatch.setattr(get_settings(), "master_key_file", path)
    return path


def _push(app, client, session, rows=(1, 2, 3, 4), chunks=2, on_invalid="skip") -> str:
    act_as(app, make_org(session))
    opened = client.post("/v1/submissions", json={"dataset": "case-v1", "period": "2026-10",
                                                  "linkage_secret_version": 1, "on_invalid": on_invalid})
    submission_id = opened.json()["id"]
    per_chunk = len(rows) // chunks
    for seq in range(1, chunks + 1):
        part = rows[(seq - 1) * per_chunk: seq * per_chunk]
        response = client.put(f"/v1/submissions/{submission_id}/chunks/{seq}",
                              json={"rows": [upload_row(row) for row in part]})
        assert response.status_code == 200, response.text
    done = client.post(f"/v1/submissions/{submission_id}/complete",
                       json={"expected_chunks": chunks, "random_pairs": random_pairs()})
    assert done.status_code == 200, done.text
    return submission_id


def _feature_tokens(blocks) -> set[bytes]:
    return {int(value).to_bytes(8, "big") for *_, packed in blocks for value in decode_features(packed)[1].tolist()}


class TestSealed:
    def test_the_stored_bytes_show_no_feature_and_open_to_what_the_linker_reads(self, app, client, session):
        submission_id = _push(app, client, session)
        blocks = stored_blocks(session)
        tokens = _feature_tokens(blocks)
        assert len(tokens) > 100
        sealed = session.exec(select(SealedFeatures.sealed).where(SealedFeatures.submission_id == submission_id)).all()
        assert len(sealed) == 2  # one sealed value per chunk, not per row
        assert not [token for token in tokens if any(token in value for value in sealed)]
        keys = sorted(tuple(k) for k in session.exec(select(Record.submission_id, Record.row)).all())
        read = {label: features for r in linkage_records(session, keys) for label, (_, features) in r.blocks.items()}
        assert _feature_tokens([(None, f) for f in read.values()]) <= tokens

    def test_another_master_key_does_not_open_them(self, app, client, session, own_ring):
        _push(app, client, session)
        ring = read_ring(own_ring)
        write_ring(own_ring, type(ring)(ring.current, {ring.current: new_key()}))  # same id, other key
        with pytest.raises(SealBroken):
            stored_blocks(session)
        write_ring(own_ring, type(ring)("mk-other", {"mk-other": new_key()}))  # the hub's key gone
        with pytest.raises(MasterKeyMissing):
            stored_blocks(session)

    def test_a_sealed_chunk_moved_to_another_place_does_not_open(self, app, client, session):
        submission_id = _push(app, client, session)
        data_key = unwrap(master_keys(), session.get(DataKey, submission_id))
        first = session.get(SealedFeatures, (submission_id, 1)).sealed
        assert open_sealed(data_key, first, features_context(submission_id, 1))
        with pytest.raises(SealBroken):
            open_sealed(data_key, first, features_context(submission_id, 2))
        changed = bytearray(first)
        changed[20] ^= 1
        with pytest.raises(SealBroken):
            open_sealed(data_key, bytes(changed), features_context(submission_id, 1))

    def test_a_refused_submission_leaves_no_key_and_no_sealed_features(self, app, client, session):
        act_as(app, make_org(session))
        opened = client.post("/v1/submissions", json={"dataset": "case-v1", "period": "2026-10",
                                                      "linkage_secret_version": 1, "on_invalid": "reject"})
        submission_id = opened.json()["id"]
        rows = [upload_row(1), upload_row(2, gender="Robot")]
        assert client.put(f"/v1/submissions/{submission_id}/chunks/1", json={"rows": rows}).status_code == 200
        assert session.get(DataKey, submission_id) is not None
        done = client.post(f"/v1/submissions/{submission_id}/complete", json={"expected_chunks": 1})
        assert done.json()["status"] == "rejected"
        assert session.get(DataKey, submission_id) is None
        assert session.exec(select(SealedFeatures).where(SealedFeatures.submission_id == submission_id)).all() == []


class TestRotation:
    def test_a_rotation_rewraps_the_data_keys_and_leaves_the_payloads_as_they_were(self, app, client, session,
                                                                                   own_ring):
        submission_id = _push(app, client, session)
        before_blocks = stored_blocks(session)
        before_sealed = session.exec(select(SealedFeatures.chunk, SealedFeatures.sealed)).all()
        old = session.get(DataKey, submission_id)
        old_key_id, old_wrapped = old.key_id, old.wrapped

        rotation = rotate(session)
        session.commit()
        assert rotation.old_key_ids == [old_key_id] and rotation.rewrapped == 1
        renewed = session.get(DataKey, submission_id)
        assert renewed.key_id == rotation.key_id != old_key_id and renewed.wrapped != old_wrapped
        assert session.exec(select(SealedFeatures.chunk, SealedFeatures.sealed)).all() == before_sealed

        with pytest.raises(ValueError, match="current"):
            retire(session, rotation.key_id)
        retire(session, old_key_id)
        assert set(json.loads(own_ring.read_text())["keys"]) == {rotation.key_id}
        assert stored_blocks(session) == before_blocks

    def test_an_old_key_still_in_use_cannot_be_retired(self, app, client, session, own_ring):
        submission_id = _push(app, client, session)
        ring = read_ring(own_ring)
        newer = "mk-newer"
        write_ring(own_ring, type(ring)(newer, {**ring.keys, newer: new_key()}))
        with pytest.raises(ValueError, match="still wrapped"):
            retire(session, session.get(DataKey, submission_id).key_id)
        assert base64.b64decode(json.loads(own_ring.read_text())["keys"][ring.current])


def test_a_reader_opens_each_chunk_once(app, client, session, monkeypatch):
    """Bulk, not per row: one decryption per chunk, however many blocks are read from it."""
    _push(app, client, session, rows=tuple(range(1, 9)), chunks=2)
    calls = []
    from hub.keys import sealed

    real = sealed.open_sealed
    monkeypatch.setattr(sealed, "open_sealed", lambda *a: calls.append(1) or real(*a))
    blocks = stored_blocks(session)
    assert len(blocks) > 8 and len(calls) == 1 + 2  # the data key, then each chunk


def test_production_never_makes_a_master_key_ring(tmp_path, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "master_key_file", tmp_path / "absent.json")
    monkeypatch.setattr(settings, "environment", "production")
    with pytest.raises(RuntimeError, match="no master keys"):
        master_keys()
    assert not (tmp_path / "absent.json").exists()


def test_hub_keys_init_writes_a_ring_once(tmp_path):
    import subprocess

    from tests.factories.databases import HUB

    path = tmp_path / "ring.json"
    made = subprocess.run([HUB, "keys", "init", path], check=False, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    ring = read_ring(path)
    assert list(ring.keys) == [ring.current] and path.stat().st_mode & 0o077 == 0
    again = subprocess.run([HUB, "keys", "init", path], check=False, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and read_ring(path) == ring
