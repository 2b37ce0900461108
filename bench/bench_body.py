"""The shown mannequin (MakeHuman, core.body.makehuman) and its rig.

Per body (female / male x XS / M / XXL): the girth error of each measurement on the built mesh (%,
target within 2 %), the build time (macro solve, pose, girth correction; uncached), the largest radial
correction left after the macro targets, the arm angle and how far the arms hang from the torso 3 cm
under the armpit (the narrower side's horizontal gap), its own shoulder slope, and for a given slope of
2 and 8 cm how far the reshaped body's misses it and its largest girth error. Then the Blender rig:
bones, and the time to build and skin it (with bpy).
"""

from __future__ import annotations

import time

SIZES = ("XS", "M", "XXL")
SLOPES = (2.0, 8.0)  # cm: square and sloping shoulders


def _row(case, metric, value, unit="", target=""):
    return {"case": case, "metric": metric, "value": float(value), "unit": unit, "target": target}


def run() -> list[dict]:
    from garment_addon.core.body import build_body
    from garment_addon.core.body import makehuman as mh
    from garment_addon.core.body.mannequin import PRESETS
    from garment_addon.core.spec import body_measurements, make_spec

    rows: list[dict] = []
    mh.load_asset()
    for preset in ("female", "male"):
        for size in SIZES:
            m = body_measurements(make_spec({"garment_type": "dress"}, size=size))
            # the body's own shoulder slope: the spec's is the female size's (a given one reshapes the
            # body: the rows below)
            m.pop("shoulder_slope")
            body = build_body(m, preset)
            t0 = time.perf_counter()
            h = mh.build_human(m, body.landmarks, preset, PRESETS[preset]["arm_angle"])
            case = f"{preset}_{size}"
            rows.append(_row(case, "build", time.perf_counter() - t0, "s", "< 2 s"))
            for k, e in h.errors().items():
                rows.append(_row(case, f"{k}_error", 100 * e, "%", "|e| <= 2"))
            rows.append(_row(case, "max_correction", 100 * max(abs(v - 1) for v in h.correction.values()), "%"))
            rows.append(_row(case, "arm_angle", h.arm_angle, "deg"))
            below = mh.armpit_height(h.verts, h.heights) - mh.ARMPIT_DROP
            rows.append(_row(case, "arm_clearance", mh.arm_gap(h.verts, below), "cm", f">= {mh.ARM_CLEARANCE}"))
            rows.append(_row(case, "shoulder_slope", mh.body_slope(h.verts, m, body.landmarks), "cm"))
            for slope in SLOPES:  # a given slope: the body reshaped to it (makehuman.lift_shoulders)
                given = m | {"shoulder_slope": slope}
                b = build_body(given, preset)
                hs = mh.build_human(given, b.landmarks, preset, PRESETS[preset]["arm_angle"])
                rows.append(_row(case, f"shoulder_slope_{slope:g}_error", mh.body_slope(hs.verts, given, b.landmarks)
                                 - slope, "cm", "|e| <= 0.5"))
                rows.append(_row(case, f"shoulder_slope_{slope:g}_girth_error",
                                 100 * max(abs(e) for e in hs.errors().values()), "%", "<= 2"))
    rows += _rig_rows()
    return rows


def _rig_rows() -> list[dict]:
    try:
        import bpy
    except ImportError:  # the core rows stand without Blender
        return []
    from garment_addon.blender import pipeline as pl
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import make_spec

    bpy.ops.wm.read_factory_settings(use_empty=True)
    r = pl.build_scene(draft_pattern(make_spec({"garment_type": "shirt"})), "wrap", rig=True)
    bones = r.rig.data.bones
    names = {b.name.split(":")[-1] for b in bones}
    hands = sum(n.startswith(("LeftHand", "RightHand")) for n in names)
    return [_row("rig", "bones", len(bones), "", ">= 50"),
            _row("rig", "hand_bones", hands, "", "hands with fingers"),
            _row("rig", "clavicles", sum(n in names for n in ("LeftShoulder", "RightShoulder")), "", "2"),
            _row("rig", "rig_build", r.timings["rig"], "s"),
            _row("rig", "mannequin_scene", r.timings["mannequin"], "s")]
