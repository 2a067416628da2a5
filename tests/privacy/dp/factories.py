"""Small person frames for the DP tests (one row per person)."""

from __future__ import annotations

import numpy as np
import polars as pl

from privacy.dp.tables import Dimension

GENDER = Dimension("gender", ("Female", "Male", "GenderDiverse", "Unknown"))
AGE_BAND = Dimension("age_band", ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"))
EXPLOITATION_KEYS = ("ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Other")


def exploitation(max_values: int = 2) -> Dimension:
    return Dimension("type_of_exploitation", EXPLOITATION_KEYS, multi=True, max_values=max_values)


def make_persons(n: int, seed: int = 7) -> pl.DataFrame:
    """Persons with a gender, an age band (some missing) and one to three types of exploitation."""
    rng = np.random.default_rng(seed)
    genders = rng.choice(["Female", "Male", "GenderDiverse"], size=n, p=[0.6, 0.38, 0.02])
    bands = rng.choice(list(AGE_BAND.keys) + [None], size=n)
    types = [
        [str(v) for v in rng.choice(EXPLOITATION_KEYS, size=rng.integers(1, 4), replace=False)] for _ in range(n)
    ]
    return pl.DataFrame(
        {
            "person_id": np.arange(n),
            "gender": genders,
            "age_band": pl.Series(bands.tolist(), dtype=pl.String),
            "type_of_exploitation": types,
        },
        schema_overrides={"type_of_exploitation": pl.List(pl.String)},
    )
