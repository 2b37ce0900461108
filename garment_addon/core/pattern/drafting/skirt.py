"""Skirt front and back panels (also the skirt of a dress).

Frame: y = 0 at the centre of the hem, the waist at y = skirt length. A straight or A-line
skirt's side seam runs through the hip curve and then flares straight to the hem, as long as
the centre line below the hip; the hem runs level across the centre and rounds up to meet
the flared side seams square, so flared skirts hang level and smooth across the seams.
From SPREAD_FLARE on, the panel is slashed from the hem to the waist and spread instead
(_spread): a sector of an annulus, its flare spread across its whole width.
"""

from __future__ import annotations

import numpy as np

from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PieceDraft
from .darts import darted_edges, darted_line
from .ease import HIP_DEPTH, band_waist_ease, spec_ease

SKIRT_SIDE_MAX = 4.0  # cm of waist suppression per quarter the side seam's hip curve takes
SKIRT_DART_MAX = 4.0  # cm: the widest waist dart per quarter
SQUARE_OFF = 1.0  # cm the hem runs square off a side seam before it curves
FLARE_SLANT_MAX = np.radians(72.0)  # the most a flared side seam slants out from the hip
# cm of flare from which a panel is slashed and spread (_spread): below it the flare at the side seams
# alone (an A-line skirt) hangs smooth, above it that flare hung as a cone in folds at the sides only
SPREAD_FLARE = 15.0
SPREAD_MAX = np.pi / 2  # the most a half panel spreads: four of them make a full circle skirt


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


def _spread(length: float, hip_y: float, waist: float, dart: float, hq: float,
            flare: float) -> tuple[float, float] | None:
    """(half angle, waist arc) of a half panel slashed from the hem up to the waist and spread by
    ``flare`` at the hem, its waist darts closed into the spread: a sector of an annulus whose hem arc
    (hip ``hq`` + ``flare``) and waist arc lie round one apex on the centre line, the side seam a
    straight radius. It spreads as far as the sewn waist (``waist``, the darts all closed), the hip
    (the arc ``length - hip_y`` below the waist at least ``hq``) and a full circle skirt allow; the
    waist arc less ``waist`` stays in the darts (a long skirt little flared: at most the hip's
    suppression; spread to a full circle, at most the straight skirt's ``dart`` and the flare falls
    short). None below SPREAD_FLARE, or where the hip needs more than the waist and no darts take it
    (a dress bodice without darts: that stays in the side seams' hip curve, drafted as before)."""
    if flare < SPREAD_FLARE:
        return None
    a = min((hq + flare - waist) / length, flare / hip_y, SPREAD_MAX)
    arc = min(hq + flare - length * a, max(waist + dart, hq - (length - hip_y) * a))
    return None if dart <= 0 and arc > waist + 1e-6 else (a, arc)


def flare_reach(spec: GarmentSpec) -> tuple[float, bool]:
    """(the hem length ``spec``'s skirt panels add past the hip at each side (each half hem less the
    half hip), whether they are slashed and spread): its flare, or less where a level hem
    (_flare_slant) or a full circle (_spread) cannot take it all."""
    length = spec.m["skirt_length"]
    wq, dw, hq, flare = skirt_widths(spec)
    hip_y = max(length - HIP_DEPTH, 0.35 * length)
    spread = _spread(length, hip_y, wq - dw, dw, hq, flare)
    if spread is not None:
        return spread[1] + length * spread[0] - hq, True
    slant = _flare_slant(hip_y, flare)
    corner = (hq + hip_y * np.sin(slant), hip_y * 2 * np.sin(slant / 2) ** 2)
    return g.length(_hem(corner, np.array([np.sin(slant), -np.cos(slant)]))) / 2 - hq, False


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
    pd = PieceDraft(name, "skirt_front" if front else "skirt_back", cut_group=name, on_fold=True)
    # front darts end above the tummy, back darts reach further down toward the seat
    dart_len = min(9.0 if front else 13.0, 0.6 * (length - hip_y) + 6)
    spread = _spread(length, hip_y, wq - dw, dw, hq, flare)
    if spread is not None:  # the side seam is a straight radius: the hip as far up it as on the centre
        _spread_panel(pd, spread, length, wq, dw, dx, dart_len, plus, minus)
        below_hip = hip_y
    else:
        below_hip = _side_flared_panel(pd, length, hip_y, wq, hq, dw, dx, flare, dart_len, plus, minus)
    pd.landmarks.update(waist_center=g.P(0, length), hip_center=g.P(0, hip_y), hem_center=g.P(0, 0))
    pd.grain = (0.0, 0.15 * length, 0.8 * length)
    pd.mark("centre_front" if front else "centre_back", [(0.0, 0.0), (0.0, length)],
            ("CF" if front else "CB") + ": fold line if cut on the fold")
    pd.notches.append((f"side_{plus}", below_hip, 1))  # hip level
    pd.notches.append((f"side_{minus}", g.length(pd.get(f"side_{minus}").pts) - below_hip, 1))
    return pd


def _side_flared_panel(pd: PieceDraft, length: float, hip_y: float, wq: float, hq: float, dw: float, dx: float,
                       flare: float, dart_len: float, plus: str, minus: str) -> float:
    """A straight or A-line panel's hem, side seams and darted waist: the flare at the side seams
    alone. Returns the side seam's length below the hip."""
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
    pd.edge("hem", _hem((hem_half, drop), lower[0] - lower[1]), "hem", (f"hem_{minus}", f"hem_{plus}"),
            allowance=2.5 if flare < 10 else 1.2)
    pd.edge(f"side_{plus}", side, "seam", (f"hem_{plus}", f"waist_{plus}"))
    darted_line(pd, length, wq, dx, dw, -dart_len, plus, minus, "waist", "waist", "seam", False)
    pd.edge(f"side_{minus}", g.mirror_x(side[::-1]), "seam", (f"waist_{minus}", f"hem_{minus}"))
    return g.length(lower)


def _spread_panel(pd: PieceDraft, spread: tuple[float, float], length: float, wq: float, dw: float, dx: float,
                  dart_len: float, plus: str, minus: str) -> None:
    """A panel slashed and spread (_spread): hem and waist arcs round an apex on the centre line above
    the waist, the side seams straight radii as long as the centre line, so the hem is trued (square
    to them) and hangs level. The waist keeps the straight skirt's seam lengths between the darts
    (``dw`` at ``dx``: a dress bodice's, which meet them), each dart only as wide as the spread left
    it (none: the seam runs on where it was)."""
    a, arc = spread
    r = arc / a  # the waist's radius; the apex at (0, length + r)
    apex = np.array([0.0, length + r])
    pd.landmarks["flare_apex"] = g.P(*apex)  # the wrap lays the panel's arcs as level rows round it

    def at(radius: float, t) -> np.ndarray:
        t = np.atleast_1d(np.asarray(t, float))
        return apex + radius * np.column_stack([np.sin(t), -np.cos(t)])

    def arc_pts(radius: float, t0: float, t1: float) -> np.ndarray:
        n = max(2, int(np.ceil(abs(t1 - t0) * radius / g.CURVE_STEP)) + 1)
        return at(radius, np.linspace(t0, t1, n + (n % 2 == 0)))  # odd: a point on the centre line

    hem = arc_pts(r + length, -a, a)
    pd.edge("hem", hem, "hem", (f"hem_{minus}", f"hem_{plus}"), allowance=1.2)
    side = g.line(hem[-1], at(r, a)[0])
    pd.edge(f"side_{plus}", side, "seam", (f"hem_{plus}", f"waist_{plus}"))
    if dw > 0:  # left to right: the waist to the dart, (the dart,) the centre, ...
        t1 = (dx - dw / 2) / r  # the sewn waist from the centre to the dart, as the straight skirt's
        t2 = t1 + (arc - (wq - dw)) / r  # the dart, as wide as the spread left it
        right = [arc_pts(r, t2, a)]
        if t2 - t1 > 1e-6:
            tip = at(r + dart_len, (t1 + t2) / 2)[0]
            right = [g.line(at(r, t1)[0], tip), g.line(tip, at(r, t2)[0]), *right]
        left = [g.mirror_x(q[::-1]) for q in right[::-1]]
        darted_edges(pd, [*left, arc_pts(r, -t1, t1), *right], plus, minus, "waist", "waist", "seam", False)
        if len(right) == 1:  # a notch where each dart closed: a bodice's darts meet the waist seam there
            pd.notches += [(f"waist_{plus}", g.length(right[0]), 1), (f"waist_{minus}", 0.0, 1)]
    else:
        pd.edge("waist", arc_pts(r, a, -a), "seam", (f"waist_{plus}", f"waist_{minus}"))
    pd.edge(f"side_{minus}", g.mirror_x(side[::-1]), "seam", (f"waist_{minus}", f"hem_{minus}"))
