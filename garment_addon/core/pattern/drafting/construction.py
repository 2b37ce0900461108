"""Construction pieces: what finishes the garment's edges from the inside.

Cut and sewn but not part of the outer shell (so not meshed in 3D): front facings behind a
buttoned opening, neck and armhole facings of woven collarless or sleeveless tops, a rib
neckband for knit ones, the fly facing and fly shield of trousers, and an overall's bib facing and
side-opening facings and underlaps. Facings are traced off
the drafted shell pieces: the band of the piece within a facing width of the edge it finishes.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import unary_union
from shapely.prepared import prep

from ...garments import style_name
from ...spec import GarmentSpec
from .. import geometry as g
from ..builder import readable, v_darts
from ..model import Edge, Pattern, Piece
from .cuff import PLACKET_BINDING
from .parts import is_shawl
from .tailored import under_collar_ring

FRONT_FACING = {"jacket": 7.0, "vest": 5.0}  # cm from the front edge (shirts and others: 4)
NECK_FACING = 5.0  # cm below a neckline
ARMHOLE_FACING = 4.0  # cm inside an armhole
RIB_RATIO = 0.85  # a rib band is cut this fraction of the edge it is stretched onto
RIB_HEIGHT = 2.5  # cm: finished height of a neckband
ARMHOLE_BINDING = 1.0  # cm: finished width of a knit armhole binding
FLY_WIDTH = 4.0  # cm: finished width of a fly facing and shield
SIDE_PLACKET = 3.0  # cm: finished width of an overall's side-opening facing and underlap
INTERFACED = "self + fusible interfacing"
LAPEL_FACING = 10.0  # cm from the lapel edge: the facing reaches past the roll line


def _trace(host: Piece, edges: list[str], width: float | dict[str, float]) -> np.ndarray | None:
    """The part of ``host`` within ``width`` cm (or {edge: cm}) of its ``edges``, as a CCW ring (None if
    empty)."""
    poly = Polygon(host.outline).buffer(0)
    w = width if isinstance(width, dict) else dict.fromkeys(edges, width)
    band = unary_union([LineString(host.edge_points(e)).buffer(w[e], quad_segs=3) for e in edges])
    # closed (grown and shrunk back) so the inner edge is one smooth line, not a bump per edge
    return _largest_ring(poly.intersection(band.buffer(2.0, quad_segs=4).buffer(-2.0, quad_segs=4)))


def _piece(name: str, ring: np.ndarray, region: str, label: list[str], *, material: str = "",
           group: str = "", on_fold: bool = False, grain_x: bool = False, markings=()) -> Piece:
    """A construction piece outlined by ``ring``, 1 cm allowance all round."""
    edge = Edge("edge", 0, 0, "free", 1.0, ("", ""))
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    mid = (lo + hi) / 2
    if grain_x:  # across a band: the rib's stretch runs along the band
        span = min(4.0, (hi[0] - lo[0]) / 4)
        grain = [[mid[0] - span, mid[1]], [mid[0] + span, mid[1]]]
    else:
        grain = _grain(ring, 0.0 if on_fold else None)
    # 1 cm all round, corners mitred as the shell's cut lines are
    cut = np.asarray(Polygon(ring).buffer(1.0, join_style="mitre", mitre_limit=3.0).exterior.coords)[:-1]
    pc = Piece(name, ring, [edge], cut_outline=cut if g.signed_area(cut) > 0 else cut[::-1],
               cut_group=group or name, on_fold=on_fold, grainline=grain, body_region=region,
               label=[readable(name), *label], material=material)
    inside = prep(Polygon(ring).buffer(0.5))
    pc.markings = [dict(mk) for mk in markings
                   if all(inside.contains(Point(float(x), float(y))) for x, y in mk["points"])]
    pc.cut_count = 2 if any("cut 2" in s for s in label) else 1
    return pc


def _rib_strip(name: str, region: str, loop: float, edge: str, label: list[str], height: float) -> Piece:
    """A knit band or binding folded lengthwise, cut RIB_RATIO of the edge it is stretched onto, its
    grain across it (the knit's stretch runs along the strip)."""
    length = RIB_RATIO * loop
    h = 2 * height
    ring = np.array([[0, 0], [length, 0], [length, h], [0, h]], float)
    return _piece(name, ring, region, label + [
        "stretch across the grain",
        f"{length:.1f} cm = {RIB_RATIO:.0%} of the {loop:.1f} cm {edge}: stretch to fit",
        "fold lengthwise"], material="rib knit" if name == "neckband" else "self or rib knit",
        markings=[{"kind": "fold", "points": [[0, h / 2], [length, h / 2]], "text": "fold"}])


def _placket_binding(slit: float, label: list[str]) -> Piece:
    """The strip that binds a sleeve's placket slit (continuous lap): as long as both sides of the slit
    spread into a line, folded over the slit's edges to PLACKET_BINDING cm each side; cut on the
    straight grain along its length."""
    length, h = 2 * slit, 2 * PLACKET_BINDING
    ring = np.array([[0, 0], [length, 0], [length, h], [0, h]], float)
    return _piece("placket_binding", ring, "binding_sleeve", label + [
        "cut 2", f"binds the {slit:g} cm", "sleeve slit,", "spread straight:", "middle at its top;",
        "fold over the seam,", "front lap under"],
        markings=[{"kind": "fold", "points": [[0, h / 2], [length, h / 2]], "text": "fold"},
                  {"kind": "drill", "points": [[slit, h / 4]], "text": "slit top"}], grain_x=True)


def _side_plackets(pattern: Pattern, label: list[str]) -> list[Piece]:
    """An overall's side openings (the bib's side, the band's end, the leg's side seam): a facing on the
    front edge, where the buttonholes are, and an underlap on the back one, under the buttons, each as
    long as the opening and SIDE_PLACKET cm wide finished."""
    opens = [s for s in pattern.seams if s.closure and s.closure["type"] == "buttons"]
    run = sum(s.closure["length_cm"] for s in opens if s.a.piece.startswith("right_")) + max(
        s.closure["length_cm"] for s in opens if s.a.piece.endswith("waist_band"))
    w = SIDE_PLACKET
    facing = np.array([[0, 0], [w, 0], [w, run], [0, run]], float)
    underlap = np.array([[0, 0], [2 * w, 0], [2 * w, run], [0, run]], float)
    return [_piece("side_facing", facing, "facing_front", label + ["cut 2 (mirror pair)",
                   f"faces the front of the {run:.0f} cm", "side opening"], material=INTERFACED),
            _piece("side_underlap", underlap, "facing_back", label + ["cut 2, fold lengthwise",
                   "sew to the back under the buttons"],
                   markings=[{"kind": "fold", "points": [[w, 0], [w, run]], "text": "fold"}])]


def _grain(ring: np.ndarray, x: float | None = None) -> list[list[float]]:
    """A vertical grainline at ``x`` (a symmetric piece: its centre line), else through the ring's
    inside point."""
    poly = Polygon(ring)
    c = poly.centroid if x is None else Point(x, poly.centroid.y)
    if x is None and not poly.contains(c):  # a curved facing: its centroid lies outside it
        c = poly.representative_point()
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    chord = poly.intersection(LineString([(c.x, lo[1] - 1), (c.x, hi[1] + 1)]))
    seg = min(getattr(chord, "geoms", [chord]), key=lambda gm: gm.distance(c))
    ys = [q[1] for q in seg.coords]
    a, b = min(ys), max(ys)
    return [[c.x, a + 0.2 * (b - a)], [c.x, a + 0.8 * (b - a)]]


def _under_collar(collar: Piece, label: list[str]) -> Piece:
    """Two bias halves with a CB seam, the upper collar's neck edge and 0.3 cm smaller at the fall."""
    total = sum(collar.edge_length(e) for e in collar.edges if e.name.startswith("to_"))
    ring = under_collar_ring(total)
    pc = _piece("under_collar", ring, "collar_under", label + [
        "cut 2 (mirror pair) on the bias, CB seam", "0.3 cm smaller than the upper collar at the fall and ends"],
        material="self or melton + fusible interfacing")
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    mid = (lo + hi) / 2
    pc.grainline = [[mid[0] - 1.5, mid[1] - 1.5], [mid[0] + 1.5, mid[1] + 1.5]]  # 45 degrees: the bias
    roll = [mk for mk in collar.markings if mk["kind"] == "roll_line"]
    xs = ring[:, 0]
    pc.markings = [{**mk, "points": [q for q in mk["points"] if xs.min() <= q[0] <= xs.max()]} for mk in roll]
    return pc


def _shirt_collar_linings(names: dict[str, Piece], label: list[str]) -> list[Piece]:
    """The inner collar stand and the under collar: the stand's and the collar's outlines, notches and
    markings (the inner stand takes the neckline seam inside, the under collar the turn of the cloth)."""
    out = []
    for shell, name, how in ((names["collar_stand"], "inner_collar_stand", "interface the outer stand"),
                             (names["collar"], "under_collar", "interface the upper collar")):
        pc = _piece(name, shell.outline, shell.body_region + "_inner", label + ["cut 1, or half on a fold", how],
                    markings=shell.markings)
        pc.on_fold, pc.grainline = True, [list(q) for q in shell.grainline]
        pc.notches = [{**{k: v for k, v in n.items() if k != "distance"}, "edge": "edge"} for n in shell.notches]
        out.append(pc)
    return out


LINING = "lining"


CB_PLEAT = 1.0  # cm each side of the centre back: the back lining's ease pleat


def _lining(names: dict[str, Piece], facings: list[Piece], label: list[str]) -> list[Piece]:
    """A tailored jacket's lining: the front less its facing (they are sewn together along the
    facing's inner edge), the back less the back neck facing with a 2 cm ease pleat down the centre
    back, and the top and under sleeves."""
    faced = {pc.name: Polygon(pc.outline).buffer(0) for pc in facings}
    out = []
    shell = names["right_front"]
    darts = v_darts(shell)
    # the lining's darts are sewn like the shell's: its outline runs straight across each dart's
    # mouth (a V cut into the lining's allowance would be cut away) and the dart is marked inside
    front = unary_union([Polygon(shell.outline).buffer(0), *(Polygon(v).buffer(0) for v in darts)])
    ring = _largest_ring(front.difference(faced["front_facing"]))
    if ring is not None:
        inside = [mk for mk in shell.markings if mk["kind"] == "dart" or mk.get("text") == "dart point"]
        inside += [{"kind": "dart", "points": v.tolist(), "text": "dart"} for v in darts]
        out.append(_piece("front_lining", ring, "lining_front", label + ["cut 2 (mirror pair) in lining"],
                          material=LINING, markings=inside))
    back = Polygon(names["back_bodice"].outline).buffer(0)
    if "back_neck_facing" in faced:  # the lining is sewn to the facing's lower edge, the pleat eased in
        back = back.difference(faced["back_neck_facing"].buffer(0.01))
    lo, hi = np.asarray(back.bounds[:2]), np.asarray(back.bounds[2:])
    halves = [back.intersection(Polygon([(0, lo[1] - 1), (hi[0] + 1, lo[1] - 1), (hi[0] + 1, hi[1] + 1),
                                         (0, hi[1] + 1)]))]
    halves.append(back.intersection(Polygon([(lo[0] - 1, lo[1] - 1), (0, lo[1] - 1), (0, hi[1] + 1),
                                             (lo[0] - 1, hi[1] + 1)])))
    from shapely.affinity import translate

    cb_top = float(back.intersection(LineString([(0.0, lo[1] - 1), (0.0, hi[1] + 1)])).bounds[3])
    pleated = unary_union([translate(halves[0], CB_PLEAT), translate(halves[1], -CB_PLEAT),
                           Polygon([(-CB_PLEAT, 0), (CB_PLEAT, 0), (CB_PLEAT, cb_top), (-CB_PLEAT, cb_top)])])
    ring = _largest_ring(pleated)
    if ring is not None:
        pleat = [{"kind": "fold", "points": [[0.0, 0.0], [0.0, cb_top - 6.0]], "text": "CB pleat: fold here, "
                  f"tack {2 * CB_PLEAT:g} cm at the neck and waist"}]
        out.append(_piece("back_lining", ring, "lining_back", label + ["cut 1 in lining, or half on a fold"],
                          material=LINING, on_fold=True, markings=pleat))
    for part in ("top_sleeve", "under_sleeve"):
        sleeve = names.get(f"left_{part}")
        if sleeve is not None:
            out.append(_piece(f"{part}_lining", sleeve.outline, "lining_sleeve",
                              label + ["cut 2 (mirror pair) in lining"], material=LINING))
    return out


def _largest_ring(shape) -> np.ndarray | None:
    """The outline (CCW) of a shape's largest polygon, simplified to 0.5 mm; None if it has none."""
    if shape.geom_type != "Polygon":
        parts = [gm for gm in getattr(shape, "geoms", []) if gm.geom_type == "Polygon"]
        if not parts:
            return None
        shape = max(parts, key=lambda gm: gm.area)
    ring = np.asarray(shape.simplify(0.05).exterior.coords)[:-1]
    return ring if g.signed_area(ring) > 0 else ring[::-1]


def construction_pieces(pattern: Pattern, spec: GarmentSpec) -> list[Piece]:
    """The construction pieces of a drafted garment, numbered after its shell pieces."""
    out = _pieces(pattern, spec)
    first = len({p.cut_group for p in pattern.pieces}) + 1
    for k, pc in enumerate(out):
        pc.label[0] = f"{first + k} {pc.label[0]}"
    return out


def _pieces(pattern: Pattern, spec: GarmentSpec) -> list[Piece]:
    names = {p.name: p for p in pattern.pieces}
    label = [f"{style_name(spec.to_dict())} size {spec.size}"]
    out: list[Piece] = []
    t, feats = spec.garment_type, spec.features
    front = names.get("right_front")
    bib = "front_waist_band" in names  # overalls: the bib is whole, its top faced like a neckline
    if front is not None and bib:
        ring = _trace(front, ["neckline_right"], NECK_FACING)
        if ring is not None:
            out.append(_piece("bib_facing", ring, "facing_front", label + ["cut 2 (mirror pair)",
                              "sewn at the centre front as the bib"], material=INTERFACED))
        out += _side_plackets(pattern, label)
    elif front is not None:  # a buttoned front: facing behind the buttons and buttonholes
        w = FRONT_FACING.get(t, 4.0)
        lapel = any(e.name == "lapel" for e in front.edges)
        if lapel:  # the facing carries the lapel: all of it and past its roll line, and the gorge
            width = {"opening": w, "lapel": LAPEL_FACING, "lapel_top": LAPEL_FACING, "gorge": 5.0,
                     "neckline_right": 4.0}
            ring = _trace(front, list(width), width)
        else:
            ring = _trace(front, ["opening", "neckline_right"], w)
        if ring is not None:
            out.append(_piece("front_facing", ring, "facing_front", label + ["cut 2 (mirror pair)"] + (
                ["the lapel's right side: roll line and break point as the front"] if lapel else []),
                material=INTERFACED, markings=front.markings))
        if lapel and "collar" in names:
            out.append(_under_collar(names["collar"], label))
        if "collar_stand" in names:  # a shirt collar: its inside layers, cut as the outside ones
            out += _shirt_collar_linings(names, label)
        shawl = names.get("collar")
        if shawl is not None and is_shawl(shawl):
            # a shawl collar's outer edge is not straight, so it is not folded: its under layer is
            # cut as it and sewn to it round that edge
            out.append(_piece("under_collar", shawl.outline, "collar_under", label + [
                "cut 1", "sewn to the collar round its outer edge; interface the collar"],
                markings=shawl.markings))
    collarless = not feats["has_collar"] and not feats["has_hood"]
    back = names.get("back_bodice") or names.get("right_back_bodice")  # whole, or halves with a CB zip
    halves = back is not None and back.name.startswith("right_")
    woven = spec.fabric == "woven"
    keyhole = back is not None and any(mk["kind"] == "slit" for mk in back.markings)
    # an open front (knit too: a cardigan) has its front facing and a back neck facing to meet it
    # a collar stand finishes the neckline between its two layers: no back neck facing
    faced = not feats["has_hood"] and "collar_stand" not in names
    if back is not None and (woven and (collarless or keyhole) or front is not None) and faced:
        necks = [e.name for e in back.edges if e.name.startswith("neckline")]
        # a back keyhole is faced by the back neck facing: it reaches 3 cm below the slit
        slit = max((np.ptp(np.asarray(mk["points"])[:, 1]) for mk in back.markings if mk["kind"] == "slit"),
                   default=0.0)
        ring = _trace(back, necks, max(NECK_FACING if front is None else 4.0, slit + 3.0))
        if ring is not None:
            how = "cut 2 (mirror pair), ends at the zip" if halves else "cut 1, or half on a fold"
            out.append(_piece("back_neck_facing", ring, "facing_back", label + [how],
                              material=INTERFACED, on_fold=not halves, markings=back.markings))
        fb = names.get("front_bodice")
        if fb is not None and collarless:
            ring = _trace(fb, [e.name for e in fb.edges if e.name.startswith("neckline")], NECK_FACING)
            if ring is not None:
                out.append(_piece("front_neck_facing", ring, "facing_front", label + ["cut 1, or half on a fold"],
                                  material=INTERFACED, on_fold=True))
    if back is not None and woven and spec.m["sleeve_length"] <= 0:  # sleeveless: armhole facings
        fp = names.get("left_front") or names.get("front_bodice")
        for host, nm in ((fp, "front_armhole_facing"), (back, "back_armhole_facing")):
            ring = _trace(host, [next(e.name for e in host.edges if e.name.startswith("armhole"))], ARMHOLE_FACING)
            if ring is not None:
                out.append(_piece(nm, ring, "facing_" + nm.split("_")[0], label + ["cut 2 (mirror pair)"],
                                  material=INTERFACED))
    if back is not None and not woven and collarless and front is None:
        loop = sum(p.edge_length(e) for p in pattern.pieces if p.body_region.startswith("torso")
                   for e in p.edges if e.name.startswith("neckline"))
        out.append(_rib_strip("neckband", "neckband", loop, "neckline", label + ["cut 1 rib knit"], RIB_HEIGHT))
    if back is not None and not woven and spec.m["sleeve_length"] <= 0:  # sleeveless knit: bound armholes
        loop = sum(p.edge_length(e) for p in pattern.pieces if p.body_region.startswith("torso")
                   for e in p.edges if e.name.startswith("armhole_left"))
        out.append(_rib_strip("armhole_binding", "binding_armhole", loop, "armhole",
                              label + ["cut 2 self or rib knit"], ARMHOLE_BINDING))
    if front is not None and any(e.name == "lapel" for e in front.edges):
        out += _lining(names, out, label)
    sleeve = names.get("left_sleeve")
    slit = [mk for mk in (sleeve.markings if sleeve is not None else []) if mk["kind"] == "slit"]
    if slit:  # a shirt sleeve's placket slit, bound with a continuous lap
        out.append(_placket_binding(float(np.ptp(np.asarray(slit[0]["points"])[:, 1])), label))
    if t == "pants":  # a zip fly: facing (J-stitched to the left front) and the shield behind the zip
        zip_len = next((s.closure["length_cm"] for s in pattern.seams if s.closure and s.closure["type"] == "zip"),
                       18.0)
        fl = zip_len + 2.0
        facing = np.array([[0, 0], [FLY_WIDTH, 0], [FLY_WIDTH, fl], [0, fl]], float)
        facing[1] = [FLY_WIDTH * 0.4, 0]  # the J curve's foot
        out.append(_piece("fly_facing", facing, "facing_front", label + ["cut 1", "sew to the left front centre"],
                          material=INTERFACED))
        shield = np.array([[0, 0], [2 * FLY_WIDTH, 0], [2 * FLY_WIDTH, fl], [0, fl]], float)
        out.append(_piece("fly_shield", shield, "facing_front", label + ["cut 1, fold lengthwise",
                          "sew behind the zip on the right front"],
                          markings=[{"kind": "fold", "points": [[FLY_WIDTH, 0], [FLY_WIDTH, fl]],
                                     "text": "fold"}]))
    return out
