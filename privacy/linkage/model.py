"""The probabilistic model of record pairs (Fellegi-Sunter), trained without labels.

Each candidate pair gets one **comparison level** per field (:data:`LEVELS`): how closely its two
records agree on the given name, the family name, the date of birth, sex, citizenship, a document
and a phone. A level has two probabilities: ``m``, that a pair of records *of one person* shows
it, and ``u``, that a pair of records *of two people* does. The pair's match weight is
``log2(m / u)`` summed over its fields (a missing field adds nothing), and its match probability
follows from the weight and the share ``prior`` of candidate pairs that are matches.

``m``, ``u`` and ``prior`` are estimated by expectation-maximisation over the candidate pairs
(the records sharing a block), with nothing known about which pairs match: each round weighs
every pair by how likely it is a match under the current estimates and re-estimates from those
weights. Two records of one partner are candidates like any others: a partner's own duplicates
are found the way duplicates across partners are.

Privacy: the model holds probabilities of comparison levels only (counts of pairs, never a
record), and is stored with each full linkage run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from privacy.encodings import BLOCK_LABELS, Feature
from privacy.linkage.agreements import Agreement
from privacy.linkage.pairs import Pairs
from privacy.linkage.records import StoreArrays, has_kind

LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": ("missing", "different", "phonetic", "one edit apart", "exact"),
    "family_name": ("missing", "different", "phonetic", "one edit apart", "exact"),
    "date_of_birth": ("missing", "far apart", "a few years apart", "within a year", "same year",
                      "one digit or day and month apart", "exact"),
    "sex": ("missing", "different", "same"),
    "citizenship": ("missing", "different", "same"),
    "document": ("missing", "different", "same"),
    "phone": ("missing", "different", "same"),
}
FIELDS = tuple(LEVELS)
MISSING, DIFFERENT = 0, 1
_EM_ROUNDS = 200
_EM_TOLERANCE = 1e-7
# Added to every level's expected count in each round, so that no level's probability is ever
# zero (a level never seen among matches is then very unlikely, not impossible).
_PSEUDO_COUNT = 0.5
_START_SHARE = 0.1


def _bit(agreements: np.ndarray, agreement: Agreement) -> np.ndarray:
    return (agreements >> np.uint32(agreement)) & np.uint32(1) == 1


def _name_level(agreements, stem: str, present: np.ndarray) -> np.ndarray:
    level = np.where(
        _bit(agreements, Agreement[f"{stem}_EXACT"]), 4,
        np.where(_bit(agreements, Agreement[f"{stem}_EDIT"]), 3,
                 np.where(_bit(agreements, Agreement[f"{stem}_PHONETIC"]), 2, DIFFERENT)),
    )
    return np.where(present, level, MISSING)


def _attribute_level(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.where((left == 0) | (right == 0), MISSING, np.where(left == right, 2, DIFFERENT))


def levels_of(agreements: np.ndarray, kinds: tuple[np.ndarray, np.ndarray], sex: tuple[np.ndarray, np.ndarray],
              citizenship: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The level of every field (columns in :data:`FIELDS` order) for every pair (rows), from what
    each pair agrees on (bits of :class:`~privacy.linkage.pairs.Agreement`), the two sides'
    feature kinds (bits of :class:`~privacy.encodings.Feature`), sexes and citizenships (0 unknown)."""
    left, right = kinds
    has_given = has_kind(left, Feature.GIVEN_EXACT), has_kind(right, Feature.GIVEN_EXACT)
    has_family = has_kind(left, Feature.FAMILY_EXACT), has_kind(right, Feature.FAMILY_EXACT)
    given = _name_level(agreements, "GIVEN", has_given[0] & has_given[1])
    family = _name_level(agreements, "FAMILY", has_family[0] & has_family[1])
    # Given and family names written the other way round by one of the partners.
    given_swapped = _name_level(agreements, "GIVEN_FAMILY", has_given[0] & has_family[1])
    family_swapped = _name_level(agreements, "FAMILY_GIVEN", has_family[0] & has_given[1])
    # Swapped when that agrees better and one name agrees at least one edit apart across.
    swapped = (given_swapped + family_swapped > given + family) & (np.maximum(given_swapped, family_swapped) >= 3)
    given, family = np.where(swapped, given_swapped, given), np.where(swapped, family_swapped, family)

    dated = [has_kind(side, Feature.DOB_EXACT, Feature.YEAR, Feature.YEAR_PAIR) for side in kinds]
    dob = np.select(
        [_bit(agreements, Agreement.DOB_EXACT),
         _bit(agreements, Agreement.DOB_DIGIT) | _bit(agreements, Agreement.DOB_SWAPPED),
         _bit(agreements, Agreement.YEAR), _bit(agreements, Agreement.YEAR_PAIR),
         _bit(agreements, Agreement.YEAR_SPAN)],
        [6, 5, 4, 3, 2], DIFFERENT,
    )
    dob = np.where(dated[0] & dated[1], dob, MISSING)
    columns = [given, family, dob, _attribute_level(*sex), _attribute_level(*citizenship)]
    for kind, agreement in ((Feature.DOCUMENT, Agreement.DOCUMENT), (Feature.PHONE, Agreement.PHONE)):
        held = has_kind(left, kind) & has_kind(right, kind)
        columns.append(np.where(held, np.where(_bit(agreements, agreement), 2, DIFFERENT), MISSING))
    return np.stack(columns, axis=1).astype(np.int8)


def comparison_levels(arrays: StoreArrays, pairs: Pairs) -> np.ndarray:
    """The levels of the hub's candidate pairs (see :func:`levels_of`)."""
    left, right = pairs.left, pairs.right
    return levels_of(
        pairs.agreements, (arrays.kinds[left], arrays.kinds[right]), (arrays.sex[left], arrays.sex[right]),
        (arrays.citizenship[left], arrays.citizenship[right]),
    )


@dataclass(frozen=True)
class MatchModel:
    """A fitted model: ``m`` and ``u`` per field (a list over its levels, the first, missing, unused)
    and the ``prior`` share of candidate pairs that are matches."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    pairs: int = 0  # candidate pairs it was fitted on

    def weights(self) -> np.ndarray:
        """``log2(m / u)`` per field (rows) and level (columns, padded with zeros); 0 for missing."""
        width = max(len(levels) for levels in LEVELS.values())
        table = np.zeros((len(FIELDS), width))
        for row, name in enumerate(FIELDS):
            m, u = np.array(self.m[name]), np.array(self.u[name])
            table[row, 1:len(m)] = np.log2(m[1:] / u[1:])
        return table

    def match_weight(self, levels: np.ndarray, namesakes: np.ndarray | None = None, records: int = 0,
                     unseen_namesakes: float = 0.0) -> np.ndarray:
        """Each pair's match weight: the prior's log-odds plus its levels' weights, in bits.

        Term frequency: a pair of one block of names whose given and family names agree at least
        phonetically (and sex and citizenship not different) has ``namesakes``: about how many
        people besides the pair's person, of the ``records``, hold its full name with that sex and
        citizenship, or the more common of its two full names when they differ
        (:attr:`privacy.linkage.pairs.Pairs.namesakes`). Those fields then weigh ``log2(m / u)``
        together, ``u`` the larger of the share of records those people are and the levels' ``u``
        together: a common name, written alike or not, weighs little. For a name no one else holds,
        ``u`` is the smaller of the levels' ``u`` and the share of records that ``unseen_namesakes``
        are (the other holders a name seen with one person has, by Good-Turing): in a large hub, a
        name seen once is rarer than the average name the levels' ``u`` stands for.
        """
        table = self.weights()
        weight = np.full(len(levels), np.log2(self.prior / (1 - self.prior)))
        for column in range(len(FIELDS)):
            weight += table[column, levels[:, column]]
        if namesakes is None or not records:
            return weight
        # Namesakes share a community: a sex and a citizenship, where known, are part of how common
        # the name is; one that differs makes the pair no namesake of this kind.
        names = [FIELDS.index("given_name"), FIELDS.index("family_name")]
        attributes = [FIELDS.index("sex"), FIELDS.index("citizenship")]
        alike = ((namesakes >= 0) & np.all(levels[:, names] >= 2, axis=1)
                 & np.all(levels[:, attributes] != DIFFERENT, axis=1))
        chosen = levels[alike]
        log_m, log_u, current = (np.zeros(len(chosen)) for _ in range(3))
        for column in (*names, *attributes):
            # A missing level (its probabilities unused, 0) adds nothing: as probability 1.
            m, u = (np.log2(np.array([1.0, *found[FIELDS[column]][1:]])) for found in (self.m, self.u))
            log_m += m[chosen[:, column]]
            log_u += u[chosen[:, column]]
            current += table[column, chosen[:, column]]
        others = namesakes[alike]
        # A name no one else holds: at least as rare as the levels say (their u, an average over all
        # names, is set by the common ones) and as rare as names seen once are, by Good-Turing.
        unique = np.minimum(log_u, np.log2(unseen_namesakes / records)) if unseen_namesakes else log_u
        log_u = np.where(others > 0, np.maximum(log_u, np.log2(np.maximum(others, 1) / records)), unique)
        weight[alike] += log_m - log_u - current
        return weight

    def to_json(self) -> str:
        return json.dumps({"m": self.m, "u": self.u, "prior": self.prior, "pairs": self.pairs}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        data = json.loads(text)
        return cls(m=data["m"], u=data["u"], prior=data["prior"], pairs=data.get("pairs", 0))


def match_probability(weight: np.ndarray) -> np.ndarray:
    """The probability of a match from a match weight in bits.

    >>> match_probability(np.array([0.0, 1.0])).tolist()
    [0.5, 0.6666666666666666]
    """
    return 1 / (1 + np.exp2(-weight))


# What the pairs of each kind of block agree on by construction, as the lowest level each field can
# show there (a date block: the exact date; a phonetic name block: at least the phonetic level), and the
# fields a block ties to its pairs' agreement among non-matches too, which a session leaves out:
# - the names a block is made of: two people of one block of names agree on them more closely than
#   random pairs that agree as far (namesakes are mostly exact), so their levels above the floor,
#   read against ``u``, make strangers look like one person;
# - sex and citizenship in any block of names: namesakes (the pairs of a block of names that are two
#   people) mostly share a community, so a sex and a citizenship as well, which the model's
#   independent fields cannot tell from a match.
# A session counts the other fields' levels above their floor only, against ``u`` renormalised over
# them. The date block leaves nothing out: two people born on one day are strangers in every other way.
# (Measured on the demo's population: with the names' levels in, the names session took 2,408 of its
# 2,580 pairs for matches, 1,266 being; without, 1,341.)
_FLOORS_BY_BLOCK = {
    "dob": {"date_of_birth": 6},
    "family_year": {"family_name": 2, "date_of_birth": 4},
    "given_year": {"given_name": 2, "date_of_birth": 4},
    "names": {"given_name": 2, "family_name": 2},
}
_LEFT_OUT_BY_BLOCK = {
    "dob": (),
    "family_year": ("family_name", "sex", "citizenship"),
    "given_year": ("given_name", "sex", "citizenship"),
    "names": ("given_name", "family_name", "sex", "citizenship"),
}


def u_of(counts: dict[str, list[int]]) -> dict[str, np.ndarray]:
    """``u`` per field from random pairs' level counts (:mod:`privacy.random_pairs`), missing left out."""
    found = {}
    for name in FIELDS:
        seen = np.asarray(counts[name][1:], dtype=float) + _PSEUDO_COUNT
        found[name] = seen / seen.sum()
    return found


def _em(patterns: np.ndarray, counts: np.ndarray, floors: dict[int, int], u: dict[str, np.ndarray],
        rounds: int) -> tuple[dict[int, np.ndarray], float]:
    """One expectation-maximisation session over ``patterns`` (with ``counts``): ``m`` of the columns
    of ``floors`` (column: lowest level counted) with ``u`` held as given (renormalised over the
    levels counted); returns m (by column, over the levels counted) and the expected matches.

    Starting point: ``m`` rises fourfold with each level of agreement, and a tenth of pairs match.
    """
    m, u_counted, levels = {}, {}, {}
    for column, floor in floors.items():
        size = len(LEVELS[FIELDS[column]])
        rising = 4.0 ** np.arange(size - floor)
        m[column] = rising / rising.sum()
        u_counted[column] = u[FIELDS[column]][floor - 1:] / u[FIELDS[column]][floor - 1:].sum()
        # Levels below the floor (a pair that shares the block through another orientation) count as missing.
        levels[column] = np.where(patterns[:, column] >= floor, patterns[:, column] - floor + 1, MISSING).astype(np.int64)
    share = _START_SHARE
    match = counts * share
    for _ in range(rounds):
        log_odds = np.full(len(patterns), np.log(share / (1 - share)))
        for column, level in levels.items():
            known = level > MISSING
            log_odds[known] += np.log(m[column][level[known] - 1] / u_counted[column][level[known] - 1])
        odds = np.exp(np.clip(log_odds, -700, 700))
        match = counts * odds / (1 + odds)
        new_share = float(np.clip(match.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        change = abs(new_share - share)
        share = new_share
        for column, level in levels.items():
            expected = np.bincount(level, weights=match, minlength=len(m[column]) + 1)[1:] + _PSEUDO_COUNT
            new = expected / expected.sum()
            change = max(change, float(np.abs(new - m[column]).max()))
            m[column] = new
        if change < _EM_TOLERANCE:
            break
    return m, float(match.sum())


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``levels`` and how many pairs show each (one number per row: fast)."""
    sizes = np.array([len(LEVELS[name]) for name in FIELDS], dtype=np.int64)
    strides = np.cumprod(np.append(1, sizes[:-1]))
    codes, counts = np.unique(levels.astype(np.int64) @ strides, return_counts=True)
    return (codes[:, None] // strides % sizes).astype(levels.dtype), counts


def fit_model(levels: np.ndarray, blocks: np.ndarray, random_levels: dict[str, list[int]], records: int,
              dated_share: float, rounds: int = _EM_ROUNDS, date_sample: np.ndarray | None = None,
              date_sample_share: float = 1.0) -> MatchModel:
    """``m`` and the prior from the candidate pairs' ``levels``, ``u`` from random pairs, without labels.

    ``u`` comes from the level counts of random pairs the connectors drew from the partners' own
    files (``random_levels``, :mod:`privacy.random_pairs`). ``m`` comes from one session of
    expectation-maximisation per kind of block (``blocks``: each pair's bits of
    :data:`privacy.encodings.BLOCK_LABELS`), each counting a field only above the level its block
    guarantees and leaving out the fields its block ties to namesakes (see ``_FLOORS_BY_BLOCK``),
    over the pairs of small blocks only, but for the date of birth's (``SMALL_BLOCK``):
    pairs sharing a date of birth tell how a person's name varies, the names' blocks how a date
    does. A field's ``m`` is the average over the sessions that see all its levels, weighted by
    their expected matches. The prior is the share of all pairs of ``records`` that match: the
    matches the date-of-birth session expects, divided by the share of matching pairs that block
    can hold (both dates exact, ``dated_share`` of records each, and equal: ``m`` of the exact level).
    In a large hub the date session sees the pairs of a random sample of the date blocks only
    (``date_sample``, per pair), holding ``date_sample_share`` of the dated records: its matches
    are scaled up by that share (blocks chosen at random hold matches in proportion to records).
    """
    u = u_of(random_levels)
    sums = {column: np.zeros(len(LEVELS[name]) - 1) for column, name in enumerate(FIELDS)}
    expected_by_label = {}
    for bit, label in enumerate(BLOCK_LABELS):
        # The pairs of a date's blocks, which are strangers or one person whatever their names; of the
        # other blocks, only the small ones, whose names are rare: a common name's block is mostly
        # namesakes, which share names and community as no two random records do.
        chosen = (blocks >> (bit if label == "dob" else bit + 4)) & 1 == 1
        if label == "dob" and date_sample is not None:
            chosen &= date_sample
        if not chosen.any():
            continue
        patterns, counts = _patterns(levels[chosen])
        floors = {column: _FLOORS_BY_BLOCK[label].get(name, 1) for column, name in enumerate(FIELDS)
                  if name not in _LEFT_OUT_BY_BLOCK[label]}
        floors = {column: floor for column, floor in floors.items() if floor < len(LEVELS[FIELDS[column]])}
        m, matches = _em(patterns, counts.astype(float), floors, u, rounds)
        expected_by_label[label] = matches
        for column, floor in floors.items():
            if floor == 1:
                sums[column] += m[column] * matches
    m_final = {}
    for column, name in enumerate(FIELDS):
        size = len(LEVELS[name]) - 1
        total = sums[column].sum()
        m_final[name] = [0.0, *(sums[column] / total if total else np.full(size, 1 / size)).tolist()]
    exact_dates = m_final["date_of_birth"][-1] * dated_share ** 2
    all_pairs = records * (records - 1) / 2
    covered = exact_dates * date_sample_share
    matches = expected_by_label.get("dob", 0.0) / covered if covered else 0.0
    prior = float(np.clip(matches / all_pairs, 1e-12, 0.5)) if all_pairs else 0.5
    return MatchModel(m=m_final, u={name: [0.0, *u[name].tolist()] for name in FIELDS}, prior=prior,
                      pairs=len(levels))
