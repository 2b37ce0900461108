"""Garment mask IoU on real photos against hand-drawn outlines (bench/data/mask_labels.json).

40 photos of clothing-dataset-small's validation split (CC0; laid on floors, carpets, beds, tiles,
hung on hangers and doors), five per garment class. Our mask is the analyzer's garment mask
(``segment_garment``), compared at the photo's own resolution with the filled label polygons.
The photos are read from ../shared/datasets/clothing-dataset-small; without them the row is
skipped with a message.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import cv2
import numpy as np

from garment_addon.core.imageio import as_rgb_array
from garment_addon.core.vision.analyze import segment_garment

LABELS = Path(__file__).parent / "data" / "mask_labels.json"
PHOTOS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "clothing-dataset-small" / "validation"


def label_mask(entry: dict) -> np.ndarray:
    w, h = entry["size"]
    m = np.zeros((h, w), np.uint8)
    cv2.fillPoly(m, [np.round(np.array(p, float)).astype(np.int32) for p in entry["polygons"]], 1)
    return m.astype(bool)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def photos_dir() -> Path:
    return Path(os.environ.get("GARMENT_MASK_PHOTOS", PHOTOS))


def measure(entries: list[dict], root: Path) -> list[dict]:
    """Per photo: {file, class, scene, iou, seconds}."""
    out = []
    for e in entries:
        rgb, alpha = as_rgb_array(str(root / e["file"]))
        t0 = time.perf_counter()
        garment, _ = segment_garment(rgb if alpha is None else np.dstack([rgb, alpha]))
        dt = time.perf_counter() - t0
        out.append(dict(file=e["file"], cls=e["class"], scene=e.get("scene", ""),
                        iou=iou(garment, label_mask(e)), seconds=dt))
    return out


def run() -> list[dict]:
    entries = json.loads(LABELS.read_text())["labels"]
    root = photos_dir()
    if not (root / entries[0]["file"]).exists():
        print(f"   skipped: photos not found under {root} (set GARMENT_MASK_PHOTOS)")
        return []
    os.environ["GARMENT_VISION_MEDIAPIPE"] = "0"
    res = measure(entries, root)
    os.environ.pop("GARMENT_VISION_MEDIAPIPE", None)
    ious = np.array([r["iou"] for r in res])
    case = f"{len(res)} labelled photos"
    rows = [
        dict(case=case, metric="mask_iou_median", value=float(np.median(ious)), unit="", target=">= 0.85"),
        dict(case=case, metric="mask_iou_p25", value=float(np.percentile(ious, 25)), unit="", target=""),
        dict(case=case, metric="mask_iou_worst", value=float(ious.min()), unit="", target=""),
        dict(case=case, metric="mask_iou_mean", value=float(ious.mean()), unit="", target=""),
        dict(case=case, metric="seconds_per_photo", value=float(np.median([r["seconds"] for r in res])),
             unit="s", target="<= 0.5 (2-core CPU)"),
    ]
    for cls in sorted({r["cls"] for r in res}):
        v = [r["iou"] for r in res if r["cls"] == cls]
        rows.append(dict(case=f"class {cls}", metric="mask_iou_median", value=float(np.median(v)), unit="", target=""))
    for r in sorted(res, key=lambda r: r["iou"])[:5]:
        rows.append(dict(case=f"worst {r['file'][:24]} ({r['scene'][:40]})", metric="mask_iou",
                         value=r["iou"], unit="", target=""))
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
