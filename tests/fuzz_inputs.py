"""Bad inputs against every command, as a careless or hostile user would try them (`make fuzz`).

Families (the input probe's categories): shapes, nesting, numbers, nan, refs, encoding, outputs,
disk, flags, vlm. Every case runs the CLI in-process (``headless.cli.main``) in a fresh folder and
is judged on: the exit code (2 for bad input, 1 for a service or disk failure, 0 where ``auto``
falls back), one line on stderr, no traceback or exception class name, no input file changed, no
byte of the API key in stdout, stderr, the log or any file written, and the time a VLM case took.

    python -m tests.fuzz_inputs [--family NAME ...] [--seed N] [--sample K]

The suite (tests/test_inputs.py) runs a few cases of each family; `make fuzz` runs them all with
fresh random variants.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import io
import json
import logging
import os
import random
import re
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .fake_http import send_json

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
PHOTO = DATA / "garmentcode_shirt_render_front.png"
GC_SPEC = DATA / "garmentcode" / "tshirt_specification.json"
CLASS_NAME = re.compile(r"Traceback|\b[A-Z]\w*(Error|Exception|Interrupt|Exit)\b")
KEY = "sk-fuzz-" + "".join(random.Random(7).choices(string.ascii_letters + string.digits, k=32))
VLM_ENV = ("GARMENT_VLM_API_KEY", "HF_TOKEN", "OPENAI_API_KEY", "GARMENT_VLM_BASE_URL", "GARMENT_VLM_MODELS",
           "GARMENT_VLM_TIMEOUT")
FAST_FIT = ["--renderer", "silhouette", "--max-iters", "2", "--size", "64"]


@dataclass
class Case:
    family: str
    name: str
    argv: list[str]
    code: int  # the exit status a user should get
    words: tuple[str, ...] = ()  # what the one line must say
    env: dict[str, str] = field(default_factory=dict)
    seconds: float | None = None  # the most a VLM case may take
    patch: Callable | None = None  # a context manager factory simulating the environment (permission)


@dataclass
class Result:
    case: Case
    code: int
    out: str
    err: str
    seconds: float
    problems: list[str]


# -- files ----------------------------------------------------------------------------------------
def _spec() -> dict:
    return {"garment_type": "dress", "measurements": {"bust": 90, "waist": 72}, "features": {"fit": "regular"}}


def _pattern() -> dict:
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import make_spec

    return draft_pattern(make_spec({"garment_type": "skirt"})).to_dict()


class Inputs:
    """The folder of input files one family's cases read (hashed before and after every case)."""

    def __init__(self, root: Path):
        self.dir = root / "in"
        self.dir.mkdir(parents=True)
        self.n = 0
        self.photo = self.copy(PHOTO, "photo.png")
        self.spec = self.json(_spec(), "spec.json")
        self.pattern = self.json(_pattern(), "pattern.json")

    def copy(self, src: Path, name: str) -> str:
        shutil.copy(src, self.dir / name)
        return str(self.dir / name)

    def raw(self, data: bytes | str, name: str | None = None) -> str:
        self.n += 1
        p = self.dir / (name or f"f{self.n}.json")
        p.write_bytes(data.encode() if isinstance(data, str) else data)
        return str(p)

    def json(self, obj, name: str | None = None) -> str:
        return self.raw(json.dumps(obj), name)

    def hashes(self) -> dict[str, str]:
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(self.dir.rglob("*")) if p.is_file()}


def _spec_commands(f: str, out: Path, inp: Inputs) -> list[tuple[str, list[str]]]:
    """Every command that reads a spec (or a spec-or-pattern) file, with ``f`` in its place."""
    return [("draft", ["draft", f, "-o", str(out / "d")]),
            ("edit", ["edit", f, "10 cm shorter", "-o", str(out / "e.json")]),
            ("fit --start", ["fit", inp.photo, "--start", f, "-o", str(out / "fit"), *FAST_FIT]),
            ("assemble", ["assemble", f, "-o", str(out / "a")]),
            ("render", ["render", f, "-o", str(out / "r")])]


def _pattern_commands(f: str, out: Path) -> list[tuple[str, list[str]]]:
    return [("export", ["export", f, "-o", str(out / "x.svg")]), ("check", ["check", f]),
            ("assemble", ["assemble", f, "-o", str(out / "a")])]


def _each(family: str, label: str, commands, words: tuple[str, ...] = (), code: int = 2) -> list[Case]:
    return [Case(family, f"{cmd} {label}", argv, code, words) for cmd, argv in commands]


def _jobs_line(inp: Inputs, line: str) -> str:
    return inp.raw('{"id": "ok", "action": "draft", "spec": {}}\n' + line + "\n", f"jobs{inp.n + 1}.jsonl")


# -- families -------------------------------------------------------------------------------------
def fam_shapes(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    shapes = ['[]', '"dress"', "3", "null", "true", '[{"garment_type": "dress"}]', '{"garment_type": ["dress"]}',
              '{"garment_type": "dress", "measurements": [1, 2]}', '{"garment_type": "dress", "features": "fitted"}',
              '{"garment_type": "dress", "measurements": {"bust": "90"}}',
              '{"garment_type": "dress", "features": {"fit": []}}',
              '{"garment_type": "dress", "features": {"has_collar": {"a": 1}}}',
              '{"garment_type": {"x": 1}}', '{"size": 3}', '{"garment_type": "dress", "measurements": {"bust": true}}']
    cases = []
    for text in shapes:
        f = inp.raw(text)
        cases += [Case("shapes", f"{cmd} {text[:30]}", argv, 2) for cmd, argv in _spec_commands(f, out, inp)]
    pats = [{"schema": "garment-studio/pattern@1"}, {"schema": "garment-studio/pattern@1", "pieces": "x", "seams": []},
            {"schema": "garment-studio/pattern@1", "pieces": [{"name": "a"}], "seams": []},
            {"schema": "garment-studio/pattern@1", "pieces": [{"name": "a", "outline": [[0, 0], [1]], "edges": []}],
             "seams": []},
            {"schema": "garment-studio/pattern@1", "pieces": [1, 2], "seams": {}}, {"pattern": {"panels": 3}},
            {"pattern": {"panels": {"a": {"vertices": "x"}}, "stitches": []}}, [1, 2], {"pieces": []}]
    for obj in pats:
        f = inp.json(obj)
        cases += [Case("shapes", f"{cmd} {json.dumps(obj)[:40]}", argv, 2) for cmd, argv in _pattern_commands(f, out)]
        cases.append(Case("shapes", f"import {json.dumps(obj)[:40]}", ["import", f, "-o", str(out / "i")], 2))
    for line in ('[1, 2]', '"draft"', '{"id": "x", "action": "draft", "spec": [1]}',
                 '{"id": "x", "action": "draft", "spec": {}, "size": "big"}', '{"id": ["x"], "action": "draft"}'):
        cases.append(Case("shapes", f"batch {line[:30]}", ["batch", _jobs_line(inp, line), "-o", str(out / "b")], 2))
    return cases


def _nested(depth: int, rng: random.Random) -> str:
    kinds = [rng.choice("[{") for _ in range(depth)]
    return "".join('{"a": ' if k == "{" else "[" for k in kinds) + "1" + "".join(
        "}" if k == "{" else "]" for k in reversed(kinds))


def fam_nesting(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    cases = []
    for depth in (100, 1000, 100_000, rng.randint(65, 5000)):
        body = _nested(depth, rng)
        spec = inp.raw('{"garment_type": "dress", "metadata": ' + body + "}")
        cases += _each("nesting", f"depth {depth}", _spec_commands(spec, out, inp), ("nested",))
        bare = inp.raw(body)
        cases += _each("nesting", f"depth {depth}", _pattern_commands(bare, out), ("nested",))
        cases.append(Case("nesting", f"import depth {depth}", ["import", bare, "-o", str(out / "i")], 2, ("nested",)))
        jobs = _jobs_line(inp, '{"id": "x", "action": "draft", "spec": ' + body + "}")
        cases.append(Case("nesting", f"batch depth {depth}", ["batch", jobs, "-o", str(out / "b")], 2, ("nested",)))
    return cases


def fam_numbers(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    cases = []
    for num in ("9" * 5000, "1e999", "-1e999", str(rng.randint(10**19, 10**30)), "1" + "0" * rng.randint(19, 400)):
        spec = inp.raw('{"garment_type": "dress", "measurements": {"bust": ' + num + "}}")
        cases += _each("numbers", f"bust={num[:12]}", _spec_commands(spec, out, inp), ("bust",))
        pat = _pattern()
        text = json.dumps(pat).replace(json.dumps(pat["pieces"][0]["outline"][1][0]), num, 1)
        f = inp.raw(text)
        cases += _each("numbers", f"outline {num[:12]}", _pattern_commands(f, out), ("outline",))
        jobs = _jobs_line(inp, '{"id": "x", "action": "render", "spec": {}, "size": ' + num + "}")
        cases.append(Case("numbers", f"batch size={num[:12]}", ["batch", jobs, "-o", str(out / "b")], 2, ("size",)))
    return cases


def fam_nan(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    cases = []
    for const in ("NaN", "Infinity", "-Infinity"):
        name = rng.choice(["bust", "waist", "skirt_length", "sleeve_length"])
        spec = inp.raw('{"garment_type": "dress", "measurements": {"' + name + '": ' + const + "}}")
        cases += _each("nan", f"{name}={const}", _spec_commands(spec, out, inp), (name,))
        pat = json.dumps(_pattern())
        f = inp.raw(pat.replace('"ease_cm": 0.0', '"ease_cm": ' + const, 1))
        cases += _each("nan", f"ease_cm={const}", _pattern_commands(f, out), ("ease_cm",))
        jobs = _jobs_line(inp, '{"id": "x", "action": "fit", "image": "' + inp.photo + '", "threshold": ' + const + "}")
        cases.append(Case("nan", f"batch threshold={const}", ["batch", jobs, "-o", str(out / "b")], 2, ("threshold",)))
    return cases


def fam_refs(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    cases = []
    for side, key, bad in (("a", "piece", "front_bodice"), ("b", "piece", "nowhere"), ("a", "edge", "hem_x"),
                           ("b", "edge", rng.choice(["side_x", "waistline_2", "zz"]))):
        pat = _pattern()
        pat["seams"][rng.randrange(len(pat["seams"]))][side][key] = bad
        f = inp.json(pat)
        cases += _each("refs", f"seam {side}.{key}={bad}", _pattern_commands(f, out), (bad,))
    pat = _pattern()
    pat["pieces"][0]["edges"][0]["end"] = 10_000
    f = inp.json(pat)
    cases += _each("refs", "edge index", _pattern_commands(f, out), ("edges[0]",))
    gc = json.loads(GC_SPEC.read_text())
    stitch = gc["pattern"]["stitches"][0]
    stitch[0]["panel"] = "no_such_panel"
    f = inp.json(gc)
    cases.append(Case("refs", "import stitch to a missing panel", ["import", f, "-o", str(out / "i")], 2,
                      ("no_such_panel",)))
    cases.append(Case("refs", "check stitch to a missing panel", ["check", f], 2, ("no_such_panel",)))
    return cases


def fam_encoding(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    cases = []
    blobs = {"latin-1": '{"garment_type": "dress", "metadata": {"note": "caf\xe9"}}'.encode("latin-1"),
             "utf-16": json.dumps(_spec()).encode("utf-16"), "binary": bytes(rng.randrange(256) for _ in range(300)),
             "empty": b"", "png": PHOTO.read_bytes()[:2000]}
    for name, data in blobs.items():
        f = inp.raw(data)
        cases += [Case("encoding", f"{cmd} {name}", argv, 2) for cmd, argv in _spec_commands(f, out, inp)[:3]]
        cases += [Case("encoding", f"{cmd} {name}", argv, 2) for cmd, argv in _pattern_commands(f, out)[:2]]
        if data:
            jobs = inp.raw(b'{"id": "ok", "action": "draft", "spec": {}}\n' + data + b"\n", f"jobs{inp.n}.jsonl")
            cases.append(Case("encoding", f"batch {name}", ["batch", jobs, "-o", str(out / "b")], 2, ("jobs",)))
    bom = inp.raw(b"\xef\xbb\xbf" + json.dumps(_spec()).encode())
    cases.append(Case("encoding", "draft utf-8 with BOM (valid)", ["draft", bom, "-o", str(out / "bom")], 0))
    return cases


def _no_write(path: Path):
    """os.access says 'no' for ``path`` (as root the kernel always says yes, so it is simulated there)."""
    real = os.access

    @contextlib.contextmanager
    def patch():
        os.access = lambda p, mode, **kw: False if Path(p) == path else real(p, mode, **kw)
        try:
            yield
        finally:
            os.access = real

    return patch


def fam_outputs(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    blocker = inp.raw("x", "a_file")
    long = "n" * rng.randint(250, 400) + ".json"
    locked = out / "locked"
    locked.mkdir()
    fifo = out / "fifo"  # not a regular file, like /dev/null; never a system path: code that fails to
    os.mkfifo(fifo)      # refuse it would rename a file over it (as root, over the real /dev/null)
    out_dir = Path(inp.dir) / "outdir"
    out_dir.mkdir()
    photo_in_out = inp.copy(PHOTO, "outdir/render.png")
    (out_dir / "job1").mkdir()
    job_spec = inp.json({"garment_type": "skirt"}, "outdir/job1/spec.json")
    jobs = inp.raw(json.dumps({"id": "job1", "action": "draft", "spec": job_spec}) + "\n", "jobs.jsonl")
    (Path(inp.dir) / "gc").mkdir()
    (Path(inp.dir) / "home" / "Documents").mkdir(parents=True)
    inp.raw("my notes", "home/Documents/notes.txt")
    docs_jobs = inp.raw('{"id": "Documents", "action": "draft", "spec": {}}\n', "docs.jsonl")
    gc_named_pattern = inp.copy(GC_SPEC, "gc/pattern.json")
    cases = [
        Case("outputs", "analyze photo -o photo", ["analyze", inp.photo, "-o", inp.photo], 2, ("input",)),
        Case("outputs", "draft spec -o spec", ["draft", inp.spec, "-o", inp.spec], 2, ("input",)),
        Case("outputs", "export p -o p", ["export", inp.pattern, "-o", inp.pattern], 2, ("input",)),
        Case("outputs", "import gc -o its file", ["import", inp.pattern, "-o", inp.pattern], 2, ("input",)),
        Case("outputs", "fit photo -o its folder (render.png)", ["fit", photo_in_out, "-o", str(out_dir), *FAST_FIT],
             2, ("overwrite the input",)),
        Case("outputs", "import gc/pattern.json -o gc/", ["import", gc_named_pattern, "-o", str(Path(inp.dir) / "gc")],
             2, ("pattern.json",)),
        Case("outputs", "batch input inside OUT/<id>", ["batch", jobs, "-o", str(out_dir)], 2, ("job1",)),
        Case("outputs", "batch OUT/<id> is a user's folder", ["batch", docs_jobs, "-o", str(Path(inp.dir) / "home")],
             2, ("notes.txt",)),
        Case("outputs", "assemble -o its input", ["assemble", inp.spec, "-o", inp.spec], 2, ("input",)),
        Case("outputs", "fit --start spec -o spec", ["fit", inp.photo, "--start", inp.spec, "-o", inp.spec, *FAST_FIT],
             2, ("input",)),
        Case("outputs", "render -o its input", ["render", inp.pattern, "-o", inp.pattern], 2, ("input",)),
    ]
    file_cmds = {"analyze": ["analyze", inp.photo], "text": ["text", "a red dress"],
                 "edit": ["edit", inp.spec, "10 cm shorter"], "spec": ["spec", "--type", "dress"],
                 "export": ["export", inp.pattern]}
    dir_cmds = {"draft": ["draft", inp.spec], "import": ["import", str(GC_SPEC)], "fit": ["fit", inp.photo, *FAST_FIT],
                "assemble": ["assemble", inp.spec], "render": ["render", inp.spec],
                "batch": ["batch", _jobs_line(inp, '{"id": "y", "action": "draft", "spec": {}}')]}
    for name, argv in file_cmds.items():
        cases += [Case("outputs", f"{name} -o ''", [*argv, "-o", ""], 2, ("empty",)),
                  Case("outputs", f"{name} -o folder", [*argv, "-o", str(out)], 2, ("folder",)),
                  Case("outputs", f"{name} -o under a file", [*argv, "-o", blocker + "/x.json"], 2, ("a_file",)),
                  Case("outputs", f"{name} -o long name", [*argv, "-o", str(out / long)], 2, ("bytes long",)),
                  Case("outputs", f"{name} -o a fifo", [*argv, "-o", str(fifo)], 2, ("regular file",)),
                  Case("outputs", f"{name} -o locked", [*argv, "-o", str(locked / "o.json")], 2, ("permission",),
                       patch=_no_write(locked))]
    for name, argv in dir_cmds.items():
        cases += [Case("outputs", f"{name} -o ''", [*argv, "-o", ""], 2, ("empty",)),
                  Case("outputs", f"{name} -o a file", [*argv, "-o", blocker], 2, ("a_file",)),
                  Case("outputs", f"{name} -o under a file", [*argv, "-o", blocker + "/sub"], 2, ("a_file",)),
                  Case("outputs", f"{name} -o long name", [*argv, "-o", str(out / long)], 2, ("bytes long",)),
                  Case("outputs", f"{name} -o locked", [*argv, "-o", str(locked / "o")], 2, ("permission",),
                       patch=_no_write(locked))]
    return cases


def fam_flags(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    cases = [Case("flags", f"check --tol {t}", ["check", inp.pattern, "--tol", t], 2, ("--tol",))
             for t in ("nan", "-1", "inf", "abc", "1e999", "-0.5")]
    fit = ["fit", inp.photo, "-o", str(out / "f")]
    cases += [Case("flags", f"fit --threshold {t}", [*fit, "--threshold", t, *FAST_FIT], 2, ("threshold",))
              for t in ("nan", "-1", "2")]
    cases += [Case("flags", f"fit --max-iters {t}", [*fit, "--renderer", "silhouette", "--max-iters", t], 2, ("max",))
              for t in ("0", "-3", "1000")]
    cases += [Case("flags", f"render --size {t}", ["render", inp.spec, "-o", str(out / "r"), "--size", t], 2, ("size",))
              for t in ("0", "nan", "99999")]
    cases += [Case("flags", f"render --views {t}", ["render", inp.spec, "-o", str(out / "r"), "--views", t], 2,
                   ("views",)) for t in ("top", ",", "side,under")]
    jobs = _jobs_line(inp, '{"id": "z", "action": "draft", "spec": {}}')
    cases += [Case("flags", f"batch --workers {t}", ["batch", jobs, "-o", str(out / "b"), "--workers", t], 2,
                   ("workers",)) for t in ("0", "-1")]
    cases.append(Case("flags", "check --tol 0.3 (valid)", ["check", inp.pattern, "--tol", "0.3"], 0))
    return cases


def fam_disk(inp: Inputs, out: Path, rng: random.Random) -> list[Case]:
    """A full disk, simulated in-process: every write fails with ENOSPC (tests/test_inputs.py and
    `make fuzz` also fill a real 64 kB tmpfs where the kernel allows a user namespace)."""

    def refuse(path) -> None:
        if str(out) in os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else False:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path))

    @contextlib.contextmanager
    def full():
        import builtins

        real_os_open, real_open = os.open, io.open

        def os_open(path, flags, *a, **kw):
            if flags & (os.O_WRONLY | os.O_RDWR):
                refuse(path)
            return real_os_open(path, flags, *a, **kw)

        def py_open(file, mode="r", *a, **kw):
            if any(c in mode for c in "wax+"):
                refuse(file)
            return real_open(file, mode, *a, **kw)

        os.open, io.open, builtins.open = os_open, py_open, py_open
        try:
            yield
        finally:
            os.open, io.open, builtins.open = real_os_open, real_open, real_open

    argvs = {"spec": ["spec", "--type", "dress", "-o", str(out / "s.json")],
             "draft": ["draft", inp.spec, "-o", str(out / "d")],
             "text": ["text", "a red dress", "-o", str(out / "t.json")],
             "export": ["export", inp.pattern, "-o", str(out / "p.pdf")],
             "import": ["import", str(GC_SPEC), "-o", str(out / "i")],
             "analyze": ["analyze", inp.photo, "-o", str(out / "a.json")]}
    return [Case("disk", f"{name} on a full disk", argv, 1, ("no space",), patch=lambda: full())
            for name, argv in argvs.items()]


# -- VLM ------------------------------------------------------------------------------------------
def _chat(content) -> bytes:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()


GOOD = {"garment_type": "dress", "fit": "regular", "length": "knee", "sleeves": "short", "silhouette": "A-line",
        "neckline": "v-neck", "colour": "red " + KEY[3:15], "confidence": 0.8}


class FakeVLM:
    """A loopback OpenAI-compatible server; the model name picks how it misbehaves."""

    def __init__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.serve(self, body["model"], body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def serve(self, h, model: str, body: dict) -> None:
        auth = h.headers.get("Authorization", "")
        critique = "critique" in json.dumps(body.get("response_format", {}))
        if model == "trickle":  # headers one byte at a time, forever
            try:
                for b in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 10_000:
                    h.wfile.write(bytes([b]))
                    h.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            return
        status, data, headers = {
            "garbage": (200, _chat("{not json at all"), {}),
            "list": (200, _chat('{"measurements": [1, 2], "features": [3]}' if not critique else "[1, 2]"), {}),
            "echo": (401, json.dumps({"error": f"invalid key {KEY[3:13]}... sent {auth}; "
                                              f"other: hf_{KEY[8:30]} token=abcdefgh12345678"}).encode(), {}),
            "ratelimit": (429, b'{"error": "slow down"}', {"Retry-After": "3600"}),
            "down": (503, b"overloaded " + KEY[:20].encode(), {}),
            "missing": (404, b'{"error": {"message": "model not found"}}', {}),
            "leaky-ok": (200, _chat(json.dumps(GOOD) if not critique else json.dumps(
                {"differences": [f"sleeves {KEY[5:20]}"], "adjustments": {}, "confidence": 0.9,
                 "converged": True})), {}),
        }.get(model, (404, b'{"error": "unknown model"}', {}))
        send_json(h, status, data, headers)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/v1"


def fam_vlm(inp: Inputs, out: Path, rng: random.Random, server: FakeVLM | None = None) -> list[Case]:
    url = server.url if server else _closed_port_url()
    dead = _closed_port_url()
    timeout = 1

    def env(models: str, base: str = url) -> dict[str, str]:
        return {"GARMENT_VLM_API_KEY": KEY, "GARMENT_VLM_BASE_URL": base, "GARMENT_VLM_MODELS": models,
                "GARMENT_VLM_TIMEOUT": str(timeout)}

    modes = {"dead endpoint": ("missing", dead, ("GARMENT_VLM_BASE_URL",)),
             "trickle": ("trickle,trickle", url, ("slow or stalled",)),
             "garbage answers": ("garbage", url, ("JSON",)),
             "list answers": ("list", url, ("JSON",)),
             "key echoed": ("echo", url, ("API key",)),
             "retry-after 3600": ("ratelimit", url, ("retry in 3600 s",)),
             "5xx": ("down", url, ("5xx",)),
             "model 404": ("missing,missing", url, ("GARMENT_VLM_MODELS",))}
    bound = 3 * timeout + 8  # the budget of one chat_json, plus the offline work around it
    cases = []
    for mode, (models, base, words) in modes.items():
        e = env(models, base)
        n = len(cases)
        cases += [
            Case("vlm", f"analyze vlm: {mode}", ["analyze", inp.photo, "--backend", "vlm", "-o",
                                                 str(out / f"a{n}.json")], 1, words, e, bound),
            Case("vlm", f"analyze auto: {mode}", ["analyze", inp.photo, "--backend", "auto", "-o",
                                                  str(out / f"b{n}.json")], 0, (), e, bound),
            Case("vlm", f"text llm: {mode}", ["text", "a red dress", "--backend", "llm", "-o", str(out / f"c{n}.json")],
                 1, words, e, bound),
            Case("vlm", f"text auto: {mode}", ["text", "a red dress", "--backend", "auto", "-o",
                                               str(out / f"d{n}.json")], 0, (), e, bound),
            Case("vlm", f"edit llm: {mode}", ["edit", inp.spec, "make it more elegant", "--backend", "llm", "-o",
                                              str(out / f"e{n}.json")], 1, words, e, bound),
            Case("vlm", f"edit auto: {mode}", ["edit", inp.spec, "make it more elegant", "--backend", "auto", "-o",
                                               str(out / f"f{n}.json")], 2, ("LLM failed",), e, bound),
            Case("vlm", f"fit auto: {mode}", ["fit", inp.photo, "--backend", "auto", "-o", str(out / f"g{n}"),
                                              *FAST_FIT], 0, (), e, 2 * bound),
        ]
    e = env("leaky-ok")
    cases += [Case("vlm", "analyze vlm: answer echoes the key", ["analyze", inp.photo, "--backend", "vlm", "-o",
                                                                  str(out / "leak.json")], 0, (), e, bound),
              Case("vlm", "fit vlm: critique echoes the key", ["fit", inp.photo, "--backend", "vlm", "-o",
                                                                str(out / "leakfit"), *FAST_FIT], 0, (), e, 2 * bound)]
    return cases


FAMILIES: dict[str, Callable] = {"shapes": fam_shapes, "nesting": fam_nesting, "numbers": fam_numbers, "nan": fam_nan,
                                 "refs": fam_refs, "encoding": fam_encoding, "outputs": fam_outputs, "flags": fam_flags,
                                 "disk": fam_disk, "vlm": fam_vlm}


# -- running --------------------------------------------------------------------------------------
@contextlib.contextmanager
def _environment(env: dict[str, str]):
    saved = {k: os.environ.get(k) for k in (*VLM_ENV, *env)}
    for k in VLM_ENV:
        os.environ.pop(k, None)
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _key_bytes(root: Path) -> list[str]:
    """Files under ``root`` holding the key or any 10-character part of it."""
    parts = {KEY[i:i + 10].encode() for i in range(len(KEY) - 9)}
    return [str(p) for p in root.rglob("*") if p.is_file() and any(x in p.read_bytes() for x in parts)]


def run_case(case: Case, inp: Inputs, out: Path) -> Result:
    from garment_addon.core.vlm import client as vlm_client
    from headless.cli import main

    getattr(vlm_client, "_GONE", {}).clear()  # every case meets the endpoint fresh
    before = inp.hashes()
    stdout, stderr, logs = io.StringIO(), io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(logs)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    t0 = time.monotonic()
    try:
        with _environment(case.env), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), \
                contextlib.chdir(out), (case.patch() if case.patch else contextlib.nullcontext()):  # -o "" lands here
            try:
                code = main(case.argv)
            except SystemExit as exc:  # argparse
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    seconds = time.monotonic() - t0
    out_text, err_text, log_text = stdout.getvalue(), stderr.getvalue(), logs.getvalue()
    problems = []
    if code != case.code:
        problems.append(f"exit {code}, want {case.code}")
    lines = [ln for ln in err_text.splitlines() if ln.strip()]
    if case.code != 0 and len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr")
    if CLASS_NAME.search(err_text) or CLASS_NAME.search(out_text):
        problems.append("exception class name or traceback")
    missing = [w for w in case.words if w.lower() not in err_text.lower()]
    if missing and case.code != 0:
        problems.append(f"line lacks {missing}")
    if inp.hashes() != before:
        problems.append("an input file changed")
    leaks = [src for src, text in (("stdout", out_text), ("stderr", err_text), ("log", log_text))
             if any(KEY[i:i + 10] in text for i in range(len(KEY) - 9))] + _key_bytes(out)
    if leaks:
        problems.append(f"key bytes in {leaks}")
    if case.seconds is not None and seconds > case.seconds:
        problems.append(f"took {seconds:.1f} s > {case.seconds:.0f} s")
    return Result(case, code, out_text, err_text, seconds, problems)


def run_family(name: str, root: Path, rng: random.Random, sample: int | None = None,
               server: FakeVLM | None = None) -> list[Result]:
    base = root / name
    inp = Inputs(base)
    out = base / "out"
    out.mkdir()
    make = FAMILIES[name]
    cases = make(inp, out, rng, server) if name == "vlm" else make(inp, out, rng)
    if sample is not None and len(cases) > sample:
        cases = rng.sample(cases, sample)
    return [run_case(c, inp, out) for c in cases]


def real_full_disk(root: Path) -> list[str] | None:
    """`draft` and `spec` onto a real 64 kB tmpfs (a user+mount namespace); None where that is not allowed.

    Returns the problems found (empty: exit 1, one 'no space' line, no file left behind).
    """
    if not shutil.which("unshare") or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        return None
    mnt = root / "tiny"
    mnt.mkdir()
    spec = root / "spec.json"
    spec.write_text(json.dumps(_spec()))
    script = (f"mount -t tmpfs -o size=64k tmpfs {mnt} && {sys.executable} -m headless draft {spec} -o {mnt}/out; "
              f"echo rc=$?; ls -A {mnt}")
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    problems = []
    if "rc=1" not in r.stdout:
        problems.append(f"exit status: {r.stdout.strip()!r}")
    err = [ln for ln in r.stderr.splitlines() if ln.strip()]
    if len(err) != 1 or "no space" not in err[0] or CLASS_NAME.search(r.stderr):
        problems.append(f"stderr: {r.stderr.strip()[:300]!r}")
    if r.stdout.strip().splitlines()[-1:] != ["rc=1"]:  # ls printed something: a partial file or folder
        problems.append(f"left behind: {r.stdout.strip().splitlines()[1:]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", action="append", choices=list(FAMILIES), help="only these (repeatable)")
    ap.add_argument("--seed", type=int, default=None, help="random variants (default: a fresh seed)")
    ap.add_argument("--sample", type=int, default=None, help="at most this many cases per family")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    print(f"fuzz_inputs: seed {seed}")
    server = FakeVLM()
    bad = 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="gs-fuzz-") as tmp:
        for name in args.family or FAMILIES:
            t0 = time.monotonic()
            results = run_family(name, Path(tmp), rng, args.sample, server)
            failed = [r for r in results if r.problems]
            bad += len(failed)
            counts = {k: sum(1 for r in results if r.code == k) for k in (0, 1, 2)}
            worst = max((r.seconds for r in results), default=0.0)
            rows.append((name, len(results), len(results) - len(failed), counts, worst, time.monotonic() - t0))
            for r in results:
                if r.problems or args.verbose:
                    print(f"  {'FAIL' if r.problems else 'ok  '} [{name}] {r.case.name} ({r.seconds:.1f} s): "
                          f"{'; '.join(r.problems)} | {r.err.strip()[:400]}")
        disk = real_full_disk(Path(tmp))
    server.close()
    print(f"{'family':10} {'cases':>5} {'clean':>5} {'exit0':>5} {'exit1':>5} {'exit2':>5} {'slowest':>8} {'time':>6}")
    for name, n, ok, counts, worst, secs in rows:
        print(f"{name:10} {n:5d} {ok:5d} {counts[0]:5d} {counts[1]:5d} {counts[2]:5d} {worst:7.1f}s {secs:5.0f}s")
    if disk is None:
        print("real full disk: skipped (no user namespaces here)")
    else:
        print(f"real full disk (64 kB tmpfs): {'clean' if not disk else '; '.join(disk)}")
        bad += bool(disk)
    print(f"{sum(r[1] for r in rows)} cases, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
