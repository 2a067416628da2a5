"""Test database and application.

``HUB_TEST_DATABASE`` picks the database: ``sqlite`` (default) or a PostgreSQL URL, of which each
pytest-xdist worker gets its own fresh database. The schema is built by running the Alembic
migrations; each test runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="hub-tests-"))
os.environ["HUB_ENVIRONMENT"] = "test"
os.environ["HUB_SIGNING_KEY_FILE"] = str(_TMP / "signing-key.json")
os.environ["HUB_MASTER_KEY_FILE"] = str(_TMP / "master-keys.json")
os.environ["HUB_LINK_INTERVAL_S"] = "0"  # tests link explicitly, inside their own transaction
os.environ.setdefault("HUB_TOKEN_REKEY_SECRET", "test-rekey-secret-0123456789abcdef")

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from hub.db import make_engine  # noqa: E402
from tests.factories.databases import bound_to_session, empty_database, migrate  # noqa: E402


@pytest.fixture(scope="session")
def database_url() -> str:
    url = empty_database(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    os.environ["DATABASE_URL"] = url
    migrate(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        yield session
    transaction.rollback()
    connection.close()


@pytest.fixture
def app(session: Session):
    from hub.main import create_app

    return bound_to_session(create_app(), session)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
