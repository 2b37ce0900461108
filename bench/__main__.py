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
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if {"-h", "--help"} & set(argv):
        print(f"usage: python -m bench [NAME ...]  (all when none; bench_ prefix optional; names: {', '.join(names)})")
        return 0
    only = {a if a.startswith("bench_") else f"bench_{a}" for a in argv}  # `vision_real` = `bench_vision_real`
    if only - set(names):
        print(f"bench: unknown {', '.join(sorted(only - set(names)))}; allowed: {', '.join(names)}", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    rows: list[dict] = []
    for name in names:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        print(f"== {name}", flush=True)
        got = importlib.import_module(f"bench.{name}").run()
        for r in got:
            r.setdefault("bench", name)
        (OUT / f"{name}.json").write_text(json.dumps(got, indent=1))
        rows += got
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    width = max((len(f"{r['case']}") for r in rows), default=10)
    print(f"\n{'bench':<16} {'case':<{width}} {'metric':<22} {'value':>12} {'unit':<6} target")
    for r in rows:
        print(f"{r['bench']:<16} {r['case']:<{width}} {r['metric']:<22} {r['value']:>12.4g} "
              f"{r.get('unit', ''):<6} {r.get('target', '')}")
    if only:  # a subset keeps the full run's all.json
        print(f"\nwrote {', '.join(str(OUT / f'{n}.json') for n in sorted(only))}")
        return 0
    (OUT / "all.json").write_text(json.dumps(rows, indent=1))
    print(f"\nwrote {OUT / 'all.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
