"""Spelling folds that bring transliteration variants of one name together.

Names reach the hub written by different hands in different scripts: *Muhammad*, *Mohammed*,
*Mukhammad* (from Cyrillic), *mhmd* (from Arabic, which omits short vowels), *Fatima*, *Phatema*
(from Bengali), *ftmh*. Two folds serve two purposes:

- :func:`fold_spelling` keeps the vowels but merges the letters and digraphs that
  transliteration systems disagree on; the Bloom-filter encoding takes its q-grams from it.
- :func:`phonetic_code` is a consonant skeleton (vowels dropped, similar consonants merged,
  repeats collapsed), coarse enough for the variants above to agree exactly; one match key and
  the blocking tokens use it.

Both are fixed rules, part of the normalisation version: changing them changes tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Order matters: longer patterns first, and "kh" before "h" rules.
_DIGRAPHS = (
    ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"),
    ("dh", "d"), ("sh", "s"), ("ch", "c"), ("ck", "k"), ("ts", "c"), ("q", "k"), ("x", "ks"),
    ("w", "v"), ("z", "s"), ("ee", "i"), ("oo", "u"), ("ou", "u"),
)
_DIGRAPH_PATTERN = re.compile("|".join(pattern for pattern, _ in _DIGRAPHS))
_DIGRAPH_OF = dict(_DIGRAPHS)
_VOWEL_CLASS = str.maketrans({"o": "u", "e": "i", "y": "i"})
_CONSONANT_CLASS = str.maketrans({"p": "b", "v": "f", "c": "k", "g": "k", "d": "t", "z": "s"})
_REPEATS = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouy]")


def fold_spelling(part: str) -> str:
    """One name part with transliteration-sensitive letters merged; vowels kept, folded.

    >>> [fold_spelling(name) for name in ("muhammad", "mohammed", "mukhammad")]
    ['muhamad', 'muhamid', 'muhamad']
    >>> fold_spelling("phatema"), fold_spelling("fatima")
    ('fatima', 'fatima')
    """
    digraphs = _DIGRAPH_PATTERN.sub(lambda match: _DIGRAPH_OF[match.group()], part)
    return _REPEATS.sub(r"\1", digraphs.translate(_VOWEL_CLASS))


# Names repeat across a file: each part's code is made once, for up to this many parts.
@lru_cache(maxsize=200_000)
def phonetic_code(part: str) -> str:
    """A consonant skeleton of one name part: first letter kept, vowels dropped, classes merged.

    >>> {phonetic_code(name) for name in ("muhammad", "mohammed", "mukhammad", "mhmd")}
    {'mhmt'}
    >>> {phonetic_code(name) for name in ("fatima", "phatema", "ftmh", "fatimah")}
    {'ftm'}
    >>> phonetic_code("ali"), phonetic_code("aly"), phonetic_code("")
    ('al', 'al', '')
    """
    folded = fold_spelling(part)
    if not folded:
        return ""
    head, tail = folded[0], _VOWELS.sub("", folded[1:])
    if len(tail) > 1 and tail.endswith("h"):
        tail = tail[:-1]  # Arabic ta marbuta and Persian final he: Fatimah, ftmh
    skeleton = (head if head not in "aeiou" else "a") + tail.translate(_CONSONANT_CLASS)
    return _REPEATS.sub(r"\1", skeleton)
