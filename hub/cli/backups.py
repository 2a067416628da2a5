"""``hub backup`` and ``hub restore``: an encrypted, verifiable copy of the whole database."""

from __future__ import annotations

from pathlib import Path

import click

from hub.cli.app import main
from hub.cli.common import fail


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write the whole database to FILE (a new file), encrypted under the current master key.

    Restoring it needs the master key ring (HUB_MASTER_KEY_FILE): keep the ring in the secret
    store, never beside the backups.
    """
    from hub.backup.service import write_backup
    from hub.db import get_engine

    if file.exists():
        fail(f"{file} exists; a backup is written to a new file")
    outcome = write_backup(get_engine(), file)
    click.echo(f"backed up {outcome.tables} tables at schema revision {outcome.revision} to {file}, "
               f"under master key {outcome.key_id}", err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only check the backup (every frame and its manifest); write nothing.")
def restore(file: Path, check: bool) -> None:
    """Restore FILE into the empty database DATABASE_URL names (run `hub migrate` first).

    Every frame and the manifest are checked in the same transaction as the writes: a backup that
    does not check leaves the database as it was.
    """
    from hub.backup.archive import BackupBroken
    from hub.backup.service import restore_backup
    from hub.db import get_engine
    from hub.keys.master import MasterKeyMissing

    try:
        outcome = restore_backup(get_engine(), file, check_only=check)
    except (BackupBroken, MasterKeyMissing) as error:
        fail(str(error))
    verb = "checked" if check else "restored"
    click.echo(f"{verb} {outcome.tables} tables of schema revision {outcome.revision} "
               f"(master key {outcome.key_id})", err=True)
