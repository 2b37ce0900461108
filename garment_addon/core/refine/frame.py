"""The garment frame: product shots and cut-outs (no person in the photo) compared garment to garment.

Worn photos are compared in the body frame (metrics.py): the photo's body and the mannequin say
how long the garment is. A garment on its own has no body; compared in each garment's own box,
the loop could trade length against width freely (a midi dress came out 104 cm long). So here
the lengths take their scale from the garment itself: its anchor width in pixels (the chest of a
top, the waist of a dress, the waistband of a skirt or trousers) is LYING_WIDTH of the start
spec's finished girth there. That px/cm is fixed once, from the start spec, so the loop cannot
grow the photo's scale along with the garment. When the start spec's lengths were measured on
this photo by the analyser (its body rulers do not depend on how wide a garment lies), the photo
takes the start spec's length instead, kept within WIDTH_BAND of the width's scale
(``start_scale``, at the start render).

The window compared (``boxes``): lengths in cm on both sides (the photo by that scale, the render
by its mannequin's height), widths in anchor widths on each side (a garment lying flat is ~1.35x
wider than the same garment worn; in cm the loop would widen the girths to make up for it). Each
window hangs from its garment's top edge, centred on its anchor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..garments import TYPES
from ..pattern.drafting.ease import spec_ease
from ..spec import GarmentSpec, body_measurements

# a type's parts (core.garments) -> (girth measured there, rows as fractions of the garment's height,
# how the rows combine): a top's narrowest torso row below the sleeves, the waist of a dress or a
# jumpsuit (above where its legs part), the waistband of skirts and trousers
ANCHOR_BY_PARTS = {("bodice",): ("bust", 0.30, 0.70, np.min), ("bodice", "skirt"): ("waist", 0.15, 0.55, np.min),
                   ("bodice", "pants"): ("waist", 0.20, 0.50, np.min), ("skirt",): ("waist", 0.02, 0.08, np.median),
                   ("pants",): ("waist", 0.02, 0.08, np.median)}


def anchor_rule(garment_type: str) -> tuple:
    return ANCHOR_BY_PARTS[TYPES[garment_type].parts]


def anchor_girths() -> dict[str, tuple[str]]:
    """type -> (the girth that sets the garment frame's scale,): held out of the optimiser."""
    return {t: (anchor_rule(t)[0],) for t in TYPES}
# Anchor width over finished girth of a garment on its own: 0.5 lying flat (half its girth), 0.30-0.38
# on a ghost mannequin (our renders' front widths), which a photo does not tell apart. In between, a
# length reads at most ~16 % off either way (synthetic ghost shots with 0.5: median +26 %).
LYING_WIDTH = 0.43
# How far the width anchor's scale may be off: lying flat vs ghost mannequin (+-16 %) and the
# unknown size (the start spec's girths; S to XL +-15 %).
WIDTH_BAND = 1.4
PLAUSIBLE_CM = (15.0, 200.0)  # a garment's length at the photo's scale, else the scale is not used
MARGIN = 1.08  # the window is this much longer and wider than the larger of the two garments
GAP = 0.05  # runs in a row closer than this fraction of the garment's width are one (an open front)
# A garment whose outline runs along the photo's bottom rows over this fraction of its median row
# width goes on past the picture (a dress photographed down to the knees): its hem is not in it. A
# fraction of its own width, not any touch: thin leaks of a segmentation (a floor's tile joints
# running to the corner) reach the edge too.
CUT_RUN = 0.3


@dataclass(frozen=True)
class GarmentScale:
    """The photo's pixels per cm and where they came from (``anchor``: the girth, or "length")."""

    px_per_cm: float
    anchor: str
    source: str

    def to_dict(self) -> dict:
        return {"source": self.source, "px_per_cm": round(self.px_per_cm, 3), "anchor": self.anchor}


def analyser_measured(spec: GarmentSpec) -> bool:
    """Did the offline analyser measure ``spec``'s lengths on a garment on its own (product.py)?"""
    return "+product" in str((spec.metadata or {}).get("method", ""))


def _rows(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask.any(axis=1))


def _centre_run(parts: list[np.ndarray], cx: float) -> tuple[int, int]:
    """(first, last) column of a row's garment across the centre line: the run holding ``cx``; where
    ``cx`` falls in a gap (a V neckline, an open front) the runs on either side of it together, since
    both halves are the garment's (taking the nearer half alone read a V-neck dress's waist as 24 px
    of its 46, and adding sleeves, which closed the gap, "fixed" the scale); without a run on one side,
    the nearest run."""
    left = [p for p in parts if p[0] <= cx]
    right = [p for p in parts if p[-1] >= cx]
    if left and right:
        return int(left[-1][0]), int(right[0][-1])  # one run when it holds cx
    near = (left or right)[-1 if left else 0]
    return int(near[0]), int(near[-1])


def anchor(mask: np.ndarray, garment_type: str) -> tuple[float, float] | None:
    """(width px, centre column) of the garment at its anchor rows (ANCHOR_BY_PARTS), or None."""
    rows = _rows(mask)
    if rows.size < 10:
        return None
    top, height = rows[0], rows[-1] - rows[0]
    cols = np.flatnonzero(mask.any(axis=0))
    gap = max(1, int(GAP * (cols[-1] - cols[0])))
    cx = float(np.median(np.nonzero(mask)[1]))
    _, lo, hi, combine = anchor_rule(garment_type)
    spans = []
    for y in range(top + int(lo * height), top + int(hi * height) + 1):
        xs = np.flatnonzero(mask[y])
        if not xs.size:
            continue
        lo_x, hi_x = _centre_run(np.split(xs, np.flatnonzero(np.diff(xs) > gap) + 1), cx)
        spans.append((hi_x - lo_x + 1, (lo_x + hi_x) / 2))
    if not spans:
        return None
    widths = np.array([s[0] for s in spans], float)
    width = float(combine(widths))
    return width, float(np.median([c for w, c in spans if abs(w - width) <= 0.1 * width] or [cx]))


def photo_scale(mask: np.ndarray, spec: GarmentSpec) -> GarmentScale | None:
    """The photo's px/cm from its garment's anchor width and ``spec``'s finished girth there."""
    a = anchor(mask, spec.garment_type)
    if a is None:
        return None
    key = anchor_rule(spec.garment_type)[0]
    girth = spec.m[key] + spec_ease(spec)[key]
    scale = GarmentScale(a[0] / (LYING_WIDTH * girth), key, f"garment {key} width {a[0]:.0f} px = "
                         f"{LYING_WIDTH} x the start spec's finished {key} girth {girth:.1f} cm")
    rows = _rows(mask)
    length = (rows[-1] + 1 - rows[0]) / scale.px_per_cm
    # a sliver of a segmentation (a 6 px "waist" on a 300 px dress) is no scale: 18 m long
    return scale if PLAUSIBLE_CM[0] <= length <= PLAUSIBLE_CM[1] else None


def garment_length_px(mask: np.ndarray, garment_type: str) -> float | None:
    """Top edge to hem in px: trousers, skirts and jumpsuits their box; tops and dresses the hem near
    the centre line (sleeves may hang lower)."""
    rows = _rows(mask)
    if rows.size < 10:
        return None
    if TYPES[garment_type].parts[-1] != "bodice" and TYPES[garment_type].parts != ("bodice", "skirt"):
        return float(rows[-1] + 1 - rows[0])  # skirts, trousers and jumpsuits end at their hems
    a = anchor(mask, garment_type)
    if a is None:
        return None
    width, cx = a
    centre = _rows(mask[:, max(0, int(cx - 0.15 * width)):int(cx + 0.15 * width) + 1])
    return float(centre[-1] + 1 - rows[0]) if centre.size else None


def start_scale(photo: np.ndarray, render: np.ndarray, figure: np.ndarray | None,
                spec: GarmentSpec) -> GarmentScale | None:
    """The scale for a start spec the analyser measured: its length (``length_scale``), kept within
    WIDTH_BAND of the width anchor's scale (``photo_scale``), which a wrong ruler can leave far
    behind (a real skirt read 130 cm long where its waistband said 50)."""
    by_length, by_width = length_scale(photo, render, figure, spec), photo_scale(photo, spec)
    if by_length is None or by_width is None:
        return by_length or by_width
    ratio = by_length.px_per_cm / by_width.px_per_cm
    kept = min(max(ratio, 1 / WIDTH_BAND), WIDTH_BAND)
    if kept == ratio:
        return by_length
    return GarmentScale(by_width.px_per_cm * kept, "length", f"{by_length.source}, kept within {WIDTH_BAND}x of "
                                                             f"the width's scale ({by_width.source})")


def length_scale(photo: np.ndarray, render: np.ndarray, figure: np.ndarray | None,
                 spec: GarmentSpec) -> GarmentScale | None:
    """The photo's px/cm that makes its garment as long as ``spec``'s on its render.

    For a start spec whose lengths the analyser measured on this very photo (``analyser_measured``:
    body rulers, product.py), which do not depend on how wide a garment lies: on synthetic ghost-
    mannequin shots they are within 1-4 % where the width anchor reads 20-40 % long."""
    rp = render_px_per_cm(figure | render, spec) if figure is not None else None
    if cut_at_bottom(photo):  # only part of its length is in the picture: no ruler
        return None
    lp, lr = garment_length_px(photo, spec.garment_type), garment_length_px(render, spec.garment_type)
    if rp is None or not lp or not lr:
        return None
    cm = lr / rp
    return GarmentScale(lp / cm, "length", f"garment {lp:.0f} px long = the start spec's {cm:.1f} cm on its "
                                           "render (lengths the analyser measured on this photo)")


def cut_at_bottom(mask: np.ndarray) -> bool:
    """Does the garment run out of the photo at its bottom edge (its hem not in the picture)?"""
    rows = mask.any(axis=1)
    if rows.sum() < 10:
        return False
    return int(mask[-2:].any(axis=0).sum()) >= CUT_RUN * float(np.median(mask[rows].sum(axis=1)))


def cut_off_note(mask: np.ndarray, scale: GarmentScale) -> str | None:
    """fit_report's word on a garment the photo cuts off (``cut_at_bottom``), else None."""
    if not cut_at_bottom(mask):
        return None
    rows = _rows(mask)
    shown = (rows[-1] + 1 - rows[0]) / scale.px_per_cm
    return (f"the photo cuts the garment off at its bottom edge: compared down to {shown:.0f} cm from its "
            "top; the length below is the start spec's")


def render_px_per_cm(figure: np.ndarray, spec: GarmentSpec) -> float | None:
    """A render's px/cm: its mannequin's height in px over the spec's standing height."""
    rows = _rows(figure)
    return (rows[-1] - rows[0] + 1) / body_measurements(spec)["height"] if rows.size > 10 else None


def boxes(photo: np.ndarray, scale: GarmentScale, render: np.ndarray, figure: np.ndarray | None,
          spec: GarmentSpec):
    """(photo box, render box) as (x0, y0, x1, y1) source pixels: the same window in cm (down) and
    anchor widths (across) on both sides; None when a side has no anchor (compare by the box then)."""
    rp = render_px_per_cm(figure | render, spec) if figure is not None else None
    ap, ar = anchor(photo, spec.garment_type), anchor(render, spec.garment_type)
    if rp is None or ap is None or ar is None:
        return None
    sides = []
    for mask, ppcm, (width, cx) in ((photo, scale.px_per_cm, ap), (render, rp, ar)):
        rows, cols = _rows(mask), np.flatnonzero(mask.any(axis=0))
        sides.append((rows[0], ppcm, width, cx, (rows[-1] + 1 - rows[0]) / ppcm,
                      max(cx - cols[0], cols[-1] + 1 - cx) / width))
    length = max(s[4] for s in sides) * MARGIN  # cm
    half = max(s[5] for s in sides) * MARGIN  # anchor widths
    above = (MARGIN - 1) / 2 * length
    # a garment cut off by the photo's bottom edge is compared only as far down as the photo shows
    # it: below that the render's garment is not scored, so the loop cannot shorten it to the edge
    below = sides[0][4] if cut_at_bottom(photo) else length - above
    return tuple((cx - half * width, top - above * ppcm, cx + half * width, top + below * ppcm)
                 for top, ppcm, width, cx, _, _ in sides)
