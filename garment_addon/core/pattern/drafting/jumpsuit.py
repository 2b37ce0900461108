"""A jumpsuit: an open-front bodice and trousers joined by a waist band, opening down the centre front.

GarmentCode composes it the same way (bodice, waistband, trousers). The bodice is the dress's (ending the
band's height above the waist, where the band's top is) with the jacket's open front; the legs are the
trousers' (wider at the waist under a wide bodice). The waist band sews
to both: its bottom is split 1:1 onto the four leg waists, its top onto the bodice's bottom edges,
gathering up to MAX_GATHER of the bodice into it (a bodice blouses over a waist seam). The front
opening runs from the neckline through the band and down the front crotch seam as a zip, far
enough that the hips pass the waist: one steps in and pulls it up.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import PatternDraft, PieceDraft
from .bodice import frame
from .construction import NECK_FACING
from .darts import dart_pairs
from .ease import HIP_DEPTH, band_waist_ease, spec_ease
from .garments import SIDES, ZIP_ALLOWANCE, top
from .pants import ONE_PIECE_BACK, ONE_PIECE_CROTCH_EASE, pant_pieces, waist_edges
from .parts import band_run, patch_pocket, sew_ends
from .tailored import bent, dense_line

MAX_GATHER = 0.1  # most of the bodice's waist that the band gathers in; the rest widens the band's top
MAX_GATHER_CM = 3.5  # and at most this much per bodice edge (a seam eases in no more than 4 cm)
MIN_SIDE_SEAM = 2.0  # cm of side seam a bodice shortened for its band keeps under the armhole
MAX_BAND_FLARE = 6.0  # cm the band's top may run longer than its bottom (a regular bodice's: 3.5-5.6 cm)
HIP_PASS_EASE = 4.0  # cm over the garment's hip that the open waist must reach around
MIN_ZIP_BELOW_WAIST = 12.0  # cm: the zip always runs this far down the front crotch seam
BAND_FLAT = 0.05  # cm: a band whose top is within this of its bottom's length is cut straight


def draft_jumpsuit(d: PatternDraft, spec: GarmentSpec, body: dict) -> None:
    fronts = _bodice_above_band(d, spec, body)
    if spec.features.get("has_bib"):
        _close_bib(d)
    for s in SIDES:  # the fronts' bottoms sew to the band instead of being hemmed
        d.piece(fronts[s]).set_role("hem", "seam")
    bodice = sum(band_run(d, p, e)[0] for p, e in _bodice_chain(d, fronts, "right"))
    # its crotch eased less than a trouser's: hung from the shoulders, not a waist. Eased as trousers'
    # (CROTCH_DEPTH_EASE) the loose XL wrap folded through itself under the crotch (5 crossings)
    d.add(*pant_pieces(spec, body["height"], waist=legs_waist(spec, bodice), crotch_ease=ONE_PIECE_CROTCH_EASE,
                      back=ONE_PIECE_BACK))
    for s in SIDES:
        d.sew(f"{s}_front_leg", "side", f"{s}_back_leg", "side")
        d.sew(f"{s}_front_leg", "inseam", f"{s}_back_leg", "inseam")
    d.sew("right_back_leg", "crotch", "left_back_leg", "crotch")
    fly = d.sew("right_front_leg", "crotch", "left_front_leg", "crotch")
    leg_pieces = [d.piece(f"{s}_{fb}_leg") for s in SIDES for fb in ("front", "back")]
    for pd in leg_pieces:  # trouser waist darts
        for a, b in dart_pairs(pd):
            d.sew(pd.name, a, pd.name, b)
    legs = _chain_from(d, [(pd.name, e) for pd in leg_pieces for e in waist_edges(pd)], "cf_waist")
    first_side = legs[0][0].split("_")[0]
    bodice = _bodice_chain(d, fronts, first_side)
    if spec.features.get("has_bib"):
        _side_openings(d, spec, legs, bodice, fronts)
    else:
        waist_loop = _waist_band(d, spec, legs, bodice)
        d.opening(fly, "zip", _zip_below_waist(d, spec, waist_loop), "cf_waist")
    if spec.features["has_pockets"]:
        for s in SIDES:
            leg = d.piece(f"{s}_front_leg")
            c, w = leg.landmarks["waist_center"], leg.landmarks["waist_side"]
            wide = min(POCKET_WIDTH + POCKET_GRADE * (spec.m["hip"] - POCKET_HIP), POCKET_MAX)
            at = (c[0] + 0.55 * (w[0] - c[0]), c[1] - HIP_DEPTH)  # on the hip line
            d.add(patch_pocket(f"{s}_pocket", leg.name, at, wide, wide * 16 / 15))
        if spec.features.get("has_bib"):
            d.add(_bib_pocket(d.piece(fronts["left"])))


def _bodice_above_band(d: PatternDraft, spec: GarmentSpec, body: dict) -> dict:
    """The bodice (top's pieces) ending the band's height above the waist, where the band's top is:
    its waist landmark that far below its bottom. Drafted to the waist, the bodice was lifted 5.5 cm
    (front) to 8.5 cm (back) onto the band's top and blousing into the 20 cm under the armholes, it
    folded under the bust and across the back (jumpsuit M drape: a crease under the bust and a
    horizontal ridge across the back; wrap: loose M / XL 12 / 27 self-crossings there, 4 / 5 so).
    Returns the fronts' names by side."""
    # never past the armholes' bottoms (a long armhole on a short bodice): MIN_SIDE_SEAM of side seam stays
    h = min(spec.m["waistband_height"], max(frame(spec, True).underarm_y - MIN_SIDE_SEAM, 0.0))
    shorter = dataclasses.replace(spec, measurements={**spec.m, "bodice_length": spec.m["bodice_length"] - h})
    fronts = top(d, shorter, body, dress=True, opening=True)["fronts"]
    for name in (*dict.fromkeys(fronts.values()), "back_bodice"):
        lm = d.piece(name).landmarks
        lm["waist_center"] = g.P(float(lm["waist_center"][0]), float(lm["waist_center"][1]) - h)
    return fronts


def _close_bib(d: PatternDraft) -> None:
    """A bib's halves are sewn down the centre front, not zipped, as overalls are made: one steps in
    through the fly and the band and pulls the straps over the shoulders. (The V the bib's top sagged
    into in the drape is not this: the drape holds the bib's faced top, pipeline._bib_facing.)"""
    for k, (pa, ea, pb, eb, *_) in enumerate(d.seams):
        if {pa, pb} == {"right_front", "left_front"} and ea == eb == "opening":
            d.closures.pop(k, None)
    for name in ("right_front", "left_front"):
        pd = d.piece(name)
        pd.markings = [mk for mk in pd.markings if mk["kind"] != "zip"]


# a bib's patch pocket keeps BIB_POCKET_CLEAR cm from every edge of the bib (the double topstitching
# 1 cm in from its finished edges and beside its centre front seam, then the pocket's own 1 cm
# allowance folded under, and a gap) and BIB_POCKET_GAP below its top's facing (where the facing's edge
# is stitched, with the buckles' buttons above); as tall as BIB_POCKET_RATIO of its width where the
# bib leaves room; a pencil division PENCIL_WIDTH in from its centre-front side
BIB_POCKET_CLEAR, BIB_POCKET_GAP, BIB_POCKET_RATIO, PENCIL_WIDTH = 2.5, 1.5, 1.15, 2.5


def _bib_pocket(front: PieceDraft) -> PieceDraft:
    """The bib's patch pocket on the wearer's left half (the bib's halves are sewn down the centre front:
    a pocket there would straddle the seam), drafted from the half's size: from BIB_POCKET_CLEAR beside
    the centre front to BIB_POCKET_CLEAR inside the side's scoop at the pocket's top (the scoop only
    widens below it), its top under the bib's faced top, its bottom clear of the band seam. Graded with
    the bib: M 10.0 x 11.5 cm, XS 8.8 x 10.1, XXL 11.9 x 13.5."""
    top_x, top_y = (float(v) for v in front.landmarks["bib_top"])
    side = 1.0 if top_x > 0 else -1.0  # the side the half is drawn on
    y = top_y - NECK_FACING - BIB_POCKET_GAP
    arm = next(e for e in front.edges if e.name.startswith("armhole")).pts
    arm = arm[np.argsort(arm[:, 1])]
    edge = abs(float(np.interp(y, arm[:, 1], arm[:, 0])))  # the scoop at the pocket's top
    w = edge - 2 * BIB_POCKET_CLEAR
    h = min(BIB_POCKET_RATIO * w, y - BIB_POCKET_CLEAR)
    pd = patch_pocket("bib_pocket", front.name, (side * (BIB_POCKET_CLEAR + w / 2), y - h / 2), w, h)
    x = -side * (w / 2 - PENCIL_WIDTH)  # the pocket is laid unmirrored: -x lies toward the centre front on +x
    pd.mark("stitch", [g.P(x, 0.0), g.P(x, h)], "pencil division")
    return pd


def legs_waist(spec: GarmentSpec, bodice: float) -> float:
    """The legs' finished waist under a bodice ``bodice`` cm round its bottom: a trouser waistband's
    (the body's waist and 1-3 cm), or wider where the bodice, gathered by MAX_GATHER, would flare the
    band's top more than MAX_BAND_FLARE over it.
    A jumpsuit hangs from the shoulders, so its waist needs no grip; with a trouser's waist under a
    loose bodice (77 cm under 108, size M) the band's top ran 22 cm longer than its bottom, a cone
    standing out 40 degrees, and the bodice lifted onto it folded (loose / boiler suit M wrap: 49 / 65
    self-crossings, 12 / 29 so)."""
    return max(spec.m["waist"] + band_waist_ease(spec.fit), (1.0 - MAX_GATHER) * bodice - MAX_BAND_FLARE)


def _chain_from(d: PatternDraft, targets: list[tuple[str, str]], start: str) -> list[tuple[str, str]]:
    """``targets`` in band order (each starting where the last ends), from the one starting at tag ``start``."""
    runs = {t: band_run(d, *t)[1] for t in targets}
    order = [next(t for t, tags in runs.items() if tags[0] == start)]
    while len(order) < len(targets):
        order.append(next(t for t, tags in runs.items() if t not in order and tags[0] == runs[order[-1]][1]))
    return order


def _bodice_chain(d: PatternDraft, fronts: dict, first_side: str) -> list[tuple[str, str]]:
    """The bodice's bottom edges in the order the band's legs run: one front, the back, the other front."""
    back = d.piece("back_bodice")
    waist = [e for e in back.edges if e.name.startswith("waist")]
    # the back's +x side is the wearer's right
    waist.sort(key=lambda e: float(e.pts[:, 0].mean()), reverse=first_side == "right")
    other = "left" if first_side == "right" else "right"
    return [(fronts[first_side], "hem"), *[("back_bodice", e.name) for e in waist], (fronts[other], "hem")]


def _waist_band(d: PatternDraft, spec: GarmentSpec, legs, bodice) -> float:
    """The band between bodice and legs, its ends zipped (the front opening runs on through it);
    returns its length (the waist loop when the zip is open)."""
    [(pd, length)] = _band(d, spec, ("waist_band",), legs, bodice)
    # the front zip runs on through the band: its ends are sewn as a closed band's, zipped, open all along
    for e in ("end", "start"):
        pd.set_role(e, "seam")
        pd.get(e).allowance = ZIP_ALLOWANCE
    ends = sew_ends(d, pd)
    d.opening(ends, "zip", g.length(pd.get("end").pts), "band_top", stop=False)
    return length


def _band(d: PatternDraft, spec: GarmentSpec, names: tuple[str, ...], legs, bodice,
          split: tuple[int, int] | None = None) -> list[tuple[PieceDraft, float]]:
    """The band sewn under ``bodice`` (its edges, in band order) and over ``legs``, gathering the bodice
    in where it is longer; one piece, or two cut apart ``split`` = (legs' edges, bodice's edges) into the
    first, along the line between those seams' ends on the bottom and the top (so the two sewn
    together again are the one band). A top longer than the bottom bends the band round a circle
    (landmark ``bend_centre``), its outer ends square to its edges. Every piece's ``start`` and ``end``
    edges are left for the caller to close. Returns each piece and its length along the bottom."""
    h = spec.m["waistband_height"]
    below = [(p, e, *band_run(d, p, e)) for p, e in legs]
    above = [(p, e, *band_run(d, p, e)) for p, e in bodice]
    length = sum(x[2] for x in below)
    bodice_len = sum(x[2] for x in above)
    keep = max(min(1.0, length / bodice_len), 1.0 - MAX_GATHER)  # of each bodice edge on the band
    gather = {(p, e): min((1.0 - keep) * ln, MAX_GATHER_CM) for p, e, ln, _ in above}
    top_len = bodice_len - sum(gather.values())
    xb = np.concatenate([[0.0], np.cumsum([ln for *_, ln, _ in below])])  # where each edge starts, bottom
    on_band = [ln - gather[(p, e)] for p, e, ln, _ in above]
    # drafted straight with square ends, the top's seams at their share of the bottom's length, then
    # bent round a circle (contoured) so the top runs as much longer as it must: cut straight with
    # slanted ends instead, the ends met at the zip in a peak (each top corner 45-50 degrees on a loose
    # bodice), which stood the centre front's waist seam 1.4-2.0 cm above the side seams' (loose
    # jumpsuit drape S..XXL; regular M / L / XXL, slants 2.8 / 2.4 / 1.0 cm: 1.0 / 0.4 / 0.2)
    xt = np.concatenate([[0.0], np.cumsum(on_band)]) * length / top_len
    flare = top_len - length
    radius = length * h / flare if abs(flare) > BAND_FLAT else None

    def bend(pts):
        return pts if radius is None else bent(pts, length / 2, radius)

    cuts = [(0, 0), *([split] if split else []), (len(below), len(above))]
    out = []
    for name, (b0, a0), (b1, a1) in zip(names, cuts[:-1], cuts[1:], strict=True):
        pd = PieceDraft(name, "waistband_jumpsuit", cut_group=name)
        for i in range(b0, b1):
            p, e, _, tags = below[i]
            pd.edge(f"to_{p}_{e}", bend(dense_line((xb[i], 0), (xb[i + 1], 0))), "seam", tags)
        pd.edge("end", bend(dense_line((xb[b1], 0), (xt[a1], h))), "opening", (below[b1 - 1][3][1], "band_end"))
        for i in reversed(range(a0, a1)):  # the top runs back, from the band's end to its start
            p, e, _, tags = above[i]
            pd.edge(f"to_{p}_{e}", bend(dense_line((xt[i + 1], h), (xt[i], h))), "seam", tags)
        pd.edge("start", bend(dense_line((xt[a0], h), (xb[b0], 0))), "opening", ("band_start", below[b0][3][0]))
        # a notch where each leg and each bodice piece meets the next (side seams, centre back)
        pd.notches += [(f"to_{p}_{e}", 0.0, 1) for part in (below[b0 + 1:b1], above[a0 + 1:a1]) for p, e, *_ in part]
        d.add(pd)
        for p, e, *_ in below[b0:b1]:
            d.sew(p, e, pd.name, f"to_{p}_{e}")
        for p, e, *_ in above[a0:a1]:
            d.sew(pd.name, f"to_{p}_{e}", p, e, ease=gather[(p, e)])
        corners = bend(np.array([[xb[b0], 0.0], [xb[b1], 0.0], [(xb[b0] + xb[b1]) / 2, h]]))
        pd.landmarks.update(bottom_start=corners[0], bottom_end=corners[1], top_mid=corners[2])
        if radius is not None:  # the circle's centre: the wrap lays the band out straight again round it
            pd.landmarks["bend_centre"] = g.P(length / 2, -radius)
        pd.grain_along_x = True
        out.append((pd, float(xb[b1] - xb[b0])))
    return out


# a front-leg patch pocket is POCKET_WIDTH cm wide on a POCKET_HIP cm hip (size M) and grades with the
# hip, half a cm a size: at 15 cm on XS's narrow leg it reached 3.7 cm from the side seam, round the
# hip's curve, and crossed the leg there in the wrap (6 edges); at most POCKET_MAX (XL's 16.3: 2)
POCKET_WIDTH, POCKET_HIP, POCKET_GRADE, POCKET_MAX = 15.0, 98.0, 1.0 / 12.0, 16.0
SIDE_OPENING_MIN = 15.0  # cm below the waist: an overall's buttoned side openings, at least


def _side_openings(d: PatternDraft, spec: GarmentSpec, legs, bodice, fronts: dict) -> None:
    """Overalls open at the sides, not down the front (the bib is whole): a front band and a back band,
    buttoned to each other at the side seams, the bodice's side seams left open above them (the bib
    buttoned to the back), and the legs' side seams open below far enough that the waist, open at
    both sides, passes the hips: every cm opened below the waist adds two to the loop, at each side.
    (With the bib sewn down the front and a fly under a closed band, the waist could not open at all:
    size M's 77 cm band round 98 cm hips.)"""
    k = next(i for i, t in enumerate(legs) if "back" in t[0])  # legs run: a front, the back, the other front
    m = sum("back" in t[0] for t in legs)
    loop = legs[k + m:] + legs[:k] + legs[k:k + m]  # from the other front's side seam: the fronts, then the back
    n = len(legs) - m
    (front_pd, front_len), (back_pd, back_len) = _band(
        d, spec, ("front_waist_band", "back_waist_band"), loop, [bodice[-1], bodice[0], *bodice[1:-1]], split=(n, 2))
    hip = spec.m["hip"] + spec_ease(spec, "pants")["hip"] + HIP_PASS_EASE
    below = max(SIDE_OPENING_MIN, (hip - front_len - back_len) / 4)
    for pd in (front_pd, back_pd):
        for e in ("end", "start"):
            pd.set_role(e, "seam")
    for a, b in ((front_pd.get("end"), back_pd.get("start")), (back_pd.get("end"), front_pd.get("start"))):
        a.tags, b.tags = ("band_bottom", "band_top"), ("band_top", "band_bottom")  # sewn bottom to bottom
    for pa, pb in ((front_pd, back_pd), (back_pd, front_pd)):
        i = d.sew(pa.name, "end", pb.name, "start")
        d.opening(i, "buttons", g.length(pa.get("end").pts), "band_top", stop=False)
    for s in SIDES:
        bib_side = d.find_seam(fronts[s], f"side_{s}")
        d.opening(bib_side, "buttons", g.length(d.piece(fronts[s]).get(f"side_{s}").pts), f"waist_{s}", stop=False)
        leg = d.piece(f"{s}_front_leg").get("side")
        room = g.length(leg.pts) - 1.0
        if below > room:
            d.warnings.append(f"the side openings reach {room:.0f} of the {below:.0f} cm below the waist the "
                              "hips need: lengthen rise")
        d.opening(d.find_seam(f"{s}_front_leg", "side"), "buttons", below, f"side_waist_{s}")
        # the front laps over the back: a buttonhole in the front, its button on the back, half way down
        _button(d.piece(f"{s}_front_leg"), "side", f"side_waist_{s}", below / 2, "buttonhole")
        _button(d.piece(f"{s}_back_leg"), "side", f"side_waist_{s}", below / 2, "button")
    for pa, ea, pb, eb in ((front_pd, "end", back_pd, "start"), (front_pd, "start", back_pd, "end")):
        _button(pa, ea, "band_top", g.length(pa.get(ea).pts) / 2, "buttonhole")
        _button(pb, eb, "band_top", g.length(pb.get(eb).pts) / 2, "button")
    for s in SIDES:  # each strap's buckle hooks onto a button on the bib's top corner
        bib = d.piece(fronts[s])
        shoulder = g.length(bib.get(f"shoulder_{s}").pts)
        d.opening(d.find_seam(bib.name, f"shoulder_{s}"), "buckle", shoulder, f"shoulder_{s}", stop=False)
        _button(bib, f"shoulder_{s}", f"shoulder_{s}", shoulder / 2, "button", BUCKLE_INSET)


BUTTON_INSET = 1.5  # cm from the opening's seam line to a button (a 1.5 cm button on a 3 cm lap)
BUCKLE_INSET = 3.0  # cm below the bib's top: the button a strap's buckle hooks onto


def _button(pd: PieceDraft, edge: str, from_tag: str, dist: float, kind: str, inset: float = BUTTON_INSET) -> None:
    """A button (or a buttonhole across the opening) ``dist`` cm along ``edge`` from its end ``from_tag``,
    ``inset`` cm into the piece."""
    e = next(x for x in pd.ccw_edges() if x.name == edge)  # the piece lies to the left of its way round
    n = g.length(e.pts)
    d = dist if e.tags[0] == from_tag else n - dist
    at = g.point_at(e.pts, d)
    tangent = g.point_at(e.pts, min(d + 0.5, n)) - g.point_at(e.pts, max(d - 0.5, 0.0))
    inward = np.array([-tangent[1], tangent[0]]) / np.hypot(*tangent)  # a band's end is square to it
    if kind == "button":
        pd.mark("button", [at + inset * inward], "button")
    else:  # a buttonhole runs across the opening, from just past the seam line inward
        pd.mark("buttonhole", [at + (inset - 1.0) * inward, at + (inset + 1.0) * inward], "buttonhole")


def _zip_below_waist(d: PatternDraft, spec: GarmentSpec, waist_loop: float) -> float:
    """How far the zip runs down the front crotch seam so the open waist passes over the hips.

    Every cm opened below the waist adds two to the loop the hips pass through.
    """
    hip = spec.m["hip"] + spec_ease(spec, "pants")["hip"] + HIP_PASS_EASE
    crotch = g.length(d.piece("right_front_leg").get("crotch").pts)
    need = max(MIN_ZIP_BELOW_WAIST, (hip - waist_loop) / 2)
    if need > crotch - 1.0:
        d.warnings.append(f"the front zip reaches {crotch - 1.0:.0f} of the {need:.0f} cm below the waist the "
                          "hips need: lengthen rise")
    return need
