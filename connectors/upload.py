"""Pushing a month's export to the hub: prepare, upload in chunks, resume, complete.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> export = folder / "cases.csv"
>>> _ = export.write_text("case_reference,registration_date,gender,age\\nA-1,2026-01-05,F,34\\n")
>>> receipt = push(export, "2026-01", linkage_secret=b"s" * 32, linkage_secret_version=1,
...                dry_run=True, progress=False, today=date(2026, 2, 1))
>>> receipt["status"], receipt["would_be"], receipt["accepted"], receipt["rejected"]
('dry-run', 'accepted', 1, 0)
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from connectors.chunks import LocalDetails, PreparedFile, open_prepared, prepared_chunks
from connectors.errors import ConfigurationError, FileRejected, HubRequestFailed
from connectors.hub_client import HubClient
from connectors.mapping import Mapping, load_mapping
from connectors.push_settings import refuse_bad_settings
from connectors.resume import StateStore, UploadState, default_state_dir, file_digest, upload_key
from privacy.tokens import NORMALISATION_VERSION

if TYPE_CHECKING:
    from connectors.oauth import TokenSource

# Statuses of a refusal after which resuming cannot help: the file or the request is at fault.
_NOT_RESUMABLE = frozenset({400, 409, 413, 422})


def _mapping(mapping: Mapping | str | Path | None) -> Mapping:
    if mapping is None:
        return Mapping()
    return mapping if isinstance(mapping, Mapping) else load_mapping(mapping)


def _dry_run(prepared: PreparedFile, period: str, on_invalid: str, chunk_rows: int, progress: bool,
             details: LocalDetails) -> dict:
    accepted = rejected = chunk_count = 0
    errors: list[dict] = []
    for chunk in prepared_chunks(prepared, chunk_rows, progress=progress):
        chunk_count += 1
        accepted += len(chunk.rows)
        rejected += chunk.rejected_count
        errors.extend(chunk.rejected_rows)
        details.add(chunk)
    if accepted + rejected == 0:
        raise FileRejected(f"{prepared.table.path.name}: has a header but no data rows")
    would_be = "rejected" if rejected and on_invalid == "reject" else "accepted"
    return {
        "submission_id": None, "status": "dry-run", "would_be": would_be,
        "dataset": prepared.preparer.context.schema.id, "period": period,
        "accepted": accepted, "rejected": rejected, "errors": errors, "local_details": details.of(errors),
        "warnings": prepared.warnings, "chunks": chunk_count,
    }


def _open_or_resume(hub: HubClient, store: StateStore, key: str, create_body: dict) -> tuple[UploadState, dict]:
    """The submission to upload into, and what the hub holds of it: resumed if possible."""
    state = store.load(key)
    if state is not None and state.submission_id is not None:
        try:
            found = hub.read_submission(state.submission_id)
        except HubRequestFailed as error:
            if error.status != 404:
                raise
            found = None
        if found is not None and found["status"] in ("open", "accepted", "rejected"):
            return state, found
        state = None  # abandoned or superseded meanwhile: start a new version
    if state is None:
        state = UploadState(idempotency_key=str(uuid.uuid4()))
        store.save(key, state)  # before the request, so a lost answer is retried under the same key
    found = hub.create_submission(create_body, state.idempotency_key)
    state.submission_id = found["id"]
    store.save(key, state)
    return state, found


def _left_behind(hub: HubClient, store: StateStore, key: str, submission_id: str, resumable: bool) -> str:
    """Abandon the open submission unless resuming it makes sense; what is left on the hub, in words."""
    if not resumable:
        try:
            hub.abandon(submission_id)
        except HubRequestFailed:
            pass
        else:
            store.delete(key)
            return (f"the submission {submission_id} opened on the hub for this upload was abandoned: "
                    "nothing of it is kept there")
    return (f"the submission {submission_id} stays open on the hub with the chunks sent so far (they count "
            "nowhere); run the same command again to resume, or discard it with "
            f"hub-connector abandon {submission_id}")


def _upload(prepared: PreparedFile, hub: HubClient, store: StateStore, key: str, create_body: dict,
            chunk_rows: int, progress: bool, replace: bool, details: LocalDetails) -> dict:
    state, submission = _open_or_resume(hub, store, key, create_body)
    if submission["status"] != "open":  # completed by an earlier run that stopped before tidying up
        store.delete(key)
        return hub.receipt(state.submission_id)
    try:
        return _send(prepared, hub, store, key, state, submission, chunk_rows, progress, replace, details)
    except FileRejected as error:
        raise FileRejected(f"{error}; {_left_behind(hub, store, key, state.submission_id, False)}") from None
    except HubRequestFailed as error:
        resumable = error.status not in _NOT_RESUMABLE
        raise HubRequestFailed(f"{error}; {_left_behind(hub, store, key, state.submission_id, resumable)}",
                               status=error.status, body=error.body) from None


def _send(prepared: PreparedFile, hub: HubClient, store: StateStore, key: str, state: UploadState,
          submission: dict, chunk_rows: int, progress: bool, replace: bool, details: LocalDetails) -> dict:
    already_received = set(submission.get("chunks_received") or [])
    sent = 0
    for chunk in prepared_chunks(prepared, chunk_rows, progress=progress):
        sent = chunk.seq
        details.add(chunk)
        if chunk.seq in already_received:
            continue
        try:
            hub.put_chunk(state.submission_id, chunk.seq, chunk.body())
        except HubRequestFailed as error:
            if error.status == 409:
                store.delete(key)
                raise HubRequestFailed(
                    f"{error}; the interrupted upload cannot be continued, run the command again to start afresh",
                    status=error.status, body=error.body,
                ) from None
            raise
    # Every row has been prepared (also those of chunks the hub already held), so the sample of
    # random pairs is the file's whole, as on a run that was never interrupted.
    receipt = hub.complete(state.submission_id, sent, prepared.preparer.sample.level_counts().wire(), replace=replace)
    store.delete(key)
    return receipt


def push(path: str | Path, period: str, *, mapping: Mapping | str | Path | None = None,
         http: httpx.Client | None = None, tokens: TokenSource | None = None, linkage_secret: bytes,
         linkage_secret_version: int, on_invalid: str = "reject", chunk_rows: int = 2000,
         dry_run: bool = False, progress: bool = True, state_dir: str | Path | None = None,
         hub_url: str | None = None, encoding: str | None = None, delimiter: str | None = None,
         today: date | None = None, replace: bool = False) -> dict:
    """Validate a month's export, tokenise its identifiers and upload it; the hub's receipt.

    The receipt is the hub's (``submission_id``, ``status``, ``accepted``, ``rejected``,
    ``errors`` ...) plus the file's ``warnings`` (columns dropped). A dry run contacts no one and
    answers the receipt the hub would give, with ``status`` ``dry-run`` and ``would_be``.

    Safety rails: a period after the current month is refused; the whole file is read once before
    anything is sent, so an unreadable line further down stops the push before it starts; a push
    that fails part-way abandons its open submission on the hub (or, when resuming can help, says
    what is left there); and the hub refuses a version that would empty the month or halve it
    unless ``replace`` confirms it.

    :raises FileRejected: the file or the mapping cannot be used; nothing was sent.
    :raises HubRequestFailed: the hub refused a request or could not be reached.
    """
    path = Path(path)
    today = today or date.today()
    refuse_bad_settings(period, on_invalid, linkage_secret, today)
    loaded_mapping = _mapping(mapping)
    prepared = open_prepared(path, period, loaded_mapping, linkage_secret, today=today,
                             encoding=encoding, delimiter=delimiter, on_invalid=on_invalid)
    # The receipt shown here adds local_details: each error's line, column, cell and nearest codes;
    # the hub receives none of them.
    details = LocalDetails(prepared.table.header_line)
    if dry_run:
        return _dry_run(prepared, period, on_invalid, chunk_rows, progress, details)
    if http is None:
        raise ConfigurationError("an HTTP client is needed to reach the hub")
    # Read to the end before anything is sent: a line that cannot be read stops the push here.
    if not sum(1 for _ in prepared.table):
        raise FileRejected(f"{path.name}: has a header but no data rows")
    hub = HubClient(http, tokens, hub_url=hub_url)
    settings = {"on_invalid": on_invalid, "chunk_rows": chunk_rows, "linkage_secret_version": linkage_secret_version,
                "normalisation": NORMALISATION_VERSION, "hub": hub.address,
                "encoding": prepared.table.encoding, "delimiter": prepared.table.delimiter}
    key = upload_key(file_sha256=file_digest(path), period=period, mapping_fingerprint=loaded_mapping.fingerprint,
                     settings=settings, linkage_secret=linkage_secret)
    create_body = {"dataset": loaded_mapping.schema_id, "period": period, "on_invalid": on_invalid,
                   "linkage_secret_version": linkage_secret_version}
    store = StateStore(Path(state_dir) if state_dir else default_state_dir())
    receipt = _upload(prepared, hub, store, key, create_body, chunk_rows, progress, replace, details)
    return {**receipt, "local_details": details.of(receipt.get("errors") or []), "warnings": prepared.warnings}
