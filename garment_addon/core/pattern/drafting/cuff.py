"""A shirt's buttoned cuff: the sleeve opened by a placket slit and pleated into a cuff band that
buttons round the wrist.

A closed cuff tube has to pass the hand (wrist + 6 cm) and so slides down over it. A shirt cuff is
drafted to the wrist with a finger's ease plus a button overlap; unbuttoned, it opens with the
sleeve's placket slit so the hand goes through. The sleeve hem is wider than the cuff: the
difference is laid in pleats between the slit and the sleeve's centre, folded toward the slit. The
sleeve is cut BLOUSING cm longer above the cuff than the arm needs, so it blouses over the cuff held
at the wrist.

Sleeve frame (sleeve.sleeve_piece, left sleeve): y = 0 at the hem, the front underarm seam at the
hem's start (-x), the back one at its end (+x). The slit lies in the back half, half way between the
sleeve's centre line and the back underarm seam (in line with the little finger).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...proportions import ARM_LENGTH
from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PatternDraft, PieceDraft
from .parts import band_run

CUFF_EASE = 3.0  # cm over the wrist: a finger's room under the buttoned cuff
CUFF_OVERLAP = 2.5  # cm: the underlap past the slit that the button sits on
BLOUSING = 3.0  # cm the sleeve above a buttoned cuff is cut longer than the arm needs
PLACKET_SLIT = 10.0  # cm: the slit up from the hem, bound with a continuous lap
PLACKET_BINDING = 1.0  # cm: finished width of the binding each side of the slit
PLEAT = 3.5  # cm: about each pleat's intake
MAX_PLEATS = 3
PLEAT_FROM_SLIT = 2.5  # cm between the slit and the first pleat
PLEAT_GAP = 2.0  # cm between pleats
CUFF_BUTTON = 1.1  # cm button
LONG_SLEEVE = 0.8  # of the arm (shoulder point to wrist): a sleeve this long ends near the wrist


@dataclass(frozen=True)
class Pleat:
    """A pleat on the sleeve hem, measured along the hem from the slit: the line ``far`` cm from it is
    folded onto the line ``near`` cm from it, toward the slit."""
    near: float
    far: float

    @property
    def intake(self) -> float:
        return self.far - self.near


def buttoned_cuffs(spec: GarmentSpec, height: float) -> bool:
    """A woven shirt or dress whose cuffed sleeve reaches the wrist (LONG_SLEEVE of the arm) has
    buttoned cuffs and sleeve plackets; a short sleeve's cuff is a band round the arm, a knit's a rib,
    a jacket's stays a closed band."""
    return (spec.features["has_cuffs"] and spec.fabric == "woven" and spec.garment_type in ("shirt", "dress")
            and spec.m["sleeve_length"] >= LONG_SLEEVE * ARM_LENGTH * height)


def cuff_seam(wrist: float) -> float:
    """The buttoned cuff round the wrist (its seam to the sleeve, the overlap not counted)."""
    return wrist + CUFF_EASE


def pleats(room: float, intake: float) -> list[Pleat]:
    """Pleats taking ``intake`` cm out of the ``room`` cm of hem between the slit and the front
    underarm seam: about PLEAT cm each, at most MAX_PLEATS, the first PLEAT_FROM_SLIT cm from the
    slit, PLEAT_GAP cm apart, none within 2 cm of the seam."""
    if intake < 0.5:
        return []
    n = max(1, min(MAX_PLEATS, round(intake / PLEAT)))
    room -= 2.0 + PLEAT_FROM_SLIT
    while n > 1 and intake + (n - 1) * PLEAT_GAP > room:
        n -= 1
    p = intake / n
    return [Pleat(PLEAT_FROM_SLIT + k * (p + PLEAT_GAP), PLEAT_FROM_SLIT + k * (p + PLEAT_GAP) + p) for k in range(n)]


def open_placket(sleeve: PieceDraft, wrist: float) -> list[Pleat]:
    """Split the left sleeve's hem at the placket slit (``hem``: front underarm seam -> slit, ``hem_back``:
    slit -> back underarm seam), mark the slit and lay the pleats that take the hem down to the
    cuff. Returns the pleats."""
    hem = sleeve.get("hem").pts
    x0, x1 = float(hem[0, 0]), float(hem[-1, 0])
    slit_x = (sleeve.landmarks["hem_center"][0] + x1) / 2
    back_tag = sleeve.get("hem").tags[1]
    sleeve.split_edge("hem", back_tag, x1 - slit_x, "placket_left", "hem_back")
    sleeve.landmarks["placket"] = g.P(slit_x, 0.0)
    sleeve.mark("slit", [(slit_x, 0.0), (slit_x, PLACKET_SLIT)],
                f"placket: slit {PLACKET_SLIT:g} cm, bound")
    sleeve.mark("drill", [(slit_x, PLACKET_SLIT + 0.5)])
    lay = pleats(slit_x - x0, (x1 - x0) - cuff_seam(wrist))
    for pl in lay:
        sleeve.mark("pleat", [(slit_x - pl.far, 0.0), (slit_x - pl.near, 0.0)],
                    f"pleat {pl.intake:.1f} cm: fold toward the placket")
        for dist in (pl.far, pl.near):
            sleeve.notches.append(("hem", slit_x - dist - x0, 1))
    sleeve.notches.append(("hem_back", 0.0, 1))  # the slit's foot
    return lay


def buttoned_cuffs_on(d: PatternDraft, height: float, lay: list[Pleat]) -> None:
    """The left cuff band (and its mirror twin on the right) sewn to each sleeve's pleated ``hem`` and
    its ``hem_back``, running from the slit round the arm and back to it, then CUFF_OVERLAP cm on as
    the underlap (button) that the cuff's other end (buttonhole) laps over. Cut double and folded
    along its top (toward the hand), interfaced. The seam to the pleated hem declares the pleats'
    intake as its ease (the sleeve's side is the longer)."""
    intake = sum(p.intake for p in lay)
    pd = PieceDraft("left_cuff", "cuff_left", cut_group="cuff")
    front_len, front_tags = band_run(d, "left_sleeve", "hem")  # slit -> front underarm seam
    back_len, back_tags = band_run(d, "left_sleeve", "hem_back")  # back underarm seam -> slit
    a = front_len - intake
    c = a + back_len
    end = c + CUFF_OVERLAP
    pd.edge("to_left_sleeve_hem", g.line((0, 0), (a, 0)), "seam", front_tags)
    pd.edge("to_left_sleeve_hem_back", g.line((a, 0), (c, 0)), "seam", back_tags)
    pd.edge("extension", g.line((c, 0), (end, 0)), "opening", (back_tags[1], "cuff_underlap"), allowance=1.0)
    pd.edge("end", g.line((end, 0), (end, height)), "opening", ("cuff_underlap", "cuff_end"), allowance=1.0)
    pd.edge("top", g.line((end, height), (0, height)), "fold", ("cuff_end", "cuff_start"))
    pd.edge("start", g.line((0, height), (0, 0)), "opening", ("cuff_start", front_tags[0]), allowance=1.0)
    # where each pleat lands once laid (from the slit along the cuff), and the underarm seam
    taken = 0.0
    for pl in lay:
        pd.notches.append(("to_left_sleeve_hem", pl.near - taken, 1))
        taken += pl.intake
    pd.notches.append(("to_left_sleeve_hem_back", 0.0, 1))
    pd.mark("fold", [(0, height), (end, height)], "fold line: cut double, fold here")
    hole = CUFF_BUTTON + 0.3
    # buttoned, the end at x = 0 laps over the underlap: its buttonhole along the cuff starts 0.3 cm
    # past the button's centre toward the edge
    pd.mark("buttonhole", [(CUFF_OVERLAP / 2 - 0.3, height / 2), (CUFF_OVERLAP / 2 - 0.3 + hole, height / 2)],
            "buttonhole")
    pd.mark("button", [(c + CUFF_OVERLAP / 2, height / 2)], f"button {CUFF_BUTTON:g} cm")
    pd.landmarks.update(bottom_start=g.P(0, 0), bottom_end=g.P(end, 0), top_mid=g.P(end / 2, height))
    pd.grain_along_x = True
    pd.material = "self + fusible interfacing"
    d.add(pd, pd.mirrored("right_cuff", "cuff_right"))
    for s in ("left", "right"):
        sleeve = f"{s}_sleeve"
        for e in ("hem", "hem_back"):
            d.piece(sleeve).set_role(e, "seam")
        d.sew(f"{s}_cuff", f"to_{sleeve}_hem", sleeve, "hem", ease=intake)
        d.sew(f"{s}_cuff", f"to_{sleeve}_hem_back", sleeve, "hem_back")
