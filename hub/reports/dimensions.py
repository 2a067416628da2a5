"""The dimensions reports and requests may use: columns of the person table with public key sets.

Keys come from the schema's enumerations (plus the regions and derived values below), never from
the data, so every cell of a table is released, zeros included, and which cells exist says
nothing about anyone.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from privacy.dp.tables import Dimension
from hub.reports.persons import country_regions
from schemas import load_schema

# Multi-valued fields: a person counts in at most this many of their values; a person with more
# has that many of theirs chosen at random (privacy.dp.tables), never the first in schema order.
# This bounds what one person can change in a table (sensitivity grows with the bound).
MAX_VALUES = {"type_of_exploitation": 3, "means_of_control": 4}
MULTI_NOUNS = {"type_of_exploitation": "types of exploitation", "means_of_control": "means of control"}

# Labels where splitting the schema's code into words would not read well.
_LABELS = {
    "GenderDiverse": "Gender diverse", "ForcedMilitaryByNonStateActors": "Forced military service by non-state actors",
    "CrossBorder": "Cross-border", "AtRisk": "At risk", "TechPlatform": "Tech platform", "Unknown": "Not recorded",
    "ThreatOfLawEnforcement": "Threat of law enforcement", "PsychoactiveSubstances": "Psychoactive substances",
}


def code_label(code: str) -> str:
    """A schema code as words: "ForcedLabour" -> "Forced labour"; codes that are not words stay.

    >>> code_label("ForcedLabour"), code_label("WithholdsDocuments"), code_label("18-20")
    ('Forced labour', 'Withholds documents', '18-20')
    """
    if code in _LABELS:
        return _LABELS[code]
    words = re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+", code)
    if not words or "".join(words) != code.replace(" ", ""):
        return code
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def bound_note(name: str) -> str:
    """What the contribution bound of a multi-valued dimension does, as a reader reads it."""
    noun = MULTI_NOUNS.get(name, name)
    bound = MAX_VALUES[name]
    return (f"A person counts once under each of their {noun}, up to {bound}: for persons with more than "
            f"{bound} {noun}, {bound} of theirs chosen at random are counted.")


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
    labels = tuple((v, enumeration.label(v) if enumeration.label(v) != v else code_label(v))
                   for v in dict.fromkeys((*enumeration.values, "Unknown")))
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
        DimensionInfo("region", "Region of exploitation (UN M49)", regions, labels=(("Unknown", "Not recorded"),)),
        DimensionInfo("border", "Domestic or cross-border", ("Domestic", "CrossBorder"),
                      labels=(("Domestic", "Domestic (in their own country)"), ("CrossBorder", "Cross-border"),
                              ("Unknown", "Not recorded"))),
    ]
    return {d.name: d for d in found}


def time_dimension(name: str, cohorts: list[str]) -> DimensionInfo:
    """``year`` or ``month`` over exactly the cohorts a release covers."""
    if name == "month":
        months = tuple(sorted(cohorts))
        labels = tuple((m, f"{calendar.month_name[int(m[5:])]} {m[:4]}") for m in months)
        return DimensionInfo("month", "Month first identified", months, labels=labels, never_null=True)
    return DimensionInfo("year", "Year first identified", tuple(sorted({c[:4] for c in cohorts})), never_null=True)


def dp_dimension(info: DimensionInfo) -> Dimension:
    return Dimension(info.name, info.keys, multi=info.multi, max_values=MAX_VALUES.get(info.name, 1),
                     never_null=info.never_null)
