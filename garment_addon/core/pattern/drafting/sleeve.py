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
from .ease import HAND_EASE, cap_ease, spec_ease

ARM_LENGTH_FRACTION = ARM_LENGTH  # shoulder point to wrist / height


def _cap_half(w: float, top_y: float, cap: float, sign: float, n: int | None = None) -> np.ndarray:
    """Cap top (0, top_y) down to the underarm corner (sign * w, top_y - cap)."""
    base = top_y - cap
    return g.cubic((0.0, top_y), (sign * 0.55 * w, top_y), (sign * 0.75 * w, base), (sign * w, base), n)


def _solve_half(target: float, top_y: float, cap: float) -> float:
    # 64 samples measure the cap within 0.01 cm; the drawn curve uses the default density
    return g.bisect(lambda w: g.length(_cap_half(w, top_y, cap, 1.0, 64)) - target, 0.5, 80.0, tol=1e-3)


def sleeve_piece(spec: GarmentSpec, armhole_front: float, armhole_back: float, sleeve_len: float,
                 height: float, warnings: list[str], hem_role: str = "hem",
                 rib_cuff: bool = False) -> tuple[PieceDraft, float, float]:
    """The left sleeve. Returns (piece, cap ease front, cap ease back).

    ``rib_cuff``: a rib cuff is stretched onto the hem, so the sleeve tapers to just pass the hand.
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
    wrist_w = m["wrist"] + (HAND_EASE if rib_cuff else e["wrist"])
    frac = min(1.0, below_cap / max(1.0, arm_len - cap))
    hem_w = min(bicep_w, bicep_w + (wrist_w - bicep_w) * frac)
    hem_w = max(hem_w, m["wrist"] + HAND_EASE)  # the hem (and a closed cuff) must pass the hand
    hw = hem_w / 2
    x0 = (wb - wf) / 2  # centre the hem so both underarm seams have the same length
    base = top - cap
    front = _cap_half(wf, top, cap, -1.0)
    back = _cap_half(wb, top, cap, 1.0)

    pd = PieceDraft("left_sleeve", "arm_left", cut_group="sleeve")
    pd.edge("hem", g.line((x0 - hw, 0), (x0 + hw, 0)), hem_role, ("sleeve_hem_front", "sleeve_hem_back"))
    pd.edge("underarm_back", g.line((x0 + hw, 0), back[-1]), "seam", ("sleeve_hem_side", "underarm_left"))
    pd.edge("cap_back", back[::-1], "seam", ("underarm_left", "shoulder_left"))
    pd.edge("cap_front", front, "seam", ("shoulder_left", "underarm_left"))
    pd.edge("underarm_front", g.line(front[-1], (x0 - hw, 0)), "seam", ("underarm_left", "sleeve_hem_side"))
    pd.landmarks.update(cap_top=g.P(0, top), underarm_front=front[-1], underarm_back=back[-1],
                        hem_center=g.P(x0, 0), bicep_level=g.P(0, base))
    pd.grain = (0.0, 0.15 * top, max(0.2 * top, base - 1.0))
    pd.notches.append(("cap_front", 0.0, 1))  # cap top, matches the shoulder seam
    cap_f = g.length(front) - armhole_front
    cap_b = g.length(back) - armhole_back
    return pd, cap_f, cap_b
