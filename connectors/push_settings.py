"""The settings of a push checked before its file is opened: by the command line and the upload page."""

from __future__ import annotations

import re
from datetime import date

from connectors.errors import ConfigurationError

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ON_INVALID = ("reject", "skip")


def refuse_bad_settings(period: str, on_invalid: str, linkage_secret: bytes, today: date) -> None:
    """The push's own safety rails, before the file is opened (the upload page's too).

    :raises ConfigurationError: a period not written YYYY-MM or in the future, an unknown
        ``on_invalid``, no linkage secret.
    """
    if not PERIOD.match(period or ""):
        raise ConfigurationError("the period must be a month written YYYY-MM, for example 2026-01")
    if period > today.strftime("%Y-%m"):
        raise ConfigurationError(f"the period {period} is in the future (today is {today.isoformat()}); "
                                 "push a month once it has begun")
    if on_invalid not in ON_INVALID:
        raise ConfigurationError("on_invalid must be reject or skip")
    if not linkage_secret:
        raise ConfigurationError("the linkage secret is not set (HUB_LINKAGE_SECRET)")
