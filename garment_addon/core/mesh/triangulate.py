"""Pattern pieces -> triangle meshes (pure numpy + scipy + shapely).

Each piece is meshed with near-uniform triangles: its edges are resampled at the target length
(paired seam edges get the same number of segments so they can be sewn vertex to vertex), a
triangular lattice fills the inside, Delaunay connects them and a few Laplacian passes even
out the interior. UVs are the pattern coordinates as laid out on a sheet, normalised to [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.spatial import Delaunay
from shapely.geometry import Polygon

from ..errors import UserError

DEFAULT_EDGE = 1.5  # cm
FOLD_MARKINGS = ("roll_line",)  # lines a piece is folded along when worn: the mesh has vertices on them
INTERNAL_DART = -1  # GarmentMesh.seam_of of a pair sewn across a fish-eye dart (no pattern seam)


@dataclass
class PieceMesh:
    name: str
    verts: np.ndarray  # (N, 2) pattern coordinates (cm)
    faces: np.ndarray  # (F, 3) CCW in pattern coordinates (normal = garment outside)
    boundary: np.ndarray  # vertex indices around the outline, CCW, not closed
    edge_verts: dict[str, np.ndarray]  # edge name -> vertex indices from its start to its end
    uv: np.ndarray | None = None
    # (k, 2) vertex pairs sewn across the piece's internal (fish-eye) darts, cut as holes (_dart_holes)
    dart_pairs: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))


@dataclass
class GarmentMesh:
    """All pieces in one vertex array, with the seam pairs between them."""

    pieces: list[PieceMesh]
    offsets: list[int]
    verts2d: np.ndarray  # (N, 2) each vertex's pattern coordinate in its own piece
    faces: np.ndarray
    uv: np.ndarray
    piece_of: np.ndarray  # (N,) piece index per vertex
    seam_pairs: np.ndarray  # (S, 2) global vertex indices sewn together
    # (S,) seam index per pair (pattern.seams), INTERNAL_DART for a pair across a piece's fish-eye dart
    seam_of: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    _edges: np.ndarray | None = field(default=None, repr=False)
    # what the wrap derives from the fixed topology and reuses (seam groups, factorised systems)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def index(self, piece: str) -> int:
        return [p.name for p in self.pieces].index(piece)

    def __getstate__(self) -> dict:
        # pickled without the cache (its factorised systems do not pickle; they are made again)
        return {**self.__dict__, "cache": {}}

    def edges(self) -> np.ndarray:
        """Unique undirected triangle edges (E, 2), computed once."""
        if self._edges is None:
            self._edges = unique_edges(self.faces)
        return self._edges


def _edge_keys(faces: np.ndarray) -> tuple[np.ndarray, int]:
    """One integer per face-corner edge (rows 0-1, then 1-2, then 2-0 of every face; lower id first)
    and the base it was made with: np.unique on these, not on the pairs (axis=0), is 5x faster."""
    e = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1).astype(np.int64)
    n = int(e.max()) + 1 if len(e) else 1
    return e[:, 0] * n + e[:, 1], n


def unique_edges(faces: np.ndarray) -> np.ndarray:
    """The undirected edges (E, 2) of triangles ``faces``, each once (lower id first), sorted: as
    np.unique(axis=0) of the sorted pairs."""
    faces = np.asarray(faces)
    key, n = _edge_keys(faces)
    key = np.unique(key)
    return np.column_stack([key // n, key % n]).astype(faces.dtype)


def face_edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(unique_edges, each face's three edge ids (F, 3): its edges 0-1, 1-2 and 2-0)."""
    faces = np.asarray(faces)
    key, n = _edge_keys(faces)
    key, inv = np.unique(key, return_inverse=True)
    return np.column_stack([key // n, key % n]).astype(faces.dtype), inv.ravel().reshape(3, len(faces)).T


def neighbour_sum(edges: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per vertex, the sum of ``x`` (n, k) over its neighbours along the undirected ``edges`` (m, 2)."""
    n = len(x)
    return np.column_stack([np.bincount(edges[:, 0], x[edges[:, 1], k], n)
                            + np.bincount(edges[:, 1], x[edges[:, 0], k], n) for k in range(x.shape[1])])


def resample(poly: np.ndarray, n: int) -> np.ndarray:
    """n+1 points evenly spaced by arc length along a polyline (ends kept)."""
    seg = np.linalg.norm(np.diff(poly, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    if s[-1] <= 0:
        return np.repeat(poly[:1], n + 1, axis=0)
    t = np.linspace(0, s[-1], n + 1)
    return np.column_stack([np.interp(t, s, poly[:, 0]), np.interp(t, s, poly[:, 1])])


def segment_counts(pattern, target: float = DEFAULT_EDGE) -> dict[tuple[str, str], int]:
    """Segments per (piece, edge): round(length / target), equal on both sides of every seam."""
    counts: dict[tuple[str, str], int] = {}
    for p in pattern.pieces:
        for e in p.edges:
            counts[(p.name, e.name)] = max(1, round(p.edge_length(e) / target))
    for s in pattern.seams:
        ka, kb = (s.a.piece, s.a.edge), (s.b.piece, s.b.edge)
        if ka not in counts or kb not in counts:
            raise UserError(f"seams: {ka[0]}.{ka[1]} / {kb[0]}.{kb[1]} names a missing piece or edge")
        n = max(counts[ka], counts[kb])
        counts[ka] = counts[kb] = n
    return counts


def _lattice(poly: Polygon, h: float) -> np.ndarray:
    x0, y0, x1, y1 = poly.bounds
    dy = h * math.sqrt(3) / 2
    ys = np.arange(y0 + dy / 2, y1, dy)
    rows = []
    for i, y in enumerate(ys):
        xs = np.arange(x0 + (h / 2 if i % 2 else h / 4), x1, h)
        rows.append(np.column_stack([xs, np.full(len(xs), y)]))
    pts = np.concatenate(rows) if rows else np.zeros((0, 2))
    if not len(pts):
        return pts
    inside = shapely.contains_xy(poly, pts[:, 0], pts[:, 1])
    pts = pts[inside]
    far = shapely.distance(poly.boundary, shapely.points(pts)) > 0.55 * h  # the outline and any dart holes
    return pts[far]


FOLD_STEP = 0.9  # fold-line vertex spacing, in target edge lengths
FOLD_CLEARANCE = 0.6  # lattice points kept this far (in target edge lengths) from a fold line


def _fold_points(piece, poly: Polygon, h: float) -> np.ndarray:
    """Vertices along the piece's fold lines (a lapel's or collar's roll line), so the fold runs
    along triangle edges: a fold across triangles (lapel turned back over its roll line) crushed the
    ones it cut through the front under them (jacket drape: 14 self-crossings at the break point).
    Spaced FOLD_STEP * h with the lattice FOLD_CLEARANCE * h away, so consecutive points are
    Delaunay neighbours (nothing else inside the circle on them); none near the outline."""
    pts = []
    for m in piece.markings:
        if m.get("kind") not in FOLD_MARKINGS or len(m.get("points", ())) < 2:
            continue
        line = np.asarray(m["points"], float)
        length = float(np.linalg.norm(np.diff(line, axis=0), axis=1).sum())
        pts.append(resample(line, max(1, math.ceil(length / (FOLD_STEP * h)))))
    if not pts:
        return np.zeros((0, 2))
    pts = np.concatenate(pts)
    keep = shapely.contains_xy(poly, pts[:, 0], pts[:, 1])
    keep[keep] = shapely.distance(poly.exterior, shapely.points(pts[keep])) > 0.5 * h
    return pts[keep]


def fisheye_darts(piece) -> list[np.ndarray]:
    """Each internal (fish-eye) dart's diamond (foot, side, top, other side: a vertical axis, widest at
    the waist; pattern.drafting.bodice.fisheye_dart), which the mesh cuts out and sews (_dart_holes)
    and the wrap closes (assembly.wrap.close_darts)."""
    return [np.asarray(m["points"], float) for m in piece.markings
            if m.get("kind") == "dart" and len(m.get("points", ())) == 4]


def _dart_holes(piece, poly: Polygon, h: float) -> tuple[list[np.ndarray], np.ndarray]:
    """The piece's internal (fish-eye) darts as holes: (each dart's diamond resampled at ``h``, loop of
    points foot, side, top, other side; (k, 2) indices into their concatenation sewn leg to leg).
    Meshed as flat cloth with the dart only drawn, a fitted shirt M hung its 4 x 2 cm of darts round
    the waist (wrap 7.8 cm over the sewn waist): cut out and sewn, the 3D garment takes them in as a
    sewist does. The legs are resampled alike (equal segments, sewn vertex to vertex); the two tips
    are one vertex each. A dart not inside the piece by half an edge is left drawn only."""
    loops, pairs, n0 = [], [], 0
    for pts in fisheye_darts(piece):
        diamond = Polygon(pts)
        if not diamond.is_valid or diamond.area <= 0 or not poly.buffer(-0.5 * h).contains(diamond):
            continue
        foot, side, top, other = pts
        lo = max(1, round(max(np.linalg.norm(side - foot), np.linalg.norm(other - foot)) / h))
        up = max(1, round(max(np.linalg.norm(top - side), np.linalg.norm(top - other)) / h))
        legs = [resample(np.array([a, b]), n) for a, b, n in
                ((foot, side, lo), (side, top, up), (top, other, up), (other, foot, lo))]
        loops.append(np.concatenate([leg[:-1] for leg in legs]))
        m = 2 * (lo + up)
        # index k along foot -> side -> top matches (m - k) % m along foot -> other -> top
        k = np.arange(1, lo + up)
        pairs.append(n0 + np.column_stack([k, m - k]))
        n0 += m
    return loops, (np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64))


def _smooth(verts: np.ndarray, faces: np.ndarray, fixed: np.ndarray, passes: int) -> np.ndarray:
    n = len(verts)
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    e = np.concatenate([e, e[:, ::-1]])
    deg = np.bincount(e[:, 0], minlength=n).astype(float)
    v = verts.copy()
    for _ in range(passes):
        acc = np.zeros_like(v)
        np.add.at(acc, e[:, 0], v[e[:, 1]])
        avg = acc / np.maximum(deg, 1)[:, None]
        v = np.where(fixed[:, None], v, 0.5 * v + 0.5 * avg)
    return v


def mesh_piece(piece, target: float = DEFAULT_EDGE, counts: dict | None = None, smooth: int = 4) -> PieceMesh:
    """Triangulate one piece; ``counts`` (from segment_counts) fixes segments per edge."""
    if target <= 0:
        raise UserError(f"mesh.edge_length: must be > 0 cm (got {target!r})")
    bpts, edge_verts = [], {}
    for e in piece.edges:
        n = (counts or {}).get((piece.name, e.name)) or max(1, round(piece.edge_length(e) / target))
        pts = resample(piece.edge_points(e), n)
        start = len(bpts)
        bpts.extend(pts[:-1])  # the end point is the next edge's start
        edge_verts[e.name] = np.arange(start, start + n + 1)
    nb = len(bpts)
    for k in edge_verts:
        edge_verts[k] = edge_verts[k] % nb
    boundary = np.asarray(bpts)
    poly = Polygon(boundary).buffer(0) if not Polygon(boundary).is_valid else Polygon(boundary)
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda g: g.area)
    fold = _fold_points(piece, poly, target)
    holes, dart_pairs = _dart_holes(piece, poly, target)
    if holes:  # the cloth has the darts cut out: no lattice point, no triangle in them
        poly = Polygon(poly.exterior, [h.tolist() for h in holes])
        hole_pts = np.concatenate(holes)
    else:
        hole_pts = np.zeros((0, 2))
    inner = _lattice(poly, target)
    if len(fold):  # the lattice clears the fold line so the line's own points join along it
        lines = shapely.MultiLineString([m["points"] for m in piece.markings if m.get("kind") in FOLD_MARKINGS])
        inner = inner[shapely.distance(lines, shapely.points(inner)) > FOLD_CLEARANCE * target]
    verts = np.concatenate([boundary, fold, hole_pts, inner])
    tri = Delaunay(verts)
    faces = tri.simplices
    cen = verts[faces].mean(axis=1)
    faces = faces[shapely.contains_xy(poly, cen[:, 0], cen[:, 1])]
    a = verts[faces]
    area = np.cross(a[:, 1] - a[:, 0], a[:, 2] - a[:, 0]) / 2
    faces = faces[np.abs(area) > 1e-9]
    area = area[np.abs(area) > 1e-9]
    faces[area < 0] = faces[area < 0][:, ::-1]
    fixed = np.zeros(len(verts), bool)
    fixed[:nb + len(fold) + len(hole_pts)] = True
    verts = _smooth(verts, faces, fixed, smooth)
    return PieceMesh(piece.name, verts, faces.astype(np.int64), np.arange(nb), edge_verts,
                     dart_pairs=dart_pairs.astype(np.int64) + nb + len(fold))


def _sheet_offsets(meshes: list[PieceMesh], gap: float = 3.0) -> tuple[list[np.ndarray], float]:
    """Shelf-pack the pieces' bounding boxes (as on the pattern sheet); returns offsets and sheet size."""
    width = max(120.0, max(np.ptp(m.verts[:, 0]) for m in meshes) + gap)
    x = y = row_h = 0.0
    offs = []
    for m in meshes:
        lo = m.verts.min(axis=0)
        w, h = np.ptp(m.verts, axis=0)
        if x + w > width and x > 0:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        offs.append(np.array([x, y]) - lo)
        x += w + gap
        row_h = max(row_h, h)
    return offs, max(width, y + row_h)


def mesh_pattern(pattern, target: float = DEFAULT_EDGE) -> GarmentMesh:
    """Mesh every piece with matching seam counts; join them with seam vertex pairs."""
    counts = segment_counts(pattern, target)
    meshes = [mesh_piece(p, target, counts) for p in pattern.pieces]
    offs, sheet = _sheet_offsets(meshes)
    for m, o in zip(meshes, offs, strict=True):
        m.uv = (m.verts + o) / sheet
    offsets = list(np.cumsum([0] + [len(m.verts) for m in meshes])[:-1])
    names = [m.name for m in meshes]
    pairs, seam_of = [], []
    for si, s in enumerate(pattern.seams):
        ia, ib = names.index(s.a.piece), names.index(s.b.piece)
        va = meshes[ia].edge_verts[s.a.edge] + offsets[ia]
        vb = meshes[ib].edge_verts[s.b.edge] + offsets[ib]
        if s.reversed:
            vb = vb[::-1]
        keep = va != vb  # a dart's tip is one vertex on both of its legs
        pairs.append(np.column_stack([va, vb])[keep])
        seam_of.append(np.full(int(keep.sum()), si))
    for m, o in zip(meshes, offsets, strict=True):
        pairs.append(m.dart_pairs + o)
        seam_of.append(np.full(len(m.dart_pairs), INTERNAL_DART))
    return GarmentMesh(
        pieces=meshes, offsets=[int(o) for o in offsets],
        verts2d=np.concatenate([m.verts for m in meshes]),
        faces=np.concatenate([m.faces + o for m, o in zip(meshes, offsets, strict=True)]),
        uv=np.concatenate([m.uv for m in meshes]),
        piece_of=np.concatenate([np.full(len(m.verts), i) for i, m in enumerate(meshes)]),
        seam_pairs=np.concatenate(pairs).astype(np.int64) if pairs else np.zeros((0, 2), np.int64),
        seam_of=np.concatenate(seam_of) if seam_of else np.zeros(0, int),
    )


def edge_length_stats(verts: np.ndarray, faces: np.ndarray) -> dict[str, float]:
    """Mean and coefficient of variation of triangle edge lengths (mesh uniformity)."""
    e = unique_edges(faces)
    ln = np.linalg.norm(verts[e[:, 0]] - verts[e[:, 1]], axis=1)
    return {"mean": float(ln.mean()), "cv": float(ln.std() / ln.mean()), "min": float(ln.min()),
            "max": float(ln.max())}
