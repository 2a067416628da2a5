"""Speed of the connector's linkage encoding: records per second on one core, normalisation included.

Run ``.venv/bin/python bench/encoding_speed.py``. Each run encodes 100,000 records of mixed scripts
(the records of ``encoding_rate`` in ``bench/linkage.py``) in a fresh process, so that nothing the
encoder remembers carries from one run to the next: timed is ``normalise_identity`` then
``make_encoding_of`` for each record, as the connector does per row. ``--source DIR`` imports
``privacy`` from another checkout (``git archive <commit> privacy | tar -x -C DIR``) to compare two
versions in one sitting. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = b"benchmark linkage secret, 32 b.."
GIVEN = ("Ana", "Maria", "Fatima", "Фатима", "ফাতেমা", "فاطمة", "Muhammad", "Мухаммад", "محمد", "Nguyen Thi",
         "Somchai", "สมชาย", "Abebe", "አበበ", "Olena", "Олена", "Rahim", "রহিম", "Joy", "Grace")
FAMILY = ("Silva", "Begum", "Бегум", "বেগম", "Khan", "خان", "Ivanova", "Иванова", "Tesfaye", "ተስፋዬ",
          "Saelim", "แซ่ลิ้ม", "Hossain", "হোসেন", "Okafor", "Petrenko", "Петренко", "Ahmed", "أحمد", "Rahman")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def people(count: int, seed: int = 1) -> list[dict]:
    """The identifiers of ``encoding_rate`` in ``bench/linkage.py``: the same draws, in the same order."""
    rng = random.Random(seed)
    return [
        dict(given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY) + rng.choice(("", "a", "ov", "i")),
             date_of_birth=date(rng.randint(1960, 2010), rng.randint(1, 12), rng.randint(1, 28)),
             sex=rng.choice(("Female", "Male")), citizenship=rng.choice(("BGD", "NPL", "UKR", "ETH", "THA")),
             phone=f"+{rng.randint(10**9, 10**10)}", document_number=f"P{rng.randint(10**6, 10**7)}",
             document_country="BGD")
        for _ in range(count)
    ]


def one_run(count: int) -> dict:
    """Seconds to normalise and encode ``count`` records, in this (fresh) process."""
    from privacy.encodings import make_encoding_of
    from privacy.identity import normalise_identity

    records = people(count)
    started = time.perf_counter()
    for identifiers in records:
        make_encoding_of(SECRET, normalise_identity(**identifiers))
    seconds = time.perf_counter() - started
    return {"records": count, "seconds": seconds}


def _run_apart(count: int, source: Path) -> dict:
    environment = os.environ | {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    output = subprocess.run(
        [sys.executable, __file__, "--one-run", str(count), "--source", str(source)],
        check=True, capture_output=True, text=True, env=environment,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to import privacy from")
    parser.add_argument("--one-run", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    sys.path.insert(0, str(arguments.source.resolve()))
    if arguments.one_run:
        print(json.dumps(one_run(arguments.one_run)))
        return {}
    rates = []
    for _ in range(arguments.runs):
        run = _run_apart(arguments.records, arguments.source)
        rates.append(run["records"] / run["seconds"])
        log(f"{rates[-1]:,.0f} records/s ({1e6 / rates[-1]:.1f} µs a record)")
    figures = {
        "encode_records_per_s": round(statistics.median(rates)),
        "encode_us_per_record": round(1e6 / statistics.median(rates), 1),
        "runs_records_per_s": [round(rate) for rate in rates],
        "records": arguments.records,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
