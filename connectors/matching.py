"""Proposing the schema value a partner's cell probably means, for the partner to confirm.

The connector reads a value by itself only when the schema or the mapping file names it (ignoring
case and spacing). Anything looser is a proposal: ``hub-connector mapping init`` writes it into the
mapping's ``values`` for the partner to check, and a refused cell shows it on the partner's screen.
Looser means: accents ignored ("Népal"), a country's name in one of :data:`LANGUAGES` from the
Unicode CLDR (through Babel: "Deutschland", "Allemagne", "Alemania") or its ISO 3166 codes and
names from pycountry ("DE", "276", "Viet Nam"), and, for every list, the closest spellings.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from schemas.loader import Enumeration

# Languages of the partners' exports first seen: UN languages, South and South-East Asia, Europe.
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh", "pt", "de", "it", "nl", "pl", "ro", "uk", "tr", "el",
             "ne", "hi", "bn", "ur", "th", "vi", "id", "ms", "tl", "my", "km", "fa", "sw", "am", "ha")
NEAREST_SHOWN = 3
# difflib's similarity from which a spelling is close (with the same first letter): "Nepaal" is
# Nepal (0.91), "Narnia" is not "Ungaria" (Hungary in Latin-script languages, 0.77).
CLOSE_SPELLING = 0.8
_CAMEL_HUMPS = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAMES: dict[tuple, dict[str, str]] = {}  # per enumeration: loosely folded name -> value


def fold_loosely(text: str) -> str:
    """Text compared loosely: accents dropped, case folded, punctuation and spacing evened out.

    >>> fold_loosely("  Népal "), fold_loosely("Côte-d'Ivoire")
    ('nepal', 'cote d ivoire')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = "".join(ch if ch.isalnum() else " " for ch in plain.casefold())
    return " ".join(spaced.split())


@functools.cache
def country_names() -> dict[str, str]:
    """Loosely folded country names and codes -> ISO alpha-3; names that mean two countries left out."""
    import pycountry
    from babel import Locale

    found: dict[str, set[str]] = {}

    def add(name, alpha_3: str) -> None:
        if name:
            found.setdefault(fold_loosely(str(name)), set()).add(alpha_3)

    alpha_3_of = {}
    for country in pycountry.countries:
        alpha_3_of[country.alpha_2] = country.alpha_3
        for name in (country.alpha_2, country.alpha_3, country.numeric, country.name,
                     getattr(country, "official_name", None), getattr(country, "common_name", None)):
            add(name, country.alpha_3)
    for language in LANGUAGES:
        for region, name in Locale.parse(language).territories.items():
            if region in alpha_3_of:
                add(name, alpha_3_of[region])
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


def _names_of(enumeration: Enumeration) -> dict[str, str]:
    key = (enumeration.name, enumeration.values)
    if key not in _NAMES:
        _NAMES[key] = _collect_names(enumeration)
    return _NAMES[key]


def _collect_names(enumeration: Enumeration) -> dict[str, str]:
    # "WithholdsDocuments" is also "withholds documents", so that words can meet.
    names = {fold_loosely(_CAMEL_HUMPS.sub(" ", value)): value for value in enumeration.values}
    names.update({fold_loosely(value): value for value in enumeration.values})
    names.update({fold_loosely(label): value for value, label in enumeration.labels.items()})
    names.update({fold_loosely(alias): value for alias, value in enumeration._lookup.items()})
    if enumeration.name == "country":
        names.update({name: code for name, code in country_names().items() if code in enumeration.values})
    return names


def nearest_values(raw: str, enumeration: Enumeration, limit: int = NEAREST_SHOWN) -> list[str]:
    """The schema values ``raw`` most probably means, best first; an exact loose match alone.

    >>> from schemas import load_schema
    >>> countries = load_schema().enumerations["country"]
    >>> nearest_values("Deutschland", countries), nearest_values("Népal", countries)
    (['DEU'], ['NPL'])
    >>> nearest_values("documents taken", load_schema().enumerations["means_of_control"])
    ['WithholdsDocuments']
    """
    names = _names_of(enumeration)
    folded = fold_loosely(str(raw))
    if folded in names:
        return [names[folded]]
    close = [name for name in difflib.get_close_matches(folded, list(names), n=limit * 4, cutoff=CLOSE_SPELLING)
             if name[:1] == folded[:1]]
    words = set(folded.split())
    partial = [name for name in names if words and words & set(name.split()) and len(name) > 3]
    proposals: list[str] = []
    for name in [*close, *partial]:
        if names[name] not in proposals:
            proposals.append(names[name])
    return proposals[:limit]
