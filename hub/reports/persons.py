"""The analysis table: one row per linked person, read into Polars for the DP releases.

A person's attribute is the value most of its records give (ties: the first in alphabetical
order), multi-valued fields are the union of its records' values, ``partners`` the organisations
that reported it. Time dimensions come from the person's cohort (the month the hub first saw it),
so that each person falls in exactly one month and one year.
"""

from __future__ import annotations

import hashlib
from functools import cache

import polars as pl
import yaml
from sqlalchemy import text
from sqlmodel import Session

from schemas.loader import SCHEMA_DIR

SINGLE = ("gender", "age_band", "citizenship", "country_of_exploitation", "forced_labour_industry",
          "recruiter_relationship", "trafficking_status", "data_source_type")
MULTI = ("type_of_exploitation", "means_of_control")

_QUERY = text(
    "SELECT pr.person_id, p.cohort, s.organisation_id, "
    + ", ".join(f"r.{column}" for column in (*SINGLE, *MULTI))
    + " FROM person_record pr"
    " JOIN person p ON p.id = pr.person_id"
    " JOIN record r ON r.submission_id = pr.submission_id AND r.row = pr.row"
    " JOIN submission s ON s.id = pr.submission_id"
)


@cache
def country_regions() -> tuple[tuple[str, ...], dict[str, str]]:
    """UN M49 sub-regions (the region dimension's keys) and the region of each country code."""
    loaded = yaml.safe_load((SCHEMA_DIR / "regions.yaml").read_text(encoding="utf-8"))
    return tuple(loaded["regions"]), dict(loaded["country_region"])


def person_frame(session: Session) -> pl.DataFrame:
    """One row per person (see module docstring); ``person_id`` never leaves the hub."""
    rows = session.execute(_QUERY).all()
    schema = {"person_id": pl.String, "cohort": pl.String, "organisation_id": pl.String,
              **{column: pl.String for column in (*SINGLE, *MULTI)}}
    records = pl.DataFrame(rows, schema=schema, orient="row")
    _, regions = country_regions()
    persons = records.group_by("person_id").agg(
        pl.col("cohort").first(),
        pl.col("organisation_id").unique().sort().alias("partners"),
        *[pl.col(c).drop_nulls().mode().sort().first().alias(c) for c in SINGLE],
        *[pl.col(c).str.split("|").flatten().drop_nulls().unique().sort().alias(c) for c in MULTI],
    )
    return persons.with_columns(
        pl.col("cohort").alias("month"),
        pl.col("cohort").str.slice(0, 4).alias("year"),
        pl.col("country_of_exploitation").replace_strict(regions, default=None).alias("region"),
        pl.when(pl.col("citizenship").is_null() | pl.col("country_of_exploitation").is_null())
        .then(None)
        .when(pl.col("citizenship") == pl.col("country_of_exploitation"))
        .then(pl.lit("Domestic"))
        .otherwise(pl.lit("CrossBorder"))
        .alias("border"),
    ).sort("person_id")


def snapshot_hash(persons: pl.DataFrame) -> str:
    """A hash of exactly the data a release is computed on (kept with the release, never the data)."""
    digest = hashlib.sha256()
    for batch in persons.drop("partners", *MULTI).iter_slices(100_000):
        digest.update(batch.write_csv().encode())
    for column in ("partners", *MULTI):
        digest.update(persons.get_column(column).list.join("|").str.join("\n").item().encode())
    return digest.hexdigest()
