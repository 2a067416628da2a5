"""One partner's record of one synthetic person: what its caseworker would have typed.

The record is a dict from schema field to a Python value (text, number, date, list of codes or
None); :mod:`hub.demo.write` formats it for the partner's file. Here are the differences
between partners' records of the same person: spelling, script, name order, a middle name,
dates of birth missing, defaulted or mistyped, ages heard, codes, and what each partner bothers
to fill in. The rates of the slips are in :mod:`hub.demo.slips`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from anyascii import anyascii

from hub.demo.codebooks import Codebook, codebook
from hub.demo.countries import DIALLING_CODES
from hub.demo.names import spell, typo
from hub.demo.notes import narrative
from hub.demo.partners import PartnerLayout
from hub.demo.people import Person
from hub.demo.slips import (
    ESTIMATED_AGE_ERROR, FIRST_CONTACT, HEARD_AGE_ERROR, Slips, mistyped_birth_date, off_by,
)
from schemas.coarsen import age_at

ENUM_FIELDS = (
    "gender", "citizenship", "country_of_exploitation", "document_country", "type_of_exploitation",
    "forced_labour_industry", "means_of_control", "recruiter_relationship", "trafficking_status",
    "data_source_type",
)
_CODES_LONGEST_FIRST = sorted(set(DIALLING_CODES.values()), key=len, reverse=True)
# How often a person's middle name is written when they have one: an assumption, that a form with
# one "first name" box gets the second given name about half the time.
MIDDLE_NAME_WRITTEN = 0.5


@dataclass
class Renderer:
    """Writes persons as one partner's records; remembers the codes it used for the mapping file."""

    layout: PartnerLayout
    rng: random.Random
    codes_used: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {raw: schema value}
    _codebooks: dict[str, Codebook] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ENUM_FIELDS:
            if name in self.layout.fields:
                self._codebooks[name] = codebook(name, self.layout.styles.get(name, "canonical"))

    def record(self, person: Person, registered: date, reference: str, slips: Slips = FIRST_CONTACT) -> dict:
        """The partner's record of ``person``, registered on ``registered`` under ``reference``."""
        rng, fields = self.rng, self.layout.fields
        record: dict = {"case_reference": reference, "registration_date": registered}
        record.update(self._names(person, slips))
        if "date_of_birth" in fields:
            record["date_of_birth"] = self._birth_date(person, slips)
        if "age" in fields:
            record["age"] = self._age(person, registered)
        types = list(person.types)
        if len(types) > 1 and rng.random() < 0.25:
            types = types[:1]  # partners often record only the main form of exploitation
        means = [m for m in person.means if rng.random() < 0.85]
        values = {
            "gender": None if rng.random() < slips.sex_left_blank else person.gender,
            "citizenship": person.citizenship,
            "country_of_exploitation": person.exploitation_country,
            "type_of_exploitation": types,
            "forced_labour_industry": person.industry if rng.random() < 0.9 else None,
            "means_of_control": means or None,
            "recruiter_relationship": person.recruiter if rng.random() < 0.85 else None,
            "trafficking_status": self._status(person),
            "data_source_type": self.layout.data_source_type,
        }
        if person.document and rng.random() < 0.85:
            number, issuer = person.document
            values["document_country"] = issuer
            record["document_number"] = f"{number[:2]} {number[2:]}" if rng.random() < 0.1 else number
        for name, value in values.items():
            if name in fields:
                record[name] = self._encode(name, value)
        if person.phone and rng.random() < 0.8:
            record["phone"] = self._phone(person.phone)
        if person.email and rng.random() < 0.9:
            record["email"] = person.email
        if "notes" in fields and rng.random() < 0.8:
            record["notes"] = narrative(person, record.get("given_name") or "", rng)
        if self.layout.encoding == "cp1252":
            record = {k: _latin(v) if isinstance(v, str) else v for k, v in record.items()}
        return {k: v for k, v in record.items() if k in fields}

    def _names(self, person: Person, slips: Slips) -> dict:
        rng, layout = self.rng, self.layout
        local_rate = layout.local_script_rate
        if person.given.local_is_latin or any(f.local_is_latin for f in person.family):
            local_rate = layout.diacritics_rate
        use_local = rng.random() < local_rate
        rate = 1.0 if use_local else 0.0
        given = spell(person.given, rng, local_rate=rate, variant_rate=0.25)
        if person.middle and rng.random() < MIDDLE_NAME_WRITTEN:
            given = f"{given} {spell(person.middle, rng, local_rate=rate, variant_rate=0.25)}"
        families = [spell(f, rng, local_rate=rate, variant_rate=0.2) for f in person.family]
        if len(families) > 1 and rng.random() < 0.35:
            families = families[:1]  # the second family name is often left out
        family = " ".join(families)
        if not use_local:
            given = typo(given, rng) if rng.random() < slips.name_typo else given
            family = typo(family, rng) if rng.random() < slips.name_typo else family
        if layout.uppercase_family:
            family = family.upper()
        if rng.random() < slips.names_swapped:
            given, family = family, given  # the caseworker swapped the two
        if "full_name" not in layout.fields:
            return {"given_name": given, "family_name": family}
        if layout.name_order == "family_comma_given":
            return {"full_name": f"{family}, {given}", "given_name": given}
        family_first = person.family_first or layout.name_order == "family_given"
        full_name = f"{family} {given}" if family_first else f"{given} {family}"
        return {"full_name": full_name, "given_name": given}

    def _birth_date(self, person: Person, slips: Slips) -> date | None:
        rng, born = self.rng, person.birth_date
        if "age" in self.layout.fields and rng.random() < slips.age_instead_of_date:
            return None
        if person.birth_known == "none" or rng.random() < slips.birth_left_out:
            return self.layout.birth_placeholder
        if person.birth_known == "year":
            return date(born.year, 1, 1)  # registered without papers: 1 January of the year
        return mistyped_birth_date(born, rng, slips)

    def _age(self, person: Person, registered: date) -> int | None:
        rng = self.rng
        if rng.random() < 0.05:
            return None
        age = age_at(person.birth_date, registered)
        if person.birth_known == "none":
            return off_by(age, rng, ESTIMATED_AGE_ERROR)  # by look, or by what the person said
        if "date_of_birth" not in self.layout.fields:
            return off_by(age, rng, HEARD_AGE_ERROR)  # heard, as on a hotline, not read off a document
        return age

    def _status(self, person: Person) -> str:
        if self.layout.kind == "hotline" and person.status == "Identified" and self.rng.random() < 0.4:
            return "Presumed"  # a hotline rarely confirms a case itself
        return person.status

    def _encode(self, name: str, value):
        if value is None:
            return None
        if isinstance(value, list):
            return [self._encode(name, v) for v in value]
        raw = self.rng.choice(self._codebooks[name](value))
        if raw != value:
            self.codes_used.setdefault(name, {})[raw] = value
        return raw

    def _phone(self, e164: str) -> str:
        style = self.layout.phone_style
        if style == "double_zero":
            return "00" + e164[1:]
        if style == "spaced":
            code = next(c for c in _CODES_LONGEST_FIRST if e164[1:].startswith(c))
            rest = e164[1 + len(code) :]
            return f"+{code} {rest[:3]} {rest[3:6]} {rest[6:]}"
        return e164


def _latin(text: str) -> str:
    """``text`` unchanged when cp1252 can hold it, else transliterated to ASCII."""
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        return anyascii(text)
