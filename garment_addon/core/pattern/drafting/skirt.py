"""Skirt front and back panels (also the skirt of a dress).

Frame: y = 0 at the centre of the hem, the waist at y = skirt length. The side
seam runs through the hip curve and then flares straight to the hem; the hem is
an arc that meets the flared side seams square, so flared skirts hang level.
"""

from __future__ import annotations

import numpy as np

from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PieceDraft
from .darts import darted_line
from .ease import HIP_DEPTH, band_waist_ease, spec_ease

SKIRT_SIDE_MAX = 4.0  # cm of waist suppression per quarter the side seam's hip curve takes
SKIRT_DART_MAX = 4.0  # cm: the widest waist dart per quarter


def skirt_widths(spec: GarmentSpec) -> tuple[float, float, float, float]:
    """(waist quarter at the side seam, dart width per side, hip quarter, flare)."""
    m = spec.m
    e = spec_ease(spec)
    waist_q = (m["waist"] + band_waist_ease(spec.fit)) / 4
    hip_q = max((m["hip"] + e["hip"]) / 4, waist_q)
    suppress = hip_q - waist_q
    side = min(suppress, SKIRT_SIDE_MAX if spec.fit != "loose" else suppress)
    dart = min(suppress - side, SKIRT_DART_MAX)
    return hip_q - side, dart, hip_q, m["flare"]


def _hem(half: float, side_y: float) -> np.ndarray:
    """Arc from (-half, side_y) through (0, 0) to (half, side_y), tangent level at the centre."""
    if side_y < 1e-3:
        return g.line((-half, 0), (half, 0))
    r = (half**2 + side_y**2) / (2 * side_y)
    a = np.arcsin(np.clip(half / r, -1, 1))
    t = np.linspace(-a, a, max(3, int(np.ceil(2 * a * r / g.CURVE_STEP)) + 1))
    # r - r cos t loses every digit on a nearly straight hem (r in the kilometres): use 2 r sin^2(t/2)
    arc = np.column_stack([r * np.sin(t), 2 * r * np.sin(t / 2) ** 2])
    arc[0], arc[-1] = (-half, side_y), (half, side_y)  # end exactly on the side seams
    return arc


def skirt_piece(spec: GarmentSpec, front: bool, name: str, waist_q: float | None = None,
                dart: float | None = None, dart_x: float | None = None) -> PieceDraft:
    """One skirt panel. A dress passes its bodice's waist so the waist seam and darts line up."""
    length = spec.m["skirt_length"]
    wq, dw, hq, flare = skirt_widths(spec)
    wq = waist_q if waist_q is not None else wq + (0.5 if front else -0.5)
    hq = max(hq + (0.5 if front else -0.5), wq)
    dw = dart if dart is not None else dw
    dx = dart_x if dart_x is not None else max(wq * 0.45, 6.0)
    plus, minus = ("left", "right") if front else ("right", "left")
    hip_y = max(length - HIP_DEPTH, 0.35 * length)
    # hem corners rise so the flared side seam is as long as the centre line
    run = hip_y
    drop = run - np.sqrt(max(run**2 - flare**2, (0.35 * run) ** 2))
    drop = drop if drop >= 1e-3 else 0.0  # the hem is drawn straight below 1e-3 (see _hem)
    hem_half = hq + flare
    lower = g.line((hem_half, drop), (hq, hip_y))
    # The hip curve leaves the hip straight up (a flared skirt must not cut in above the hip) and
    # reaches the waist still rising, so the side seam meets the waist near square.
    up = length - hip_y
    upper = g.cubic((hq, hip_y), (hq, hip_y + 0.5 * up), (wq + 0.2 * (hq - wq), length - 0.25 * up),
                    (wq, length))
    side = g.join(lower, upper)
    pd = PieceDraft(name, "skirt_front" if front else "skirt_back", cut_group=name, on_fold=True)
    pd.edge("hem", _hem(hem_half, drop), "hem", (f"hem_{minus}", f"hem_{plus}"),
            allowance=2.5 if flare < 10 else 1.2)
    pd.edge(f"side_{plus}", side, "seam", (f"hem_{plus}", f"waist_{plus}"))
    # front darts end above the tummy, back darts reach further down toward the seat
    dart_len = min(9.0 if front else 13.0, 0.6 * (length - hip_y) + 6)
    darted_line(pd, length, wq, dx, dw, -dart_len, plus, minus, "waist", "waist", "seam", False)
    pd.edge(f"side_{minus}", g.mirror_x(side[::-1]), "seam", (f"waist_{minus}", f"hem_{minus}"))
    pd.landmarks.update(waist_center=g.P(0, length), hip_center=g.P(0, hip_y), hem_center=g.P(0, 0))
    pd.grain = (0.0, 0.15 * length, 0.8 * length)
    pd.mark("centre_front" if front else "centre_back", [(0.0, 0.0), (0.0, length)],
            ("CF" if front else "CB") + ": fold line if cut on the fold")
    pd.notches.append((f"side_{plus}", g.length(lower), 1))  # hip level
    pd.notches.append((f"side_{minus}", g.length(upper), 1))
    return pd
