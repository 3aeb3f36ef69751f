#!/usr/bin/env python3
"""Side by side: bulk validation through opa_platform.validate against the Backstage reference.

    python bindings-python/bench/side_by_side.py CATALOG.yaml [--runs 3] [--reference CMD...]

Validates every entity of a multi-document catalog file in process with ``opa_platform.validate``
(best of ``--runs``), runs the Backstage reference (``node bench/reference/validate.js FILE``: the
``yaml`` package's parseAllDocuments plus ``@backstage/catalog-model``'s policies and kind
validators, timed inside Node) on the same file, checks that both accept the same number of
entities, and prints both throughputs and their ratio (target: at least 20x). Run by
``bindings-python/bench/side-by-side.sh``, which builds a release wheel first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import opa_platform as opa

ROOT = Path(__file__).resolve().parents[2]


def time_python(text: str, runs: int) -> tuple[float, int, int]:
    """Best wall time of ``runs`` validations, entities and valid entities."""
    best = float("inf")
    results: list[opa.EntityResult] = []
    for _ in range(runs):
        start = time.perf_counter()
        results = opa.validate(text, file="catalog.yaml")
        best = min(best, time.perf_counter() - start)
    return best, len(results), sum(1 for r in results if r.valid)


def time_reference(command: list[str], runs: int) -> tuple[float, float, int, int]:
    """Best in-process time the reference reports, best wall time, entities and valid."""
    best_inside = best_wall = float("inf")
    verdict: dict[str, float] = {}
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        best_wall = min(best_wall, time.perf_counter() - start)
        verdict = json.loads(out.strip().splitlines()[-1])
        best_inside = min(best_inside, float(verdict["seconds"]))
    return best_inside, best_wall, int(verdict["entities"]), int(verdict["valid"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference", nargs="+", help="the reference command (the file is appended)")
    args = parser.parse_args()
    text = args.catalog.read_text(encoding="utf-8")
    reference = (args.reference or ["node", str(ROOT / "bench" / "reference" / "validate.js")]) + [
        str(args.catalog)
    ]

    py_s, py_n, py_valid = time_python(text, args.runs)
    ref_s, ref_wall, ref_n, ref_valid = time_reference(reference, args.runs)
    if (py_n, py_valid) != (ref_n, ref_valid):
        print(
            f"the verdicts differ: opa_platform {py_valid}/{py_n} valid, reference {ref_valid}/{ref_n}",
            file=sys.stderr,
        )
        return 1

    def rate(seconds: float) -> str:
        return f"{py_n / seconds:,.0f}/s" if seconds > 0 else "-"

    ratio = ref_s / py_s if py_s > 0 else float("inf")
    print(f"{py_n} entities ({py_valid} valid), {len(text.encode()):,} bytes, best of {args.runs}")
    print(f"machine: {os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'opa_platform.validate (in process)':<40} {py_s * 1000:>9.1f} ms {rate(py_s):>12}")
    print(f"{'Backstage reference (in process)':<40} {ref_s * 1000:>9.1f} ms {rate(ref_s):>12}")
    print(f"{'Backstage reference (node, wall)':<40} {ref_wall * 1000:>9.1f} ms {rate(ref_wall):>12}")
    print(f"ratio: {ratio:.1f}x (target 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
