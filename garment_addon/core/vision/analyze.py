"""Photo -> GarmentSpec.

Offline (default): segment the person (segment.py, or MediaPipe when installed), find the
body's colour from the face, split the clothing into garments by colour, pick the dominant
garment and measure its silhouette in a body frame (fractions of standing height from the
top of the head, see categories.BODY): where it starts and ends, whether it splits into
two legs, how far the sleeves run down the arms, a hood around the face, a deep front
opening, hem vs hip width. Rules turn that into a type, categorical attributes, a
confidence per field and measurements scaled to the body.

``vlm`` asks a configured VLM (core.vlm) for the categories; ``auto`` tries the VLM and
falls back to the offline result with a warning.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from ..categories import (
    ARM_LENGTH,
    BODY,
    LENGTH_EDGES,
    SLEEVE_EDGES,
    length_class,
    measurements_from_categories,
    silhouette_class,
    sleeve_class,
)
from ..errors import UserError
from ..fabric import rgb_hex
from ..garments import has_bodice, is_top
from ..imageio import as_rgb_array
from ..progress import Progress
from ..spec import MEASUREMENTS, SIZE_TABLE, GarmentSpec, nearest_size
from .body_frame import Frame, body_frame
from .laid_out import body_coloured, laid_out_garment, person_in_photo
from .segment import (
    _clean,
    detect_face,
    easy_background,
    holes,
    resize_for_analysis,
    segment_person,
    skin_like,
    symmetry_axis,
)

log = logging.getLogger(__name__)
BACKENDS = ("offline", "vlm", "auto")


@dataclass
class Analysis:
    """Everything the offline analyzer measured (for tests, the bench and the refinement loop)."""

    person: np.ndarray
    garment: np.ndarray
    frame: Frame | None
    method: str
    features: dict[str, float] = field(default_factory=dict)
    garment_type: str = "shirt"
    attributes: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)
    colours: list[list[int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    landmarks: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    measured: dict[str, float] | None = None  # product shots measure centimetres directly
    classifier: dict[str, Any] = field(default_factory=dict)  # top types, sleeve/length probabilities
    refusal: str | None = None  # set when the photo shows no garment we draft (analyze_image raises it)
    items: list[np.ndarray] = field(default_factory=list)  # a worn photo's garments, largest first


# a garment that starts this far down the body (fraction of height) is a bottom: skirt or trousers
TOP_START = 0.29
BOTTOMS = ("skirt", "pants")


def choose_garment(a: Analysis, garment_type: str) -> bool:
    """Make ``a.garment`` the largest garment of a worn photo that ``garment_type`` can be: a top
    or dress starts at the shoulders, a skirt or trousers below the waist (the larger one is not
    always the one wanted: trousers below a shirt). Re-measures it; True when it changed."""
    if a.frame is None or a.measured is not None or len(a.items) < 2:
        return False
    for m in a.items:
        if (np.percentile(a.frame.f(np.nonzero(m)[0]), 1) > TOP_START) == (garment_type in BOTTOMS):
            if m is a.garment:
                return False
            a.garment = m
            a.features = measure_item(m, a.person, a.frame)
            a.others = _other_garments(a)
            return True
    return False


def _other_garments(a: Analysis) -> list[str]:
    """The types of a worn photo's other sizeable garments (8 % of the garment's area or more)."""
    others: list[str] = []
    for m in a.items:
        if m is a.garment or m.sum() < 0.08 * a.garment.sum():
            continue
        t, _ = classify(measure_item(m, a.person, a.frame))
        t = "shirt" if is_top(t) and a.garment_type == "jacket" else t
        if t not in others:
            others.append(t)
    return others


# -- body frame -----------------------------------------------------------------------------------
# -- body vs clothing ------------------------------------------------------------------------------
# The body's colour around the face's (OpenCV Lab, 0-255): lightness from BODY_DARKER below the
# face's 5th percentile (shade) to BODY_LIGHTER above its 95th (lit skin); tint (a, b) within
# FACE_TINT of the face's, or within SKIN_TINT for skin-like pixels of a skin-coloured face (limbs
# in other light) whose hue turns less than SKIN_HUE degrees from the face's: skin keeps its hue
# in shade, a pink garment beside pale skin is 30+ degrees redder.
BODY_DARKER, BODY_LIGHTER = 25.0, 30.0
FACE_TINT, SKIN_TINT, SKIN_HUE = 13.0, 24.0, 15.0


def _hue(lab: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(lab[..., 2] - 128, lab[..., 1] - 128))


def body_pixels(lab: np.ndarray, person: np.ndarray, fr: Frame) -> tuple[np.ndarray, np.ndarray | None]:
    """Pixels that look like the body (face colour, or skin when the face is skin)."""
    y0, y1 = fr.y(0.075), fr.y(0.118)
    hw = max(2, int(0.022 * fr.height))
    x0, x1 = int(fr.cx) - hw, int(fr.cx) + hw + 1
    face = lab[max(y0, 0) : max(y1, 1), max(x0, 0) : x1][person[max(y0, 0) : max(y1, 1), max(x0, 0) : x1]]
    skin = skin_like(lab)
    if len(face) < 10 or not fr.has_head:
        return skin & person, None
    ref = np.median(face, axis=0)
    lo, hi = np.percentile(face[:, 0], [5, 95])
    chroma = np.linalg.norm(lab[..., 1:] - ref[1:], axis=2)
    lit = (lab[..., 0] > lo - BODY_DARKER) & (lab[..., 0] < hi + BODY_LIGHTER)
    body = (chroma < FACE_TINT) & lit
    if skin_like(ref[None, None, :])[0, 0]:
        # arms and legs in other light: a wider tint, the same lightness (a pink skirt on dark skin
        # is skin-like in tint only) and hue
        turn = np.abs((_hue(lab) - _hue(ref) + 180) % 360 - 180)
        body |= skin & (chroma < SKIN_TINT) & lit & (turn < SKIN_HUE)
    return body & person, ref


# share of the background just beside a colour region that has its colour, above which the region
# is background joined to the person (bench_refine clutter photos: 0.2-0.6 measure the same)
CONTINUES_OUTSIDE = 0.3


def garment_items(
    lab: np.ndarray, clothes: np.ndarray, min_px: int, outside: np.ndarray | None = None,
    leaks: list[np.ndarray] | None = None, join_prints: bool = False,
) -> list[np.ndarray]:
    """Split clothing pixels into garments by colour (shading-tolerant: lightness counts half).

    ``join_prints``: colours that alternate in bands are one printed garment (``_join_prints``).

    ``outside``: background pixels next to the person; a colour region that carries on into them
    is background cut at the person's outline and is neither a garment nor a panel of one (it is
    appended to ``leaks`` when given)."""
    pts = lab[clothes].astype(np.float32)
    if len(pts) < min_px:
        return []
    feat = pts * np.array([0.5, 1.0, 1.0], np.float32)
    k = int(min(5, max(1, len(pts) // 200)))
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(0)
    _, labels, centres = cv2.kmeans(feat, k, None, crit, 2, cv2.KMEANS_PP_CENTERS)
    labels = labels.ravel()
    # merge clusters of one colour (shading splits a garment into light and dark halves)
    group = list(range(k))
    for i in range(k):
        for j in range(i):
            if np.linalg.norm(centres[i] - centres[j]) < 22:
                gi, gj = group[i], group[j]
                group = [gj if g == gi else g for g in group]
    ys, xs = np.nonzero(clothes)
    kernel = np.ones((3, 3), np.uint8)
    masks = []
    for g in sorted(set(group)):
        m = np.zeros(clothes.shape, np.uint8)
        sel = np.isin(labels, [i for i in range(k) if group[i] == g])
        m[ys[sel], xs[sel]] = 1
        m = cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)
        masks.append(cv2.morphologyEx(m, cv2.MORPH_CLOSE, kernel))
    if join_prints:
        masks = _join_prints(_join_shading(masks, lab), max(1, min_px // 4))
    items = []
    bridge = np.ones((1, max(3, int(SIDE_GAP * max(clothes.shape)))), np.uint8)
    for m in masks:
        # one colour can be two garments (a shirt seen under a jacket and a skirt below it)
        n, lab_c, stats, _ = cv2.connectedComponentsWithStats(m, 8)
        pieces = [lab_c == i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_px]
        items += _bridge_sides(pieces, bridge) if join_prints else pieces
    if outside is not None:
        cut = [_continues_outside(m, lab, outside) for m in items]
        if not all(cut):
            if leaks is not None:
                leaks += [m for m, c in zip(items, cut, strict=True) if c]
            items = [m for m, c in zip(items, cut, strict=True) if not c]
    return _merge_panels(items)


# the least garment: this share of height² (a full figure), or of the person's visible pixels (a
# portrait's frame reaches far below the photo: its height² is no measure of what shows)
MIN_ITEM, MIN_ITEM_SHARE = 0.004, 0.04
SIDE_GAP = 0.06  # of the image's longer side: a strap or zip between two parts of one colour
SAME_ROWS = 0.7  # share of the shorter part's rows the two parts share (hair over a top shares ~0.5)


def _bridge_sides(pieces: list[np.ndarray], bridge: np.ndarray) -> list[np.ndarray]:
    """Pieces of one colour joined where they lie side by side, in the same rows, across a gap
    narrower than ``bridge`` (a strap, zip or placket between two halves of one garment)."""
    out = list(pieces)
    i = 0
    while i < len(out):
        reach = cv2.dilate(out[i].astype(np.uint8), bridge).astype(bool)
        rows_i = np.flatnonzero(out[i].any(axis=1))
        for j in range(i + 1, len(out)):
            rows_j = np.flatnonzero(out[j].any(axis=1))
            shared = min(rows_i[-1], rows_j[-1]) - max(rows_i[0], rows_j[0])
            short = min(rows_i[-1] - rows_i[0], rows_j[-1] - rows_j[0])
            if (reach & out[j]).any() and shared >= SAME_ROWS * short:
                out[i] = out[i] | out.pop(j)
                break
        else:
            i += 1
    return out

# a garment's lit and shaded sides (folds, a body turned to the light): the same tint (a, b within
# SHADE_TINT) at another lightness, one around the other (this share of the smaller's outline lies
# within 2 px of the other; a skirt below a top of its tint shares only the waist: 0.1-0.2).
# Greys are left apart: a black top and a grey skirt share their tint.
SHADE_TINT, SHADE_MIXED, SHADE_CHROMA = 12.0, 0.5, 15.0


def _merged_where(masks: list[np.ndarray], same) -> list[np.ndarray]:
    """The masks with every pair that ``same(i, j)`` accepts (and what joins them) merged."""
    group = list(range(len(masks)))
    for i in range(len(masks)):
        for j in range(i):
            if group[i] != group[j] and same(i, j):
                gi, gj = group[i], group[j]
                group = [gj if g == gi else g for g in group]
    return [np.logical_or.reduce([masks[i] for i in range(len(masks)) if group[i] == g]).astype(np.uint8)
            for g in sorted(set(group))]


def _join_shading(masks: list[np.ndarray], lab: np.ndarray) -> list[np.ndarray]:
    """Colour masks merged where they are one coloured cloth in light and in shade."""
    tints = [np.median(lab[m > 0][:, 1:].astype(np.float32), axis=0) - 128 if m.any() else None for m in masks]

    def same(i: int, j: int) -> bool:
        ti, tj = tints[i], tints[j]
        if ti is None or tj is None or min(np.linalg.norm(ti), np.linalg.norm(tj)) < SHADE_CHROMA:
            return False
        if np.linalg.norm(ti - tj) >= SHADE_TINT:
            return False
        small, big = sorted((masks[i], masks[j]), key=lambda m: int(m.sum()))
        edge = small & (1 - cv2.erode(small, np.ones((3, 3), np.uint8)))
        return (cv2.dilate(big, np.ones((5, 5), np.uint8)) & edge).sum() >= SHADE_MIXED * edge.sum()

    return _merged_where(masks, same)


# pieces of each of two colours, alternating within the region both cover, that make one print:
# stripes alternate many times; a shirt seen in a jacket's opening is one piece (or two beside it)
PRINT_PIECES = 3


def _join_prints(masks: list[np.ndarray], min_piece: int) -> list[np.ndarray]:
    """Colour masks merged where two colours alternate in pieces: a striped or blocked print.

    Colour clusters split a printed garment into its colours, each in bands; only the largest
    band was measured (a red band of a dress read as shorts). Two colours are one print when
    one region of their union holds at least ``PRINT_PIECES`` pieces of each."""
    pieces = []
    for m in masks:
        n, lab_c, stats, _ = cv2.connectedComponentsWithStats(m, 8)
        pieces.append((lab_c, {i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_piece}))

    def same(i: int, j: int) -> bool:
        if min(len(pieces[i][1]), len(pieces[j][1])) < PRINT_PIECES:
            return False
        _, regions = cv2.connectedComponents(cv2.dilate(masks[i] | masks[j], np.ones((3, 3), np.uint8)), connectivity=8)
        for r in np.unique(regions[masks[i] > 0]):
            inside = regions == r
            if all(len(set(np.unique(lab_c[inside])) & big) >= PRINT_PIECES for lab_c, big in (pieces[i], pieces[j])):
                return True
        return False

    return [cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) for m in _merged_where(masks, same)]


def _continues_outside(item: np.ndarray, lab: np.ndarray, outside: np.ndarray) -> bool:
    """Whether most background pixels just beside ``item`` have its colour: a box or chair that
    segmentation joined to the person and the symmetry trim cut at the figure's outline goes on
    beyond it, a garment ends at its own edge against a different background."""
    r = 2 * max(2, int(0.01 * max(item.shape)))
    near = cv2.dilate(item.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)).astype(bool) & outside
    if near.sum() < 20:
        return False
    w = np.array([0.5, 1.0, 1.0], np.float32)
    c = np.median(lab[item].astype(np.float32), axis=0) * w
    return float((np.linalg.norm(lab[near].astype(np.float32) * w - c, axis=1) < 14).mean()) > CONTINUES_OUTSIDE


def _merge_panels(items: list[np.ndarray]) -> list[np.ndarray]:
    """Join differently coloured panels of one garment: side by side, same height band, touching.

    An inner layer seen through an opening (a shirt under a jacket) lies inside the outer
    garment's hull and stays separate.
    """
    changed = True
    while changed and len(items) > 1:
        changed = False
        items.sort(key=lambda m: -int(m.sum()))
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                if _same_garment(items[i], items[j]):
                    items[i] = items[i] | items[j]
                    del items[j]
                    changed = True
                    break
            if changed:
                break
    return items


def _same_garment(big: np.ndarray, small: np.ndarray) -> bool:
    yb, ys_ = np.nonzero(big)[0], np.nonzero(small)[0]
    lo, hi = max(yb.min(), ys_.min()), min(yb.max(), ys_.max())
    if hi <= lo or (hi - lo) < 0.7 * (ys_.max() - ys_.min()):
        return False
    touch = cv2.dilate(big.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & small
    if touch.sum() < 0.02 * small.sum():
        return False
    hull = np.zeros(big.shape, np.uint8)
    pts = cv2.findNonZero(big.astype(np.uint8))
    cv2.fillConvexPoly(hull, cv2.convexHull(pts), 1)
    return (hull.astype(bool) & small).sum() < 0.5 * small.sum()


# -- measuring one garment --------------------------------------------------------------------------
def _central_run(mask: np.ndarray, y: int, cx: float, gap: int = 2) -> float:
    """Width of the run of ``mask`` through x = cx in row y (gaps up to ``gap`` px bridged)."""
    if not 0 <= y < mask.shape[0]:
        return 0.0
    xs = np.flatnonzero(mask[y])
    if not xs.size:
        return 0.0
    runs = np.split(xs, np.flatnonzero(np.diff(xs) > gap + 1) + 1)
    best = min(runs, key=lambda r: 0 if r[0] <= cx <= r[-1] else min(abs(r[0] - cx), abs(r[-1] - cx)))
    return float(best[-1] - best[0] + 1)


def _sleeve_fraction(item: np.ndarray, person: np.ndarray, fr: Frame) -> float:
    """How far down the arms the garment reaches: the outermost person pixel per row, each side."""
    # look a little inside the outline: the clothing mask is eroded at the person's edge
    inset, width = max(2, int(0.006 * fr.height)), max(3, int(0.015 * fr.height))
    fracs = []
    for side in (0, 1):
        hits = []
        for y in range(fr.y(0.19), min(fr.y(0.6), person.shape[0])):
            xs = np.flatnonzero(person[y])
            if xs.size < 2:
                hits.append(False)
                continue
            x = xs[0] + inset if side == 0 else xs[-1] - inset
            x0, x1 = sorted((x, x + (width if side == 0 else -width)))
            hits.append(bool(item[y, max(x0, 0) : x1 + 1].any()))
        if not hits or not any(hits[:3]):
            fracs.append(0.0)
            continue
        end = len(hits)
        for i in range(len(hits)):
            if not any(hits[i : i + 3]):
                end = i
                break
        f_end = BODY["shoulder"] + 0.01 + end / fr.height
        fracs.append(float(np.clip((f_end - BODY["shoulder"]) / (BODY["wrist"] - BODY["shoulder"]), 0, 1.1)))
    return float(np.mean(fracs))


def _sleeve_spread(item: np.ndarray, fr: Frame, cx: float, bottom: float) -> float:
    """How far the garment spreads sideways below the shoulders, over its bodice's width.

    Sleeves stick out beyond the bodice onto the arms (about 1.4 and more in an A-pose);
    a sleeveless bodice is no wider under the arms than at the waist (about 1.0). The outermost
    person pixels alone cannot tell: a sleeveless garment still covers the shoulder point.
    """
    reach = int(0.3 * fr.height)  # arms' span from the centre line
    x0, x1 = max(int(cx) - reach, 0), int(cx) + reach + 1
    ref = _central_run(item, fr.y(min(BODY["waist"] - 0.02, bottom - 0.03)), cx)
    widths = []
    for y in range(fr.y(BODY["shoulder"] + 0.02), fr.y(min(BODY["shoulder"] + 0.08, bottom - 0.05))):
        if 0 <= y < item.shape[0]:
            xs = np.flatnonzero(item[y, x0:x1])
            widths.append(float(xs[-1] - xs[0] + 1) if xs.size else 0.0)
    return float(np.median(widths)) / ref if widths and ref > 0 else 1.0


# A sleeveless bodice still covers the shoulder point: the outline reads as garment down to about
# a fifth of the arm (Blender renders 0.13-0.19, synthetic photos up to 0.1; short sleeves 0.3+).
SHOULDER_CAP = 0.25
HOOD_MIN = 0.0003  # garment area beside the face (x height^2) that makes a hood (snug Blender hoods: 0.0005+)


def _no_sleeves(fraction: float, spread: float) -> bool:
    """Sleeveless although the outline reads some garment on the arms: only the shoulder cap is
    covered and the garment barely spreads under the arms (short sleeves spread 1.3-2x the waist),
    or the garment is no wider under the arms than at the waist (then the garment pixels along the
    arms' outline are a segmentation leak). Long sleeves and hoodies are kept: long sleeves hanging
    close to a loose bodice can be as narrow there."""
    if fraction < 0:  # unknown (arms out of the photo)
        return False
    if fraction < 0.12:
        return True
    return (fraction < SHOULDER_CAP and spread < 1.45) or (0.9 < spread < 1.2 and fraction < 0.7)


def _opening(item: np.ndarray, fr: Frame, cx: float) -> tuple[float, float]:
    """(depth, shape) of the front neck opening: depth in height fractions below the neck base;
    shape = opening width half-way down / at the top (about 0.5 for a V, about 0.9 for a scoop)."""
    hw = max(1, int(0.008 * fr.height))
    x0, x1 = int(cx) - hw, int(cx) + hw + 1
    start = fr.y(0.14)
    depth_y = None
    for y in range(start, min(fr.y(0.6), item.shape[0])):
        if item[y, max(x0, 0) : x1].mean() >= 0.5:
            depth_y = y
            break
    if depth_y is None:
        return 0.0, 1.0
    depth = float(fr.f(depth_y) - (BODY["shoulder"] - 0.025))

    def gap_width(y: int) -> float:
        row = item[y]
        left = np.flatnonzero(row[: int(cx)])
        right = np.flatnonzero(row[int(cx) :])
        if not left.size or not right.size:
            return 0.0
        return float(int(cx) + right[0] - left[-1])

    y_top = fr.y(BODY["shoulder"] - 0.015)
    y_mid = (y_top + depth_y) // 2
    w_top = gap_width(y_top)
    return depth, (gap_width(y_mid) / w_top if w_top > 0 else 1.0)


def _leg_split(item: np.ndarray, fr: Frame, cx: float, f_lo: float, f_hi: float) -> float:
    """Fraction of rows between f_lo and f_hi where the garment has a gap at the centre line."""
    hw = max(1, int(0.012 * fr.height))
    rows = range(fr.y(f_lo), min(fr.y(f_hi), item.shape[0]))
    hits = [not item[y, max(int(cx) - hw, 0) : int(cx) + hw + 1].all() for y in rows if item[y].any()]
    return float(np.mean(hits)) if hits else 0.0


def _legs_width(item: np.ndarray, y: int, cx: float) -> float:
    """Width of one leg at row y (the wider side of the centre line)."""
    if not 0 <= y < item.shape[0]:
        return 0.0
    row = item[y]
    return float(max(row[: int(cx)].sum(), row[int(cx) :].sum()))


def _hood(mask: np.ndarray, fr: Frame, cx: float) -> float:
    """Garment on both sides of the face between eyes and chin (hair sits on top, a hood around)."""
    band = mask[max(fr.y(0.06), 0) : max(fr.y(0.125), 0)]
    if band.size == 0:
        return 0.0
    half = max(1, int(0.03 * fr.height))  # the face's half width
    left = band[:, : max(int(cx) - half, 0)].sum()
    right = band[:, int(cx) + half :].sum()
    return float(min(left, right) / fr.height**2)


def measure_item(
    item: np.ndarray, person: np.ndarray, fr: Frame, hood_px: np.ndarray | None = None
) -> dict[str, float]:
    ys, xs = np.nonzero(item)
    f = fr.f(ys)
    feats: dict[str, float] = {
        "top": float(np.percentile(f, 1)),
        "bottom": float(np.percentile(f, 99.5)),
        "area": float(len(ys) / fr.height**2),
    }
    torso = (f > 0.2) & (f < 0.45)
    cx = float(np.median(xs[torso])) if torso.sum() > 20 else fr.cx
    feats["cx"] = cx
    feats["hood"] = _hood(item, fr, cx) if hood_px is None else _hood(hood_px, fr, cx)
    # arms that leave the photo above the wrists cannot show where a sleeve ends: unknown (-1)
    arms_out = fr.y(BODY["wrist"]) >= item.shape[0]
    feats["sleeves"] = (
        (-1.0 if arms_out else _sleeve_fraction(item, person, fr)) if feats["top"] < TOP_START else 0.0
    )
    feats["spread"] = _sleeve_spread(item, fr, cx, feats["bottom"]) if feats["top"] < TOP_START else 1.0
    if feats["hood"] <= HOOD_MIN and _no_sleeves(feats["sleeves"], feats["spread"]):
        feats["sleeves"] = 0.0
    depth, shape = _opening(item, fr, cx) if feats["top"] < TOP_START else (0.0, 1.0)
    feats["opening"], feats["opening_shape"] = depth, shape
    bot = feats["bottom"]
    # the photo's bottom edge cuts the garment: its true length is unknown
    feats["cut"] = float(ys.max() >= item.shape[0] - max(3, int(0.04 * min(item.shape))))
    feats["split"] = _leg_split(item, fr, cx, BODY["crotch"] + 0.05, bot - 0.01) if bot > 0.6 else 0.0
    # widths of the run through the centre line: sleeves and hands beside a skirt do not count
    feats["hip_w"] = _central_run(item, fr.y(BODY["hip"]), cx) / fr.height
    feats["hem_w"] = _central_run(item, fr.y(bot - 0.015), cx) / fr.height
    thigh = _legs_width(item, fr.y(BODY["crotch"] + 0.04), cx)
    feats["leg_ratio"] = _legs_width(item, fr.y(bot - 0.02), cx) / thigh if thigh else 1.0
    return feats


def classify(feats: dict[str, float]) -> tuple[str, float]:
    """(garment type, confidence) from measured silhouette features (rules; see module doc)."""

    def conf(margin: float, scale: float) -> float:
        return float(np.clip(0.55 + 0.45 * abs(margin) / scale, 0.55, 0.97))

    top, bot = feats["top"], feats["bottom"]
    if top > TOP_START:
        s = feats["split"]
        return ("pants", conf(s - 0.3, 0.4)) if s >= 0.3 else ("skirt", conf(s - 0.3, 0.3))
    c_top = conf(TOP_START - top, 0.1)
    if feats["hood"] > HOOD_MIN:
        return "hoodie", min(c_top, conf(feats["hood"] - HOOD_MIN, 0.001))
    deep = feats["opening"] - 0.08
    long_ = bot - 0.605  # a long shirt ends above 0.6, a mini dress below 0.62
    if 0 <= feats["sleeves"] < 0.12:
        if deep > 0 and bot < 0.63:
            return "vest", min(c_top, conf(deep, 0.05))
        if long_ > 0:
            return ("pants", 0.5) if feats["split"] > 0.5 else ("dress", conf(long_, 0.08))
        return "shirt", min(conf(deep, 0.05), conf(long_, 0.08))
    if deep > 0:
        return "jacket", min(c_top, conf(deep, 0.05))
    if long_ > 0:
        return ("pants", 0.5) if feats["split"] > 0.5 else ("dress", min(c_top, conf(long_, 0.08)))
    return "shirt", min(c_top, conf(long_, 0.08), conf(deep, 0.05))


def attributes(t: str, feats: dict[str, float]) -> tuple[dict[str, Any], dict[str, float]]:
    attrs: dict[str, Any] = {}
    confs: dict[str, float] = {}
    bot = feats["bottom"]
    if not is_top(t):
        attrs["length"] = length_class(bot)
        confs["length"] = float(np.clip(0.5 + 8 * np.min(np.abs(np.array(LENGTH_EDGES) - bot)), 0.5, 0.95))
    else:
        attrs["length"] = "cropped" if bot < 0.45 else ("hip" if bot < 0.58 else "long")
        confs["length"] = 0.6
    if feats.get("cut"):
        attrs["length"] = {"dress": "knee", "skirt": "knee", "pants": "ankle"}.get(t, "hip")
        confs["length"] = 0.15
    if has_bodice(t):
        s = feats["sleeves"]
        attrs["sleeves"] = sleeve_class(s) if s >= 0 else None
        margin = np.min(np.abs(np.array(SLEEVE_EDGES) - s))
        confs["sleeves"] = float(np.clip(0.5 + 3 * margin, 0.5, 0.95)) if s >= 0 else 0.1
        d = feats["opening"]
        attrs["neckline"] = (
            "hood"
            if t == "hoodie"
            else "crew"
            if d < 0.055
            else "v-neck"
            if feats["opening_shape"] < 0.7
            else "scoop"
        )
        confs["neckline"] = 0.5
    if t in ("dress", "skirt"):
        ratio = feats["hem_w"] / feats["hip_w"] if feats["hip_w"] else 1.0
        attrs["silhouette"] = silhouette_class(ratio, t)
        confs["silhouette"] = float(np.clip(0.5 + 1.5 * min(abs(ratio - 1.12), abs(ratio - 1.6)), 0.5, 0.9))
    elif t == "pants":
        # a straight leg narrows from thigh to ankle; shorts end where the leg is still wide
        along = np.clip((bot - BODY["crotch"]) / (BODY["ankle"] - BODY["crotch"]), 0, 1)
        limit = 1.0 - 0.45 * along + 0.22
        attrs["silhouette"] = "wide-leg" if feats["leg_ratio"] > limit else "fitted"
        confs["silhouette"] = float(np.clip(0.5 + 1.5 * abs(feats["leg_ratio"] - limit), 0.5, 0.9))
    return attrs, confs


def measurements(t: str, attrs: dict[str, Any], feats: dict[str, float], size: str) -> dict[str, float]:
    """Centimetres from the silhouette, scaled by the body's height for the estimated size."""
    h = SIZE_TABLE[size]["height"]
    m: dict[str, float] = {}
    bot = feats["bottom"]
    if t in ("dress", "skirt"):
        m["skirt_length"] = (bot - BODY["waist"]) * h
        ratio = feats["hem_w"] / feats["hip_w"] if feats["hip_w"] else 1.0
        m["flare"] = max(0.0, SIZE_TABLE[size]["hip"] * (ratio - 1.03) / 4)
    elif t == "pants":
        m["pant_length"] = (min(bot, BODY["ankle"] + 0.01) - BODY["waist"]) * h
        if attrs.get("silhouette") == "wide-leg":
            m["ankle"] = SIZE_TABLE[size]["ankle"] * 2.0
    else:
        m["bodice_length"] = (bot - BODY["neck"] - 0.01) * h
    if has_bodice(t):
        s = feats["sleeves"]
        if s >= 0:  # unknown sleeves keep the type's default length
            m["sleeve_length"] = (
                0.0 if attrs["sleeves"] == "none" else max(17.0, min(s, 1.0) * ARM_LENGTH * h)
            )
        if feats["opening"] > 0.02:
            m["neckline_depth"] = feats["opening"] * h
    if feats.get("cut"):  # a hem outside the photo: keep the type's default length
        for k in ("skirt_length", "pant_length", "bodice_length"):
            m.pop(k, None)
    out = {}
    for k, v in m.items():
        f = MEASUREMENTS[k]
        out[k] = round(float(np.clip(v, f.lo, f.hi)), 1)
    return out


def _estimate_size(person: np.ndarray, fr: Frame) -> str:
    """Size from the torso's width at the bust relative to height (includes clothing ease)."""
    y = fr.y(BODY["bust"])
    if not 0 <= y < person.shape[0]:
        return "M"
    row = person[y]
    cx = int(fr.cx)
    if not row[cx]:
        return "M"
    left = cx - np.argmin(row[cx::-1]) if not row[:cx].all() else 0
    right = cx + np.argmin(row[cx:]) if not row[cx:].all() else len(row)
    width_cm = (right - left) / fr.height * SIZE_TABLE["M"]["height"]
    return nearest_size(width_cm / 0.345)


# -- entry points ----------------------------------------------------------------------------------
def segment_garment(image, garment_type: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(dominant garment mask, person mask) at the image's own resolution; with ``garment_type``
    the garment of a worn photo is the one that type can be (a top or a bottom)."""
    garment, person, _ = photo_masks(image, garment_type)
    return garment, person


def photo_masks(
    image, garment_type: str | None = None, decoded: tuple[np.ndarray, np.ndarray | None] | None = None
) -> tuple[np.ndarray, np.ndarray, bool]:
    """(garment mask, person mask, worn) at the image's own resolution; worn is False for a garment
    on its own (product shot, flat lay, cut-out), whose "person" mask is only the garment's outline.
    ``decoded``: the image's (rgb, alpha) when already loaded."""
    rgb, alpha = decoded if decoded is not None else as_rgb_array(image)
    a = analyze_array(rgb, alpha, learned=False)  # masks only: the classifier's type is not needed
    if garment_type is not None:
        choose_garment(a, garment_type)
    return _masks(a, rgb)


def _masks(a: Analysis, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """photo_masks' answer from an analysis of ``rgb``."""
    h, w = rgb.shape[:2]
    up = [
        cv2.resize(m.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
        for m in (a.garment, a.person)
    ]
    return up[0], up[1], a.measured is None


def _person_mask(rgb: np.ndarray, alpha: np.ndarray | None) -> tuple[np.ndarray, str, dict]:
    """(person mask, method, pose landmarks {name: (x, y, visibility)} or {})."""
    easy = easy_background(rgb, alpha)  # transparent or plain: exact without a model
    if alpha is None and easy is None:
        laid = laid_out_garment(rgb)  # a garment alone on a floor, bed or hanger (laid_out.py)
        if laid is not None:
            return laid, "laid-out", {}
    if alpha is None and easy is None and os.environ.get("GARMENT_VISION_MEDIAPIPE", "1") != "0":
        from . import mp_backend

        if mp_backend.available():
            mask, marks = mp_backend.segment(rgb)
            if mask is not None and mask.mean() > 0.02:
                return _clean(mask), "mediapipe", marks
    mask, method = easy if easy is not None else segment_person(rgb, alpha)
    return mask, method, {}


# A frontal-face detector box spans about 1/1.65 of the head; the head is 0.13 of standing height.
FACE_TO_HEIGHT = 1.65 / 0.13
FACE_TOP_OFFSET = 0.45  # the top of the head lies this many box sizes above the box


def frame_from_face(rgb: np.ndarray, person: np.ndarray) -> Frame | None:
    """Body frame from a detected face (OpenCV's Haar cascade): portraits and crops without feet."""
    face = detect_face(rgb)
    if face is None:
        return None
    x, y, w, h = face
    if not person[y + h // 2, x + w // 2]:
        return None
    return Frame(float(y - FACE_TOP_OFFSET * h), float(FACE_TO_HEIGHT * h), float(x + w / 2), False, True)


# Where pose landmarks sit, as fractions of standing height from the top of the head.
LANDMARK_LEVELS = {
    "nose": 0.065,
    "left_shoulder": 0.185,
    "right_shoulder": 0.185,
    "left_hip": 0.49,
    "right_hip": 0.49,
    "left_knee": 0.72,
    "right_knee": 0.72,
    "left_ankle": 0.955,
    "right_ankle": 0.955,
}


def frame_from_landmarks(marks: dict, cx: float) -> Frame | None:
    """Body frame fitted to visible pose landmarks (crops without head or feet)."""
    pts = [(LANDMARK_LEVELS[k], v[1]) for k, v in marks.items() if k in LANDMARK_LEVELS and v[2] > 0.5]
    levels = {f for f, _ in pts}
    if len(levels) < 3 or max(levels) - min(levels) < 0.3:
        return None
    f, y = np.array(pts).T
    height, top = np.polyfit(f, y, 1)
    if height <= 0:
        return None
    return Frame(float(top), float(height), cx, cut_bottom=False, has_head="nose" in marks)


def mirror_trim(mask: np.ndarray, cx: float, slack: int) -> np.ndarray:
    """Keep the part of ``mask`` whose mirror image about x = cx is also there (within ``slack``).

    People and garments seen from the front are left-right symmetric; background that leaked
    into the segmentation almost never is.
    """
    m = mask.astype(np.uint8)
    mirrored = cv2.warpAffine(
        m, np.float32([[-1, 0, 2 * cx], [0, 1, 0]]), (m.shape[1], m.shape[0]), flags=cv2.INTER_NEAREST
    )
    if slack > 0:
        mirrored = cv2.dilate(mirrored, np.ones((2 * slack + 1, 2 * slack + 1), np.uint8))
    return (m & mirrored).astype(bool)


def _drop_background_like(
    items: list[np.ndarray], lab: np.ndarray, person: np.ndarray, fr: Frame
) -> list[np.ndarray]:
    """Drop "garments" whose colour is common just outside the person: background that leaked in."""
    r = max(3, int(0.06 * fr.height))
    ring = cv2.dilate(person.astype(np.uint8), np.ones((r, r), np.uint8)).astype(bool) & ~person
    around = lab[ring].astype(np.float32) * np.array([0.5, 1, 1], np.float32)
    if len(around) < 50:
        return items
    keep = []
    for m in items:
        c = np.median(lab[m].astype(np.float32), axis=0) * np.array([0.5, 1, 1], np.float32)
        similar = float((np.linalg.norm(around - c, axis=1) < 14).mean())
        if similar < 0.12:
            keep.append(m)
    return keep or items


def _symmetric_person(person: np.ndarray, fr: Frame | None, band: int, rgb: np.ndarray, marks: dict):
    """(person, frame, source, axis): the person mask kept where its mirror image is person too.

    GrabCut, and the plain-wall path when furniture stands inside the frame, join clutter that
    touches the figure to the person; it then widens the body, adds "garments" and can move the
    head's centre. A figure seen from the front is left-right symmetric, clutter is not. The axis
    is the one the whole mask is most symmetric about (``symmetry_axis``), which clutter on one
    side does not move. Product shots (no skin) and portraits (framed by a face) are left alone.
    """
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    if (skin_like(lab) & person).sum() < 0.05 * max(1, person.sum()):
        return person, fr, "silhouette", None
    rows = np.flatnonzero(person.any(axis=1))
    if rows.size < 20:
        return person, fr, "silhouette", None
    axis, _ = symmetry_axis(person, lab)
    trimmed = _clean(mirror_trim(person, axis, max(2, int(0.025 * (rows[-1] - rows[0])))))
    fr2, source2 = _frame(trimmed, band, rgb, marks)
    if fr2 is None or source2 != "silhouette":
        return person, fr, "silhouette", None
    return trimmed, fr2, source2, axis


def _fill_enclosed(mask: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """``mask`` with the ``allowed`` pixels of its holes (regions it encloses) filled."""
    return mask | (holes(mask) & allowed)


HEAD_BAND = 0.125  # the chin's height fraction: above it hair, hats and hoods


def _head_region(person: np.ndarray, fr: Frame) -> np.ndarray:
    """The rows above the chin, within the head's width (hair or hood included): what is there is
    hair, a hat or a hood, not a garment of its own. Shoulders beside the head are left out: a
    frame taken from a face box can put the chin below the shoulders' top (a box 1.2x the face)."""
    out = np.zeros_like(person)
    chin = max(fr.y(HEAD_BAND), 0)
    head = person[max(fr.y(0.02), 0) : max(fr.y(0.1), 1)]  # crown to cheeks: hair, hood and all
    rows = head[head.any(axis=1)]
    if not rows.any():
        out[:chin] = True
        return out
    left = np.percentile(rows.argmax(axis=1), 10)
    right = np.percentile(rows.shape[1] - 1 - rows[:, ::-1].argmax(axis=1), 90)
    out[:chin, int(left) : int(right) + 1] = True
    return out


def _head_centre(person: np.ndarray, fr: Frame) -> float:
    rows = person[max(fr.y(0.0), 0) : max(fr.y(0.11), 1)]
    xs = np.nonzero(rows)[1]
    return float(np.median(xs)) if xs.size else fr.cx


def _frame(person: np.ndarray, band: int, rgb: np.ndarray, marks: dict) -> tuple[Frame | None, str]:
    """The body frame from the silhouette (whole figures), else pose landmarks, else a face."""
    fr = body_frame(person, band)
    if fr is not None and fr.has_head and not fr.cut_bottom:
        return fr, "silhouette"
    alt = frame_from_landmarks(marks, fr.cx if fr else rgb.shape[1] / 2) if marks else None
    if alt is not None:
        return alt, "landmarks"
    alt = frame_from_face(rgb, person)
    return (alt, "face") if alt is not None else (fr, "silhouette")


def analyze_array(
    rgb: np.ndarray, alpha: np.ndarray | None = None, progress: Progress | None = None, learned: bool = True
) -> Analysis:
    """Run the offline analyzer on an RGB array (the work behind analyze_image): the silhouette
    measurements, then the learned classifier (classifier.py) for the type unless ``learned`` is False."""
    progress = progress or Progress()
    a = _silhouette(rgb, alpha, progress)
    if learned:
        _apply_classifier(a, rgb, alpha)
    return a


def exact_outline(a: Analysis) -> bool:
    """Did the segmentation cut one object out exactly (a transparent PNG, a plain backdrop)?"""
    from . import classifier

    return a.method.split("+")[0] in classifier.CLEAN_MASKS


def silhouette_context(a: Analysis) -> str:
    """Where the silhouette read the photo (classifier.CONTEXTS): on a person, on an exact outline, laid out.
    A garment measured on its own (``measured``) is not worn, whatever frame its figure first gave."""
    if a.frame is not None and a.measured is None:
        return "worn"
    return "outline" if exact_outline(a) else "laid-out"


def _apply_classifier(a: Analysis, rgb: np.ndarray, alpha: np.ndarray | None) -> None:
    """Type from the learned classifier combined with the silhouette; attributes follow the type."""
    from . import classifier

    clf = classifier.shipped()
    if clf is None:
        a.warnings.append("no classifier weights installed: the type comes from the silhouette alone")
        return
    pred = clf.predict(rgb if alpha is None else np.dstack([rgb, alpha]))
    context = silhouette_context(a)
    d = classifier.decide(pred, a.garment_type, context, outline=exact_outline(a))
    a.classifier = d.metadata(pred)
    a.refusal = d.refusal
    if d.warning:
        a.warnings.append(d.warning)
    t = "vest" if d.garment_type == "jacket" and sleeveless_shape(a, pred.head("sleeves")) else d.garment_type
    if t != a.garment_type and a.features:
        choose_garment(a, t)  # a shirt's photo whose trousers show larger
        if a.measured is not None:
            from .product import product_spec_parts

            a.attributes, a.measured = product_spec_parts(a.features, t)
        else:
            a.attributes, confs = attributes(t, a.features)
            a.confidence.update({k: round(v, 2) for k, v in confs.items()})
    if not a.features:  # nothing measured: the classifier's type with its default measurements
        a.warnings = [w.replace("returned a default shirt", f"returned a default {t}")
                      for w in a.warnings]
    a.garment_type = t
    a.confidence["garment_type"] = round(d.p, 2)
    _head_classes(a, pred, context)


# How sure the classifier's sleeve / trouser-length head must be to replace the class the silhouette
# measured on a garment without a person, per context (none on a person: the body frame measures
# sleeves and hems there). Chosen by tools/fit_heads.py on the train calibration slice (real photos)
# and our product renders of seeds 3 and 5. Real laid-out photos: the silhouette's sleeve class was
# right for 22 of 106 (sleeves folded, spread or tucked), the head's for 101 from 0.5; trouser lengths
# 16 of 53 against 47 from 0.8. On an exact outline, with a measured "none" kept (KEEP_MEASURED):
# sleeves real 2 -> 19 of 32, our renders 48 of 48 from 0.98 (lower, the head calls our elbow sleeves
# short or long: no real photo taught it elbows); trouser lengths never (6 real photos there, and the
# head calls our capri and culotte renders full length: it knows shorts and full length only).
HEAD_SURE = {("sleeves", "laid-out"): 0.5, ("sleeves", "outline"): 0.98, ("length", "laid-out"): 0.8}
# Measured classes that stand whatever the head says: on an exact outline a sleeveless shape is what it
# is, and the head never learnt "none" from a real photo (the dataset has no sleeveless class: it
# calls our sleeveless shirt on white "short" at 0.998); on a floor or bed folded sleeves vanish (a
# jacket measured sleeveless whose outline shows armholes is a vest before the heads are asked:
# sleeveless_shape).
KEEP_MEASURED = {("sleeves", "outline"): ("none",)}
# ... but for the head's classes that it learnt from real photos of such garments and our renders never
# draw from it: its "long" (long-sleeved tops and outerwear; our sleeveless renders read "short"). On a
# plain wall or floor a shirt's or a jacket's long sleeves hang along its sides or lie behind it and the
# outline measures none: train (every 4th photo, all outwear), 30 long-sleeved shirts and jackets on an
# exact outline read sleeveless, the head long at 0.98 or more on 26 of them and on 2 vests without
# armholes (0.99, 1.00; 2 more under 0.98).
HEAD_OVERRULES = {("sleeves", "outline"): ("long",)}


# The types whose real photos taught each head (classifier.IMPLIED: t-shirts, long sleeves and outerwear
# for sleeves; trousers and shorts for length). On a dress the sleeve head is a guess: a sleeveless
# gingham dress on a carpet read "long".
HEAD_TYPES = {"sleeves": ("shirt", "jacket", "hoodie"), "length": ("pants",)}


def heads_for(garment_type: str) -> list[str]:
    return [h for h, types in HEAD_TYPES.items() if garment_type in types]


def head_class(measured: str | None, probs: dict[str, float], sure: float, keep=(), overrule=()) -> str | None:
    """The head's class where it is at least ``sure`` and the measured class is not one to ``keep``
    (unless the head's is one that may ``overrule`` it), else the ``measured`` one."""
    got = max(probs, key=probs.get)
    return got if probs[got] >= sure and (measured not in keep or got in overrule) else measured


def sleeveless_shape(a: Analysis, sleeves_p: dict[str, float]) -> bool:
    """Whether a lone garment the classifier calls a jacket is a vest: measured sleeveless, its outline
    shows an armhole on each side (product.armholes), and the sleeve head says "long". That head learnt
    its classes from the dataset's classes, outerwear all "long" (classifier.IMPLIED): it calls vests
    and gilets long at 0.85-1.0, so only the outline tells them from jackets whose sleeves lie folded
    or hang out of sight. Its "short" it learnt from t-shirts and stands: a short sleeve's hem above
    the body's side reads as an armhole too. Jackets only: on train/ the rule turned no long-sleeved
    jacket sleeveless, but a shirt on a hanger whose price tag stuck out at the side (the head's
    "long" there learnt from long-sleeved tops, which it knows)."""
    from .product import product_spec_parts

    return (a.measured is not None and bool(a.features.get("armholes"))
            and max(sleeves_p, key=sleeves_p.get) == "long"
            and product_spec_parts(a.features, "jacket")[0].get("sleeves") == "none")


def _head_classes(a: Analysis, pred, context: str) -> None:
    """A lone garment's sleeve and trouser-length class from the classifier's heads where they are
    sure (HEAD_SURE), with that class's centimetres; the silhouette's measurement stays where the
    two agree."""
    if a.measured is None:
        return
    for head in heads_for(a.garment_type):
        probs, measured = pred.head(head), a.attributes.get(head)
        got = head_class(measured, probs, HEAD_SURE.get((head, context), 2.0), KEEP_MEASURED.get((head, context), ()),
                         HEAD_OVERRULES.get((head, context), ()))
        if got != measured:
            a.attributes[head] = got
            a.measured.update(measurements_from_categories(a.garment_type, {head: got}))
            a.confidence[head] = round(probs[got], 2)


def _silhouette(rgb: np.ndarray, alpha: np.ndarray | None, progress: Progress) -> Analysis:
    """Segment, find the body frame and measure the dominant garment; type from silhouette rules."""
    rgb, alpha = resize_for_analysis(rgb, alpha)
    progress(0.1, "segmenting the person")
    person, method, marks = _person_mask(rgb, alpha)
    if method == "laid-out" or (method in ("plain", "alpha") and not person_in_photo(rgb, person)):
        # no body in the photo (a pink or beige garment is not skin): measured in its own box
        a = Analysis(person, np.zeros_like(person), None, method)
        return _product(a, rgb, cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB), person, progress)
    band = max(2, int(0.03 * min(rgb.shape[:2])))
    fr, source = _frame(person, band, rgb, marks)
    axis = None
    if method in ("grabcut", "plain") and source == "silhouette":
        person, fr, source, axis = _symmetric_person(person, fr, band, rgb, marks)
    # background-colour clean-up for GrabCut on whole figures; a portrait (frame from a face)
    # was segmented with a face prior and its sitter may be turned
    cleanup = method == "grabcut" and source == "silhouette"
    if fr is not None and fr.has_head:
        fr.cx = _head_centre(person, fr)
    a = Analysis(person, np.zeros_like(person), fr, method, landmarks=marks)
    if fr is None:
        a.warnings.append("no person or garment found; returned a default shirt")
        a.confidence = {"garment_type": 0.1}
        return a
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    labf = lab.astype(np.float32)
    body, face = body_pixels(labf, person, fr)
    skin = (skin_like(labf) & person).sum()
    if (face is not None and not body_coloured(face)) or (source == "silhouette" and (
        (face is None and skin < 0.05 * person.sum()) or body.sum() < 0.02 * person.sum()
        or not person_in_photo(rgb, person)
    )):
        # no face, skin or mannequin, or none that a person shows: a garment on its own (the same
        # person test as a plain backdrop's; skin-like prints and wood read as a body otherwise); a
        # "face" no body has (a blue yoke, a pink fur hood the face detector fired on) is the garment's
        return _product(a, rgb, lab, person, progress)
    if not fr.has_head:
        a.warnings.append("no head found (cropped photo): lengths are rough")
    progress(0.5, "separating garments from the body")
    inner = cv2.erode(person.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    clothes = inner & ~body
    min_px = max(30, int(min(MIN_ITEM * fr.height**2, MIN_ITEM_SHARE * person.sum())))
    head_band = _head_region(person, fr)
    outside = None
    if axis is not None:  # clutter was trimmed off the person: what is left of it lies beside
        outside = cv2.dilate(person.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & ~person
    leaks: list[np.ndarray] = []
    items = garment_items(lab, clothes & ~head_band, min_px, outside, leaks, join_prints=True)
    if leaks:  # furniture cut at the outline is not the person either: it widens the body's box
        leak = np.logical_or.reduce(leaks)
        rim = cv2.dilate(leak.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & ~inner
        cut = _clean(person & ~leak & ~rim)
        fr2, source2 = _frame(cut, band, rgb, marks)
        if fr2 is not None and source2 == "silhouette":
            person, fr, a.person, a.frame = cut, fr2, cut, fr2
            items = [m & person for m in items]
            if fr.has_head:
                fr.cx = _head_centre(person, fr)
    if axis is not None or (fr.has_head and source == "silhouette"):
        cx = fr.cx if fr.has_head else axis
        items = [mirror_trim(m, cx, max(2, int(0.02 * fr.height))) for m in items]
    items = [
        m for m in items if m.sum() >= min_px and (fr.f(np.nonzero(m)[0]) > 0.14).mean() > 0.4
    ]  # hair and hats are not garments
    if cleanup:
        items = _drop_background_like(items, lab, person, fr)
    if not items:
        a.warnings.append("no clothing separated from the body; returned a default shirt")
        a.confidence = {"garment_type": 0.1}
        return a
    progress(0.8, "measuring the garment")
    # what a garment encloses is part of it (a badge, a print's small motifs, a logo), unless it
    # is the body (a hand held in front)
    items = [_fill_enclosed(m, ~body) for m in items]
    items.sort(key=lambda m: -int(m.sum()))
    a.items = items
    if method == "grabcut":
        # colours were clustered on the person eroded by 1 px (edge pixels mix with the room);
        # GrabCut's outline lies on the figure's edge, so the garment reaches out to it again.
        # (The plain path's outline, a threshold on a blurred distance, lies ~1 px outside.)
        rim = person & ~inner & ~body
        a.items = [m | (cv2.dilate(m.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & rim) for m in items]
    a.garment = a.items[0]
    colour = np.median(lab[items[0]].astype(np.float32), axis=0)
    near = np.linalg.norm((lab.astype(np.float32) - colour) * np.array([0.5, 1, 1], np.float32), axis=2) < 16
    a.features = measure_item(items[0], person, fr, hood_px=clothes & head_band & near)
    a.garment_type, tconf = classify(a.features)
    a.attributes, confs = attributes(a.garment_type, a.features)
    if a.attributes.get("sleeves", "") is None:
        del a.attributes["sleeves"]
        a.warnings.append("the arms leave the photo: sleeve length is a default")
    if a.features.get("cut"):
        tconf *= 0.75  # a garment seen in part
        a.warnings.append("the garment runs off the bottom of the photo: its length is a default")
    a.confidence = {"garment_type": round(tconf, 2), **{k: round(v, 2) for k, v in confs.items()}}
    a.others = _other_garments(a)
    for m in items[:3]:
        a.colours.append([int(v) for v in np.median(rgb[m], axis=0)])
    if method == "grabcut":
        a.confidence = {k: round(v * 0.9, 2) for k, v in a.confidence.items()}
    return a


def _product(a: Analysis, rgb: np.ndarray, lab: np.ndarray, person: np.ndarray, progress) -> Analysis:
    """A garment alone on a plain background: measure it in its own bounding box (product.py)."""
    from .product import classify_product, product_features, product_spec_parts

    progress(0.6, "measuring a product shot")
    a.method += "+product"
    items = garment_items(lab, person, max(30, int(0.01 * person.sum())))
    items.sort(key=lambda m: -int(m.sum()))
    item = items[0] if items else person  # its main colour: where a lining shows through
    a.garment = person  # a garment alone is all of the shape, every colour of a print included
    a.features = product_features(person, item)
    a.garment_type, conf = classify_product(a.features)
    a.attributes, a.measured = product_spec_parts(a.features, a.garment_type)
    a.confidence = {"garment_type": conf, **{k: 0.4 for k in a.attributes}}
    a.warnings.append("no person found: treated as a product shot; centimetres assume a size M fit")
    a.colours = [[int(v) for v in np.median(rgb[item], axis=0)]]
    return a


def spec_from_analysis(a: Analysis, source: str = "") -> GarmentSpec:
    from ..vlm.schema import safe_spec
    from .product import HOOD_LOBE

    product = a.measured is not None
    size = _estimate_size(a.person, a.frame) if a.frame is not None and not product else "M"
    t = a.garment_type
    if product:
        meas = {k: float(np.clip(v, MEASUREMENTS[k].lo, MEASUREMENTS[k].hi)) for k, v in a.measured.items()}
    else:
        meas = measurements(t, a.attributes, a.features, size) if a.features else {}
    feats: dict[str, Any] = {}
    if t == "hoodie" or (t == "jacket" and product and a.features.get("hood_lobe", 0.0) >= HOOD_LOBE):
        feats["has_hood"] = True  # a jacket's hood laid flat or hanging behind it (product.HOOD_LOBE)
    if a.colours:  # the garment's median colour in the photo: the render's colour (features.color)
        feats["color"] = rgb_hex(a.colours[0])
    conf = dict(a.confidence)
    for k in meas:
        conf.setdefault(k, round(0.8 * conf.get("length", 0.6), 2))
    conf["size"] = 0.35
    meta = {
        "source": source,
        "backend": "offline",
        "method": a.method,
        "size_estimate": size,
        "confidence": conf,
        "attributes": a.attributes,
        "others": a.others,
        "colours": a.colours,
        "warnings": list(a.warnings),
        **a.classifier,
    }
    return safe_spec(t, {**meas}, feats, meta) if meas else safe_spec(t, {}, feats, meta)


def analyze_image(
    path, backend: str = "offline", progress: Progress | None = None, client=None
) -> GarmentSpec:
    """Photo (path or array) -> validated GarmentSpec with confidences in ``metadata``."""
    return analyze_photo(path, backend, progress, client)[0]


def analyze_photo(
    path, backend: str = "offline", progress: Progress | None = None, client=None,
    garment_type: str | None = None, decoded: tuple[np.ndarray, np.ndarray | None] | None = None,
) -> tuple[GarmentSpec, tuple[np.ndarray, np.ndarray, bool] | None]:
    """analyze_image's spec and, when the offline analyzer ran, its photo_masks (a fit scores
    against them without segmenting the photo a second time); None when a VLM answered.
    ``garment_type``: the masks show that type's garment of an outfit (a fit from a given spec);
    ``decoded``: the photo's (rgb, alpha) when the caller has already loaded it."""
    if backend not in BACKENDS:
        raise UserError(f"backend: must be one of {', '.join(BACKENDS)} (got {backend!r})")
    progress = progress or Progress()
    rgb, alpha = decoded if decoded is not None else as_rgb_array(path)  # bad files fail here, before any work
    source = str(path) if isinstance(path, str | os.PathLike) else "array"
    warnings: list[str] = []
    if backend in ("vlm", "auto"):
        from ..vlm.client import ask_or_fall_back
        from ..vlm.schema import answer_to_spec

        def ask(vlm):
            progress(0.05, "asking the VLM")
            ans = vlm.describe_garment(rgb if alpha is None else np.dstack([rgb, alpha]))
            return answer_to_spec(ans, source=source, model=vlm.last_model)

        spec = ask_or_fall_back(backend, ask, warnings, client=client)
        if spec is not None:
            return spec, None
    a = analyze_array(rgb, alpha, progress.sub(0.1, 0.95))
    if a.refusal:
        raise UserError(a.refusal)
    a.warnings = warnings + a.warnings
    spec = spec_from_analysis(a, source)
    if garment_type not in (None, spec.garment_type):
        choose_garment(a, garment_type)
    progress(1.0, "done")
    return spec, _masks(a, rgb)
