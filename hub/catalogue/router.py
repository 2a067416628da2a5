"""Public routes: the landing page and the schema a connector validates against.

These are the explicit exceptions to "every route is behind authentication": they describe the
hub and its schema, never anything submitted.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from hub.catalogue.docs import markdown_page
from hub.errors import NotFound
from hub.reports.dimensions import catalogue
from schemas import load_schema

router = APIRouter(tags=["public"])


@router.get("/v1/schemas/{schema_id}")
def read_schema(schema_id: str) -> dict:
    """A schema's fields (with their class) and enumerations: what a partner's file may hold."""
    try:
        schema = load_schema(schema_id)
    except LookupError:
        raise NotFound("no such schema; this hub knows case-v1") from None
    return {
        "id": schema.id,
        "title": schema.title,
        "version": schema.version,
        "fields": [
            {"name": f.name, "class": f.field_class, "type": f.type, "required": f.required,
             "multiple": f.multiple, "enumeration": f.enumeration, "uploaded_as": f.upload_as
             or (f.name if f.field_class == "attribute" else None), "description": f.description}
            for f in schema.fields
        ],
        "upload_fields": [
            {"name": f.name, "type": f.type, "required": f.required, "multiple": f.multiple,
             "enumeration": f.enumeration, "description": f.description}
            for f in schema.upload_fields
        ],
        "enumerations": {
            name: [{"value": v, "label": e.label(v)} for v in e.values] for name, e in schema.enumerations.items()
        },
    }


@router.get("/v1/dimensions")
def list_dimensions() -> list[dict]:
    """The dimensions a release request may use, with every key (``year`` and ``month`` take the cohorts')."""
    return [{"name": d.name, "label": d.label, "multi_valued": d.multi, "keys": list(d.keys)}
            for d in catalogue().values()]


@router.get("/privacy", response_class=HTMLResponse, include_in_schema=False)
def privacy_page() -> str:
    return markdown_page("privacy")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def landing() -> str:
    schema = load_schema("case-v1")
    rows = "".join(
        f"<tr><td><code>{escape(f.name)}</code></td><td>{escape(f.field_class.replace('_', ' '))}</td>"
        f"<td>{escape(f.description)}</td></tr>"
        for f in schema.fields
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Counter-trafficking data hub</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
code {{ background: #f3f3f3; padding: 0 .2rem; }}
</style></head><body>
<h1>Counter-trafficking data hub</h1>
<p>Partner organisations submit monthly case records here in one standard schema. Names and other
identifiers never leave the partner's machine: the connector turns them into keyed linkage tokens.
Only differentially private statistics will ever leave the hub.</p>
<ul>
<li><a href="/reports">Published reports</a>, and <a href="/privacy">what their numbers protect</a></li>
<li><a href="/docs">API documentation</a> (OpenAPI)</li>
<li><a href="/v1/schemas/case-v1">The standard schema <code>case-v1</code></a> as JSON</li>
<li><a href="/.well-known/oauth-authorization-server">OAuth server metadata</a></li>
</ul>
<h2>Fields of <code>{escape(schema.id)}</code></h2>
<p>Identifiers are used on the partner's machine only, to make linkage tokens; quasi-identifiers are
coarsened there (ages to bands, dates to months); free text is never uploaded.</p>
<table><thead><tr><th>field</th><th>class</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table>
</body></html>"""
