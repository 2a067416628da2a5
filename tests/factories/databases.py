"""Fresh databases for tests whose work must really commit (other processes, concurrent sessions)."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import migrate


def fresh_database(tmp_path: Path, purpose: str) -> str:
    """A new, migrated database of the kind the suite runs on; its URL."""
    choice = os.environ.get("HUB_TEST_DATABASE", "sqlite")
    if choice == "sqlite":
        url = f"sqlite:///{tmp_path / f'{purpose}.db'}"
    else:
        base = sa.engine.make_url(choice)
        name = f"{base.database}_{purpose}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
    migrate(url)
    return url
