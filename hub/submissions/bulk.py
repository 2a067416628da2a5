"""Bulk insertion of records and tokens: COPY on PostgreSQL, batched executemany elsewhere.

Both run on the request's own connection and transaction, so a chunk is stored whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table`` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        driver_connection = connection.connection.driver_connection
        column_list = ", ".join(f'"{c}"' for c in columns)
        statement = f'COPY "{table.name}" ({column_list}) FROM STDIN'
        try:
            with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.errors.IntegrityError as error:
            # Raised by the driver itself, below SQLAlchemy: give callers SQLAlchemy's exception.
            raise IntegrityError(statement, None, error) from error
        return
    placeholders = ", ".join("?" for _ in columns)
    column_list = ", ".join(f'"{c}"' for c in columns)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({column_list}) VALUES ({placeholders})', list(rows))
