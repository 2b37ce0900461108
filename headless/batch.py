"""Batch runs: JOBS.jsonl -> OUT/<id>/ per job, on local processes or a dask.distributed cluster.

Every job runs in a process of its own (one Blender scene per process): a fresh
``python -m headless.batch --worker`` subprocess, started by one of ``--workers`` threads locally
or by a dask worker on a cluster. The worker runs the job in a private temp folder and sends the files back; the main
process writes them to ``OUT/.staging/<id>-*`` and renames that folder to ``OUT/<id>`` in one
step, so a killed run never leaves a half job that looks done. A job is done when
``OUT/<id>/job.json`` exists; re-running skips those (resume). Inputs (spec files, images) are
read by the main process and shipped with the job, so cluster workers need no shared disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from garment_addon import jobs
from garment_addon.blender.quiet import quiet_stdout
from garment_addon.core.errors import Failure, UserError
from garment_addon.core.inputs import check_output_path, read_jobs, read_json
from garment_addon.core.io import write_text
from garment_addon.core.views import VIEWS

ACTIONS = {  # action -> accepted inputs
    "draft": ("spec", "text"), "assemble": ("spec", "text"), "render": ("spec", "text"),
    "fit": ("image",), "analyze": ("image",),
}
# option -> (type, allowed values or (lo, hi), actions that take it)
OPTIONS: dict[str, tuple[type, tuple, tuple[str, ...]]] = {
    "method": (str, ("wrap", "drape"), ("assemble", "render")),
    "profile": (str, ("preview", "final"), ("render",)),
    "size": (int, (64, 4096), ("render", "fit")),
    "backend": (str, ("offline", "vlm", "auto"), ("fit", "analyze", "draft", "assemble", "render")),
    "max_iters": (int, (1, 200), ("fit",)),
    "threshold": (float, (0.0, 1.0), ("fit",)),
    "rig": (bool, (), ("assemble",)),
    "drape": (bool, (), ("fit",)),
    "renderer": (str, ("auto", "blender", "silhouette"), ("fit",)),
    "views": (list, tuple(VIEWS), ("render",)),  # a list of these
}
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
EXECUTORS = ("local", "dask")


# -- reading JOBS.jsonl ---------------------------------------------------------------------------
def parse_jobs(path: str | os.PathLike, found: list[Path] | None = None) -> list[dict[str, Any]]:
    """Validated jobs; a bad line is a UserError naming the line number and the field.

    ``found`` collects the files the jobs name (so the output folder can be checked against them).
    """
    jobs: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, job in read_jobs(path):
        job = _check_job(job, where, Path(path).parent, found if found is not None else [])
        if job["id"] in seen:
            raise UserError(f"{where}: id: duplicate id {job['id']!r}")
        seen.add(job["id"])
        jobs.append(job)
    return jobs


def _check_job(job: dict[str, Any], where: str, base: Path, found: list[Path]) -> dict[str, Any]:
    jid = job.get("id")
    if not isinstance(jid, str) or not ID_RE.match(jid):
        raise UserError(f"{where}: id: must be 1-100 characters of letters, digits, _ . - (got {jid!r})")
    action = job.get("action")
    if action not in ACTIONS:
        raise UserError(f"{where}: action: must be one of {', '.join(ACTIONS)} (got {action!r})")
    inputs = [k for k in ("spec", "image", "text") if k in job]
    if len(inputs) != 1 or inputs[0] not in ACTIONS[action]:
        raise UserError(f"{where}: {action} needs exactly one of: {', '.join(ACTIONS[action])}")
    for key, value in job.items():
        if key in ("id", "action", "spec", "image", "text"):
            continue
        if key not in OPTIONS:
            raise UserError(f"{where}: {key}: unknown option; allowed: {', '.join(OPTIONS)}")
        typ, allowed, actions = OPTIONS[key]
        if action not in actions:
            raise UserError(f"{where}: {key}: not an option of {action} (it is for {', '.join(actions)})")
        ok = isinstance(value, typ) and not (typ is not bool and isinstance(value, bool))
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if typ is list:
            ok = ok and bool(value) and all(isinstance(v, str) and v in allowed for v in value)
        if not ok or (typ is str and value not in allowed) or (typ in (int, float) and
                                                               not allowed[0] <= value <= allowed[1]):
            rng = ", ".join(allowed) if typ is str else ("true or false" if typ is bool else
                                                          f"a list of {', '.join(allowed)}" if typ is list else
                                                          f"{allowed[0]}..{allowed[1]}")
            raise UserError(f"{where}: {key}: must be {rng} (got {value!r})")
    return _resolve_inputs(job, where, base, found)


def _resolve_inputs(job: dict[str, Any], where: str, base: Path, found: list[Path]) -> dict[str, Any]:
    """Read spec files and images now, so a worker anywhere needs nothing from this disk."""
    job = dict(job)
    if isinstance(job.get("spec"), str):
        f = _find(job["spec"], base)
        if f is None:
            raise UserError(f"{where}: spec: file not found: {job['spec']}")
        found.append(f)
        job["spec"] = read_json(f, f"{where}: spec")
    elif "spec" in job and not isinstance(job["spec"], dict):
        raise UserError(f"{where}: spec: must be a spec/pattern object or a JSON file path")
    if "text" in job and (not isinstance(job["text"], str) or not job["text"].strip()):
        raise UserError(f"{where}: text: must be a non-empty description")
    if "image" in job:
        f = _find(job["image"], base) if isinstance(job["image"], str) else None
        if f is None:
            raise UserError(f"{where}: image: file not found: {job['image']!r}")
        found.append(f)
        job["image"] = {"name": f.name, "data": f.read_bytes(), "path": job["image"]}
    return job


def _find(name: str, base: Path) -> Path | None:
    for p in (Path(name), base / name):
        if p.is_file():
            return p
    return None


# -- running one job (inside the worker process) ---------------------------------------------------
def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job in a temp folder; return {id, status, seconds, error, files: {name: bytes}}."""
    t0 = time.perf_counter()
    with quiet_stdout(), tempfile.TemporaryDirectory(prefix=f"gs-job-{job['id']}-") as tmp:
        work, out = Path(tmp), Path(tmp) / "out"
        try:
            info = _do_action(job, work, out)
            files = {str(f.relative_to(out)): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}
            return {"id": job["id"], "status": "done", "seconds": time.perf_counter() - t0, "error": None,
                    "files": files, "info": info, "peak_rss_mb": _peak_rss_mb()}
        except Exception as exc:  # noqa: BLE001 - a failing job is recorded, the others go on
            msg = str(exc).splitlines()[0] if str(exc) else ""
            if "image" in job:  # name the user's file, not the worker's private copy of it
                msg = msg.replace(str(work / job["image"]["name"]), job["image"].get("path", job["image"]["name"]))
            if not isinstance(exc, UserError | Failure):  # a bug, not the user's input: say what broke
                msg = f"{exc.__class__.__name__}: {msg}"
            return {"id": job["id"], "status": "failed", "seconds": time.perf_counter() - t0,
                    "error": msg, "files": None,
                    "traceback": "" if isinstance(exc, UserError) else traceback.format_exc(limit=8)}


def _peak_rss_mb() -> float:
    """This worker process's peak resident memory (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _do_action(job: dict[str, Any], work: Path, out: Path) -> dict[str, Any]:
    action = job["action"]
    image = None
    if "image" in job:
        image = work / job["image"]["name"]
        image.write_bytes(job["image"]["data"])
    if action in ("draft", "assemble", "render"):
        spec = jobs.spec_from(job["text"] if "text" in job else job["spec"], job.get("backend", "offline"))
    if action == "draft":
        jobs.draft_to_folder(spec, out)
        return {}
    if action == "assemble":
        return jobs.assemble_to_folder(spec, out, job.get("method", "wrap"), job.get("rig", False)
                                       ).get("timings_s", {})
    if action == "render":
        info = jobs.render_to_folder(spec, out, job.get("method", "wrap"), job.get("profile", "preview"),
                                     job.get("size", 512), views=tuple(job.get("views", ())))
        return {"seconds": info.get("seconds")}
    if action == "fit":
        options = {k: job[k] for k in jobs.FIT_OPTIONS if k in job}
        s = jobs.run_fit(image, out, **options, show_progress=False)
        return {k: s[k] for k in ("best_score", "iterations", "stop_reason", "garment_type")}
    out.mkdir(parents=True, exist_ok=True)
    return {"garment_type": jobs.analyze_to_file(image, out / "spec.json", job.get("backend", "offline")).garment_type}


class _Children:
    """The live job subprocesses, so Ctrl-C can stop them and no new one starts afterwards."""

    def __init__(self):
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()
        self.stopping = False

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            procs = list(self.procs)
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


def run_job_in_subprocess(job: dict[str, Any], children: _Children | None = None) -> dict[str, Any]:
    """run_job in a brand-new Python process: one Blender scene per job, nothing shared between jobs."""
    failed = {"id": job["id"], "status": "failed", "seconds": 0.0, "files": None}
    with tempfile.TemporaryDirectory(prefix="gs-sub-") as tmp:
        src, dst = Path(tmp) / "job.pkl", Path(tmp) / "result.pkl"
        src.write_bytes(pickle.dumps(job))
        root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
        cmd = [sys.executable, "-m", "headless.batch", "--worker", str(src), str(dst)]
        lock = children.lock if children else contextlib.nullcontext()
        with lock:
            if children and children.stopping:
                return failed | {"error": "cancelled"}
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                                    cwd=root)
            if children:
                children.procs.add(proc)
        try:
            _, err = proc.communicate()
        finally:
            if children:
                with children.lock:
                    children.procs.discard(proc)
        if proc.returncode != 0 or not dst.is_file():
            tail = [line for line in (err or "").strip().splitlines() if "EGL" not in line][-1:] or ["no output"]
            return failed | {"error": f"worker process exited {proc.returncode}: {tail[0]}"}
        return pickle.loads(dst.read_bytes())


# -- the batch ------------------------------------------------------------------------------------
def job_done(out: Path, jid: str) -> bool:
    f = out / jid / "job.json"
    try:
        return json.loads(f.read_text(encoding="utf-8")).get("status") == "done"
    except (OSError, json.JSONDecodeError):
        return False


def _publish(out: Path, job: dict[str, Any], res: dict[str, Any]) -> None:
    """Files -> OUT/.staging/<id>-*/ -> one rename to OUT/<id>/ (job.json written last, inside)."""
    staging = out / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{job['id']}-", dir=staging))
    try:
        for name, data in (res.get("files") or {}).items():
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_bytes(data)
        record = {k: v for k, v in job.items() if k != "image"} | {
            "image": job["image"].get("path", job["image"]["name"]) if "image" in job else None,
            "status": "done", "seconds": round(res["seconds"], 3), "info": res.get("info", {}),
            "peak_rss_mb": res.get("peak_rss_mb")}
        (stage / "job.json").write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
        final = out / job["id"]
        if final.exists():  # an unfinished leftover (no job.json) from a crashed run
            shutil.rmtree(final)
        os.chmod(stage, 0o755)  # mkdtemp makes it private; outputs are ordinary files
        os.rename(stage, final)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _check_job_folders(out: Path, batch: list[dict[str, Any]], found: list[Path]) -> None:
    """OUT/<id>/ is replaced when a job finishes: it must hold no input and nothing a job does not write."""
    ours = {"job.json", "spec.json", *jobs.DRAFT_FILES, *jobs.ASSEMBLE_FILES, *jobs.RENDER_FILES, *jobs.FIT_FILES}
    for job in batch:
        folder = out / job["id"]
        for f in found:
            if folder.resolve() in f.resolve().parents:
                raise UserError(f"output: {f} is inside {folder}, which job {job['id']!r} replaces; "
                                "move it or choose another output folder")
        if folder.is_dir() and not job_done(out, job["id"]):
            foreign = sorted(p.name for p in folder.iterdir() if p.name not in ours or not p.is_file())
            if foreign:
                raise UserError(f"output: {folder} holds {foreign[0]!r}, which no job writes; job {job['id']!r} "
                                "would replace the folder: move it or choose another output folder")


def run_batch(jobs_path, out, workers: int = 1, executor: str = "local", scheduler: str | None = None,
              show_progress: bool = True) -> dict[str, Any]:
    """Run every unfinished job; write OUT/batch_summary.json; return the summary."""
    from tqdm import tqdm

    if executor not in EXECUTORS:
        raise UserError(f"executor: must be one of {', '.join(EXECUTORS)} (got {executor!r})")
    if not 1 <= int(workers) <= 256:
        raise UserError(f"workers: must be 1..256 (got {workers!r})")
    if scheduler and executor != "dask":
        raise UserError("scheduler: only with --executor dask")
    if scheduler and not re.match(r"^(tcp|tls|inproc|ucx)://\S+$", scheduler):
        raise UserError(f"scheduler: must look like tcp://HOST:PORT (got {scheduler!r})")
    found: list[Path] = []
    jobs = parse_jobs(jobs_path, found)
    out = check_output_path(out, [jobs_path, *found], "dir", ("batch_summary.json",))
    _check_job_folders(out, jobs, found)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / ".staging", ignore_errors=True)  # leftovers of a killed run
    results: dict[str, dict[str, Any]] = {}
    todo = []
    for job in jobs:
        if job_done(out, job["id"]):
            results[job["id"]] = {"id": job["id"], "status": "skipped", "seconds": 0.0, "error": None}
        else:
            todo.append(job)
    t0 = time.perf_counter()
    bar = tqdm(total=len(jobs), initial=len(jobs) - len(todo), desc="batch", unit="job", file=sys.stderr,
               disable=None if show_progress else True, dynamic_ncols=True)  # None: a terminal only
    counts = {"done": 0, "failed": 0, "skipped": len(jobs) - len(todo)}

    def finished(job, res) -> None:
        if res["status"] == "done":
            try:
                _publish(out, job, res)
            except OSError as exc:
                res = res | {"status": "failed", "error": f"writing outputs: {exc}"}
        results[job["id"]] = {k: res.get(k) for k in ("id", "status", "seconds", "error", "peak_rss_mb")}
        counts[res["status"]] += 1
        bar.update(1)
        bar.set_postfix(done=counts["done"], failed=counts["failed"], skipped=counts["skipped"])

    try:
        with bar:
            if todo and executor == "local":
                _run_local(todo, int(workers), finished)
            elif todo:
                _run_dask(todo, int(workers), scheduler, finished)
    finally:
        summary = _summary(jobs, results, time.perf_counter() - t0, executor, int(workers))
        write_text(out / "batch_summary.json", json.dumps(summary, indent=1))
        shutil.rmtree(out / ".staging", ignore_errors=True)
    return summary


def _run_local(todo, workers: int, finished) -> None:
    """Up to ``workers`` jobs at a time, each in a fresh subprocess (threads only wait for them)."""
    children = _Children()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch")
    try:
        futures = {pool.submit(run_job_in_subprocess, job, children): job for job in todo}
        for fut in as_completed(futures):
            finished(futures[fut], fut.result())
    except BaseException:  # Ctrl-C: stop the running jobs, start no more
        pool.shutdown(wait=False, cancel_futures=True)
        children.stop()
        raise
    pool.shutdown(wait=True)


CONNECT_TIMEOUT = "30s"


def _run_dask(todo, workers: int, scheduler: str | None, finished) -> None:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=40)
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as exc:  # a wrong or unreachable address is the user's input, not a crash
        if cluster is not None:
            cluster.close()
        raise UserError(f"scheduler: cannot reach {scheduler or 'the local cluster'} ({exc})") from None
    try:
        futures = {client.submit(run_job_in_subprocess, job, key=f"job-{job['id']}-{time.time_ns()}",
                                 pure=False, retries=0): job for job in todo}
        by_key = {f.key: j for f, j in futures.items()}
        for fut in dask_completed(list(futures)):
            job = by_key[fut.key]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker
                res = {"id": job["id"], "status": "failed", "seconds": 0.0, "files": None,
                       "error": f"dask task failed: {exc.__class__.__name__}: {exc}"}
            finished(job, res)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _summary(jobs, results, seconds: float, executor: str, workers: int) -> dict[str, Any]:
    rows = []
    for job in jobs:
        r = results.get(job["id"], {"id": job["id"], "status": "not_run", "seconds": 0.0,
                                    "error": "cancelled"})
        row = {"id": r["id"], "status": r["status"], "seconds": round(r["seconds"] or 0.0, 3),
               "error": r["error"]}
        rows.append(row | ({"peak_rss_mb": r["peak_rss_mb"]} if r.get("peak_rss_mb") else {}))
    totals = {s: sum(r["status"] == s for r in rows) for s in ("done", "failed", "skipped", "not_run")}
    return {"jobs": rows, "totals": totals | {"jobs": len(rows)}, "seconds": round(seconds, 3),
            "executor": executor, "workers": workers}


def _worker_main(src: str, dst: str) -> int:
    job = pickle.loads(Path(src).read_bytes())
    Path(dst).write_bytes(pickle.dumps(run_job(job)))
    return 0


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--worker":
    sys.exit(_worker_main(sys.argv[2], sys.argv[3]))
