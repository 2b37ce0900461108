"""Bands (collar, cuffs, waistband), hood halves and patch pockets."""

from __future__ import annotations

import numpy as np

from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PatternDraft, PieceDraft

BUTTONHOLE_BAND = 2.0  # cm: a waistband buttonhole for a 1.7 cm button


def sew_ends(draft: PatternDraft, pd: PieceDraft) -> int:
    """Sew a band's ``end`` edge to its ``start`` edge, closing it into a ring; returns the seam."""
    # both ends run bottom -> top with the same tags, so they sew bottom to bottom
    pd.get("end").tags = ("band_bottom", "band_top")
    pd.get("start").tags = ("band_top", "band_bottom")
    return draft.sew(pd.name, "end", pd.name, "start")


def band_run(draft: PatternDraft, piece: str, edge: str) -> tuple[float, tuple[str, str]]:
    """Length and end tags of a band part sewn to ``piece.edge``.

    Sewn right side out, a band runs against the target's counter-clockwise direction.
    """
    e = next(x for x in draft.piece(piece).ccw_edges() if x.name == edge)
    return g.length(e.pts), (e.tags[1], e.tags[0])


def band(draft: PatternDraft, name: str, region: str, targets: list[tuple[str, str]], height: float,
         *, closed: bool = False, extension: float = 0.0, cut_group: str = "", rib: float = 1.0,
         shawl: float = 0.0) -> PieceDraft:
    """A straight band whose bottom is split to sew 1:1 onto ``targets`` (a chain of edges).

    ``rib`` < 1: a rib knit band cut that fraction of its targets and stretched onto them as it is
    sewn (the seam declares the difference as negative ease); its grain runs across the band so
    the rib's stretch runs along it.

    The band is cut double and folded along its top edge. ``closed``: the two ends
    sew together (a cuff tube); otherwise they are an opening, extended by
    ``extension`` past the last target (button stand of a waistband).

    ``shawl`` > 0: a shawl collar on a V neckline that opens to a break point. Its ends, sewn from the
    break point up the fronts' necklines, narrow from the full height at the side necks to ``shawl``
    cm at the break point, so its two ends, which cross over each other at the centre front above
    the break as the fronts do, meet there as a narrow band (cut as an upper and an under collar
    sewn round its outer edge, not folded: the edge is not straight).
    """
    oriented = []
    for pname, ename in targets:
        length, tags = band_run(draft, pname, ename)
        oriented.append((pname, ename, length, tags))
        draft.piece(pname).set_role(ename, "seam")
    pd = PieceDraft(name, region, cut_group=cut_group or name)
    x = 0.0
    start_tag = f"{name}_start"
    end_tag = f"{name}_end"
    if extension > 0:
        pd.edge("extension", g.line((-extension, 0), (0, 0)), "opening", (f"{name}_ext", oriented[0][3][0]))
        x0 = -extension
    else:
        x0 = 0.0
    for pname, ename, ln, tags in oriented:
        bottom_name = "to_" + f"{pname}_{ename}" if len(oriented) > 1 else "bottom"
        pd.edge(bottom_name, g.line((x, 0), (x + rib * ln, 0)), "seam", tags)
        draft.sew(pname, ename, name, pd.edges[-1].name, ease=(rib - 1.0) * ln)
        x += rib * ln
    # a notch where each part of the chain meets the next (shoulder, side seam, centre back), and
    # a band sewn to one edge notched at its middle to match (a cuff's half way round)
    for k, (pname, ename, _, _) in enumerate(oriented):
        if k:
            pd.notches.append((f"to_{pname}_{ename}", 0.0, 1))
    if len(oriented) == 1:
        draft.notch_pair(len(draft.seams) - 1, oriented[0][2] / 2, 1)
    last_tag = oriented[-1][3][1]
    first_tag = oriented[0][3][0] if extension <= 0 else f"{name}_ext"
    end_role = "seam" if closed else "opening"
    end_h = min(shawl, height) if shawl > 0 else height
    pd.edge("end", g.line((x, 0), (x, end_h)), end_role, (last_tag, end_tag if not closed else f"{name}_top"))
    if shawl > 0:  # full height between the side necks (where the fronts' runs end), narrowing to the ends
        lo, hi = oriented[0][2], x - oriented[-1][2]
        top = g.join(g.cubic((x, end_h), (x - 0.5 * (x - hi), end_h), (hi + 0.3 * (x - hi), height), (hi, height)),
                     g.line((hi, height), (lo, height)),
                     g.cubic((lo, height), (0.7 * lo, height), (0.5 * lo, end_h), (x0, end_h)))
        pd.edge("top", top, "free", (end_tag, start_tag))
    else:
        pd.mark("fold", [(x0, height), (x, height)], "fold line: cut double, fold here" + (
            f"; rib knit, {rib:.0%} of the edge: stretch to fit" if rib < 1.0 else ""))
        pd.edge("top", g.line((x, height), (x0, height)), "fold", (end_tag, start_tag))
    pd.edge("start", g.line((x0, end_h), (x0, 0)), end_role,
            (start_tag if not closed else f"{name}_top", first_tag))
    if closed:
        sew_ends(draft, pd)
    pd.landmarks.update(bottom_start=g.P(x0, 0), bottom_end=g.P(x, 0), top_mid=g.P((x0 + x) / 2, height))
    pd.grain_along_x = rib >= 1.0
    if rib < 1.0:
        pd.material = "rib knit"
    if extension > 0:  # a button on the extension, its buttonhole at the far end, across the band
        pd.mark("button", [(x0 + extension / 2, height / 2)], "button")
        pd.mark("buttonhole", [(x - 1.5, height / 2), (x - 1.5 - BUTTONHOLE_BAND, height / 2)], "buttonhole")
    return pd


# a hood's face edge (hood_halves), of the hood's height: how far behind the face line its neck roll lies
# (5 cm at M), how far above the neck, and where it turns back from the brow (wrap of the hoodie M with the
# roll 0.14 / 0.2 / 0.25: 12.6 / 14.8 / 15.9 cm apart at 142, the edge 3.3-3.7 cm off the skin from the chin
# to the cheekbones either way, the cut edge 40.4 / 43.4 / 46.3 cm long)
HOOD_NECK_ROLL = 0.14
HOOD_ROLL_UP = 0.15
HOOD_BROW = 0.45
HOOD_V_ROLL = 0.7  # of a V neck's run to the neck point: where an open front's face edge leaves its level


def head_girth(height: float) -> float:
    """Head circumference of an adult of this height (cm): it varies little, about 54-58 cm."""
    return 0.2 * height + 22.0


def hood_size(hood_height: float, head: float, warnings: list[str]) -> tuple[float, float]:
    """(height, depth) of a hood half that goes over a head of girth ``head``.

    From one side of the neck base over the crown to the other is about 1.1 x the head girth,
    so each half needs 0.55 x girth plus 3 cm ease; front to back a head is 0.35 x its girth,
    plus 6 cm so the face opening clears the forehead and the back clears the occiput.
    """
    need = 0.55 * head + 3.0
    h = hood_height
    if h < need:
        warnings.append(f"hood_height raised from {h:g} to {need:.1f} cm so the hood fits over a head of "
                        f"{head:.0f} cm")
        h = need
    return h, 0.35 * head + 6.0


def is_shawl(piece) -> bool:
    """Whether ``piece`` (drafted or a draft) is a shawl collar as ``band(shawl=...)`` cuts it: its top
    edge sewn to an under collar (role free), not a band's fold."""
    return any(e.name == "top" and e.role == "free" for e in piece.edges)


def is_tailored(piece) -> bool:
    """Whether ``piece`` is a collar turned down over a drafted roll line (tailored.lapel_collar)."""
    return any(m.get("kind") == "roll_line" for m in piece.markings)


def hood_halves(draft: PatternDraft, spec: GarmentSpec, fronts: dict[str, str], back: str,
                height: float) -> None:
    """Left and right hood halves sewn to the neckline and to each other over the crown.

    ``fronts`` maps the wearer's side to the front piece holding that side's neckline.
    """
    h, depth = hood_size(spec.m["hood_height"], head_girth(height), draft.warnings)
    front = fronts["left"]
    neck = draft.piece(front).get("neckline_left")
    bl = g.length(draft.piece(back).get("neckline_left").pts)
    # the front neck edge traced off the front's neckline, laid with the neck point on the back's neck
    # line: it drops with the neckline to where the front's neckline ends (a V-neck jacket: 20 cm,
    # down to the opening), so the face edge reaches down to that point. Drawn straight and level (as
    # long, all of it counted as width), the hood's neck edge met a V neckline that falls 20 cm: the hood
    # was 8 cm deeper than the head needs (M), its face edges met at the V's bottom, closing the face to
    # a slit, and the wrap folded the fronts under it by the neck (58 crossings over XS..XXL x fit)
    pts = neck.pts if neck.pts[0][1] < neck.pts[-1][1] else neck.pts[::-1]  # the neck point (higher) last
    run = pts - pts[0]  # the centre front (or the opening) first, at the origin
    run[:, 0] *= np.sign(run[-1, 0]) or 1.0  # toward the back: +x, the face at x = 0
    run[:, 1] -= run[-1, 1]  # the neck point at y = 0, the centre front below it
    if fronts["left"] == fronts["right"] or pts[0][0] > -0.01:
        # no overlap past the centre front (a pullover, an edge-to-edge front): the halves meet at the
        # centre front neck and keep the straight edge. Traced, the hoodie's hood was 4 cm narrower at the
        # neck (its S / XS wrap crossed itself 5 times at the back neck) and the hooded jumpsuit's wrap
        # (a 12 cm round neckline) crossed itself by the neck's sides (XS..XXL x fit 187 -> 720)
        run = g.line((0, 0), (g.length(neck.pts), 0))
    xn = float(run[-1, 0])
    d = xn + bl
    depth = max(depth, d + 2.0)
    top = g.P(2.5, h)
    low = g.P(0.0, float(run[0, 1]))
    cf = next(t for t in neck.tags if t != "neck_left")
    pd = PieceDraft("hood_left", "hood_left", cut_group="hood")
    pd.edge("neck_front", run, "seam", (cf, "neck_left"))
    pd.edge("neck_back", g.line((xn, 0), (d, 0)), "seam", ("neck_left", "cb_neck"))
    # the back swings out from the neck to the full head depth, then rounds over the crown
    # (widest at brow level, a little above half the height, where the head is longest)
    back_mid = (depth, 0.55 * h)
    crown = g.join(g.cubic((d, 0), (d + 0.6 * (depth - d), 0.15 * h), (depth, 0.35 * h), back_mid),
                   g.cubic(back_mid, (depth, 0.85 * h), (0.45 * depth, h), top))
    pd.edge("crown", crown, "seam", ("cb_neck", "hood_top"))
    # the face edge turns back into a 2 cm casing for a drawcord. Under the brow it is scooped back
    # HOOD_NECK_ROLL behind the face line, HOOD_ROLL_UP above the neck, and rises straight from the neck
    # (a neck roll, as FreeSewing's Hugo hood cuts one): the halves part right above the centre front
    # neck, a U under the chin. Cut straight up from the neck, 1 cm in front of the face line, the two
    # edges rose together and met 4 cm under the chin in a V (hoodie M drape: 7.5 / 11.2 cm apart 1 / 3 cm
    # over the chin, 1.7 cm off the skin)
    brow = (-0.02 * h, HOOD_BROW * h)
    upper = g.cubic(top, (-0.04 * h, 0.8 * h), (brow[0], (HOOD_BROW + 0.15) * h), brow)
    # down a V neckline's drop (an open front's) it leaves the neck point's level HOOD_V_ROLL of the
    # way to the neck point, in a straight line to the V's bottom: drawn straight down the centre front,
    # the halves lay over each other up the neck to the chin (hooded jacket M loose wrap: 2.0 / 3.4 cm
    # apart at 140 / 142, the chin at 142.7; 0.8 cm off the skin in the drape)
    v = low[1] < -1e-6
    s0 = HOOD_V_ROLL * xn if v else 0.0
    roll = (HOOD_NECK_ROLL * h, HOOD_ROLL_UP * h)
    lower = g.cubic(brow, (brow[0], (HOOD_BROW - 0.12) * h), (s0, 0.15 * h), (s0, 0)) if v else \
        g.join(g.cubic(brow, (brow[0], (HOOD_BROW - 0.12) * h), (roll[0], roll[1] + 0.1 * h), roll),
               g.cubic(roll, (roll[0], 0.5 * roll[1]), (0, 0.5 * roll[1]), (0, 0)))
    face = g.join(upper, lower, g.line((s0, 0), low)) if v else g.join(upper, lower)
    pd.edge("face", face, "opening", ("hood_top", cf), allowance=2.5)
    pd.landmarks.update(neck_front=low, neck_back=g.P(d, 0), crown=g.P(0.5 * d, h))
    pd.notches.append(("neck_back", 0.0, 1))  # the shoulder seam
    pd.grain = (0.45 * d, 0.2 * h, 0.8 * h)
    right = pd.mirrored("hood_right", "hood_right")
    draft.add(pd, right)
    for s in ("left", "right"):
        draft.sew(fronts[s], f"neckline_{s}", f"hood_{s}", "neck_front")
        draft.sew(back, f"neckline_{s}", f"hood_{s}", "neck_back")
        draft.piece(fronts[s]).set_role(f"neckline_{s}", "seam")
        draft.piece(back).set_role(f"neckline_{s}", "seam")
    i = draft.sew("hood_left", "crown", "hood_right", "crown")
    draft.notch_pair(i, g.length(crown) / 2, 2)  # half way over the crown (double: the back)


def patch_pocket(name: str, on_piece: str, at: tuple[float, float], w: float, h: float,
                 region: str = "pocket", kangaroo: bool = False, angle: float = 0.0) -> PieceDraft:
    """A patch pocket topstitched onto ``on_piece`` at ``at`` (its centre, piece coordinates), turned
    ``angle`` degrees counter-clockwise there (its top along a sloping hem).

    Its sides and bottom are sewn onto the face of another piece, not to an edge,
    so they carry the role ``face``; the top is hemmed.
    """
    pd = PieceDraft(name, region, cut_group=name.replace("left_", "").replace("right_", ""))
    r = min(w, h) * 0.12
    if kangaroo:
        # hand openings: long slants from low on the sides to the top, wide enough for a hand
        side_h = min(5.0, 0.25 * h)
        inset = min(0.22 * w, 9.0)
        pd.edge("bottom", g.line((-w / 2, 0), (w / 2, 0)), "face", ("p_bl", "p_br"))
        pd.edge("side_left", g.line((w / 2, 0), (w / 2, side_h)), "face", ("p_br", "p_sr"))
        pd.edge("opening_left", g.line((w / 2, side_h), (w / 2 - inset, h)), "hem", ("p_sr", "p_tr"),
                allowance=1.5)
        pd.edge("top", g.line((w / 2 - inset, h), (-w / 2 + inset, h)), "face", ("p_tr", "p_tl"))
        pd.edge("opening_right", g.line((-w / 2 + inset, h), (-w / 2, side_h)), "hem", ("p_tl", "p_sl"),
                allowance=1.5)
        pd.edge("side_right", g.line((-w / 2, side_h), (-w / 2, 0)), "face", ("p_sl", "p_bl"))
    else:
        bottom = g.join(g.quad((-w / 2, r), (-w / 2, 0), (-w / 2 + r, 0)), g.line((-w / 2 + r, 0), (w / 2 - r, 0)),
                        g.quad((w / 2 - r, 0), (w / 2, 0), (w / 2, r)))
        pd.edge("bottom", bottom, "face", ("p_bl", "p_br"))
        pd.edge("side_left", g.line((w / 2, r), (w / 2, h)), "face", ("p_br", "p_tr"))
        pd.edge("top", g.line((w / 2, h), (-w / 2, h)), "hem", ("p_tr", "p_tl"))
        pd.edge("side_right", g.line((-w / 2, h), (-w / 2, r)), "face", ("p_tl", "p_bl"))
    pd.landmarks["center"] = g.P(0, h / 2)
    pd.placement = {"attach_to": on_piece, "at": [float(at[0]), float(at[1])]}
    if angle:
        pd.placement["angle"] = float(angle)
    return pd


def hem_angle(host: PieceDraft, x: float, w: float) -> float:
    """Degrees (counter-clockwise) of ``host``'s hem between x - w/2 and x + w/2: a pocket over a
    front whose hem dips at the centre front (its bust length rotated to the hem) lies along it."""
    hem = next((e.pts for e in host.edges if e.name == "hem"), None)
    if hem is None:
        return 0.0
    order = np.argsort(hem[:, 0])
    y = np.interp([x - w / 2, x + w / 2], hem[order, 0], hem[order, 1])
    return float(np.degrees(np.arctan2(y[1] - y[0], w)))
