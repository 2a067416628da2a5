"""``hub-connector mapping init`` and ``mapping check``: write a mapping file, then see what it reads.

Both run on the partner's machine only and send nothing: they need no hub, no credentials and
no linkage secret (check uses a throw-away secret, since it shows no token).
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import click

from connectors.chunks import open_prepared
from connectors.mapping import Mapping, load_mapping
from connectors.propose import mapping_yaml, propose_columns, propose_values
from connectors.readers import open_table

ROWS_SHOWN = 20


@click.group()
def mapping() -> None:
    """Write a mapping file for an export, and check what it reads."""


@mapping.command("init")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--sheet", help="XLSX: the sheet to read (name or number from 1); the first by default.")
def init(file: Path, sheet: str | None) -> None:
    """Print a mapping file (YAML) proposed from FILE's header and values; save it and check it."""
    from connectors.cli import failures_explained  # the CLI's one way of reporting failures

    with failures_explained(False):
        empty = Mapping(sheet=sheet)
        table = open_table(file, layout=empty.layout())
        schema = empty.schema()
        columns = propose_columns(schema, table.header)
        values = propose_values(schema, table, columns)
    click.echo(mapping_yaml(schema, table, columns, values), nl=False)
    click.echo(f"read the header from line {table.header_line} of {table.where}; "
               "save the output (> mapping.yaml), check it, then run mapping check", err=True)


def _shown_fields(upload: dict) -> str:
    fields = {name: value for name, value in upload["fields"].items() if value is not None}
    return ", ".join(f"{name}={'; '.join(value) if isinstance(value, list) else value}"
                     for name, value in fields.items())


@mapping.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--mapping", "mapping_file", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--period", help="Month the file covers, YYYY-MM; by default this month.")
@click.option("--rows", "rows_shown", type=click.IntRange(1), default=ROWS_SHOWN, show_default=True,
              help="How many rows to show.")
def check(file: Path, mapping_file: Path, period: str | None, rows_shown: int) -> None:
    """Show, row by row, what FILE gives under the mapping: sends nothing, needs no hub."""
    from connectors.cli import describe_error, failures_explained

    with failures_explained(False):
        loaded = load_mapping(mapping_file)
        today = date.today()
        period = period or today.strftime("%Y-%m")
        # Identifiers are tokenised as on a push, with a secret made for this run: nothing is kept.
        prepared = open_prepared(file, period, loaded, secrets.token_bytes(32), today=today, on_invalid="skip")
        click.echo(f"{prepared.table.where}: header on line {prepared.table.header_line}; "
                   f"rows checked against the period {period}; nothing is sent")
        for column, target in prepared.preparer.plan.fields.items():
            click.echo(f"  column '{column}' -> {target or 'dropped'}")
        shown = valid = refused = 0
        for row_number, values in prepared.table:
            outcome = prepared.preparer.prepare(row_number, values)
            valid, refused = valid + (outcome.upload is not None), refused + (outcome.upload is None)
            if shown >= rows_shown:
                continue
            shown += 1
            line = row_number + prepared.table.header_line
            if outcome.upload is not None:
                click.echo(f"row {row_number} (line {line}): read as {_shown_fields(outcome.upload)}")
                continue
            details = {d["field"]: {**d, "line": line} for d in outcome.details}
            for error in outcome.errors:
                click.echo(f"refused: {describe_error(error, details.get(error['field'], {'line': line}))}")
    for warning in prepared.warnings:
        click.echo(f"warning: {warning}")
    click.echo(f"{valid:,} row(s) would be sent, {refused:,} refused"
               + (f" (the first {shown} shown)" if valid + refused > shown else ""))
