"""Where the buttons sit on a placed (wrapped or draped) garment: pure numpy.

A pattern marks its buttons on the pieces that carry them (the left front, a cuff's underlap, an
overall's back band); worn, the button shows on top of whatever is buttoned over it (the right
front with its buttonholes). So a button's place is its marking carried onto the placed mesh, then
moved out along the cloth's outside normal past every layer within ``LAYER_REACH`` that carries
buttonholes, or is its own piece. A button under cloth with no buttonholes (a collar stand's
button under the collar's fall, a bib's button under its strap) is hidden and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..mesh.rays import line_fraction

BUTTON_DEFAULT_CM = 1.5  # diameter when the marking's label does not say
LAYER_REACH = 3.0  # cm out from a button's own piece a layer buttoned over it may lie
CLEAR_CM = 0.1  # between the outermost layer and the button's underside
SEGMENTS = 12  # round a button's rim
DOME = 0.12  # its centre this far above the rim, as a share of the diameter
LIFT_STEP, LIFT_MAX = 0.2, 1.0  # cm: a button still crossing the cloth goes out in steps, else is left out
RIM_MARGIN = 0.3  # cm round the disc within which the cloth's vertices count too
RIM_RAYS = 8  # rays round the rim as well as the centre: the button clears the cloth all under it


@dataclass
class Button:
    center: np.ndarray  # (3,) cm: its underside's centre
    normal: np.ndarray  # (3,) unit, out of the cloth
    diameter: float  # cm
    uv: np.ndarray  # (2,) the pattern UV of its marking (a texture's colour there)
    piece: str


def _for_piece(mark: dict, piece: str) -> bool:
    """A front printed once for both sides says which side takes a marking ("button: left front")."""
    side = re.search(r"\b(left|right) front\b", mark.get("text", ""))
    return side is None or piece == f"{side.group(1)}_front"


def button_diameter(label: str) -> float:
    """The diameter a button marking's label gives ("button 1.5 cm: left front"), else the default."""
    found = re.search(r"(\d+(?:\.\d+)?)\s*cm", label or "")
    return float(found.group(1)) if found else BUTTON_DEFAULT_CM


def _in_triangle(verts2d: np.ndarray, faces: np.ndarray, p: np.ndarray) -> tuple[int, np.ndarray] | None:
    """The face of a flat piece mesh holding ``p`` (the nearest one's if none does) and its
    barycentric weights there."""
    a, b, c = (verts2d[faces[:, k]] for k in range(3))
    v0, v1, v2 = b - a, c - a, p - a
    den = v0[:, 0] * v1[:, 1] - v1[:, 0] * v0[:, 1]
    ok = np.abs(den) > 1e-12
    den = np.where(ok, den, 1.0)
    w1 = (v2[:, 0] * v1[:, 1] - v1[:, 0] * v2[:, 1]) / den
    w2 = (v0[:, 0] * v2[:, 1] - v2[:, 0] * v0[:, 1]) / den
    w = np.column_stack([1.0 - w1 - w2, w1, w2])
    outside = np.where(ok, np.maximum(-w.min(axis=1), 0.0), np.inf)
    if not len(faces):
        return None
    i = int(np.argmin(outside))
    if outside[i] > 0.5:  # off the piece (a marking past its outline)
        return None
    wi = np.clip(w[i], 0.0, None)
    return i, wi / wi.sum()


def _ray_hits(origin: np.ndarray, direction: np.ndarray, tri: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distances along the line through ``origin`` (unit ``direction``) to the triangles ``tri``
    (T, 3, 3) it passes through, either side of the origin and either face, and their ids."""
    t = line_fraction(origin[None], direction[None], tri)
    hit = np.nonzero(np.isfinite(t))[0]
    return t[hit], hit


def button_places(pattern, mesh, pos: np.ndarray) -> list[Button]:
    """The buttons of ``pattern`` as worn on ``mesh`` placed at ``pos`` (cm, one row per mesh vertex)."""
    names = [pm.name for pm in mesh.pieces]
    holed = {i for i, n in enumerate(names)
             if any(m.get("kind") == "buttonhole" and _for_piece(m, n) for m in pattern.piece(n).markings)}
    face_piece = mesh.piece_of[mesh.faces[:, 0]]
    tri = pos[mesh.faces]
    out: list[Button] = []
    for i, pm in enumerate(mesh.pieces):
        marks = [m for m in pattern.piece(pm.name).markings if m.get("kind") == "button" and _for_piece(m, pm.name)]
        for m in marks:
            found = _in_triangle(pm.verts, pm.faces, np.asarray(m["points"][0], float))
            if found is None:
                continue
            f, w = found
            ids = pm.faces[f] + mesh.offsets[i]
            centre = w @ pos[ids]
            diameter = button_diameter(m.get("text", ""))
            normal = _normal_round(pm, pos[mesh.offsets[i]:mesh.offsets[i] + len(pm.verts)],
                                   np.asarray(m["points"][0], float), max(diameter, 2.0), f)
            if normal is None:
                continue
            # only triangles whose box comes this near can be hit
            off = np.maximum(tri.min(axis=1) - centre, centre - tri.max(axis=1)).max(axis=1)
            near = off < LAYER_REACH + diameter
            lift = _clearance(centre, normal, diameter, tri[near], face_piece[near], i, holed)
            if lift is None:
                continue
            at = centre + (lift + CLEAR_CM) * normal
            for _ in range(round(LIFT_MAX / LIFT_STEP)):
                if not _disc_crosses(*disc(at, normal, diameter), tri[near]):
                    break
                at = at + LIFT_STEP * normal
            else:
                continue
            out.append(Button(at, normal, diameter, w @ mesh.uv[ids], pm.name))
    return out


def _normal_round(pm, placed: np.ndarray, flat_point: np.ndarray, radius: float, face: int) -> np.ndarray | None:
    """The piece's outside normal round ``flat_point`` in ``face`` (area-weighted over its faces within
    ``radius`` cm, flat): one triangle's can lean far off at a crease."""
    near = np.linalg.norm(pm.verts[pm.faces].mean(axis=1) - flat_point, axis=1) < radius
    near[face] = True
    t = placed[pm.faces[near]]
    n = np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]).sum(axis=0)  # faces CCW flat: out of the garment
    size = np.linalg.norm(n)
    return n / size if size > 1e-9 else None


def disc(center: np.ndarray, normal: np.ndarray, diameter: float) -> tuple[np.ndarray, np.ndarray]:
    """A button's surface: (verts (SEGMENTS + 1, 3), triangles (SEGMENTS, 3)), a domed disc, its rim on
    the plane through ``center`` across ``normal``, its middle DOME x diameter out of it."""
    n = np.asarray(normal, float) / np.linalg.norm(normal)
    u, v = plane_axes(n)
    a = np.linspace(0.0, 2 * np.pi, SEGMENTS, endpoint=False)
    rim = center + 0.5 * diameter * (np.cos(a)[:, None] * u + np.sin(a)[:, None] * v)
    k = np.arange(SEGMENTS)
    tris = np.column_stack([np.full(SEGMENTS, SEGMENTS), k, (k + 1) % SEGMENTS])  # CCW seen from outside
    return np.vstack([rim, center + DOME * diameter * n]), tris


def _segments_hit(a: np.ndarray, b: np.ndarray, tri: np.ndarray) -> bool:
    """Whether any segment a[i]-b[i] passes through one of the triangles ``tri`` (T, 3, 3)."""
    for p, q in zip(a, b, strict=True):
        length = float(np.linalg.norm(q - p))
        if length > 1e-9:
            t, _ = _ray_hits(p, (q - p) / length, tri)
            if ((t > 0) & (t < length)).any():
                return True
    return False


def _disc_crosses(verts: np.ndarray, tris: np.ndarray, cloth: np.ndarray) -> bool:
    """Whether a button's disc and the cloth triangles ``cloth`` run through each other (an edge of
    either through a triangle of the other): a fold standing beside a button, edge-on to the rays
    along its normal, crossed its rim."""
    if not len(cloth):
        return False
    edges = np.vstack([tris[:, [0, 1]], tris[:, [1, 2]]])
    if _segments_hit(verts[edges[:, 0]], verts[edges[:, 1]], cloth):
        return True
    lo, hi = verts.min(axis=0) - 1e-6, verts.max(axis=0) + 1e-6
    ce = np.concatenate([cloth[:, [0, 1]], cloth[:, [1, 2]], cloth[:, [2, 0]]])
    ce = ce[((np.minimum(ce[:, 0], ce[:, 1]) <= hi) & (np.maximum(ce[:, 0], ce[:, 1]) >= lo)).all(axis=1)]
    return _segments_hit(ce[:, 0], ce[:, 1], verts[tris])


def plane_axes(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit axes across the unit ``normal`` (a button's face: its rim rays here, its disc in
    blender.buttons)."""
    u = np.cross(normal, [0.0, 0.0, 1.0] if abs(normal[2]) < 0.9 else [1.0, 0.0, 0.0])
    u /= np.linalg.norm(u)
    return u, np.cross(normal, u)


def _clearance(centre, normal, diameter, tri, face_piece, own: int, holed: set[int]) -> float | None:
    """How far out along ``normal`` the outermost layer lies over the button's disc (0: only its own
    piece), or None when cloth without buttonholes covers it."""
    u, v = plane_axes(normal)
    angles = np.linspace(0.0, 2 * np.pi, RIM_RAYS, endpoint=False)
    starts = [centre] + [centre + 0.5 * diameter * (np.cos(a) * u + np.sin(a) * v) for a in angles]
    lift = 0.0
    for k, start in enumerate(starts):
        t, ids = _ray_hits(start - LAYER_REACH * normal, normal, tri)
        t = t - LAYER_REACH
        keep = (t > -LAYER_REACH) & (t <= LAYER_REACH)
        t, ids = t[keep], ids[keep]
        over = t > 0.05
        if k == 0 and any(face_piece[j] != own and face_piece[j] not in holed for j in ids[over]):
            return None
        lift = max(lift, float(t.max(initial=0.0)))
    # and every cloth vertex over the disc (and RIM_MARGIN round it): a fold rising between the rays
    # ran through the disc's rim (overalls M drape, a back band's button: 6 crossing edges)
    p = tri.reshape(-1, 3) - centre
    h = p @ normal
    across = np.linalg.norm(p - h[:, None] * normal, axis=1)
    over = (across < 0.5 * diameter + RIM_MARGIN) & (h > -LAYER_REACH) & (h <= LAYER_REACH)
    return max(lift, float(h[over].max(initial=0.0)))
