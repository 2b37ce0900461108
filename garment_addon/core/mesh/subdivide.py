"""One level of Catmull-Clark subdivision of a triangle mesh, as renders show the garment
(Blender's Subdivision Surface modifier at level 1: smooth boundaries, corners kept (a vertex of
one face only: a collar's point), vertices where the step puts them, not pushed on to the limit
surface). Pure numpy.

Renders smooth the cloth mesh this way; on a convex part (a bust) the smoothed surface lies inside
the simulated one, by more the coarser the mesh, so a body the simulated mesh clears can show
through the render. ``smoothed_surface`` gives that surface so it can be measured and cleared.
"""

from __future__ import annotations

import numpy as np


def _edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unique sorted edges (E, 2), edge index of each face corner's outgoing edge (F, 3), faces per edge)."""
    k = faces.shape[1]
    half = np.stack([faces, np.roll(faces, -1, axis=1)], axis=-1).reshape(-1, 2)
    uniq, inv, cnt = np.unique(np.sort(half, axis=1), axis=0, return_inverse=True, return_counts=True)
    return uniq, inv.reshape(-1, k), cnt


def _crease_rule(pts: np.ndarray, edges: np.ndarray, crease: np.ndarray, w_self: float, w_nb: float,
                 out: np.ndarray, corner: np.ndarray) -> np.ndarray:
    """Vertices on exactly two crease (open or non-manifold) edges: w_self * v + w_nb * (a + b);
    vertices on more (a corner where open edges meet a non-manifold one) and the ``corner`` ones (of
    one face only: the boundary turns there) stay where they are."""
    ce = edges[crease]
    count = np.bincount(ce.ravel(), minlength=len(pts))
    nb = np.zeros_like(pts)
    np.add.at(nb, ce[:, 0], pts[ce[:, 1]])
    np.add.at(nb, ce[:, 1], pts[ce[:, 0]])
    curve = count == 2
    out[curve] = w_self * pts[curve] + w_nb * nb[curve]
    out[count > 2] = pts[count > 2]
    out[corner] = pts[corner]
    return out


def catmull_clark(verts: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One Catmull-Clark step of a triangle (or quad) mesh: (vertices, quads). The first len(verts)
    output vertices are the input's, moved; then one per edge, then one per face."""
    verts, faces = np.asarray(verts, float), np.asarray(faces, np.int64)
    n, k = len(verts), faces.shape[1]
    edges, corner_edge, per_edge = _edges(faces)
    crease = per_edge != 2  # open (hem, cuff) or non-manifold edges: curves of their own
    fp = verts[faces].mean(axis=1)
    # edge points: the mean of both ends and both faces' points; a crease's midpoint
    fsum = np.zeros((len(edges), 3))
    np.add.at(fsum, corner_edge.ravel(), np.repeat(fp, k, axis=0))
    mid = verts[edges].mean(axis=1)
    ep = np.where(crease[:, None], mid, (verts[edges].sum(axis=1) + fsum) / 4)
    # vertex points: (F + 2R + (m - 3) v) / m over the m faces (= edges) round an inner vertex
    m = np.bincount(faces.ravel(), minlength=n).astype(float)
    favg = np.zeros((n, 3))
    np.add.at(favg, faces.ravel(), np.repeat(fp, k, axis=0))
    favg /= np.maximum(m, 1)[:, None]
    ravg = np.zeros((n, 3))
    np.add.at(ravg, edges.ravel(), np.repeat(mid, 2, axis=0))
    ravg /= np.maximum(np.bincount(edges.ravel(), minlength=n), 1)[:, None]
    vp = (favg + 2 * ravg + (m - 3)[:, None] * verts) / np.maximum(m, 1)[:, None]
    vp = _crease_rule(verts, edges, crease, 0.75, 0.125, vp, m == 1)
    pts = np.concatenate([vp, ep, fp])
    e_id, f_id = n + corner_edge, n + len(edges) + np.arange(len(faces))
    quads = np.stack([faces, e_id, np.repeat(f_id[:, None], k, axis=1), np.roll(e_id, 1, axis=1)], axis=-1)
    return pts, quads.reshape(-1, 4)


def smoothed_surface(verts: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(vertices, triangles) of the surface a level-1 Subdivision Surface modifier renders (limit
    surface off): one Catmull-Clark step, each quad split in two."""
    pts, quads = catmull_clark(verts, faces)
    return pts, np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])


def source_faces(n_faces: int, corners: int = 3) -> np.ndarray:
    """For each triangle smoothed_surface makes from a mesh of ``n_faces`` faces, the face it came from."""
    return np.tile(np.repeat(np.arange(n_faces), corners), 2)
