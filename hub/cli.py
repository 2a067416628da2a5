"""The ``hub`` command: database, server, organisations, clients and demo data.

Every command works on the database that ``DATABASE_URL`` names (default: a SQLite file in var/).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import click
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent


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


@main.group()
def orgs() -> None:
    """Partner organisations."""


@orgs.command("create")
@click.argument("name")
@click.option("--type", "org_type", required=True, type=click.Choice(["ngo", "government", "research", "tech", "steward"]))
def orgs_create(name: str, org_type: str) -> None:
    """Register an organisation."""
    from hub.models import Organisation

    with _session() as session:
        if session.exec(select(Organisation).where(Organisation.name == name)).first():
            _fail(f"an organisation named {name!r} already exists")
        organisation = Organisation(name=name, type=org_type)
        session.add(organisation)
        session.commit()
        click.echo(json.dumps({"id": organisation.id, "name": name, "type": org_type}))


@orgs.command("list")
def orgs_list() -> None:
    """List organisations."""
    from hub.models import Organisation

    with _session() as session:
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

    with _session() as session:
        organisation = session.exec(select(Organisation).where(Organisation.name == org_name)).first()
        if organisation is None:
            _fail(f"no organisation named {org_name!r}; create it with: hub orgs create NAME --type TYPE")
        jwk = json.loads(public_jwk.read_text()) if public_jwk else None
        try:
            credentials = create_client(session, organisation, scopes.split(), public_jwk=jwk)
        except ValueError as error:
            _fail(str(error))
        session.commit()
    click.echo(json.dumps(credentials, indent=2))
    click.echo("Store these credentials now: the secret is not kept by the hub and is shown only once.", err=True)


@clients.command("revoke")
@click.argument("client_id")
def clients_revoke(client_id: str) -> None:
    """Revoke a client: its tokens stop working at once."""
    from hub.auth.clients import revoke_client

    with _session() as session:
        try:
            revoke_client(session, client_id)
        except LookupError as error:
            _fail(str(error))
        session.commit()
    click.echo(f"revoked {client_id}", err=True)


@main.group()
def submissions() -> None:
    """Maintenance of submissions."""


@submissions.command("purge-stale")
@click.option("--older-than-days", default=7, show_default=True, type=int)
def submissions_purge_stale(older_than_days: int) -> None:
    """Abandon uploads left open (interrupted and never resumed), deleting their rows."""
    from hub.submissions.service import abandon_stale

    with _session() as session:
        count = abandon_stale(session, timedelta(days=older_than_days))
        session.commit()
    click.echo(f"abandoned {count} open submission(s)", err=True)


@main.command("demo-data")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--partners", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--persons", default=2000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--seed", default=7, show_default=True, type=int)
def demo_data(out_dir: Path, partners: int, persons: int, seed: int) -> None:
    """Write synthetic monthly files for N partners, with mappings and a ground truth."""
    from hub.demo import generate_demo_data

    summary = generate_demo_data(out_dir, partners=partners, persons=persons, seed=seed)
    click.echo(json.dumps(_jsonable(summary), indent=2))


@main.command()
@click.option("--partners", default=4, show_default=True, type=click.IntRange(1, 20))
@click.option("--persons", default=1500, show_default=True, type=int)
@click.option("--out", "out_dir", default=Path("var/demo"), show_default=True, type=click.Path(path_type=Path))
def demo(partners: int, persons: int, out_dir: Path) -> None:
    """Seed the database with demo organisations and clients, and push their files through the API."""
    from hub.demo.seed import seed_demo

    for line in seed_demo(out_dir, partners=partners, persons=persons):
        click.echo(line, err=True)


def _session() -> Session:
    from hub.db import get_engine

    return Session(get_engine(), expire_on_commit=False)


def _jsonable(value):
    from dataclasses import asdict, is_dataclass

    data = asdict(value) if is_dataclass(value) else value
    return json.loads(json.dumps(data, default=str))


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@main.command()
@click.option("--full", is_flag=True, help="Resolve every record from scratch instead of only what changed.")
def link(full: bool) -> None:
    """Resolve accepted records into persons (incrementally: only what changed since the last run)."""
    from hub.linkage.service import link_pending, relink_all

    with _session() as session:
        run = relink_all(session) if full else link_pending(session)
        session.commit()
    click.echo(
        f"linked {run.submissions} submission change(s): {run.records_added} record(s) added, "
        f"{run.records_removed} taken out, {run.records_resolved} resolved again; {run.persons} person(s) in all",
        err=True,
    )


@main.group()
def reports() -> None:
    """The standard reports."""


@reports.command("publish")
@click.option("--period", required=True, help="A month (YYYY-MM) or a year (YYYY).")
def reports_publish(period: str) -> None:
    """Publish the standard reports of a period, spending its share of each cohort's budget (once)."""
    from hub.errors import HubError
    from hub.linkage.service import link_pending
    from hub.reports.service import publish

    with _session() as session:
        link_pending(session)  # publish over the persons as the latest submissions make them
        try:
            releases = publish(session, period)
        except HubError as error:
            _fail(error.detail)
        session.commit()
        for release in releases:
            click.echo(f"{release.id}  epsilon {release.parameters['epsilon']}  {release.title}")


@main.group()
def budget() -> None:
    """The privacy budget."""


@budget.command("show")
def budget_show() -> None:
    """Every cohort's budget: total, spent and remaining epsilon."""
    from hub.budget.service import accounts

    with _session() as session:
        click.echo(f"{'cohort':<8} {'purpose':<9} {'total ε':>9} {'spent ε':>9} {'left ε':>9} {'used':>6}")
        for a in accounts(session):
            click.echo(f"{a.cohort:<8} {a.purpose:<9} {a.as_epsilon(a.total_rho):>9.4f} "
                       f"{a.as_epsilon(a.spent_rho):>9.4f} {a.as_epsilon(a.remaining_rho):>9.4f} {a.used:>6.0%}")
        click.echo("ε does not add up (what is spent and what is left are each shown as ε at the hub's δ); "
                   "'used' is the share of the budget (in zCDP's rho, which does add up).", err=True)


@budget.command("set")
@click.option("--cohort", required=True, help="Month of first identification, YYYY-MM.")
@click.option("--purpose", required=True, type=click.Choice(["reports", "research"]))
@click.option("--epsilon", required=True, type=str, help="Lifetime epsilon of the account, at the hub's delta.")
def budget_set(cohort: str, purpose: str, epsilon: str) -> None:
    """Set an account's lifetime budget (never below what it has spent)."""
    from decimal import Decimal, InvalidOperation

    from hub.budget.service import set_total
    from hub.errors import HubError

    try:
        value = Decimal(epsilon)
    except InvalidOperation:
        _fail("epsilon must be a number")
    with _session() as session:
        try:
            set_total(session, "case-v1", cohort, purpose, value)
        except HubError as error:
            _fail(error.detail)
        session.commit()
    click.echo(f"cohort {cohort}, {purpose}: lifetime epsilon {value}", err=True)
