"""Score `analyze` per field on clothing-dataset-small: type, sleeves, length, hood, vests.

    python tools/eval_vision_fields.py run train --every 4 -o /tmp/vis/train.json   # analyse, cache answers
    python tools/eval_vision_fields.py score /tmp/vis/train.json [/tmp/vis/train_before.json]
    python tools/eval_vision_fields.py run train --every 4 --redo /tmp/vis/train.json \
        --methods plain+product,alpha+product -o /tmp/vis/train2.json   # a change to one path only

`run` analyses the photos of a split (every photo of outwear, whose vests and hoods are labelled, and
every ``--every``-th photo of the other classes, in sorted order) and writes one record per photo.
`score` prints each field's accuracy (and, given a second file, the same photos' answers before,
with the photos whose answer changed). Truth: the dataset class's type (bench_vision_real.ALSO's
alternatives accepted), its implied sleeve and length classes (classifier.IMPLIED), the sleeveless
outwear photos of bench/data/sleeveless_photos.json ("none", and type vest) and the hooded outwear
photos of bench/data/hood_photos.json (has_hood; every outwear photo of both splits looked at).
Tune on train/, report validation/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_vision_real import ALSO, sleeveless  # noqa: E402
from garment_addon.core.errors import UserError  # noqa: E402
from garment_addon.core.vision import classifier as C  # noqa: E402

PHOTOS = Path(os.environ.get("GARMENT_PHOTOS", ROOT.parent / "shared" / "datasets" / "clothing-dataset-small"))
HOODS = ROOT / "bench" / "data" / "hood_photos.json"
LABELLED = "outwear"  # the class whose every photo was looked through for vests and hoods


def hooded(split: str) -> tuple[set[str], set[str]]:
    """The hooded photos of ``split``'s labelled class, and those nobody could tell (not scored)."""
    d = json.loads(HOODS.read_text())
    return set(d.get(f"{split}/{LABELLED}", [])), set(d.get(f"unsure/{split}/{LABELLED}", []))


def photos(split: str, every: int) -> list[tuple[str, Path]]:
    out = []
    for cls in C.CLASSES:
        files = sorted((PHOTOS / split / cls).glob("*.jpg"))
        out += [(cls, p) for p in (files if cls == LABELLED else files[::every])]
    return out


def record(cls: str, path: Path) -> dict:
    from garment_addon.core.vision import analyze_image

    r = dict(cls=cls, name=path.stem)
    try:
        s = analyze_image(path)
    except UserError:
        return {**r, "type": C.NOT_GARMENT}
    att = s.metadata["attributes"]
    return {**r, "type": s.garment_type, "sleeves": att.get("sleeves"), "length": att.get("length"),
            "neckline": att.get("neckline"), "hood": bool(s.features.get("has_hood")), "method": s.metadata["method"]}


def run(split: str, every: int, out: Path, redo: Path | None = None, methods: tuple[str, ...] = ()) -> None:
    """Analyse the photos; with ``redo`` (an earlier run's file), only those whose method there is one of
    ``methods`` (a change that reaches no other path), the rest copied."""
    items = photos(split, every)
    old = {r["name"]: r for r in json.loads(redo.read_text())["rows"]} if redo else {}
    rows, t0 = [], time.perf_counter()
    for i, (cls, p) in enumerate(items):
        keep = old.get(p.stem)
        rows.append(keep if keep is not None and keep.get("method") not in methods else record(cls, p))
        if i % 50 == 0:
            print(f"{i}/{len(items)} {time.perf_counter() - t0:.0f} s", flush=True)
    out.write_text(json.dumps(dict(split=split, every=every, rows=rows), indent=0))


def truths(r: dict, bare: set[str], hoods: set[str], unsure: set[str]) -> dict[str, object]:
    """The fields this photo's labels decide (absent: not scored on it)."""
    cls, t = r["cls"], {}
    want = C.CLASS_TYPE[cls]
    t["type"] = {want, *ALSO.get(cls, ())}
    if cls in C.IMPLIED["sleeves"]:
        t["sleeves"] = "none" if r["name"] in bare else C.IMPLIED["sleeves"][cls]
    if cls in C.IMPLIED["length"]:
        t["length"] = C.IMPLIED["length"][cls]
    if cls == LABELLED:
        if r["name"] not in unsure:
            t["hood"] = r["name"] in hoods
        if r["name"] in bare:
            t["vest"] = True
    return t


def got(r: dict, field: str):
    if field == "vest":
        return r["type"] == "vest"
    return r.get(field)


def hit(field: str, want, answer) -> bool:
    return answer in want if field == "type" else answer == want


FIELDS = ("type", "sleeves", "length", "hood", "vest")


def score(path: Path, before: Path | None = None) -> dict:
    d = json.loads(path.read_text())
    split = d["split"]
    bare, (hoods, unsure) = sleeveless(split), hooded(split)
    old = {r["name"]: r for r in json.loads(before.read_text())["rows"]} if before else {}
    res = {}
    for f in FIELDS:
        n = ok = ok0 = 0
        changed = []
        for r in d["rows"]:
            t = truths(r, bare, hoods, unsure)
            if f not in t:
                continue
            n += 1
            ok += hit(f, t[f], got(r, f))
            if r["name"] in old:
                o = old[r["name"]]
                ok0 += hit(f, t[f], got(o, f))
                if got(o, f) != got(r, f):
                    changed.append(f"{r['cls']}/{r['name'][:8]} {got(o, f)}->{got(r, f)} (want {t[f]})")
        res[f] = dict(n=n, acc=ok / max(n, 1), before=ok0 / max(n, 1) if old else None, changed=changed)
    # hood precision / recall over the labelled class, and hoods read in classes nobody labelled
    lab = [r for r in d["rows"] if r["cls"] == LABELLED and r["name"] not in unsure]
    tp = sum(r.get("hood", False) and r["name"] in hoods for r in lab)
    fp = sum(r.get("hood", False) and r["name"] not in hoods for r in lab)
    fn = sum(not r.get("hood", False) and r["name"] in hoods for r in lab)
    res["hood_outwear"] = dict(tp=tp, fp=fp, fn=fn)
    res["hood_elsewhere"] = sum(bool(r.get("hood")) for r in d["rows"] if r["cls"] != LABELLED)
    print(f"{split}: {len(d['rows'])} photos (every {d['every']}th, all {LABELLED})")
    for f in FIELDS:
        x = res[f]
        b = f"  before {x['before']:.3f}" if x["before"] is not None else ""
        print(f"  {f:<8} {x['acc']:.3f} of {x['n']}{b}")
        for c in x["changed"]:
            print(f"      {c}")
    print(f"  hood on {LABELLED}: {res['hood_outwear']}; has_hood read on other classes: {res['hood_elsewhere']}")
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("split", choices=("train", "validation"))
    r.add_argument("--every", type=int, default=1)
    r.add_argument("-o", "--out", type=Path, required=True)
    r.add_argument("--redo", type=Path, help="an earlier run: analyse again only the photos whose method there")
    r.add_argument("--methods", default="", help="... is one of these (comma-separated, e.g. plain+product)")
    s = sub.add_parser("score")
    s.add_argument("path", type=Path)
    s.add_argument("before", type=Path, nargs="?")
    a = ap.parse_args()
    if a.cmd == "run":
        run(a.split, a.every, a.out, a.redo, tuple(m for m in a.methods.split(",") if m))
    else:
        score(a.path, a.before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
