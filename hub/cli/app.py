"""The ``hub`` command group, and the commands that run the hub: ``migrate`` and ``serve``."""

from __future__ import annotations

from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent.parent


@click.group()
def main() -> None:
    """Administer the counter-trafficking data hub."""


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic upgrade head)."""
    from alembic import command
    from alembic.config import Config

    from hub.config import get_settings

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", get_settings().database_url)
    command.upgrade(config, "head")
    click.echo("database is at the latest schema", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the hub's API over HTTP."""
    import uvicorn

    uvicorn.run("hub.main:create_app", factory=True, host=host, port=port, workers=workers)
