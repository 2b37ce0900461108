"""A shirt collar in two pieces, as a pattern maker drafts it: the collar stand and the collar (fall).

The stand is a band sewn 1:1 round the neckline from one front edge to the other (through the button
overlaps), curved up toward its ends (bent round a circle above it) so its top edge is shorter than
its neck edge and it hugs the neck; its ends are rounded from the front edge up to the centre-front
mark on its top edge, where the collar's ends meet it. The collar's neck edge is the stand's top edge
between the centre fronts, 1:1; the collar is bent the other way (round a circle below it) so its
outer edge is longer than its neck edge and lies out over the stand and onto the shoulders when it
turns down; its ends run up to the collar points, which lie on the chest either side of the top button.

Heights: ``collar_height`` is the collar's depth at the centre back (what shows); the stand is
STAND_SHARE of it, so the collar covers the stand's seam with room to spare.
"""

from __future__ import annotations

import numpy as np

from .. import geometry as g
from ..builder import PatternDraft, PieceDraft
from .tailored import bent, dense_line

STAND_SHARE = 0.6  # stand height / collar depth at the centre back (3 cm under a 5 cm collar)
STAND_RISE = 1.2  # cm the stand's neck edge rises at its ends (bent up): it hugs the neck
POINT_RISE = 2.0  # cm the collar is deeper at its points than at the centre back
POINT_OUT = 1.0  # cm the collar point reaches past the end of its neck edge (before bending)
FALL_SPREAD = 1.25  # cm each half's outer edge is longer than its neck edge: it lies over the stand
INTERFACED = "self + fusible interfacing"
COLLAR_FALL = "collar_fall"  # the collar's body region: the 3D assembly turns it down over its stand


def stand_and_collar(d: PatternDraft, runs: list[tuple], height: float,
                     overlap: float) -> tuple[PieceDraft, PieceDraft]:
    """(stand, collar) for a neckline chain ``runs`` ((piece, edge, length, end tags) from the wearer's
    left front edge round to the right one), a collar ``height`` cm deep at the centre back and a
    button ``overlap`` cm past each centre front; both sewn into ``d``."""
    total = sum(r[2] for r in runs)
    mid, half = total / 2, total / 2
    hs = STAND_SHARE * height
    cf = min(max(overlap, 0.0), 0.3 * half)  # the centre fronts, this far in from the stand's ends
    radius = -(half ** 2 + STAND_RISE ** 2) / (2 * STAND_RISE)  # a circle above the band
    bend = lambda q: bent(np.atleast_2d(np.asarray(q, float)), mid, radius)  # noqa: E731
    stand = PieceDraft("collar_stand", "collar", cut_group="collar_stand", on_fold=True)
    x, starts = 0.0, []
    first, last = runs[0][3][0], runs[-1][3][1]
    for k, (p, e, ln, tags) in enumerate(runs):
        stand.edge(f"to_{p}_{e}", bend(dense_line((x, 0.0), (x + ln, 0.0))), "seam", tags)
        d.piece(p).set_role(e, "seam")
        i = d.sew(p, e, "collar_stand", f"to_{p}_{e}")
        if k:  # where the neckline's pieces meet: the shoulders and the centre back
            stand.notches.append((f"to_{p}_{e}", 0.0, 1))
            starts.append(x)
        if cf > 0 and k in (0, len(runs) - 1):  # the centre front, on the front's neckline too
            front_tag = first if k == 0 else last
            d.notch_pair(i, cf if d.piece(p).get(e).tags[0] == front_tag else ln - cf, 1)
        x += ln
    if cf > 0:  # rounded from the front edge up to the centre front on the top edge
        right = g.cubic((total, 0.0), (total, 0.6 * hs), (total - 0.4 * cf, hs), (total - cf, hs))
    else:
        right = dense_line((total, 0.0), (total, hs))
    left = g.mirror_x(right - [mid, 0.0])[::-1] + [mid, 0.0]
    stand.edge("end", bend(right), "opening", (last, "collar_cf_right"), allowance=1.0)
    stand.edge("top", bend(dense_line((total - cf, hs), (cf, hs))), "seam", ("collar_cf_right", "collar_cf_left"))
    stand.edge("start", bend(left), "opening", ("collar_cf_left", first), allowance=1.0)
    stand.material = INTERFACED
    stand.landmarks.update(bottom_start=bend((0.0, 0.0))[0], bottom_end=bend((total, 0.0))[0],
                           top_mid=bend((mid, hs))[0])
    stand.grain = (mid, 0.2 * hs, 0.8 * hs)  # straight grain at the centre back, as the collar's
    y_btn = 0.5 * hs  # the top button and a buttonhole across the stand, from 0.3 cm past the centre front
    stand.mark("button", bend((total - cf, y_btn)), "button: right end")
    stand.mark("buttonhole", bend([(cf - 0.3, y_btn), (cf + 1.1, y_btn)]), "buttonhole: left end")
    neck = g.length(stand.get("top").pts)
    collar = _collar(neck, height)
    d.add(stand, collar)
    i = d.sew("collar_stand", "top", "collar", "neck")
    scale = neck / (total - 2 * cf)  # along the top edge per cm along the neck edge (bent up: < 1)
    for u in starts:  # the shoulders and the centre back, straight above the stand's notches there
        d.notch_pair(i, (total - cf - u) * scale, 1)
    return stand, collar


def _collar(neck: float, height: float) -> PieceDraft:
    """The collar (fall): its neck edge ``neck`` cm long along y = 0 (before bending), ``height`` deep at
    the centre back and POINT_RISE deeper at its points."""
    half = neck / 2
    tip = height + POINT_RISE
    radius = half * height / FALL_SPREAD
    bend = lambda q: bent(np.atleast_2d(np.asarray(q, float)), half, radius)  # noqa: E731
    right_pt, left_pt = (neck + POINT_OUT, tip), (-POINT_OUT, tip)
    rise = height + 0.5 * POINT_RISE
    outer = g.join(g.cubic(right_pt, (neck - 0.2 * half, rise), (1.45 * half, height), (half, height)),
                   g.cubic((half, height), (0.55 * half, height), (0.2 * half, rise), left_pt))
    pd = PieceDraft("collar", COLLAR_FALL, cut_group="collar", on_fold=True)
    pd.edge("neck", bend(dense_line((0.0, 0.0), (neck, 0.0))), "seam", ("collar_cf_left", "collar_cf_right"))
    pd.edge("end", bend(dense_line((neck, 0.0), right_pt)), "free", ("collar_cf_right", "collar_point_right"))
    pd.edge("outer", bend(outer), "free", ("collar_point_right", "collar_point_left"))
    pd.edge("start", bend(dense_line(left_pt, (0.0, 0.0))), "free", ("collar_point_left", "collar_cf_left"))
    pd.material = INTERFACED
    pd.grain = (half, 0.2 * height, 0.8 * height)
    pd.landmarks.update(bottom_start=bend((0.0, 0.0))[0], bottom_end=bend((neck, 0.0))[0],
                        top_mid=bend((half, height))[0])
    return pd
