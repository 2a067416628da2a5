"""``hub users``: people's local accounts for the hub's pages, created and reset by a steward."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from hub.cli.app import main
from hub.cli.common import fail, open_session

ROLES = ["ngo", "analyst", "researcher", "steward"]


def _print_once(credentials) -> None:
    click.echo(json.dumps({k: v for k, v in asdict(credentials).items() if v is not None}, indent=2))
    click.echo("Hand these to the person now: the hub keeps only a hash of the password and shows it once."
               + (" Add the one-time code secret to an authenticator app (the totp_uri as a QR code)."
                  if credentials.totp_secret else ""), err=True)


@main.group()
def users() -> None:
    """People's accounts for the hub's web pages."""


@users.command("create")
@click.option("--username", required=True, help="3 to 50 lower-case letters, digits, '.', '_' or '-'.")
@click.option("--org", "org_name", required=True, help="Name of the person's organisation.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--totp", is_flag=True, help="Also a second factor: time-based one-time codes (RFC 6238).")
def users_create(username: str, org_name: str, role: str, totp: bool) -> None:
    """Create an account with a generated password; print it once."""
    from hub.errors import HubError
    from hub.web.accounts import create_user

    with open_session() as session:
        try:
            credentials = create_user(session, username, org_name, role, totp=totp)
        except HubError as error:
            fail(error.detail)
        session.commit()
    _print_once(credentials)


@users.command("reset-password")
@click.argument("username")
@click.option("--totp/--no-totp", default=None, help="Set a new second factor, or remove it (default: keep it).")
def users_reset_password(username: str, totp: bool | None) -> None:
    """Give an account a new generated password (printed once) and end its sessions."""
    from hub.errors import HubError
    from hub.web.accounts import reset_password

    with open_session() as session:
        try:
            credentials = reset_password(session, username, totp=totp)
        except HubError as error:
            fail(error.detail)
        session.commit()
    _print_once(credentials)


@users.command("list")
def users_list() -> None:
    """List accounts: username, role, organisation, second factor."""
    from hub.web.accounts import list_users

    with open_session() as session:
        for user, organisation in list_users(session):
            click.echo(f"{user.username:<24} {user.role:<10} {'TOTP' if user.totp_sealed else '    '}  {organisation}")
