"""Public routes: the schema a connector validates against and the report dimensions.

These are explicit exceptions to "every route is behind authentication": they describe the
hub and its schema, never anything submitted.
"""

from __future__ import annotations

from fastapi import APIRouter

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
