"""Which partners report a synthetic person, and in which month.

A good share of persons reach two or three partners (a hotline refers to a shelter, the
shelter to the police), which is what makes cross-partner de-duplication matter. Each kind of
partner sees its own kind of case: labour inspectors meet workers, shelters mostly women.
"""

from __future__ import annotations

import random

from hub.demo.partners import PartnerLayout
from hub.demo.people import Person
from hub.demo.profiles import LABOUR_PROFILES

# How many partners report one person.
REPORT_COUNTS = {1: 0.5, 2: 0.32, 3: 0.14, 4: 0.04}


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
