"""Pieces -> triangle meshes: uniform triangles, equal seam vertex counts, UVs (pure numpy)."""

import numpy as np
import pytest
from shapely.geometry import MultiPoint, Point, Polygon

from garment_addon.core.errors import UserError
from garment_addon.core.mesh import edge_length_stats, mesh_pattern, mesh_piece, resample, segment_counts
from garment_addon.core.mesh.triangulate import INTERNAL_DART, fisheye_darts
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.pattern.model import Edge, EdgeRef, Pattern, Piece, Seam
from garment_addon.core.spec import GARMENT_TYPES, make_spec


def skirt_pattern(waist=80.0, hip=108.0, hem=124.0, length=55.0, hip_depth=19.0) -> Pattern:
    """Hand-made two-panel skirt (x around the body, y up, waist at y=length)."""
    def panel(name):
        w, h, m, yh = waist / 4, hip / 4, hem / 4, length - hip_depth
        out = np.array([[-m, 0], [m, 0], [h, yh], [w, length], [-w, length], [-h, yh]], float)
        edges = [Edge("hem", 0, 1, "hem"), Edge("right_side", 1, 3, "seam"), Edge("waist", 3, 4, "waist"),
                 Edge("left_side", 4, 0, "seam")]
        return Piece(name, out, edges, body_region=name, landmarks={"waist": [0, length]})

    seams = [Seam(EdgeRef("skirt_front", "right_side"), EdgeRef("skirt_back", "left_side"), True),
             Seam(EdgeRef("skirt_front", "left_side"), EdgeRef("skirt_back", "right_side"), True)]
    return Pattern([panel("skirt_front"), panel("skirt_back")], seams, {"garment_type": "skirt"})


def _boundary_edges(faces):
    e = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    u, c = np.unique(e, axis=0, return_counts=True)
    return u[c == 1], c.max()


def _check_piece_mesh(pm, piece):
    bd, maxc = _boundary_edges(pm.faces)
    nb = len(pm.boundary)
    ring = np.sort(np.column_stack([np.arange(nb), (np.arange(nb) + 1) % nb]), axis=1)
    assert maxc == 2  # manifold
    # boundary = outline, and the holes of the fish-eye darts cut out (each edge on a dart's outline)
    holes = {tuple(e) for e in bd.tolist()} - {tuple(e) for e in ring.tolist()}
    assert len(holes) == len({tuple(e) for e in bd.tolist()}) - nb
    cut = [d for d in fisheye_darts(piece) if Polygon(d).exterior.distance(MultiPoint(pm.verts[list(holes)]
                                                                                      .reshape(-1, 2))) < 1e-6]
    on_dart = np.array([min(Polygon(d).exterior.distance(Point(*pm.verts[v])) for d in cut) if cut else 1.0
                        for e in holes for v in e])
    assert (on_dart < 1e-6).all()
    a = pm.verts[pm.faces]
    area = np.cross(a[:, 1] - a[:, 0], a[:, 2] - a[:, 0]) / 2
    assert (area > 0).all()  # CCW: normals face the garment's outside
    assert area.sum() == pytest.approx(piece.area() - sum(Polygon(d).area for d in cut), rel=0.03)


def test_handmade_piece_is_uniform_and_covers_the_outline():
    p = skirt_pattern()
    for piece in p.pieces:
        pm = mesh_piece(piece, 1.5)
        _check_piece_mesh(pm, piece)
        st = edge_length_stats(pm.verts, pm.faces)
        assert st["mean"] == pytest.approx(1.5, rel=0.15)
        assert st["cv"] < 0.2  # near-uniform triangles
        assert st["min"] > 0.4 and st["max"] < 3.0


def test_target_edge_length_is_configurable():
    piece = skirt_pattern().pieces[0]
    coarse, fine = mesh_piece(piece, 3.0), mesh_piece(piece, 1.0)
    assert edge_length_stats(coarse.verts, coarse.faces)["mean"] == pytest.approx(3.0, rel=0.15)
    assert len(fine.verts) > 6 * len(coarse.verts)
    with pytest.raises(UserError, match="edge_length"):
        mesh_piece(piece, 0.0)


def test_unequal_seam_edges_get_equal_vertex_counts():
    p = skirt_pattern()
    front = p.piece("skirt_front")
    front.outline[1, 0] += 4.0  # front side seam now longer than the back's
    counts = segment_counts(p, 1.5)
    assert counts[("skirt_front", "right_side")] == counts[("skirt_back", "left_side")]
    g = mesh_pattern(p, 1.5)
    for s in p.seams:
        a = g.pieces[g.index(s.a.piece)].edge_verts[s.a.edge]
        b = g.pieces[g.index(s.b.piece)].edge_verts[s.b.edge]
        assert len(a) == len(b)


def test_seam_pairs_join_matching_ends():
    g = mesh_pattern(skirt_pattern(), 1.5)
    va, vb = g.verts2d[g.seam_pairs[:, 0]], g.verts2d[g.seam_pairs[:, 1]]
    assert np.abs(va[:, 1] - vb[:, 1]).max() < 1e-9  # side seams pair vertices at the same height
    assert g.piece_of[g.seam_pairs[:, 0]].tolist() != g.piece_of[g.seam_pairs[:, 1]].tolist()


def test_uvs_are_the_sheet_layout():
    g = mesh_pattern(skirt_pattern(), 2.0)
    assert g.uv.min() >= 0 and g.uv.max() <= 1
    for pm in g.pieces:
        # a piece's UVs are its pattern coordinates, shifted and uniformly scaled
        d2, duv = np.ptp(pm.verts, axis=0), np.ptp(pm.uv, axis=0)
        assert duv[0] / d2[0] == pytest.approx(duv[1] / d2[1], rel=1e-6)
    boxes = [(pm.uv.min(0), pm.uv.max(0)) for pm in g.pieces]
    (a0, a1), (b0, b1) = boxes
    assert (a1 < b0).any() or (b1 < a0).any()  # pieces do not overlap on the sheet


def test_resample_keeps_ends_and_spacing():
    poly = np.array([[0, 0], [10, 0], [10, 5]], float)
    r = resample(poly, 6)
    assert np.allclose(r[0], poly[0]) and np.allclose(r[-1], poly[-1])
    assert np.allclose(np.linalg.norm(np.diff(r, axis=0), axis=1), 2.5)


@pytest.mark.parametrize("garment_type", GARMENT_TYPES)
def test_drafted_patterns_mesh_with_matched_seams(garment_type):
    p = draft_pattern(make_spec({"garment_type": garment_type}))
    g = mesh_pattern(p, 2.0)
    for piece, pm in zip(p.pieces, g.pieces, strict=True):
        _check_piece_mesh(pm, piece)
    for s in p.seams:
        a = g.pieces[g.index(s.a.piece)].edge_verts[s.a.edge]
        b = g.pieces[g.index(s.b.piece)].edge_verts[s.b.edge]
        assert len(a) == len(b), (s.a, s.b)
    assert len(g.seam_pairs) and (g.seam_pairs[:, 0] != g.seam_pairs[:, 1]).all()


@pytest.mark.parametrize("edge_cm", [1.5, 2.0])
@pytest.mark.parametrize("garment_type", ["shirt", "jacket"])
def test_a_fisheye_dart_is_cut_out_and_sewn_leg_to_leg(garment_type, edge_cm):
    """A hip-length top's internal (fish-eye) waist darts are holes in its pieces' meshes, each leg
    sewn to the other vertex to vertex (a pair at the same height, mirrored across the dart's axis):
    drawn only, the cloth kept their width and the fitted shirt M hung 7.8 cm wider than its sewn
    waist. The pieces' UVs are still their pattern coordinates (one island each, the hole in it)."""
    p = draft_pattern(make_spec({"garment_type": garment_type, "size": "M", "features": {"fit": "fitted"}}))
    g = mesh_pattern(p, edge_cm)
    darted = [piece for piece in p.pieces if fisheye_darts(piece)]
    assert len(darted) >= 2
    sewn = g.seam_pairs[g.seam_of == INTERNAL_DART]
    for piece in darted:
        i = g.index(piece.name)
        pm = g.pieces[i]
        _check_piece_mesh(pm, piece)
        pairs = sewn[g.piece_of[sewn[:, 0]] == i] - g.offsets[i]
        assert (g.piece_of[sewn[:, 1]][g.piece_of[sewn[:, 0]] == i] == i).all()
        a, b = pm.verts[pairs[:, 0]], pm.verts[pairs[:, 1]]
        assert np.allclose(a[:, 1], b[:, 1])  # the legs meet at the same heights
        for foot, side, top, _ in fisheye_darts(piece):
            mine = (np.abs(a[:, 0] + b[:, 0] - 2 * foot[0]) < 1e-6) & (a[:, 1] > foot[1]) & (a[:, 1] < top[1])
            half = np.interp(a[mine, 1], [foot[1], side[1], top[1]], [0.0, abs(side[0] - foot[0]), 0.0])
            assert np.allclose(np.abs(a[mine, 0] - b[mine, 0]), 2 * half)  # the legs, the dart's width apart
            assert mine.sum() >= (top[1] - foot[1]) / edge_cm - 2  # all along them
        cen = pm.verts[pm.faces].mean(axis=1)
        assert not any(Polygon(d).contains(MultiPoint(cen)) or Polygon(d).intersects(MultiPoint(cen))
                       for d in fisheye_darts(piece))
        scale = (pm.uv - pm.uv[0]) / np.where(np.abs(pm.verts - pm.verts[0]) > 1e-9, pm.verts - pm.verts[0], np.nan)
        assert np.nanstd(scale) < 1e-9  # UVs: the pattern coordinates shifted and scaled alike


@pytest.mark.parametrize("edge_cm", [1.5, 2.0])
def test_a_lapel_folds_along_mesh_edges(edge_cm):
    """The jacket fronts have vertices on their roll lines, so the lapel turns back along triangle
    edges: only the triangles at the line's two ends (on the outline) reach across it (without the
    line's vertices 18-27 did, and the turned lapel crushed them through the front at the break point)."""
    from garment_addon.core.assembly.wrap import lapel_side

    p = draft_pattern(make_spec({"garment_type": "jacket"}))
    g = mesh_pattern(p, edge_cm)
    for name in ("left_front", "right_front"):
        pm = g.pieces[g.index(name)]
        _check_piece_mesh(pm, p.piece(name))
        side = lapel_side(p.piece(name), pm.verts)
        on_line = np.abs(side) < 1e-6
        assert on_line.sum() >= 8
        across = ((side[pm.faces] > 1e-6).any(axis=1) & (side[pm.faces] < -1e-6).any(axis=1))
        # only at the line's two ends: 1-2 at the gorge, 3-5 where the lapel runs out to nothing over
        # the 4 cm above the break point (narrower there than the lattice clears the line)
        ends = np.asarray([p.piece(name).landmarks[k] for k in ("roll_start", "roll_end")])
        centre = pm.verts[pm.faces[across]].mean(axis=1)
        from_ends = np.linalg.norm(centre[:, None] - ends[None], axis=2).min(axis=1)
        assert across.sum() <= 8 and (from_ends < 5.0).all(), (name, int(across.sum()), from_ends.max())
    collar = g.pieces[g.index("collar")]  # the collar's roll line too (a curve)
    roll = np.asarray(next(m for m in p.piece("collar").markings if m["kind"] == "roll_line")["points"])
    order = np.argsort(roll[:, 0])
    height = collar.verts[:, 1] - np.interp(collar.verts[:, 0], roll[order, 0], roll[order, 1])
    assert (np.abs(height) < 1e-6).sum() >= 10


def test_smoothed_surface_shrinks_a_coarse_sphere_and_keeps_a_plane():
    from garment_addon.core.mesh.subdivide import smoothed_surface

    # an octahedron-like coarse sphere: the render surface lies inside it, by more the coarser it is
    def ico(n):
        th, ph = np.meshgrid(np.linspace(0.2, np.pi - 0.2, n), np.linspace(0, 2 * np.pi, 2 * n, endpoint=False))
        pts = np.column_stack([np.sin(th).ravel() * np.cos(ph).ravel(), np.sin(th).ravel() * np.sin(ph).ravel(),
                               np.cos(th).ravel()]) * 10
        from scipy.spatial import ConvexHull

        f = ConvexHull(pts).simplices
        c = pts[f].mean(axis=1)
        flip = (np.cross(pts[f[:, 1]] - pts[f[:, 0]], pts[f[:, 2]] - pts[f[:, 0]]) * c).sum(1) < 0
        f[flip] = f[flip][:, ::-1]
        return pts, f

    shrink = []
    for n in (6, 12):
        v, f = ico(n)
        p, t = smoothed_surface(v, f)
        assert len(p) == len(v) + len(f) * 3 // 2 + len(f) and len(t) == 6 * len(f)
        r = np.linalg.norm(p, axis=1)
        assert (r < 10 + 1e-9).all()
        shrink.append(10 - r[: len(v)].mean())
    assert shrink[0] > 2 * shrink[1] > 0  # ~ edge² / radius
    # a flat sheet stays flat and keeps its extent (open edges smoothed along themselves)
    g = np.linspace(0, 4, 5)
    x, y = np.meshgrid(g, g)
    v = np.column_stack([x.ravel(), y.ravel(), np.zeros(25)])
    f = np.array([[i * 5 + j, i * 5 + j + 1, i * 5 + j + 6] for i in range(4) for j in range(4)]
                 + [[i * 5 + j, i * 5 + j + 6, i * 5 + j + 5] for i in range(4) for j in range(4)])
    p, _ = smoothed_surface(v, f)
    assert np.abs(p[:, 2]).max() == 0 and p[:, :2].min() >= 0 and p[:, :2].max() <= 4


def test_smoothed_surface_keeps_the_corners_of_the_outline():
    """As Blender's Subdivision Surface renders the garment (boundary smooth: keep corners): a vertex
    of one face only (a collar's point, a square hem's corner) stays where it is; the boundary's other
    vertices are smoothed along it."""
    from garment_addon.core.mesh.subdivide import smoothed_surface

    v = np.array([[0.0, 0.0, 0.0], [4.0, 0.0, 0.0], [4.0, 4.0, 0.0], [0.0, 4.0, 0.0], [2.0, -1.0, 0.0]])
    f = np.array([[0, 4, 1], [0, 1, 2], [0, 2, 3]])  # vertex 3 and 4: one face each; 0, 1, 2: more
    out = smoothed_surface(v, f)[0]
    assert np.allclose(out[[3, 4]], v[[3, 4]])
    assert not np.allclose(out[[1, 2]], v[[1, 2]])
