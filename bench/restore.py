"""Speed of ``hub restore`` on PostgreSQL: COPY per frame, against INSERTs and against plain COPY.

Run ``.venv/bin/python bench/restore.py [--records 50000] [--database URL]``. ``--database`` names
a PostgreSQL server and a database name prefix (default
``postgresql+psycopg://postgres@127.0.0.1:5432/bench_restore``); the script drops and creates
the databases ``<prefix>_source`` and ``<prefix>_<kind>_<n>``. It fills the source, through the
migrations and the hub's own bulk writer, with one organisation, submissions of 50,000 records
each and the records' four blocks apiece (the two tables that make a hub's size), then makes one
``hub backup`` of it. Timed, best of ``--runs`` (each run into a new, migrated, empty database):

- ``restore_copy_s``: ``restore_backup`` as it is (every frame decrypted, checked and written with COPY);
- ``restore_insert_s``: the same restore writing each frame with SQLAlchemy INSERTs (executemany),
  as it did before;
- ``floor_copy_s``: plain PostgreSQL, no hub: each table streamed from the source with ``COPY TO
  STDOUT (FORMAT BINARY)`` into the target's ``COPY FROM STDIN``, in one transaction: what moving
  the rows costs at least, without decryption, JSON or checks.

``backup_s`` is the time ``write_backup`` took. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import log  # noqa: E402
from privacy.encodings import BLOCK_LABELS as LABELS  # noqa: E402

RECORDS_PER_SUBMISSION = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_restore")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-restore-"))
    os.environ.setdefault("HUB_ENVIRONMENT", "test")
    os.environ["HUB_MASTER_KEY_FILE"] = str(folder / "master-keys.json")
    os.environ["HUB_SIGNING_KEY_FILE"] = str(folder / "signing-key.json")

    import sqlalchemy as sa

    from bench.common import fresh_database

    named = sa.engine.make_url(arguments.database)
    server = named.set(database="postgres").render_as_string(hide_password=False)
    prefix = named.database

    def new_database(name: str) -> str:
        url = fresh_database(server, f"{prefix}_{name}")
        migrate(url)
        return url

    os.environ["DATABASE_URL"] = source_url = fresh_database(server, f"{prefix}_source")

    from sqlmodel import Session

    from hub.backup import service
    from hub.backup.service import write_backup
    from hub.db import make_engine
    from hub.models import Organisation, Record, RecordBlock, SQLModel, Submission
    from hub.submissions.bulk import insert_rows
    from hub.submissions.chunks import BLOCK_COLUMNS, RECORD_COLUMNS
    from tests.factories.databases import migrate

    migrate(source_url)
    source = make_engine(source_url)
    log(f"filling the source with {arguments.records:,} records and {4 * arguments.records:,} blocks")
    with Session(source) as session:
        organisation = Organisation(name="Bench partner", type="ngo")
        session.add(organisation)
        session.flush()
        for first in range(0, arguments.records, RECORDS_PER_SUBMISSION):
            submission = Submission(organisation_id=organisation.id, client_id="c_bench", dataset="case-v1",
                                    period=f"{2000 + first // RECORDS_PER_SUBMISSION // 12:04d}-"
                                           f"{first // RECORDS_PER_SUBMISSION % 12 + 1:02d}",
                                    version=1, status="accepted", on_invalid="reject", linkage_secret_version=1)
            session.add(submission)
            session.flush()
            rows = range(first + 1, min(first + RECORDS_PER_SUBMISSION, arguments.records) + 1)
            values = {"registration_month": submission.period, "age_band": "18-20", "gender": "Female",
                      "citizenship": "NPL", "type_of_exploitation": "ForcedLabour|SexualExploitation"}
            record_rows = [(submission.id, row, secrets.token_bytes(32),
                            *[values.get(name) for name in RECORD_COLUMNS[3:]]) for row in rows]
            insert_rows(session, Record.__table__, RECORD_COLUMNS, record_rows)
            block_rows = [(submission.id, row, label, secrets.token_bytes(32), 1 + row // 2000, 9 * 30 * index, 270)
                          for row in rows for index, label in enumerate(LABELS)]
            insert_rows(session, RecordBlock.__table__, BLOCK_COLUMNS, block_rows)
        session.commit()
    total_rows = 0
    with source.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            total_rows += connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()

    backup_file = folder / "hub.backup"
    started = time.perf_counter()
    write_backup(source, backup_file)
    backup_s = time.perf_counter() - started
    log(f"backup of {total_rows:,} rows: {backup_s:.2f} s, {backup_file.stat().st_size / 1e6:.1f} MB")

    def insert_frame(session: Session, table: sa.Table, rows: list[list]) -> None:
        """The restore's writer as it was before COPY: SQLAlchemy INSERTs of the decoded rows."""
        columns = list(table.columns)
        session.execute(table.insert(), [{column.name: service._decode(column, value)
                                          for column, value in zip(columns, row, strict=True)} for row in rows])

    def restore(kind: str, run: int) -> float:
        target = make_engine(new_database(f"{kind}_{run}"))
        started = time.perf_counter()
        service.restore_backup(target, backup_file)
        elapsed = time.perf_counter() - started
        with target.connect() as connection:
            restored = connection.execute(sa.select(sa.func.count()).select_from(RecordBlock.__table__)).scalar_one()
        assert restored == 4 * arguments.records
        target.dispose()
        return elapsed

    def floor(run: int) -> float:
        target = make_engine(new_database(f"floor_{run}"))
        with source.connect() as reading, target.connect() as writing:
            started = time.perf_counter()
            with writing.begin():
                read_cursor = reading.connection.driver_connection.cursor()
                write_cursor = writing.connection.driver_connection.cursor()
                writing.exec_driver_sql("DELETE FROM audit_head")
                for table in SQLModel.metadata.sorted_tables:
                    with read_cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT BINARY)') as out, \
                            write_cursor.copy(f'COPY "{table.name}" FROM STDIN (FORMAT BINARY)') as into:
                        for data in out:
                            into.write(data)
            elapsed = time.perf_counter() - started
        target.dispose()
        return elapsed

    figures = {"copy": [], "insert": [], "floor": []}
    real_writer = service._write_rows
    for run in range(arguments.runs):
        service._write_rows = real_writer
        figures["copy"].append(restore("copy", run))
        service._write_rows = insert_frame
        figures["insert"].append(restore("insert", run))
        service._write_rows = real_writer
        figures["floor"].append(floor(run))
        log(f"run {run + 1}: copy {figures['copy'][-1]:.2f} s, insert {figures['insert'][-1]:.2f} s, "
            f"floor {figures['floor'][-1]:.2f} s")
    copy_s, insert_s, floor_s = (min(figures[kind]) for kind in ("copy", "insert", "floor"))
    print(json.dumps({
        "bench": "restore", "database": "postgresql", "records": arguments.records, "rows": total_rows,
        "runs": arguments.runs, "backup_s": round(backup_s, 3), "restore_copy_s": round(copy_s, 3),
        "restore_insert_s": round(insert_s, 3), "floor_copy_s": round(floor_s, 3),
        "insert_over_copy": round(insert_s / copy_s, 2), "copy_over_floor": round(copy_s / floor_s, 2),
        "restore_copy_rows_per_s": round(total_rows / copy_s),
    }))


if __name__ == "__main__":
    main()
