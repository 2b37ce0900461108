"""The main job on real photos: ``fit`` on hand-labelled validation photos, the fit judged against the label.

The photos are the laid-out ones of bench/data/mask_labels.json (clothing-dataset-small's validation
split, CC0; hand-drawn garment outlines), the first BENCH_FIT_REAL_PER_CLASS of each class (default 2:
16 photos, ~30 s each with Blender on a loaded 2-core machine; 5 = all 40). Each runs the loop the
CLI runs (analysed start, Blender wrap + Eevee preview when bpy is there, else the 2D silhouette;
BENCH_FIT_REAL_ITERS renders, default 8) and is then scored against the hand label instead of our
own segmentation, in the frame the loop chose: the fit's IoU with what a person outlined. A photo the
analyser refuses counts as a miss. Type: the best spec's type against the photo's class.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np

from bench.bench_vision_masks import CLASS_TYPE, LABELS, label_mask, photos_dir
from garment_addon.core.categories import sleeve_class
from garment_addon.core.errors import UserError
from garment_addon.core.garments import has_bodice
from garment_addon.core.proportions import ARM_LENGTH
from garment_addon.core.refine import frame
from garment_addon.core.refine.loop import Refiner
from garment_addon.core.refine.metrics import compare_masks
from garment_addon.core.refine.photo import read_photo
from garment_addon.core.spec import SIZE_TABLE
from garment_addon.core.vision.classifier import IMPLIED
from garment_addon.jobs import render_fn

PER_CLASS = int(os.environ.get("BENCH_FIT_REAL_PER_CLASS", 2))
ITERS = int(os.environ.get("BENCH_FIT_REAL_ITERS", 8))
LOOKS_LIKE = 0.7  # IoU with the hand label from which a fit reads as the photo's garment


def pick(entries: list[dict], per_class: int = PER_CLASS) -> list[dict]:
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        if not e.get("worn") and seen.get(e["class"], 0) < per_class:
            seen[e["class"]] = seen.get(e["class"], 0) + 1
            out.append(e)
    return out


def fit_one(path, truth: np.ndarray, render) -> dict:
    """{type, start_iou, final_iou (against the segmentation), label_iou (against the hand label), seconds}."""
    t0 = time.perf_counter()
    try:
        start, target = read_photo(str(path))
    except UserError as exc:
        return {"refused": str(exc), "seconds": time.perf_counter() - t0, "label_iou": 0.0}
    if truth.shape != target.garment.shape:
        raise ValueError(f"{path}: label {truth.shape} and photo {target.garment.shape} differ")
    res = Refiner(target, start, render, max_iters=ITERS).run()
    best = res.best
    boxes = frame.boxes(truth, res.scale, best.mask, best.body, best.spec) if res.scale else None
    label = compare_masks(truth, best.mask, target.body, best.body, boxes=boxes)
    arm = ARM_LENGTH * SIZE_TABLE[best.spec.size]["height"]
    return {"type": best.spec.garment_type, "start_iou": res.records[0].scores.get("iou", 0.0),
            "sleeves": sleeve_class(best.spec.m["sleeve_length"] / arm) if has_bodice(best.spec.garment_type) else None,
            "final_iou": best.scores.get("iou", 0.0), "label_iou": label["iou"], "frame": res.frame.get("frame"),
            "pose": res.pose,
            "seconds": time.perf_counter() - t0}


def run() -> list[dict]:
    root = photos_dir()
    entries = pick(json.loads(LABELS.read_text())["labels"])
    if not (root / entries[0]["file"]).exists():
        print(f"   skipped: no photos under {root}")
        return []
    renderer, render = render_fn("auto", "wrap", 256)
    results = []
    for e in entries:
        r = fit_one(root / e["file"], label_mask(e), render)
        want = CLASS_TYPE.get(e["class"], e["class"])
        r.update(file=e["file"], cls=e["class"], type_ok=r.get("type") == want,
                 sleeves_want=IMPLIED["sleeves"].get(e["class"]))
        print(f"   {e['file'][:40]:<40} {e['class']:<10} -> {r.get('type', 'refused'):<7} "
              f"{r.get('sleeves') or '-':<6} {r.get('pose', '-'):<9} label IoU {r['label_iou']:.2f} "
              f"({r['seconds']:.0f} s)", flush=True)
        results.append(r)
    case = f"{len(results)} labelled photos, {renderer}, {ITERS} renders"
    label = np.array([r["label_iou"] for r in results])
    fitted = [r for r in results if "refused" not in r]
    return [
        dict(case=case, metric="type_accuracy", value=float(np.mean([r["type_ok"] for r in results])), unit="",
             target=""),
        # the sleeve class the dataset class implies (t-shirt short, longsleeve / outwear long): an
        # outline can favour a sleeveless render of a jacket whose sleeves hang down its sides
        dict(case=case, metric="sleeves_right", unit="", target="",
             value=float(np.mean([r.get("sleeves") == r["sleeves_want"] for r in results if r["sleeves_want"]]))),
        dict(case=case, metric="label_iou_median", value=float(np.median(label)), unit="", target=""),
        dict(case=case, metric=f"looks_like (iou>={LOOKS_LIKE})", value=float((label >= LOOKS_LIKE).mean()),
             unit="", target=""),
        dict(case=case, metric="start_iou_median", value=float(np.median([r["start_iou"] for r in fitted])),
             unit="", target=""),
        dict(case=case, metric="seconds_per_fit", value=float(np.median([r["seconds"] for r in results])),
             unit="s", target=""),
    ]
