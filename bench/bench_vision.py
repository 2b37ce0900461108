"""Offline photo analyzer on synthetic photos of every garment type it knows (core.garments.PHOTO_TYPES).

Cluttered rooms, studio walls, white product backgrounds and transparent PNGs, with noise,
0.8-1.15 scale, shifts, crops and two-garment outfits (see bench/synth.py). Reports type
accuracy, attribute accuracy (length, sleeves, silhouette on correctly typed images) and
seconds per image for the light OpenCV path and, when installed, the MediaPipe path.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import numpy as np

from bench.synth import expected_attributes, photo_cases, product_cases
from garment_addon.core.vision import mp_backend
from garment_addon.core.vision.analyze import analyze_array

PER_TYPE = 12


def _cases(seed: int = 2024):
    return photo_cases(PER_TYPE, seed)


def _run(path: str, cases) -> list[dict]:
    ok = total = 0
    att_ok, att_n = Counter(), Counter()
    per_bg: dict[str, list[bool]] = {}
    seconds = []
    for spec, img in cases:
        t0 = time.perf_counter()
        a = analyze_array(img.rgb, img.alpha)
        seconds.append(time.perf_counter() - t0)
        total += 1
        hit = a.garment_type == spec.garment_type and not a.refusal  # a refusal (not a garment) is wrong
        ok += hit
        per_bg.setdefault(img.truth["background"], []).append(hit)
        if hit:
            for key, want in expected_attributes(spec).items():
                att_n[key] += 1
                att_ok[key] += a.attributes.get(key) == want
    rows = [
        dict(
            case=f"{path} {total} images", metric="type_accuracy", value=ok / total, unit="", target=">= 0.95"
        )
    ]
    rows += [
        dict(case=f"{path} {bg}", metric="type_accuracy", value=float(np.mean(v)), unit="", target="")
        for bg, v in sorted(per_bg.items())
    ]
    rows += [
        dict(
            case=f"{path} {total} images",
            metric=f"{k}_accuracy",
            value=att_ok[k] / att_n[k],
            unit="",
            target="",
        )
        for k in sorted(att_n)
    ]
    case = f"{path} {total} images"
    rows.append(
        dict(
            case=case,
            metric="seconds_per_image",
            value=float(np.median(seconds)),
            unit="s",
            target="<= 0.5 (2-core CPU)",
        )
    )
    rows.append(
        dict(
            case=case,
            metric="seconds_p90",
            value=float(np.percentile(seconds, 90)),
            unit="s",
            target="<= 1.0",
        )
    )
    return rows


def run() -> list[dict]:
    cases = list(_cases())
    os.environ["GARMENT_VISION_MEDIAPIPE"] = "0"
    rows = _run("light", cases)
    rows += [
        dict(r, target="")
        for r in _run("product-shot", list(product_cases()))
        if "images" in r["case"] and r["metric"] != "seconds_p90"
    ]
    # the product-shot rules were calibrated on seeds 1-11: other seeds show whether they generalise
    held_out = [c for seed in (13, 21, 31) for c in product_cases(seed=seed)]
    rows += [
        dict(r, target="")
        for r in _run("product-shot held-out", held_out)
        if "images" in r["case"] and r["metric"].endswith("accuracy")
    ]
    if mp_backend.available():
        os.environ["GARMENT_VISION_MEDIAPIPE"] = "1"
        rows += _run("mediapipe", cases)
    os.environ.pop("GARMENT_VISION_MEDIAPIPE", None)
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
