"""Wrap: place every meshed piece around the mannequin in numpy (instant, no physics).

Three steps:
1. Map each piece onto its body region: torso / skirt pieces onto rings around the torso (the
   piece's x becomes arc length around the body, y becomes height), sleeves and pant legs onto
   tubes around the limb axes, bands (collar, cuffs, waistband, hood) grown from the edge they
   are sewn to, GarmentCode pieces by their ``placement``.
2. Snap seams: every group of sewn vertices moves to its mean and the displacement spreads
   smoothly (harmonic) over each piece, so seams meet exactly.
3. Push out: vertices inside the body (grown by the offset) move radially to its surface.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import coo_matrix, identity
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import spsolve

from ..body.mannequin import Body, polygon_perimeter, superellipse
from ..mesh.triangulate import GarmentMesh

OFFSET = 1.0  # cm between body and garment after wrapping

TORSO = ("torso", "skirt")
ARM = ("arm", "sleeve")
LEG = ("leg",)
BAND = ("collar", "cuff", "waistband", "hood", "pocket", "belt", "placket", "facing")


def _lm(piece, *names) -> np.ndarray | None:
    for n in names:
        if n in piece.landmarks:
            return np.asarray(piece.landmarks[n], float)
    return None


def _center_x(piece) -> float:
    """x of the piece's centre line (centre front/back, sleeve cap top, leg crease)."""
    c = _lm(piece, "center", "centre", "waist_center", "hem_center", "hps", "center_front", "center_back",
            "cap_top", "crease")
    if c is not None:
        return float(c[0])
    if len(piece.grainline) == 2:
        return float(np.mean([piece.grainline[0][0], piece.grainline[1][0]]))
    xs = piece.outline[:, 0]
    return float((xs.min() + xs.max()) / 2)


def _side(region: str) -> str:
    return "right" if "right" in region else "left"


def _width_at(outline: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Horizontal extent (max x - min x of the outline's crossings) at each height y."""
    p, q = outline, np.roll(outline, -1, axis=0)
    lo, hi = np.minimum(p[:, 1], q[:, 1]), np.maximum(p[:, 1], q[:, 1])
    y = np.asarray(y, float)[:, None]
    hit = (y >= lo) & (y <= hi) & (hi > lo)
    t = np.where(hit, (y - p[:, 1]) / np.where(hi > lo, q[:, 1] - p[:, 1], 1), 0)
    x = p[:, 0] + t * (q[:, 0] - p[:, 0])
    xmax = np.where(hit, x, -np.inf).max(axis=1)
    xmin = np.where(hit, x, np.inf).min(axis=1)
    w = xmax - xmin
    # above / below the piece: its top / bottom width
    return np.where(np.isfinite(w), w, 0.0)


def _width_fn(outline: np.ndarray):
    """Width as a function of y, extended flat beyond the piece's ends."""
    ys = np.linspace(outline[:, 1].min() + 1e-6, outline[:, 1].max() - 1e-6, 64)
    ws = _width_at(outline, ys)
    return lambda y: np.interp(y, ys, ws)


def _anchor_z(piece, body: Body, kind: str) -> float:
    """Height offset: z = y + offset, from the piece's landmarks or its top edge."""
    L = body.landmarks
    for name, z in (("waist", L["waist"]), ("waist_center", L["waist"]), ("hps", L["neck_base"]),("hip", L["hip"]), ("bust", L["bust"]),
                    ("underarm", L["underarm"]), ("armpit", L["underarm"]), ("crotch", L["crotch"])):
        p = _lm(piece, name)
        if p is not None:
            return z - float(p[1])
    top = float(piece.outline[:, 1].max())
    if kind == "skirt" or kind == "leg":
        return L["waist"] - top
    return L["neck_base"] + 1.0 - top  # bodice: the side-neck point sits at the neck base


def _circle_points(z: np.ndarray, s: np.ndarray, circ: np.ndarray, center: np.ndarray, radius: np.ndarray,
                   offset: float) -> np.ndarray:
    """Points at arc length s (from the front, counter-clockwise seen from above) on horizontal
    circles of circumference ``circ`` (at least the limb's radius + offset) around ``center``."""
    r = np.maximum(circ / (2 * np.pi), radius + offset)
    ang = -np.pi / 2 + s / r
    return np.column_stack([center[:, 0] + r * np.cos(ang), center[:, 1] + r * np.sin(ang), z])


def _torso_ring_fast(body: Body, z: np.ndarray, s: np.ndarray, circ: np.ndarray, offset: float) -> np.ndarray:
    """Vectorised _ring_points for the torso: one arc-length table per 1 cm height bin."""
    out = np.zeros((len(z), 3))
    zb = np.round(z).astype(int)
    cb = np.round(circ).astype(int)
    key = zb * 100000 + cb
    for k in np.unique(key):
        m = key == k
        zz = float(np.mean(z[m]))
        # below the hip a garment hangs straight from the hip instead of following the crotch in
        a, b, cy = (float(v) for v in body.section(np.array([max(zz, body.landmarks["hip"])])))
        c = max(float(np.mean(circ[m])), polygon_perimeter(superellipse(64, a, b)) + 2 * np.pi * offset)
        theta = np.linspace(-np.pi / 2, 3 * np.pi / 2, 257)
        co, si = np.cos(theta), np.sin(theta)
        ex = 2 / 2.4
        pts = np.column_stack([a * np.sign(co) * np.abs(co) ** ex, b * np.sign(si) * np.abs(si) ** ex])
        arc = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
        pts *= c / arc[-1]
        arc *= c / arc[-1]
        sm = np.mod(s[m], arc[-1])
        out[m, 0] = np.interp(sm, arc, pts[:, 0])
        out[m, 1] = np.interp(sm, arc, pts[:, 1]) + cy
        out[m, 2] = z[m]
    return out


def _rings(pattern) -> dict[str, list]:
    """Pieces grouped into rings that together go once around a body part."""
    groups: dict[str, list] = {}
    for p in pattern.pieces:
        r = p.body_region or ""
        if r.startswith("torso"):
            key = "torso"
        elif r.startswith("skirt"):
            key = "skirt"
        elif r.startswith(("leg_left", "leg_right")):
            key = "leg_" + _side(r)
        else:
            continue
        groups.setdefault(key, []).append(p)
    return groups


def _is_back(piece) -> bool:
    r = piece.body_region
    return "back" in r or "back" in piece.name


def _place_ring(body: Body, pieces, mesh: GarmentMesh, pos: np.ndarray, key: str, offset: float) -> None:
    kind = "leg" if key.startswith("leg") else key
    widths = [_width_fn(p.outline) for p in pieces]
    fronts = [p for p in pieces if not _is_back(p)]
    for p, wfn in zip(pieces, widths, strict=True):
        i = mesh.index(p.name)
        sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
        v = mesh.pieces[i].verts
        dz = _anchor_z(p, body, kind)
        z = v[:, 1] + dz
        # ring circumference at each height: the widths of every piece of the ring there
        circ = np.zeros(len(v))
        for q, qfn in zip(pieces, widths, strict=True):
            circ += qfn(z - _anchor_z(q, body, kind))
        if len(pieces) == 1 or (len(fronts) == len(pieces)):
            circ = np.maximum(circ, 2 * wfn(v[:, 1]))
        xc = _center_x(p)
        s = (v[:, 0] - xc) + (circ / 2 if _is_back(p) else 0.0)
        if kind == "leg":
            tube = body.legs[key.split("_")[1]]
            t = (tube.p0[2] - z) / max(-tube.d[2], 1e-6)
            center = tube.p0 + np.clip(t, 0, None)[:, None] * tube.d
            center[:, 2] = z
            # above the hip joint the leg ring moves toward the body's centre line
            pos[sl] = _circle_points(z, s, circ, center, tube.radius(np.clip(t, 0, None)), offset)
        else:
            pos[sl] = _torso_ring_fast(body, z, s, circ, offset)


def _place_sleeve(body: Body, p, mesh: GarmentMesh, pos: np.ndarray, offset: float) -> None:
    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    v = mesh.pieces[i].verts
    side = _side(p.body_region or p.name)
    tube = body.arms[side]
    xc = _center_x(p)
    top = _lm(p, "cap_top", "shoulder")
    ytop = float(top[1]) if top is not None else float(v[:, 1].max())
    wfn = _width_fn(p.outline)
    t = ytop - v[:, 1]
    circ = wfn(v[:, 1])
    r = np.maximum(circ / (2 * np.pi), tube.radius(np.clip(t, 0, None)) + offset)
    d = tube.d
    w = np.array([abs(d[2]) * np.sign(d[0]), 0.0, abs(d[0])])  # up and out, across the axis
    w /= np.linalg.norm(w)
    xdir = np.cross(-d, w)  # the piece's +x on the arm, seen from outside
    phi = (v[:, 0] - xc) / r
    axis = tube.p0 + t[:, None] * d
    pos[sl] = axis + r[:, None] * (np.cos(phi)[:, None] * w + np.sin(phi)[:, None] * xdir)


def _place_placement(p, mesh: GarmentMesh, pos: np.ndarray) -> None:
    """GarmentCode panel placement: 3D = R(euler xyz, degrees) (x, y, 0) + t in its frame (y up,
    z toward the viewer), converted to ours (z up, facing -y)."""
    from scipy.spatial.transform import Rotation

    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    v = mesh.pieces[i].verts
    rot = Rotation.from_euler("xyz", p.placement.get("rotation", [0, 0, 0]), degrees=True)
    gc = rot.apply(np.column_stack([v, np.zeros(len(v))])) + np.asarray(p.placement.get("translation", [0, 0, 0]))
    pos[sl] = np.column_stack([gc[:, 0], -gc[:, 2], gc[:, 1]])


def _place_band(p, mesh: GarmentMesh, pos: np.ndarray, placed: np.ndarray, body: Body) -> bool:
    """Grow a piece from its sewn edge: each vertex = its edge point (by x) + (y - y_edge) * up."""
    i = mesh.index(p.name)
    lo, n = mesh.offsets[i], len(mesh.pieces[i].verts)
    sp = mesh.seam_pairs
    own_a = (sp[:, 0] >= lo) & (sp[:, 0] < lo + n) & placed[sp[:, 1]]
    own_b = (sp[:, 1] >= lo) & (sp[:, 1] < lo + n) & placed[sp[:, 0]]
    mine = np.concatenate([sp[own_a, 0], sp[own_b, 1]]) - lo
    other = np.concatenate([sp[own_a, 1], sp[own_b, 0]])
    if len(mine) < 2:
        return False
    v = mesh.pieces[i].verts
    order = np.argsort(v[mine, 0])
    xs, targets = v[mine[order], 0], pos[other[order]]
    yedge = np.interp(v[:, 0], xs, v[mine[order], 1])
    base = np.column_stack([np.interp(v[:, 0], xs, targets[:, k]) for k in range(3)])
    region = p.body_region or p.name
    if "cuff" in region:
        tube = body.arms[_side(region)]
        up = -tube.d
    else:
        up = np.array([0.0, 0.0, 1.0])
    pos[lo:lo + n] = base + (v[:, 1] - yedge)[:, None] * up
    return True


def _place_flat(p, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> None:
    """Fallback: the piece flat in front of the torso at its landmark height or the waist."""
    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    v = mesh.pieces[i].verts
    z = v[:, 1] - v[:, 1].mean() + body.landmarks["waist"] - 8
    s = v[:, 0] - v[:, 0].mean()
    pos[sl] = _torso_ring_fast(body, z, s, np.full(len(v), 0.0), offset + 0.6)


def snap_seams(mesh: GarmentMesh, pos: np.ndarray, weight: float = 1.0) -> np.ndarray:
    """Move sewn vertices to their group mean; spread the move harmonically over each piece."""
    n = len(pos)
    sp = mesh.seam_pairs
    if not len(sp):
        return pos
    g = coo_matrix((np.ones(len(sp)), (sp[:, 0], sp[:, 1])), shape=(n, n))
    _, label = connected_components(g, directed=False)
    sewn = np.zeros(n, bool)
    sewn[sp.ravel()] = True
    cnt = np.bincount(label, weights=sewn.astype(float))
    mean = np.stack([np.bincount(label, weights=pos[:, k] * sewn) for k in range(3)], 1) / np.maximum(cnt, 1)[:, None]
    disp = np.zeros_like(pos)
    disp[sewn] = (mean[label] - pos)[sewn] * weight
    # harmonic extension: L u = 0 on free vertices, u fixed on sewn ones
    e = mesh.edges()
    rows = np.concatenate([e[:, 0], e[:, 1]])
    cols = np.concatenate([e[:, 1], e[:, 0]])
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    deg = np.asarray(A.sum(axis=1)).ravel()
    L = (coo_matrix((deg, (np.arange(n), np.arange(n))), shape=(n, n)) - A).tocsr()
    free = ~sewn
    Lff = L[free][:, free] + 1e-4 * identity(int(free.sum()), format="csr")
    rhs = -(L[free][:, sewn] @ disp[sewn])
    disp[free] = np.column_stack([spsolve(Lff.tocsc(), rhs[:, k]) for k in range(3)])
    return pos + disp


def wrap(pattern, mesh: GarmentMesh, body: Body, offset: float = OFFSET) -> np.ndarray:
    """(N, 3) garment vertex positions in cm around ``body`` for ``mesh`` (from mesh_pattern)."""
    n = len(mesh.verts2d)
    pos = np.zeros((n, 3))
    placed = np.zeros(n, bool)

    def mark(p):
        i = mesh.index(p.name)
        placed[mesh.offsets[i]:mesh.offsets[i] + len(mesh.pieces[i].verts)] = True

    for key, pieces in _rings(pattern).items():
        _place_ring(body, pieces, mesh, pos, key, offset)
        for p in pieces:
            mark(p)
    pending = []
    for p in pattern.pieces:
        r = p.body_region or ""
        if placed[mesh.offsets[mesh.index(p.name)]]:
            continue
        if r.startswith(ARM) or "sleeve" in p.name:
            _place_sleeve(body, p, mesh, pos, offset)
            mark(p)
        elif not r and p.placement:
            _place_placement(p, mesh, pos)
            mark(p)
        else:
            pending.append(p)
    for _ in range(3):  # bands attached to bands (hood on collar...) need a second pass
        left = []
        for p in pending:
            if _place_band(p, mesh, pos, placed, body):
                mark(p)
            else:
                left.append(p)
        pending = left
    for p in pending:
        _place_flat(p, mesh, pos, body, offset)
        mark(p)
    pos = snap_seams(mesh, pos)
    pos = body.push_out(pos, offset)
    return pos


def assembly_metrics(mesh: GarmentMesh, pos: np.ndarray, body: Body) -> dict[str, float]:
    """inside_fraction, max_seam_gap_cm, mean_stretch (|3D/flat - 1| over triangle edges)."""
    e = mesh.edges()
    l2 = np.linalg.norm(mesh.verts2d[e[:, 0]] - mesh.verts2d[e[:, 1]], axis=1)
    l3 = np.linalg.norm(pos[e[:, 0]] - pos[e[:, 1]], axis=1)
    sp = mesh.seam_pairs
    gap = np.linalg.norm(pos[sp[:, 0]] - pos[sp[:, 1]], axis=1) if len(sp) else np.zeros(1)
    return {
        "inside_fraction": float(body.inside(pos, margin=-0.05).mean()),
        "max_seam_gap_cm": float(gap.max()),
        "mean_stretch": float(np.mean(np.abs(l3 / np.maximum(l2, 1e-9) - 1))),
        "vertices": int(len(pos)),
        "faces": int(len(mesh.faces)),
    }


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t
