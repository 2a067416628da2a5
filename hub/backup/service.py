"""Backing the whole database up into one encrypted file, and restoring it into an empty database.

The backup reads every table in one snapshot (REPEATABLE READ on PostgreSQL; one read
transaction on SQLite), in the metadata's dependency order, a few thousand rows a frame. The
restore writes each frame with COPY on PostgreSQL (batched inserts on SQLite), the values passed
through each column's own conversion first, as an INSERT would pass them. What is
sealed at rest stays sealed inside it (the features under their data keys, the data keys under
their master keys): restoring needs the same master keys, never only the backup. The restore
checks every frame and the manifest inside one transaction and commits only if all of it holds,
so a damaged backup leaves the empty database empty. It ends with an audit entry, appended to the
chain the backup carried.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine, func, select, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from hub.audit import AuditEvent, record
from hub.audit.chain import HEAD_ID
from hub.backup.archive import ArchiveWriter, BackupBroken, read_frames
from hub.db import READS_ONLY
from hub.keys.master import master_keys
from hub.models import SQLModel
from hub.models.audit import GENESIS_HASH
from hub.submissions.bulk import insert_rows

ROWS_PER_FRAME = 5_000


@dataclass(frozen=True)
class BackupOutcome:
    tables: int
    revision: str
    key_id: str


def _revision(connection) -> str:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def _encode(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _python_type(column: sa.Column) -> type | None:
    kind = column.type
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _decode(column: sa.Column, value):
    if value is None:
        return None
    kind = _python_type(column)
    if kind is bytes:
        return base64.b64decode(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    return value  # exact decimals take their text; JSON, strings, numbers and flags come as they were


def _converters(table: sa.Table, dialect) -> list[tuple[int, Callable]]:
    """For each column whose stored value needs it, its position and what turns a backup's value
    into what an INSERT would hand the driver: the backup's decoding (base64, ISO time), then the
    column type's own conversion (an aware datetime to UTC, a flag to 0/1 on SQLite...)."""
    found = []
    for position, column in enumerate(table.columns):
        decode = {bytes: binascii.a2b_base64, datetime: datetime.fromisoformat}.get(_python_type(column))
        bind = column.type.dialect_impl(dialect).bind_processor(dialect)
        if decode and bind:
            found.append((position, lambda value, decode=decode, bind=bind: bind(decode(value))))
        elif decode or bind:
            found.append((position, decode or bind))
    return found


def _write_rows(session: Session, table: sa.Table, rows: list[list]) -> None:
    """Write one frame's rows (as the backup holds them, in the table's column order): COPY on PostgreSQL."""
    connection = session.connection()
    width, converters = len(table.columns), _converters(table, connection.dialect)
    for row in rows:
        if len(row) != width:
            raise BackupBroken(f"a row of {table.name} in the backup does not have the table's columns")
        for position, convert in converters:
            if row[position] is not None:
                row[position] = convert(row[position])
    insert_rows(session, table, [column.name for column in table.columns], [tuple(row) for row in rows])


def write_backup(engine: Engine, path: Path) -> BackupOutcome:
    """Write every table of the database into ``path`` (which must not exist), encrypted."""
    ring = master_keys()
    tables = SQLModel.metadata.sorted_tables
    connection = engine.connect().execution_options(**{READS_ONLY: True})
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    with connection, connection.begin(), path.open("xb") as file:
        revision = _revision(connection)
        writer = ArchiveWriter(file, ring, created_at=datetime.now().astimezone().isoformat(), revision=revision)
        manifest = {}
        for table in tables:
            digest, count = hashlib.sha256(), 0
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order).execution_options(yield_per=ROWS_PER_FRAME))
            for part in rows.partitions():
                payload = json.dumps({"table": table.name, "rows": [
                    [_encode(value) for value in row] for row in part
                ]}).encode()
                writer.frame(payload)
                digest.update(payload)
                count += len(part)
            manifest[table.name] = {"rows": count, "sha256": digest.hexdigest()}
        writer.finish({"revision": revision, "tables": manifest})
    # Recorded after the snapshot was read (so not inside the backup itself): a copy of the whole
    # database left the hub's tables, under this master key.
    with Session(engine) as session:
        record(session, AuditEvent.backup_made, actor="cli", key_id=ring.current)
        session.commit()
    return BackupOutcome(len(tables), revision, ring.current)


def _refuse_unless_empty(session: Session) -> None:
    for table in SQLModel.metadata.sorted_tables:
        if table.name == "audit_head":
            head = session.execute(select(table)).all()
            if [tuple(row) for row in head] not in ([], [(HEAD_ID, 0, GENESIS_HASH)]):
                raise BackupBroken("the database is not empty: restore into a new database (`hub migrate` first)")
            continue
        if session.execute(select(func.count()).select_from(table)).scalar_one():
            raise BackupBroken("the database is not empty: restore into a new database (`hub migrate` first)")


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: let serial keys continue after the restored rows."""
    for table in SQLModel.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and isinstance(key[0].type, sa.Integer) and key[0].autoincrement is not False:
            session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
                f"COALESCE(MAX({key[0].name}), 0) + 1, false) FROM {table.name}"
            ))


def restore_backup(engine: Engine, path: Path, *, check_only: bool = False) -> BackupOutcome:
    """Read ``path`` and, unless ``check_only``, write it into the empty database of ``engine``.

    :raises BackupBroken: the file does not check, or (when writing) the database is not empty or
        not at the backup's schema revision. Nothing is written then.
    """
    tables = {table.name: table for table in SQLModel.metadata.sorted_tables}
    digests: dict[str, hashlib._Hash] = {}
    counts: dict[str, int] = {}
    with path.open("rb") as file, Session(engine) as session:
        header, frames = read_frames(file, master_keys())
        if not check_only:
            if _revision(session.connection()) != header.revision:
                raise BackupBroken(f"the backup is of schema revision {header.revision}; run `hub migrate` to "
                                   "that revision first")
            _refuse_unless_empty(session)
            session.execute(tables["audit_head"].delete())
        manifest = None
        for payload, last in frames:
            if last:
                manifest = json.loads(payload)["manifest"]
                break
            part = json.loads(payload)
            table = tables.get(part["table"])
            if table is None:
                raise BackupBroken(f"the backup holds a table this hub does not know: {part['table']}")
            digests.setdefault(table.name, hashlib.sha256()).update(payload)
            counts[table.name] = counts.get(table.name, 0) + len(part["rows"])
            if not check_only and part["rows"]:
                _write_rows(session, table, part["rows"])
        found = {name: {"rows": counts.get(name, 0), "sha256": digests.get(name, hashlib.sha256()).hexdigest()}
                 for name in manifest["tables"]}
        if manifest["revision"] != header.revision or found != manifest["tables"] or set(counts) - set(found):
            raise BackupBroken("the backup's content does not match its manifest")
        if check_only:
            session.rollback()
        else:
            if engine.dialect.name == "postgresql":
                _reset_sequences(session)
            record(session, AuditEvent.database_restored, actor="cli")
            session.commit()
    return BackupOutcome(len(manifest["tables"]), header.revision, header.key_id)
