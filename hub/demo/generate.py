"""The demo data generator: synthetic persons, reported by partners in their own layouts.

A partner may hold one person under several case numbers (a repeat caller, a re-admission);
each case is a row of its own and a line of the ground truth. Persons are made and written in
chunks: each chunk's records are shuffled within each partner's file, so that row order does not
betray which records belong together, and memory stays bounded however many persons are asked for.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hub.demo.assign import choose_cases
from hub.demo.partners import PartnerLayout, build_partners
from hub.demo.people import PersonFactory
from hub.demo.readme import write_readme
from hub.demo.render import Renderer
from hub.demo.slips import FIRST_CONTACT, REPEAT
from hub.demo.write import GroundTruthWriter, open_writer, write_mapping, write_partners_index

CHUNK_PERSONS = 2000
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate_demo_data` wrote: paths and counts."""

    out_dir: Path
    months: tuple[str, ...]
    persons: int
    records: int
    partners_file: Path
    ground_truth_file: Path
    readme_file: Path
    partner_files: dict[str, tuple[Path, ...]]  # partner slug -> one file per month
    mapping_files: dict[str, Path]  # partner slug -> mapping.yaml
    records_by_partner: dict[str, int]

    @property
    def partners(self) -> int:
        return len(self.mapping_files)


def default_months(today: date, count: int = 3) -> list[str]:
    """The last ``count`` full months before ``today``, oldest first.

    >>> default_months(date(2026, 1, 15))
    ['2025-10', '2025-11', '2025-12']
    """
    index = today.year * 12 + today.month - 1
    return [f"{(i - 1) // 12:04d}-{(i - 1) % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _check(partners: int, persons: int, months: list[str], today: date) -> None:
    if partners < 1:
        raise ValueError("partners must be at least 1")
    if persons < 1:
        raise ValueError("persons must be at least 1")
    if not months:
        raise ValueError("months must not be empty")
    for month in months:
        if not MONTH.match(month):
            raise ValueError(f"month {month!r} is not written YYYY-MM")
        if month > today.strftime("%Y-%m"):
            raise ValueError(f"month {month} is in the future")
    if len(set(months)) != len(months):
        raise ValueError("months must not repeat")


def _registration_day(month: str, rng: random.Random, today: date, not_before: date | None) -> date:
    year, number = int(month[:4]), int(month[5:])
    first = not_before.day if not_before and (not_before.year, not_before.month) == (year, number) else 1
    day = date(year, number, rng.randint(first, calendar.monthrange(year, number)[1]))
    return min(day, today)  # the current month may be asked for; never register in the future


def _reference(layout: PartnerLayout, sequence: int, registered: date) -> str:
    # Multiplying by an odd constant modulo 2**32 is a bijection: unique, random-looking ids.
    scrambled = (sequence * 2654435761) % 2**32
    return layout.reference_format.format(
        seq=sequence, scrambled=scrambled, year=registered.year, yy=f"{registered.year % 100:02d}"
    )


def _open_writers(out_dir: Path, layouts: list[PartnerLayout], months: list[str]) -> dict:
    writers = {}
    try:
        for p, layout in enumerate(layouts):
            (out_dir / layout.slug).mkdir(parents=True, exist_ok=True)
            for m, month in enumerate(months):
                writers[p, m] = open_writer(out_dir / layout.slug / f"{month}.{layout.extension}", layout)
    except BaseException:
        for writer in writers.values():
            writer.close()
        raise
    return writers


def _write_records(
    out_dir: Path, layouts: list[PartnerLayout], renderers: list[Renderer], months: list[str], persons: int,
    seed: int, today: date,
) -> dict[str, int]:
    """Make the persons, write every partner's records of them and the ground truth; count records."""
    last_year, last_month = int(months[-1][:4]), int(months[-1][5:])
    factory = PersonFactory(
        random.Random(f"demo-persons:{seed}"),
        reference_day=date(last_year, last_month, calendar.monthrange(last_year, last_month)[1]),
    )
    assign_rng = random.Random(f"demo-assign:{seed}")
    shuffle_rng = random.Random(f"demo-shuffle:{seed}")
    # Case numbers continue from where each partner's register stood, not from 1.
    sequences = [random.Random(f"demo-sequence:{seed}:{p.slug}").randint(100, 4000) for p in layouts]
    counts = {layout.slug: 0 for layout in layouts}
    writers = _open_writers(out_dir, layouts, months)
    ground_truth = GroundTruthWriter(out_dir / "ground_truth.csv")
    try:
        for start in range(0, persons, CHUNK_PERSONS):
            chunk: dict[tuple[int, int], list[dict]] = {}
            for _ in range(min(CHUNK_PERSONS, persons - start)):
                person = factory.make()
                last_registered: dict[int, date] = {}  # partner index -> its latest case of the person
                for p, m, repeat in choose_cases(person, layouts, len(months), assign_rng):
                    registered = _registration_day(months[m], renderers[p].rng, today, last_registered.get(p))
                    last_registered[p] = registered
                    sequences[p] += 1
                    reference = _reference(layouts[p], sequences[p], registered)
                    slips = REPEAT if repeat else FIRST_CONTACT
                    record = renderers[p].record(person, registered, reference, slips)
                    chunk.setdefault((p, m), []).append(record)
                    ground_truth.write(layouts[p].slug, months[m], reference, person.person_id)
                    counts[layouts[p].slug] += 1
            for key in sorted(chunk):
                shuffle_rng.shuffle(chunk[key])
                for record in chunk[key]:
                    writers[key].write(record)
    finally:
        ground_truth.close()
        for writer in writers.values():
            writer.close()
    return counts


def generate_demo_data(
    out_dir: Path, *, partners: int, persons: int, months: list[str] | None = None, seed: int = 7
) -> DemoSummary:
    """Write synthetic monthly exports of ``partners`` partners about ``persons`` persons to ``out_dir``.

    The same arguments (and seed) write the same data. ``months`` defaults to the last three
    full months before today. See README.txt in the output folder for what is written.
    """
    today = date.today()
    months = sorted(months) if months else default_months(today)
    _check(partners, persons, months, today)
    out_dir = Path(out_dir)
    layouts = build_partners(partners, seed)
    renderers = [Renderer(layout, random.Random(f"demo-render:{seed}:{layout.slug}")) for layout in layouts]
    counts = _write_records(out_dir, layouts, renderers, months, persons, seed, today)
    mappings = {layout.slug: out_dir / layout.slug / "mapping.yaml" for layout in layouts}
    for layout, renderer in zip(layouts, renderers):
        write_mapping(mappings[layout.slug], layout, renderer.codes_used)
    records = sum(counts.values())
    write_partners_index(out_dir / "partners.json", layouts, months, counts, seed=seed, persons=persons)
    write_readme(out_dir / "README.txt", layouts, seed=seed, months=months, persons=persons, records=records)
    return DemoSummary(
        out_dir=out_dir, months=tuple(months), persons=persons, records=records,
        partners_file=out_dir / "partners.json", ground_truth_file=out_dir / "ground_truth.csv",
        readme_file=out_dir / "README.txt",
        partner_files={
            layout.slug: tuple(out_dir / layout.slug / f"{month}.{layout.extension}" for month in months)
            for layout in layouts
        },
        mapping_files=mappings, records_by_partner=counts,
    )
