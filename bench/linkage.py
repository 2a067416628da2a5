"""Linkage benchmark: the hub's linkage next to plaintext Splink on the same records, and its speed.

Run ``.venv/bin/python bench/linkage.py`` (``--quick`` skips the 1,000,000-record run; Splink needs
the bench extra: ``.venv/bin/pip install -e ".[server,dev,bench]"``). The last line printed is one
JSON object with the figures.

Quality, on four cases, each resolved twice in the same run:

- the hub: every record encoded as the connector encodes it (blocks, salted features), random pairs
  counted per partner as each partner's connector counts them, resolved by
  :class:`privacy.linkage.resolve.Resolver` with its a-priori threshold (a match probability of
  0.5: nothing is tuned on these data);
- plaintext Splink (``bench/splink_reference.py``) on the same records' names, date of birth and
  citizenship: the non-private linker a statistics office would set up.

The cases: FEBRL4 (two files of one population), FEBRL3 and FEBRL2 dealt out at random among 4
partners (so partners hold duplicates of their own), and the demo generator's exports (8 partners,
5,000 persons, seed 7: duplicates within partners, ages instead of dates, placeholder dates, shared
birthdays, namesakes, transliterations), scored against their ground truth. Figures are pairwise
precision, recall and F1, and the person count error (persons found / true persons - 1).

Speed: the connector's encoding of 100,000 records (normalisation, blocks, every feature, the
random-pair sample) on one core, and the resolver on 100,000 and 1,000,000 synthetic records of
20 partners (about 2 records per person, typos in a quarter of the copies), each in a fresh
process so that its peak memory is its own, next to a floor timed in the same process: plain
Polars finding every pair of records that share a block (``resolve_*_floor_seconds``), the least
any blocked linker does, since a shared machine's speed drifts from one day to the next.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import tempfile
import time
from array import array
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.febrl import LinkageCase, febrl2_partners, febrl3_partners, febrl4, pair_quality  # noqa: E402
from privacy.encodings import make_encoding_of  # noqa: E402
from privacy.identity import normalise_identity  # noqa: E402
from privacy.linkage.pairs import LARGE_BLOCK  # noqa: E402
from privacy.linkage.records import LinkageRecord  # noqa: E402
from privacy.linkage.resolve import Resolver  # noqa: E402
from privacy.random_pairs import IdentitySample, LevelCounts  # noqa: E402

SECRET = b"benchmark linkage secret, 32 b.."
IDENTIFIERS = ("given_name", "family_name", "full_name", "date_of_birth", "sex", "citizenship", "age",
               "registration_date")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def hub_records(records: list[dict]) -> tuple[list[LinkageRecord], LevelCounts]:
    """The records as the hub holds them, and the random pairs' counts the partners' connectors send."""
    linkage, samples = [], {}
    for record in records:
        who = normalise_identity(**{name: record.get(name) for name in IDENTIFIERS})
        samples.setdefault(record["partner"], IdentitySample()).offer(who)
        encoding = make_encoding_of(SECRET, who)
        linkage.append(LinkageRecord(
            record["key"], record["partner"],
            {label: (bytes.fromhex(token), features) for label, (token, features) in encoding.blocks.items()},
            sex=record.get("sex"), citizenship=record.get("citizenship"), case=record.get("case"),
        ))
    return linkage, LevelCounts.pooled([sample.level_counts() for sample in samples.values()])


def hub_quality(case: LinkageCase) -> dict:
    records, levels = hub_records(case.records)
    resolver = Resolver(random_levels=levels)
    resolver.add(records)
    started = time.perf_counter()
    resolution = resolver.resolve()
    quality = pair_quality(resolution.persons, case.true_pairs)
    log(f"{case.name}, hub: {_rounded(quality)} in {time.perf_counter() - started:.1f} s; "
        f"its own estimate: {resolution.quality.as_dict()}")
    return quality | {"estimated_precision": resolution.quality.expected_precision,
                      "estimated_recall": resolution.quality.expected_recall}


def splink_quality(case: LinkageCase) -> dict | None:
    try:
        from bench.splink_reference import splink_persons
    except ImportError as error:
        log(f"Splink is not installed ({error}); install the bench extra to compare")
        return None
    started = time.perf_counter()
    quality = pair_quality(splink_persons(case), case.true_pairs)
    log(f"{case.name}, plaintext Splink: {_rounded(quality)} in {time.perf_counter() - started:.1f} s")
    return quality


def _rounded(figures: dict) -> dict:
    return {name: round(value, 4) if isinstance(value, float) else value for name, value in figures.items()}


DEMO_PARTNERS, DEMO_PERSONS, DEMO_SEED = 8, 5000, 7


def demo_case(partners: int = DEMO_PARTNERS, persons: int = DEMO_PERSONS, seed: int = DEMO_SEED) -> LinkageCase:
    """The demo generator's exports, read with their mappings, as a linkage case with its truth.

    A record's names and dates are as the partner wrote them; for Splink, a full name stands for its
    first part as given name and its last part as family name (as the hub's normalisation reads
    it), and dates of birth before 1901 are missing (as the connector reads them).
    """
    from hub.demo import generate_demo_data
    from schemas import load_schema
    from tests.hub.demo.partner_files import read_partner

    schema = load_schema("case-v1")
    records, by_person = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        summary = generate_demo_data(Path(folder), partners=partners, persons=persons, seed=seed)
        with summary.ground_truth_file.open(encoding="utf-8", newline="") as handle:
            person_of = {f"{row['partner']}\x1f{row['case_reference']}": row["person_id"]
                         for row in csv.DictReader(handle)}
        for partner in summary.partner_files:
            for _, row in read_partner(Path(folder) / partner, schema):
                key = f"{partner}\x1f{row['case_reference']}"
                if key in records:
                    continue
                born = row.get("date_of_birth")
                born = born if born and born.year > 1900 else None
                names = (row.get("full_name") or "").split()
                records[key] = {
                    "key": key, "partner": partner, "case": row["case_reference"],
                    "given_name": row.get("given_name") or (names[0] if names else None),
                    "family_name": row.get("family_name") or (names[-1] if len(names) > 1 else None),
                    "full_name": None, "date_of_birth": born, "sex": row.get("gender"),
                    "citizenship": row.get("citizenship"),
                    "age": None if born else row.get("age"), "registration_date": row.get("registration_date"),
                }
                by_person.setdefault(person_of[key], []).append(key)
    true_pairs = {tuple(sorted((a, b))) for keys in by_person.values() for i, a in enumerate(keys) for b in keys[i + 1:]}
    return LinkageCase("demo", list(records.values()), true_pairs)


def encoding_rate(count: int, seed: int = 1) -> float:
    """Records per second of the connector's linkage work on one core, on mixed scripts: normalise,
    encode every block and feature, and offer the identity to the random-pair sample."""
    from bench.encoding_speed import people as mixed_script_people

    people = mixed_script_people(count, seed)
    sample = IdentitySample()
    started = time.perf_counter()
    for person in people:
        who = normalise_identity(**person)
        make_encoding_of(SECRET, who)
        sample.offer(who)
    sample.level_counts()
    return count / (time.perf_counter() - started)


_SYLLABLES = ("ka", "ri", "mo", "sa", "ne", "ta", "lu", "vi", "do", "pa", "ha", "ze", "bo", "mi", "ru", "fe",
              "an", "el", "or", "us", "na", "li", "se", "go")


def _synthetic_identifiers(count: int, partners: int, seed: int) -> list[tuple[str, int, dict, int]]:
    """About ``count`` records of ``count / 1.6`` persons: Zipf-common names, a date of birth over 60
    years, a sex and one of four citizenships, each drawn at random; each copy a typo in one name
    with probability 1/4, a fifth of copies without a date. Each as (key, partner, identifiers,
    person)."""
    rng = random.Random(seed)
    names = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(60_000)]
    weights = [1 / (rank + 10) for rank in range(len(names))]
    persons = int(count / 1.6)
    given, family = rng.choices(names, weights, k=persons), rng.choices(names, weights, k=persons)
    born = [date(1950, 1, 1) + timedelta(days=rng.randrange(60 * 365)) for _ in range(persons)]
    sex = [rng.choice(("Female", "Male")) for _ in range(persons)]
    citizenship = [rng.choice(("NPL", "BGD", "IND", "UKR")) for _ in range(persons)]
    records = []
    while len(records) < count:
        person = rng.randrange(persons)
        written = {"given_name": given[person], "family_name": family[person], "sex": sex[person],
                   "citizenship": citizenship[person]}
        if rng.random() < 0.8:
            written["date_of_birth"] = born[person]
        if rng.random() < 0.25:
            part = rng.choice(("given_name", "family_name"))
            at = rng.randrange(1, len(written[part]))
            written[part] = written[part][:at] + written[part][at + 1:]
        records.append((f"r{len(records):08d}", rng.randrange(partners), written, person))
    return records


def _encoded(batch: list[tuple[str, int, dict, int]]) -> list[LinkageRecord]:
    found = []
    for key, partner, identifiers, _ in batch:
        encoding = make_encoding_of(SECRET, normalise_identity(**identifiers))
        found.append(LinkageRecord(
            key, partner, {label: (bytes.fromhex(token), features) for label, (token, features) in encoding.blocks.items()},
            sex=identifiers["sex"], citizenship=identifiers["citizenship"],
        ))
    return found


def resolve_speed(count: int, partners: int = 20) -> dict:
    """Seconds to add and resolve ``count`` synthetic records (encoded beforehand, on both cores, and
    not timed), the process's peak memory, the persons' pairwise quality against the truth, and the
    floor (:func:`_pairs_floor`) on the same records' blocks."""
    from multiprocessing import Pool

    identifiers = _synthetic_identifiers(count, partners, seed=count)
    truth = {key: person for key, _, _, person in identifiers}
    by_partner: dict[int, list] = {}
    for _, partner, written, _ in identifiers[:50_000]:
        by_partner.setdefault(partner, []).append(normalise_identity(**written))
    from privacy.random_pairs import random_pair_levels

    levels = LevelCounts.pooled([random_pair_levels(people, pairs=2_000) for people in by_partner.values()])
    batches = [identifiers[at:at + 20_000] for at in range(0, len(identifiers), 20_000)]
    del identifiers
    resolver = Resolver(random_levels=levels)
    seconds = 0.0
    # The floor's input, compact (it counts in the peak memory): for each block of each record, the
    # record's number and the first 8 bytes of the block's token.
    block_records, block_tokens = array("q"), array("q")
    added = 0
    with Pool(2) as pool:
        for records in pool.imap(_encoded, batches):
            for number, record in enumerate(records, start=added):
                for token, _ in record.blocks.values():
                    block_records.append(number)
                    block_tokens.append(int.from_bytes(token[:8], "big", signed=True))
            added += len(records)
            started = time.perf_counter()
            resolver.add(records)
            seconds += time.perf_counter() - started
    started = time.perf_counter()
    persons = resolver.resolve().persons
    seconds += time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    quality = _clustering_quality(persons, truth)
    floor_seconds, floor_pairs = _pairs_floor(block_records, block_tokens, LARGE_BLOCK)
    return {"records": count, "persons": len(persons), "seconds": round(seconds, 1), "peak_mb": round(peak_mb),
            "floor_seconds": round(floor_seconds, 1), "floor_pairs": floor_pairs,
            **{key: round(value, 4) for key, value in quality.items()}}


def _pairs_floor(block_records: array, block_tokens: array, max_block_size: int) -> tuple[float, int]:
    """The floor of resolution, timed in the same run: seconds for plain Polars (every core) to
    find each pair of records sharing a block of at most ``max_block_size`` records, once, from the
    (record, block token) rows; and how many pairs. Run with the size up to which the resolver
    compares a block's pairs in full (``LARGE_BLOCK``), it is less than the resolver does (which
    also takes some pairs of larger blocks, compares every pair field by field, fits the model and
    clusters); the resolver's time over this one drifts less than its time alone."""
    import numpy as np
    import polars as pl

    frame = pl.DataFrame({"record": np.frombuffer(block_records, np.int64), "block": np.frombuffer(block_tokens, np.int64)})
    started = time.perf_counter()
    small = frame.filter(pl.len().over("block") <= max_block_size)
    pairs = (small.join(small, on="block", suffix="_other").filter(pl.col("record") < pl.col("record_other"))
             .select("record", "record_other").unique())
    return time.perf_counter() - started, pairs.height


def _clustering_quality(persons: list[frozenset], truth: dict[str, int]) -> dict:
    """Pairwise precision, recall, F1 and person count error of ``persons`` against ``truth`` (the
    person of each key), counted from the sizes of clusters, persons and their overlaps."""
    import numpy as np

    found = np.empty(len(truth), dtype=np.int64)
    position = {key: index for index, key in enumerate(truth)}
    for label, person in enumerate(persons):
        found[[position[key] for key in person]] = label
    true = np.fromiter(truth.values(), dtype=np.int64, count=len(truth))

    def pairs(groups: np.ndarray) -> int:
        sizes = np.unique(groups, return_counts=True)[1]
        return int((sizes * (sizes - 1) // 2).sum())

    hits = pairs(found * (int(true.max()) + 1) + true)
    precision, recall = hits / max(pairs(found), 1), hits / max(pairs(true), 1)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall),
            "count_error": len(persons) / len(np.unique(true)) - 1}


def _resolve_speed_apart(count: int) -> dict:
    """:func:`resolve_speed` in a fresh process, so that its peak memory is its own."""
    import subprocess

    output = subprocess.run(
        [sys.executable, __file__, "--resolve-only", str(count)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-record resolution")
    parser.add_argument("--resolve-only", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.resolve_only:
        print(json.dumps(resolve_speed(arguments.resolve_only)))
        return {}
    figures: dict = {}
    for name, case in (("febrl4", febrl4()), ("febrl3_partners", febrl3_partners()),
                       ("febrl2_partners", febrl2_partners()), ("demo", demo_case())):
        hub, splink = hub_quality(case), splink_quality(case)
        figures |= {f"{name}_{key}": round(value, 4) for key, value in hub.items()
                    if key in ("precision", "recall", "f1", "person_count_error", "false_matches", "missed_matches",
                               "estimated_precision", "estimated_recall")}
        figures[f"{name}_count_error"] = figures.pop(f"{name}_person_count_error")
        if splink is not None:
            figures[f"{name}_splink_f1"] = round(splink["f1"], 4)
            figures[f"{name}_splink_count_error"] = round(splink["person_count_error"], 4)
    rate = encoding_rate(100_000)
    log(f"encoding: {rate:,.0f} records/s on one core")
    small = _resolve_speed_apart(100_000)
    log(f"resolve 100k: {small}")
    large = None if arguments.quick else _resolve_speed_apart(1_000_000)
    log(f"resolve 1M: {large}")
    figures |= {
        "tokenise_records_per_s": round(rate),
        "resolve_100k_seconds": small["seconds"], "resolve_100k_peak_mb": small["peak_mb"],
        "resolve_100k_f1": small["f1"], "resolve_100k_count_error": small["count_error"],
        "resolve_100k_floor_seconds": small["floor_seconds"],
        "resolve_1m_seconds": large["seconds"] if large else None,
        "resolve_1m_floor_seconds": large["floor_seconds"] if large else None,
        "resolve_1m_peak_mb": large["peak_mb"] if large else None,
        "resolve_1m_f1": large["f1"] if large else None,
        "resolve_1m_count_error": large["count_error"] if large else None,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
