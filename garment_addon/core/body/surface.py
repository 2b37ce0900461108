"""Inside test and push-out against a closed triangle mesh (the shown mannequin), pure numpy + scipy.

Signed distance is taken to the nearest vertex along that vertex's normal: exact on flat patches,
within a fraction of the edge length (~1 cm on the body) elsewhere; a k-d tree keeps a query of
10k garment points at a few milliseconds.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


def row_norms(v: np.ndarray) -> np.ndarray:
    """The lengths of the vectors along the last axis (of 2 or 3), as np.linalg.norm(v, axis=-1) to
    the bit but 5-7x faster (numpy's reduction over a short last axis is slow; the relax and the
    push-out run it on every vertex and edge each step)."""
    return np.sqrt(sum(v[..., k] * v[..., k] for k in range(v.shape[-1])))


def vertex_normals(verts: np.ndarray, tris: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals (outward for a counter-clockwise, outward-wound mesh)."""
    fn = np.cross(verts[tris[:, 1]] - verts[tris[:, 0]], verts[tris[:, 2]] - verts[tris[:, 0]])
    n = np.zeros_like(verts)
    for k in range(3):
        np.add.at(n, tris[:, k], fn)
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


class MeshSurface:
    def __init__(self, verts: np.ndarray, tris: np.ndarray):
        self.verts = np.asarray(verts, float)
        self.tris = np.asarray(tris, np.int64)
        self.normals = vertex_normals(self.verts, self.tris)
        self.tree = cKDTree(self.verts)
        self._last = None  # (points, their two nearest vertices, the third nearest's distance) last searched

    def nearest(self, p: np.ndarray) -> np.ndarray:
        """Each point's nearest vertex, as ``self.tree.query(p)[1]``. Called again for as many points
        (the relax's push-outs), a point takes the nearer of the last search's two nearest without a
        search while that one is nearer than the other and than the last search's third nearest
        less how far the point has moved since: no other vertex can have come nearer. Kept by the
        nearest alone, against the second, the GarmentCode dress's wrap searched again 46000 times
        (the points between two vertices near enough equally far from both), 20000 so: the search
        is most of the cost."""
        last = self._last
        if last is not None and len(last[0]) == len(p):
            p0, c0, c1, d3 = last
            a, b = row_norms(p - self.verts[c0]), row_norms(p - self.verts[c1])
            first = a <= b
            i0 = np.where(first, c0, c1)
            keep = (np.where(first, a, b) < d3 - row_norms(p - p0) - 1e-9) & (np.abs(a - b) > 1e-9)
            p0, c0, c1, d3 = p0.copy(), c0.copy(), c1.copy(), d3.copy()
        else:
            keep = np.zeros(len(p), bool)
            p0, d3 = np.empty((len(p), 3)), np.empty(len(p))
            i0, c0, c1 = (np.empty(len(p), np.intp) for _ in range(3))
        look = np.nonzero(~keep)[0]
        if len(look):
            d, j = self.tree.query(p[look], k=3)
            first = j[:, 0].copy()
            tie = d[:, 0] == d[:, 1]  # equally near: whichever the plain search picks (never kept)
            if tie.any():
                first[tie] = self.tree.query(p[look[tie]])[1]
            p0[look], i0[look], c0[look], c1[look], d3[look] = p[look], first, j[:, 0], j[:, 1], d[:, 2]
        self._last = p0, c0, c1, d3
        return i0

    def signed_distance(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(distance outside the surface, negative inside; nearest vertex index) per point (N, 3)."""
        _, i = self.tree.query(p)
        return np.einsum("ij,ij->i", p - self.verts[i], self.normals[i]), i

    def inside(self, p: np.ndarray, margin: float = 0.0) -> np.ndarray:
        """Bool per point: inside the surface grown by ``margin`` cm (negative: shrunk)."""
        d, _ = self.signed_distance(np.atleast_2d(np.asarray(p, float)))
        return d < margin

    def push_out(self, p: np.ndarray, margin: float = 0.5, iterations: int = 2) -> np.ndarray:
        """Move points closer than ``margin`` (or inside) out along the nearest vertex normal."""
        p = np.array(p, float)
        for _ in range(iterations):
            d, i = self.signed_distance(p)
            m = d < margin
            if not m.any():
                break
            p[m] += self.normals[i[m]] * (margin - d[m])[:, None]
        return p


class HullStack:
    """The torso as a stack of convex sections (a tape measure's outline at each height): cloth
    pushed out of it bridges the hollows between the breasts and at the small of the back instead
    of being pulled into them. Points whose nearest skin vertex is on an arm or a leg are left to
    the mesh test."""

    def __init__(self, zs: np.ndarray, hulls: list[np.ndarray], surface: MeshSurface, torso_vertex: np.ndarray):
        self.zs = np.asarray(zs, float)
        # each CCW section's corners and its edges' outward normals (zero-length edges left out)
        self.corners, self.normals = [], []
        for h in hulls:
            h = np.asarray(h, float)
            edge = np.roll(h, -1, axis=0) - h
            normal = np.stack([edge[:, 1], -edge[:, 0]], axis=-1)
            length = np.linalg.norm(normal, axis=-1, keepdims=True)
            real = length[:, 0] > 1e-9
            self.corners.append(h[real])
            self.normals.append(normal[real] / length[real])
        # as (sections, most edges, 2) arrays, each section's list filled up with its first edge
        # again: a repeat never wins the argmax over the first, so every point is measured against
        # its two sections at once, as it would be against their own edges alone
        most = max(len(c) for c in self.corners)
        self._corners, self._normals = (
            np.stack([np.concatenate([a, np.repeat(a[:1], most - len(a), axis=0)]) for a in arrays])
            for arrays in (self.corners, self.normals))
        self.surface = surface
        self.torso_vertex = torso_vertex
        self._clear = None  # (points, their section below, the lesser distance to it and the next) last measured

    def signed_distance(self, p: np.ndarray, nearest: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(distance outside the section, its nearest edge's outward normal (n, 2), the indices of
        the points it applies to) for the points whose nearest skin vertex (``nearest``) is on the
        torso and that lie within the stack's heights."""
        use = np.nonzero((p[:, 2] >= self.zs[0]) & (p[:, 2] <= self.zs[-1]) & self.torso_vertex[nearest])[0]
        d, nrm, _, _ = self._measure(p[use])
        return d, nrm, use

    def within(self, p: np.ndarray, nearest: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """signed_distance's (distance, normal, indices) for only the points that may be closer than
        ``margin``. Called again for as many points (the relax's push-outs), a point whose last
        measured distance to both its sections, less how far it has moved across since, still
        clears ``margin`` is not measured again: a section's distance changes by at most the
        distance moved (the GarmentCode dress's wrap: 0.27 of its 0.56 s measured these sections)."""
        torso = (p[:, 2] >= self.zs[0]) & (p[:, 2] <= self.zs[-1]) & self.torso_vertex[nearest]
        lo_now = np.clip(np.searchsorted(self.zs, p[:, 2]), 1, len(self.zs) - 1) - 1
        last = self._clear
        if last is not None and len(last[0]) == len(p):
            p0, lo0, clear0 = (a.copy() for a in last)
            moved = row_norms(p[:, :2] - p0[:, :2])
            torso &= (lo_now != lo0) | (clear0 - moved <= margin)
        else:
            # zeros, not np.empty: the points never measured keep these, and the next call's distance
            # moved over them read uninitialised memory (an overflow warning in a drape's start)
            p0, lo0, clear0 = np.zeros((len(p), 3)), np.full(len(p), -1), np.full(len(p), -np.inf)
        use = np.nonzero(torso)[0]
        d, nrm, lo, clear = self._measure(p[use])
        p0[use], lo0[use], clear0[use] = p[use], lo, clear
        self._clear = p0, lo0, clear0
        near = d < margin
        return d[near], nrm[near], use[near]

    def _measure(self, q: np.ndarray) -> tuple[np.ndarray, ...]:
        """(distance, normal, section below, the lesser of the distances to it and the one above)
        of points within the stack's heights."""
        # between the two sections around each point, weighted by height: a point pushed onto one
        # section alone would leave the cloth in steps a section apart
        hi = np.clip(np.searchsorted(self.zs, q[:, 2]), 1, len(self.zs) - 1)
        lo = hi - 1
        t = np.clip((q[:, 2] - self.zs[lo]) / (self.zs[hi] - self.zs[lo]), 0.0, 1.0)
        d0, n0, d1, n1 = self._distances(q, lo)
        nrm = (1 - t)[:, None] * n0 + t[:, None] * n1
        nrm /= np.maximum(row_norms(nrm), 1e-9)[:, None]
        return (1 - t) * d0 + t * d1, nrm, lo, np.minimum(d0, d1)

    def _distances(self, q: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, ...]:
        """(distance outside section lo, its nearest edge's normal, the same for section lo + 1)
        per point, against the sections' padded edges gathered per point, MEASURE_BLOCK points at a
        time (grouped by section and measured a group at a time, the loop over the groups took 3-4x
        as long: the push-out measures some 600 points a call, spread over 30 sections; in one
        block, 6000 points took 2.5x as long as grouped, their (points, edges) arrays past the cache)."""
        d0, d1 = np.empty(len(q)), np.empty(len(q))
        n0, n1 = np.empty((len(q), 2)), np.empty((len(q), 2))
        for start in range(0, len(q), MEASURE_BLOCK):
            block = slice(start, start + MEASURE_BLOCK)
            qx, qy = q[block, 0, None], q[block, 1, None]
            rows = np.arange(len(qx))
            for sec, dist, nrm in ((lo[block], d0, n0), (lo[block] + 1, d1, n1)):
                c, n = self._corners[sec], self._normals[sec]
                d = (qx - c[:, :, 0]) * n[:, :, 0] + (qy - c[:, :, 1]) * n[:, :, 1]
                j = d.argmax(axis=1)
                dist[block], nrm[block] = d[rows, j], n[rows, j]
        return d0, n0, d1, n1


MEASURE_BLOCK = 1024  # points a HullStack measures at once
# BodySurface.bridged_bust's region, cm from the bust line: female M's cleavage is 0.9 cm deep 4-6 cm
# under it, 0.2 8-10 cm over it; above that lie the hollows under the collarbones (0.8). Filled down
# to 8 cm under it, the points in the folds under a full breast (female L-XXL, 2-6 cm under the bust
# line) moved out in front of the breast's underside and folded the collider's faces over (14-16):
# shirt XL / XXL drapes ran to the frame cap, 2 / 61 self-crossings, the XL's front hem 3.2 cm up. With
# BUST_FILL_CLEAR, down to the underbust (makehuman.UNDERBUST_BELOW_BUST, where a bra's band sits; full
# from 4 cm): filled to 3 cm (full from 1) the cloth bent back sharply into the cleavage just under the
# bust line, and the noise filter (wrap.smooth_noise) rounded that bend up across it (full busts'
# bust-line cleavage_depth shirt XL / XXL 0.39 / 0.38, dress XXL 0.41; 0.15 / 0.14 / 0.13 at 6 cm, 0
# crossings over the sweep's 46 tops). The skin keeps 8 of its faces folded over at XL and XXL (0 / 4
# at 3 cm), 2-5 cm under the bust line by the breasts' inner undersides; the drape did not mind
BUST_FILL_BELOW = 6.0
BUST_FILL_ABOVE = 10.0
BUST_FILL_EASE = 2.0
BUST_FILL_FACING = 0.5  # the section edge's outward normal at least this far forward (-y) ...
BUST_FILL_EASE_FACING = 0.25  # ... eased in over this much more
BUST_FILL_CLEAR = 0.3  # cm: a point's way out is looked along from this far on (not its own faces)
SEAT_FILL_EASE_BELOW = 3.0  # cm: BodySurface.bridged_seat eased in over this from the sections' lowest


class BodySurface:
    """The skin plus the torso's convex sections: inside either is inside; push-out clears both.
    One nearest-vertex query per pass serves both."""

    def __init__(self, skin: MeshSurface, torso: HullStack):
        self.skin, self.torso = skin, torso

    def bridged(self, p: np.ndarray, landmarks: dict) -> np.ndarray:
        """The skin (the drape's collider) as worn under clothes: the bust bridged (bridged_bust), then
        the seat (bridged_seat)."""
        p = self.bridged_bust(p, landmarks["bust"])
        return self.bridged_seat(p, landmarks["waist"])

    def bridged_bust(self, p: np.ndarray, bust_z: float) -> np.ndarray:
        """Points of the skin (the drape's collider) in the front of the chest moved out onto the
        torso's convex sections, as a bra holds the breasts: the hollow between them and the folds
        under them filled, so cloth spans apex to apex instead of sinking into the cleavage (female
        M: 3.5 cm deep at the bust line). Only from BUST_FILL_BELOW under the bust line to
        BUST_FILL_ABOVE over it and where the section's edge faces forward (not the small of the
        back, the sides under the arms, the hollows under the collarbones), eased in over
        BUST_FILL_EASE at each end so the collider has no step; the sections' own shape under the
        bust, not ``hanging``'s line to the waist: how cloth falls from the apex is the cloth's. A
        point with skin in front of it on the way out (in the fold under a full breast) stays: no
        cloth reaches it, and moved through the breast it folds the collider's faces over."""
        return self._filled(p, bust_z - BUST_FILL_BELOW, bust_z + BUST_FILL_ABOVE,
                            (BUST_FILL_EASE, BUST_FILL_EASE), -1.0)

    def bridged_seat(self, p: np.ndarray, waist_z: float) -> np.ndarray:
        """Points of the skin in the back of the seat moved out onto the torso's convex sections, as
        underwear holds the buttocks: the cleft between them filled (female M: 4.1 / 3.0 / 2.0 cm deep
        3 / 7 / 13 cm over the crotch), so what rests on the seat (a skirt's centre back, a jumpsuit's
        back seam) spans it instead of sinking in (skirt M's drape: 2.5 -> 1.75 cm, quality.seat_groove). From
        the sections' lowest (2 cm over the crotch), eased in over SEAT_FILL_EASE_BELOW, up to the
        waist, where the edge faces back; as bridged_bust, a point with skin behind it on the way out
        stays."""
        return self._filled(p, float(self.torso.zs[0]), waist_z, (SEAT_FILL_EASE_BELOW, BUST_FILL_EASE), 1.0)

    def _filled(self, p: np.ndarray, lo: float, hi: float, ease: tuple[float, float], toward: float) -> np.ndarray:
        """Points of the skin from height ``lo`` to ``hi`` (eased in over ``ease`` at each end) where the
        torso's section faces ``toward`` (-1: forward, -y; 1: back) moved out onto the section; one
        with skin on its way out stays."""
        from ..mesh.rays import segment_hits

        p = np.array(p, float)
        d, nrm, use = self.torso.signed_distance(p, self.skin.tree.query(p)[1])
        z = p[use, 2]
        w = (np.clip((z - lo) / ease[0], 0.0, 1.0) * np.clip((hi - z) / ease[1], 0.0, 1.0)
             * np.clip((toward * nrm[:, 1] - BUST_FILL_FACING) / BUST_FILL_EASE_FACING, 0.0, 1.0))
        move = np.column_stack([nrm * (np.maximum(-d, 0.0) * w)[:, None], np.zeros(len(use))])
        far = np.nonzero(row_norms(move) > BUST_FILL_CLEAR)[0]
        if len(far):
            start = p[use[far]] + move[far] * (BUST_FILL_CLEAR / row_norms(move[far]))[:, None]
            hit = segment_hits(start, p[use[far]] + move[far], self.skin.verts, self.skin.tris,
                               0.5 * float(row_norms(move[far]).max()))[0]
            move[far[np.unique(hit)]] = 0.0
        p[use] += move
        return p

    def inside(self, p: np.ndarray, margin: float = 0.0) -> np.ndarray:
        p = np.atleast_2d(np.asarray(p, float))
        d, i = self.skin.signed_distance(p)
        out = d < margin
        dt, _, use = self.torso.signed_distance(p, i)
        out[use] |= dt < margin
        return out

    def push_out(self, p: np.ndarray, margin: float = 0.5, iterations: int = 2) -> np.ndarray:
        p = np.array(p, float)
        for _ in range(iterations):
            i = self.skin.nearest(p)
            dt, nrm, use = self.torso.within(p, i, margin)
            p[use, :2] += nrm * (margin - dt)[:, None]
            d = np.einsum("ij,ij->i", p - self.skin.verts[i], self.skin.normals[i])
            m = d < margin
            if not m.any():
                break
            p[m] += self.skin.normals[i[m]] * (margin - d[m])[:, None]
        return p
