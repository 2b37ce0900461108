"""Product shots: a garment alone (flat lay or ghost mannequin) on a plain background.

Without a body there is no body frame, so the garment is measured in its own bounding box:
two legs (pants), a straight waist on top (skirt), sleeves that stick out beyond the body
(shirt, jacket, hoodie, dress), a hood's face opening, the depth of the front opening (jacket,
vest) and the height/width ratio (dress vs top). Centimetres come from the garment's width,
assumed to fit a size M body (rough; confidences say so).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from ..spec import SIZE_TABLE
from .categories import ARM_LENGTH, BODY, length_class, silhouette_class, sleeve_class

M = SIZE_TABLE["M"]
# A body seen from the front is about 0.34 of its girth wide; a garment on its own is wider: it
# carries its wearing ease and lies open at the sides (measured on the synthetic product shots
# lengths came out 1.1-1.3x short with the body's width, median 1.2).
FRONT_WIDTH = 0.34 * 1.2
CHEST_CM = M["bust"] * FRONT_WIDTH  # front width of a top at the chest
WAIST_CM = M["waist"] * FRONT_WIDTH


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    xs = np.flatnonzero(row)
    if not xs.size:
        return []
    parts = np.split(xs, np.flatnonzero(np.diff(xs) > 1) + 1)
    return [(int(p[0]), int(p[-1])) for p in parts]


def product_features(shape: np.ndarray, item: np.ndarray) -> dict[str, float]:
    """Shape features of a lone garment (``shape``: garment + lining, ``item``: its own colour)."""
    hood_ring = _detached_hood(shape)
    if hood_ring is not None:  # measure the body below it: its bounding box sets every fraction
        shape, item = shape & ~hood_ring, item & ~hood_ring
    ys, xs = np.nonzero(shape)
    top, bot, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    hg, wg = max(bot - top, 1), max(right - left, 1)
    cx = float(np.median(xs))

    def y(f: float) -> int:
        return int(top + f * hg)

    def central(yy: int) -> float:
        runs = _runs(shape[yy])
        best = [r for r in runs if r[0] <= cx <= r[1]]
        return float(best[0][1] - best[0][0] + 1) if best else 0.0

    hw = max(1, int(0.02 * wg))
    centre = shape[top : bot + 1, int(cx) - hw : int(cx) + hw + 1].mean(axis=1) >= 0.5
    # down the centre line a hood reads covered (its crown), open (the face), covered again
    changes = np.flatnonzero(np.diff(centre[: max(3, int(0.45 * hg))].astype(np.int8)))
    hood_profile = bool(centre[: max(2, int(0.03 * hg))].all() and len(changes) >= 2)
    rows = range(y(0.6), y(0.98))
    split = float(np.mean([not shape[r, int(cx) - hw : int(cx) + hw + 1].all() for r in rows]))
    notch = 1.0
    for r in range(top, bot):
        if item[r, int(cx) - hw : int(cx) + hw + 1].mean() >= 0.5:
            notch = (r - top) / hg
            break
    filled = shape.astype(np.uint8).copy()
    cv2.floodFill(filled, None, (0, 0), 2)
    holes = (filled == 0) & (np.arange(shape.shape[0])[:, None] < y(0.35))
    body_w = float(max(central(y(f)) for f in (0.35, 0.45, 0.55, 0.65)))
    three = [r for r in range(top, y(0.7)) if len(_runs(shape[r])) >= 3]
    top_w = max(float(np.ptp(np.nonzero(shape[r])[0])) for r in range(top, y(0.4)) if shape[r].any())
    # sleeves stick out: rows split into sleeve | body | sleeve, or a top much wider than the body
    sleeves = (len(three) > 0.05 * hg and (max(three) - top) / hg > 0.15) or top_w > 1.45 * max(body_w, 1)
    sleeve_end = (max(three) - top) / hg if three else (0.25 if sleeves else 0.0)
    waist_row = _runs(shape[y(0.03)])
    shoulder = waist_row[-1][1] - waist_row[0][0] + 1 if waist_row else wg
    return dict(
        sleeve_px=_sleeve_length_px(shape, top, y(0.85), wg) if sleeves else 0.0,
        # narrowest body width below the armholes (sleeves that touch the body widen other rows)
        chest_w=1.1 * min(central(y(f)) or wg for f in np.linspace(0.3, 0.7, 9)),
        waist_w=float(waist_row[-1][1] - waist_row[0][0] + 1) if waist_row else wg,
        hg=hg,
        wg=wg,
        aspect=hg / max(shoulder, 1),
        split=split,
        notch=notch,
        hood=0.05 if hood_ring is not None else max(float(holes.sum() / max(shape.sum(), 1)), 0.01 * hood_profile),
        sleeves=float(sleeves),
        sleeve_end=sleeve_end,
        top_w=(waist_row[-1][1] - waist_row[0][0]) / max(body_w, 1) if waist_row else 0.0,
        body_w=body_w,
        hem_w=central(y(0.97)),
        hip_w=central(y(0.3)),  # a skirt's hip; product_spec_parts uses hip_w_dress for dresses
        hip_w_dress=central(y(0.5)),
        leg_ratio=_leg_width(shape, y(0.97), cx) / max(_leg_width(shape, y(0.3), cx), 1),
    )


def _leg_width(shape: np.ndarray, yy: int, cx: float) -> float:
    """Width of the wider leg at row yy (each side of the centre line)."""
    row = shape[yy]
    return float(max(row[: int(cx)].sum(), row[int(cx) :].sum()))


def _detached_hood(shape: np.ndarray) -> np.ndarray | None:
    """A hood laid out above the body as a ring of its own (a hole for the face), else None."""
    n, lab, stats, _ = cv2.connectedComponentsWithStats(shape.astype(np.uint8), 8)
    if n < 3:
        return None
    order = np.argsort(-stats[1:, cv2.CC_STAT_AREA]) + 1
    body, second = order[0], order[1]
    b_top = stats[body, cv2.CC_STAT_TOP]
    s_bot = stats[second, cv2.CC_STAT_TOP] + stats[second, cv2.CC_STAT_HEIGHT]
    ring = lab == second
    filled = ring.astype(np.uint8).copy()
    cv2.floodFill(filled, None, (0, 0), 2)
    has_hole = bool((filled == 0).sum() > 0.05 * ring.sum())
    big = stats[second, cv2.CC_STAT_AREA] > 0.03 * stats[body, cv2.CC_STAT_AREA]
    return ring if big and has_hole and s_bot <= b_top + 0.1 * stats[body, cv2.CC_STAT_HEIGHT] else None


def _sleeve_length_px(shape: np.ndarray, top: int, last: int, wg: int) -> float:
    """Shoulder point to sleeve hem along the outline: follow the outermost pixel down each side
    until it jumps inwards (the sleeve ends and the body's side takes over)."""
    lengths = []
    for side in (0, 1):
        pts = []
        for r in range(top, last):
            xs = np.flatnonzero(shape[r])
            if xs.size:
                pts.append((r, xs[0] if side == 0 else -xs[-1]))
        if len(pts) < 3:
            continue
        outer = np.array([p[1] for p in pts], float)
        jumps = np.flatnonzero(np.diff(outer) > 0.025 * wg)  # outermost moves inwards
        # no jump: the sleeve stays outermost down to the last row (it hangs as low as the hem)
        end = jumps[0] if jumps.size else len(pts) - 1
        # the cuff's outer corner is the sleeve's farthest point out; below it the outline follows
        # the cuff edge inwards, which is the sleeve's width, not its length
        end = int(np.argmin(outer[: end + 1]))
        lengths.append(float(np.hypot(pts[end][0] - pts[0][0], outer[end] - outer[0])))
    return float(np.mean(lengths)) if lengths else 0.0


def classify_product(f: dict[str, float]) -> tuple[str, float]:
    if f["split"] > 0.5:
        return "pants", 0.7
    if f["hood"] > 0.004:
        return "hoodie", 0.65
    straight_top = f["notch"] < 0.02  # a waistband across the top, no neck opening
    if not f["sleeves"]:
        if straight_top:
            return "skirt", 0.65
        if f["notch"] > 0.18 and f["aspect"] < 2.2:
            return "vest", 0.55
        return ("dress", 0.55) if f["aspect"] > 2.2 else ("shirt", 0.45)
    if f["notch"] > 0.18:
        return "jacket", 0.55
    return ("dress", 0.55) if f["aspect"] > 2.2 else ("shirt", 0.6)


def product_spec_parts(f: dict[str, float], t: str) -> tuple[dict[str, Any], dict[str, float]]:
    """(attributes, measurements) of a lone garment, scaled from its width."""
    attrs: dict[str, Any] = {}
    meas: dict[str, float] = {}
    h = M["height"]
    if t in ("skirt", "pants"):
        scale = WAIST_CM / max(f["waist_w"], 1)  # the waistband across the top
    else:
        scale = CHEST_CM / max(f["chest_w"], 1)
    length = f["hg"] * scale
    if t == "skirt":
        meas["skirt_length"] = length
    elif t == "pants":
        meas["pant_length"] = length
    elif t == "dress":
        meas["skirt_length"] = length - 0.225 * h  # shoulder to waist
    else:
        meas["bodice_length"] = length
    if t in ("dress", "skirt"):
        attrs["length"] = length_class(0.38 + meas["skirt_length"] / h)
        ratio = f["hem_w"] / max(f["hip_w_dress" if t == "dress" else "hip_w"], 1)
        attrs["silhouette"] = silhouette_class(ratio, t)
    if t == "pants":
        hem = 0.38 + meas["pant_length"] / h
        attrs["length"] = length_class(hem)
        # as on a person (analyze.attributes): a straight leg narrows from thigh to hem, the
        # more the longer the leg; a wide leg keeps its width
        along = float(np.clip((hem - BODY["crotch"]) / (BODY["ankle"] - BODY["crotch"]), 0, 1))
        attrs["silhouette"] = "wide-leg" if f["leg_ratio"] > 1.22 - 0.45 * along else "fitted"
    if t not in ("skirt", "pants"):
        sleeve = f["sleeve_px"] * scale if f["sleeves"] else 0.0
        attrs["sleeves"] = sleeve_class(sleeve / (ARM_LENGTH * h))
        meas["sleeve_length"] = 0.0 if attrs["sleeves"] == "none" else max(17.0, sleeve)
        if f["notch"] < 0.5:
            meas["neckline_depth"] = f["notch"] * f["hg"] * scale
    return attrs, {k: round(float(v), 1) for k, v in meas.items()}
