"""Batch throughput: jobs per minute for draft, assemble (wrap) and render (preview) with 1 and 2 workers,
and the peak memory of a worker process (each job runs in a fresh spawned process)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from garment_addon.core.garments import GARMENT_TYPES
from headless.batch import run_batch

JOBS = {  # action -> (jobs per case, extra options)
    "draft": (int(os.environ.get("BENCH_BATCH_DRAFT_N", 6)), {}),
    "assemble": (int(os.environ.get("BENCH_BATCH_BLENDER_N", 3)), {"method": "wrap"}),
    "render": (int(os.environ.get("BENCH_BATCH_BLENDER_N", 3)), {"method": "wrap", "profile": "preview",
                                                                 "size": 256}),
}
TYPES = GARMENT_TYPES


def run() -> list[dict]:
    rows = []
    for action, (n, opts) in JOBS.items():
        if n <= 0:
            continue
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                f = Path(tmp) / "jobs.jsonl"
                f.write_text("\n".join(json.dumps({"id": f"{action}{i}", "action": action,
                                                   "spec": {"garment_type": TYPES[i % len(TYPES)]}} | opts)
                                       for i in range(n)) + "\n")
                s = run_batch(f, Path(tmp) / "out", workers=workers, show_progress=False)
            done = s["totals"]["done"]
            peak = max((j.get("peak_rss_mb", 0) for j in s["jobs"]), default=0)
            case = f"{action} x{n}, {workers} worker{'s' if workers > 1 else ''}"
            rows += [
                {"case": case, "metric": "jobs_per_minute", "value": 60 * done / s["seconds"],
                 "unit": "1/min", "target": ""},
                {"case": case, "metric": "failed", "value": s["totals"]["failed"], "unit": "", "target": "0"},
                {"case": case, "metric": "peak_rss_per_worker", "value": peak, "unit": "MB", "target": ""},
            ]
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
