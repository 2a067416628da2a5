"""Demo partners: who they are and how each one lays out its monthly export.

The first six partners are written by hand, one of each kind, so that even a small demo has a
UTF-8 CSV, a cp1252 CSV separated by semicolons, a UTF-8 CSV with a byte-order mark, a
tab-separated file, an XLSX workbook and a JSON Lines file. Further partners reuse those kinds
with their own names, headers and conventions, drawn from the seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import date

from hub.demo.layouts import BIRTH_PLACEHOLDERS, HEADER_SYNONYMS, PARTNER_NAMES, TEMPLATES

# The organisation type (hub orgs create --type) and data source of each kind of partner.
KINDS = {
    "hotline": ("ngo", "Hotline"),
    "shelter": ("ngo", "Shelter"),
    "police": ("government", "LawEnforcement"),
    "labour_inspection": ("government", "LabourInspection"),
    "case_management": ("ngo", "CaseManagement"),
    "tech_platform": ("tech", "TechPlatform"),
}


@dataclass(frozen=True)
class PartnerLayout:
    """One partner and the conventions of its export files."""

    slug: str
    display_name: str
    kind: str
    file_format: str  # csv, xlsx or jsonl
    columns: tuple[tuple[str, str], ...]  # (header, schema field), in file order
    styles: dict[str, str] = field(default_factory=dict)  # schema field -> codebook style
    encoding: str = "utf-8"
    delimiter: str = ","
    date_format: str = "%Y-%m-%d"
    multi_separator: str = ";"
    name_order: str = "given_family"  # in a full-name column: or family_given, family_comma_given
    uppercase_family: bool = False
    local_script_rate: float = 0.2  # records written in the person's own script
    diacritics_rate: float = 0.7  # Latin names written with their diacritics
    birth_placeholder: date | None = None  # written when the date of birth is unknown
    phone_style: str = "e164"  # or spaced, double_zero
    reference_format: str = "{seq:06d}"

    @property
    def organisation_type(self) -> str:
        return KINDS[self.kind][0]

    @property
    def data_source_type(self) -> str:
        return KINDS[self.kind][1]

    @property
    def extension(self) -> str:
        if self.file_format == "csv" and self.delimiter == "\t":
            return "tsv"
        return self.file_format

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(f for _, f in self.columns)


def slugify(name: str) -> str:
    """A file-system and URL friendly name.

    >>> slugify("Harbour House Shelters (North)")
    'harbour-house-shelters-north'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build_partners(count: int, seed: int) -> list[PartnerLayout]:
    """The layouts of ``count`` demo partners; the same seed gives the same partners."""
    partners: list[PartnerLayout] = []
    slugs: set[str] = set()
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)]
        layout = PartnerLayout(**template)
        if index >= len(TEMPLATES):
            layout = _variant(layout, index, random.Random(f"demo-layout:{seed}:{index}"))
        slug = layout.slug
        number = 2
        while slug in slugs:
            slug, number = f"{layout.slug}-{number}", number + 1
        slugs.add(slug)
        partners.append(replace(layout, slug=slug))
    return partners


def _variant(base: PartnerLayout, index: int, rng: random.Random) -> PartnerLayout:
    """Another partner of the same kind as ``base``, with its own headers and conventions."""
    names = PARTNER_NAMES[base.kind]
    name = names[(index // len(TEMPLATES)) % len(names)]
    headers: set[str] = set()
    columns = []
    for header, field_name in base.columns:
        if rng.random() < 0.6:
            header = rng.choice(HEADER_SYNONYMS[field_name])
        if header in headers:  # two fields drew the same synonym ("Country of origin")
            header = f"{header} ({field_name})"
        headers.add(header)
        columns.append((header, field_name))
    styles = dict(base.styles)
    for country_field in ("citizenship", "country_of_exploitation", "document_country"):
        if country_field in styles:
            styles[country_field] = rng.choice(["alpha3", "name", "iso_name", "upper_name"])
    if "gender" in styles:
        styles["gender"] = rng.choice(["letter", "word", "person", "canonical"])
    initials = "".join(word[0] for word in name.split() if word[0].isalpha()).upper()
    references = [f"{initials}-{{yy}}{{seq:05d}}", f"{initials}/{{year}}/{{seq:04d}}", "{seq:07d}"]
    if "scrambled" in base.reference_format:  # a platform's random-looking ids stay so
        references = [base.reference_format]
    changes: dict = {
        "reference_format": rng.choice(references),
        "slug": slugify(name),
        "display_name": name,
        "columns": tuple(columns),
        "styles": styles,
        "phone_style": rng.choice(["e164", "spaced", "double_zero"]),
        "local_script_rate": rng.choice([0.0, 0.1, 0.3, 0.5]),
    }
    if base.file_format != "xlsx":
        changes["date_format"] = rng.choice(["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"])
    if base.file_format == "csv":
        delimiter = rng.choice([",", ";", "\t", "|"])
        encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252"])
        changes["delimiter"] = delimiter
        changes["encoding"] = encoding
        changes["multi_separator"] = rng.choice([s for s in (";", "|", "/") if s != delimiter])
        if encoding == "cp1252":
            changes["local_script_rate"] = 0.0  # cp1252 cannot hold other scripts
    if "date_of_birth" in base.fields:
        changes["birth_placeholder"] = rng.choice(BIRTH_PLACEHOLDERS)
    return replace(base, **changes)
