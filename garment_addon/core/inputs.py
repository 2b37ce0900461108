"""The one input layer: every file a user names is read here, and every output path is checked here.

Each reader returns a typed object or raises ``UserError`` with one line naming the file, the
field and what was expected. JSON size, nesting depth, NaN/Infinity and huge integers are
refused once, here, so nothing downstream meets a ``RecursionError`` or a 5,000-digit number.
``check_output_path`` runs before any work: an output may never be, or sit inside, an input.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import UserError

MAX_BYTES = 32 * 1024 * 1024  # a drafted pattern is ~100 kB, the biggest GarmentCode spec ~1 MB
MAX_DEPTH = 64  # our files nest 6 levels, GarmentCode about 8
MAX_DIGITS = 18  # every integer we read fits in an int64
TEMP_NAME_ROOM = 16  # core.io.atomic_path writes ".NAME.xxxxxxxx.part" beside the output first


class _Bad:
    """A JSON value the parser met but we refuse; reported with its field path after parsing."""

    __slots__ = ("why",)

    def __init__(self, why: str):
        self.why = why


def _parse_constant(name: str) -> _Bad:
    return _Bad(f"{name} is not a number; write a finite number")


def _parse_int(text: str) -> int | _Bad:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        return _Bad(f"a {digits}-digit integer; at most {MAX_DIGITS} digits")
    return int(text)


def _parse_float(text: str) -> float | _Bad:
    value = float(text)
    return value if math.isfinite(value) else _Bad(f"{text[:24]} is too large for a number")


def _kind(value: Any) -> str:
    names = {dict: "a JSON object", list: "a JSON array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _check_tree(data: Any, where: str) -> None:
    """Refuse nesting past MAX_DEPTH and the values the parser marked, naming the field (depth first)."""
    stack = [(data, "", 1)]
    while stack:
        obj, field, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UserError(f"{where}: {field}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(obj, _Bad):
            raise UserError(f"{where}: {field or 'value'}: {obj.why}")
        if isinstance(obj, dict):
            items = [(v, f"{field}.{k}" if field else str(k), depth + 1) for k, v in obj.items()]
        elif isinstance(obj, list):
            items = [(v, f"{field}[{i}]", depth + 1) for i, v in enumerate(obj)]
        else:
            continue
        stack.extend(reversed(items))


def parse_json_text(text: str, where: str) -> Any:
    """``json.loads`` with the limits above; ``where`` starts every message (e.g. 'spec: a.json')."""
    try:
        data = json.loads(text, parse_constant=_parse_constant, parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise UserError(f"{where}: nested deeper than {MAX_DEPTH} levels") from None
    _check_tree(data, where)
    return data


def _read_bytes(path, what: str) -> bytes:
    if path is None or not os.fspath(path).strip():
        raise UserError(f"{what}: empty file name")
    p = Path(path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(f"{what}: file not found: {path}") from None
    except PermissionError:
        raise UserError(f"{what}: cannot read {path} (permission denied)") from None
    except OSError as exc:  # e.g. a name too long, a symlink loop
        raise UserError(f"{what}: cannot read {path} ({exc.strerror})") from None
    if p.is_dir():
        raise UserError(f"{what}: {path} is a folder; give a file")
    if not p.is_file():
        raise UserError(f"{what}: {path} is not a regular file")
    if st.st_size > MAX_BYTES:
        raise UserError(f"{what}: {path} is {st.st_size / 2**20:.0f} MB; at most {MAX_BYTES // 2**20} MB")
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{what}: cannot read {path} ({exc.strerror})") from None
    if len(data) > MAX_BYTES:  # it grew after the stat (a log, a pipe's file)
        raise UserError(f"{what}: {path} is over {MAX_BYTES // 2**20} MB")
    return data


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{where}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
                        "save it as UTF-8") from None


def read_json(path, what: str, *, want: type | None = dict) -> Any:
    """The JSON in ``path``; ``want=dict`` (default) insists on an object, ``None`` takes any value."""
    where = f"{what}: {path}"
    data = parse_json_text(_decode(_read_bytes(path, what), where), where)
    if want is not None and not isinstance(data, want):
        raise UserError(f"{where}: must be {_kind(want())} {'{...}' if want is dict else '[...]'} "
                        f"(got {_kind(data)})")
    return data


def _named(where: str, noun: str, fn, *args):
    """Run a core constructor on user data; its one-line error gets the file name in front."""
    try:
        return fn(*args)
    except UserError as exc:
        raise UserError(f"{where}: {exc}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:  # a shape it did not expect
        raise UserError(f"{where}: not a usable {noun} ({exc})") from None


def spec_from_data(data: dict, where: str):
    """A validated GarmentSpec from an already-read object (a spec file, a batch job's spec)."""
    from .pattern import SCHEMA
    from .spec import make_spec

    if data.get("schema") == SCHEMA:
        raise UserError(f"{where}: this is a pattern, not a garment spec; give a spec (see `spec`)")
    return _named(where, "garment spec", make_spec, data)


def read_spec(path):
    """A validated GarmentSpec from a spec JSON file."""
    return spec_from_data(read_json(path, "spec"), f"spec: {path}")


def _num(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _point(v) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_num(c) for c in v)


def _points(v, least: int = 0) -> bool:
    return isinstance(v, list) and len(v) >= least and all(_point(q) for q in v)


def _strs(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _notch(n) -> bool:
    return (isinstance(n, dict) and _point(n.get("position")) and isinstance(n.get("edge", ""), str)
            and _num(n.get("distance", 0)) and isinstance(n.get("count", 1), int)
            and isinstance(n.get("mark", ""), str))


# pattern.json fields -> (check, what is expected); see docs/pattern-format.md
_PIECE = {
    "outline": (lambda v: _points(v, 3), "at least 3 [x, y] points in cm"),
    "edges": (lambda v: isinstance(v, list), "an array of edges"),
    "cut_outline": (lambda v: v is None or _points(v, 3), "at least 3 [x, y] points in cm"),
    "cut_group": (lambda v: isinstance(v, str), "a name"),
    "cut_count": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 100, "a count 1..100"),
    "on_fold": (lambda v: isinstance(v, bool), "true or false"),
    "grainline": (lambda v: _points(v) and len(v) in (0, 2), "two [x, y] points"),
    "notches": (lambda v: isinstance(v, list) and all(_notch(n) for n in v),
                "an array of {edge, position: [x, y], distance, count}"),
    "body_region": (lambda v: isinstance(v, str), "a name"),
    "label": (_strs, "an array of strings"),
    "landmarks": (lambda v: isinstance(v, dict) and all(_point(q) for q in v.values()), "names -> [x, y]"),
    "placement": (lambda v: isinstance(v, dict) and ("at" not in v or _point(v["at"]))
                  and _num(v.get("angle", 0)) and -180 <= v.get("angle", 0) <= 180,
                  "an object (a patch's at: [x, y] cm, angle: -180..180 degrees)"),
}
_EDGE = {
    "name": (lambda v: isinstance(v, str), "a name"),
    "role": (lambda v: isinstance(v, str), "a role such as seam or hem"),
    "allowance": (lambda v: _num(v) and 0 <= v <= 20, "a seam allowance 0..20 cm"),
    "tags": (lambda v: _strs(v) and len(v) == 2, "two point names"),
}
_SEAM = {
    "reversed": (lambda v: isinstance(v, bool), "true or false"),
    "ease_cm": (_num, "a number of cm"),
    "closure": (lambda v: v is None or isinstance(v, dict), "an object or null"),
}
_REQUIRED = {"piece": ("name", "outline", "edges"), "edge": ("name", "role", "start", "end"),
             "seam": ("a", "b", "reversed")}


def _fields(obj, table: dict, at: str, kind: str) -> None:
    if not isinstance(obj, dict):
        raise UserError(f"{at}: must be an object (a {kind})")
    for key in _REQUIRED[kind]:
        if key not in obj:
            raise UserError(f"{at}.{key}: missing")
    for key, (ok, expected) in table.items():
        if key in obj and not ok(obj[key]):
            raise UserError(f"{at}.{key}: must be {expected}")


def _check_pattern_dict(d: dict, where: str) -> None:
    """Every field Pattern.from_dict and the exporters read, named when it is missing or of the wrong kind."""
    pieces, seams = d.get("pieces"), d.get("seams")
    if not isinstance(pieces, list) or not pieces:
        raise UserError(f"{where}: pieces: must be a non-empty array of pieces")
    if not isinstance(seams, list):
        raise UserError(f"{where}: seams: must be an array of seams")
    if not isinstance(d.get("spec", {}), dict) or not isinstance(d.get("metadata", {}), dict):
        raise UserError(f"{where}: spec and metadata: must be objects")
    for i, p in enumerate(pieces):
        at = f"{where}: pieces[{i}]"
        _fields(p, _PIECE, at, "piece")
        if not isinstance(p["name"], str) or not p["name"]:
            raise UserError(f"{at}.name: must be a non-empty name")
        for j, e in enumerate(p["edges"]):
            _fields(e, _EDGE, f"{at}.edges[{j}]", "edge")
            n = len(p["outline"])
            if not all(type(e[k]) is int and 0 <= e[k] < n for k in ("start", "end")):
                raise UserError(f"{at}.edges[{j}]: start and end must be point indices 0..{n - 1}")
    for k, s in enumerate(seams):
        _fields(s, _SEAM, f"{where}: seams[{k}]", "seam")
        for side in ("a", "b"):
            ref = s[side]
            if not (isinstance(ref, dict) and set(ref) == {"piece", "edge"} and all(isinstance(v, str)
                                                                                for v in ref.values())):
                raise UserError(f"{where}: seams[{k}].{side}: must be {{\"piece\": name, \"edge\": name}}")


def check_pattern(pattern, where: str):
    """Every seam names a piece and an edge that exist; the pattern back, or a UserError naming the seam."""
    names = [p.name for p in pattern.pieces]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise UserError(f"{where}: pieces: two pieces are named {dup!r}")
    pieces = {p.name: {e.name for e in p.edges} for p in pattern.pieces}
    for k, s in enumerate(pattern.seams):
        for side, ref in (("a", s.a), ("b", s.b)):
            if ref.piece not in pieces:
                raise UserError(f"{where}: seams[{k}].{side}.piece: no piece {ref.piece!r} "
                                f"(pieces: {', '.join(pieces)})")
            if ref.edge not in pieces[ref.piece]:
                raise UserError(f"{where}: seams[{k}].{side}.edge: piece {ref.piece!r} has no edge {ref.edge!r} "
                                f"(edges: {', '.join(sorted(pieces[ref.piece]))})")
    return pattern


def pattern_from_data(data: dict, where: str):
    """A checked Pattern from an object: our pattern.json schema or a GarmentCode specification."""
    from .interop.garmentcode import from_garmentcode
    from .pattern import SCHEMA, Pattern

    if data.get("schema") == SCHEMA:
        _check_pattern_dict(data, where)
        pattern = _named(where, "pattern", Pattern.from_dict, data)
    elif isinstance(data.get("pattern"), dict):
        pattern = _named(where, "GarmentCode specification", from_garmentcode, data)
    else:
        raise UserError(f"{where}: not a garment-studio pattern: expected schema {SCHEMA!r} (from `draft`) or a "
                        "GarmentCode specification (a 'pattern' object)")
    return check_pattern(pattern, where)


def read_pattern(path):
    """A checked Pattern from pattern.json or a GarmentCode specification JSON."""
    return pattern_from_data(read_json(path, "pattern"), f"pattern: {path}")


def read_garmentcode(path):
    """A checked Pattern from a GarmentCode (or legacy) specification JSON."""
    from .interop.garmentcode import from_garmentcode

    where = f"garmentcode: {path}"
    return check_pattern(_named(where, "GarmentCode specification", from_garmentcode,
                                     read_json(path, "garmentcode")), where)


def read_spec_or_pattern(path) -> tuple[dict, Any]:
    """(spec dict, Pattern) from a spec JSON or a pattern JSON; the other is derived."""
    from .pattern import SCHEMA, draft_pattern

    data = read_json(path, "input")
    where = f"input: {path}"
    if data.get("schema") == SCHEMA:
        pattern = pattern_from_data(data, where)
        return pattern.spec, pattern
    spec = spec_from_data(data, where)
    return spec.to_dict(), draft_pattern(spec)


def read_jobs(path) -> list[tuple[str, dict]]:
    """(``NAME:LINE``, object) for every job line of a JSON-lines file; blank and ``#`` lines skipped."""
    p = Path(path)
    text = _decode(_read_bytes(path, "jobs"), f"jobs: {path}")
    jobs = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{p.name}:{n}"
        job = parse_json_text(line, where)
        if not isinstance(job, dict):
            raise UserError(f"{where}: must be a JSON object {{...}} (got {_kind(job)})")
        jobs.append((where, job))
    if not jobs:
        raise UserError(f"jobs: {path} has no jobs (one JSON object per line)")
    return jobs


# -- outputs --------------------------------------------------------------------------------------
def _same(a: Path, b: Path) -> bool:
    try:
        return a == b or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _existing(p: Path) -> Path:
    """The nearest of ``p`` and its parents that exists (a name too long to stat counts as absent)."""
    while p != p.parent:
        try:
            if p.exists():
                return p
        except OSError:
            pass
        p = p.parent
    return p


def _name_max(p: Path) -> int:
    probe = _existing(p)
    try:
        return os.pathconf(probe if probe.is_dir() else probe.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def check_output_path(path, inputs: Iterable = (), want: str = "file", files: Iterable[str] = ()) -> Path:
    """Refuse, before any work, an output that cannot be written or would overwrite an input.

    ``want`` is "file" or "dir"; for a folder, ``files`` are the names the command writes into it,
    so an input that is one of them (``fit out/render.png -o out/``) is refused too.
    """
    if want not in ("file", "dir"):
        raise ValueError(f"want: 'file' or 'dir', not {want!r}")
    noun = "file" if want == "file" else "folder"
    if path is None or not os.fspath(path).strip():
        raise UserError(f"output: empty {noun} name")
    text = os.fspath(path)
    p = Path(text)
    longest = max((len(os.fsencode(part)) for part in p.parts), default=0)
    room = _name_max(p) - TEMP_NAME_ROOM
    if longest > room or len(os.fsencode(text)) > 4000:
        raise UserError(f"output: a name in {text[:40]}... is {longest} bytes long; at most {room}")
    out = p.resolve()
    names = set(files)
    for inp in inputs:
        if inp is None or not os.fspath(inp).strip():
            continue
        src = Path(inp).resolve()
        if _same(out, src):
            raise UserError(f"output: {text} is the input {inp}; write to another {noun}")
        if src in out.parents:
            raise UserError(f"output: {text} is inside the input {inp}")
        if want == "dir" and src.name in names and _same(out / src.name, src):
            raise UserError(f"output: writing {src.name} into {text} would overwrite the input {inp}; "
                            "choose another folder")
    if want == "file":
        if p.is_dir() or text.endswith(("/", os.sep)):
            raise UserError(f"output: {text} is a folder; give a file name inside it")
        if p.exists() and not p.is_file():
            raise UserError(f"output: {text} is not a regular file")
    elif p.exists() and not p.is_dir():
        raise UserError(f"output: {text} is a file; give a folder")
    probe = _existing(p.parent if want == "file" else p)
    if not probe.is_dir():
        raise UserError(f"output: cannot make folder {p.parent if want == 'file' else p}: {probe} is a file")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"output: cannot write in {probe} (permission denied)")
    return p
