"""``hub audit``: read the audit log, check its chain, anchor it with a signed checkpoint."""

from __future__ import annotations

import json
import sys

import click

from hub.cli.app import main
from hub.cli.common import open_session


@main.group()
def audit() -> None:
    """The audit log (a hash chain of security-relevant events)."""


@audit.command("verify")
def audit_verify() -> None:
    """Check every entry and checkpoint; exit 1 naming the first broken entry."""
    from hub.audit.verify import verify_chain

    with open_session() as session:
        check = verify_chain(session)
    if not check.ok:
        click.echo(f"audit chain BROKEN at entry {check.first_broken}: {check.problem}", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {check.entries} entries, {check.checkpoints} signed checkpoint(s), "
               f"anchored through entry {check.anchored_through} ({check.unanchored} after the last checkpoint)")


@audit.command("show")
@click.option("--after", default=0, show_default=True, type=click.IntRange(0), help="Entries after this seq.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--kind", help="Only this event, e.g. release.computed.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, hashes included.")
def audit_show(after: int, limit: int, kind: str | None, as_json: bool) -> None:
    """Print audit entries, oldest first."""
    from hub.audit.service import read_entries

    with open_session() as session:
        page = read_entries(session, after=after, limit=limit, kind=kind)
    for entry in page.entries:
        if as_json:
            click.echo(entry.model_dump_json())
            continue
        details = " ".join(f"{key}={','.join(map(str, v)) if isinstance(v, list) else v}"
                           for key, v in entry.details.items())
        click.echo(f"{entry.seq:>7} {entry.at} {entry.kind:<21} {entry.actor or '-':<24} "
                   f"{entry.subject or '-'} {details}".rstrip())
    if not as_json:
        click.echo(f"{len(page.entries)} entr{'y' if len(page.entries) == 1 else 'ies'} shown; "
                   f"the chain's last entry is {page.head_seq}", err=True)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the chain's last entry now (run it from cron: entries after the last checkpoint are
    checked link by link only)."""
    from hub.audit.chain import checkpoint_head

    with open_session() as session:
        checkpoint = checkpoint_head(session)
        session.commit()
    if checkpoint is None:
        click.echo("nothing to anchor: the chain is empty or its last entry is signed already", err=True)
        return
    click.echo(json.dumps({"seq": checkpoint.seq, "entry_hash": checkpoint.entry_hash, "at": checkpoint.at}))
