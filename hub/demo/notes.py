"""Synthetic case narratives for the partners' free-text columns.

They read like caseworkers' notes and, like real ones, sometimes repeat a name or a phone
number: the connector must drop the whole column and never upload it. Every sentence is
invented from templates.
"""

from __future__ import annotations

import random

from hub.demo.countries import everyday_name
from hub.demo.people import Person

_OPENINGS = (
    "Referred by {referrer}.",
    "First contact through {referrer}.",
    "{name} came forward after {referrer} visited the site.",
    "Self-referral; {pronoun} called from a borrowed phone.",
)
_STORIES = {
    "sexual": "Was promised work as a {job} in {place} and then forced to sell sex to repay a debt.",
    "labour": "Recruited for a job in {place}; wages withheld and passport kept by the employer.",
    "child": "Child working long hours in {place}; relatives were paid in advance.",
    "servitude": "Domestic worker in {place}, not allowed to leave the house, no days off.",
    "marriage": "Married against {possessive} will; the family received money.",
    "begging": "Made to beg at a market in {place}; takings collected every evening.",
    "mixed": "Worked in a {workplace} in {place} and was also sexually exploited by the manager.",
    "criminal": "Forced to tend an indoor farm in {place} and threatened with arrest.",
    "armed": "Taken by an armed group and made to carry supplies.",
}
_CLOSINGS = (
    "Wants to go home.",
    "Needs legal advice on residence status.",
    "Referred to a shelter for the night.",
    "Medical check arranged.",
    "Afraid of reprisals against family; no statement yet.",
    "Contact number given: {phone}.",
    "Follow-up call agreed for next week.",
)
_REFERRERS = ("an outreach worker", "a neighbour", "the embassy", "a labour inspector", "a nurse",
              "another survivor", "a bus driver", "a teacher")
_JOBS = ("waitress", "cleaner", "hotel receptionist", "dancer", "nanny", "shop assistant", "carer")
_WORKPLACES = ("restaurant", "bar", "hotel", "massage parlour", "private house")


def narrative(person: Person, given_name: str, rng: random.Random) -> str:
    """A short synthetic note about ``person``, sometimes naming them as the partner spelt it."""
    pronouns = {"Female": ("she", "her"), "Male": ("he", "his")}
    pronoun, possessive = pronouns.get(person.gender, ("they", "their"))
    words = {
        "referrer": rng.choice(_REFERRERS),
        "name": given_name or "The person",
        "pronoun": pronoun,
        "possessive": possessive,
        "job": rng.choice(_JOBS),
        "workplace": rng.choice(_WORKPLACES),
        "place": everyday_name(person.exploitation_country),
        "phone": person.phone or "none",
    }
    sentences = [rng.choice(_OPENINGS), _STORIES[person.profile], rng.choice(_CLOSINGS)]
    text = " ".join(s.format(**words) for s in sentences)
    text = text[0].upper() + text[1:]
    # Some notes span lines, as pasted text does; a reader must cope with quoted newlines.
    return text.replace(". ", ".\n", 1) if rng.random() < 0.05 else text
