"""Run every benchmark module (bench/bench_*.py: ``run() -> list[dict]``), print a table, write JSON.

Each row is ``{"bench", "case", "metric", "value", "unit", "target"}``; results land in
bench/results/<module>.json and bench/results/all.json.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

import bench

OUT = Path(__file__).parent / "results"


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(exist_ok=True)
    rows: list[dict] = []
    for m in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not m.name.startswith("bench_") or (only and m.name not in only):
            continue
        t0 = time.perf_counter()
        print(f"== {m.name}", flush=True)
        got = importlib.import_module(f"bench.{m.name}").run()
        for r in got:
            r.setdefault("bench", m.name)
        (OUT / f"{m.name}.json").write_text(json.dumps(got, indent=1))
        rows += got
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    width = max((len(f"{r['case']}") for r in rows), default=10)
    print(f"\n{'bench':<16} {'case':<{width}} {'metric':<22} {'value':>12} {'unit':<6} target")
    for r in rows:
        print(f"{r['bench']:<16} {r['case']:<{width}} {r['metric']:<22} {r['value']:>12.4g} "
              f"{r.get('unit', ''):<6} {r.get('target', '')}")
    (OUT / "all.json").write_text(json.dumps(rows, indent=1))
    print(f"\nwrote {OUT / 'all.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
