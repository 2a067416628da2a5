"""Which partners report a synthetic person, and in which month.

A good share of persons reach two or three partners (a hotline refers to a shelter, the
shelter to the police), which is what makes cross-partner de-duplication matter. Each kind of
partner sees its own kind of case: labour inspectors meet workers, shelters mostly women.
Some persons come back to a partner that already has them and are registered again under a new
case number (a repeat caller, a re-admission): the partner's own duplicates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hub.demo.partners import PartnerLayout
from hub.demo.people import Person
from hub.demo.profiles import LABOUR_PROFILES

# How many partners report one person.
REPORT_COUNTS = {1: 0.5, 2: 0.32, 3: 0.14, 4: 0.04}


@dataclass(frozen=True)
class Repeats:
    """How a kind of partner registers a person it already has again, under a new case number."""

    chance: float  # that a person registered comes back as a new case at least once
    extra_cases: dict[int, float]  # how many new cases they then make
    same_month: float  # that a new case falls in the month of the one before, not a later one


# The review of real-like data measured a few percent to ~15 % of a hotline's cases as repeat
# calls and ~5 % of a shelter's as re-registrations, a repeat being a case whose person the
# partner already had. Hotline: 8 % of callers call 2 to 4 times, 1.5 more calls on average,
# so 0.12 / 1.12 = 10.7 % of its cases are repeats, days or weeks apart. Shelter: 5 % come back
# once, 4.8 % of its cases, often months apart. The other kinds are assumptions: a platform's user
# reporting again from a new account (7.2 %), a case closed and reopened, or a second police
# operation (2.9 %), a worker met again at a follow-up inspection (2 %).
REPEATS = {
    "hotline": Repeats(0.08, {1: 0.6, 2: 0.3, 3: 0.1}, same_month=0.6),
    "shelter": Repeats(0.05, {1: 1.0}, same_month=0.3),
    "tech_platform": Repeats(0.06, {1: 0.7, 2: 0.3}, same_month=0.5),
    "case_management": Repeats(0.03, {1: 1.0}, same_month=0.3),
    "police": Repeats(0.03, {1: 1.0}, same_month=0.5),
    "labour_inspection": Repeats(0.02, {1: 1.0}, same_month=0.2),
}


def affinity(kind: str, person: Person) -> float:
    """How likely a partner of this kind is to meet this person, relative to other kinds."""
    if kind == "labour_inspection":
        return 2.0 if person.profile in LABOUR_PROFILES else 0.05
    if kind == "shelter":
        return 1.4 if person.gender == "Female" else 0.5
    if kind == "police":
        return 1.5 if person.profile in ("sexual", "criminal", "mixed") else 0.8
    if kind == "tech_platform":
        return 0.4 if person.profile in ("child", "begging", "armed") else 1.2
    return 1.0


def choose_reports(
    person: Person, layouts: list[PartnerLayout], month_count: int, rng: random.Random
) -> list[tuple[int, int]]:
    """The (partner index, month index) pairs in which ``person`` is reported; one per partner."""
    wanted = rng.choices(list(REPORT_COUNTS), weights=list(REPORT_COUNTS.values()))[0]
    candidates = list(range(len(layouts)))
    weights = [affinity(layout.kind, person) for layout in layouts]
    chosen: list[int] = []
    while candidates and len(chosen) < wanted:
        position = rng.choices(range(len(candidates)), weights=weights)[0]
        chosen.append(candidates.pop(position))
        weights.pop(position)
    first_month = rng.randrange(month_count)
    reports = [(chosen[0], first_month)]
    for partner in chosen[1:]:
        # Referrals follow the first contact: the same month, or a later one.
        month = first_month if rng.random() < 0.5 else rng.randrange(first_month, month_count)
        reports.append((partner, month))
    return reports


def choose_repeats(kind: str, month: int, month_count: int, rng: random.Random) -> list[int]:
    """The month indexes of the further cases a partner of ``kind`` opens for a person it first
    registered in month ``month``; usually none. A month is never before the case before it."""
    repeats = REPEATS[kind]
    if rng.random() >= repeats.chance:
        return []
    extra = rng.choices(list(repeats.extra_cases), weights=list(repeats.extra_cases.values()))[0]
    months = []
    for _ in range(extra):
        if month + 1 < month_count and rng.random() >= repeats.same_month:
            month = rng.randrange(month + 1, month_count)
        months.append(month)
    return months


def choose_cases(
    person: Person, layouts: list[PartnerLayout], month_count: int, rng: random.Random
) -> list[tuple[int, int, bool]]:
    """The cases opened for ``person``: (partner index, month index, whether a repeat registration),
    each partner's first case before its repeats."""
    cases = []
    for partner, month in choose_reports(person, layouts, month_count, rng):
        cases.append((partner, month, False))
        repeats = choose_repeats(layouts[partner].kind, month, month_count, rng)
        cases.extend((partner, later, True) for later in repeats)
    return cases
