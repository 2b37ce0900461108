"""GarmentCode (pygarment) specification JSON in and out.

Conventions, as pygarment evaluates them (pygarment/pattern/utils.py rel_to_abs_2d,
garmentcode/edge.py, meshgen/boxmeshgen.py):

* a relative control point [u, v] of an edge start->end is
  ``start + u * (end - start) + v * perp``, ``perp = (-(ey - sy), ex - sx)`` (left normal);
* ``quadratic`` / ``cubic``: Bézier curves with one / two relative control points; the
  legacy form (Garment-Pattern-Generator, Sewformer) is a bare ``[u, v]`` quadratic;
* ``circle`` params ``[radius, large_arc, right]``: an SVG arc (rotation 0) in the panel's
  y-up frame with ``sweep = right``: right=1 turns counter-clockwise;
* ``units_in_meter`` scales vertices and translations to cm (100 = cm, 300 in the legacy tee);
* a stitch joins edge a's end to edge b's start (a.start sews to b.end: our ``reversed=True``)
  unless it carries a third element ``"right_wrong"`` (start to start: ``reversed=False``).

A GarmentCode panel is counter-clockwise seen from its outside (the side its normal
points to). Panels drawn clockwise in their local frame (e.g. back panels that face
-z) are mirrored (x -> -x) on import so every piece is CCW seen from outside, as our
pattern model requires; ``placement["mirror_x"]`` records it, so the 3D position is
``R(rotation) @ [(-x if mirror_x else x), y, 0] + translation`` (cm, XYZ Euler degrees).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import UserError
from ..pattern.geometry import cut_outline
from ..pattern.model import Edge, EdgeRef, Pattern, Piece, Seam, polyline_length

LENGTH_TOL = 0.02  # cm: each edge polyline's length is within this of the curve's length
SEAM_TOL = 0.3  # cm: our drafting rule for sewn edges (beyond declared ease)
EASE_KEY = "garment_studio_seam_ease_cm"  # properties key: our seams' declared ease, one per stitch
STRAIGHT_TOL = 0.01  # cm: a polyline this close to its chord is written as a straight edge
# Legacy (Garment-Pattern-Generator) placements are about a body whose origin is this high above the
# floor (new GarmentCode files stand on it): its tee's neckline and its skirt's waist land on our size
# M body's neck base and waist with it (+109.2 / +108.3 cm); without it both wrapped under the feet
LEGACY_FLOOR_CM = 109.0
BODICE_TOP_MIN = 115.0  # cm: a panel whose top is lower (a size M bust is at 122) is no bodice

_FREE_BY_LABEL = (("collar", "neckline"), ("neck", "neckline"), ("armhole", "armhole"), ("hem", "hem"),
                  ("waist", "waist"))


class GarmentCodeError(UserError):
    """A file that is not a usable GarmentCode specification."""


# ---------------------------------------------------------------- curve evaluation

def rel_to_abs(start: np.ndarray, end: np.ndarray, rel) -> np.ndarray:
    e = end - start
    return start + float(rel[0]) * e + float(rel[1]) * np.array([-e[1], e[0]])


def abs_to_rel(start: np.ndarray, end: np.ndarray, point: np.ndarray) -> list[float]:
    e = end - start
    ee = float(e @ e)
    d = point - start
    return [float(d @ e) / ee, float(d @ np.array([-e[1], e[0]])) / ee]


def bezier(ctrl: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Points of a Bézier curve of any degree at parameters t (de Casteljau-free Bernstein form)."""
    n = len(ctrl) - 1
    t = np.asarray(t, float)[:, None]
    out = np.zeros((len(t), 2))
    for i, c in enumerate(ctrl):
        out += math.comb(n, i) * (1 - t) ** (n - i) * t**i * c
    return out


def _adaptive(fn, tol: float = LENGTH_TOL, n0: int = 8, n_max: int = 8192) -> np.ndarray:
    """Sample fn(t) on [0, 1] finely enough that the polyline length is within tol of the curve's.

    Chord-sum lengths increase towards the true length with error ~ 1/n^2, so the
    error of the finer one is about a third of the change between n and 2n.
    """
    n = n0
    pts = fn(np.linspace(0.0, 1.0, n + 1))
    length = polyline_length(pts)
    while n < n_max:
        finer = fn(np.linspace(0.0, 1.0, 2 * n + 1))
        flen = polyline_length(finer)
        if (flen - length) / 3 < tol / 2:
            return finer
        n, pts, length = 2 * n, finer, flen
    return pts


def arc_center(start: np.ndarray, end: np.ndarray, radius: float, large_arc: bool, right: bool):
    """Centre, radius (grown to half the chord if too small, as SVG does) and signed sweep angle."""
    chord = end - start
    d = float(np.linalg.norm(chord))
    r = max(float(radius), d / 2)
    h = math.sqrt(max(r * r - d * d / 4, 0.0))
    left = np.array([-chord[1], chord[0]]) / d
    ccw = bool(right)  # sweep flag = right, in the y-up panel frame
    centre = (start + end) / 2 + (h if ccw != bool(large_arc) else -h) * left
    a0 = math.atan2(*(start - centre)[::-1])
    a1 = math.atan2(*(end - centre)[::-1])
    delta = (a1 - a0) % (2 * math.pi) if ccw else -((a0 - a1) % (2 * math.pi))
    return centre, r, delta


def arc_points(start, end, radius, large_arc, right, tol: float = LENGTH_TOL) -> np.ndarray:
    centre, r, delta = arc_center(start, end, radius, large_arc, right)
    a0 = math.atan2(*(start - centre)[::-1])
    # chord-sum error of n segments: r*|delta| - 2 r n sin(|delta| / 2n) ~ r |delta|^3 / (24 n^2)
    n = max(4, math.ceil(math.sqrt(r * abs(delta) ** 3 / (24 * tol / 2))))
    ang = a0 + delta * np.linspace(0.0, 1.0, n + 1)
    pts = centre + r * np.column_stack([np.cos(ang), np.sin(ang)])
    pts[0], pts[-1] = start, end
    return pts


def edge_points(start, end, curvature=None, absolute: bool = False,
                tol: float = LENGTH_TOL) -> tuple[np.ndarray, float]:
    """(polyline, exact curve length) of one GarmentCode edge."""
    start, end = np.asarray(start, float), np.asarray(end, float)
    if not curvature:
        return np.array([start, end]), float(np.linalg.norm(end - start))
    if isinstance(curvature, list):  # legacy: bare [u, v] quadratic control point
        kind, params = "quadratic", [curvature]
    else:
        kind, params = curvature.get("type"), curvature.get("params")
    if kind == "circle":
        radius, large_arc, right = params
        pts = arc_points(start, end, radius, large_arc, right, tol)
        _, r, delta = arc_center(start, end, radius, large_arc, right)
        return pts, r * abs(delta)
    if kind in ("quadratic", "cubic"):
        cps = [np.asarray(p, float) if absolute else rel_to_abs(start, end, p) for p in params]
        ctrl = np.array([start, *cps, end])
        pts = _adaptive(lambda t: bezier(ctrl, t), tol)
        ref = polyline_length(bezier(ctrl, np.linspace(0, 1, 20001)))
        return pts, ref
    raise GarmentCodeError(f"garmentcode: unknown curvature type {kind!r} "
                           "(allowed: quadratic, cubic, circle)")


# ---------------------------------------------------------------- import

def placed(points: np.ndarray, placement: dict) -> np.ndarray:
    """Panel points (x, y) in 3D where GarmentCode puts them: R(rotation, XYZ Euler degrees) ·
    [(-x if mirror_x else x), y, 0] + translation, in its frame (cm, y up, z toward the viewer)."""
    from scipy.spatial.transform import Rotation

    pts = np.asarray(points, float)
    local = np.column_stack([pts[:, 0] * (-1.0 if placement.get("mirror_x") else 1.0), pts[:, 1], np.zeros(len(pts))])
    rot = Rotation.from_euler("xyz", placement.get("rotation", [0, 0, 0]), degrees=True)
    return rot.apply(local) + np.asarray(placement.get("translation", [0, 0, 0]), float)


def _region(name: str, translation: list[float], top: float | None = None) -> str:
    n = name.lower()
    if "left" in n or n.endswith("_l") or "_l_" in n:
        side = "left"
    elif "right" in n or n.endswith("_r") or "_r_" in n:
        side = "right"
    else:  # GarmentCode's left is +x
        side = "left" if translation[0] > 0 else "right"
    front = "front" in n or "_f" in n or n.startswith("f") or "ftorso" in n
    back = "back" in n or "_b" in n or "btorso" in n
    fb = "front" if front and not back else ("back" if back else ("front" if translation[2] >= 0 else "back"))
    if "sleeve" in n or "arm" in n:
        return f"arm_{side}"
    if "cuff" in n:
        return f"cuff_{side}"
    if "collar" in n:
        return "collar"
    if "hood" in n:
        return f"hood_{side}"
    if n.startswith("wb") or "waistband" in n or "belt" in n:
        return "waistband"
    if "pant" in n or "leg" in n:
        return f"leg_{side}_{fb}"
    if "skirt" in n or (top is not None and top < BODICE_TOP_MIN):
        return f"skirt_{fb}"  # a panel named only front / back that stops below the chest: a skirt's
    return f"torso_{fb}"


def _free_role(label: str) -> str:
    lab = label.lower()
    for key, role in _FREE_BY_LABEL:
        if key in lab:
            return role
    return "free"


def _panel_to_piece(name: str, panel: dict, scale: float, absolute: bool, sewn: set[int],
                    lift: float = 0.0) -> Piece:
    try:
        verts = np.asarray(panel["vertices"], float) * scale
        gc_edges = panel["edges"]
        ends = [tuple(int(i) for i in e["endpoints"]) for e in gc_edges]
    except (KeyError, TypeError, ValueError) as exc:
        raise GarmentCodeError(f"garmentcode: panel {name!r} is malformed ({exc})") from None
    if verts.ndim != 2 or verts.shape[1] != 2 or len(gc_edges) < 2:
        raise GarmentCodeError(f"garmentcode: panel {name!r} needs 2D vertices and at least 2 edges")
    for k, (s, _) in enumerate(ends):
        if ends[k - 1][1] != s:
            raise GarmentCodeError(f"garmentcode: panel {name!r} edges {k - 1} and {k} are not chained")
    chunks, exact = [], []
    for e, (s, t) in zip(gc_edges, ends, strict=True):
        curv = e.get("curvature")
        if absolute and curv:  # absolute control points are panel coordinates: same units as vertices
            if isinstance(curv, list):
                curv = [float(v) * scale for v in curv]
            elif curv.get("type") in ("quadratic", "cubic"):
                curv = {**curv, "params": [[float(v) * scale for v in q] for q in curv["params"]]}
        pts, length = edge_points(verts[s], verts[t], curv, absolute)
        chunks.append(pts)
        exact.append(length)
    outline = np.vstack([c[:-1] for c in chunks])
    x, y = outline[:, 0], outline[:, 1]
    mirror = 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) < 0
    if mirror:
        outline = outline * np.array([-1.0, 1.0])
        chunks = [c * np.array([-1.0, 1.0]) for c in chunks]
    edges, start = [], 0
    for k, (e, (s, t), pts) in enumerate(zip(gc_edges, ends, chunks, strict=True)):
        label = str(e.get("label", ""))
        end = start + len(pts) - 1
        role = "seam" if k in sewn else _free_role(label)
        name_k = f"e{k}" + (f"_{label}" if label else "")
        edges.append(Edge(name_k, start, end, role, 1.0, (f"v{s}", f"v{t}")))
        start = end
    edges[-1].end = 0
    translation = [float(v) * scale for v in panel.get("translation", [0, 0, 0])]
    translation[1] += lift
    rotation = [float(v) for v in panel.get("rotation", [0, 0, 0])]
    lo, hi = outline.min(axis=0), outline.max(axis=0)
    cx = (lo[0] + hi[0]) / 2
    top = float(placed(outline, {"translation": translation, "rotation": rotation, "mirror_x": mirror})[:, 1].max())
    piece = Piece(
        name=name, outline=outline, edges=edges, cut_group=name, cut_count=1,
        grainline=[[cx, lo[1] + 0.2 * (hi[1] - lo[1])], [cx, lo[1] + 0.8 * (hi[1] - lo[1])]],
        body_region=_region(name, translation, top), label=[name, "GarmentCode import", "cut 1"],
        placement={"translation": translation, "rotation": rotation, "mirror_x": bool(mirror),
                   "source": "garmentcode", "label": panel.get("label", "")},
    )
    piece.cut_outline = cut_outline([(piece.edge_points(e), e.allowance) for e in piece.edges])
    piece.landmarks = {}
    piece.placement["curve_lengths"] = [round(v, 4) for v in exact]
    return piece


def from_garmentcode(data: Any) -> Pattern:
    """A GarmentCode specification dict (new or legacy format) -> Pattern (cm)."""
    if not isinstance(data, dict) or not isinstance(data.get("pattern"), dict) \
            or not isinstance(data["pattern"].get("panels"), dict):
        raise GarmentCodeError("garmentcode: not a GarmentCode specification (expected pattern.panels)")
    props = dict(data.get("properties", {}))
    units = float(props.get("units_in_meter", 100))
    if units <= 0:
        raise GarmentCodeError(f"garmentcode: properties.units_in_meter must be > 0 (got {units:g})")
    scale = 100.0 / units
    absolute = props.get("curvature_coords", "relative") == "absolute"
    panels = data["pattern"]["panels"]
    stitches = data["pattern"].get("stitches", [])
    sewn: dict[str, set[int]] = {n: set() for n in panels}
    parsed = []
    for k, st in enumerate(stitches):
        try:
            a, b = st[0], st[1]
            ra, rb = (a["panel"], int(a["edge"])), (b["panel"], int(b["edge"]))
        except (KeyError, TypeError, IndexError, ValueError):
            raise GarmentCodeError(f"garmentcode: stitch {k} is malformed") from None
        for pname, eidx in (ra, rb):
            if pname not in panels or not 0 <= eidx < len(panels[pname].get("edges", [])):
                raise GarmentCodeError(f"garmentcode: stitch {k} refers to a missing edge {pname}.{eidx}")
            sewn[pname].add(eidx)
        right_wrong = len(st) >= 3 and st[2] == "right_wrong"
        parsed.append((ra, rb, right_wrong))
    order = data["pattern"].get("panel_order") or list(panels)
    order = [n for n in order if n in panels] + [n for n in panels if n not in order]
    lift = LEGACY_FLOOR_CM if _is_legacy(data) else 0.0
    pieces = [_panel_to_piece(n, panels[n], scale, absolute, sewn[n], lift) for n in order]
    by_name = {p.name: p for p in pieces}
    eases = props.get(EASE_KEY)
    if not (isinstance(eases, list) and len(eases) == len(parsed)
            and all(isinstance(e, (int, float)) for e in eases)):
        eases = [0.0] * len(parsed)
    seams = []
    for ((pa, ea), (pb, eb), right_wrong), ease in zip(parsed, eases, strict=True):
        seams.append(Seam(EdgeRef(pa, by_name[pa].edges[ea].name), EdgeRef(pb, by_name[pb].edges[eb].name),
                          reversed=not right_wrong, ease_cm=float(ease)))
    meta = {"source": "garmentcode", "units_in_meter": units, "legacy": _is_legacy(data),
            "properties": props}
    if "parameters" in data:
        meta["parameters"] = data["parameters"]
        meta["parameter_order"] = data.get("parameter_order", [])
    return Pattern(pieces, seams, {}, meta)


def _is_legacy(data: dict) -> bool:
    for panel in data["pattern"]["panels"].values():
        for e in panel.get("edges", []):
            if isinstance(e.get("curvature"), list):
                return True
    return "parameters" in data or float(data.get("properties", {}).get("units_in_meter", 100)) != 100


# ---------------------------------------------------------------- export

def _is_straight(pts: np.ndarray) -> bool:
    a, b = pts[0], pts[-1]
    d = b - a
    n = float(np.linalg.norm(d))
    if len(pts) <= 2 or n == 0:
        return True
    dev = np.abs((pts[:, 0] - a[0]) * d[1] - (pts[:, 1] - a[1]) * d[0]) / n
    return float(dev.max()) < STRAIGHT_TOL


def _deviation(ctrl: np.ndarray, pts: np.ndarray, n: int = 801) -> np.ndarray:
    """Distance of each point to the Bézier (sampled densely)."""
    dense = bezier(ctrl, np.linspace(0, 1, n))
    return np.min(np.linalg.norm(pts[:, None, :] - dense[None, :, :], axis=2), axis=1)


def _lsq_cubic(pts: np.ndarray, iters: int = 20) -> np.ndarray:
    """Least-squares cubic through the ends, with Newton parameter correction."""
    p0, p3 = pts[0], pts[-1]
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    t = np.concatenate([[0.0], np.cumsum(seg)]) / max(seg.sum(), 1e-12)
    ctrl = np.array([p0, p0 + (p3 - p0) / 3, p0 + 2 * (p3 - p0) / 3, p3])
    for _ in range(iters):
        b = np.column_stack([(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3])
        rhs = pts - np.outer(b[:, 0], p0) - np.outer(b[:, 3], p3)
        sol, *_ = np.linalg.lstsq(b[:, 1:3], rhs, rcond=None)
        ctrl = np.array([p0, sol[0], sol[1], p3])
        # Newton step on each parameter: foot of the perpendicular from the point to the curve
        d1 = 3 * np.diff(ctrl, axis=0)
        d2 = 2 * np.diff(d1, axis=0)
        q = bezier(ctrl, t) - pts
        q1 = bezier(d1, t)
        q2 = bezier(d2, t)
        den = (q1 * q1).sum(1) + (q * q2).sum(1)
        step = np.where(np.abs(den) > 1e-12, (q * q1).sum(1) / np.where(den == 0, 1, den), 0.0)
        t = np.clip(t - step, 0.0, 1.0)
        t[0], t[-1] = 0.0, 1.0
    return ctrl


def _match_length(ctrl: np.ndarray, target: float) -> np.ndarray:
    """Scale both handles so the curve is exactly ``target`` long (secant on the scale)."""
    p0, p3 = ctrl[0], ctrl[3]

    def with_scale(s: float) -> np.ndarray:
        return np.array([p0, p0 + s * (ctrl[1] - p0), p3 + s * (ctrl[2] - p3), p3])

    def err(s: float) -> float:
        return polyline_length(bezier(with_scale(s), np.linspace(0, 1, 801))) - target

    s0, s1 = 1.0, 1.05
    f0, f1 = err(s0), err(s1)
    for _ in range(20):
        if abs(f1) < 1e-4 or f1 == f0:
            break
        s0, s1, f0 = s1, max(0.0, s1 - f1 * (s1 - s0) / (f1 - f0)), f1
        f1 = err(s1)
    return with_scale(s1 if abs(f1) <= abs(f0) else s0)


def fit_cubic(pts: np.ndarray) -> tuple[np.ndarray, float]:
    """Cubic Bézier through the polyline's ends, least-squares close to its points, exactly as long.

    Returns (4 control points, max distance of the polyline's points to the curve). An edge
    drafted from several curves (hip curve + straight side seam) cannot be one cubic: its
    length is kept, its shape is the least-squares compromise.
    """
    pts = np.asarray(pts, float)
    ctrl = _match_length(_lsq_cubic(pts), polyline_length(pts))
    return ctrl, float(_deviation(ctrl, pts).max())


_PLACE = {  # body region -> (z cm, rotation about y deg)
    "front": (20.0, 0.0), "back": (-20.0, 180.0),
}


def _default_placement(piece: Piece, spec: dict) -> dict:
    """A rough position around a standing body (cm, y up, +z front) for pieces without one."""
    height = float(spec.get("measurements", {}).get("height", 170.0)) if isinstance(spec, dict) else 170.0
    neck_y, waist_y = 0.84 * height, 0.61 * height
    shoulder_x = float(spec.get("measurements", {}).get("shoulder_width", 40.0)) / 2 if spec else 20.0
    region = piece.body_region or ""
    lo, hi = piece.outline.min(axis=0), piece.outline.max(axis=0)
    cx = (lo[0] + hi[0]) / 2
    name = piece.name.lower()
    side = 0.0
    if "left" in region or "left" in name:
        side = 1.0
    elif "right" in region or "right" in name:
        side = -1.0
    if region.startswith(("arm", "cuff")):
        # local +y runs along the arm toward the shoulder: turn it to point at the body
        rot_z = 90.0 if side >= 0 else -90.0
        top = np.array([cx, hi[1]])
        world_top = np.array([-top[1], top[0]]) if side >= 0 else np.array([top[1], -top[0]])
        reach = shoulder_x + (float(spec.get("measurements", {}).get("sleeve_length", 55.0))
                              if region.startswith("cuff") and spec else 0.0)  # cuffs sit at the wrist
        t = [side * reach - world_top[0], neck_y - 5.0 - world_top[1], 8.0]
        return {"translation": t, "rotation": [0.0, 0.0, rot_z], "mirror_x": False}
    back = "back" in region or region.startswith("hood")
    z, rot_y = _PLACE["back" if back else "front"]
    if region.startswith(("skirt", "leg", "waistband", "pocket")):
        top_y = waist_y + (6.0 if region == "waistband" else 0.0)
    elif region.startswith("collar"):  # a band, a stand, the collar turned down over a stand
        top_y = neck_y + 8.0
    elif region.startswith("hood"):
        top_y = neck_y + 35.0
    else:
        top_y = neck_y
    # a half piece (left/right) sits on its side of the body, a whole one centred
    half = (hi[0] - lo[0]) / 2
    x_world = side * half
    x = x_world + (cx if back else -cx)
    return {"translation": [x, top_y - hi[1], z], "rotation": [0.0, rot_y, 0.0], "mirror_x": False}


def to_garmentcode(pattern: Pattern) -> dict:
    """Pattern -> GarmentCode specification dict: one panel per piece, one stitch per seam."""
    panels, edge_index = {}, {}
    for piece in pattern.pieces:
        place = piece.placement if {"translation", "rotation"} <= set(piece.placement) else \
            _default_placement(piece, pattern.spec)
        flip = np.array([-1.0, 1.0]) if place.get("mirror_x") else np.array([1.0, 1.0])
        edges = sorted(piece.edges, key=lambda e: e.start)
        verts, gc_edges = [], []
        for k, e in enumerate(edges):
            pts = piece.edge_points(e) * flip
            verts.append(pts[0].tolist())
            gc = {"endpoints": [k, (k + 1) % len(edges)]}
            if not _is_straight(pts):
                ctrl, _ = fit_cubic(pts)
                gc["curvature"] = {"type": "cubic",
                                   "params": [abs_to_rel(pts[0], pts[-1], c) for c in ctrl[1:3]]}
            label = e.name.split("_", 1)[1] if e.name.startswith("e") and "_" in e.name else ""
            if label and e.name[1:].split("_", 1)[0].isdigit():
                gc["label"] = label
            gc_edges.append(gc)
            edge_index[(piece.name, e.name)] = k
        panels[piece.name] = {
            "translation": [float(v) for v in place["translation"]],
            "rotation": [float(v) for v in place["rotation"]],
            "vertices": verts, "edges": gc_edges,
        }
        if place.get("label"):
            panels[piece.name]["label"] = place["label"]
    stitches = []
    for s in pattern.seams:
        st = [{"panel": s.a.piece, "edge": edge_index[(s.a.piece, s.a.edge)]},
              {"panel": s.b.piece, "edge": edge_index[(s.b.piece, s.b.edge)]}]
        if not s.reversed:
            st.append("right_wrong")
        stitches.append(st)
    props = {"curvature_coords": "relative", "normalize_panel_translation": False,
             "normalized_edge_loops": True, "units_in_meter": 100}
    if any(s.ease_cm for s in pattern.seams):  # GarmentCode has no ease; pygarment ignores this key
        props[EASE_KEY] = [round(s.ease_cm, 4) for s in pattern.seams]
    return {"pattern": {"panels": panels, "stitches": stitches}, "properties": props}


# ---------------------------------------------------------------- seam table

def opening_text(closure: dict | None) -> str:
    """'zip 14 cm from waist_left' for a seam left partly open, '' for one sewn shut."""
    if not closure:
        return ""
    return f"{closure['type']} {closure['length_cm']:g} cm from {closure['from']}"


def openings(pattern: Pattern) -> list[str]:
    """How the garment opens to be put on, one line each: seams left open (zip, buttons), a buttoned
    front (its opening edges and buttons), a back-neck keyhole (a slit marking). Empty: it pulls on."""
    out = [f"{s.a.piece}.{s.a.edge} ~ {s.b.piece}.{s.b.edge}: {opening_text(s.closure)}"
           for s in pattern.seams if s.closure]
    for p in pattern.pieces:
        buttons = sum(mk.get("kind") == "button" for mk in p.markings)
        if any(e.role == "opening" and e.name == "opening" for e in p.edges) and p.name.startswith("right"):
            zipped = any(mk.get("kind") == "zip" for mk in p.markings)
            out.append(f"{p.name}: opens down the front" + (f", {buttons} buttons" if buttons else "")
                       + (", zip" if zipped else ""))
        for mk in p.markings:
            if mk.get("kind") == "slit":
                out.append(f"{p.name}: {mk.get('text') or 'slit'}" + (", button and loop" if buttons else ""))
    return out


def seam_table(pattern: Pattern, tol: float = SEAM_TOL) -> list[dict]:
    """Per seam: edge refs, both lengths (cm), difference b - a, declared ease, ok, and its opening."""
    rows = []
    for s in pattern.seams:
        la, lb = pattern.seam_lengths(s)
        diff = lb - la
        rows.append({"a": f"{s.a.piece}.{s.a.edge}", "b": f"{s.b.piece}.{s.b.edge}",
                     "len_a": round(la, 3), "len_b": round(lb, 3), "difference": round(diff, 3),
                     "ease": round(s.ease_cm, 3), "ok": bool(abs(diff - s.ease_cm) <= tol),
                     "opening": opening_text(s.closure)})
    return rows
