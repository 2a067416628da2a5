"""How a stored release reads: CSV for spreadsheets, HTML with a chart and error bars for people.

Everything rendered here is the release as stored: noisy, post-processed values and their
intervals. Nothing is recomputed, so the page, the CSV and the JSON always agree.
"""

from __future__ import annotations

import csv
import io
from html import escape

from hub.models import Release

CHART_BARS = 25
LONG_LIST = 30  # a one-dimensional table longer than this (countries) is read largest first
ALL = "All"


def _labels(release: Release) -> list[tuple[str, str]]:
    return [(d["name"], d["label"]) for d in release.parameters["dimensions"]]


def _key_text(release: Release, name: str, key: str) -> str:
    """A key as people read it: "Bangladesh" for BGD, "Forced labour", "C — Manufacturing" for an ISIC section."""
    labels = next((d.get("key_labels") or {} for d in release.parameters["dimensions"] if d["name"] == name), {})
    label = labels.get(key)
    if label is None:
        return key
    return f"{key} — {label}" if len(key) == 1 and key.isupper() else label


def _kind(entry: dict) -> str:
    return entry.get("kind", "cell")  # releases stored before margins were published hold cells only


def _rows(release: Release) -> list[dict]:
    """Cells in the reader's order, then the margins, then the total."""
    cells = [e for e in release.cells if _kind(e) == "cell"]
    if len(_labels(release)) == 1 and len(cells) > LONG_LIST:
        cells = sorted(cells, key=lambda e: -e["value"])
    return cells + [e for e in release.cells if _kind(e) == "margin"] + [e for e in release.cells if _kind(e) == "total"]


def _row_keys(release: Release, entry: dict) -> list[str]:
    return [_key_text(release, name, entry["key"][name]) if name in entry["key"] else ALL for name, _ in _labels(release)]


def release_csv(release: Release) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = [name for name, _ in _labels(release)]
    writer.writerow(["kind", *names, *(f"{name}_label" for name in names), "value", "estimate", "ci95_low",
                     "ci95_high", "ci90_low", "ci90_high", "ci99_low", "ci99_high", "too_noisy"])
    for entry in _rows(release):
        writer.writerow([
            _kind(entry), *(entry["key"].get(name, ALL) for name in names), *_row_keys(release, entry),
            entry["value"], entry.get("estimate", ""), *entry["ci95"], *entry["ci90"], *entry["ci99"],
            "yes" if entry["too_noisy"] else "no",
        ])
    return out.getvalue()


def _chart(release: Release) -> str:
    """Horizontal bars of the largest cells whose 95 % interval excludes zero, with those intervals, as SVG."""
    names = [name for name, _ in _labels(release)]
    found = [c for c in release.cells if _kind(c) == "cell" and c["ci95"][0] > 0]
    cells = sorted(found, key=lambda c: -c["value"])[:CHART_BARS]
    if not cells:
        return ("<p><em>No cell of this table has a 95 % interval that excludes zero, so none is charted; "
                "the table below has them all.</em></p>")
    top = max(max(c["ci95"][1] for c in cells), 1)
    labels = [" · ".join(_key_text(release, n, c["key"][n]) for n in names) for c in cells]
    # Room for the longest label (about 6.6 px a character at 12 px), so none is cut off.
    left = min(max(120, int(6.6 * max(len(label) for label in labels)) + 12), 520)
    width, bar_height = left + 500, 18
    height = bar_height * len(cells) + 40
    scale = (width - left - 20) / top
    parts = [f'<svg role="img" aria-label="largest cells with 95% intervals" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for i, (cell, label) in enumerate(zip(cells, labels, strict=True)):
        y = 10 + i * bar_height
        low, high = cell["ci95"]
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{cell["value"] * scale:.1f}" height="{bar_height - 6}" '
                     f'fill="{"#c9c9c9" if cell["too_noisy"] else "#3b6ea8"}"/>')
        parts.append(f'<line x1="{left + low * scale:.1f}" x2="{left + high * scale:.1f}" y1="{y + 9}" y2="{y + 9}" '
                     'stroke="#111" stroke-width="1.5"/>')
        for end in (low, high):
            parts.append(f'<line x1="{left + end * scale:.1f}" x2="{left + end * scale:.1f}" y1="{y + 5}" '
                         f'y2="{y + 13}" stroke="#111" stroke-width="1.5"/>')
    axis_y = height - 20
    parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{axis_y}" y2="{axis_y}" stroke="#888"/>')
    for tick in range(0, 5):
        value = top * tick / 4
        x = left + value * scale
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">{value:,.0f}</text>')
    parts.append("</svg>")
    caption = (f"<p class=caption>The largest cells whose 95 % interval excludes zero ({len(cells)} of "
               f"{len(found)} such cells), with those intervals; cells whose interval includes zero are not "
               "charted. Cells picked for being large tend to have drawn positive noise: read the intervals, "
               "not only the bars.</p>")
    return "".join(parts) + caption


def release_html(release: Release, budget_note: str = "") -> str:
    labels = _labels(release)
    parameters = release.parameters
    header = "".join(f"<th>{escape(label)}</th>" for _, label in labels)
    rows = "".join(
        f"<tr class={_kind(entry)}>" + "".join(f"<td>{escape(text)}</td>" for text in _row_keys(release, entry))
        + f"<td class=n>{entry['value']:,}</td><td class=n>{entry['ci95'][0]:,} – {entry['ci95'][1]:,}</td>"
        + f"<td>{'interval includes zero' if entry['too_noisy'] else ''}</td></tr>"
        for entry in _rows(release)
    )
    notes = "".join(f"<p>{escape(note)}</p>" for note in release.mechanism.get("notes", []))
    mechanism = release.mechanism
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(release.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }} tr.margin td, tr.total td {{ font-weight: 600; }} .caption {{ color: #555; font-size: 13px; }} .note {{ background: #f5f5f0; padding: .6rem 1rem; }}
</style></head><body>
<p><a href="/reports">All reports</a></p>
<h1>{escape(release.title)}</h1>
<p>Period {escape(release.period or "custom")} · persons first identified in {escape(", ".join(release.cohorts))}
· published {release.created_at:%Y-%m-%d} · <a href="/v1/reports/{release.id}?format=csv">CSV</a></p>
<div class="note"><p>These are counts of <strong>persons</strong> (records of one person from several organisations
are counted once), with random noise added so that no individual can be singled out (differential privacy,
&epsilon; = {parameters["epsilon"]} at &delta; = {parameters["delta"]} for this table). Each value has a 95 %
interval: the true count lies inside it at least 95 times in 100. Values are whole persons, never negative,
and add up: rows marked "All" are totals over that column, and the last row is the table's total. A value
whose interval includes zero cannot be told apart from nobody and is marked so.</p>{notes}
<p>Method: {escape(mechanism["description"])}</p>{budget_note}</div>
{_chart(release)}
<table><thead><tr>{header}<th>persons</th><th>95 % interval</th><th></th></tr></thead><tbody>{rows}</tbody></table>
<p>Content hash (SHA-256): <code>{release.content_hash}</code></p>
</body></html>"""
