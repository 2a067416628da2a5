"""Synthetic persons: the ground truth that partners' records are rendered from.

Persons are made one at a time (a stream), so that a benchmark of 100,000 records never holds
them all. Persons controlled by the same trafficker share a destination, usually a kind of case,
and sometimes a phone: the trafficker's, given as the victim's contact, which is why the linkage
must never join records on a phone alone. Common names are drawn more often (so that strangers
share them, more so within one community), some persons have a middle name, and a date of birth
known only by its year is 1 January of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from hub.demo.countries import DIALLING_CODES
from hub.demo.names import FAMILY_NAME_SKEW, GIVEN_NAME_SKEW, NameForm, common_names, region_names
from hub.demo.profiles import FEMALE_SHARE_BY_INDUSTRY, PROFILES
from hub.demo.regions import REGIONS, Region

STATUSES = {"Identified": 0.6, "Presumed": 0.3, "AtRisk": 0.1}
# How much of the date of birth is known: exactly, only the year, or not at all.
BIRTH_KNOWLEDGE = {"exact": 0.7, "year": 0.15, "none": 0.15}
# Share of persons with a second given name, which partners write only sometimes: an assumption
# (usual in the Philippines, Nigeria and Latin America, less so elsewhere). Not for regions whose
# given names in the pools already hold two parts (Viet Nam's "Thi Lan").
MIDDLE_NAME_SHARE = 0.2


@dataclass(slots=True)
class Person:
    """One synthetic victim, with everything any partner might record about them."""

    person_id: str
    region: str
    given: NameForm
    middle: NameForm | None
    family: tuple[NameForm, ...]
    family_first: bool
    gender: str
    birth_date: date
    birth_known: str
    citizenship: str
    exploitation_country: str
    profile: str
    types: tuple[str, ...]
    industry: str | None
    means: tuple[str, ...]
    recruiter: str
    status: str
    trafficker: int
    phone: str | None = None  # E.164
    document: tuple[str, str] | None = None  # number, issuing country
    email: str | None = None


@dataclass(eq=False)  # compared by identity: removing one from a list must not compare fields
class _Trafficker:
    number: int
    region: str
    destination: str
    profile: str
    phone: str | None
    places_left: int


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def phone_number(rng: random.Random, country: str) -> str:
    """A random mobile number in E.164 form, in a country's dialling code."""
    return f"+{DIALLING_CODES[country]}{rng.randint(7, 9)}{rng.randrange(10**8):08d}"


def document_number(rng: random.Random, country: str) -> str:
    """A passport-like number; the pattern depends on the issuing country."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    pattern = sum(map(ord, country)) % 3
    if pattern == 0:
        return f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10**7):07d}"
    if pattern == 1:
        return f"{rng.choice(letters)}{rng.randrange(10**8):08d}"
    return f"{rng.randrange(10**8, 10**9)}"


@dataclass
class PersonFactory:
    """Makes synthetic persons one by one, grouped under synthetic traffickers."""

    rng: random.Random
    reference_day: date
    _open: dict[str, list[_Trafficker]] = field(default_factory=dict)
    _made: int = 0
    _traffickers: int = 0

    def make(self) -> Person:
        """The next synthetic person."""
        rng = self.rng
        region = rng.choices(REGIONS, weights=[r.weight for r in REGIONS])[0]
        trafficker = self._trafficker(region)
        profile_key = trafficker.profile if rng.random() < 0.8 else pick(rng, region.profiles)
        profile = PROFILES[profile_key]
        industry = pick(rng, profile.industries) if profile.industries else None
        female_share = FEMALE_SHARE_BY_INDUSTRY.get(industry, profile.female_share)
        if profile_key in ("servitude", "mixed"):
            female_share = profile.female_share
        gender = self._gender(female_share, profile_key)
        age = round(rng.triangular(*profile.ages))
        birth_date = self.reference_day - timedelta(days=365.25 * age + rng.randrange(365))
        self._made += 1
        names = region_names(region.names)
        female = gender == "Female" or (gender != "Male" and rng.random() < 0.5)
        family_pool = names.family_female if female else names.family
        family_count = 2 if names.two_family_names else 1
        given_count = 2 if not names.family_first and rng.random() < MIDDLE_NAME_SHARE else 1
        given, *middle = common_names(names.female if female else names.male, rng, given_count,
                                      skew=GIVEN_NAME_SKEW)
        person = Person(
            person_id=f"P{self._made:06d}",
            region=region.key,
            given=given,
            middle=middle[0] if middle else None,
            family=common_names(family_pool, rng, family_count, skew=FAMILY_NAME_SKEW),
            family_first=names.family_first,
            gender=gender,
            birth_date=birth_date,
            birth_known=pick(rng, BIRTH_KNOWLEDGE),
            citizenship=region.citizenship,
            exploitation_country=region.citizenship if profile_key == "armed" else trafficker.destination,
            profile=profile_key,
            types=profile.types,
            industry=industry,
            means=self._means(profile.means),
            recruiter=pick(rng, profile.recruiters),
            status=pick(rng, STATUSES),
            trafficker=trafficker.number,
        )
        self._contacts(person, trafficker)
        return person

    def _trafficker(self, region: Region) -> _Trafficker:
        rng = self.rng
        open_ = self._open.setdefault(region.key, [])
        if open_ and rng.random() < 0.45:
            trafficker = rng.choice(open_)
        else:
            self._traffickers += 1
            destination = pick(rng, region.destinations)
            phone = phone_number(rng, destination) if rng.random() < 0.4 else None
            trafficker = _Trafficker(self._traffickers, region.key, destination, pick(rng, region.profiles),
                                     phone, rng.randint(1, 8))
            open_.append(trafficker)
        trafficker.places_left -= 1
        if trafficker.places_left <= 0:
            open_.remove(trafficker)
        return trafficker

    def _gender(self, female_share: float, profile_key: str) -> str:
        draw = self.rng.random()
        diverse = 0.03 if profile_key == "sexual" else 0.005
        if draw < 0.01:
            return "Unknown"
        if draw < 0.01 + diverse:
            return "GenderDiverse"
        return "Female" if self.rng.random() < female_share else "Male"

    def _means(self, weights: dict[str, float]) -> tuple[str, ...]:
        rng = self.rng
        if rng.random() < 0.08:
            return ()  # not recorded
        chosen = tuple(m for m, p in weights.items() if rng.random() < p)
        return chosen or (max(weights, key=weights.get),)

    def _contacts(self, person: Person, trafficker: _Trafficker) -> None:
        rng = self.rng
        if trafficker.phone and rng.random() < 0.7:
            person.phone = trafficker.phone
        elif rng.random() < 0.35:
            home = rng.random() < 0.4
            person.phone = phone_number(rng, person.citizenship if home else person.exploitation_country)
        abroad = person.citizenship != person.exploitation_country
        if rng.random() < (0.5 if abroad else 0.25):
            person.document = (document_number(rng, person.citizenship), person.citizenship)
        if rng.random() < 0.15:
            stem = f"{person.given.latin}.{person.family[0].latin}".lower().replace(" ", "")
            person.email = f"{stem}{rng.randrange(100)}@mail.example"
