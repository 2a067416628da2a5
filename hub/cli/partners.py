"""``hub orgs``, ``hub clients`` and ``hub submissions``: partners, their OAuth clients, uploads."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click
from sqlmodel import select

from hub.cli.app import main
from hub.cli.common import fail, open_session


@main.group()
def orgs() -> None:
    """Partner organisations."""


@orgs.command("create")
@click.argument("name")
@click.option("--type", "org_type", required=True, type=click.Choice(["ngo", "government", "research", "tech", "steward"]))
def orgs_create(name: str, org_type: str) -> None:
    """Register an organisation."""
    from hub.errors import HubError
    from hub.partners.service import create_organisation

    with open_session() as session:
        try:
            organisation = create_organisation(session, name, org_type)
        except HubError as error:
            fail(error.detail)
        session.commit()
        click.echo(json.dumps({"id": organisation.id, "name": organisation.name, "type": org_type}))


@orgs.command("list")
def orgs_list() -> None:
    """List organisations."""
    from hub.models import Organisation

    with open_session() as session:
        for organisation in session.exec(select(Organisation).order_by(Organisation.name)):
            click.echo(f"{organisation.id}  {organisation.type:<10}  {organisation.name}")


@main.group()
def clients() -> None:
    """OAuth clients of organisations."""


@clients.command("create")
@click.option("--org", "org_name", required=True, help="Name of the organisation.")
@click.option("--scopes", required=True, help='Space-separated, e.g. "submissions:write submissions:read".')
@click.option("--public-jwk", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Public JWK file: the client authenticates with private_key_jwt instead of a secret.")
def clients_create(org_name: str, scopes: str, public_jwk: Path | None) -> None:
    """Register a client and print its credentials as JSON, once."""
    from hub.auth.clients import create_client
    from hub.models import Organisation

    with open_session() as session:
        organisation = session.exec(select(Organisation).where(Organisation.name == org_name)).first()
        if organisation is None:
            fail(f"no organisation named {org_name!r}; create it with: hub orgs create NAME --type TYPE")
        jwk = json.loads(public_jwk.read_text()) if public_jwk else None
        try:
            credentials = create_client(session, organisation, scopes.split(), public_jwk=jwk)
        except ValueError as error:
            fail(str(error))
        session.commit()
    click.echo(json.dumps(credentials, indent=2))
    click.echo("Store these credentials now: the secret is not kept by the hub and is shown only once.", err=True)


@clients.command("revoke")
@click.argument("client_id")
def clients_revoke(client_id: str) -> None:
    """Revoke a client: its tokens stop working at once."""
    from hub.auth.clients import revoke_client

    with open_session() as session:
        try:
            revoke_client(session, client_id)
        except LookupError as error:
            fail(str(error))
        session.commit()
    click.echo(f"revoked {client_id}", err=True)


@main.group()
def submissions() -> None:
    """Maintenance of submissions."""


@submissions.command("purge-stale")
@click.option("--older-than-days", type=click.IntRange(0), default=None,
              help="Uploads opened this many days ago or more; by default HUB_OPEN_SUBMISSION_HOURS, the same "
                   "limit after which the hub refuses and sweeps them itself.")
def submissions_purge_stale(older_than_days: int | None) -> None:
    """Abandon uploads left open (interrupted and never resumed), deleting their rows. The hub does
    this itself every HUB_EXPIRED_SWEEP_INTERVAL_S; this is for a hub run with the sweep off."""
    from hub.submissions.expiry import upload_window
    from hub.submissions.service import abandon_stale

    older_than = upload_window() if older_than_days is None else timedelta(days=older_than_days)
    with open_session() as session:
        count = abandon_stale(session, older_than)
        session.commit()
    click.echo(f"abandoned {count} open submission(s)", err=True)


@submissions.command("restore")
@click.argument("submission_id")
def submissions_restore(submission_id: str) -> None:
    """Make a superseded version of a partner's month current again (undo a wrong replacement)."""
    from hub.auth.dependencies import Caller
    from hub.errors import HubError
    from hub.models import Submission
    from hub.submissions.service import restore_submission

    with open_session() as session:
        found = session.get(Submission, submission_id)
        if found is None:
            fail(f"no submission {submission_id}")
        steward = Caller(client_id="hub-cli", organisation_id=found.organisation_id, scopes=frozenset())
        try:
            restored = restore_submission(session, steward, submission_id)
        except HubError as error:
            fail(error.detail)
        session.commit()
        click.echo(f"submission {restored.id} (version {restored.version}) is again the current {restored.period}",
                   err=True)
