"""How a stored release reads: its rows in the reader's order, with keys as words, and as CSV.

Everything rendered here is the release as stored: noisy, post-processed values and their
intervals. Nothing is recomputed, so the page (``hub.web``), the CSV and the JSON always agree.
"""

from __future__ import annotations

import csv
import io

from hub.models import Release

LONG_LIST = 30  # a one-dimensional table longer than this (countries) is read largest first
ALL = "All"


def dimension_labels(release: Release) -> list[tuple[str, str]]:
    return [(d["name"], d["label"]) for d in release.parameters["dimensions"]]


def key_text(release: Release, name: str, key: str) -> str:
    """A key as people read it: "Bangladesh" for BGD, "Forced labour", "C — Manufacturing" for an ISIC section."""
    labels = next((d.get("key_labels") or {} for d in release.parameters["dimensions"] if d["name"] == name), {})
    label = labels.get(key)
    if label is None:
        return key
    return f"{key} — {label}" if len(key) == 1 and key.isupper() else label


def entry_kind(entry: dict) -> str:
    return entry.get("kind", "cell")  # releases stored before margins were published hold cells only


def rows_in_reading_order(release: Release) -> list[dict]:
    """Cells in the reader's order, then the margins, then the total."""
    cells = [e for e in release.cells if entry_kind(e) == "cell"]
    if len(dimension_labels(release)) == 1 and len(cells) > LONG_LIST:
        cells = sorted(cells, key=lambda e: -e["value"])
    return cells + [e for e in release.cells if entry_kind(e) == "margin"] + [e for e in release.cells if entry_kind(e) == "total"]


def row_keys(release: Release, entry: dict) -> list[str]:
    return [key_text(release, name, entry["key"][name]) if name in entry["key"] else ALL for name, _ in dimension_labels(release)]


def release_csv(release: Release) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = [name for name, _ in dimension_labels(release)]
    writer.writerow(["kind", *names, *(f"{name}_label" for name in names), "value", "estimate", "ci95_low",
                     "ci95_high", "ci90_low", "ci90_high", "ci99_low", "ci99_high", "too_noisy"])
    for entry in rows_in_reading_order(release):
        writer.writerow([
            entry_kind(entry), *(entry["key"].get(name, ALL) for name in names), *row_keys(release, entry),
            entry["value"], entry.get("estimate", ""), *entry["ci95"], *entry["ci90"], *entry["ci99"],
            "yes" if entry["too_noisy"] else "no",
        ])
    return out.getvalue()
