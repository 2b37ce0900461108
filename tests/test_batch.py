"""Batch runner: JOBS.jsonl validation, local processes, resume, Dask LocalCluster on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garment_addon.core.errors import UserError
from headless.batch import parse_jobs, run_batch
from headless.cli import main

DRAFT_JOBS = [
    {"id": "dress_m", "action": "draft", "spec": {"garment_type": "dress"}},
    {"id": "skirt_l", "action": "draft", "spec": {"garment_type": "skirt", "size": "L"}},
    {"id": "broken", "action": "draft",
     "spec": {"garment_type": "dress", "measurements": {"skirt_length": 999}}},
]


def write_jobs(path, jobs):
    path.write_text("\n".join(json.dumps(j) for j in jobs) + "\n", encoding="utf-8")
    return path


def test_local_two_workers_failure_recorded_and_resume(tmp_path, capsys):
    jobs = write_jobs(tmp_path / "jobs.jsonl", DRAFT_JOBS)
    out = tmp_path / "out"
    assert main(["batch", str(jobs), "-o", str(out), "--workers", "2"]) == 1
    summary = json.loads((out / "batch_summary.json").read_text())
    status = {j["id"]: j for j in summary["jobs"]}
    assert status["dress_m"]["status"] == "done" and status["skirt_l"]["status"] == "done"
    assert status["broken"]["status"] == "failed" and "skirt_length" in status["broken"]["error"]
    assert summary["totals"] == {"done": 2, "failed": 1, "skipped": 0, "not_run": 0, "jobs": 3}
    pattern = json.loads((out / "dress_m" / "pattern.json").read_text())
    assert pattern["schema"] == "garment-studio/pattern@1" and len(pattern["pieces"]) >= 4
    assert (out / "skirt_l" / "pattern.svg").read_text().lstrip().startswith("<")
    assert json.loads((out / "dress_m" / "job.json").read_text())["status"] == "done"
    assert not (out / "broken").exists() and not (out / ".staging").exists()
    assert "failed broken" in capsys.readouterr().out

    # resume: finished jobs are skipped, the failed one runs (and fails) again
    before = (out / "dress_m" / "pattern.json").stat().st_mtime_ns
    assert main(["batch", str(jobs), "-o", str(out), "--workers", "2"]) == 1
    again = {j["id"]: j["status"] for j in json.loads((out / "batch_summary.json").read_text())["jobs"]}
    assert again == {"dress_m": "skipped", "skirt_l": "skipped", "broken": "failed"}
    assert (out / "dress_m" / "pattern.json").stat().st_mtime_ns == before


def test_half_written_job_folder_is_not_taken_as_done(tmp_path):
    jobs = write_jobs(tmp_path / "jobs.jsonl", DRAFT_JOBS[:1])
    out = tmp_path / "out"
    (out / "dress_m").mkdir(parents=True)
    (out / "dress_m" / "pattern.json").write_text("{truncated")  # a crash left this, no job.json
    s = run_batch(jobs, out, workers=1, show_progress=False)
    assert s["totals"]["done"] == 1
    assert json.loads((out / "dress_m" / "pattern.json").read_text())["schema"].startswith("garment-studio")


@pytest.mark.slow
def test_dask_local_cluster_on_loopback(tmp_path):
    jobs = write_jobs(tmp_path / "jobs.jsonl", DRAFT_JOBS[:1] + DRAFT_JOBS[2:])
    out = tmp_path / "out"
    s = run_batch(jobs, out, workers=1, executor="dask", show_progress=False)
    assert s["executor"] == "dask"
    assert {j["id"]: j["status"] for j in s["jobs"]} == {"dress_m": "done", "broken": "failed"}
    assert (out / "dress_m" / "pattern.json").is_file() and (out / "dress_m" / "job.json").is_file()


@pytest.mark.parametrize("line, message", [
    ("{not json", "jobs.jsonl:2: not valid JSON"),
    ('{"action": "draft", "spec": {}}', "jobs.jsonl:2: id:"),
    ('{"id": "a b", "action": "draft", "spec": {}}', "jobs.jsonl:2: id:"),
    ('{"id": "x", "action": "sew", "spec": {}}', "jobs.jsonl:2: action: must be one of draft"),
    ('{"id": "x", "action": "fit", "spec": {}}', "jobs.jsonl:2: fit needs exactly one of: image"),
    ('{"id": "x", "action": "draft", "spec": {}, "colour": "red"}', "jobs.jsonl:2: colour: unknown option"),
    ('{"id": "x", "action": "render", "spec": {}, "size": 10}', "jobs.jsonl:2: size: must be 64..4096"),
    ('{"id": "x", "action": "render", "spec": {}, "method": "glue"}',
     "jobs.jsonl:2: method: must be wrap, drape"),
    ('{"id": "x", "action": "render", "spec": {}, "views": ["side", "top"]}',
     "jobs.jsonl:2: views: must be a list of front, three_quarter, side, back"),
    ('{"id": "x", "action": "render", "spec": {}, "views": "side"}', "jobs.jsonl:2: views: must be a list of"),
    ('{"id": "x", "action": "draft", "spec": {}, "max_iters": 3}',
     "jobs.jsonl:2: max_iters: not an option of draft"),
    ('{"id": "x", "action": "analyze", "image": "nowhere.png"}', "jobs.jsonl:2: image: file not found"),
    ('{"id": "ok", "action": "draft", "spec": {}}', "jobs.jsonl:2: id: duplicate id 'ok'"),
])
def test_bad_job_lines_exit_2_with_line_and_field(tmp_path, capsys, line, message):
    f = tmp_path / "jobs.jsonl"
    f.write_text('{"id": "ok", "action": "draft", "spec": {}}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(UserError, match="^" + message.replace("(", r"\(").replace(".", r"\.")):
        parse_jobs(f)
    assert main(["batch", str(f), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_flags_exit_2(tmp_path, capsys):
    jobs = write_jobs(tmp_path / "jobs.jsonl", DRAFT_JOBS[:1])
    assert main(["batch", str(jobs), "-o", str(tmp_path / "o"), "--workers", "0"]) == 2
    assert main(["batch", str(jobs), "-o", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert main(["batch", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o")]) == 2
    assert "workers: must be 1..256" in capsys.readouterr().err


def test_spec_file_paths_are_resolved_beside_the_jobs_file(tmp_path):
    (tmp_path / "s.json").write_text(json.dumps({"garment_type": "vest"}))
    f = tmp_path / "jobs.jsonl"
    f.write_text('{"id": "v", "action": "draft", "spec": "s.json"}\n')
    assert parse_jobs(f)[0]["spec"] == {"garment_type": "vest"}


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_resume_finishes(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    n = 12
    jobs = write_jobs(tmp_path / "jobs.jsonl", [{"id": f"d{i}", "action": "draft", "spec": {"garment_type": "skirt"}}
                                                for i in range(n)])
    out = tmp_path / "out"
    root = Path(__file__).resolve().parents[1]
    # a terminal's foreground job: SIGINT at its default even where this test runs in the background
    # (a non-interactive shell starts background jobs with SIGINT ignored, and children inherit that)
    proc = subprocess.Popen([sys.executable, "-m", "headless", "batch", str(jobs), "-o", str(out)], cwd=root,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while not (out / "d0" / "job.json").exists() and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the whole foreground group
    code = proc.wait(timeout=30)
    summary = out / "batch_summary.json"
    assert code == 130, summary.read_text() if summary.exists() else "no summary"
    first = json.loads((out / "batch_summary.json").read_text())["totals"]
    assert first["done"] >= 1 and first["not_run"] >= 1 and first["failed"] == 0
    assert not (out / ".staging").exists()
    assert all((out / j / "job.json").exists() for j in os.listdir(out) if j.startswith("d"))  # no half jobs
    again = run_batch(jobs, out, show_progress=False)["totals"]
    assert again["skipped"] == first["done"] and again["done"] == n - first["done"]


def test_unwritable_output_is_a_usage_error(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    jobs = write_jobs(tmp_path / "jobs.jsonl", DRAFT_JOBS[:1])
    with pytest.raises(UserError, match="output: .*a_file is a file; give a folder"):
        run_batch(jobs, blocker, show_progress=False)


def test_failed_image_job_names_the_users_file(tmp_path):
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x00not a png")
    jobs = write_jobs(tmp_path / "jobs.jsonl", [{"id": "j", "action": "analyze", "image": "junk.png"}])
    row = run_batch(jobs, tmp_path / "out", show_progress=False)["jobs"][0]
    assert row["status"] == "failed" and "junk.png" in row["error"]
    assert "gs-job-" not in row["error"]  # not the worker's private temp copy


def test_example_jobs_file_resolves_from_any_folder(tmp_path, monkeypatch):
    example = Path(__file__).resolve().parents[1] / "examples" / "jobs.jsonl"
    monkeypatch.chdir(tmp_path)
    assert {j["id"] for j in parse_jobs(example)} >= {"dress_m", "shirt_fit"}


def test_unreachable_scheduler_is_a_usage_error(tmp_path, monkeypatch):
    import socket

    import headless.batch as batch

    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", "2s")
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    jobs = write_jobs(tmp_path / "jobs.jsonl", DRAFT_JOBS[:1])
    with pytest.raises(UserError, match=f"scheduler: cannot reach tcp://127.0.0.1:{port}"):
        run_batch(jobs, tmp_path / "out", executor="dask", scheduler=f"tcp://127.0.0.1:{port}",
                  show_progress=False)
    summary = json.loads((tmp_path / "out" / "batch_summary.json").read_text())
    assert summary["totals"]["not_run"] == 1
