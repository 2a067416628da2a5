"""The dimensions reports and requests may use: columns of the person table with public key sets.

Keys come from the schema's enumerations (plus the regions and derived values below), never from
the data, so every cell of a table is released, zeros included, and which cells exist says
nothing about anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from privacy.dp.tables import Dimension
from hub.reports.persons import country_regions
from schemas import load_schema

# Multi-valued fields: a person counts in at most this many of their values (the first ones in
# schema order); this bounds what one person can change in a table.
MAX_VALUES = {"type_of_exploitation": 3, "means_of_control": 4}


@dataclass(frozen=True)
class DimensionInfo:
    name: str
    label: str
    keys: tuple[str, ...]
    multi: bool = False
    labels: tuple[tuple[str, str], ...] = ()  # key -> label where they differ (country names)
    never_null: bool = False  # time dimensions: every person has one


def _enumerated(field: str, label: str) -> DimensionInfo:
    schema = load_schema("case-v1")
    upload = next(f for f in schema.upload_fields if f.name == field)
    enumeration = schema.enumerations[upload.enumeration]
    labels = tuple((v, enumeration.label(v)) for v in enumeration.values if enumeration.label(v) != v)
    return DimensionInfo(field, label, enumeration.values, upload.multiple, labels)


def catalogue() -> dict[str, DimensionInfo]:
    """Every dimension by name (time dimensions are added per period by :func:`time_dimension`)."""
    regions, _ = country_regions()
    found = [
        _enumerated("gender", "Gender"),
        _enumerated("age_band", "Age band"),
        _enumerated("citizenship", "Citizenship"),
        _enumerated("country_of_exploitation", "Country of exploitation"),
        _enumerated("type_of_exploitation", "Type of exploitation"),
        _enumerated("forced_labour_industry", "Forced-labour industry (ISIC section)"),
        _enumerated("means_of_control", "Means of control"),
        _enumerated("recruiter_relationship", "Relationship to recruiter"),
        _enumerated("trafficking_status", "Trafficking status"),
        _enumerated("data_source_type", "Data source"),
        DimensionInfo("region", "Region of exploitation (UN M49)", regions),
        DimensionInfo("border", "Domestic or cross-border", ("Domestic", "CrossBorder")),
    ]
    return {d.name: d for d in found}


def time_dimension(name: str, cohorts: list[str]) -> DimensionInfo:
    """``year`` or ``month`` over exactly the cohorts a release covers."""
    if name == "month":
        return DimensionInfo("month", "Month first identified", tuple(sorted(cohorts)), never_null=True)
    return DimensionInfo("year", "Year first identified", tuple(sorted({c[:4] for c in cohorts})), never_null=True)


def dp_dimension(info: DimensionInfo) -> Dimension:
    return Dimension(info.name, info.keys, multi=info.multi, max_values=MAX_VALUES.get(info.name, 1),
                     never_null=info.never_null)
