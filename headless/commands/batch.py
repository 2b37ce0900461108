"""`batch`: run JOBS.jsonl (draft/assemble/render/fit/analyze) on local processes or a Dask cluster."""

from __future__ import annotations

from ._common import add_command


def register(sub) -> None:
    p = add_command(sub, "batch", "run many jobs from a JSON-lines file, each in its own process, into "
                    "OUT/<id>/; re-running skips finished jobs; exit 1 when any job failed",
                    "python -m headless batch examples/jobs.jsonl -o out/batch --workers 2")
    p.add_argument("jobs", help='JOBS.jsonl: one job per line, e.g. {"id": "d1", "action": "draft", '
                                '"spec": {"garment_type": "dress"}}')
    p.add_argument("-o", "--output", required=True,
                   help="output folder (OUT/<id>/ per job, OUT/batch_summary.json)")
    p.add_argument("--workers", type=int, default=1, help="parallel worker processes (default 1)")
    p.add_argument("--executor", default="local", choices=("local", "dask"),
                   help="local processes (default) or dask.distributed")
    p.add_argument("--scheduler",
                   help="dask scheduler address tcp://HOST:PORT (default: a LocalCluster on 127.0.0.1)")
    p.set_defaults(func=run)


def run(args) -> int:
    from headless.batch import run_batch

    s = run_batch(args.jobs, args.output, workers=args.workers, executor=args.executor,
                  scheduler=args.scheduler)
    t = s["totals"]
    print(f"batch: {t['done']} done, {t['failed']} failed, {t['skipped']} skipped of {t['jobs']} "
          f"in {s['seconds']:.1f} s -> {args.output}/batch_summary.json")
    for row in s["jobs"]:
        if row["status"] == "failed":
            print(f"  failed {row['id']}: {row['error']}")
    return 1 if t["failed"] or t["not_run"] else 0
