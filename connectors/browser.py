"""The connector as the hub's upload page runs it, in the data officer's browser (Pyodide).

The page's worker (``hub/web/static/upload-worker.js``) writes the files the officer picked into
Pyodide's own file system, which lives in the browser tab's memory, and calls the functions here.
They are the command line's code: the same reading, mapping, checks, coarsening, tokenising and
chunks (:mod:`connectors.chunks`), the same safety rails (:mod:`connectors.push_settings`) and
the same words for a refused row (:mod:`connectors.messages`). So a file checked here gives the
rows, the problems and the encodings ``hub-connector push`` gives for it with the same secret, and
what the page sends is what :meth:`PageUpload.chunk` returns: tokens and attributes only.

Two things differ from the command line. The page sends no counts of random pairs
(:mod:`privacy.random_pairs` needs numpy, which Pyodide lacks): the hub fits the linkage model on
the counts of the other submissions, as it does for any submission without them. And an upload
cut short is not resumed: the page abandons its open submission, and sending again starts anew.

Everything here returns JSON text, which the worker hands to the page as it is.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from connectors.chunks import LocalDetails, open_prepared, prepared_chunks
from connectors.config import read_config
from connectors.errors import ConnectorError, FileRejected
from connectors.mapping import Mapping, load_mapping
from connectors.messages import describe_error
from connectors.propose import mapping_yaml, propose_columns, propose_values
from connectors.push_settings import refuse_bad_settings
from connectors.readers import open_table

CHUNK_ROWS = 2000  # the command line's default

if sys.platform == "emscripten":  # Pyodide starts no threads: tqdm's monitor thread is not tried
    import tqdm

    tqdm.tqdm.monitor_interval = 0

# A line of a settings file: HUB_LINKAGE_SECRET=..., export HUB_...=..., or PowerShell's $env:HUB_... = "...".
_SETTING = re.compile(r"^\s*(?:export\s+|\$env:)?(HUB_[A-Z_]+)\s*=\s*(.*?)\s*$", re.MULTILINE)


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def linkage_settings(text: str, version: str = "1") -> tuple[bytes, int]:
    """The linkage secret and its version from what the officer gave the page: the secret as the
    key custodian handed it (hex or text), or a file of the connector's ``HUB_*`` settings. The
    version is the file's ``HUB_LINKAGE_SECRET_VERSION`` if it has one, else ``version``.

    Checked as the command line checks ``HUB_LINKAGE_SECRET`` (:func:`connectors.config.read_config`).

    >>> linkage_settings("00" * 16, version="3")[1]
    3
    >>> linkage_settings("00" * 16)
    (b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00', 1)
    >>> linkage_settings('$env:HUB_URL = "https://hub.example"\\n$env:HUB_LINKAGE_SECRET = "a long partner secret"\\n'
    ...                  '$env:HUB_LINKAGE_SECRET_VERSION = "2"')
    (b'a long partner secret', 2)
    >>> linkage_settings("export HUB_LINKAGE_SECRET='the partners' own, long secret'")
    (b"the partners' own, long secret", 1)
    """
    settings = {name: _unquoted(value) for name, value in _SETTING.findall(text)}
    if not settings:
        settings = {"HUB_LINKAGE_SECRET": text.strip()}
    settings.setdefault("HUB_LINKAGE_SECRET_VERSION", str(version).strip() or "1")
    config = read_config(settings, need_hub=False)
    return config.linkage_secret, config.linkage_secret_version


def _failure(error: ConnectorError) -> str:
    return json.dumps({"failure": type(error).__name__, "detail": str(error)})


def propose_mapping(path: str, sheet: str | None = None) -> str:
    """A mapping file proposed from the file's header and values, as ``hub-connector mapping init`` writes it."""
    try:
        empty = Mapping(sheet=sheet or None)
        table = open_table(Path(path), layout=empty.layout())
        schema = empty.schema()
        columns = propose_columns(schema, table.header)
        values = propose_values(schema, table, columns)
        proposed = mapping_yaml(schema, table, columns, values)
    except ConnectorError as error:
        return _failure(error)
    return json.dumps({"yaml": proposed, "note": f"read the header from line {table.header_line} of {table.where}"})


class PageUpload:
    """One file checked and tokenised in the browser, its chunks ready to send.

    ``progress(done, total, unit)`` is called while the rows are read (``unit`` is ``"B"`` when
    the file is read by bytes, else rows).
    """

    def __init__(self, path: str, period: str, mapping_path: str | None, linkage_text: str, on_invalid: str,
                 today: str, progress: Callable[[int, int, str], None] | None = None, secret_version: str = "1"):
        self.period = period
        self.on_invalid = on_invalid
        self.failure: str | None = None
        self.bodies: list[bytes] = []
        try:
            self._prepare(Path(path), mapping_path, linkage_text, secret_version, date.fromisoformat(today), progress)
        except ConnectorError as error:
            self.failure = _failure(error)

    def _prepare(self, path: Path, mapping_path: str | None, linkage_text: str, secret_version: str, today: date,
                 progress) -> None:
        secret, self.secret_version = linkage_settings(linkage_text, secret_version)
        refuse_bad_settings(self.period, self.on_invalid, secret, today)
        mapping = load_mapping(mapping_path) if mapping_path else Mapping()
        self.dataset = mapping.schema_id
        prepared = open_prepared(path, self.period, mapping, secret, today=today, on_invalid=self.on_invalid)
        details = LocalDetails(prepared.table.header_line)
        self.accepted = self.rejected = 0
        self.errors: list[dict] = []
        rows_seen = 0
        for chunk in prepared_chunks(prepared, CHUNK_ROWS):
            # Each body is made once, here: the bytes sent are those checked.
            self.bodies.append(chunk.body())
            details.add(chunk)
            self.accepted += len(chunk.rows)
            self.rejected += chunk.rejected_count
            self.errors.extend(chunk.rejected_rows)
            rows_seen += len(chunk.rows) + chunk.rejected_count
            if progress is not None:
                progress(prepared.table.progress_done, prepared.table.progress_total, prepared.table.progress_unit)
        if not rows_seen:
            raise FileRejected(f"{path.name}: has a header but no data rows")
        self.warnings = prepared.warnings
        self.details = details
        self.where = prepared.table.where
        self.header_line = prepared.table.header_line

    def summary(self) -> str:
        """What the check found, as the command line's dry run: counts, every problem in the
        partner's terms (cells included: this stays in the browser), the warnings."""
        if self.failure:
            return self.failure
        local = {(one["row"], one["field"]): one for one in self.details.of(self.errors)}
        return json.dumps({
            "period": self.period, "dataset": self.dataset, "on_invalid": self.on_invalid,
            "would_be": "rejected" if self.rejected and self.on_invalid == "reject" else "accepted",
            "accepted": self.accepted, "rejected": self.rejected, "chunks": len(self.bodies),
            "where": self.where, "header_line": self.header_line, "warnings": self.warnings,
            "problems": [describe_error(error, local.get((error.get("row"), error.get("field"))))
                         for error in self.errors],
        })

    def create_body(self) -> str:
        """The body that opens the submission (``POST /v1/submissions``'s)."""
        return json.dumps({"dataset": self.dataset, "period": self.period, "on_invalid": self.on_invalid,
                           "linkage_secret_version": self.secret_version})

    def chunk(self, seq: int) -> bytes:
        """Chunk ``seq`` (from 1) as sent: rows of case-reference hashes, attributes and tokens."""
        return self.bodies[seq - 1]

    def receipt_problems(self, errors_json: str) -> str:
        """The refused rows of the hub's receipt (its ``errors``) in the same words, with this
        screen's cells joined by row and field, as the command line prints them."""
        errors = json.loads(errors_json)
        local = {(one["row"], one["field"]): one for one in self.details.of(errors)}
        return json.dumps([describe_error(error, local.get((error.get("row"), error.get("field")))) for error in errors])
