"""Name forms of the synthetic persons and the ways partners write them differently.

A :class:`NameForm` holds one name in its usual Latin spelling, its spelling variants and its
local form. Partners pick one of these, and sometimes add a typing slip, so that the same person
reaches the hub under names that do not match exactly: what the linkage has to overcome.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass

from hub.demo import name_pools

# Names are not equally common, which is what makes namesakes. Family names follow Zipf's law
# roughly, the k-th commonest held by a share proportional to 1/k (a standard finding of surname
# studies; Nguyen alone is about 38 % of Vietnamese); given names are flatter (an assumption).
# The pools list names roughly commonest first.
FAMILY_NAME_SKEW = 1.0
GIVEN_NAME_SKEW = 0.6


@dataclass(frozen=True, slots=True)
class NameForm:
    """One given or family name: Latin spelling, variant spellings and the local form."""

    latin: str
    variants: tuple[str, ...] = ()
    local: str | None = None

    @property
    def local_is_latin(self) -> bool:
        """Whether the local form is Latin with diacritics rather than another script."""
        return self.local is not None and all(
            unicodedata.name(ch).startswith("LATIN") for ch in self.local if ch.isalpha()
        )


@dataclass(frozen=True)
class RegionNames:
    """The name pools of one region of origin."""

    female: tuple[NameForm, ...]
    male: tuple[NameForm, ...]
    family: tuple[NameForm, ...]
    family_female: tuple[NameForm, ...]
    family_first: bool = False
    two_family_names: bool = False


def parse_pool(text: str) -> tuple[NameForm, ...]:
    """Parse a ``;``-separated pool of ``Latin|variant=local`` entries.

    >>> olena, ivan = parse_pool("Olena|Elena=Олена; Ivan")
    >>> olena
    NameForm(latin='Olena', variants=('Elena',), local='Олена')
    >>> ivan.variants, ivan.local
    ((), None)
    """
    forms = []
    for entry in text.split(";"):
        spellings, _, local = entry.strip().partition("=")
        latin, *variants = spellings.split("|")
        forms.append(NameForm(latin, tuple(variants), local or None))
    return tuple(forms)


def _region(
    pools: dict[str, str], *, family_first: bool = False, two_family_names: bool = False
) -> RegionNames:
    family = parse_pool(pools["family"])
    return RegionNames(
        female=parse_pool(pools["female"]),
        male=parse_pool(pools["male"]),
        family=family,
        family_female=parse_pool(pools["family_female"]) if "family_female" in pools else family,
        family_first=family_first,
        two_family_names=two_family_names,
    )


@functools.cache
def region_names(key: str) -> RegionNames:
    """The name pools of a region by its key (``"nepal"``, ``"arabic"``, ...)."""
    pools = {
        "nepal": lambda: _region(name_pools.NEPAL),
        "india": lambda: _region(name_pools.INDIA),
        "bangladesh": lambda: _region(name_pools.BANGLADESH),
        "nigeria": lambda: _region(name_pools.NIGERIA),
        "ukraine": lambda: _region(name_pools.UKRAINE),
        "russia": lambda: _region(name_pools.RUSSIA),
        "arabic": lambda: _region(name_pools.ARABIC),
        "thailand": lambda: _region(name_pools.THAILAND),
        "ethiopia": lambda: _region(name_pools.ETHIOPIA),
        "vietnam": lambda: _region(name_pools.VIETNAM, family_first=True),
        "romania": lambda: _region(name_pools.ROMANIA),
        "philippines": lambda: _region(name_pools.PHILIPPINES),
        "honduras": lambda: _region(name_pools.HONDURAS, two_family_names=True),
    }
    return pools[key]()


@functools.cache
def _rank_weights(size: int, skew: float) -> tuple[float, ...]:
    return tuple(1 / rank**skew for rank in range(1, size + 1))


def common_names(
    pool: tuple[NameForm, ...], rng: random.Random, count: int, *, skew: float
) -> tuple[NameForm, ...]:
    """``count`` different names of ``pool``, the k-th of the pool drawn in proportion to 1/k**skew.

    >>> pool = parse_pool("Begum; Akter; Khatun; Sultana")
    >>> first, second = common_names(pool, random.Random(2), 2, skew=1.0)
    >>> first != second
    True
    """
    remaining = list(range(len(pool)))
    weights = list(_rank_weights(len(pool), skew))
    chosen = []
    for _ in range(count):
        position = rng.choices(range(len(remaining)), weights=weights)[0]
        chosen.append(pool[remaining.pop(position)])
        weights.pop(position)
    return tuple(chosen)


def typo(name: str, rng: random.Random) -> str:
    """The name with one typing slip: a letter dropped, doubled or swapped with its neighbour.

    >>> typo("Kovalenko", random.Random(3)) != "Kovalenko"
    True
    """
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 4:
        return name
    i = rng.choice(letters[1:-1])
    slip = rng.random()
    if slip < 0.4:
        return name[:i] + name[i + 1 :]
    if slip < 0.6:
        return name[:i] + name[i] + name[i:]
    if name[i + 1] != name[i] and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def spell(form: NameForm, rng: random.Random, *, local_rate: float, variant_rate: float) -> str:
    """One way a partner writes a name: local form, Latin spelling or a variant spelling."""
    if form.local and rng.random() < local_rate:
        return form.local
    if form.variants and rng.random() < variant_rate:
        return rng.choice(form.variants)
    return form.latin
