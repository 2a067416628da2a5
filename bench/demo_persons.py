"""The person table of the hub's own demo: synthetic partners' files pushed, linked and read back.

Used by the benchmarks that must measure on the demo data: it runs ``hub demo`` (the real
connector, API and linkage) on a fresh SQLite file and returns ``person_frame`` of it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent


def demo_person_frame(partners: int = 4, persons: int = 1500) -> pl.DataFrame:
    """Persons of a fresh demo (the hub's settings are pointed at a temporary database first)."""
    work = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'hub.db'}"
    os.environ["HUB_SIGNING_KEY_FILE"] = str(work / "key.json")
    os.environ["HUB_LOG_LEVEL"] = "WARNING"
    from alembic import command
    from alembic.config import Config
    from sqlmodel import Session

    from hub.config import get_settings
    from hub.db import get_engine
    from hub.demo.seed import seed_demo
    from hub.reports.persons import person_frame

    get_settings.cache_clear()
    get_engine.cache_clear()
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", get_settings().database_url)
    command.upgrade(config, "head")
    for _ in seed_demo(work / "demo", partners=partners, persons=persons):
        pass
    with Session(get_engine()) as session:
        return person_frame(session)
