"""Serving the plain-words documents of ``docs/`` as simple HTML pages."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def _inline(text: str) -> str:
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)


def markdown_page(name: str) -> str:
    """A document of ``docs/`` (headings, paragraphs and lists only) as an HTML page."""
    blocks = (DOCS / f"{name}.md").read_text(encoding="utf-8").split("\n\n")
    body = []
    for block in blocks:
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            level = len(lines[0]) - len(lines[0].lstrip("#"))
            body.append(f"<h{level}>{_inline(lines[0].lstrip('# '))}</h{level}>")
        elif lines[0].startswith("- "):
            items = " ".join(lines).split("- ")[1:]
            body.append("<ul>" + "".join(f"<li>{_inline(item.strip())}</li>" for item in items) + "</ul>")
        else:
            body.append(f"<p>{_inline(' '.join(lines))}</p>")
    title = re.sub(r"<.*?>", "", body[0]) if body else name
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><style>body { font: 16px/1.6 '
            'system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }</style></head><body>'
            '<p><a href="/">Home</a> · <a href="/reports">Reports</a></p>' + "".join(body) + "</body></html>")
