"""Tailoring: the notched lapel of a jacket front and its two-piece collar.

Drafted the way a pattern maker does it on the front: the break point B on the front edge at the top
button, the roll line from B to a point 2.5 cm past the side-neck point along the shoulder line (the
collar stand), the lapel drawn beyond the roll line (it turns back over it when worn), the gorge line
from the notch across the roll line to the neckline. The upper collar sews to the gorge and the neck
edge of front and back, 1:1; its flat shape is a band bent round a circle below it so the fall edge is
longer than the neck edge and lies over the shoulders. The under collar (construction piece) is the
same shape 0.3 cm smaller at the fall and the ends so the seam rolls under, cut as two halves on the
bias with a centre-back seam.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import geometry as g
from ..builder import PatternDraft, PieceDraft

STAND_EXTENSION = 2.5  # cm past the side-neck point along the shoulder line: where the roll line aims
LAPEL_WIDTH = 7.5  # cm from the roll line to the lapel edge, at most
GORGE_PAST_ROLL = 3.2  # cm the gorge line runs onto the lapel past the roll line
# the gorge line crosses the roll line at about collarbone level: this far down the roll line from
# its end (about 6 cm below the side-neck point), or a fifth of the way down a short roll line
GORGE_DOWN_ROLL = 7.0  # cm
COLLAR_STAND = 3.0  # cm at the centre back
COLLAR_FALL = 4.5  # cm at the centre back
COLLAR_END = 4.0  # cm: collar width at its front end (the collar point)
COLLAR_POINT_OUT = 2.0  # cm the collar point reaches past the gorge end
COLLAR_SPREAD = 3.0  # cm the fall edge of each half is longer than its neck edge
UNDER_COLLAR_SMALLER = 0.3  # cm: the under collar's fall and ends, so the seam rolls to the underside


@dataclass
class Lapel:
    """The lapel's points on the wearer's right front (its opening edge at +x)."""

    brk: np.ndarray  # break point on the front edge
    roll_end: np.ndarray  # the roll line aims here (past the side-neck point)
    roll_gorge: np.ndarray  # where the gorge line crosses the roll line
    point: np.ndarray  # lapel point
    gorge: np.ndarray  # gorge point: the notch between lapel and collar
    neck: np.ndarray  # where the gorge line meets the neckline


def lapel(brk: np.ndarray, neck: np.ndarray, shoulder_point: np.ndarray) -> Lapel:
    u = (neck - shoulder_point) / np.linalg.norm(neck - shoulder_point)
    roll_end = neck + STAND_EXTENSION * u
    length = float(np.linalg.norm(roll_end - brk))
    r = (roll_end - brk) / length
    p = np.array([r[1], -r[0]])  # away from the body, toward the lapel side
    width = min(LAPEL_WIDTH, 0.4 * length)
    past = min(GORGE_PAST_ROLL, 0.45 * width)
    along = length - min(GORGE_DOWN_ROLL, 0.2 * length)
    cross = brk + along * r
    gorge = cross + past * p - 0.3 * past * r
    return Lapel(brk, roll_end, cross, brk + (along - 0.7 * past) * r + width * p, gorge,
                 cross - 0.47 * past * p + 0.15 * past * r)


def lapel_edges(pd: PieceDraft, lp: Lapel, neck: np.ndarray) -> None:
    """The right front's edges from the break point to the side neck, and the roll line marking."""
    chord = lp.point - lp.brk
    n = np.array([chord[1], -chord[0]]) / np.linalg.norm(chord)  # bulge outward, away from the roll line
    pd.edge("lapel", g.cubic(lp.brk, lp.brk + chord / 3 + 0.6 * n, lp.brk + 2 * chord / 3 + 0.6 * n, lp.point),
            "opening", ("opening_top_right", "lapel_point_right"))  # the front edge's allowance: no step at B
    pd.edge("lapel_top", g.line(lp.point, lp.gorge), "opening", ("lapel_point_right", "gorge_right"))
    pd.edge("gorge", g.line(lp.gorge, lp.neck), "neckline", ("gorge_right", "gorge_neck_right"))
    pd.edge("neckline_right", g.line(lp.neck, neck), "neckline", ("gorge_neck_right", "neck_right"))
    pd.mark("roll_line", [lp.brk, lp.roll_gorge], "roll line: the lapel turns back here")
    pd.notches.append(("lapel", 0.0, 1, "break point"))
    pd.landmarks.update(roll_start=lp.brk, roll_end=lp.roll_gorge, lapel_point=lp.point)


def bent(pts: np.ndarray, mid: float, radius: float) -> np.ndarray:
    """Bend a straight band (x along, y up) round a circle of ``radius`` below it centred under
    x = ``mid``: lengths along y = 0 are kept, the band's top edge gets longer."""
    t = (pts[:, 0] - mid) / radius
    rr = radius + pts[:, 1]
    return np.column_stack([mid + rr * np.sin(t), rr * np.cos(t) - radius])


def dense_line(a, b, step: float = 1.0) -> np.ndarray:
    n = max(2, int(np.ceil(np.linalg.norm(np.subtract(b, a)) / step)) + 1)
    return np.linspace(np.asarray(a, float), np.asarray(b, float), n)


def collar_outline(total: float, shrink: float = 0.0, stand: float = COLLAR_STAND,
                   fall: float = COLLAR_FALL) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(right end, fall edge right to left, left end) of a collar whose neck edge runs along y = 0
    from 0 to ``total``, straight (before bending), and the bending radius."""
    half = total / 2
    radius = half * (stand + fall) / COLLAR_SPREAD
    h_mid, h_end, out = stand + fall - shrink, COLLAR_END - shrink, COLLAR_POINT_OUT - shrink
    right_pt, left_pt = (total + out, h_end), (-out, h_end)
    right_end = dense_line((total, 0.0), right_pt)
    rise = h_end + 0.5 * (h_mid - h_end)
    fall_edge = g.join(g.cubic(right_pt, (total - 0.2 * half, rise), (1.45 * half, h_mid), (half, h_mid)),
                       g.cubic((half, h_mid), (0.55 * half, h_mid), (0.2 * half, rise), left_pt))
    return right_end, fall_edge, dense_line(left_pt, (0.0, 0.0)), radius


def _roll_crossing(front: PieceDraft, edge: str) -> float | None:
    """How far along the band's run on ``front.edge`` the lapel's roll line crosses it (the gorge);
    None where it does not."""
    if not {"roll_start", "roll_end"} <= front.landmarks.keys():
        return None
    pts = next(q for q in front.ccw_edges() if q.name == edge).pts[::-1]  # the band runs against CCW
    a, b = front.landmarks["roll_start"], front.landmarks["roll_end"]
    d = b - a
    side = (pts[:, 0] - a[0]) * d[1] - (pts[:, 1] - a[1]) * d[0]
    k = np.nonzero(np.sign(side[:-1]) != np.sign(side[1:]))[0]
    if not len(k):
        return None
    k = int(k[0])
    run = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    return float(run[k] + (run[k + 1] - run[k]) * side[k] / (side[k] - side[k + 1]))


def _collar_roll(d: PatternDraft, runs, total: float) -> np.ndarray:
    """The collar's roll line (before bending): COLLAR_STAND high at the back (0.8 of it at the sides),
    on each front running straight down to the neck edge where the lapel's roll line crosses the
    gorge, so collar and lapel turn over one line and the collar's ends turn whole, with the lapels."""
    xs = np.linspace(0.0, total, 121)
    h = COLLAR_STAND * (0.8 + 0.2 * np.cos(np.pi * (xs / total - 0.5)))
    starts = np.concatenate([[0.0], np.cumsum([r[2] for r in runs])])
    for p in dict.fromkeys(r[0] for r in runs):
        ks = [k for k, r in enumerate(runs) if r[0] == p]
        lo, hi = starts[ks[0]], starts[ks[-1] + 1]  # the front's stretch of the collar
        cross = [starts[k] + c for k in ks if (c := _roll_crossing(d.piece(p), runs[k][1])) is not None]
        if not cross:
            continue
        xc = cross[0]
        inner = hi if xc - lo < hi - xc else lo  # the ramp climbs toward the back
        top = float(np.interp(inner, xs, h))
        span = (xs - xc) / (inner - xc)
        ramp = (span >= 0) & (span <= 1)  # easing into the back's height: no kink at the shoulder
        h[ramp] = top * (1 - (1 - span[ramp]) ** 2)
        h[span < 0] = np.nan
    keep = ~np.isnan(h)
    return np.column_stack([xs[keep], h[keep]])


def lapel_collar(d: PatternDraft, targets: list[tuple[str, str]], band_run) -> PieceDraft:
    """The upper collar, sewn 1:1 along ``targets`` (the left front's gorge round the neck to the right
    front's gorge, each run against its piece's outline as ``band_run`` gives it)."""
    runs = [(p, e, *band_run(d, p, e)) for p, e in targets]
    total = sum(r[2] for r in runs)
    right_end, fall, left_end, radius = collar_outline(total)
    pd = PieceDraft("collar", "collar", cut_group="collar", on_fold=True)
    x = 0.0
    for k, (p, e, ln, tags) in enumerate(runs):
        pd.edge(f"to_{p}_{e}", bent(dense_line((x, 0.0), (x + ln, 0.0)), total / 2, radius), "seam", tags)
        d.piece(p).set_role(e, "seam")
        d.sew(p, e, "collar", f"to_{p}_{e}")
        if k:  # where the gorge meets the neck, at the shoulders and the centre back
            pd.notches.append((f"to_{p}_{e}", 0.0, 1))
        x += ln
    bend = lambda q: bent(q, total / 2, radius)  # noqa: E731
    pd.edge("end", bend(right_end), "free", (runs[-1][3][1], "collar_point_right"))
    pd.edge("fall", bend(fall), "free", ("collar_point_right", "collar_point_left"))
    pd.edge("start", bend(left_end), "free", ("collar_point_left", runs[0][3][0]))
    pd.mark("roll_line", bend(_collar_roll(d, runs, total)), "roll line: the collar turns down here")
    mid = bend(np.array([[total / 2, 0.0]]))[0]
    pd.grain = (float(mid[0]), 0.5, COLLAR_STAND + COLLAR_FALL - 1.0)
    pd.landmarks.update(bottom_start=bend(np.array([[0.0, 0.0]]))[0], bottom_end=bend(np.array([[total, 0.0]]))[0],
                        top_mid=bend(np.array([[total / 2, COLLAR_STAND + COLLAR_FALL]]))[0])
    return pd


def under_collar_ring(collar_total: float) -> np.ndarray:
    """The right half of the under collar (from the centre back), CCW: its neck edge as the upper
    collar's, its fall and end 0.3 cm in."""
    right_end, fall, _, radius = collar_outline(collar_total, UNDER_COLLAR_SMALLER)
    half = collar_total / 2
    fall_right = fall[fall[:, 0] >= half - 1e-9]
    ring = np.vstack([dense_line((half, 0.0), (collar_total, 0.0))[:-1], right_end[:-1], fall_right[:-1],
                      dense_line((half, COLLAR_STAND + COLLAR_FALL - UNDER_COLLAR_SMALLER), (half, 0.0))[:-1]])
    ring = bent(ring, half, radius)
    return ring if g.signed_area(ring) > 0 else ring[::-1]
