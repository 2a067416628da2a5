"""``hub reports`` and ``hub budget``: publishing the standard reports and keeping the budget."""

from __future__ import annotations

import click

from hub.cli.app import main
from hub.cli.common import fail, open_session


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

    with open_session() as session:
        link_pending(session)  # publish over the persons as the latest submissions make them
        try:
            releases = publish(session, period)
        except HubError as error:
            fail(error.detail)
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

    with open_session() as session:
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
        fail("epsilon must be a number")
    with open_session() as session:
        try:
            set_total(session, "case-v1", cohort, purpose, value)
        except HubError as error:
            fail(error.detail)
        session.commit()
    click.echo(f"cohort {cohort}, {purpose}: lifetime epsilon {value}", err=True)
