"""Product shots: a garment alone (flat lay or ghost mannequin) on a plain background.

Without a body there is no body frame, so the garment is measured in its own bounding box:
two legs (pants), a waistband as its narrowest top edge (skirt), sleeves that stick out beyond
the shoulders (shirt, jacket, hoodie, dress), a hood's face opening, the depth of the front
opening in cm (jacket, vest) and where the waist falls (dress: upper half; top: lower half).

Lengths come from vertical body rulers found on the garment: body landmarks whose height is a
fixed fraction of standing height (the crotch of pants, a skirt's or dress's hip, a top's
waist), so the length in units of the wearer's height does not depend on the size. The width
(assumed to fit a size M body) is only a fallback and a cross-check: girth over height varies
25 % from S to XL. Centimetres assume a size M wearer (confidences say so).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from ..categories import ARM_LENGTH, BODY, length_class, silhouette_class, sleeve_class
from ..garments import TYPES, has_bodice, is_lower, is_top
from ..spec import SIZE_TABLE
from . import segment

M = SIZE_TABLE["M"]
# A body seen from the front is about 0.34 of its girth wide; a garment on its own is wider: it
# carries its wearing ease and lies open at the sides (measured on the synthetic product shots
# lengths came out 1.1-1.3x short with the body's width, median 1.2).
FRONT_WIDTH = 0.34 * 1.2
CHEST_CM = M["bust"] * FRONT_WIDTH  # front width of a top at the chest
WAIST_CM = M["waist"] * FRONT_WIDTH
# Vertical rulers: body lengths that scale with height, not girth (girth/height varies 25 % from S
# to XL, so widths alone put lengths 10-20 % off, mostly long). Fractions of standing height:
# - RISE, waist to where the legs part (BODY crotch - waist, 0.15, plus the crotch seam's ease;
#   0.159-0.169 on the synthetic product shots of seeds 1-10);
# - WAIST_TO_HIP, where a skirt's side seam bends from the hip curve into its fall (BODY 0.10;
#   0.092-0.107);
# - a dress's hip bend below the shoulder line: BODY hip - shoulder, 0.30 (0.296-0.311);
# - a top's narrowest row below the shoulder line: BODY waist - shoulder, 0.20 (0.18-0.21);
# - SHOULDER_TO_WAIST, a dress's narrowest row, its fallback ruler: 0.19 (fitted bodice) to 0.23
#   (a looser bodice overhangs the skirt and the narrowest row falls just below the seam).
RISE = 0.163
WAIST_TO_HIP = 0.10
SHOULDER_TO_WAIST = 0.22
HIP_OVER_WAIST = 1.45  # a body's hip over its waist seen from the front (girths 1.25-1.35x)
# A skirt scaled by the width of its top edge comes out 1.1x long (median, seeds 1-6): the edge
# is measured just below the waistband, where the skirt has begun to widen.
SKIRT_WIDTH_BIAS = 1.1
FLAT_SPAN = 1.25  # sleeves laid out flat: their span over the body's width below them
# A hood laid flat above a lone jacket or hanging behind it on a hanger stands above the shoulders as a
# head-like lobe (laid_out's head shape: narrow above wide shoulders, wider than a hanger's hook) that
# reaches down HOOD_LOBE of the garment's length or more before the shoulders (1.6x its width) begin.
# It shows no face opening, so the hood readings (a hole, the centre line covered-open-covered) miss
# it. train/outwear, lone garments with such a lobe, by eye: of those from 0.2 down 14 hooded, 3 with
# a tall collar standing up (0.21-0.23); from 0.12 to 0.2 five hooded, three collars or masks gone wrong.
HOOD_LOBE = 0.2
# A hood is about as tall as it is wide (a head's shape); a collar standing up, zipped round the
# hanger's neck or laid up on the floor, is a band wider than it is tall. train/outwear, lobes from
# HOOD_LOBE: the 5 collars (a track jacket's, two fur collars, a leather jacket's, a raised shirt
# collar) reach down 0.51-0.67 of their width before the shoulders, 10 of the 12 hoods 0.75-2.1 (two
# hoods laid flat, 0.64 and 0.66, are lost).
HOOD_ASPECT = 0.7
# A hole the garment encloses near its top reads as a hood's face opening only from HOOD_HOLE of its
# area: on real photos the small ones are the neck's white brand label on a white wall (train/outwear:
# 16 photos, 0.005-0.018, 6 of them hooded, 8 stand collars; a t-shirt and sweatshirts on hangers read
# as hoodies by them); the hood of our renders, laid out as a ring of its own, is _detached_hood's.
HOOD_HOLE = 0.02


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    xs = np.flatnonzero(row)
    if not xs.size:
        return []
    parts = np.split(xs, np.flatnonzero(np.diff(xs) > 1) + 1)
    return [(int(p[0]), int(p[-1])) for p in parts]


def _share(part: np.ndarray, whole: np.ndarray, least: float) -> float:
    """``part``'s share of ``whole``'s area, 0.0 under ``least``."""
    share = float(part.sum() / max(whole.sum(), 1))
    return share if share >= least else 0.0


def hood_lobe(shape: np.ndarray) -> float:
    """How far a head-like lobe on top of a lone garment reaches down before its shoulders begin, over
    the garment's length (0.0 without one, or for a band wider than tall: see HOOD_LOBE, HOOD_ASPECT)."""
    from .laid_out import head_rows

    head = head_rows(shape)
    if head is None:
        return 0.0
    widths, rows = shape.sum(axis=1), np.flatnonzero(head.any(axis=1))
    shoulders = np.flatnonzero(widths[rows[0] :] > 1.6 * widths[rows].max())
    ys = np.flatnonzero(widths)
    reach = float(shoulders[0] if shoulders.size else ys[-1] - rows[0])
    if reach < HOOD_ASPECT * widths[rows].max():  # a collar standing up
        return 0.0
    return reach / max(ys[-1] - ys[0], 1)


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
    # the background a garment cuts off from the photo's corner at (0, 0), where it runs off an edge,
    # is no hole: only what no border reaches (a fur collar running off the top read as a hood)
    enclosed = segment.holes(shape)
    holes = enclosed & (np.arange(shape.shape[0])[:, None] < y(0.35))
    face = _share(holes, shape, HOOD_HOLE)
    # a neck label's hole is no face opening down the centre line either
    seen = shape if face else shape | enclosed
    centre = seen[top : bot + 1, int(cx) - hw : int(cx) + hw + 1].mean(axis=1) >= 0.5
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
    body_w = float(max(central(y(f)) for f in (0.35, 0.45, 0.55, 0.65)))
    three = [r for r in range(top, y(0.7)) if len(_runs(shape[r])) >= 3]
    top_w = max(float(np.ptp(np.nonzero(shape[r])[0])) for r in range(top, y(0.4)) if shape[r].any())
    edge = _runs(shape[y(0.03)])  # the top edge: a skirt's waistband, a top's shoulder line
    shoulder = edge[-1][1] - edge[0][0] + 1 if edge else wg
    profile = np.array([central(r) for r in range(top, bot + 1)])  # width down the garment
    middle = profile[y(0.15) - top : y(0.65) - top]
    middle = np.where(middle > 0, middle, wg)
    waist = _narrowest(middle, y(0.15) - top) / hg  # a dress's (or top's) waist: its narrowest row
    # a skirt widens from its waistband (the top edge is its narrowest row, 0.76-0.90 on the
    # synthetic shots); a top or dress hangs from shoulders wider than its waist (1.04 and up)
    top_over_waist = shoulder / max(float(middle.min()), 1)
    hip = _bend_near(profile, WAIST_TO_HIP / max(hg * WAIST_CM / max(shoulder, 1) / M["height"], 0.1))
    dress_hip = _bend_below(profile, waist)
    # sleeves stick out: rows split into sleeve | body | sleeve, or a top much wider than the body
    sleeves = (len(three) > 0.05 * hg and (max(three) - top) / hg > 0.15) or top_w > 1.45 * max(body_w, 1)
    # short sleeves touching the body: below the shoulder line the garment spreads out beyond it
    # (1.14-1.35x on the synthetic shots), where an armhole only ever cuts in (1.00-1.04x)
    spread = max(float(np.ptp(np.nonzero(shape[r])[0])) + 1 for r in range(y(0.03), y(0.3)) if shape[r].any())
    sleeves = sleeves or (spread > 1.09 * shoulder and top_over_waist >= 0.97)
    # a top laid flat: its sleeves stick out sideways under a narrow neckline row (the rule above
    # compares with that row), far wider than the body below the armholes
    below = float(np.median([central(y(f)) for f in np.linspace(0.55, 0.85, 7)]))
    flat_sleeves = spread > FLAT_SPAN * max(below, 1)  # for the sleeve class only (the type rules
    # were tuned without it: with it our product renders' types fell 0.952 -> 0.881)
    sleeve_end = (max(three) - top) / hg if three else (0.25 if sleeves else 0.0)
    return dict(
        sleeve_px=_sleeve_length_px(shape, top, y(0.85), wg) if sleeves or flat_sleeves else 0.0,
        flat_sleeves=float(flat_sleeves),
        # narrowest body width below the armholes (sleeves that touch the body widen other rows)
        chest_w=1.1 * min(central(y(f)) or wg for f in np.linspace(0.3, 0.7, 9)),
        waist_w=float(shoulder),
        hg=hg,
        wg=wg,
        aspect=hg / max(shoulder, 1),
        split=split,
        notch=notch,
        hood=0.05 if hood_ring is not None else max(face, 0.01 * hood_profile),
        hood_lobe=hood_lobe(shape),
        sleeves=float(sleeves),
        sleeve_end=sleeve_end,
        top_w=(shoulder - 1) / max(body_w, 1) if edge else 0.0,
        body_w=body_w,
        hem_w=central(y(0.97)),
        hip_w=central(y(0.3)),  # a skirt's hip; product_spec_parts uses hip_w_dress for dresses
        hip_w_dress=central(y(0.5)),
        leg_ratio=_leg_width(shape, y(0.97), cx) / max(_leg_width(shape, y(0.3), cx), 1),
        crotch=_crotch(shape, top, bot, cx, hw),
        waist_row=waist,
        narrowest_w=float(middle.min()),
        top_over_waist=top_over_waist,
        armholes=float(armholes(shape)),
        # a skirt's hip, searched where its waistband's width puts it
        hip_row=hip,
        hip_w_bend=float(profile[int(hip * hg)]),
        # a dress's hip: half again as far below the waist as the waist is below the shoulder
        dress_hip_row=dress_hip,
        dress_hip_w_bend=float(profile[int(dress_hip * hg)]),
    )


# Armholes. A vest's side outline runs in from the shoulder point and out again at the underarm, on
# both sides at about one height; a jacket's sleeves laid along its body, hanging beside it or folded
# behind it leave an outline that only widens downwards (their measured "none" is the sleeves hidden,
# not absent). Read on the outline's half-width down each side over the top ARMHOLE_ROWS of the length:
# - step: how far it lies inside its concave hull (the line from shoulder point to underarm), from
#   the first row half as wide as the widest (a collar or hood above is left out);
# - dip: how far it lies inside the lesser of the widest rows above and below it, where the one
#   above is ARMHOLE_ABOVE of the one below at least (not the neck under a hood).
# Both as fractions of the garment's width, the smaller side's; the two dips within ARMHOLE_ROWS_APART
# of the length of each other, between ARMHOLE_FROM and ARMHOLE_TO. Chosen on train/outwear (30 of its
# 184 photos are vests, picked by eye: bench/data/sleeveless_photos.json): of its photos measured
# sleeveless on their own (118, 25 of them vests) 14 vests pass and none of the others, at steps
# 0.06-0.07 and dips 0.01-0.02 (hooded jackets step 0.07-0.09 at the neck, but their dips lie apart;
# the next jacket with dips together steps 0.055). Vests missed: armholes cut straight down from the
# shoulder point, or a mask that took in some wall. Short sleeves pass too (their hem above the body's
# side) and so do many long ones spread out: the outline alone does not make a vest (analyze.sleeveless_shape).
ARMHOLE_ROWS, ARMHOLE_ABOVE = 0.55, 0.6
ARMHOLE_STEP, ARMHOLE_DIP = 0.065, 0.015
ARMHOLE_ROWS_APART, ARMHOLE_FROM, ARMHOLE_TO = 0.15, 0.12, 0.5
# Shallow armholes: a flat-laid or hung puffer vest whose armhole is cut nearly straight down from the
# shoulder point and out at the underarm steps in 0.045-0.063 on each side and dips nowhere (its side
# never comes back out past the shoulder point), so the test above missed 7 of train/outwear's 30
# vests, which the sleeve head then called long. Such a step counts when it is a pair: on each side
# at least SHALLOW_STEP, the deeper under SHALLOW_RATIO of the shallower, their rows within
# SHALLOW_APART of the length of each other and both between SHALLOW_FROM and ARMHOLE_TO (a hood's
# neck steps at 0.16-0.24, above it). train/outwear, measured sleeveless on their own: 4 more of
# those 7 vests pass and none of the other photos (the nearest: a trench coat's collar and sleeves,
# steps 0.056 / 0.074, 1.30 times); the other 3 step 0.028 on one side, twice as deep on one side (a
# wall taken in) or at rows 0.14-0.2.
SHALLOW_STEP, SHALLOW_RATIO, SHALLOW_APART, SHALLOW_FROM = 0.04, 1.3, 0.08, 0.25


def _concave_hull(y: np.ndarray) -> np.ndarray:
    """The least concave function at or above ``y`` (over its indices): its upper hull."""
    hull: list[tuple[int, float]] = []
    for p in enumerate(map(float, y)):
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) < 0:
                break
            hull.pop()
        hull.append(p)
    hx, hy = np.array(hull).T
    return np.interp(np.arange(len(y)), hx, hy)


def _armhole_sides(shape: np.ndarray) -> list[tuple[float, float, float, float]]:
    """(step, its row, dip, its row) of the outline's left and right side (see the comment above
    ARMHOLE_ROWS): depths over its width, rows over its length."""
    ys, xs = np.nonzero(shape)
    top, hg, wg = ys.min(), ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    cx = float(np.median(xs))
    band = shape[top : top + max(3, int(ARMHOLE_ROWS * hg))]
    filled = band.any(axis=1)
    first = np.where(filled, band.argmax(axis=1), cx)
    last = np.where(filled, band.shape[1] - 1 - band[:, ::-1].argmax(axis=1), cx)
    sides = []
    for o in (cx - first, last - cx):
        o = np.maximum(o, 0.0)
        wide = np.flatnonzero(o > 0.5 * o.max())
        start = int(wide[0]) if wide.size else 0
        inside = _concave_hull(o[start:]) - o[start:]
        k = int(np.argmax(inside))
        above, below = np.maximum.accumulate(o), np.maximum.accumulate(o[::-1])[::-1]
        dip = np.where(above >= ARMHOLE_ABOVE * below, np.minimum(above, below) - o, 0.0)
        i = int(np.argmax(dip))
        sides.append((float(inside[k]) / wg, (start + k) / hg, float(dip[i]) / wg, i / hg))
    return sides


def armhole_depths(shape: np.ndarray) -> tuple[float, float, float, float]:
    """(the smaller side's step, the smaller side's dip, the left dip's row, the right dip's row) of
    the outline (see the comment above ARMHOLE_ROWS): depths over its width, rows over its length."""
    (step_l, _, dip_l, left), (step_r, _, dip_r, right) = _armhole_sides(shape)
    return min(step_l, step_r), min(dip_l, dip_r), left, right


def armholes(shape: np.ndarray) -> bool:
    """Whether the outline shows an armhole on each side: a step in and a dip (see the comment above
    ARMHOLE_ROWS), or a shallow step alike on both sides (SHALLOW_STEP)."""
    (step_l, at_l, dip_l, left), (step_r, at_r, dip_r, right) = _armhole_sides(shape)
    deep = (min(step_l, step_r) >= ARMHOLE_STEP and min(dip_l, dip_r) >= ARMHOLE_DIP
            and abs(left - right) <= ARMHOLE_ROWS_APART and ARMHOLE_FROM <= min(left, right)
            and max(left, right) <= ARMHOLE_TO)
    shallow = (min(step_l, step_r) >= SHALLOW_STEP and max(step_l, step_r) <= SHALLOW_RATIO * min(step_l, step_r)
               and abs(at_l - at_r) <= SHALLOW_APART and SHALLOW_FROM <= min(at_l, at_r)
               and max(at_l, at_r) <= ARMHOLE_TO)
    return deep or shallow


def _crotch(shape: np.ndarray, top: int, bot: int, cx: float, hw: int) -> float:
    """Where the legs part (fraction of the height): the end of the centre line's first filled run."""
    col = shape[top : bot + 1, int(cx) - hw : int(cx) + hw + 1].mean(axis=1) >= 0.5
    filled = np.flatnonzero(col)
    if not filled.size:
        return 0.0
    gaps = np.flatnonzero(~col[filled[0] :])  # past a notch at the top edge
    return float((filled[0] + gaps[0]) / max(bot - top, 1)) if gaps.size else 0.0


def _narrowest(widths: np.ndarray, offset: int) -> float:
    """Middle of the narrowest stretch (rows within 3 % of the minimum around it): where a bodice
    meets the skirt at nearly one width the minimum is flat, and its first row lies above the seam."""
    i = int(np.argmin(widths))
    near = widths <= 1.03 * widths[i]
    lo, hi = i, i
    while lo > 0 and near[lo - 1]:
        lo -= 1
    while hi < len(widths) - 1 and near[hi + 1]:
        hi += 1
    return offset + (lo + hi) / 2


def _bend(profile: np.ndarray, lo: int, hi: int) -> int:
    """Row where a two-segment straight-line fit of ``profile`` breaks (least squares)."""
    n = len(profile)
    y = np.arange(n, dtype=float)
    v = profile.astype(float)

    sums = [np.concatenate([[0.0], np.cumsum(q)]) for q in (np.ones(n), y, v, y * y, y * v, v * v)]

    def sse(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # line-fit residual of rows a..b (inclusive)
        k, sy, sv, syy, syv, svv = (c[b + 1] - c[a] for c in sums)
        var_y = syy - sy * sy / k
        cov = syv - sy * sv / k
        return svv - sv * sv / k - cov * cov / np.maximum(var_y, 1e-9)

    cand = np.arange(max(lo, 2), min(hi, n - 3) + 1)
    if not cand.size:
        return lo
    total = sse(np.zeros_like(cand), cand) + sse(cand, np.full_like(cand, n - 1))
    return int(cand[np.argmin(total)])


def _bend_near(profile: np.ndarray, guess: float) -> float:
    """The bend of a width profile within 0.6-1.6x of ``guess`` (fractions of its length)."""
    n = len(profile) - 1
    return _bend(profile, int(max(0.05, 0.6 * guess) * n), int(min(0.9, 1.6 * guess) * n)) / max(n, 1)


def _bend_below(profile: np.ndarray, waist: float) -> float:
    """The bend of the outline below the waist (a dress's hip), as a fraction of the length."""
    n = len(profile) - 1
    start = int(waist * n) + 2
    if len(profile) - start < 8:
        return 0.0
    return (start + _bend(profile[start:], int(0.1 * waist * n), int(waist * n))) / max(n, 1)


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
    has_hole = bool(segment.holes(ring).sum() > 0.05 * ring.sum())
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


def _dress_like(f: dict[str, float]) -> bool:
    """A dress's waist lies in the upper half of its length (the skirt hangs below it); a top
    ends at the hip, its waist in the lower half (synthetic shots: dresses <= 0.49, tops >= 0.5)."""
    return f.get("waist_row", 1.0) < 0.5 or f["aspect"] > 2.2


def _open_front(f: dict[str, float]) -> bool:
    """A front opening deeper than 15 cm is a jacket's or vest's (18-28 cm); a shirt's or dress's
    neckline is 5-13 cm. Centimetres from the waist ruler (a size M body); without one, a fifth
    of the garment's length."""
    w = f.get("waist_row", 0.0)
    if 0.35 < w < 0.8:
        return f["notch"] * (BODY["waist"] - BODY["shoulder"]) / w * M["height"] > 15.0
    return f["notch"] > 0.18


def classify_product(f: dict[str, float]) -> tuple[str, float]:
    if f["split"] > 0.5:
        return "pants", 0.7
    if f["hood"] > 0.004:
        return "hoodie", 0.65
    if not f["sleeves"]:
        if f.get("top_over_waist", 1.0) < 0.97:  # a waistband on top, not shoulders
            return "skirt", 0.65
        if _open_front(f) and f["aspect"] < 2.2:
            return "vest", 0.55
        return ("dress", 0.55) if _dress_like(f) else ("shirt", 0.45)
    if _open_front(f):
        return "jacket", 0.55
    return ("dress", 0.55) if _dress_like(f) else ("shirt", 0.6)


def _ruler_length(f: dict[str, float], t: str, by_width: float) -> tuple[float, bool]:
    """(the garment's length over the wearer's height from where a body landmark falls on it:
    crotch, waist, hip as a fraction of its own length, 0.0 when there is none; whether that was
    the hip). ``by_width``: the same from the width scale, a cross-check for faint landmarks."""

    def ruler(at: str, span: float) -> float:
        frac = f.get(at, 0.0)
        return span / frac if 0.08 < frac < 0.9 else 0.0

    if t == "pants":
        return ruler("crotch", RISE), False
    if t == "skirt":
        by_hip = ruler("hip_row", WAIST_TO_HIP)
        # a flared mini's hip bend is too faint to find: one far from where the width puts it is wrong
        if 0.8 < by_hip * SKIRT_WIDTH_BIAS / by_width < 1.4:
            return by_hip, True
        return by_width / SKIRT_WIDTH_BIAS, False
    if t == "dress":
        by_waist = ruler("waist_row", SHOULDER_TO_WAIST)
        by_hip = ruler("dress_hip_row", BODY["hip"] - BODY["shoulder"])
        # the hip is the sharper ruler (the bodice's fit moves the narrowest row, not the hip), but
        # a flared skirt can hide its bend: trust it where the waist roughly agrees
        found = (by_hip, True) if by_waist and 0.8 < by_hip / by_waist < 1.25 else (by_waist, False)
        # no dress hangs from the shoulders past the floor: a "waist" that high is the narrow top of
        # a flat-laid bodice (27 of 50 real train dresses read 1.0-1.5x the wearer's height), so
        # the width scale measures it
        return found if found[0] <= 1.0 - BODY["shoulder"] else (0.0, False)
    return 0.0, False


def product_spec_parts(f: dict[str, float], t: str) -> tuple[dict[str, Any], dict[str, float]]:
    """(attributes, measurements) of a lone garment, scaled by a vertical ruler (else its width)."""
    attrs: dict[str, Any] = {}
    meas: dict[str, float] = {}
    h = M["height"]
    if is_lower(t):
        scale = WAIST_CM / max(f["waist_w"], 1)  # the waistband across the top
    else:
        scale = CHEST_CM / max(f["chest_w"], 1)
    length = f["hg"] * scale
    ruler, at_hip = _ruler_length(f, t, length / h)  # length / height from a vertical body ruler
    if t == "dress" and ruler:
        scale = h * ruler / f["hg"]
    elif is_top(t) and 0.35 < f.get("waist_row", 0.0) < 0.8:
        # a top's narrowest row is the natural waist, BODY waist - shoulder below its top edge
        scale = h * (BODY["waist"] - BODY["shoulder"]) / (f["waist_row"] * f["hg"])
        length = f["hg"] * scale
    if t == "skirt":
        meas["skirt_length"] = ruler * h if ruler else length
    elif t == "pants":
        meas["pant_length"] = ruler * h if ruler else length
    elif t == "dress":  # the garment starts at the shoulder line
        top = BODY["shoulder"] if ruler else BODY["waist"] - 0.225
        meas["skirt_length"] = (top + (ruler or length / h) - BODY["waist"]) * h
    else:  # a bodice is measured from the side of the neck, above the shoulder line
        meas["bodice_length"] = length + (BODY["shoulder"] - BODY["neck"] - 0.01) * h
    if t in ("dress", "skirt"):
        attrs["length"] = length_class(0.38 + meas["skirt_length"] / h)
        # hem over hip: at the hip bend where one was found, else at a fixed fraction of the length
        if at_hip:
            # a body's hip is 1.25-1.35x its waist around (1.3-1.45x seen from the front): a skirt
            # wider than that at the hip already flares there, and the excess counts as flare
            waist_w = f["narrowest_w"] if t == "dress" else f["waist_w"]
            hip_w = min(f["dress_hip_w_bend" if t == "dress" else "hip_w_bend"], HIP_OVER_WAIST * waist_w)
        else:
            hip_w = f["hip_w_dress" if t == "dress" else "hip_w"]
        ratio = f["hem_w"] / max(hip_w, 1)
        attrs["silhouette"] = silhouette_class(ratio, t)
    if t == "pants":
        hem = 0.38 + meas["pant_length"] / h
        attrs["length"] = length_class(hem)
        # as on a person (analyze.attributes): a straight leg narrows from thigh to hem, the
        # more the longer the leg; a wide leg keeps its width
        along = float(np.clip((hem - BODY["crotch"]) / (BODY["ankle"] - BODY["crotch"]), 0, 1))
        attrs["silhouette"] = "wide-leg" if f["leg_ratio"] > 1.22 - 0.45 * along else "fitted"
    if has_bodice(t):
        flat = f.get("flat_sleeves") and "sleeve_length" in TYPES[t].params + TYPES[t].late_params  # not a vest
        sleeve = f["sleeve_px"] * scale if f["sleeves"] or flat else 0.0
        attrs["sleeves"] = sleeve_class(sleeve / (ARM_LENGTH * h))
        meas["sleeve_length"] = 0.0 if attrs["sleeves"] == "none" else max(17.0, sleeve)
        if f["notch"] < 0.5:
            meas["neckline_depth"] = f["notch"] * f["hg"] * scale
    return attrs, {k: round(float(v), 1) for k, v in meas.items()}
