"""The identities a file's random pairs are drawn from (:mod:`privacy.random_pairs`).

Kept apart from the pairs' counting, which needs numpy and the linkage model, so that the
connector's preparation of rows imports in the browser too (Pyodide has no numpy; the upload
page sends no counts, and the hub pools the other submissions' counts, as for any submission
without them).
"""

from __future__ import annotations

import random

# Identities kept to draw pairs from: 2,000 give two million pairs, twenty times more than drawn.
SAMPLE_SIZE = 2_000


class IdentitySample:
    """A uniform sample of at most ``size`` of the identities offered (reservoir sampling with a
    fixed seed: the same file gives the same sample). Stays on the partner's machine.

    >>> sample = IdentitySample(size=2)
    >>> for number in range(10):
    ...     sample.offer(number)
    >>> len(sample.identities), sample.offered
    (2, 10)
    """

    def __init__(self, size: int = SAMPLE_SIZE, seed: int = 0):
        self.size = size
        self.offered = 0
        self.identities: list = []
        self._rng = random.Random(seed)

    def offer(self, identity) -> None:
        self.offered += 1
        if len(self.identities) < self.size:
            self.identities.append(identity)
            return
        slot = self._rng.randrange(self.offered)
        if slot < self.size:
            self.identities[slot] = identity

    def level_counts(self):
        """The sample's :class:`~privacy.random_pairs.LevelCounts` (numpy's: not in the browser)."""
        from privacy.random_pairs import random_pair_levels

        return random_pair_levels(self.identities)
