"""Test databases: one per pytest worker for the suite, and fresh ones for tests whose work must
really commit (other processes, concurrent sessions)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent.parent
_TMP = Path(tempfile.mkdtemp(prefix="hub-test-databases-"))


def migrate(url: str) -> None:
    """Build a database's schema the way production does: the Alembic migrations."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def empty_database(name: str) -> str:
    """A new, empty database of the kind the suite runs on (``HUB_TEST_DATABASE``); its URL."""
    choice = os.environ.get("HUB_TEST_DATABASE", "sqlite")
    if choice == "sqlite":
        return f"sqlite:///{_TMP / f'{name}.db'}"
    base = sa.engine.make_url(choice)
    full_name = f"{base.database or 'test'}_{name}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{full_name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{full_name}"'))
    admin.dispose()
    return base.set(database=full_name).render_as_string(hide_password=False)


def fresh_database(tmp_path: Path, purpose: str) -> str:
    """A new, migrated database for one test; its URL."""
    del tmp_path  # kept for callers' readability: the database lives as long as the test's files
    url = empty_database(f"{purpose}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    migrate(url)
    return url


def bound_to_session(app, session):
    """``app`` answering on this test's session (committed within the test's transaction), with
    rate-limit counters of its own; ``app`` back."""
    from hub.db import get_session
    from hub.ratelimit.limiter import RateLimiter
    from hub.ratelimit.stores import MemoryStore

    def _test_session():
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    app.dependency_overrides[get_session] = _test_session
    # Counters of this test's app only: the database store commits on its own connection, which the
    # test's open transaction would block on SQLite (the store itself is tested on its own database).
    app.state.rate_limiter = RateLimiter(MemoryStore())
    return app


HUB = Path(sys.executable).parent / "hub"


def seeded_demo_hub(tmp_path: Path, purpose: str, persons: int) -> dict[str, str]:
    """A fresh database seeded by ``hub demo`` (two partners, files under ``tmp_path / "demo"``),
    through the CLI as an operator would; the environment in which ``hub`` commands reach it."""
    env = {**os.environ, "DATABASE_URL": fresh_database(tmp_path, purpose),
           "HUB_SIGNING_KEY_FILE": str(tmp_path / "key.json"), "HUB_ENVIRONMENT": "development"}
    seeded = subprocess.run([HUB, "demo", "--partners", "2", "--persons", str(persons), "--out", tmp_path / "demo"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    return env
