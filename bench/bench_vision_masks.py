"""Garment mask IoU on real photos against hand-drawn outlines (bench/data/mask_labels.json).

Laid out: 40 photos of clothing-dataset-small's validation split (CC0; laid on floors, carpets,
beds, tiles, hung on hangers and doors), five per garment class. Worn: the dataset has no photo
of a person wearing a garment, so the real worn rows are the two public-domain portraits in
tests/data (a navy uniform jacket, an orange flight suit: dark and skin-coloured garments), and a
synthetic worn set (``worn_cases``: bench/synth.py figures with exact garment masks) covers what
those two cannot: dark garments beside long dark hair, skin-coloured garments, striped prints and
a top with a bottom. Our mask is the analyzer's garment mask (``segment_garment``), compared at
the photo's own resolution with the filled label polygons. The laid-out photos are read from
../shared/datasets/clothing-dataset-small; without them those rows are skipped with a message.
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
REPO = Path(__file__).resolve().parents[1]
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


# the labels' classes as our types: the photo's class says which garment of an outfit is meant
CLASS_TYPE = {"t-shirt": "shirt", "longsleeve": "shirt", "outwear": "jacket", "shorts": "pants"}


def _timed_iou(image: np.ndarray, truth: np.ndarray, garment_type: str) -> tuple[float, float]:
    t0 = time.perf_counter()
    garment, _ = segment_garment(image, garment_type)
    return iou(garment, truth), time.perf_counter() - t0


def measure(entries: list[dict], root: Path) -> list[dict]:
    """Per photo: {file, cls, scene, iou, seconds}; ``"root": "repo"`` entries are read from this repository."""
    out = []
    for e in entries:
        rgb, alpha = as_rgb_array(str((REPO if e.get("root") == "repo" else root) / e["file"]))
        image = rgb if alpha is None else np.dstack([rgb, alpha])
        v, dt = _timed_iou(image, label_mask(e), CLASS_TYPE.get(e["class"], e["class"]))
        out.append(dict(file=e["file"], cls=e["class"], scene=e.get("scene", ""), iou=v, seconds=dt))
    return out


# The synthetic worn set: what the real portraits cannot show, with exact masks. Colours a colour
# test confuses with the body: dark (beside long dark hair), skin-like (orange, beige, pink, tan).
DARK = [(22, 22, 26), (25, 30, 62), (45, 35, 30)]
SKIN_LIKE = [(230, 140, 90), (215, 185, 155), (235, 165, 160), (200, 150, 110)]
SKIN_APART = 25.0  # Lab distance of the wearer's skin from a skin-like garment's colour
PRINTS = [(200, 30, 40), (30, 60, 170), (30, 140, 70), (240, 200, 40), (130, 40, 150), (20, 150, 170), (245, 245, 245)]
WORN_KINDS = ("dark", "skin-coloured", "striped", "top and bottom")
WORN_TYPES = ("shirt", "jacket", "dress", "hoodie", "pants", "skirt", "vest")
WORN_SEED = 7  # the bench's seed; analyzer thresholds were tuned on other seeds (101, 202)


def worn_cases(seed: int = WORN_SEED, n: int = 32):
    """(kind, garment type, SynthImage) of a person wearing the garment, the four kinds in turn,
    on cluttered rooms and studio walls."""
    from bench.synth import SKINS, _pick, random_spec, render_spec

    rng = np.random.default_rng(seed)
    for i in range(n):
        kind = WORN_KINDS[i % 4]
        t = WORN_TYPES[rng.integers(len(WORN_TYPES))]
        spec = random_spec(t, rng)
        kw: dict = dict(rng=rng, background=("clutter", "studio")[(i // 4) % 2], long_hair=bool(rng.integers(2)))
        if kind == "dark":
            kw.update(colour=DARK[rng.integers(len(DARK))], long_hair=True,
                      hair=(30, 24, 20) if rng.random() < 0.7 else None)
        elif kind == "skin-coloured":  # on someone whose skin is another tone (the same tone is one colour)
            colour = SKIN_LIKE[rng.integers(len(SKIN_LIKE))]
            kw.update(colour=colour, skin=_pick(rng, SKINS, [colour], SKIN_APART))
        elif kind == "striped":
            a, b = rng.choice(len(PRINTS), 2, replace=False)
            kw.update(colour=PRINTS[a], stripes=PRINTS[b])
        else:
            kw.update(companion="shirt" if t in ("pants", "skirt") else ("skirt", "pants")[rng.integers(2)])
        yield kind, t, render_spec(spec, **kw)


def measure_worn_synthetic(seed: int = WORN_SEED, n: int = 32) -> list[dict]:
    out = []
    for kind, t, img in worn_cases(seed, n):
        v, dt = _timed_iou(img.rgb, img.garment_mask, t)
        out.append(dict(file=f"synthetic {t}", cls=kind, scene=kind, iou=v, seconds=dt))
    return out


def _summary(case: str, res: list[dict], target: str = "") -> list[dict]:
    ious = np.array([r["iou"] for r in res])
    return [
        dict(case=case, metric="mask_iou_median", value=float(np.median(ious)), unit="", target=target),
        dict(case=case, metric="mask_iou_p25", value=float(np.percentile(ious, 25)), unit="", target=""),
        dict(case=case, metric="mask_iou_worst", value=float(ious.min()), unit="", target=""),
    ]


def run() -> list[dict]:
    entries = json.loads(LABELS.read_text())["labels"]
    laid = [e for e in entries if not e.get("worn")]
    os.environ["GARMENT_VISION_MEDIAPIPE"] = "0"
    worn = measure([e for e in entries if e.get("worn")], photos_dir())
    synth = measure_worn_synthetic()
    root = photos_dir()
    res = measure(laid, root) if (root / laid[0]["file"]).exists() else []
    os.environ.pop("GARMENT_VISION_MEDIAPIPE", None)
    rows = []
    if res:
        ious = np.array([r["iou"] for r in res])
        case = f"{len(res)} laid-out photos"
        rows += _summary(case, res, ">= 0.85") + [
            dict(case=case, metric="mask_iou_mean", value=float(ious.mean()), unit="", target=""),
            dict(case=case, metric="seconds_per_photo", value=float(np.median([r["seconds"] for r in res])),
                 unit="s", target="<= 0.5 (2-core CPU)"),
        ]
    else:
        print(f"   laid-out rows skipped: photos not found under {root} (set GARMENT_MASK_PHOTOS)")
    rows += _summary(f"{len(worn)} worn real portraits", worn, ">= 0.85")
    rows += [dict(case=f"worn {r['file'].rsplit('/', 1)[-1][:24]}", metric="mask_iou", value=r["iou"], unit="",
                  target="") for r in worn]
    rows += _summary(f"{len(synth)} worn synthetic", synth, ">= 0.85")
    for kind in WORN_KINDS:
        v = [r["iou"] for r in synth if r["cls"] == kind]
        rows.append(dict(case=f"worn synthetic {kind}", metric="mask_iou_median", value=float(np.median(v)),
                         unit="", target=""))
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
