"""Blender pipeline timings per garment type: mannequin, meshing, wrap, drape, preview/final render.

Targets on the 2-core CPU machine: wrap < 0.5 s, drape < 20 s for a dress, preview render < 3 s at 512².
Set BENCH_BLENDER_TYPES=dress,skirt to bench fewer types (drape dominates: ~10-20 s per type) and
BENCH_BLENDER_GARMENTCODE=tshirt (or empty) for fewer GarmentCode imports.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

TARGETS = {"wrap": "< 0.5 s", "drape": "< 20 s (dress)", "render_preview_512": "< 3 s"}


def _row(case, metric, value, unit="s", target=""):
    return {"case": case, "metric": metric, "value": float(value), "unit": unit, "target": target}


def run() -> list[dict]:
    import bpy

    from garment_addon.blender import pipeline as pl
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import GARMENT_TYPES, make_spec

    types = [t for t in os.environ.get("BENCH_BLENDER_TYPES", ",".join(GARMENT_TYPES)).split(",") if t]
    rows: list[dict] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench_blender_"))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    # warm-up: the first Eevee render in a process compiles shaders
    warm = pl.build_scene(draft_pattern(make_spec({"garment_type": "skirt"})), "wrap")
    pl.render_scene(warm, tmp / "warm.png", None, "preview", 64)
    for t in types:
        pattern = draft_pattern(make_spec({"garment_type": t}))
        r = pl.build_scene(pattern, "wrap")
        for stage in ("mannequin", "meshing", "wrap"):
            rows.append(_row(t, stage, r.timings[stage], target=TARGETS.get(stage, "")))
        rows.append(_row(t, "wrap_inside_fraction", r.metrics["inside_fraction"], "", "<= 0.05"))
        for profile, size in (("preview", 512), ("final", 512)):
            t0 = time.perf_counter()
            pl.render_scene(r, tmp / f"{t}_{profile}.png", tmp / f"{t}_{profile}_mask.png", profile, size)
            rows.append(_row(t, f"render_{profile}_{size}", time.perf_counter() - t0,
                             target=TARGETS.get(f"render_{profile}_{size}", "")))
        t0 = time.perf_counter()
        pl.render_arrays(r, "preview", 256)
        rows.append(_row(t, "render_arrays_256", time.perf_counter() - t0))
        d = pl.build_scene(pattern, "drape")
        rows.append(_row(t, "drape", d.timings["drape"], target=TARGETS["drape"] if t == "dress" else ""))
        rows.append(_row(t, "drape_inside_fraction", d.metrics["inside_fraction"], "", "<= 0.01"))
        rows.append(_row(t, "drape_max_seam_gap", d.metrics["max_seam_gap_cm"], "cm", "<= 0.5"))
        rows.append(_row(t, "drape_sim_seam_gap", d.metrics["sim_max_seam_gap_cm"], "cm", "before snap"))
        rows.append(_row(t, "drape_mean_stretch", d.metrics["mean_stretch"], "", "<= 0.05"))
    return rows + _garmentcode_rows()


def _garmentcode_rows() -> list[dict]:
    """Wrap and drape of GarmentCode imports (tests/data/garmentcode; BENCH_BLENDER_GARMENTCODE=names)."""
    import json

    from garment_addon.blender import pipeline as pl
    from garment_addon.core.interop.garmentcode import from_garmentcode

    rows = []
    folder = Path(__file__).resolve().parents[1] / "tests" / "data" / "garmentcode"
    for name in [n for n in os.environ.get("BENCH_BLENDER_GARMENTCODE", "tshirt,pants,dress").split(",") if n]:
        pattern = from_garmentcode(json.loads((folder / f"{name}_specification.json").read_text()))
        case = f"garmentcode_{name}"
        for method in pl.METHODS:
            r = pl.build_scene(pattern, method)
            rows.append(_row(case, method, r.timings[method]))
            rows.append(_row(case, f"{method}_mean_stretch", r.metrics["mean_stretch"], "", "<= 0.05"))
            if method == "drape":
                rows.append(_row(case, "drape_sim_seam_gap", r.metrics["sim_max_seam_gap_cm"], "cm", "before snap"))
    return rows
