"""Speed of the connector's linkage encoding: records per second on one core, normalisation included.

Run ``.venv/bin/python bench/encoding_speed.py``. Each run encodes 100,000 records of mixed scripts
(the records of ``encoding_rate`` in ``bench/linkage.py``) in a fresh process, so that nothing the
encoder remembers carries from one run to the next: timed is ``normalise_identity`` then
``make_encoding_of`` for each record, as the connector does per row, and, as ``encoding_rate``
(``tokenise_records_per_s``) does, each identity offered to the random-pair sample and the sample's
level counts at the end. ``--source DIR`` imports ``privacy`` from another checkout (``git archive
<commit> privacy | tar -x -C DIR``); several ``--source`` run in turn, round after round, to compare
versions in one sitting on a machine whose load drifts. Rates are given by the clock and by the
process's CPU time (``time.process_time``), which other processes' load changes far less. Each
round also times a floor in a fresh process (:func:`floor_run`: normalisation and one keyed hash
per record) and gives the encoding's CPU time as a share of it (``share_of_floor``): the speed of a
shared machine drifts from hour to hour, that share much less. ``--instructions N`` also counts the
instructions of encoding N records and of the floor under valgrind's callgrind (each less those of
the same run stopped before its loop): a count that no other load on the machine changes, to compare
two versions when the rates drift too much (valgrind must be installed; it takes a few minutes; the
sample's level counts, a fixed cost per file, weigh more per record on fewer records). The
last line printed is one JSON object with the figures (medians over the runs).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def one_run(count: int, looped: bool = True) -> dict:
    """Seconds (by the clock and of CPU time) to normalise and encode ``count`` records and to count
    the random pairs of their sample, in this (fresh) process; and the seconds of the count alone.
    Not ``looped``: only what comes before the timed loop (imports, records), for instruction counts."""
    from privacy.encodings import make_encoding_of
    from privacy.identity import normalise_identity
    from privacy.random_pairs import IdentitySample

    records = people(count)
    sample = IdentitySample()
    if not looped:
        return {}
    started, started_cpu = time.perf_counter(), time.process_time()
    for identifiers in records:
        who = normalise_identity(**identifiers)
        make_encoding_of(SECRET, who)
        sample.offer(who)
    sampled_cpu = time.process_time()
    sample.level_counts()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    return {"records": count, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "level_counts_cpu_seconds": time.process_time() - sampled_cpu}


def floor_run(count: int, looped: bool = True) -> dict:
    """CPU seconds of the least a tokeniser of these identifiers does: normalise each record and make
    one keyed hash of it (one match key per record, which links nothing that is misspelt). Timings on
    a shared machine drift by a factor of two or more from one hour to the next; the encoding's rate
    over this floor's drifts far less. Run in a fresh process of its own, as the encoding is
    (normalisation remembers names). Not ``looped``: only what comes before its loop."""
    from privacy.identity import normalise_identity

    records, key = people(count), hashlib.sha256(SECRET).digest()
    if not looped:
        return {}
    started = time.process_time()
    for identifiers in records:
        who = normalise_identity(**identifiers)
        hmac.digest(key, f"{who.given}\x1f{who.family}\x1f{who.dob}".encode(), "sha256")
    return {"records": count, "cpu_seconds": time.process_time() - started}


def _run_apart(count: int, source: Path, what: str = "--one-run") -> dict:
    environment = os.environ | {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    output = subprocess.run(
        [sys.executable, __file__, what, str(count), "--source", str(source)],
        check=True, capture_output=True, text=True, env=environment,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _instructions(what: str, count: int, source: Path) -> int | None:
    """Instructions (callgrind's count) of a fresh process running ``what`` (``--one-run`` or
    ``--floor-run``) on ``count`` records, less those of the same process stopped before its loop;
    None without valgrind."""
    if shutil.which("valgrind") is None:
        log("--instructions: valgrind is not installed (apt-get install valgrind); no instruction counts")
        return None
    collected = []
    with tempfile.TemporaryDirectory() as scratch:
        for looped in (False, True):
            command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/out", sys.executable,
                       __file__, what, str(count), "--source", str(source), *([] if looped else ["--not-looped"])]
            report = subprocess.run(command, check=True, capture_output=True, text=True).stderr
            collected.append(int(re.search(r"Collected : (\d+)", report).group(1)))
    return collected[1] - collected[0]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", type=Path, action="append",
                        help="a checkout to import privacy from (this one if none; repeat to compare)")
    parser.add_argument("--instructions", type=int, metavar="N",
                        help="also count the instructions of encoding N records and of the floor (valgrind)")
    parser.add_argument("--one-run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor-run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--not-looped", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    sources = arguments.source or [ROOT]
    if arguments.one_run or arguments.floor_run:
        sys.path.insert(0, str(sources[0].resolve()))
        looped = not arguments.not_looped
        run = one_run(arguments.one_run, looped) if arguments.one_run else floor_run(arguments.floor_run, looped)
        print(json.dumps(run))
        return {}
    runs: dict[Path, list[dict]] = {source: [] for source in sources}
    for _ in range(arguments.runs):
        for source in sources:
            run = _run_apart(arguments.records, source)
            run["floor_cpu_seconds"] = _run_apart(arguments.records, ROOT, "--floor-run")["cpu_seconds"]
            runs[source].append(run)
            log(f"{source}: {run['records'] / run['seconds']:,.0f} records/s, "
                f"{run['records'] / run['cpu_seconds']:,.0f} per CPU second; the floor (normalise, one keyed "
                f"hash) {run['records'] / run['floor_cpu_seconds']:,.0f} per CPU second")
    figures = {str(source): _figures(source_runs) for source, source_runs in runs.items()}
    if arguments.instructions:
        count = arguments.instructions
        floor = _instructions("--floor-run", count, ROOT)
        for source in sources:
            encode = _instructions("--one-run", count, source)
            if encode is None or floor is None:
                break
            figures[str(source)] |= {
                "encode_instructions_per_record": round(encode / count), "floor_instructions_per_record": round(floor / count),
                "instruction_share_of_floor": round(floor / encode, 3), "instruction_records": count,
            }
            log(f"{source}: {encode / count:,.0f} instructions a record; the floor {floor / count:,.0f}")
    figures = figures[str(sources[0])] if len(sources) == 1 else figures
    print(json.dumps(figures))
    return figures


def _figures(runs: list[dict]) -> dict:
    rates = [run["records"] / run["seconds"] for run in runs]
    cpu_rates = [run["records"] / run["cpu_seconds"] for run in runs]
    return {
        "encode_records_per_s": round(statistics.median(rates)),
        "encode_records_per_cpu_s": round(statistics.median(cpu_rates)),
        "encode_us_per_record": round(1e6 / statistics.median(rates), 1),
        "level_counts_cpu_s": round(statistics.median(run["level_counts_cpu_seconds"] for run in runs), 3),
        "floor_records_per_cpu_s": round(statistics.median(run["records"] / run["floor_cpu_seconds"] for run in runs)),
        "share_of_floor": round(statistics.median(run["floor_cpu_seconds"] / run["cpu_seconds"] for run in runs), 3),
        "runs_records_per_s": [round(rate) for rate in rates],
        "runs_records_per_cpu_s": [round(rate) for rate in cpu_rates],
        "records": runs[0]["records"],
    }


if __name__ == "__main__":
    main()
