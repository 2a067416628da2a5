"""Everything the connector sends for linkage about one record, computed from one normalisation.

Privacy claim: see :mod:`privacy.tokens` (match keys), :mod:`privacy.clk` (CLK and blocking
tokens). Nothing here is an identifier; all of it is keyed with the linkage secret, which the hub
never holds.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from privacy.clk import make_blocking_keys_of, make_clk_of
from privacy.identity import normalise_identity
from privacy.tokens import MATCH_KEY_LABELS, make_match_keys_of


@dataclass(frozen=True)
class LinkagePayload:
    """Match keys ``{label: 64-hex}``, blocking tokens ``{label: 64-hex}`` and the CLK (or None)."""

    tokens: dict[str, str]
    blocks: dict[str, str]
    clk: bytes | None

    def wire(self) -> dict:
        """The upload form: ``tokens`` as today, plus ``blocks`` and ``clk`` (base64 of 128 bytes)."""
        clk = base64.b64encode(self.clk).decode("ascii") if self.clk else None
        return {"tokens": self.tokens, "blocks": self.blocks, "clk": clk}


def make_linkage_payload(secret: bytes, **identifiers) -> LinkagePayload:
    """The full cascade of match keys, the blocking tokens and the CLK of one record.

    ``identifiers`` are the keywords of :func:`privacy.identity.normalise_identity`. ``age``
    (whole years at ``registration_date``) is used only when the record has no year of birth: it
    adds the year-pair keys of :mod:`privacy.tokens` for the two years the person may have been
    born in, and nothing else (no date key, no CLK date bits, no year block).

    >>> from datetime import date
    >>> payload = make_linkage_payload(bytes(32), full_name="Ana Silva", date_of_birth=date(1990, 3, 2),
    ...                                citizenship="PRT")
    >>> len(payload.blocks), len(payload.clk), len(payload.wire()["clk"])
    (5, 128, 172)
    """
    if not secret:
        raise ValueError("the linkage secret must not be empty")
    who = normalise_identity(**identifiers)
    return LinkagePayload(
        tokens=make_match_keys_of(secret, who, MATCH_KEY_LABELS),
        blocks=make_blocking_keys_of(secret, who),
        clk=make_clk_of(secret, who),
    )
