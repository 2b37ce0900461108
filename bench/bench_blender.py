"""Blender pipeline per garment type: mannequin, meshing, wrap (and the wrapped garment's self-crossings, welded
as exported), preview render; the drape's quality measured on the EXPORTED meshes (garment.obj against
mannequin.obj, as `assemble --method drape` writes them): vertices inside the body, the deepest one, body
points out through the garment's triangles (between its vertices; also on the subdivided surface renders
show), garment edges crossing the garment, the hem's gathering; drape seconds, and the final 1024² render of
that same assembly.

Targets on the 2-core CPU machine: wrap <= 0.5 s, drape <= 25 s for a dress or shirt, preview render
< 3 s at 512², final render <= 30 s at 1024²; inside <= 0.3 % and none deeper than 3 mm; body
through <= 0.3 % of covered body points and none out by more than 3 mm; ~0 self-crossings; a flared
dress's hem >= 1.15 x its convex hull; full-length trouser legs and rib-cuffed or buttoned-cuff sleeves break above
the hem / cuff (the band above it folded: >= 1.03 x its 3D length). Set BENCH_BLENDER_TYPES=dress,skirt
to bench fewer types (dress_flared is a dress with 40 cm flare, shirt_cuffed a shirt with buttoned
cuffs, shirt_buttondown one with a collar and button front too, shirt_XL the plain shirt at XL,
jacket_L, jacket_XL and jacket_XXL the jacket at those sizes, jacket_male_M and jacket_male_XL on the
male mannequin, cardigan a collarless knit jacket, jumpsuit_XXL and jumpsuit_XXL_loose the jumpsuit at XXL) and
BENCH_BLENDER_GARMENTCODE=tshirt (or empty) for fewer GarmentCode imports (their wrap and drape:
seconds, mean stretch and self-crossings, welded as exported).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

TARGETS = {"wrap": "<= 0.5 s", "drape": "<= 25 s (dress, shirt)", "render_preview_512": "< 3 s",
           "render_final_1024": "<= 30 s", "drape_inside_fraction": "<= 0.003", "drape_max_depth": "<= 3 mm",
           "drape_body_through": "<= 0.003", "drape_body_through_max": "<= 3 mm",
           "drape_self_crossings": "~0", "drape_hem_gathering": ">= 1.15 (flared)",
           "drape_hem_flute_share": ">= 0.3 (flared: folds front and back, ~0.5 even)",
           "drape_leg_break": ">= 1.03 (full-length legs)", "drape_sleeve_break": ">= 1.03 (rib or buttoned cuffs)",
           "front_hem_rise": "|x| <= 1.5 cm (woven tops)", "pocket_tilt": "<= 1 cm",
           "cleavage_depth_cm": "<= 0.3 cm (woven tops: bridged apex to apex)"}
# the machine is shared: the load average goes beside each timing (wall seconds move 2-3x with it)
CASES = {"dress_flared": {"garment_type": "dress", "measurements": {"flare": 40}},
         # long sleeves with buttoned cuffs and plackets: a pull-on shirt, and a button-down (its collar too)
         "shirt_cuffed": {"garment_type": "shirt", "features": {"has_cuffs": True}},
         "shirt_buttondown": {"garment_type": "shirt", "features": {"has_collar": True, "has_cuffs": True}},
         # a fuller bust on a light woven: its centre front hangs lowest in the drape
         "shirt_XL": {"garment_type": "shirt", "size": "XL"},
         "jacket_L": {"garment_type": "jacket", "size": "L"}, "jacket_XL": {"garment_type": "jacket", "size": "XL"},
         "jacket_XXL": {"garment_type": "jacket", "size": "XXL"},
         # the jacket on the male mannequin, and a cardigan (the text "cardigan": no collar, knit)
         "jacket_male_M": {"garment_type": "jacket", "size": "M", "metadata": {"body_preset": "male"}},
         "jacket_male_XL": {"garment_type": "jacket", "size": "XL", "metadata": {"body_preset": "male"}},
         "cardigan": {"garment_type": "jacket", "features": {"has_collar": False, "fabric": "knit"}},
         # a bib on straps (denim), and its largest size (the legs reach the floor)
         "overalls": {"garment_type": "overalls"}, "overalls_XXL": {"garment_type": "overalls", "size": "XXL"},
         # jumpsuits over the largest bust: started from a rest shape relaxed through the breasts, their
         # drapes showed them bare (regular: body-through 3.0 %, 10 crossings, not at rest)
         "jumpsuit_XXL": {"garment_type": "jumpsuit", "size": "XXL"},
         "jumpsuit_XXL_loose": {"garment_type": "jumpsuit", "size": "XXL", "features": {"fit": "loose"}}}


def _row(case, metric, value, unit="s", target=""):
    return {"case": case, "metric": metric, "value": float(value), "unit": unit, "target": target}


def run() -> list[dict]:
    import bpy

    from garment_addon.blender import pipeline as pl
    from garment_addon.core.assembly.quality import self_crossings
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import GARMENT_TYPES, make_spec

    default = ",".join((*GARMENT_TYPES, *CASES))
    types = [t for t in os.environ.get("BENCH_BLENDER_TYPES", default).split(",") if t]
    rows: list[dict] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench_blender_"))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    # warm-up: the first Eevee render in a process compiles shaders
    warm = pl.build_scene(draft_pattern(make_spec({"garment_type": "skirt"})), "wrap")
    pl.render_scene(warm, tmp / "warm.png", None, "preview", 64)
    for t in types:
        pattern = draft_pattern(make_spec(CASES.get(t, {"garment_type": t})))
        bpy.ops.wm.read_factory_settings(use_empty=True)
        r = pl.build_scene(pattern, "wrap")
        for stage in ("mannequin", "meshing", "wrap"):
            rows.append(_row(t, stage, r.timings[stage], target=TARGETS.get(stage, "")))
        rows.append(_row(t, "wrap_inside_fraction", r.metrics["inside_fraction"], "", "<= 0.05"))
        rows += _level_rows(t, "wrap", r.metrics)
        rows.append(_row(t, "wrap_self_crossings", self_crossings(*pl._mesh_arrays(r.garment)), "edges",
                         TARGETS["drape_self_crossings"]))
        t0 = time.perf_counter()
        pl.render_scene(r, tmp / f"{t}_preview.png", tmp / f"{t}_preview_mask.png", "preview", 512)
        rows.append(_row(t, "render_preview_512", time.perf_counter() - t0, target=TARGETS["render_preview_512"]))
        t0 = time.perf_counter()
        pl.render_arrays(r, "preview", 256)
        rows.append(_row(t, "render_arrays_256", time.perf_counter() - t0))
        rows += _drape_rows(t, pattern, tmp / t)
    return rows + _garmentcode_rows()


def _drape_rows(case: str, pattern, out: Path) -> list[dict]:
    """`assemble --method drape` into ``out``, its exported meshes measured, then `render` of that
    folder (final, 1024²): the numbers an artist gets."""
    from garment_addon.blender import pipeline as pl
    from garment_addon.core.assembly.quality import drape_quality, read_obj

    report = pl.run_assemble(pattern, out, "drape", fresh=True)
    gv, gf = read_obj(out / "garment.obj")
    bv, bf = read_obj(out / "mannequin.obj")
    q = drape_quality(gv * 100, gf, bv * 100, bf, up=1)  # OBJ: metres, Y up
    m, seconds = report["metrics"], report["timings_s"]["drape"]
    timed = case in ("dress", "shirt")
    rows = [_row(case, "drape", seconds, target=TARGETS["drape"] if timed else ""),
            _row(case, "load_1min", os.getloadavg()[0], "", "load average after the drape"),
            _row(case, "drape_cpu", report["timings_s"].get("drape_cpu", 0.0), "s cpu", "all threads"),
            _row(case, "drape_frames", m["drape_frames"], "frames", f"at rest (cap {_cap()})"),
            _row(case, "drape_at_rest", float(m["drape_rest_speed"] < _rest_speed()), "flag",
                 "1 (top speed under the rest speed before the cap)"),
            _row(case, "drape_inside_fraction", q["inside_fraction"], "", TARGETS["drape_inside_fraction"]),
            _row(case, "drape_max_depth", 10 * q["max_depth"], "mm", TARGETS["drape_max_depth"]),
            _row(case, "drape_body_through", q["body_through_fraction"], "", TARGETS["drape_body_through"]),
            _row(case, "drape_body_through_max", 10 * q["body_through_max"], "mm", TARGETS["drape_body_through_max"]),
            _row(case, "render_body_through", q["render_body_through_fraction"], "",
                 TARGETS["drape_body_through"] + " (the surface renders show)"),
            _row(case, "render_body_through_max", 10 * q["render_body_through_max"], "mm",
                 TARGETS["drape_body_through_max"] + " (the surface renders show)"),
            _row(case, "drape_body_lifted", m["body_lifted_vertices"], "vertices", "lifted off the body"),
            _row(case, "drape_body_lift_max", m["body_lift_max_mm"], "mm", "the furthest"),
            _row(case, "drape_self_crossings", q["self_crossings"], "edges", TARGETS["drape_self_crossings"]),
            _row(case, "drape_hem_gathering", q["hem_gathering"], "x hull",
                 TARGETS["drape_hem_gathering"] if case == "dress_flared" else ""),
            _row(case, "drape_hem_flute_share", q["hem_flute_share"], "front+back",
                 TARGETS["drape_hem_flute_share"] if case == "dress_flared" else ""),
            _row(case, "drape_outline_jag", 10 * q["outline_jag"], "mm", "small (a ragged hem or opening)"),
            _row(case, "drape_max_seam_gap", m["max_seam_gap_cm"], "cm", "<= 0.5"),
            _row(case, "drape_sim_seam_gap", m["sim_max_seam_gap_cm"], "cm", "before snap"),
            _row(case, "drape_mean_stretch", m["mean_stretch"], "", "<= 0.05")]
    rows += _level_rows(case, "drape", m)
    # the flat band above a long sleeve's cuff / a full-length leg's hem over its 3D length (breaks.py)
    rows += [_row(case, f"drape_{k}", m[k], "x band", TARGETS[f"drape_{k}"]) for k in ("leg_break", "sleeve_break")
             if k in m]
    info = pl.run_render(out, out, profile="final", size=1024)
    rows.append(_row(case, "render_final_1024", info["seconds"], target=TARGETS["render_final_1024"]))
    rows.append(_row(case, "render_final_cpu", info["cpu_seconds"], "s cpu", "all threads"))
    return rows


def _level_rows(case: str, method: str, m: dict) -> list[dict]:
    """The front's centre-front hem above its side seam's, its pockets' tilt (level.py) and how far its
    centre front lies behind the apex line at the bust (quality.cleavage_depth), where the garment has them."""
    return [_row(case, f"{method}_{k}", m[k], "cm", TARGETS[k]) for k in ("front_hem_rise", "pocket_tilt",
                                                                         "cleavage_depth_cm") if k in m]


def _cap() -> int:
    from garment_addon.blender.drape import FRAME_CAP

    return FRAME_CAP


def _rest_speed() -> float:
    from garment_addon.blender.drape import REST_SPEED

    return REST_SPEED


def _garmentcode_rows() -> list[dict]:
    """Wrap and drape of GarmentCode imports (tests/data/garmentcode; BENCH_BLENDER_GARMENTCODE=names)."""
    import json

    from garment_addon.blender import pipeline as pl
    from garment_addon.core.assembly.quality import self_crossings
    from garment_addon.core.interop.garmentcode import from_garmentcode

    rows = []
    folder = Path(__file__).resolve().parents[1] / "tests" / "data" / "garmentcode"
    for name in [n for n in os.environ.get("BENCH_BLENDER_GARMENTCODE", "tshirt,pants,dress,circle_skirt").split(",")
                 if n]:
        pattern = from_garmentcode(json.loads((folder / f"{name}_specification.json").read_text()))
        case = f"garmentcode_{name}"
        for method in pl.METHODS:
            r = pl.build_scene(pattern, method)
            rows.append(_row(case, method, r.timings[method]))
            rows.append(_row(case, f"{method}_mean_stretch", r.metrics["mean_stretch"], "", "<= 0.05"))
            rows.append(_row(case, f"{method}_self_crossings", self_crossings(*pl._mesh_arrays(r.garment)), "edges",
                             TARGETS["drape_self_crossings"]))
            if method == "drape":
                rows.append(_row(case, "drape_sim_seam_gap", r.metrics["sim_max_seam_gap_cm"], "cm", "before snap"))
    return rows
