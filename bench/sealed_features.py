"""Cost of sealing the linkage features at rest, where the linker reads them, against a floor.

Run ``.venv/bin/python bench/sealed_features.py [--records 100000] [--database URL]``. It builds a
fresh database (SQLite in a temporary folder by default; ``--database`` names an empty PostgreSQL
database to use instead, which it drops and creates) holding the same features twice: sealed as
the hub stores them (``record_block`` placements and one AES-GCM value per chunk of 2,000 records,
written through ``hub.keys.sealed.seal_chunk_features``), and unsealed in a table of the shape
``record_block`` had before (the floor). Each record has the four blocks of a real encoding with
features of the sizes a real encoding has (153, 243, 243 and 288 bytes). Timed, best of three:

- ``floor_read_s``: scan the unsealed table in (submission, row) order, as ``hub.linkage.load``
  reads blocks, and hand out each block's features;
- ``sealed_read_s``: scan ``record_block`` in the same order and hand out each block's features
  through ``FeatureReader`` (unwrap each submission's data key, open each chunk once, slice);
- ``open_only_s``: the decryption alone (every chunk opened, nothing scanned).

The last line printed is one JSON object with the figures.
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

BLOCK_SIZES = {"dob": 153, "family_year": 243, "given_year": 243, "names": 288}
ROWS_PER_CHUNK = 2_000
RECORDS_PER_SUBMISSION = 50_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", help="an empty PostgreSQL database's URL (dropped and created)")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sealed-"))
    os.environ.setdefault("HUB_ENVIRONMENT", "test")
    os.environ["HUB_MASTER_KEY_FILE"] = str(folder / "master-keys.json")
    if arguments.database:
        import sqlalchemy as sa

        from bench.common import fresh_database

        named = sa.engine.make_url(arguments.database)
        # Created from the server's maintenance database, since the one named does not exist yet.
        url = fresh_database(named.set(database="postgres").render_as_string(hide_password=False), named.database)
    else:
        url = f"sqlite:///{folder / 'bench.db'}"
    os.environ["DATABASE_URL"] = url

    import sqlalchemy as sa
    from sqlmodel import Session, select

    from hub.db import make_engine
    from hub.keys.master import master_keys
    from hub.keys.sealed import FeatureReader, features_context, seal_chunk_features, unwrap
    from hub.models import DataKey, RecordBlock, SealedFeatures
    from hub.submissions.bulk import insert_rows
    from privacy.sealing import open_sealed
    from tests.factories.databases import migrate

    migrate(url)
    engine = make_engine(url)
    plain = sa.Table("bench_plain_block", sa.MetaData(), sa.Column("submission_id", sa.String(32), primary_key=True),
                     sa.Column("row", sa.Integer, primary_key=True), sa.Column("label", sa.String(40), primary_key=True),
                     sa.Column("token", sa.LargeBinary), sa.Column("features", sa.LargeBinary))
    plain.metadata.create_all(engine)

    log(f"writing {arguments.records:,} records' blocks, sealed and unsealed, to {engine.dialect.name}")
    write_s = 0.0
    with Session(engine) as session:
        for first in range(0, arguments.records, RECORDS_PER_SUBMISSION):
            submission_id = secrets.token_hex(16)
            rows = range(first + 1, min(first + RECORDS_PER_SUBMISSION, arguments.records) + 1)
            for chunk, start in enumerate(range(0, len(rows), ROWS_PER_CHUNK), start=1):
                blocks = [(submission_id, row, label, secrets.token_bytes(32), os.urandom(size))
                          for row in rows[start:start + ROWS_PER_CHUNK] for label, size in BLOCK_SIZES.items()]
                started = time.perf_counter()
                places = seal_chunk_features(session, submission_id, chunk, [features for *_, features in blocks])
                write_s += time.perf_counter() - started
                insert_rows(session, RecordBlock.__table__,
                            ("submission_id", "row", "label", "token", "chunk", "features_at", "features_length"),
                            [(s, r, label, token, *place) for (s, r, label, token, _), place in zip(blocks, places)])
                insert_rows(session, plain, ("submission_id", "row", "label", "token", "features"), blocks)
        session.commit()
    feature_bytes = arguments.records * sum(BLOCK_SIZES.values())

    def scan(session, table, columns):
        query = select(*columns).order_by(table.c.submission_id, table.c.row).execution_options(yield_per=50_000)
        return session.connection().execute(query)

    def floor_read() -> None:
        with Session(engine) as session:
            total = 0
            for _, _, _, _, features in scan(session, plain, list(plain.c)):
                total += len(features)
            assert total == feature_bytes

    def sealed_read() -> None:
        with Session(engine) as session:
            reader = FeatureReader(session, whole_submissions=True)
            table = RecordBlock.__table__
            total = 0
            for submission_id, _, _, _, chunk, start, length in scan(session, table, [
                    table.c.submission_id, table.c.row, table.c.label, table.c.token, table.c.chunk,
                    table.c.features_at, table.c.features_length]):
                total += len(reader.features(submission_id, chunk, start, length))
            assert total == feature_bytes

    def open_only() -> None:
        with Session(engine) as session:
            ring = master_keys()
            keys = {row.submission_id: unwrap(ring, row) for row in session.exec(select(DataKey))}
            total = 0
            for submission_id, chunk, sealed in session.exec(
                    select(SealedFeatures.submission_id, SealedFeatures.chunk, SealedFeatures.sealed)):
                total += len(open_sealed(keys[submission_id], sealed, features_context(submission_id, chunk)))
            assert total == feature_bytes

    log("reading: the unsealed floor, the sealed path, the decryption alone (best of 3 each)")
    floor_s, sealed_s, open_s = best_of(3, floor_read), best_of(3, sealed_read), best_of(3, open_only)
    engine.dispose()
    result = {
        "database": engine.dialect.name, "records": arguments.records, "blocks": arguments.records * len(BLOCK_SIZES),
        "feature_mb": round(feature_bytes / 1e6, 1),
        "floor_read_s": round(floor_s, 3), "sealed_read_s": round(sealed_s, 3),
        "sealed_over_floor": round(sealed_s / floor_s, 3),
        "open_only_s": round(open_s, 3), "open_mb_per_s": round(feature_bytes / 1e6 / open_s, 1),
        "seal_write_s": round(write_s, 3),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
