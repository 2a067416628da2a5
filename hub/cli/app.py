"""The ``hub`` command group, and the commands that run the hub: ``migrate``, ``serve`` and ``linker``."""

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
@click.option("--no-linker", is_flag=True, help="Do not start the background linker (run `hub linker` on its own).")
def serve(host: str, port: int, workers: int, no_linker: bool) -> None:
    """Serve the hub's API over HTTP, with one background linker for all its workers and the sweep
    of expired uploads (HUB_EXPIRED_SWEEP_INTERVAL_S)."""
    import uvicorn

    from hub.config import get_settings
    from hub.linkage.worker import start_linker, stop_linker
    from hub.submissions.expiry import start_sweeper

    interval = get_settings().link_interval_s
    linker = start_linker(interval) if interval > 0 and not no_linker else None
    sweeper = start_sweeper()
    try:
        # The hub logs each request itself (hub.edge.request_log), by route template: uvicorn's access
        # log would repeat paths and queries, which hold submitted values; its own logging setup
        # is left out so that its lines, too, go through the hub's JSON handler.
        uvicorn.run("hub.main:create_app", factory=True, host=host, port=port, workers=workers,
                    access_log=False, log_config=None)
    finally:
        if sweeper is not None:
            sweeper[1].set()
        if linker is not None:
            stop_linker(linker)


@main.command()
def linker() -> None:
    """Run the background linker in the foreground: link what is pending every HUB_LINK_INTERVAL_S
    seconds, until stopped (one per hub; run `hub serve --no-linker` beside it). Expired uploads are
    swept beside it (HUB_EXPIRED_SWEEP_INTERVAL_S)."""
    from hub.config import get_settings
    from hub.linkage.worker import link_periodically
    from hub.submissions.expiry import start_sweeper

    interval = get_settings().link_interval_s
    if interval <= 0:
        raise click.ClickException("HUB_LINK_INTERVAL_S is 0: the background linker is switched off")
    start_sweeper()  # a daemon thread: it ends with the command
    link_periodically(interval)
