"""Skirt front and back panels (also the skirt of a dress).

Frame: y = 0 at the centre of the hem, the waist at y = skirt length. The side
seam runs through the hip curve and then flares straight to the hem, as long as the
centre line below the hip; the hem runs level across the centre and rounds up to meet
the flared side seams square, so flared skirts hang level and smooth across the seams.
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
SQUARE_OFF = 1.0  # cm the hem runs square off a side seam before it curves
FLARE_SLANT_MAX = np.radians(72.0)  # the most a flared side seam slants out from the hip


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


def _hem(corner: tuple[float, float], side_down: np.ndarray) -> np.ndarray:
    """The hem from (-x, y) through (0, 0) to the corner (x, y), trued: level across the centre line
    (a fold or a centre seam) and square to the side seam, which runs into the corner along
    ``side_down``. Each half runs level from the centre and rounds up in a circular arc to the
    corner (where the corner sits too close in for that, the arc comes first and the hem runs on
    straight, square to the seam): sewn, the front and back hems continue across the side seam
    without a point (an arc through the centre and both corners met a 40 cm flare at 54 degrees)."""
    dx, dy = side_down / np.hypot(*side_down)
    phi = float(np.arctan2(dx, -dy))  # the side seam's slant from the vertical = the hem's rise at the corner
    if corner[1] < 1e-3 or phi < 1e-4:
        return g.line((-corner[0], corner[1]), (corner[0], corner[1]))
    s, vers = np.sin(phi), 2 * np.sin(phi / 2) ** 2  # vers = 1 - cos: no cancellation when nearly straight
    square = min(SQUARE_OFF, 0.5 * corner[1] / s)
    cx, cy = np.asarray(corner) - square * np.array([1 - vers, s])  # the hem leaves the seam square
    run = cx - cy * s / vers  # straight from the centre before the arc
    if run >= 0:
        r, x0 = cy / vers, run
    else:  # the arc from the centre, then straight on along the corner's tangent
        r, x0 = (cx * s - cy * (1 - vers)) / vers, 0.0
    t = np.linspace(0.0, phi, max(2, int(np.ceil(phi * r / g.CURVE_STEP)) + 1))
    arc = np.column_stack([x0 + r * np.sin(t), 2 * r * np.sin(t / 2) ** 2])
    half = np.vstack([[0.0, 0.0], arc] if run > 0 else [arc])
    half = np.vstack([half, corner])  # straight on, square, to exactly the side seam's end
    return np.vstack([g.mirror_x(half[::-1])[:-1], half])


def _flare_slant(hip_y: float, flare: float) -> float:
    """The flared side seam's slant from the vertical below the hip: it runs straight out to the hem,
    as long as the centre line below the hip, so the hem hangs level; it reaches ``flare`` past the hip,
    at most sin(FLARE_SLANT_MAX) of the hip's height (a 40 cm flare on a 55 cm dress: 33.3 cm; its
    side seam had been 7 cm longer than the centre and hung in a flap below it)."""
    return float(np.arcsin(min(flare / hip_y, np.sin(FLARE_SLANT_MAX))))


def flare_reach(spec: GarmentSpec) -> float:
    """The hem length ``spec``'s skirt panels add past the hip at each side (each half hem less the
    half hip): its flare, or less where a level hem cannot take it all (_flare_slant)."""
    length = spec.m["skirt_length"]
    _, _, hq, flare = skirt_widths(spec)
    hip_y = max(length - HIP_DEPTH, 0.35 * length)
    slant = _flare_slant(hip_y, flare)
    corner = (hq + hip_y * np.sin(slant), hip_y * 2 * np.sin(slant / 2) ** 2)
    return g.length(_hem(corner, np.array([np.sin(slant), -np.cos(slant)]))) / 2 - hq


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
    # The hip curve leaves the hip straight up (a flared skirt must not cut in above the hip) and
    # reaches the waist still rising, so the side seam meets the waist near square.
    up = length - hip_y
    upper = g.cubic((hq, hip_y), (hq, hip_y + 0.5 * up), (wq + 0.2 * (hq - wq), length - 0.25 * up),
                    (wq, length))
    # below the hip the side seam runs straight out to the hem, as long as the centre line there, so
    # the hem hangs level: its corners rise as it slants
    slant = _flare_slant(hip_y, flare)
    drop = hip_y * 2 * np.sin(slant / 2) ** 2  # the corner's rise: 1 - cos, no cancellation
    drop = drop if drop >= 1e-3 else 0.0  # the hem is drawn straight below 1e-3 (see _hem)
    hem_half = hq + hip_y * np.sin(slant)
    lower = g.line((hem_half, drop), (hq, hip_y))
    side = g.join(lower, upper)
    pd = PieceDraft(name, "skirt_front" if front else "skirt_back", cut_group=name, on_fold=True)
    pd.edge("hem", _hem((hem_half, drop), lower[0] - lower[1]), "hem", (f"hem_{minus}", f"hem_{plus}"),
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
