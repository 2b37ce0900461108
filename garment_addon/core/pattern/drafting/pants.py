"""Trouser legs: front and back per leg, drafted around a crease line at x = 0.

Frame: y = 0 at the hem, the crotch level at y = inseam, the waist at
y = pant length. Drafted as the wearer's right front (side seam at -x, crotch at
+x); the other three legs are mirrors so each is seen from outside. The back
crotch point drop and back waist height are solved so the inseams and side
seams of front and back have equal length.
"""

from __future__ import annotations

import numpy as np

from ...proportions import INSEAM
from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PieceDraft
from .ease import HIP_DEPTH, band_waist_ease, spec_ease

FULL_INSEAM_FRACTION = INSEAM  # inseam to ankle / height
# cm the cut's crotch depth exceeds the rise (the body's): worn, a trouser's crotch hangs 1-3 cm under
# the body's. Cut at the rise, the draped pants M crotch rode 1.1 cm under it (3 starts), its crotch
# seams stretched 13 / 15 % (front / back) and pulled into the crotch; 2.0 cut the XXL back crotch
# curve deeper than a block's (5.02 cm)
CROTCH_DEPTH_EASE = 1.5
KNEE_FROM_CROTCH = 0.45  # of the full inseam
CROTCH_REACH = {True: (0.4, 0.6), False: (0.5, 0.6)}  # crotch curve handles / extension, front and back
# the crotch extensions (hip / this, front and back) and how far the back's centre line slants in at its
# waist (the seat angle: 16 degrees at M). At hip / 9 and 3.5 cm (11 degrees) the back's curve under the
# crotch was short of the seat (pants M drape: stretched 17 % there, 11.2 % all along, the front 10.9 %)
# and drew the back seam 1.5-2.1 cm into the seat's cleft from z 80 to 90 (3 starts). At hip / 8 (11
# degrees) the seam lay as deep, stretched 11.0 %; the front at hip / 13 eased its seam to 7.4 % but cut
# its curve 4.2 cm deep at XXL, deeper than a block's. At hip / 7 and 4 cm: 1.1-1.8 cm, 8.7 / 8.6 %
CROTCH_EXTENSION = {True: 16.0, False: 7.0}
BACK_SLANT = 4.0
# a one-piece's legs (a jumpsuit's, hung from its shoulders) keep the block's back (hip / 9, 3.5 cm): at
# hip / 7 and 4 cm the jumpsuit XXL loose wrap crossed itself 23 times (crotch, seat, side waist; 0 before)
ONE_PIECE_BACK = (9.0, 3.5)
# and their crotch cut this far under the rise: hung from the shoulders, a loose jumpsuit XXL's drape
# sags 4.4-4.5 cm under the body's crotch whatever its cut, and cut at the rise (0) its crotch seams were
# drawn taut into the seat and between the thighs (back legs folded through each other there: 2 / 6 of
# 2 starts with its hip pockets 1 mm higher); 1 cm short of the rise (-1.0) crossed in 4 of 4 starts; at
# 0.75 (with the wrap's midline, wrap._crotch_seams) 2 in 1 of 16, its crotch 0.1 cm lower (overalls XXL 1)
ONE_PIECE_CROTCH_EASE = 0.75


def _leg_widths(spec: GarmentSpec, height: float, waist: float | None = None) -> dict[str, float]:
    m = spec.m
    e = spec_ease(spec, "pants")
    hip = m["hip"] + e["hip"]
    waist = m["waist"] + band_waist_ease(spec.fit) if waist is None else waist
    full = FULL_INSEAM_FRACTION * height
    knee_d = KNEE_FROM_CROTCH * full
    knee_w = m["knee"] + e["knee"]
    hem_full = m["ankle"] + e["ankle"]
    inseam = m["inseam"]
    if inseam <= knee_d:  # shorts: between the thigh and the knee
        thigh_w = max(m["thigh"] + e["thigh"], knee_w)
        hem_w = thigh_w + (knee_w - thigh_w) * inseam / knee_d
    else:
        hem_w = knee_w + (hem_full - knee_w) * min(1.0, (inseam - knee_d) / (full - knee_d))
    # waist darts take what the side seam should not: a front dart up to 2.5 cm once the side swings
    # 3.5 cm in from the hip, a back dart up to 3 cm past 2 cm (the centre back slants 3.5 cm in)
    front_s = (hip / 4 - 1.0) - (waist / 4 - 0.5) - 1.0
    back_s = (hip / 4 + 1.0) - (waist / 4 + 0.5) - 3.5
    return dict(hip=hip, waist=waist, knee_d=knee_d, knee_w=knee_w, hem_w=hem_w, thigh_out=0.0,
                back_ext=CROTCH_EXTENSION[False], back_slant=BACK_SLANT,
                dart_front=float(np.clip(front_s - 3.5, 0.0, 2.5)), dart_back=float(np.clip(back_s - 2.0, 0.0, 3.0)))


def _leg(front: bool, w: dict[str, float], length: float, inseam: float, back_drop: float,
         back_waist_dy: float, hem_in: float = 0.0, part: str = "all") -> dict[str, object]:
    """One leg; ``hem_in`` widens the hem on the inseam side (very short shorts, see pant_pieces).

    ``part`` "inside" or "outside" skips the other seam's spline: the solvers call this often.
    """
    hq = w["hip"] / 4 + (-1.0 if front else 1.0)
    ext = w["hip"] / (CROTCH_EXTENSION[True] if front else w["back_ext"])
    wq = w["waist"] / 4 + (-0.5 if front else 0.5) + w["dart_front" if front else "dart_back"]
    half_c = (hq + ext) / 2
    x_cr = half_c  # crotch point
    x_c = x_cr - ext  # centre front/back line at the crotch level
    yc = inseam - (0 if front else back_drop)
    hip_y = length - min(HIP_DEPTH, (length - inseam) - 5.0)  # a short rise lifts the hip line
    knee_y = inseam - w["knee_d"]
    k = w["knee_w"] / 4 + (-0.5 if front else 0.5)
    h = w["hem_w"] / 4 + (-0.5 if front else 0.5)
    # centre line: front slants 1 cm in at the waist; back slants BACK_SLANT and rises 3 cm
    top_c = (x_c - 1.0, length) if front else (x_c - w["back_slant"], length + 3.0)
    side_top = (top_c[0] - wq, length + (0 if front else back_waist_dy))
    # The curve leaves the centre line along its slant (no kink where the back slants) and, at the
    # back, cuts the corner further: about 3 cm in front and 4 cm at the back along the bisector.
    end = np.array([x_c, yc + 1.2 * ext])
    slant = (np.asarray(top_c) - end) / np.linalg.norm(np.asarray(top_c) - end)
    reach = CROTCH_REACH[front]
    crotch = g.cubic((x_cr, yc), (x_c + reach[0] * ext, yc + 0.15), end - reach[1] * ext * slant, end)
    crotch = g.join(crotch, g.line(crotch[-1], top_c))
    # the hip line is as wide as the hip, measured from the centre seam (which may already curve there)
    side_x = _x_at(crotch, hip_y) - hq
    side = [side_top, (side_x, hip_y)]
    if hip_y - inseam > 4:  # a close pair of points would make the spline loop
        side.append((side_x - w["thigh_out"], inseam))
    inside = outside = None
    if part != "outside":
        inside = g.smooth_y([(h + hem_in, 0), (k, knee_y), (x_cr, yc)]) if knee_y > 2 else \
            g.line((h + hem_in, 0), (x_cr, yc))
    if part != "inside":
        outside = g.smooth_y([*side, (-k, knee_y), (-h, 0)] if knee_y > 2 else [*side, (-h, 0)])
    return dict(inside=inside, crotch=crotch, top_c=top_c, side_top=side_top, outside=outside,
                hem=g.line((-h, 0), (h + hem_in, 0)), knee_y=knee_y, hip_y=hip_y)


def _x_at(pts: np.ndarray, y: float) -> float:
    """x where a polyline (rising in y) crosses height y; its nearer end's x outside its span."""
    pts = np.asarray(pts, float)
    order = np.argsort(pts[:, 1])
    return float(np.interp(y, pts[order, 1], pts[order, 0]))


def _thigh(leg: dict, y: float) -> float:
    """Width of one leg piece at height y, inseam to side seam."""
    return _x_at(leg["inside"], y) - _x_at(leg["outside"], y)


def _back_leg(w: dict, length: float, inseam: float, fr: dict) -> tuple[dict, float]:
    """The back leg whose inseam and side seam are as long as the front's; returns (leg, crotch drop)."""
    # solve the back crotch drop so the inseams match, then the back side height for the side seams
    inseam_f = g.length(fr["inside"])
    max_drop = min(6.0, 0.5 * inseam)  # the crotch point must stay well above the hem
    drop = g.bisect(lambda d: g.length(_leg(False, w, length, inseam, d, 0, part="inside")["inside"]) - inseam_f,
                    -3.0, max_drop, tol=1e-3)
    hem_in = 0.0
    low = _leg(False, w, length, inseam, drop, 0, part="inside")
    if g.length(low["inside"]) - inseam_f > 0.05:
        # very short shorts: the back crotch reaches so far out that even the lowest drop leaves the
        # back inseam too long, so the back hem widens toward the inseam instead
        hem_in = g.bisect(lambda x: g.length(_leg(False, w, length, inseam, drop, 0, x, "inside")["inside"])
                          - inseam_f,
                          0.0, float(low["crotch"][0][0] - low["hem"][-1][0]), tol=1e-3)
    side_f = g.length(fr["outside"])
    f = lambda d: g.length(_leg(False, w, length, inseam, drop, d, hem_in, "outside")["outside"]) - side_f  # noqa: E731
    dy = g.bisect(f, -4.0, 4.0, tol=1e-3)
    if abs(dy) > 3.999:  # a narrow waist on a wide hip: the back side rises further
        dy = g.bisect(f, -8.0, 8.0, tol=1e-3)
    return _leg(False, w, length, inseam, drop, dy, hem_in), drop


def leg_thigh(fr: dict, bk: dict, inseam: float, drop: float) -> float:
    """Finished thigh of one leg, 2.5 cm below each piece's crotch point (as measure.py reads it)."""
    return _thigh(fr, inseam - 2.5) + _thigh(bk, inseam - drop - 2.5)


def pant_pieces(spec: GarmentSpec, height: float, warnings: list[str] | None = None,
                waist: float | None = None, crotch_ease: float = CROTCH_DEPTH_EASE,
                back: tuple[float, float] | None = None) -> list[PieceDraft]:
    """The four legs; ``waist``: their finished waist (default: the body's and a waistband's ease);
    ``crotch_ease``: cm the cut's crotch depth exceeds the rise; ``back``: the back's crotch extension
    (hip / this) and seat slant (cm), default CROTCH_EXTENSION's and BACK_SLANT."""
    m = spec.m
    w = _leg_widths(spec, height, waist)
    if back is not None:
        w["back_ext"], w["back_slant"] = back
    length = m["pant_length"]
    # the crotch hangs ``crotch_ease`` under the body's: the rise is the body's (seated), the cut's
    # crotch depth that and the ease, taken off the inseam (shorts under 15 cm: less, none at 5 cm,
    # where the back crotch point must stay above the hem)
    inseam = m["inseam"] - crotch_ease * float(np.clip((m["inseam"] - 5.0) / 10.0, 0.0, 1.0))
    fr = _leg(True, w, length, inseam, 0.0, 0.0)
    bk, drop = _back_leg(w, length, inseam, fr)
    # the thigh must take the body's thigh and its ease: the side seams swing out below the hip when
    # the hip-drafted leg is narrower (a muscular thigh); two corrections land within a millimetre
    want = m["thigh"] + spec_ease(spec, "pants")["thigh"]
    for _ in range(2):
        if inseam <= 6 or length - inseam <= 9:
            break
        short = want - leg_thigh(fr, bk, inseam, drop)
        if short <= 0.05:
            break
        w["thigh_out"] += short / 2
        fr = _leg(True, w, length, inseam, 0.0, 0.0)
        bk, drop = _back_leg(w, length, inseam, fr)
    if warnings is not None and inseam > 3:
        got = leg_thigh(fr, bk, inseam, drop)
        if got < m["thigh"]:
            warnings.append(f"finished thigh {got:.1f} cm is under the body's {m['thigh']:g} cm: "
                            "raise hip or lower thigh")
    pieces = []
    for leg, front in ((fr, True), (bk, False)):
        fb = "front" if front else "back"
        c = "cf" if front else "cb"
        pd = PieceDraft(f"right_{fb}_leg", f"leg_right_{fb}", cut_group=f"{fb}_leg")
        out, ins = leg["outside"], leg["inside"]
        # square to both seams: a wide leg dips a little at the crease, a tapered one rises (a straight hem
        # met a wide leg's seams at 77-80 degrees: a 21-23 degree point at each seam once sewn)
        hem = g.square_hem(out[-1], out[-2] - out[-1], ins[0], ins[1] - ins[0])
        pd.edge("hem", hem, "hem", ("hem_out_right", "hem_in_right"))
        pd.edge("inseam", leg["inside"], "seam", ("hem_in_right", "crotch"))
        pd.edge("crotch", leg["crotch"], "seam", ("crotch", f"{c}_waist"))
        _waist(pd, leg, c, w["dart_front" if front else "dart_back"], DART_LENGTH[front])
        pd.edge("side", leg["outside"], "seam", ("side_waist_right", "hem_out_right"))
        pd.landmarks.update(crotch=leg["crotch"][0], waist_center=g.P(*leg["top_c"]),
                            waist_side=g.P(*leg["side_top"]), hem_center=g.P(0, 0),
                            knee_center=g.P(0, max(0.0, leg["knee_y"])), hip_level=g.P(0, leg["hip_y"]))
        pd.grain = (0.0, 0.1 * length, 0.7 * length)
        if front:
            pieces += [pd, pd.mirrored("left_front_leg", "leg_left_front")]
        else:  # seen from behind, the right back leg has its side seam at +x
            pieces += [pd.mirrored("right_back_leg", "leg_right_back", swap=False),
                       pd.mirrored("x", "leg_left_back").mirrored("left_back_leg", "leg_left_back", swap=False)]
    return pieces


DART_LENGTH = {True: 8.0, False: 11.0}  # cm: front and back trouser waist darts


def _waist(pd: PieceDraft, leg: dict, c: str, dart: float, length: float) -> None:
    """The waist from the centre to the side, with a dart half way when ``dart`` > 0: edges ``waist``
    (centre part) and ``waist_side``, both tagged at the dart with one name so a band runs on."""
    a, b = np.asarray(leg["top_c"], float), np.asarray(leg["side_top"], float)
    if dart <= 0:
        pd.edge("waist", g.line(a, b), "seam", (f"{c}_waist", "side_waist_right"))
        return
    u = (b - a) / np.linalg.norm(b - a)
    mid = (a + b) / 2
    d1, d2 = mid - u * dart / 2, mid + u * dart / 2
    tip = mid + np.array([u[1], -u[0]]) * length  # square to the waist line, into the leg
    if tip[1] > mid[1]:
        tip = mid - np.array([u[1], -u[0]]) * length
    at, base, t = f"{c}_dart_right", f"{c}_dart_right_base", f"{c}_dart_right_tip"
    pd.edge("waist", g.line(a, d1), "seam", (f"{c}_waist", at))
    pd.edge("dart_right_a", g.line(d1, tip), "seam", (base, t))
    pd.edge("dart_right_b", g.line(tip, d2), "seam", (t, base))
    pd.edge("waist_side", g.line(d2, b), "seam", (at, "side_waist_right"))


def waist_edges(pd) -> list[str]:
    """A trouser leg's waist edges, centre first (the dart between them is sewn shut)."""
    names = [e.name for e in pd.edges]
    return [n for n in ("waist", "waist_side") if n in names]


def dist_to_y(pts, y: float) -> float:
    """Distance along a polyline to where it first reaches height y."""
    pts = np.asarray(pts)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    for i in range(len(pts) - 1):
        y0, y1 = pts[i, 1], pts[i + 1, 1]
        if (y0 - y) * (y1 - y) <= 0 and y0 != y1:
            t = (y - y0) / (y1 - y0)
            return float(seg[:i].sum() + t * seg[i])
    return float(seg.sum() / 2)
