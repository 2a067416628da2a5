"""The database engine and the request session.

The session dependency is the one place that commits: services ``flush()``, and a request that
raises rolls back everything it did, so a failed request stores nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from hub.config import get_settings


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        # A writing transaction takes SQLite's write lock at once (IMMEDIATE), so two writers queue
        # instead of failing half-way; a reading one (a GET) begins DEFERRED and reads alongside.
        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            reads_only = connection.get_execution_options().get(READS_ONLY, False)
            connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@functools.cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


READS_ONLY = "hub_reads_only"
_READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    engine = get_engine()
    if request.method in _READING_METHODS:
        engine = engine.execution_options(**{READS_ONLY: True})
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": the commit happens before the response is sent, so a failed commit answers
# 500 instead of a 200 for data that was never stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
