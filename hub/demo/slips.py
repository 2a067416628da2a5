"""How a caseworker's entry of a person differs from the truth: one model, two sets of rates.

A first registration and a repeat one (the same person registered again by the same partner
under a new case number: a repeat caller, a re-admission) are typed with the same kinds of slip,
at different rates. The repeat is typed by another caseworker, often months later, from what the
person says that day: more slips, a date of birth given differently or not at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Slips:
    """The rates at which one registration of a person departs from the person's details."""

    name_typo: float  # per name part: a letter dropped, doubled or swapped
    names_swapped: float  # given and family name entered in each other's field
    birth_left_out: float  # a known date of birth not entered: blank or the partner's placeholder
    day_and_month_swapped: float  # only possible when the day is 12 or less
    year_mistyped: float  # one year off, as a mistyped last digit
    day_mistyped: float  # one digit of the day mistyped
    other_birth_date: float  # another date given: a forged document's, or remembered otherwise
    age_instead_of_date: float  # the date left out, the age asked instead (where there is a column)
    sex_left_blank: float


# Rates of a first registration. Typos and swapped names at 4 %, a date of birth left out at 7 %
# and date slips at 6 % in all (now split in three kinds) are the generator's earlier rates,
# plausible assumptions kept so that cross-partner figures stay comparable. Sex left blank at 3 %
# is an assumption: a field skipped in a hurried intake, rarely a refusal.
FIRST_CONTACT = Slips(
    name_typo=0.04, names_swapped=0.04, birth_left_out=0.07, day_and_month_swapped=0.02,
    year_mistyped=0.02, day_mistyped=0.02, other_birth_date=0.0, age_instead_of_date=0.0,
    sex_left_blank=0.03,
)
# Rates of a repeat registration: an assumption of about three times the slips of a first one,
# because nobody looks the earlier case up (that is why there are two case numbers), and the
# review of real-like shelter data saw re-registrations "with a typo or a different spelling,
# sometimes a different date of birth or an age the second time".
REPEAT = Slips(
    name_typo=0.12, names_swapped=0.06, birth_left_out=0.1, day_and_month_swapped=0.05,
    year_mistyped=0.05, day_mistyped=0.05, other_birth_date=0.06, age_instead_of_date=0.2,
    sex_left_blank=0.05,
)

# How far an age that is heard (a caller on the phone) is from the true age, in years: an
# assumption, about one in four callers rounding or guessing by a year, a few by two.
HEARD_AGE_ERROR = {0: 0.75, 1: 0.2, 2: 0.05}
# How far an age guessed by look or by the person's own estimate (no date of birth known) is:
# the generator's earlier assumption, any of -2..+2 years alike.
ESTIMATED_AGE_ERROR = {0: 0.2, 1: 0.4, 2: 0.4}


def mistyped_birth_date(born: date, rng: random.Random, slips: Slips) -> date:
    """``born`` as typed: usually as it is, sometimes with one of the slips of ``slips``."""
    draw = rng.random()
    if draw < slips.day_and_month_swapped:
        if born.day <= 12 and born.day != born.month:
            return date(born.year, born.day, born.month)
        return born
    draw -= slips.day_and_month_swapped
    if draw < slips.year_mistyped:
        return date(born.year + rng.choice((-1, 1)), born.month, min(born.day, 28))
    draw -= slips.year_mistyped
    if draw < slips.day_mistyped:
        return _day_digit_mistyped(born, rng)
    draw -= slips.day_mistyped
    if draw < slips.other_birth_date:
        return born + timedelta(days=rng.choice((-1, 1)) * rng.randint(30, 3 * 365))
    return born


def _day_digit_mistyped(born: date, rng: random.Random) -> date:
    """The day with one digit replaced: 14 becomes 17 or 24, never a day the month lacks."""
    tens, units = divmod(born.day, 10)
    choices = {10 * tens + u for u in range(10)} | {10 * t + units for t in range(4)}
    days = sorted(d for d in choices if 1 <= d <= 28 and d != born.day)
    return born.replace(day=rng.choice(days))


def off_by(age: int, rng: random.Random, error: dict[int, float]) -> int:
    """``age`` missed by a number of years drawn from ``error``, up or down; never below 0."""
    years = rng.choices(list(error), weights=list(error.values()))[0]
    return max(age + rng.choice((-1, 1)) * years, 0)
