"""``hub demo-data``, ``hub demo`` and ``hub link``: synthetic data, the demo, the linkage."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hub.cli.app import main
from hub.cli.common import as_jsonable, fail, open_session


@main.command("demo-data")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--partners", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--persons", default=2000, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--seed", default=7, show_default=True, type=int)
def demo_data(out_dir: Path, partners: int, persons: int, seed: int) -> None:
    """Write synthetic monthly files for N partners, with mappings and a ground truth."""
    from hub.demo import generate_demo_data

    summary = generate_demo_data(out_dir, partners=partners, persons=persons, seed=seed)
    click.echo(json.dumps(as_jsonable(summary), indent=2))


@main.command()
@click.option("--partners", default=4, show_default=True, type=click.IntRange(1, 20))
@click.option("--persons", default=1500, show_default=True, type=int)
@click.option("--out", "out_dir", default=Path("var/demo"), show_default=True, type=click.Path(path_type=Path))
def demo(partners: int, persons: int, out_dir: Path) -> None:
    """Seed the database with demo organisations and clients, and push their files through the API."""
    import logging

    from hub.demo.seed import seed_demo

    # The demo's own requests are told line by line below; their request log would bury that.
    logging.getLogger("hub.request").setLevel(logging.WARNING)
    for line in seed_demo(out_dir, partners=partners, persons=persons):
        click.echo(line, err=True)


@main.command()
@click.option("--full", is_flag=True, help="Resolve every record from scratch instead of only what changed.")
def link(full: bool) -> None:
    """Resolve accepted records into persons (incrementally: only what changed since the last run)."""
    from hub.errors import HubError
    from hub.linkage.service import link_pending, relink_all

    with open_session() as session:
        try:
            run = relink_all(session, progress=True) if full else link_pending(session, progress=True)
        except HubError as error:
            fail(error.detail)
        session.commit()
    click.echo(
        f"linked {run.submissions} submission change(s): {run.records_added} record(s) added, "
        f"{run.records_removed} taken out, {run.records_resolved} resolved again; {run.persons} person(s) in all",
        err=True,
    )
    if run.quality is not None:
        quality = run.quality
        click.echo(
            f"the model's own estimate over the {run.records_resolved:,} records resolved "
            f"({'model fitted anew' if run.full else 'model of the last full run'}): "
            f"precision {quality.expected_precision:.3f}, recall {quality.expected_recall:.3f} of the pairs "
            f"compared; about {quality.expected_split_share:.1%} of persons split in two, "
            f"{quality.expected_merge_share:.1%} joined with another",
            err=True,
        )
