"""The plain-words documents of ``docs/``, rendered from Markdown by a library for the web pages."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from markupsafe import Markup

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def markdown_html(name: str) -> tuple[str, Markup]:
    """A document of ``docs/``: its title (the first heading) and its body as HTML.

    The documents are ours (in the repository), not anything a user sent, so their HTML is trusted.
    """
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    heading = re.search(r"^#\s+(.+)$", text, flags=re.MULTILINE)
    body = markdown.markdown(text, extensions=["tables", "fenced_code"], output_format="html")
    return (heading.group(1).strip() if heading else name), Markup(body)
