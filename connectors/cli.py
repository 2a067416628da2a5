"""``hub-connector``: push a month's case records to the hub from the partner's machine."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click
import httpx

from connectors.config import ConnectorConfig, read_config
from connectors.errors import ConfigurationError, ConnectorError, HubRequestFailed
from connectors.explain import Failure, explain
from connectors.hub_client import HubClient
from connectors.messages import describe_error
from connectors.oauth import TokenError, TokenSource, load_private_jwk
from connectors.upload import push as push_file

ERRORS_SHOWN = 50
EXIT_REJECTED, EXIT_FAILED = 1, 2
INTERRUPTED = "interrupted; run the same command again to resume the upload"


def _token_source(config: ConnectorConfig) -> TokenSource:
    token_url = config.hub_url.rstrip("/") + "/oauth/token"
    if config.client_secret:
        return TokenSource(token_url, config.client_id, client_secret=config.client_secret)
    try:
        private_jwk = load_private_jwk(config.client_key_file)
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"HUB_CLIENT_KEY cannot be used: {error}") from None
    return TokenSource(token_url, config.client_id, private_jwk=private_jwk)


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def _print_human(receipt: dict) -> None:
    if receipt["status"] == "dry-run":
        click.echo(f"Dry run, nothing was sent: the submission for {receipt['period']} "
                   f"would be {receipt['would_be']}.")
        click.echo(f"  {_rows(receipt['accepted'])} valid, {_rows(receipt['rejected'])} rejected")
    else:
        click.echo(f"Submission {receipt['submission_id']} for {receipt['period']} "
                   f"(version {receipt['version']}): {receipt['status']}")
        click.echo(f"  {_rows(receipt['accepted'])} accepted, {_rows(receipt['rejected'])} rejected")
        if receipt.get("supersedes"):
            click.echo(f"  it replaces submission {receipt['supersedes']} (kept: hub-connector restore "
                       f"{receipt['supersedes']} makes it current again)")
    errors = receipt.get("errors") or []
    if errors:
        click.echo("Rejected rows (row 1 is the first record after the header; lines count from the top of "
                   "the file; the cells are shown on this screen only and never sent):")
    if receipt.get("status") == "rejected":
        click.echo("Nothing was stored. Correct these rows and push again, or push with --on-invalid skip "
                   "to store the valid rows only.")
    details = {(d["row"], d["field"]): d for d in receipt.get("local_details") or []}
    for error in errors[:ERRORS_SHOWN]:
        click.echo(f"  {describe_error(error, details.get((error.get('row'), error.get('field'))))}")
    if len(errors) > ERRORS_SHOWN:
        click.echo(f"… and {len(errors) - ERRORS_SHOWN} more; use --json for all")


def _fail(failure: Failure, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(failure.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"error: {failure.detail}", err=True)
    sys.exit(EXIT_FAILED)


@contextlib.contextmanager
def failures_explained(as_json: bool, hub_url: str | None = None):
    """Every failure of a command as one line (or one JSON object with a stable ``error``)."""
    try:
        yield
    except KeyboardInterrupt:
        if as_json:
            click.echo(json.dumps({"error": "interrupted", "detail": INTERRUPTED}))
        else:
            click.echo(INTERRUPTED, err=True)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - a data officer gets one line, never a traceback
        if os.environ.get("HUB_CONNECTOR_DEBUG") and not isinstance(error, ConnectorError | TokenError):
            raise
        if isinstance(error, HubRequestFailed) and not as_json:
            for problem in (error.body.get("errors") or [])[:ERRORS_SHOWN]:
                click.echo(describe_error(problem), err=True)
        _fail(explain(error, hub_url or os.environ.get("HUB_URL")), as_json)


@contextlib.contextmanager
def _hub(config: ConnectorConfig):
    with httpx.Client(base_url=config.hub_url, timeout=120.0) as http:
        yield HubClient(http, _token_source(config))


@click.group()
def main() -> None:
    """Partner-side connector of the counter-trafficking data hub."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--period", required=True, help="Month the records cover, YYYY-MM.")
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False), help="Mapping file (YAML).")
@click.option("--on-invalid", type=click.Choice(["reject", "skip"]), default="reject", show_default=True,
              help="reject: any invalid row refuses the whole month; skip: invalid rows are left out.")
@click.option("--dry-run", is_flag=True, help="Check the file and show the would-be receipt; send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the receipt as JSON on stdout.")
@click.option("--chunk-rows", type=click.IntRange(1, 5000), default=2000, show_default=True)
@click.option("--encoding", help="Text encoding of a CSV file, when detection gets it wrong (e.g. cp1252).")
@click.option("--delimiter", help="Delimiter of a CSV file, when detection gets it wrong.")
@click.option("--replace", is_flag=True,
              help="Confirm a push that leaves the month with no records or under half as many as now.")
def push(file: Path, period: str, mapping: Path | None, on_invalid: str, dry_run: bool, as_json: bool,
         chunk_rows: int, encoding: str | None, delimiter: str | None, replace: bool) -> None:
    """Validate FILE, turn identifiers into linkage tokens, and upload the rest to the hub."""
    if delimiter and delimiter.lower() in ("tab", "\\t"):
        delimiter = "\t"
    with failures_explained(as_json):
        config = read_config(need_hub=not dry_run)
        options = dict(mapping=mapping, linkage_secret=config.linkage_secret,
                       linkage_secret_version=config.linkage_secret_version, on_invalid=on_invalid,
                       chunk_rows=chunk_rows, dry_run=dry_run, progress=not as_json,
                       encoding=encoding, delimiter=delimiter, replace=replace)
        if dry_run:
            receipt = push_file(file, period, **options)
        else:
            with httpx.Client(base_url=config.hub_url, timeout=120.0) as http:
                receipt = push_file(file, period, http=http, tokens=_token_source(config), **options)
    if as_json:
        click.echo(json.dumps(receipt, indent=2, ensure_ascii=False))
    else:
        for warning in receipt.get("warnings", []):
            click.echo(f"warning: {warning}", err=True)
        _print_human(receipt)
    refused = receipt["status"] == "rejected" or receipt.get("would_be") == "rejected"
    sys.exit(EXIT_REJECTED if refused else 0)


def _versions_table(versions: list[dict]) -> None:
    click.echo(f"{'version':>7}  {'status':<10}  {'accepted':>8}  {'rejected':>8}  {'completed':<19}  submission")
    for version in versions:
        completed = (version.get("completed_at") or "")[:19].replace("T", " ")
        click.echo(f"{version['version']:>7}  {version['status']:<10}  {version['accepted']:>8}  "
                   f"{version['rejected']:>8}  {completed:<19}  {version['id']}")


@main.command()
@click.option("--period", required=True, help="Month, YYYY-MM.")
@click.option("--json", "as_json", is_flag=True, help="Print the versions as JSON on stdout.")
def history(period: str, as_json: bool) -> None:
    """List every version of your organisation's submission for a month, newest first."""
    with failures_explained(as_json):
        config = read_config()
        with _hub(config) as hub:
            versions = hub.versions(period)
    if as_json:
        click.echo(json.dumps(versions, indent=2))
        return
    if not versions:
        click.echo(f"No submission for {period}.")
        return
    _versions_table(versions)
    if any(v["status"] == "superseded" for v in versions):
        click.echo("To make a superseded version current again: hub-connector restore SUBMISSION")


@main.command()
@click.argument("submission_id")
@click.option("--json", "as_json", is_flag=True)
def restore(submission_id: str, as_json: bool) -> None:
    """Make a superseded version of a month current again (undo a wrong replacement)."""
    with failures_explained(as_json):
        config = read_config()
        with _hub(config) as hub:
            restored = hub.restore(submission_id)
    if as_json:
        click.echo(json.dumps(restored, indent=2))
    else:
        click.echo(f"Submission {restored['id']} (version {restored['version']}) is again the current "
                   f"{restored['period']}, with {_rows(restored['accepted'])}.")


@main.command()
@click.argument("submission_id")
@click.option("--json", "as_json", is_flag=True)
def abandon(submission_id: str, as_json: bool) -> None:
    """Discard an open submission left by an interrupted push: the hub deletes what it received."""
    with failures_explained(as_json):
        config = read_config()
        with _hub(config) as hub:
            abandoned = hub.abandon(submission_id)
    if as_json:
        click.echo(json.dumps(abandoned, indent=2))
    else:
        click.echo(f"Submission {abandoned['id']} is abandoned; nothing of it is kept on the hub.")


def _add_mapping_commands() -> None:
    from connectors.cli_mapping import mapping

    main.add_command(mapping)


_add_mapping_commands()
