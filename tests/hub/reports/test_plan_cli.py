"""``hub reports plan`` shows each table's expected error before publishing, and spends nothing."""

from __future__ import annotations

import contextlib
import re

from click.testing import CliRunner

from hub.cli import main
from hub.reports.definitions import reports_of
from hub.releases.compute import expected_halfwidths


def test_the_plan_shows_every_tables_expected_half_width_as_the_publication_would_have_it(session, monkeypatch):
    # The plan reads which months are published (a year combines their measurements): none here.
    monkeypatch.setattr("hub.cli.privacy.open_session", lambda: contextlib.nullcontext(session))
    result = CliRunner().invoke(main, ["reports", "plan", "--period", "2026"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == len(reports_of("2026"))
    widths = expected_halfwidths("2026")
    for report, line in zip(reports_of("2026"), lines):
        assert line.startswith(report.title + ":")
        shown = [float(value) for value in re.findall(r"±(\d+)", line)]
        assert shown == [round(width) for width in widths[report.id].values()]
