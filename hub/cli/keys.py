"""``hub keys``: the master keys that wrap the data keys of what is sealed at rest, and
``hub keys signing``: the keys that sign tokens, receipts, releases and audit checkpoints."""

from __future__ import annotations

from pathlib import Path

import click

from hub.cli.app import main
from hub.cli.common import fail, open_session


@main.group()
def keys() -> None:
    """Master keys (HUB_MASTER_KEY_FILE). Losing them loses everything they sealed."""


@keys.command("init")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def keys_init(file: Path) -> None:
    """Write a new master key ring to FILE (mode 600; never over an existing file), for HUB_MASTER_KEY_FILE."""
    from hub.keys.master import create_ring

    if not create_ring(file):
        fail(f"{file} exists; a ring is never overwritten")
    click.echo(f"wrote a new master key ring to {file}; copy it to the secret store now", err=True)


@keys.command("status")
def keys_status() -> None:
    """Each master key of the ring, whether it is current, and how many data keys it wraps."""
    from hub.keys.master import master_keys
    from hub.keys.rotation import usage

    ring = master_keys()
    with open_session() as session:
        for key_id, used in usage(session).items():
            state = "current" if key_id == ring.current else ("MISSING from the ring" if key_id not in ring.keys
                                                              else "old")
            click.echo(f"{key_id}  {state:<22} wraps {used} data key(s)")


@keys.command("rotate")
def keys_rotate() -> None:
    """Make a new current master key and re-wrap every data key under it (payloads are not re-encrypted).

    The old keys stay in the ring file until `hub keys retire KEY_ID`; keep a copy of the new ring
    in the secret store before anything else.
    """
    from hub.keys.rotation import rotate

    with open_session() as session:
        rotation = rotate(session)
        session.commit()
    click.echo(f"new master key {rotation.key_id}: {rotation.rewrapped} data key(s) re-wrapped"
               + (f" from {', '.join(rotation.old_key_ids)}" if rotation.old_key_ids else ""), err=True)
    click.echo("old keys stay in the ring until `hub keys retire KEY_ID`; backups made before still need them",
               err=True)


@keys.command("retire")
@click.argument("key_id")
def keys_retire(key_id: str) -> None:
    """Remove an old master key from the ring, once no data key needs it. Backups wrapped with it
    can no longer be restored."""
    from hub.keys.rotation import retire

    with open_session() as session:
        try:
            retire(session, key_id)
        except ValueError as error:
            fail(str(error))
    click.echo(f"retired {key_id}", err=True)


@keys.group("signing")
def signing() -> None:
    """Signing keys (HUB_SIGNING_KEY_FILE): what signs access tokens, receipts, releases and audit checkpoints."""


@signing.command("status")
def signing_status() -> None:
    """Each signing key by kid: current (signs), active (verifies, signs nothing) or retired."""
    from hub.keys.signing_admin import status

    for key in status():
        retired = f" since {key.retired_at}" if key.retired_at else ""
        click.echo(f"{key.kid}  {key.state}{retired}")


@signing.command("add")
@click.option("--make-current", is_flag=True, help="Sign with it at once (by default it is only published).")
def signing_add(make_current: bool) -> None:
    """Add a new signing key to the ring. It is published in the JWKS at once; make it current with
    `hub keys signing use KID` once relying parties have fetched the JWKS again."""
    from hub.keys.signing_admin import add

    with open_session() as session:
        kid = add(session, make_current=make_current)
        session.commit()
    click.echo(kid)
    click.echo(f"added signing key {kid}{' (current)' if make_current else ''}; copy the ring file to the secret "
               "store now", err=True)


@signing.command("use")
@click.argument("kid")
def signing_use(kid: str) -> None:
    """Make the signing key KID current: everything signed from now on is signed with it."""
    from hub.keys.signing import SigningKeyError
    from hub.keys.signing_admin import use

    with open_session() as session:
        try:
            use(session, kid)
        except SigningKeyError as error:
            fail(str(error))
        session.commit()
    click.echo(f"{kid} is the current signing key; retire the old one with `hub keys signing retire` once no "
               "access token it signed is alive (HUB_ACCESS_TOKEN_LIFETIME_S)", err=True)


@signing.command("retire")
@click.argument("kid")
def signing_retire(kid: str) -> None:
    """Retire the signing key KID: its private half leaves the ring file for good. What it signed
    before still verifies under its kid; nothing can be signed with it again."""
    from hub.keys.signing import SigningKeyError
    from hub.keys.signing_admin import retire

    with open_session() as session:
        try:
            at = retire(session, kid)
        except SigningKeyError as error:
            fail(str(error))
        session.commit()
    click.echo(f"retired {kid} at {at}", err=True)
