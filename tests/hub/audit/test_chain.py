"""The audit chain: appended with its action, refused when rewritten, and naming the first broken entry."""

from __future__ import annotations

import itertools
import json
import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from hub.audit import AuditEvent, record
from hub.audit.chain import CHECKPOINT_EVERY, entry_hash, hash_of
from hub.audit.verify import verify_chain
from hub.db import make_engine
from hub.models import AuditCheckpoint, AuditEntry, AuditHead
from tests.factories.databases import fresh_database
from tests.hub.audit.tampering import change_entry, delete_entry, disable_append_only, swap_entries


def _append(session: Session, how_many: int) -> list[int]:
    head = session.get(AuditHead, 1).seq
    for i in range(how_many):
        record(session, AuditEvent.submission_created, actor="c_test", organisation_id="org1",
               subject=f"sub{i}", period="2025-10", version="1")
    session.commit()
    return list(range(head + 1, head + how_many + 1))


def _entries(session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).order_by(AuditEntry.seq)))


class TestAppending:
    def test_entries_are_written_at_commit_each_holding_the_previous_hash(self, session):
        before = session.get(AuditHead, 1).seq
        record(session, AuditEvent.client_created, actor="cli", organisation_id="org1", subject="c_one")
        assert session.get(AuditHead, 1).seq == before  # noted, not yet written
        _append(session, 3)
        entries = [session.get(AuditEntry, seq) for seq in range(before + 1, session.get(AuditHead, 1).seq + 1)]
        assert [e.kind for e in entries] == ["client.created", *["submission.created"] * 3]
        for previous, entry in itertools.pairwise(entries):
            assert entry.prev_hash == previous.entry_hash
            assert entry.entry_hash == hash_of(entry)
        assert session.get(AuditHead, 1).entry_hash == entries[-1].entry_hash
        assert verify_chain(session).ok

    def test_a_rolled_back_action_leaves_no_entry(self, session):
        before = session.get(AuditHead, 1).seq
        record(session, AuditEvent.client_revoked, actor="cli", subject="c_gone")
        session.rollback()
        session.commit()
        assert session.get(AuditHead, 1).seq == before
        assert session.get(AuditEntry, before + 1) is None

    def test_every_hundredth_entry_is_anchored_by_a_signed_checkpoint(self, session):
        head = session.get(AuditHead, 1).seq
        _append(session, CHECKPOINT_EVERY - head % CHECKPOINT_EVERY + 1)
        anchored = (head // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY
        checkpoint = session.get(AuditCheckpoint, anchored)
        assert checkpoint is not None and checkpoint.entry_hash == session.get(AuditEntry, anchored).entry_hash
        check = verify_chain(session)
        assert check.ok and check.anchored_through == anchored

    @pytest.mark.parametrize("details", [
        {"reason": "the partner Asha Tamang asked"},  # free text
        {"accepted": "12"},  # not a key on the list
        {"period": 12},  # a number
        {"cohorts": ["2025-10", "Fatima Rai"]},
    ])
    def test_free_text_unknown_keys_and_numbers_are_refused(self, session, details):
        with pytest.raises(ValueError):
            record(session, AuditEvent.report_published, **details)

    def test_the_database_refuses_to_update_or_delete_an_entry(self, session):
        (seq,) = _append(session, 1)
        for statement in ("UPDATE audit_entry SET kind = 'x' WHERE seq = :seq", "DELETE FROM audit_entry WHERE seq = :seq"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), session.begin_nested():
                session.execute(sa.text(statement), {"seq": seq})


class TestVerification:
    @pytest.fixture
    def chain(self, session) -> list[int]:
        seqs = _append(session, 6)
        assert verify_chain(session).ok
        disable_append_only(session.connection())
        return seqs

    def test_a_changed_entry_is_named(self, session, chain):
        change_entry(session.connection(), chain[2])
        check = verify_chain(session)
        assert (check.first_broken, check.problem) == (chain[2], f"entry {chain[2]} was changed after it was written")

    def test_a_deleted_entry_is_named(self, session, chain):
        delete_entry(session.connection(), chain[3])
        check = verify_chain(session)
        assert check.first_broken == chain[3] and "missing" in check.problem

    def test_reordered_entries_are_named(self, session, chain):
        swap_entries(session.connection(), chain[1], chain[4])
        check = verify_chain(session)
        assert check.first_broken == chain[1]

    def test_a_deleted_last_entry_is_caught_by_the_head(self, session, chain):
        delete_entry(session.connection(), chain[-1])
        check = verify_chain(session)
        assert check.first_broken == chain[-1] and "head" in check.problem

    def test_a_chain_rewritten_whole_is_caught_by_its_signed_checkpoint(self, session, chain):
        """Every hash recomputed after a change: each link holds, the signed checkpoint does not."""
        session.execute(sa.text("DELETE FROM audit_checkpoint"))
        session.add(_checkpoint_of(session.get(AuditEntry, chain[-1])))
        session.flush()
        assert verify_chain(session).ok
        change_entry(session.connection(), chain[2])
        _rehash_from(session, chain[2])
        check = verify_chain(session)
        assert check.first_broken == 1 and "rewritten" in check.problem

    def test_a_checkpoint_not_signed_by_the_hub_is_caught(self, session, chain):
        checkpoint = _checkpoint_of(session.get(AuditEntry, chain[-1]))
        checkpoint.at = "2000-01-01T00:00:00.000000Z"  # no longer what was signed
        session.add(checkpoint)
        session.flush()
        assert verify_chain(session).first_broken == chain[-1]


def _checkpoint_of(entry: AuditEntry) -> AuditCheckpoint:
    from hub.audit.chain import make_checkpoint

    return make_checkpoint(entry.seq, entry.entry_hash)


def _rehash_from(session: Session, seq: int) -> None:
    """What a careful forger does after changing entry ``seq``: recompute every hash after it, and the head."""
    previous = session.get(AuditEntry, seq - 1).entry_hash if seq > 1 else "0" * 64
    for entry in session.exec(select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)).all():
        session.refresh(entry)
        digest = entry_hash(entry.seq, entry.at, entry.kind, entry.actor, entry.organisation_id, entry.subject,
                            entry.details, previous)
        session.execute(sa.text("UPDATE audit_entry SET prev_hash = :p, entry_hash = :h WHERE seq = :s"),
                        {"p": previous, "h": digest, "s": entry.seq})
        previous = digest
    session.execute(sa.text("UPDATE audit_head SET entry_hash = :h"), {"h": previous})
    session.expire_all()


def test_concurrent_writers_append_one_after_the_other(tmp_path):
    """Eight sessions append at once, several entries each: one chain, no gap, no fork, no error."""
    engine = make_engine(fresh_database(tmp_path, "audit_concurrent"))
    writers, each, errors = 8, 5, []
    start = threading.Barrier(writers)

    def write(writer: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with Session(engine) as session:
                    record(session, AuditEvent.token_issued, actor=f"c_{writer}", scopes=["reports:read"])
                    session.execute(sa.text("SELECT 1"))  # a transaction's own work before its commit
                    session.commit()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        entries = _entries(session)
        check = verify_chain(session)
    engine.dispose()
    assert errors == []
    assert [e.seq for e in entries] == list(range(1, writers * each + 1))
    assert len({e.prev_hash for e in entries}) == len(entries)
    assert check.ok, check.problem
    assert sorted(json.loads(e.details)["scopes"] == ["reports:read"] for e in entries) == [True] * len(entries)
