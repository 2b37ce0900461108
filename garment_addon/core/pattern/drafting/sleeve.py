"""Set-in sleeve whose cap is solved to the drafted armhole.

Frame: y = 0 at the sleeve hem, y = sleeve length at the cap top (shoulder
point). For the left sleeve seen from outside the front half of the cap is at -x.
The cap's front and back halves are solved separately so each is its armhole
half plus an even share of the cap ease.
"""

from __future__ import annotations

import numpy as np

from ...proportions import ARM_LENGTH
from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PieceDraft
from .ease import EASE, HAND_EASE, OVER_CUFF, cap_ease, spec_ease

ARM_LENGTH_FRACTION = ARM_LENGTH  # shoulder point to wrist / height
# A plain hem that reaches past the wrist rests on the hand if it is no wider than the hand at the
# thumb's base (about wrist + 9 cm round on size M's mannequin, 3-8 cm past the wrist): at wrist +
# HAND_EASE it still passes the hand with the fingers together, and the sleeve breaks above it. At the
# fit's wrist ease (regular: wrist + 10) it slid over the hand and hung straight (shirt M cut 4 cm past
# the wrist: sleeve_break 1.025; at wrist + 6: 1.04).
ON_HAND_CM = 1.0  # past the wrist: the hem lies on the hand


def _cap_half(w: float, top_y: float, cap: float, sign: float, n: int | None = None) -> np.ndarray:
    """Cap top (0, top_y) down to the underarm corner (sign * w, top_y - cap)."""
    base = top_y - cap
    return g.cubic((0.0, top_y), (sign * 0.55 * w, top_y), (sign * 0.75 * w, base), (sign * w, base), n)


def _solve_half(target: float, top_y: float, cap: float) -> float:
    # 64 samples measure the cap within 0.01 cm; the drawn curve uses the default density
    return g.bisect(lambda w: g.length(_cap_half(w, top_y, cap, 1.0, 64)) - target, 0.5, 80.0, tol=1e-3)


def sleeve_piece(spec: GarmentSpec, armhole_front: float, armhole_back: float, sleeve_len: float,
                 height: float, warnings: list[str], hem_role: str = "hem",
                 rib_cuff: bool = False, trued: bool = True) -> tuple[PieceDraft, float, float]:
    """The left sleeve. Returns (piece, cap ease front, cap ease back).

    ``rib_cuff``: a rib cuff is stretched onto the hem, so the sleeve tapers to just pass the hand; so
    does a plain hem that reaches the hand (it rests there, see ON_HAND_CM; outerwear's, OVER_CUFF wider).
    """
    m, fit = spec.m, spec.fit
    e = spec_ease(spec)
    total_ease = cap_ease(fit, spec.garment_type, spec.fabric)
    ef = eb = total_ease / 2
    min_bicep = m["bicep"] + e["bicep"] / 2  # half the usual ease is the least a sleeve may have
    cap = m["cap_height"]
    top = sleeve_len

    def widths(c: float) -> tuple[float, float]:
        return _solve_half(armhole_front + ef, top, c), _solve_half(armhole_back + eb, top, c)

    wf, wb = widths(cap)
    if wf + wb < min_bicep:
        # the cap is too tall for this bicep: lower it until the sleeve is wide enough
        cap = g.bisect(lambda c: sum(widths(c)) - min_bicep, 2.0, cap)
        wf, wb = widths(cap)
        warnings.append(f"cap_height lowered from {m['cap_height']:g} to {cap:.1f} cm so the sleeve "
                        f"fits a bicep of {m['bicep']:g} cm with {fit} ease")
    cap = min(cap, top - 2.0)
    wf, wb = widths(cap)
    bicep_w = wf + wb
    # hem width: taper from the bicep to the wrist along the arm
    arm_len = ARM_LENGTH_FRACTION * height
    below_cap = max(0.0, top - cap)
    on_hand = hem_role == "hem" and top >= arm_len + ON_HAND_CM
    over_cuff = OVER_CUFF if e["wrist"] > EASE[fit]["wrist"] else 0.0  # outerwear goes over a shirt's cuff
    wrist_w = m["wrist"] + (HAND_EASE if rib_cuff else HAND_EASE + over_cuff if on_hand else e["wrist"])
    frac = min(1.0, below_cap / max(1.0, arm_len - cap))
    hem_w = min(bicep_w, bicep_w + (wrist_w - bicep_w) * frac)
    hem_w = max(hem_w, m["wrist"] + HAND_EASE)  # the hem (and a closed cuff) must pass the hand
    hw = hem_w / 2
    x0 = (wb - wf) / 2  # centre the hem so both underarm seams have the same length
    base = top - cap
    front = _cap_half(wf, top, cap, -1.0)
    back = _cap_half(wb, top, cap, 1.0)

    hem = _trued_hem(x0, hem_w, front[-1], back[-1]) if trued else None
    if hem is None:
        hem = g.line((x0 - hw, 0), (x0 + hw, 0))
    a, b = hem[0], hem[-1]

    pd = PieceDraft("left_sleeve", "arm_left", cut_group="sleeve")
    pd.edge("hem", hem, hem_role, ("sleeve_hem_front", "sleeve_hem_back"))
    pd.edge("underarm_back", g.line(b, back[-1]), "seam", ("sleeve_hem_side", "underarm_left"))
    pd.edge("cap_back", back[::-1], "seam", ("underarm_left", "shoulder_left"))
    pd.edge("cap_front", front, "seam", ("shoulder_left", "underarm_left"))
    pd.edge("underarm_front", g.line(front[-1], a), "seam", ("underarm_left", "sleeve_hem_side"))
    pd.landmarks.update(cap_top=g.P(0, top), underarm_front=front[-1], underarm_back=back[-1],
                        hem_center=g.P(x0, 0), bicep_level=g.P(0, base))
    pd.grain = (0.0, 0.15 * top, max(0.2 * top, base - 1.0))
    pd.notches.append(("cap_front", 0.0, 1))  # cap top, matches the shoulder seam
    cap_f = g.length(front) - armhole_front
    cap_b = g.length(back) - armhole_back
    return pd, cap_f, cap_b


def _trued_hem(x0: float, width: float, top_a: np.ndarray, top_b: np.ndarray) -> np.ndarray | None:
    """The hem, ``width`` cm round, from the front underarm seam's foot to the back one's, square to
    both seams (which run up to ``top_a`` and ``top_b``), its middle at (x0, 0) and the seams run on
    down to the lower corners: sewn, the hem goes round the arm without a notch at the seam (a
    straight hem on a sleeve tapered to the wrist met the seam at 97-104 degrees: a 15-27 degree
    notch), and the sleeve keeps its length down the middle and its width at the hem. None where
    no such hem settles under the seams' tops: a sleeve a few cm long under its cap, its seams
    nearly level (a cuffed dress's 19 cm sleeve with a 13 cm cap: 3 cm of seam), sent the corners
    150 cm out and the hem above the cap's foot."""
    half, drop = width / 2, 0.0
    for _ in range(12):  # the corners move down the slanting seams, so the width and the rise settle together
        a = _on_line(top_a, g.P(x0 - half, 0.0), -drop)
        b = _on_line(top_b, g.P(x0 + half, 0.0), -drop)
        hem = g.square_hem(a, top_a - a, b, top_b - b)
        drop += float(np.interp(x0, hem[:, 0], hem[:, 1]))
        half += (width - g.length(hem)) / 2
        if abs(width - g.length(hem)) < 1e-9:
            break
    settled = abs(width - g.length(hem)) < 0.01 and hem[:, 1].max() < 0.05
    below = hem[0, 1] < top_a[1] - TRUED_SEAM_MIN and hem[-1, 1] < top_b[1] - TRUED_SEAM_MIN
    return hem if settled and below else None


TRUED_SEAM_MIN = 2.0  # cm of underarm seam a trued hem's corners leave under the cap at least


def _on_line(p: np.ndarray, q: np.ndarray, y: float) -> np.ndarray:
    """The point at height ``y`` on the line through ``p`` and ``q``."""
    return q + (y - q[1]) / (p[1] - q[1]) * (p - q)


ELBOW_FRACTION = 0.186  # shoulder point to elbow / body height (about 31 cm at 168 cm)
FRONT_SEAM_IN = 0.35  # of the front half's width: the front seam sits under the arm, out of sight
BACK_SEAM_IN = 0.45  # of the back half's width: the back (elbow) seam
ELBOW_HOLLOW = 0.6  # cm the front seam curves in at the inner elbow
ELBOW_ROUND = 0.6  # cm the back seam curves out over the elbow
# cm the top sleeve's back seam is longer at the elbow, eased onto the under sleeve (tailoring: 0.5-1 cm).
# 1 cm gathered into a fold at the lower elbow notch that the wrap's relax pushed through the under
# sleeve on a jacket with a wrist + 8 hem (XL: 2 crossings; 1.2 cm: 4; 0.8: none at XS..XXL)
ELBOW_EASE = 0.8


def _cut_x(pts: np.ndarray, x: float) -> tuple[np.ndarray, np.ndarray]:
    """A polyline monotonic in x cut where it reaches ``x``: the part before and the part after."""
    d = pts[:, 0] - x
    i = int(np.nonzero(np.sign(d[1:]) != np.sign(d[0]))[0][0])
    t = d[i] / (d[i] - d[i + 1])
    q = pts[i] + t * (pts[i + 1] - pts[i])
    return np.vstack([pts[:i + 1], q]), np.vstack([q, pts[i + 1:]])


def _seam(top: np.ndarray, hem: np.ndarray, elbow_y: float | None, out: float) -> np.ndarray:
    """A sleeve seam from the cap down to the hem, pushed ``out`` cm (+x) at the elbow."""
    if elbow_y is None:
        return g.line(top, hem)
    x = float(np.interp(elbow_y, [hem[1], top[1]], [hem[0], top[0]]))
    return g.smooth([top, (x + out, elbow_y), hem])


def _elbow_spread(front: np.ndarray, back: np.ndarray, hem: np.ndarray, elbow_y: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The top sleeve's lower part turned about the front seam's elbow point so its back seam opens
    ELBOW_EASE cm at the elbow (eased onto the under sleeve there): the sleeve hangs forward from the
    elbow as an arm does. Front seam (cap -> hem), back seam (cap -> hem) and hem, turned."""
    pivot = front[np.argmin(np.abs(front[:, 1] - elbow_y))]
    k = int(np.argmin(np.abs(back[:, 1] - elbow_y)))
    ang = -ELBOW_EASE / max(float(np.linalg.norm(back[k] - pivot)), 1.0)  # clockwise: the back opens
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    turn = lambda q: (np.atleast_2d(q) - pivot) @ rot.T + pivot  # noqa: E731
    below = lambda q: q[:, 1] < pivot[1] - 1e-9  # noqa: E731
    f = front.copy()
    f[below(f)] = turn(f[below(f)])
    b = np.vstack([back[:k + 1], turn(back[k:])])  # the elbow point twice: the opened wedge between
    return f, b, turn(hem)


def _rigid(a0, a1, b0, b1):
    """The rotation + translation taking segment a0-a1 onto b0-b1 (of the same length)."""
    va, vb = np.subtract(a1, a0), np.subtract(b1, b0)
    ang = np.arctan2(vb[1], vb[0]) - np.arctan2(va[1], va[0])
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    return lambda p: (np.atleast_2d(p) - a0) @ rot.T + b0


def two_piece(pd: PieceDraft, height: float) -> tuple[PieceDraft, PieceDraft, float, float]:
    """The one-piece left sleeve ``pd`` split into a top sleeve and an under sleeve, as tailored jackets
    have: the front seam under the arm, the back seam down the back of the arm, curved over the
    elbow (the top sleeve's eased on), the under sleeve's two strips joined along the old underarm seam.

    Returns (top, under, share of the front cap on the top sleeve, share of the back cap)."""
    front = pd.get("cap_front").pts  # shoulder -> front underarm corner
    back = pd.get("cap_back").pts[::-1]  # shoulder -> back underarm corner
    hem = pd.get("hem").pts
    wf, wb, base, top_y = -front[-1, 0], back[-1, 0], front[-1, 1], front[0, 1]
    f_top, f_under = _cut_x(front, -(1 - FRONT_SEAM_IN) * wf)
    b_top, b_under = _cut_x(back, (1 - BACK_SEAM_IN) * wb)
    x0, hw = hem[:, 0].mean(), np.ptp(hem[:, 0]) / 2
    fh, bh = g.P(x0 - (1 - FRONT_SEAM_IN) * hw, 0.0), g.P(x0 + (1 - BACK_SEAM_IN) * hw, 0.0)
    elbow = top_y - ELBOW_FRACTION * height
    elbow = elbow if elbow > 8.0 and base - elbow > 5.0 else None  # a short sleeve ends above the elbow
    f_seam = _seam(f_top[-1], fh, elbow, ELBOW_HOLLOW)  # cap -> hem
    b_seam = _seam(b_top[-1], bh, elbow, 0.0)
    b_round = _seam(b_top[-1], bh, elbow, ELBOW_ROUND)
    role = pd.get("hem").role
    ts_front, ts_back, ts_hem = f_seam, b_round, g.line(fh, bh)
    if elbow is not None:
        ts_front, ts_back, ts_hem = _elbow_spread(f_seam, b_round, ts_hem, elbow)
    ts = PieceDraft("left_top_sleeve", "arm_left", cut_group="top_sleeve")
    ts.edge("hem", ts_hem, role, ("sleeve_hem_front", "sleeve_hem_back"))
    ts.edge("back_seam", ts_back[::-1], "seam", ("sleeve_hem_back", "back_seam_left"))
    ts.edge("cap_back", b_top[::-1], "seam", ("back_seam_left", "shoulder_left"))
    ts.edge("cap_front", f_top, "seam", ("shoulder_left", "front_seam_left"))
    ts.edge("front_seam", ts_front, "seam", ("front_seam_left", "sleeve_hem_front"))
    ts.landmarks.update(cap_top=g.P(0, top_y), bicep_level=g.P(0, base), hem_center=ts_hem.mean(axis=0))
    ts.grain = (0.0, 0.15 * top_y, max(0.2 * top_y, base - 1.0))
    ts.notches.append(("cap_front", 0.0, 1))  # cap top: the shoulder seam
    # the under sleeve: its back strip as drafted, its front strip turned onto it along the underarm seam
    m = _rigid(front[-1], hem[0], back[-1], hem[-1])
    us = PieceDraft("left_under_sleeve", "arm_left", cut_group="under_sleeve")
    us.edge("hem", np.vstack([bh, hem[-1], m(fh)]), role, ("sleeve_hem_back", "sleeve_hem_front"))
    us.edge("front_seam", m(f_seam[::-1]), "seam", ("sleeve_hem_front", "front_seam_left"))
    us.edge("cap_front", m(f_under), "seam", ("front_seam_left", "underarm_left"))
    us.edge("cap_back", b_under[::-1], "seam", ("underarm_left", "back_seam_left"))
    us.edge("back_seam", b_seam, "seam", ("back_seam_left", "sleeve_hem_back"))
    us.landmarks.update(underarm_seam=g.P(wb, base), bicep_level=g.P(wb, base))
    us.grain = (float(wb), 0.15 * top_y, max(0.2 * top_y, base - 1.0))
    if elbow is not None:  # matching notches 5 cm either side of the elbow: the ease goes between them
        ts.landmarks["elbow"] = g.P(0, elbow)
    share_f = g.length(f_top) / g.length(front)
    share_b = g.length(b_top) / g.length(back)
    return ts, us, share_f, share_b
