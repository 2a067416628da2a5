"""Rotating the hub's signing key: a new key added and made current, old signatures still verifying
under their kid, a retired key signing nothing, and every step on the audit log."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from joserfc import jws, jwt
from joserfc.jwk import ECKey, KeySet
from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.audit.chain import CHECKPOINT_TYPE, make_checkpoint
from hub.audit.verify import verify_chain
from hub.auth.keys import public_jwks, signing_key, signing_ring
from hub.cli import keys as keys_cli
from hub.cli import main as hub_cli
from hub.config import get_settings
from hub.keys import signing
from hub.keys.signing import SigningKeyError
from hub.models import AuditCheckpoint, AuditEntry, AuditHead
from hub.signing import canonical, sign, signed_by
from tests.factories.auth import bearer, make_client, make_organisation
from tests.hub.audit.tampering import disable_append_only


@pytest.fixture
def ring_file(tmp_path, monkeypatch):
    """The hub's signing key file, for this test only: a copy of the suite's ring, so that what the
    suite signed before (checkpoints a test really committed) still verifies, and rotating it here
    changes nothing for other tests."""
    path = tmp_path / "signing-ring.json"
    signing.write_ring(path, signing_ring())
    monkeypatch.setattr(get_settings(), "signing_key_file", path)
    return path


def _append(session: Session, how_many: int = 3) -> int:
    for number in range(how_many):
        record(session, AuditEvent.submission_created, actor="c_test", organisation_id="org1",
               subject=f"sub{number}", period="2025-10", version="1")
    session.commit()
    return session.get(AuditHead, 1).seq


def _anchor(session: Session) -> AuditCheckpoint:
    """A signed checkpoint of the chain's last entry, by the current key."""
    head = session.get(AuditHead, 1)
    checkpoint = make_checkpoint(head.seq, head.entry_hash)
    session.add(checkpoint)
    session.flush()
    return checkpoint


def _kid(signature: str) -> str:
    return jws.extract_compact(signature.encode()).headers()["kid"]


class TestTheRing:
    def test_an_added_key_is_published_but_signs_nothing_until_made_current(self, ring_file):
        old = signing_key().kid
        new = signing.add_key(ring_file)
        assert [key["kid"] for key in public_jwks()["keys"]] == [old, new]
        assert _kid(sign({"a": 1}, "test")) == old
        signing.make_current(ring_file, new)
        assert signing_key().kid == new and _kid(sign({"a": 1}, "test")) == new

    def test_a_retired_key_loses_its_private_half_and_cannot_be_made_current(self, ring_file):
        old = signing_key().kid
        signing.add_key(ring_file, make_current=True)
        signing.retire_key(ring_file, old)
        stored = {item["jwk"]["kid"]: item for item in json.loads(ring_file.read_text())["keys"]}
        assert "d" not in stored[old]["jwk"] and stored[old]["retired_at"]
        assert not signing_ring().get(old).key.is_private
        with pytest.raises(SigningKeyError, match="retired"):
            signing.make_current(ring_file, old)
        assert old in [key["kid"] for key in public_jwks()["keys"]]  # what it signed still verifies

    def test_the_current_key_cannot_be_retired(self, ring_file):
        with pytest.raises(SigningKeyError, match="current"):
            signing.retire_key(ring_file, signing_key().kid)
        assert signing_key().is_private

    def test_an_unknown_kid_is_refused(self, ring_file):
        with pytest.raises(SigningKeyError, match="no key"):
            signing.make_current(ring_file, "not-a-kid")

    def test_a_file_of_one_jwk_reads_as_a_ring_and_keeps_its_key_through_a_rotation(self, tmp_path, monkeypatch):
        path = tmp_path / "one-key.json"
        key = ECKey.generate_key("P-256", private=True, auto_kid=True)
        path.write_text(json.dumps(key.as_dict(private=True)))
        path.chmod(0o600)
        monkeypatch.setattr(get_settings(), "signing_key_file", path)
        assert signing_key().kid == key.kid
        new = signing.add_key(path, make_current=True)
        assert signing_key().kid == new and signing_ring().get(key.kid).key.is_private

    def test_receipts_signed_before_a_rotation_still_verify_with_the_published_keys(self, ring_file):
        before = sign({"receipt": 1}, "hub-receipt+jws")
        old = signing_key().kid
        signing.add_key(ring_file, make_current=True)
        signing.retire_key(ring_file, old)
        keys = KeySet.import_key_set(public_jwks())
        assert json.loads(jws.deserialize_compact(before, keys).payload) == {"receipt": 1}
        assert signed_by(before, "hub-receipt+jws")[1:] == (old, signing_ring().get(old).retired_at)


class TestCheckpointsAcrossARotation:
    def test_old_checkpoints_verify_under_their_kid_after_rotation_and_retirement(self, ring_file, session):
        _append(session)
        first = _anchor(session)
        old = signing_key().kid
        signing.add_key(ring_file, make_current=True)
        _append(session)
        second = _anchor(session)
        assert (_kid(first.signature), _kid(second.signature)) == (old, signing_key().kid)
        assert verify_chain(session).ok
        signing.retire_key(ring_file, old)
        check = verify_chain(session)
        assert check.ok and check.anchored_through == second.seq

    def test_a_tampered_checkpoint_fails_verification(self, ring_file, session):
        _append(session)
        checkpoint = _anchor(session)
        signing.add_key(ring_file, make_current=True)
        _append(session)
        _anchor(session)
        disable_append_only(session.connection())
        session.execute(AuditCheckpoint.__table__.update().where(AuditCheckpoint.seq == checkpoint.seq)
                        .values(at="2000-01-01T00:00:00.000000Z"))  # no longer what its key signed
        session.expire_all()
        check = verify_chain(session)
        assert check.first_broken == checkpoint.seq and "not signed by this hub's key" in check.problem

    def test_a_checkpoint_under_an_unknown_kid_fails_verification(self, ring_file, session):
        seq = _append(session)
        stranger = ECKey.generate_key("P-256", private=True, auto_kid=True)
        entry = session.get(AuditEntry, seq)
        at = "2026-12-01T00:00:00.000000Z"
        forged = jws.serialize_compact({"alg": "ES256", "kid": stranger.kid, "typ": CHECKPOINT_TYPE},
                                       canonical({"seq": seq, "entry_hash": entry.entry_hash, "at": at}), stranger)
        session.add(AuditCheckpoint(seq=seq, entry_hash=entry.entry_hash, at=at, signature=forged))
        session.flush()
        check = verify_chain(session)
        assert check.first_broken == seq and "a key this hub does not know" in check.problem
        assert stranger.kid not in check.problem

    def test_a_key_that_leaves_the_ring_takes_the_trust_in_its_checkpoints_with_it(self, ring_file, session):
        removed = signing.add_key(ring_file, make_current=True)
        _append(session)
        checkpoint = _anchor(session)
        signing.add_key(ring_file, make_current=True)
        ring = signing_ring()
        signing.write_ring(ring_file, signing.SigningRing(ring.current, tuple(
            entry for entry in ring.keys if entry.kid != removed)))
        check = verify_chain(session)
        assert check.first_broken == checkpoint.seq and "does not know" in check.problem

    def test_a_checkpoint_dated_after_its_key_was_retired_fails_verification(self, ring_file, session):
        seq = _append(session)
        entry = session.get(AuditEntry, seq)
        late = "2999-01-01T00:00:00.000000Z"  # what a holder of the old private key would claim
        old = signing_key()
        signature = jws.serialize_compact({"alg": "ES256", "kid": old.kid, "typ": CHECKPOINT_TYPE},
                                          canonical({"seq": seq, "entry_hash": entry.entry_hash, "at": late}), old)
        session.add(AuditCheckpoint(seq=seq, entry_hash=entry.entry_hash, at=late, signature=signature))
        session.flush()
        assert verify_chain(session).ok  # while the key is active, its signature holds
        signing.add_key(ring_file, make_current=True)
        signing.retire_key(ring_file, old.kid)
        check = verify_chain(session)
        assert check.first_broken == seq and "after its signing key was retired" in check.problem


class TestAccessTokens:
    def test_a_token_of_the_previous_key_is_accepted_until_that_key_is_retired(self, ring_file, client, session):
        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        old = _kid(headers["Authorization"].removeprefix("Bearer "))
        signing.add_key(ring_file, make_current=True)
        assert client.get("/v1/reports", headers=headers).status_code != 401
        signing.retire_key(ring_file, old)
        response = client.get("/v1/reports", headers=headers)
        assert response.status_code == 401
        assert "not signed with a key this hub signs with" in response.json()["detail"]

    def test_new_tokens_are_signed_with_the_new_key_and_verify_with_the_jwks(self, ring_file, client, session):
        new = signing.add_key(ring_file, make_current=True)
        headers = bearer(client, make_client(session, make_organisation(session), ["reports:read"]))
        token = headers["Authorization"].removeprefix("Bearer ")
        published = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
        assert jwt.decode(token, published, algorithms=["ES256"]).header["kid"] == new


class TestCommands:
    @pytest.fixture
    def cli(self, ring_file, session, monkeypatch):
        monkeypatch.setattr(keys_cli, "open_session", lambda: Session(
            bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False))

        def run(*arguments):
            return CliRunner().invoke(hub_cli, ["keys", "signing", *arguments])

        return run

    def test_add_use_retire_and_status(self, cli, session):
        old = signing_key().kid
        added = cli("add")
        assert added.exit_code == 0, added.output
        new = added.stdout.strip()
        assert signing_key().kid == old
        assert cli("use", new).exit_code == 0 and signing_key().kid == new
        assert cli("retire", old).exit_code == 0
        shown = cli("status").stdout.splitlines()
        assert shown[0] == f"{new}  current" and shown[1].startswith(f"{old}  retired since ")
        kinds = [entry.kind for entry in session.exec(select(AuditEntry).order_by(AuditEntry.seq))][-3:]
        assert kinds == ["signing-key.added", "signing-key.current", "signing-key.retired"]
        check = verify_chain(session)
        assert check.ok, check.problem

    def test_retiring_the_current_key_is_refused(self, cli):
        refused = cli("retire", signing_key().kid)
        assert refused.exit_code != 0 and "current" in refused.stderr


def test_a_new_key_s_kid_never_reads_as_a_command_line_option():
    kids = [signing.new_key().kid for _ in range(200)]
    assert all(kid.startswith(signing.KID_PREFIX) for kid in kids) and len(set(kids)) == 200
