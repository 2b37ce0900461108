"""How good a draped garment is, measured on triangle meshes (the meshes that are shown and exported),
not on the analytic body: penetration into the mannequin, the garment crossing itself, hem gathering.

All lengths in the units of the input (the pipeline passes cm). Pure numpy + scipy.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, cKDTree

from ..mesh.rays import segment_fraction, segment_hits
from ..mesh.subdivide import smoothed_surface, source_faces
from ..mesh.triangulate import face_edges, neighbour_sum, unique_edges


def _closest_on_triangles(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Closest point to each p on triangle (a, b, c), row-wise (Ericson, Real-Time Collision Detection 5.1.5)."""
    ab, ac, ap = b - a, c - a, p - a
    d1, d2 = (ab * ap).sum(-1), (ac * ap).sum(-1)
    bp = p - b
    d3, d4 = (ab * bp).sum(-1), (ac * bp).sum(-1)
    cp = p - c
    d5, d6 = (ab * cp).sum(-1), (ac * cp).sum(-1)
    va, vb, vc = d3 * d6 - d5 * d4, d5 * d2 - d1 * d6, d1 * d4 - d3 * d2
    denom = np.where(np.abs(va + vb + vc) > 1e-30, va + vb + vc, 1e-30)
    v, w = vb / denom, vc / denom
    out = a + ab * v[..., None] + ac * w[..., None]  # inside the face
    # edges and vertices, most specific last so they win
    t_bc = np.clip((d4 - d3) / np.where((d4 - d3) + (d5 - d6) != 0, (d4 - d3) + (d5 - d6), 1e-30), 0, 1)
    on_bc = (va <= 0) & (d4 - d3 >= 0) & (d5 - d6 >= 0)
    out = np.where(on_bc[..., None], b + (c - b) * t_bc[..., None], out)
    t_ac = np.clip(d2 / np.where(d2 - d6 != 0, d2 - d6, 1e-30), 0, 1)
    on_ac = (vb <= 0) & (d2 >= 0) & (d6 <= 0)
    out = np.where(on_ac[..., None], a + ac * t_ac[..., None], out)
    t_ab = np.clip(d1 / np.where(d1 - d3 != 0, d1 - d3, 1e-30), 0, 1)
    on_ab = (vc <= 0) & (d1 >= 0) & (d3 <= 0)
    out = np.where(on_ab[..., None], a + ab * t_ab[..., None], out)
    out = np.where(((d6 >= 0) & (d5 <= d6))[..., None], c, out)
    out = np.where(((d3 >= 0) & (d4 <= d3))[..., None], b, out)
    out = np.where(((d1 <= 0) & (d2 <= 0))[..., None], a, out)
    return out


def signed_distance(points: np.ndarray, verts: np.ndarray, faces: np.ndarray, k: int = 8) -> np.ndarray:
    """Distance from each point to a closed, outward-oriented triangle mesh; negative inside."""
    return nearest_surface(points, verts, faces, k)[0]


def nearest_surface(points: np.ndarray, verts: np.ndarray, faces: np.ndarray, k: int = 8):
    """(signed distance (N,), closest surface point (N, 3), outward normal there (N, 3)): see _nearest."""
    return _nearest(points, verts, faces, k)[:3]


def _nearest(points: np.ndarray, verts: np.ndarray, faces: np.ndarray, k: int = 8):
    """(signed distance (N,), closest surface point (N, 3), outward normal there (N, 3), its face (N,)).

    The nearest surface point is searched on the triangles around the ``k`` nearest mesh vertices
    (exact for meshes whose triangles are small next to the clearance asked about, as a body's are);
    its sign is that of the offset along the angle-weighted normal there, which stays right at edges
    and corners where a single face's normal would not.
    """
    points = np.atleast_2d(np.asarray(points, float))
    verts, faces = np.asarray(verts, float), np.asarray(faces, np.int64)
    vn = vertex_normals(verts, faces)
    fn = np.cross(verts[faces[:, 1]] - verts[faces[:, 0]], verts[faces[:, 2]] - verts[faces[:, 0]])
    fn /= np.maximum(np.linalg.norm(fn, axis=1), 1e-30)[:, None]
    # vertex -> incident faces, as a padded table
    order = np.argsort(faces.ravel(), kind="stable")
    vf = (order // 3)
    counts = np.bincount(faces.ravel(), minlength=len(verts))
    start = np.concatenate([[0], np.cumsum(counts)])
    width = int(counts.max()) if len(counts) else 0
    table = np.full((len(verts), width), -1, np.int64)
    slot = np.arange(len(vf)) - np.repeat(start[:-1], counts)
    table[faces.ravel()[order], slot] = vf
    _, near = cKDTree(verts).query(points, k=min(k, len(verts)))
    near = near.reshape(len(points), -1)
    out = np.empty(len(points))
    closest, normal = np.empty((len(points), 3)), np.empty((len(points), 3))
    face = np.empty(len(points), np.int64)
    for lo in range(0, len(points), 512):
        p = points[lo:lo + 512]
        cand = table[near[lo:lo + 512]].reshape(len(p), -1)  # (P, k * width), -1 padded
        valid = cand >= 0
        f = faces[np.where(valid, cand, 0)]
        q = _closest_on_triangles(p[:, None, :], verts[f[..., 0]], verts[f[..., 1]], verts[f[..., 2]])
        d = np.where(valid, np.linalg.norm(p[:, None, :] - q, axis=-1), np.inf)
        best = d.argmin(axis=1)
        rows = np.arange(len(p))
        fbest = f[rows, best]
        qbest = q[rows, best]
        bary = _barycentric(qbest, verts[fbest[:, 0]], verts[fbest[:, 1]], verts[fbest[:, 2]])
        # on an edge or corner the interpolated vertex normal; inside a face the face's own normal
        interior = (bary > 1e-3).all(axis=1)
        n = np.where(interior[:, None], fn[cand[rows, best]], (vn[fbest] * bary[..., None]).sum(axis=1))
        sign = np.where(((p - qbest) * n).sum(axis=1) < 0, -1.0, 1.0)
        out[lo:lo + 512] = sign * d[rows, best]
        closest[lo:lo + 512] = qbest
        normal[lo:lo + 512] = n / np.maximum(np.linalg.norm(n, axis=1), 1e-30)[:, None]
        face[lo:lo + 512] = cand[rows, best]
    return out, closest, normal, face


def push_out(points: np.ndarray, verts: np.ndarray, faces: np.ndarray, gap: float,
             reach: float | None = None) -> np.ndarray:
    """Points closer than ``gap`` (cm, or one per point) to the mesh, or inside it, moved to ``gap``
    outside its surface.

    reach: for an open sheet (a garment worn underneath) rather than a closed body: only points
    within ``reach`` whose nearest point lies square under them (not past the sheet's edge: below a
    shirt's hem a jacket is not "inside" the shirt) move."""
    points = np.array(points, float)
    gap = np.broadcast_to(np.asarray(gap, float), (len(points),))
    d, q, n = nearest_surface(points, verts, faces)
    m = d < gap
    if reach is not None:
        off = points - q
        along = np.abs((off * n).sum(axis=1))
        m &= (np.abs(d) < reach) & (along >= 0.9 * np.linalg.norm(off, axis=1))
    points[m] = q[m] + gap[m, None] * n[m]
    return points


LAYER_HOLD_CM, LAYER_FADE_CM = 1.5, 4.0  # push_out_over: full move within this of a point that needs it, none past this


def push_out_over(points: np.ndarray, verts: np.ndarray, faces: np.ndarray, gap: float, reach: float) -> np.ndarray:
    """push_out for a garment dressed over another (an open sheet: ``reach`` as there), moving its
    layers together: each point goes out along the worn surface's normal by the most that any point
    within LAYER_HOLD_CM needs, fading to nothing at LAYER_FADE_CM. Pushed one by one onto the same
    ``gap``, the layers of the garment over the worn one met and crossed: a jacket's fronts, lapels and
    pockets over a shirt, 1,554 crossings in the wrap (0 without the shirt)."""
    points = np.array(points, float)
    d, q, n = nearest_surface(points, verts, faces)
    off = points - q
    square = np.abs((off * n).sum(axis=1)) >= 0.9 * np.linalg.norm(off, axis=1)
    need = np.where((d < gap) & (np.abs(d) < reach) & square, gap - d, 0.0)
    src = np.nonzero(need > 0)[0]
    if not len(src):
        return points
    move = need.copy()
    tree = cKDTree(points)
    for j, near in zip(src, tree.query_ball_point(points[src], LAYER_FADE_CM), strict=True):
        near = np.asarray(near)
        dist = np.linalg.norm(points[near] - points[j], axis=1)
        t = np.clip((dist - LAYER_HOLD_CM) / (LAYER_FADE_CM - LAYER_HOLD_CM), 0.0, 1.0)
        fade = 1.0 - t * t * (3.0 - 2.0 * t)
        move[near] = np.maximum(move[near], need[j] * fade)
    return points + move[:, None] * n


def _barycentric(q, a, b, c) -> np.ndarray:
    v0, v1, v2 = b - a, c - a, q - a
    d00, d01, d11 = (v0 * v0).sum(1), (v0 * v1).sum(1), (v1 * v1).sum(1)
    d20, d21 = (v2 * v0).sum(1), (v2 * v1).sum(1)
    den = np.where(np.abs(d00 * d11 - d01 * d01) > 1e-30, d00 * d11 - d01 * d01, 1e-30)
    v = (d11 * d20 - d01 * d21) / den
    w = (d00 * d21 - d01 * d20) / den
    return np.clip(np.column_stack([1 - v - w, v, w]), 0.0, 1.0)


def vertex_normals(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Angle-weighted vertex normals (the pseudo-normal that signs distances correctly at corners)."""
    vn = np.zeros_like(verts)
    fn = np.cross(verts[faces[:, 1]] - verts[faces[:, 0]], verts[faces[:, 2]] - verts[faces[:, 0]])
    fn /= np.maximum(np.linalg.norm(fn, axis=1), 1e-30)[:, None]
    for k in range(3):
        e1 = verts[faces[:, (k + 1) % 3]] - verts[faces[:, k]]
        e2 = verts[faces[:, (k + 2) % 3]] - verts[faces[:, k]]
        cos = (e1 * e2).sum(1) / np.maximum(np.linalg.norm(e1, axis=1) * np.linalg.norm(e2, axis=1), 1e-30)
        np.add.at(vn, faces[:, k], fn * np.arccos(np.clip(cos, -1, 1))[:, None])
    return vn / np.maximum(np.linalg.norm(vn, axis=1), 1e-30)[:, None]


def penetration(points: np.ndarray, body_verts: np.ndarray, body_faces: np.ndarray) -> dict[str, float]:
    """{inside_fraction, max_depth}: the share of points inside the body mesh and the deepest one."""
    d = signed_distance(points, body_verts, body_faces)
    inside = d < 0
    return {"inside_fraction": float(inside.mean()) if len(d) else 0.0,
            "max_depth": float(-d[inside].min()) if inside.any() else 0.0}


BODY_REACH = 3.0  # cm: body points farther than this from the garment are not under it (a face, a hand)


def body_through(body_points: np.ndarray, garment_verts: np.ndarray, garment_faces: np.ndarray,
                 reach: float = BODY_REACH, body_normals: np.ndarray | None = None) -> dict[str, float]:
    """{through_fraction, max_through, covered}: body points that stick out through the garment.

    ``inside_fraction`` looks at garment vertices only; a convex body part (a bust apex) can poke
    out between them, through a triangle. Here every body point within ``reach`` of the garment whose
    nearest garment point lies on the garment (inside a face or on an edge two faces share, not past
    an open edge: a neck above a collar, a hand below a cuff are not covered) counts as covered; with
    ``body_normals``, only where the garment faces the same way as the body there (not a sleeve's
    inner side seen from the torso under the arm). It is through when it lies on the outer side of
    the garment (signed by the garment's outward normal). max_through: how far the deepest one sticks
    out (input units)."""
    body_points = np.atleast_2d(np.asarray(body_points, float))
    d, covered, _ = _under_garment(body_points, garment_verts, garment_faces, reach, body_normals)
    through = covered & (d > 0)
    n = int(covered.sum())
    return {"through_fraction": float(through.sum() / n) if n else 0.0,
            "max_through": float(d[through].max()) if through.any() else 0.0, "covered": n}


def _under_garment(points: np.ndarray, gv: np.ndarray, gf: np.ndarray, reach: float,
                   normals: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(signed distance to the garment (N,), covered (N,), nearest garment face (N,)) of body points,
    as body_through defines covered; points beyond ``reach`` get inf, not covered."""
    gv, gf = np.asarray(gv, float), np.asarray(gf, np.int64)
    d, covered = np.full(len(points), np.inf), np.zeros(len(points), bool)
    face = np.full(len(points), -1, np.int64)
    if not len(points) or not len(gf):
        return d, covered, face
    near = np.isfinite(cKDTree(gv).query(points, distance_upper_bound=reach + _longest_edge(gv, gf))[0])
    if not near.any():
        return d, covered, face
    dn, q, n, fn = _nearest(points[near], gv, gf)
    ok = (np.abs(dn) <= reach) & ~_on_open_edge(q, gv, gf)
    if normals is not None:
        bn = np.asarray(normals, float)[near]
        ok &= (bn * n).sum(axis=1) > 0
        # outside its nearest layer but under another one straight out from it (where a sleeve and
        # the bodice meet under the arm): under the garment, not through it
        out = np.nonzero(ok & (dn > 0))[0]
        hidden = _hits_ahead(points[near][out], bn[out], gv, gf, reach)
        dn[out[hidden]] = -reach
        # outside the garment with no garment behind it (back along its own normal): beside a hem,
        # not under the cloth. A foot's instep before a trouser hem that kicks forward lay nearest a
        # hem triangle's inside (2 mm off the hem), counted through by 2.4 cm, and the body clearing
        # threw that triangle's corners 25.8 mm out (pants M drape)
        out = out[~hidden]
        ok[out[~_hits_ahead(points[near][out], -bn[out], gv, gf, reach)]] = False
    d[near], covered[near], face[near] = dn, ok, fn
    return d, covered, face


def _hits_ahead(points: np.ndarray, dirs: np.ndarray, verts: np.ndarray, faces: np.ndarray,
                length: float) -> np.ndarray:
    """Whether the segment from each point ``length`` along its direction passes through a triangle."""
    hit = np.zeros(len(points), bool)
    if not len(points):
        return hit
    hit[segment_hits(points + 1e-3 * dirs, points + length * dirs, verts, faces, length / 2)[0]] = True
    return hit


# the most a vertex is moved out in all (cm): a bust apex under a stretched front takes ~1 cm; toes
# under a hem folded over them were never cleared by pushing the hem along its normals, and 12 rounds
# threw it 8 cm forward into a flap (overalls M drape)
MAX_CLEAR = 1.5


def clear_body(verts: np.ndarray, faces: np.ndarray, body_points: np.ndarray, body_normals: np.ndarray,
               gap: float, rounds: int = 12, reach: float = BODY_REACH) -> np.ndarray:
    """Garment vertices moved out (along their normals) until no covered body point (body_through)
    lies less than ``gap`` / 2 under the garment: neither under the simulated mesh nor under the surface
    renders show (smoothed_surface, which on a convex part lies inside the mesh). Each round pushes
    the corners of the (source) triangle over each such point out by its shortfall; the smoothed
    surface follows its corners only in part, so it takes a few rounds. No vertex moves more than
    MAX_CLEAR in all: what that does not clear is left."""
    v = np.array(verts, float)
    moved = np.zeros(len(v))
    faces = np.asarray(faces, np.int64)
    pts, nrm = np.asarray(body_points, float), np.asarray(body_normals, float)
    out = vertex_normals(v, faces)
    for _ in range(rounds):
        push = np.zeros(len(v))
        smooth_v, smooth_f = smoothed_surface(v, faces)
        for sv, sf, src in ((v, faces, np.arange(len(faces))), (smooth_v, smooth_f, source_faces(len(faces)))):
            d, covered, face = _under_garment(pts, sv, sf, reach, nrm)
            need = covered & (d > -gap / 2)  # pushed to a full gap: a few rounds, not an endless approach
            np.maximum.at(push, faces[src[face[need]]].ravel(), np.repeat(d[need] + gap, 3))
        push = np.minimum(push, MAX_CLEAR - moved)
        if not (push > 0).any():
            break
        keep = np.isfinite(cKDTree(v[push > 0]).query(pts, distance_upper_bound=2 * reach)[0])
        pts, nrm = pts[keep], nrm[keep]  # later rounds only look where this one pushed
        v += push[:, None] * out
        moved += push
    return v


def _longest_edge(verts: np.ndarray, faces: np.ndarray) -> float:
    tri = verts[faces]
    return float(np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=-1).max())


FOLD_DOT = -0.5  # an edge whose two triangles' normals meet at a dot below this is a fold (turned > 120 degrees)


def _on_open_edge(q: np.ndarray, verts: np.ndarray, faces: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """Whether each surface point q lies on a boundary edge (an edge of one triangle) of the mesh, or
    on a fold (an edge whose two triangles turn back on each other: the top of a collar turned down
    over its stand, which is the garment's edge there as a hem is; a chin above it is not under the
    garment: counted covered, the body clearing lifted a button-down's collar corners 3 cm out, XL)."""
    uniq, corner_edge = face_edges(faces)
    inv = corner_edge.T.ravel()  # each face corner's edge, faces' 0-1 edges first, as owner below
    cnt = np.bincount(inv, minlength=len(uniq))
    fn = np.cross(verts[faces[:, 1]] - verts[faces[:, 0]], verts[faces[:, 2]] - verts[faces[:, 0]])
    fn /= np.maximum(np.linalg.norm(fn, axis=1), 1e-30)[:, None]
    owner = np.tile(np.arange(len(faces)), 3)
    order = np.argsort(inv, kind="stable")
    two = cnt[inv[order]] == 2  # the two faces of each shared edge, side by side
    first, second = order[two][0::2], order[two][1::2]
    folded = np.zeros(len(uniq), bool)
    folded[inv[first]] = (fn[owner[first]] * fn[owner[second]]).sum(axis=1) < FOLD_DOT
    open_e = uniq[(cnt == 1) | folded]
    if not len(open_e):
        return np.zeros(len(q), bool)
    a, b = verts[open_e[:, 0]], verts[open_e[:, 1]]
    _, near = cKDTree((a + b) / 2).query(q, k=min(8, len(open_e)))  # the segments near each point
    near = near.reshape(len(q), -1)
    pa, ab = a[near], (b - a)[near]
    t = np.clip(((q[:, None] - pa) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-30), 0, 1)
    gap = np.linalg.norm(pa + ab * t[..., None] - q[:, None], axis=-1).min(axis=1)
    return gap <= tol * max(1.0, float(np.abs(verts).max()))


def self_crossings(verts: np.ndarray, faces: np.ndarray) -> int:
    """How many mesh edges pass through a triangle of the same mesh that they share no vertex with:
    0 for a garment whose layers (overlapping fronts, pockets, folds) never pass through each other."""
    edges, _ = crossing_edges(verts, faces)
    return int(len(np.unique(edges, axis=0)))


def crossing_edges(verts: np.ndarray, faces: np.ndarray,
                   moved: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """((K, 2) vertex pairs of the edges that pass through a triangle of the same mesh sharing no
    vertex with them, (K,) index of that triangle): where a garment crosses itself.
    moved: (bool per vertex) only the pairs whose edge or triangle has a moved vertex, the others'
    crossings being known (a smoothing that moved a few vertices: _unfold)."""
    verts, faces = np.asarray(verts, float), np.asarray(faces, np.int64)
    e = unique_edges(faces)
    if not len(e) or not len(faces):
        return np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    tri = verts[faces]
    centre = tri.mean(axis=1)
    radius = np.linalg.norm(tri - centre[:, None], axis=-1).max(axis=1)  # each triangle's reach
    mid = verts[e].mean(axis=1)
    half = np.linalg.norm(verts[e[:, 0]] - verts[e[:, 1]], axis=1) / 2
    if moved is None:
        ei, fi = _near_pairs(mid, half, centre, radius, np.arange(len(e)), np.arange(len(faces)))
    else:
        # moved edges against every triangle, the others against the moved triangles
        me, mf = moved[e].any(axis=1), moved[faces].any(axis=1)
        pairs = (_near_pairs(mid, half, centre, radius, np.nonzero(me)[0], np.arange(len(faces))),
                 _near_pairs(mid, half, centre, radius, np.nonzero(~me)[0], np.nonzero(mf)[0]))
        ei, fi = (np.concatenate(a) for a in zip(*pairs, strict=True))
    shares = (faces[fi] == e[ei, 0:1]).any(1) | (faces[fi] == e[ei, 1:2]).any(1)
    ei, fi = ei[~shares], fi[~shares]
    hit = _segment_hits_triangle(verts[e[ei, 0]], verts[e[ei, 1]], tri[fi])
    return e[ei[hit]], fi[hit]


def _near_pairs(mid, half, centre, radius, es: np.ndarray, fs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(edge, triangle) index pairs among edges ``es`` and triangles ``fs`` that may cross: an edge
    that passes through a triangle has its midpoint within its own half length plus that
    triangle's reach of the triangle's centre."""
    if not len(es) or not len(fs):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # as index arrays, not lists per edge (2-4x faster: the wrap checks its armholes with it)
    pairs = cKDTree(mid[es]).sparse_distance_matrix(
        cKDTree(centre[fs]), float(radius[fs].max() + half[es].max()) + 1e-9, output_type="ndarray")
    # the pairs the largest two let through and these do not (2/3 of them round a jacket's
    # armholes) cannot cross
    ei, fi = es[pairs["i"]], fs[pairs["j"]]
    close = pairs["v"] <= radius[fi] + half[ei] + 1e-9
    return ei[close], fi[close]


def _segment_hits_triangle(p0, p1, tri) -> np.ndarray:
    """Row-wise: whether segment p0-p1 passes through triangle tri (3 points)."""
    return np.isfinite(segment_fraction(p0, p1, tri))


def boundary_loops(faces: np.ndarray) -> list[np.ndarray]:
    """Vertex indices of each closed boundary loop (edges used by one triangle), in order."""
    faces = np.asarray(faces, np.int64)
    key = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    uniq, cnt = np.unique(key, axis=0, return_counts=True)
    adj: dict[int, list[int]] = {}
    for a, b in uniq[cnt == 1].tolist():
        adj.setdefault(a, []).append(b)
        adj.setdefault(b, []).append(a)
    loops, seen = [], set()
    for start in adj:
        if start in seen:
            continue
        loop, prev, v = [], -1, start
        while v not in seen:
            seen.add(v)
            loop.append(v)
            step = [w for w in adj[v] if w != prev and w not in seen] or [w for w in adj[v] if w != prev]
            prev, v = v, step[0]
        if len(loop) >= 3:
            loops.append(np.asarray(loop))
    return loops


def _hem_xy(verts: np.ndarray, faces: np.ndarray, up: int) -> np.ndarray | None:
    """The lowest opening's points seen from above (the ``up`` axis dropped), in order; None: none."""
    verts = np.asarray(verts, float)
    loops = boundary_loops(faces)
    if not loops:
        return None
    hem = min(loops, key=lambda lp: float(verts[lp, up].mean()))
    return np.delete(verts[hem], up, axis=1)


def hem_gathering(verts: np.ndarray, faces: np.ndarray, up: int = 2) -> float:
    """The lowest opening's horizontal length over its convex hull's perimeter: 1.0 for a hem hanging
    as a smooth convex ring, more the more it folds (a flared skirt that gathers: >= 1.15)."""
    xy = _hem_xy(verts, faces, up)
    if xy is None:
        return 1.0
    length = float(np.linalg.norm(xy - np.roll(xy, -1, axis=0), axis=1).sum())
    try:
        hull = ConvexHull(xy).area  # a 2-D hull's "area" is its perimeter
    except Exception:  # noqa: BLE001 - a degenerate (collinear) loop has no hull
        return 1.0
    return length / max(hull, 1e-12)


# the least a hem's folds (its length past its hull's, a share of that) that hem_flute_share shares out:
# under it the two lengths differ by the hull's own sampling (a shirt's plain hem, 1.00 x hull: -83.6)
FLUTE_MIN_EXCESS = 0.03


def hem_flute_share(verts: np.ndarray, faces: np.ndarray, up: int = 2, across: int = 0) -> float:
    """The share of the lowest opening's length past its convex hull's (its folds, hem_gathering) in
    its front and back quarters: within 45 degrees of the axis square to ``across`` (the body's width)
    and ``up``, round the hull's centroid, each stretch of hem and hull counted where its midpoint
    lies. About 0.5 for flutes spread evenly round the body, near 0 for a cone that folds only at the
    sides (a skirt flared at its side seams alone); nan for a hem that folds too little (FLUTE_MIN_EXCESS)."""
    xy = _hem_xy(verts, faces, up)
    if xy is None:
        return float("nan")
    try:
        hull = xy[ConvexHull(xy).vertices]
    except Exception:  # noqa: BLE001 - a degenerate (collinear) loop has no hull, as hem_gathering
        return float("nan")
    ring = np.vstack([hull, hull[:1]])
    step = np.linalg.norm(np.diff(ring, axis=0), axis=1)
    # the hull's sides cut into ~0.5 cm, so each quarter counts its own share of a long side
    dense = np.vstack([np.linspace(ring[i], ring[i + 1], int(step[i] / 0.5) + 1, endpoint=False)
                       for i in range(len(hull))])
    x, y = hull.T
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    centre = np.array([((x + np.roll(x, -1)) * cross).sum(), ((y + np.roll(y, -1)) * cross).sum()]) / (3 * cross.sum())
    a = 0 if across == 0 or (across == 1 and up == 0) else 1  # the across axis among the two left

    def front_back(pts: np.ndarray) -> tuple[float, float]:
        nxt = np.roll(pts, -1, axis=0)
        seg = np.linalg.norm(nxt - pts, axis=1)
        mid = 0.5 * (pts + nxt) - centre
        fb = np.abs(mid[:, 1 - a]) >= np.abs(mid[:, a])
        return float(seg[fb].sum()), float(seg.sum())

    (hem_fb, hem_all), (hull_fb, hull_all) = front_back(xy), front_back(dense)
    excess = hem_all - hull_all
    return (hem_fb - hull_fb) / excess if excess > FLUTE_MIN_EXCESS * hull_all else float("nan")


CLEAVAGE_SIDE = 2.0  # cm: the apex-side points are the most forward ones at least this far either side of x = 0
CLEAVAGE_CF_X = 0.05  # cm off x = 0, so the ray up the centre front misses a seam lying along it


def cleavage_depth(verts: np.ndarray, faces: np.ndarray, z: float, back: bool = False) -> float:
    """How far (cm; + behind) a top's centre front (x = 0, the front toward -y, z up) lies behind the
    straight line between its most forward points either side at height ``z`` (the bust line: the
    cloth over each apex). Woven cloth bridges from apex to apex (the wrap: 0.1 cm); cloth sucked into
    the cleavage between the breasts lies behind the line, cupping each breast; a centre front
    standing proud of it is negative. nan where nothing of the garment is cut there on both sides.
    ``back``: the same of the centre back (+ in front of the line between its most backward points)."""
    verts = np.asarray(verts, float) * ((1.0, -1.0, 1.0) if back else 1.0)  # mirrored: the back in front
    e = unique_edges(faces)
    a, b = verts[e[:, 0]], verts[e[:, 1]]
    cut = (a[:, 2] < z) != (b[:, 2] < z)
    t = ((z - a[cut, 2]) / (b[cut, 2] - a[cut, 2]))[:, None]
    p = (a[cut] + t * (b[cut] - a[cut]))[:, :2]
    if len(p) < 3:
        return float("nan")
    mid = 0.5 * (p[:, 1].min() + p[:, 1].max())
    front = p[p[:, 1] < mid]
    left, right = front[front[:, 0] < -CLEAVAGE_SIDE], front[front[:, 0] > CLEAVAGE_SIDE]
    if not len(left) or not len(right):
        return float("nan")
    lo, hi = left[np.argmin(left[:, 1])], right[np.argmin(right[:, 1])]
    y0 = float(p[:, 1].min()) - 1.0
    start, end = np.array([[CLEAVAGE_CF_X, y0, z]]), np.array([[CLEAVAGE_CF_X, mid, z]])
    hit = segment_hits(start, end, verts, np.asarray(faces), (mid - y0) / 2)[2]
    if not len(hit):
        return float("nan")
    line = lo[1] + (hi[1] - lo[1]) * (CLEAVAGE_CF_X - lo[0]) / (hi[0] - lo[0])
    return float(y0 + hit.min() * (mid - y0) - line)


SEAT_GROOVE_FROM = 3.0  # cm over the crotch: below it the back seam turns in between the legs
SEAT_GROOVE_STEP = 1.0  # cm between the heights measured


def seat_groove(verts: np.ndarray, faces: np.ndarray, crotch: float, hip: float, waist: float) -> float:
    """How deep (cm) the centre back sinks in front of the line between the cloth over the buttocks
    (cleavage_depth of the back), the most at any height from SEAT_GROOVE_FROM over the ``crotch`` to
    half way from the ``hip`` to the ``waist``: trousers' back crotch seam, a skirt's centre back,
    pulled into the cleft between the buttocks instead of spanning it. nan where nothing is cut there."""
    zs = np.arange(crotch + SEAT_GROOVE_FROM, 0.5 * (hip + waist), SEAT_GROOVE_STEP)
    depth = np.array([cleavage_depth(verts, faces, float(z), back=True) for z in zs])
    return float(np.nanmax(depth)) if np.isfinite(depth).any() else float("nan")


def surface_noise(verts: np.ndarray, faces: np.ndarray) -> float:
    """Mean bumpiness at the mesh's own scale (its units): per vertex off the outline (and its first
    row), how far the umbrella (neighbours' mean minus the vertex) differs from its neighbours'
    umbrellas, along the normal. A fold's curvature, alike over neighbours, cancels out; a dimple one
    or two edges across does not (wrap.smooth_noise; a drape's mottled shading in renders)."""
    verts, faces = np.asarray(verts, float), np.asarray(faces, np.int64)
    edges, ids = face_edges(faces)
    uses = np.bincount(ids.ravel(), minlength=len(edges))
    n = len(verts)
    count = np.bincount(edges.ravel(), minlength=n)
    deg = np.maximum(count, 1)[:, None]

    def umbrella(x):
        return neighbour_sum(edges, x) / deg

    lap = umbrella(verts) - verts
    second = np.abs(((umbrella(lap) - lap) * vertex_normals(verts, faces)).sum(1))
    rim = np.zeros(n, bool)
    rim[edges[uses != 2].ravel()] = True
    rim |= umbrella(rim[:, None].astype(float))[:, 0] > 0
    keep = ~rim & (count > 0)
    return float(second[keep].mean()) if keep.any() else 0.0


def edge_jag(points: np.ndarray, closed: bool = False) -> float:
    """How jagged a run of points along a cloth edge is (its units): per point, its second difference
    less the mean of its neighbours' (a curve's own bend, alike over neighbours, cancels; a zigzag one
    step long does not), the median length, over 4 (a zigzag +-a off a line reads a). nan under 5
    points."""
    p = np.asarray(points, float)
    if len(p) < 5:
        return float("nan")
    if closed:
        p = np.concatenate([p[-3:], p, p[:3]])
    sec = p[1:-1] - 0.5 * (p[:-2] + p[2:])
    jag = np.linalg.norm(sec[1:-1] - 0.5 * (sec[:-2] + sec[2:]), axis=1)
    return 0.25 * float(np.median(jag[2:-2] if closed else jag))


JAG_MIN_LOOP = 8  # boundary loops shorter than this (a buttonhole-sized opening) are not measured


def outline_jag(verts: np.ndarray, faces: np.ndarray) -> float:
    """edge_jag of the garment's most jagged boundary loop (hems, openings): a loose edge buckled at
    the mesh scale reads as a ragged line in renders (a hood's face edge). 0 where none is measured."""
    loops = [lp for lp in boundary_loops(faces) if len(lp) >= JAG_MIN_LOOP]
    return max((edge_jag(np.asarray(verts, float)[lp], closed=True) for lp in loops), default=0.0)


def read_obj(path) -> tuple[np.ndarray, np.ndarray]:
    """(verts, triangles) of a Wavefront OBJ as written by Blender (polygons fanned into triangles)."""
    verts, faces = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("v "):
                verts.append([float(x) for x in line.split()[1:4]])
            elif line.startswith("f "):
                idx = [int(tok.split("/")[0]) - 1 for tok in line.split()[1:]]
                faces.extend([idx[0], idx[i], idx[i + 1]] for i in range(1, len(idx) - 1))
    return np.asarray(verts, float).reshape(-1, 3), np.asarray(faces, np.int64).reshape(-1, 3)


def drape_quality(garment_verts, garment_faces, body_verts, body_faces, up: int = 2) -> dict[str, float]:
    """Everything above for one garment on one body (same units and axes): garment vertices in the
    body and body points out through the garment (body_through), self-crossings, hem gathering and
    where its folds are (hem_flute_share)."""
    pen = penetration(garment_verts, body_verts, body_faces)
    bn = vertex_normals(np.asarray(body_verts, float), np.asarray(body_faces, np.int64))
    out = body_through(body_verts, garment_verts, garment_faces, body_normals=bn)
    shown = body_through(body_verts, *smoothed_surface(garment_verts, garment_faces), body_normals=bn)
    return {"inside_fraction": pen["inside_fraction"], "max_depth": pen["max_depth"],
            "body_through_fraction": out["through_fraction"], "body_through_max": out["max_through"],
            "render_body_through_fraction": shown["through_fraction"],
            "render_body_through_max": shown["max_through"],
            "self_crossings": self_crossings(garment_verts, garment_faces),
            "hem_gathering": hem_gathering(garment_verts, garment_faces, up),
            "hem_flute_share": hem_flute_share(garment_verts, garment_faces, up),
            "surface_noise": surface_noise(garment_verts, garment_faces),
            "outline_jag": outline_jag(garment_verts, garment_faces)}
