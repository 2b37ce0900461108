"""Drafting speed: every type over many sizes and feature sets, ms per garment (target: median < 20 ms)."""

from __future__ import annotations

import itertools
import statistics
import time

from garment_addon.core.pattern import draft_pattern
from garment_addon.core.spec import FITS, GARMENT_TYPES, SIZES, make_spec

FEATURES = ("has_collar", "has_cuffs", "has_pockets", "has_hood")


def run() -> list[dict]:
    rows = []
    for t in GARMENT_TYPES:
        specs = [make_spec({"garment_type": t, "size": size,
                            "features": {"fit": fit, **{f: bool(v) for f, v in zip(FEATURES, flags, strict=True)}}})
                 for size, fit, flags in itertools.product(SIZES, FITS, [(0, 0, 0, 0), (1, 1, 1, 0), (0, 0, 1, 1)])]
        draft_pattern(specs[0])  # warm imports
        times = []
        for s in specs:
            t0 = time.perf_counter()
            draft_pattern(s)
            times.append((time.perf_counter() - t0) * 1000)
        rows.append({"case": t, "metric": "draft median", "value": statistics.median(times), "unit": "ms",
                     "target": "< 20"})
        rows.append({"case": t, "metric": "draft max", "value": max(times), "unit": "ms", "target": ""})
    return rows
