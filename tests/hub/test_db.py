"""SQLite transactions: writers take the write lock at once, readers read alongside them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from hub.db import READS_ONLY, make_engine


def begins(engine: sa.Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: seen.append(statement))
    return seen


def test_a_writer_begins_immediate_and_a_reader_deferred(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    statements = begins(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT 1")
    with engine.execution_options(**{READS_ONLY: True}).begin() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]
    engine.dispose()


def test_a_reader_is_not_blocked_by_a_writer(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.begin() as writer:
        writer.exec_driver_sql("INSERT INTO t VALUES (1)")
        reader_engine = engine.execution_options(**{READS_ONLY: True})
        with reader_engine.begin() as reader:  # would wait 30 s for the lock if it began IMMEDIATE
            assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar_one() == 0
    engine.dispose()
