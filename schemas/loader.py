"""Load a versioned schema file (``case-v1.yaml``) into frozen Python objects.

The connector and the hub read the same file through this module, so a value that the
connector accepts is one that the hub accepts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCHEMA_DIR = Path(__file__).parent
FIELD_CLASSES = ("reference", "identifier", "quasi_identifier", "attribute", "free_text")


@dataclass(frozen=True)
class Enumeration:
    """A closed set of values: the public key set of a report dimension."""

    name: str
    values: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    lower_bounds: tuple[int, ...] = ()
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def canonical(self, raw: str) -> str | None:
        """The schema value that ``raw`` stands for (case, spacing and aliases ignored), or None."""
        return self._lookup.get(_fold(raw))

    def label(self, value: str) -> str:
        return self.labels.get(value, value)


@dataclass(frozen=True)
class Field:
    """A column that a partner's file may hold."""

    name: str
    field_class: str
    type: str
    description: str
    required: bool = False
    multiple: bool = False
    enumeration: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    upload_as: str | None = None
    coarsen: str | None = None


@dataclass(frozen=True)
class UploadField:
    """A column that the hub receives and stores: an attribute or a coarsened quasi-identifier."""

    name: str
    type: str  # "enum" or "month"
    description: str
    required: bool = False
    multiple: bool = False
    enumeration: str | None = None


@dataclass(frozen=True)
class Schema:
    """One version of the standard schema."""

    id: str
    title: str
    version: int
    fields: tuple[Field, ...]
    upload_fields: tuple[UploadField, ...]
    enumerations: dict[str, Enumeration]
    upload_field_names: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def fields_of(self, field_class: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.field_class == field_class)


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _enumeration(name: str, spec: dict) -> Enumeration:
    if "values_from" in spec:
        loaded = yaml.safe_load((SCHEMA_DIR / spec["values_from"]).read_text(encoding="utf-8"))
        labels = {code: str(label) for code, label in loaded["countries"].items()}
        values = tuple(labels)
    else:
        values = tuple(str(v) for v in spec["values"])
        labels = {str(k): str(v) for k, v in spec.get("labels", {}).items()}
    lookup = {_fold(v): v for v in values}
    lookup.update({_fold(label): v for v, label in labels.items()})
    for value, aliases in spec.get("aliases", {}).items():
        if value not in values:
            raise ValueError(f"enumeration {name}: alias target {value!r} is not one of its values")
        lookup.update({_fold(str(alias)): value for alias in aliases})
    return Enumeration(name, values, labels, tuple(spec.get("lower_bounds", ())), lookup)


def _field(spec: dict) -> Field:
    if spec["class"] not in FIELD_CLASSES:
        raise ValueError(f"field {spec['name']}: unknown class {spec['class']!r}")
    return Field(
        name=spec["name"],
        field_class=spec["class"],
        type=spec["type"],
        description=spec.get("description", ""),
        required=spec.get("required", False),
        multiple=spec.get("multiple", False),
        enumeration=spec.get("enumeration"),
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        upload_as=spec.get("upload_as"),
        coarsen=spec.get("coarsen"),
    )


@functools.cache
def load_schema(schema_id: str = "case-v1") -> Schema:
    """Load and check a schema by id.

    >>> schema = load_schema("case-v1")
    >>> schema.enumerations["gender"].canonical(" f ")
    'Female'
    >>> "age_band" in schema.upload_field_names
    True
    """
    path = SCHEMA_DIR / f"{schema_id}.yaml"
    if not path.is_file():
        raise LookupError(f"no schema {schema_id!r}")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    enumerations = {name: _enumeration(name, s) for name, s in spec["enumerations"].items()}
    fields = tuple(_field(s) for s in spec["fields"])
    derived = {d["name"]: d for d in spec.get("derived", [])}
    upload_fields = []
    for f in fields:
        if f.field_class == "attribute":
            upload_fields.append(
                UploadField(f.name, "enum", f.description, f.required, f.multiple, f.enumeration)
            )
        elif f.field_class == "quasi_identifier":
            d = derived[f.upload_as]
            upload_fields.append(
                UploadField(
                    d["name"], d["type"], d.get("description", ""), d.get("required", False),
                    False, d.get("enumeration"),
                )
            )
    for f in [*fields, *upload_fields]:
        if f.enumeration and f.enumeration not in enumerations:
            raise ValueError(f"field {f.name}: unknown enumeration {f.enumeration!r}")
    return Schema(
        id=spec["id"],
        title=spec["title"],
        version=spec["version"],
        fields=fields,
        upload_fields=tuple(upload_fields),
        enumerations=enumerations,
        upload_field_names=tuple(f.name for f in upload_fields),
    )
