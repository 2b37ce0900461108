"""Each garment type as a list of parts sewn together."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ...spec import GarmentSpec, cuff_room
from .. import geometry as g
from ..builder import PatternDraft, PieceDraft, split_centre
from .bodice import bodice_piece, frame, shorten_fisheye
from .cuff import BLOUSING, buttoned_cuffs, buttoned_cuffs_on, open_placket
from .darts import dart_pairs
from .ease import BACK_NECK_DROP, HIP_DEPTH
from .pants import dist_to_y, pant_pieces, waist_edges
from .parts import band, band_run, hem_angle, hood_halves, patch_pocket
from .shirt_collar import stand_and_collar
from .skirt import flare_reach, skirt_piece, skirt_widths
from .sleeve import sleeve_piece, two_piece
from .tailored import lapel_collar

SIDES = ("left", "right")
COLLAR_EASE = 1.5  # a band collar needs a finger's room over the neck, cm
HEAD_GIRTH_FRACTION = 0.335  # head girth / body height: about 56 cm at 168 cm
NECK_PASS_EASE = 3.0  # a woven neckline must go over the head with this much room, cm
# a rib cuff is the wrist with 10 % ease, less 15 % for the rib's stretch (FreeSewing's Hugo): it
# stretches over the hand and onto the sleeve hem
RIB_CUFF = 1.1 * (1 - 0.15)
RIB_STRETCH = 1.6  # a 1x1 or 2x2 rib stretches at least this far
# cm: a shawl collar's end at the break point, where it runs into the front edge (at the collar's full
# height its two ends stood crossed over each other above the break; at 2 cm the lower end still ran
# through the upper front over a full bust: vest XXL female wrap 6-9 crossings)
SHAWL_END = 1.0
MIN_BUTTON_OPENING = 4.0  # the shortest keyhole: room for a button and its loop, cm
# cm: a hood's front neckline lies at least this far under the side-neck point, at the collarbone, where a
# hood's opening meets it. The hoodie's 7 cm front neck put the bottom of the opening 4 cm under the chin
# (M body: chin 142.7, jugular notch 137); at 10 the hoodie M drape's opening ends at 135.9
HOOD_FRONT_DROP = 10.0


def _dist_from(pd: PieceDraft, edge: str, tag_prefix: str, dist: float) -> float:
    """``dist`` measured from the end of ``edge`` whose tag starts with ``tag_prefix``, as drafted."""
    e = pd.get(edge)
    return dist if e.tags[0].startswith(tag_prefix) else g.length(e.pts) - dist


def _sew_darts(d: PatternDraft, *pieces: PieceDraft) -> None:
    for pd in pieces:
        for a, b in dart_pairs(pd):
            d.sew(pd.name, a, pd.name, b)


def top(d: PatternDraft, spec: GarmentSpec, body: dict, *, dress: bool = False, opening: bool = False,
        cb_zip: bool = False) -> dict:
    """Bodice, sleeves, collar or hood, cuffs. Returns names of the torso pieces and the frame.

    ``cb_zip``: the back opens down a centre-back zip (a dress), so it needs no neck keyhole and a
    collar's ends meet at the centre back."""
    m, feats = spec.m, spec.features
    if feats["has_hood"] and m["neckline_depth"] < HOOD_FRONT_DROP:
        m = {**m, "neckline_depth": HOOD_FRONT_DROP}
        spec = replace(spec, measurements=m)
    f = frame(spec, dress)
    back = bodice_piece(spec, f, False, "back_bodice", waist_seam=dress)
    lapel = tailored(spec)
    if opening:
        right = bodice_piece(spec, f, True, "right_front", overlap=max(m["front_overlap"], 0.0), waist_seam=dress,
                             lapel=lapel)
        right.cut_group = "front"
        if lapel:  # a tailored front is fused so the lapel rolls and the buttonholes hold
            right.material = "self + fusible interfacing"
        if m["front_overlap"] > 0:
            button_marks(right, spec, f)
        else:  # edge to edge (a jumpsuit): a zip down the centre front
            top_open = right.get("opening").pts[:, 1].max()
            right.mark("zip", [(0.0, 0.0), (0.0, top_open)], "CF zip: from the neck on down the front")
        left = right.mirrored("left_front", "torso_front")
        fronts = {"left": "left_front", "right": "right_front"}
        d.add(left, right, back)
        if m["front_overlap"] <= 0:  # the zip closes the fronts edge to edge: a seam, open all along for it
            for pd in (left, right):  # sewn when zipped up; set into a wider allowance like the dress's
                pd.set_role("opening", "seam")
                pd.get("opening").allowance = ZIP_ALLOWANCE
            zip_seam = d.sew("right_front", "opening", "left_front", "opening")
            d.opening(zip_seam, "zip", g.length(right.get("opening").pts), "opening_top_right", stop=False)
    else:
        front = bodice_piece(spec, f, True, "front_bodice", waist_seam=dress)
        fronts = {"left": "front_bodice", "right": "front_bodice"}
        d.add(front, back)
    _sew_darts(d, *[d.piece(n) for n in dict.fromkeys(fronts.values())], back)
    for s in SIDES:
        fp = fronts[s]
        i = d.sew(fp, f"side_{s}", "back_bodice", f"side_{s}")
        if 2.0 < f.waist_y < f.underarm_y - 2.0:
            d.notch_pair(i, _dist_from(d.piece(fp), f"side_{s}", "hem", f.waist_y), 1)
        if any(e.name == f"side_upper_{s}" for e in back.edges):  # split at a front bust dart
            d.sew(fp, f"side_upper_{s}", "back_bodice", f"side_upper_{s}")
        d.sew(fp, f"shoulder_{s}", "back_bodice", f"shoulder_{s}")

    sleeve_len = m["sleeve_length"]
    cuffs = feats["has_cuffs"] and sleeve_len > 0
    if feats["has_cuffs"] and sleeve_len == 0:
        d.warnings.append("has_cuffs ignored: the garment is sleeveless")
    if m["sleeve_length"] > 0:
        af = g.length(d.piece(fronts["left"]).get("armhole_left").pts)
        ab = g.length(back.get("armhole_left").pts)
        cuff_h = m["cuff_height"]
        if cuffs and cuff_h > cuff_room(m):
            cuff_h = cuff_room(m)
            d.warnings.append(f"cuff_height lowered from {m['cuff_height']:g} to {cuff_h:.1f} cm so the "
                              f"{sleeve_len:g} cm sleeve keeps its cap")
        buttoned = cuffs and buttoned_cuffs(spec, body["height"])
        # a sleeve blouses over a buttoned cuff: cut that much longer than the arm needs
        body_len = sleeve_len - (cuff_h if cuffs else 0.0) + (BLOUSING if buttoned else 0.0)
        rib = cuffs and spec.fabric == "knit"
        two_piece = lapel and not cuffs  # its top and under sleeve meet the hem square as cut
        # not under a buttoned cuff either: trued there, with the measured shoulder slope, the shirts
        # drape crossing themselves at the cuff's lap and the collar (M cuffed 2, button-down XL 7
        # edges; untrued 0, either change alone 0). Cause not found; the hem is pleated into the cuff
        left_sleeve, ef, eb = sleeve_piece(spec, af, ab, body_len, body["height"], d.warnings,
                                           hem_role="seam" if cuffs else "hem", rib_cuff=rib,
                                           trued=not (two_piece or buttoned))
        lay = open_placket(left_sleeve, m["wrist"]) if buttoned else []
        if two_piece:
            _two_piece_sleeves(d, fronts, left_sleeve, (af, ab, ef, eb), body["height"])
            sleeve_len = 0.0  # sewn in: the one-piece sleeve below is not used
    if sleeve_len > 0:
        right_sleeve = left_sleeve.mirrored("right_sleeve", "arm_right")
        d.add(left_sleeve, right_sleeve)
        for s, sp in (("left", left_sleeve), ("right", right_sleeve)):
            fp = d.piece(fronts[s])
            i = d.sew(fp.name, f"armhole_{s}", sp.name, "cap_front", ease=ef)
            d.notch_pair(i, _dist_from(fp, f"armhole_{s}", "underarm", af / 3), 1)
            j = d.sew("back_bodice", f"armhole_{s}", sp.name, "cap_back", ease=eb)
            d.notch_pair(j, _dist_from(back, f"armhole_{s}", "underarm", ab / 3), 2)
            d.sew(sp.name, "underarm_back", sp.name, "underarm_front")
            if cuffs and not buttoned:
                hem = g.length(sp.get("hem").pts)
                # never stretched further than a rib goes (a short sleeve's wide hem: a wider band)
                ratio = min(1.0, max(RIB_CUFF * m["wrist"], hem / RIB_STRETCH) / hem) if rib else 1.0
                d.add(band(d, f"{s}_cuff", f"cuff_{s}", [(sp.name, "hem")], cuff_h, closed=True,
                           cut_group="cuff", rib=ratio))
        if buttoned:
            buttoned_cuffs_on(d, cuff_h, lay)
    elif m["sleeve_length"] <= 0:
        for pd in (*[d.piece(n) for n in dict.fromkeys(fronts.values())], back):
            for s in SIDES:
                if any(e.name == f"armhole_{s}" for e in pd.edges):
                    pd.set_role(f"armhole_{s}", "armhole")

    opened = cb_zip or (False if opening else _neck_opening(d, spec, body, fronts))
    if feats["has_hood"]:
        hood_halves(d, spec, fronts, "back_bodice", body["height"])
        if feats["has_collar"]:
            d.warnings.append("has_collar ignored: a hood takes the neckline")
    elif lapel:
        d.add(lapel_collar(d, _chain_order(d, [("left_front", "gorge"), ("left_front", "neckline_left"),
                                               ("back_bodice", "neckline_left"), ("back_bodice", "neckline_right"),
                                               ("right_front", "neckline_right"), ("right_front", "gorge")]),
                           band_run))
    elif feats["has_collar"]:
        chain = [(fronts["left"], "neckline_left"), ("back_bodice", "neckline_left"),
                 ("back_bodice", "neckline_right"), (fronts["right"], "neckline_right")]
        if opened:  # the collar's ends meet at the back keyhole instead of the centre front
            chain = chain[2:] + chain[:2]
        if opening and button_front(spec):  # a shirt collar: a stand, and the collar turned down over it
            collar, _ = stand_and_collar(d, [(p, e, *band_run(d, p, e)) for p, e in chain], m["collar_height"],
                                         m["front_overlap"])
        else:  # on a front that opens to a break point below the neck (a vest, a knit jacket): a shawl
            shawl = SHAWL_END if opening and m["front_overlap"] > 0 else 0.0
            collar = band(d, "collar", "collar", chain, m["collar_height"], shawl=shawl)
            d.add(collar)
        around = g.length(collar.get("bottom").pts) if len(chain) == 1 else \
            sum(g.length(e.pts) for e in collar.edges if e.name.startswith("to_"))
        if opening:  # buttoned, the two button stands lie on top of each other
            around -= 2 * max(m["front_overlap"], 0.0)
        if (not opening or button_front(spec)) and around < m["neck"] + COLLAR_EASE:
            # a closed band collar must sit around the neck with a finger's room
            d.warnings.append(f"collar band {around:.1f} cm is tighter than neck {m['neck']:g} + "
                              f"{COLLAR_EASE:g} cm: widen neckline_width or deepen neckline_depth")
    return {"fronts": fronts, "frame": f}


def _two_piece_sleeves(d: PatternDraft, fronts: dict, one: PieceDraft, arm: tuple, height: float) -> None:
    """Top and under sleeves (from the one-piece ``one``) set into armholes split where their seams
    meet them; ``arm`` = (front armhole, back armhole, front cap ease, back cap ease)."""
    af, ab, ef, eb = arm
    top, under, sf, sb = two_piece(one, height)
    d.add(top, top.mirrored("right_top_sleeve", "arm_right"), under, under.mirrored("right_under_sleeve", "arm_right"))
    back = d.piece("back_bodice")
    for s in SIDES:
        fp, ts, us = d.piece(fronts[s]), f"{s}_top_sleeve", f"{s}_under_sleeve"
        fp.split_edge(f"armhole_{s}", f"underarm_{s}", (1 - sf) * af, f"front_seam_{s}", f"armhole_under_{s}")
        back.split_edge(f"armhole_{s}", f"underarm_{s}", (1 - sb) * ab, f"back_seam_{s}", f"armhole_under_{s}")
        i = d.sew(fp.name, f"armhole_{s}", ts, "cap_front", ease=sf * ef)
        d.notch_pair(i, sf * af / 2, 1)
        d.sew(fp.name, f"armhole_under_{s}", us, "cap_front", ease=(1 - sf) * ef)
        j = d.sew("back_bodice", f"armhole_{s}", ts, "cap_back", ease=sb * eb)
        d.notch_pair(j, sb * ab / 2, 2)
        d.sew("back_bodice", f"armhole_under_{s}", us, "cap_back", ease=(1 - sb) * eb)
        d.sew(us, "front_seam", ts, "front_seam")
        seam = d.piece(us).get("back_seam").pts
        k = d.sew(us, "back_seam", ts, "back_seam", ease=g.length(d.piece(ts).get("back_seam").pts) - g.length(seam))
        elbow = top.landmarks.get("elbow")
        if elbow is not None:  # the top sleeve's elbow ease goes between these
            down = seam[0, 1] - elbow[1]
            for dist in (down - 5.0, down + 5.0):
                d.notch_pair(k, dist, 1)


BUTTON = {"jacket": 2.0, "vest": 1.5}  # button diameter, cm (shirts and the rest: 1.1)


def button_positions(top: float, bottom: float, spacing: float) -> list[float]:
    """Evenly spaced heights from ``top`` down to ``bottom``, about ``spacing`` apart."""
    n = max(2, round((top - bottom) / spacing) + 1)
    return [top - k * (top - bottom) / (n - 1) for k in range(n)]


def button_marks(pd: PieceDraft, spec: GarmentSpec, f) -> None:
    """Buttons on the centre front and their buttonholes, spaced along the opening.

    The front is printed once for both sides: the marks say which side takes which. A shirt's
    buttonholes run down the placket; a jacket's run across, from 0.3 cm past the centre front
    toward the side, and stop at the waist (a jacket whose break point is at the waist has its
    second button a spacing below the top one).
    """
    jacket = spec.garment_type in ("jacket", "vest")
    size = BUTTON.get(spec.garment_type, 1.1)
    spacing = 10.0 if jacket else 8.5
    top = pd.landmarks["hps"][1] - spec.m["neckline_depth"] - (1.0 if jacket else 1.5)
    bottom = max(f.waist_y, 10.0) if jacket else 12.0
    # at least two buttons a spacing apart (a jacket whose break is at the waist: one below it)
    least = spacing if jacket else 4.0
    if top - bottom < least:
        bottom = max(2.0, top - least)
    hole = size + 0.3
    # women's fronts button right over left, men's left over right: the buttonholes on the upper one
    under, upper = ("right", "left") if spec.metadata.get("body_preset") == "male" else ("left", "right")
    for y in button_positions(top, bottom, spacing):
        pd.mark("button", [(0.0, y)], f"button {size:g} cm: {under} front")
        pts = [(0.3, y), (0.3 - hole, y)] if jacket else [(0.0, y + 0.3), (0.0, y + 0.3 - hole)]
        pd.mark("buttonhole", pts, f"buttonhole: {upper} front")


def tailored(spec: GarmentSpec) -> bool:
    """A woven jacket with a collar is tailored: notched lapel, two-piece collar and sleeve."""
    f = spec.features
    return spec.garment_type == "jacket" and f["has_collar"] and not f["has_hood"] and spec.fabric == "woven"


def button_front(spec: GarmentSpec) -> bool:
    """A collared woven shirt buttons down the centre front, where its collar closes."""
    f = spec.features
    return spec.garment_type == "shirt" and f["has_collar"] and not f["has_hood"] and spec.fabric == "woven"


def _neck_opening(d: PatternDraft, spec: GarmentSpec, body: dict, fronts: dict) -> bool:
    """A back-neck keyhole (a slit down the centre back, faced, closed by a button and loop at the
    neck) so a woven pull-on top goes over the head. Every cm of slit adds two to the loop the head
    passes through. Returns whether there is one.
    """
    feats = spec.features
    if spec.fabric == "knit":
        return False
    torso = [d.piece(n) for n in dict.fromkeys([*fronts.values(), "back_bodice"])]
    loop = sum(g.length(e.pts) for pd in torso for e in pd.edges if e.name.startswith("neckline"))
    need = HEAD_GIRTH_FRACTION * body["height"] + NECK_PASS_EASE
    short = need - loop
    if short <= 0:
        return False
    if feats["has_hood"]:
        d.warnings.append(f"neckline {loop:.1f} cm is too small to pass a {need:.0f} cm head: a woven hooded "
                          "top needs fabric knit or an open front (jacket)")
        return False
    back = d.piece("back_bodice")
    top = back.landmarks["hps"][1] - BACK_NECK_DROP
    room = top - back.landmarks["underarm_level"][1] - 2.0  # ends above the shoulder blades
    slit = min(room, max(MIN_BUTTON_OPENING, short / 2))
    back.mark("slit", [(0.0, top), (0.0, top - slit)], f"keyhole: slit {slit:.1f} cm, face and turn")
    back.mark("button", [(-1.0, top - 0.8)], "button and thread loop at the neck")
    back.mark("drill", [(0.0, top - slit - 0.5)])
    if 2 * slit < short - 0.05:
        d.warnings.append(f"neckline {loop:.1f} cm plus a back keyhole is too small to pass a {need:.0f} cm "
                          "head: widen neckline_width, deepen neckline_depth or use fabric knit")
    return True


def _skirt(d: PatternDraft, spec: GarmentSpec, f=None) -> None:
    if f is not None:  # a dress: the skirt's waist and darts line up with the bodice's
        kw = dict(dart=f.dart, dart_x=f.dart_x)
        front = skirt_piece(spec, True, "skirt_front", waist_q=f.hem_q + 0.5, **kw)
        back = skirt_piece(spec, False, "skirt_back", waist_q=f.hem_q - 0.5, **kw)
    else:
        front = skirt_piece(spec, True, "skirt_front")
        back = skirt_piece(spec, False, "skirt_back")
    d.add(front, back)
    _sew_darts(d, front, back)
    for s in SIDES:
        d.sew("skirt_front", f"side_{s}", "skirt_back", f"side_{s}")
    reach, spread = flare_reach(spec)
    if reach < spec.m["flare"] - 0.5:
        how = "spread to a full circle" if spread else "with a level hem"
        d.warnings.append(f"flare {spec.m['flare']:g} cm is more than a {spec.m['skirt_length']:g} cm skirt takes "
                          f"{how}: its hem adds {reach:.0f} cm at each side (lengthen skirt_length)")


def _waist_edges(pd: PieceDraft, order: tuple[str, ...]) -> list[tuple[str, str]]:
    names = {e.name for e in pd.edges}
    if "waist" in names:
        return [(pd.name, "waist")]
    return [(pd.name, f"waist_{s}") for s in order if f"waist_{s}" in names]


def draft_shirt(d, spec, body):
    info = top(d, spec, body, opening=button_front(spec))
    if spec.features["has_pockets"]:
        f = info["frame"]
        d.add(patch_pocket("chest_pocket", info["fronts"]["left"], (0.45 * f.bust_q, f.scye_y - 6), 11, 13))
        for pd in {d.piece(n).name: d.piece(n) for n in info["fronts"].values()}.values():
            shorten_fisheye(pd, f.scye_y - 6 - 13 / 2 - 1.5, f.waist_y)  # below the pocket


ZIP_ALLOWANCE = 1.5  # cm along a seam that takes a zip
DRESS_ZIP_BELOW_WAIST = 20.0  # cm: a centre-back dress zip runs this far into the skirt (hips pass)


def draft_dress(d, spec, body):
    """A dress opens down the centre back with one invisible zip, from the neck through the waist
    seam into the skirt: the back bodice and back skirt are cut as two halves with a CB seam."""
    info = top(d, spec, body, dress=True, cb_zip=True)
    _skirt(d, spec, info["frame"])
    for fb, bodice in (("front", "front_bodice"), ("back", "back_bodice")):
        sk = d.piece(f"skirt_{fb}")
        for name in [e.name for e in d.piece(bodice).edges if e.name.startswith("waist")]:
            d.sew(bodice, name, sk.name, name)
    cb_zip(d, ("back_bodice", "skirt_back"), DRESS_ZIP_BELOW_WAIST)
    _skirt_pockets(d, spec)


def cb_zip(d: PatternDraft, backs: tuple[str, str], below_waist: float) -> None:
    """Cut the back bodice and back skirt in halves and open their centre-back seam for a zip from
    the neck to ``below_waist`` cm into the skirt, with a stop notch and the zip marked on both."""
    bodice, skirt = backs
    split_centre(d, list(backs))
    for name in backs:  # an invisible zip is set into a wider allowance
        for side in ("right", "left"):
            d.piece(f"{side}_{name}").get("centre").allowance = ZIP_ALLOWANCE
    top_seam = d.find_seam(f"right_{bodice}", "centre")
    whole = g.length(d.piece(f"right_{bodice}").get("centre").pts)
    d.opening(top_seam, "zip", whole, "cb_neck", stop=False)
    low = d.find_seam(f"right_{skirt}", "centre")
    sk = d.piece(f"right_{skirt}").get("centre")
    waist_tag = next(t for t in sk.tags if t != "cb_hem")
    d.opening(low, "zip", below_waist, waist_tag)
    total = whole + min(below_waist, g.length(sk.pts) - 1.0)
    for side in ("right", "left"):
        for name, length in ((bodice, whole), (skirt, total - whole)):
            pd = d.piece(f"{side}_{name}")
            y_top = pd.get("centre").pts[:, 1].max()
            pd.mark("zip", [(0.0, y_top), (0.0, y_top - length)],
                    f"CB seam: invisible zip {total:.0f} cm, neck to the stop notch")


def _skirt_pockets(d, spec):
    if spec.features["has_pockets"]:
        _, _, hq, _ = skirt_widths(spec)
        y = d.piece("skirt_front").landmarks["hip_center"][1] - 4
        for s, sign in (("left", 1), ("right", -1)):
            d.add(patch_pocket(f"{s}_pocket", "skirt_front", (sign * 0.5 * hq, y), 15, 16))


def draft_skirt(d, spec, body):
    _skirt(d, spec)
    chain = _waist_edges(d.piece("skirt_front"), ("right", "center", "left")) + \
        _waist_edges(d.piece("skirt_back"), ("left", "center", "right"))
    d.add(band(d, "waistband", "waistband", chain, spec.m["waistband_height"], extension=3.0))
    # the waistband opens at the right side seam: a zip below it
    d.opening(d.find_seam("skirt_front", "side_right"), "zip", 18.0, "waist_right")
    _skirt_pockets(d, spec)


def draft_pants(d, spec, body):
    legs = pant_pieces(spec, body["height"], d.warnings)
    d.add(*legs)
    for s in SIDES:
        d.sew(f"{s}_front_leg", "side", f"{s}_back_leg", "side")
        i = d.sew(f"{s}_front_leg", "inseam", f"{s}_back_leg", "inseam")
        front = d.piece(f"{s}_front_leg")
        knee_y = front.landmarks["knee_center"][1]
        if knee_y > 2:  # knee notch, measured up from the hem
            d.notch_pair(i, dist_to_y(front.get("inseam").pts, knee_y), 1)
    fly = d.sew("right_front_leg", "crotch", "left_front_leg", "crotch")
    d.opening(fly, "zip", min(18.0, spec.m["rise"] - 6.0), "cf_waist")  # fly front
    d.sew("right_back_leg", "crotch", "left_back_leg", "crotch")
    legs = [d.piece(n) for n in ("left_front_leg", "right_front_leg", "right_back_leg", "left_back_leg")]
    _sew_darts(d, *legs)
    chain = _chain_order(d, [(pd.name, e) for pd in legs for e in waist_edges(pd)])
    d.add(band(d, "waistband", "waistband", chain, spec.m["waistband_height"], extension=3.0))
    if spec.features["has_pockets"]:
        for s in SIDES:
            leg = d.piece(f"{s}_back_leg")
            c, w = leg.landmarks["waist_center"], leg.landmarks["waist_side"]
            at = (0.5 * (c[0] + w[0]), 0.5 * (c[1] + w[1]) - 10)
            d.add(patch_pocket(f"{s}_back_pocket", leg.name, at, 13, 14))


def _chain_order(d: PatternDraft, targets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Order band targets so each starts where the previous ends (band direction = against CCW)."""
    tags = {(p, e): band_run(d, p, e)[1] for p, e in targets}
    ends = {t[1] for t in tags.values()}
    start = next((k for k, t in tags.items() if t[0] not in ends), targets[0])
    order = [start]
    while len(order) < len(targets):
        nxt = next((k for k, t in tags.items() if k not in order and t[0] == tags[order[-1]][1]), None)
        if nxt is None:
            nxt = next(k for k in targets if k not in order)
        order.append(nxt)
    return order


def draft_jacket(d, spec, body):
    info = top(d, spec, body, opening=True)
    if spec.features["has_pockets"]:
        f = info["frame"]
        y = max(f.waist_y - 10, 6.0)
        for s, sign in (("left", 1), ("right", -1)):
            at = (sign * 0.5 * f.hem_q, y)
            # along the hem: a dartless front's bust length dips its hem at the centre front (hem_drop),
            # and worn, the hem hangs level and the cloth above it turns with it (parka M loose: the
            # pockets drawn square tilted 1.9-2.0 cm across their tops, wrap and drape)
            angle = hem_angle(d.piece(f"{s}_front"), at[0], 15)
            d.add(patch_pocket(f"{s}_pocket", f"{s}_front", at, 15, 16, angle=angle))


RIB_HEM_STRETCH = 0.15  # a rib hem band is cut this much shorter than the hem and stretched onto it
HEM_BAND_MAX = 6.0  # cm: the tallest finished rib hem band
HEM_BAND_MIN = 3.0


def draft_hoodie(d, spec, body):
    """A knit hoodie ends in a rib hem band: the shell is shortened by the band so the finished length
    stays ``bodice_length``, and ends at (or below) the hip line where the band hugs the hips."""
    band_h = 0.0
    if spec.fabric == "knit":
        m = spec.m
        below_hip = m["bodice_length"] - m["back_waist_length"] - HIP_DEPTH
        band_h = float(np.clip(below_hip, HEM_BAND_MIN, HEM_BAND_MAX))
        spec = replace(spec, measurements={**m, "bodice_length": m["bodice_length"] - band_h})
    info = top(d, spec, body)
    if band_h:
        rib_hem_band(d, band_h)
    if spec.features["has_pockets"]:
        f = info["frame"]
        w = min(1.3 * f.hem_q, 2 * f.hem_q - 8)  # about two thirds of the front
        d.add(patch_pocket("kangaroo_pocket", "front_bodice", (0, max(4.0, 0.12 * f.length) + 11), w, 22,
                           kangaroo=True))


def rib_hem_band(d: PatternDraft, height: float) -> None:
    """A rib band round the hem, cut hem x (1 - rib stretch) long with the grain across it, folded
    lengthwise; notched at the side seams, CF and CB to match the same notches on the hem."""
    targets = [(pd.name, e.name) for pd in (d.piece("front_bodice"), d.piece("back_bodice"))
               for e in pd.edges if e.role == "hem"]
    hem = band(d, "hem_band", "hem_band", _chain_order(d, targets), height, closed=True,
               rib=1.0 - RIB_HEM_STRETCH)
    d.add(hem)
    for i, (pa, ea, pb, _, _) in enumerate(d.seams):
        if pb == "hem_band" and ea == "hem":  # CF and CB: half way along the front and back hems
            d.notch_pair(i, g.length(d.piece(pa).get(ea).pts) / 2, 1)


def draft_vest(d, spec, body):
    """A vest (waistcoat) opens down the centre front and buttons."""
    info = top(d, spec, body, opening=True)
    if spec.features["has_pockets"]:
        f = info["frame"]
        for s, sign in (("left", 1), ("right", -1)):
            d.add(patch_pocket(f"{s}_pocket", f"{s}_front", (sign * 0.5 * f.hem_q, max(f.waist_y - 4, 6.0)),
                               11, 10))
