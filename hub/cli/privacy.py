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
@click.option("--force", is_flag=True, help="Publish although expected partners have not submitted (needs --reason).")
@click.option("--reason", help="With --force: why, in 10 to 500 characters; published with the tables.")
def reports_publish(period: str, force: bool, reason: str | None) -> None:
    """Publish the standard reports of a period, spending its share of each cohort's budget (once, for good).

    A month is published only once it is complete: every partner that has an accepted submission
    for any of the HUB_PUBLISH_LOOKBACK_MONTHS (3) months before it has one for it too. A year is
    complete when its twelve months are. Otherwise the command names the missing partners and
    stops, unless given --force with a --reason, which the tables then record.
    """
    from hub.errors import HubError
    from hub.linkage.service import link_pending
    from hub.reports.service import publish

    if force != (reason is not None):
        fail("--force and --reason go together: a forced publication records why")
    with open_session() as session:
        link_pending(session)  # publish over the persons as the latest submissions make them
        try:
            releases = publish(session, period, force_reason=reason)
        except HubError as error:
            fail(error.detail)
        session.commit()
        for release in releases:
            click.echo(f"{release.id}  epsilon {release.parameters['epsilon']}  {release.title}")
        missing = releases[0].parameters.get("completeness", {}).get("missing_partners") if releases else None
        for month, names in (missing or {}).items():
            click.echo(f"published without {month}'s submissions of: {', '.join(names)}", err=True)


@reports.command("plan")
@click.option("--period", required=True, help="A month (YYYY-MM) or a year (YYYY).")
def reports_plan(period: str) -> None:
    """Before publishing: each standard table's expected 95 % half-width (cells, margins, total).

    It depends only on the budget, the tables' bounds, the split of rho between them and, for a
    year, the months already published (whose measurements it combines), never on the data, and
    spends nothing.
    """
    from hub.reports.definitions import reports_of
    from hub.reports.service import reused_by_table
    from hub.releases.compute import expected_halfwidths

    titles = {report.id: report.title for report in reports_of(period)}
    with open_session() as session:  # a year combines its published months' measurements
        reused = reused_by_table(session, period)
    for report_id, widths in expected_halfwidths(period, reused=reused).items():
        shown = ", ".join(f"{kind} ±{width:.0f}" for kind, width in widths.items())
        click.echo(f"{titles.get(report_id, report_id)}: {shown}")
    click.echo("expected 95 % half-widths in persons, before rounding; spent nothing", err=True)


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
@click.option("--cohort", required=True, help="Month of first identification, YYYY-MM, not after this month.")
@click.option("--purpose", required=True, type=click.Choice(["reports", "research"]))
@click.option("--epsilon", required=True, type=str, help="Lifetime epsilon of the account, at the hub's delta.")
@click.option("--reason", required=True, help="Why, in 10 to 500 characters: kept in the history, never published.")
def budget_set(cohort: str, purpose: str, epsilon: str, reason: str) -> None:
    """Set an account's lifetime budget: at least 0.001, at most the purpose's ceiling
    (HUB_BUDGET_CEILING_EPSILON_REPORTS / _RESEARCH), never below what it has spent.
    Every change is kept with its reason (see `hub budget history`)."""
    from hub.budget.totals import parse_epsilon, set_total
    from hub.errors import HubError

    with open_session() as session:
        try:
            value = parse_epsilon(epsilon)
            set_total(session, "case-v1", cohort, purpose, value, reason=reason, changed_by=_operator("hub budget set"))
        except HubError as error:
            fail(error.detail)
        session.commit()
    click.echo(f"cohort {cohort}, {purpose}: lifetime epsilon {value}", err=True)


@budget.command("history")
@click.option("--cohort", help="Only this month's accounts (YYYY-MM).")
@click.option("--purpose", type=click.Choice(["reports", "research"]), help="Only this purpose.")
def budget_history(cohort: str | None, purpose: str | None) -> None:
    """Every change of a lifetime budget: when, which account, old and new epsilon, by whom and why."""
    from hub.budget.totals import history
    from hub.errors import HubError
    from privacy.dp.budget import epsilon_text

    with open_session() as session:
        try:
            changes = history(session, cohort, purpose)
        except HubError as error:
            fail(error.detail)
    click.echo(f"{'when (UTC)':<16} {'cohort':<8} {'purpose':<9} {'old ε':>8} {'new ε':>8}  by; reason")
    for change in changes:
        click.echo(f"{change.created_at:%Y-%m-%d %H:%M} {change.cohort:<8} {change.purpose:<9} "
                   f"{epsilon_text(change.old_epsilon):>8} {epsilon_text(change.new_epsilon):>8}  "
                   f"{change.changed_by}; {change.reason}")
    if not changes:
        click.echo("no budget was ever changed" + (" for that selection" if cohort or purpose else ""), err=True)


def _operator(command: str) -> str:
    """Who ran a command, as the operating system names them: the history's "who"."""
    import getpass

    try:
        return f"{command} by {getpass.getuser()}"
    except OSError:  # no user name in the environment or the password database
        return f"{command} by an unnamed operator"
