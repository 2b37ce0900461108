"""Drape quality measures on meshes (core.assembly.quality) and the fabric presets (core.fabric)."""

from __future__ import annotations

import numpy as np
import pytest

from garment_addon.core.assembly.quality import (
    body_through,
    boundary_loops,
    cleavage_depth,
    crossing_edges,
    edge_jag,
    hem_flute_share,
    hem_gathering,
    outline_jag,
    penetration,
    push_out,
    push_out_over,
    seat_groove,
    self_crossings,
    signed_distance,
)
from garment_addon.core.errors import UserError
from garment_addon.core.fabric import PRESETS, default_fabric, fabric_for, solver_settings
from garment_addon.core.spec import make_spec


def _sphere(n=24, r=10.0):
    th = np.linspace(0, np.pi, n)[1:-1]
    ph = np.linspace(0, 2 * np.pi, 2 * n, endpoint=False)
    ring = [[r * np.sin(t) * np.cos(p), r * np.sin(t) * np.sin(p), r * np.cos(t)] for t in th for p in ph]
    v = np.array([[0, 0, r], *ring, [0, 0, -r]])
    m, f = 2 * n, []
    f += [[0, 1 + j, 1 + (j + 1) % m] for j in range(m)]
    for i in range(len(th) - 1):
        for j in range(m):
            a, b = 1 + i * m + j, 1 + i * m + (j + 1) % m
            f += [[a, a + m, b + m], [a, b + m, b]]
    last, base = len(v) - 1, 1 + (len(th) - 1) * m
    f += [[last, base + (j + 1) % m, base + j] for j in range(m)]
    return v, np.array(f)


def _grid(n=6):
    g = np.linspace(0, 1, n)
    x, y = np.meshgrid(g, g)
    pts = np.column_stack([x.ravel(), y.ravel(), np.zeros(n * n)])
    f = [[i * n + j, i * n + j + 1, i * n + j + n + 1] for i in range(n - 1) for j in range(n - 1)]
    f += [[i * n + j, i * n + j + n + 1, i * n + j + n] for i in range(n - 1) for j in range(n - 1)]
    return pts, np.array(f)


def _band(amplitude: float, n: int = 120, sides: bool = False):
    """A vertical band whose lower rim (z=0) waves in and out by ``amplitude`` (a gathered hem); ``sides``:
    only at its sides (x = +-10), as a skirt flared at its side seams alone."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = 10 * (1 + amplitude * np.sin(10 * t) * (np.cos(t) ** 8 if sides else 1.0))
    low = np.column_stack([r * np.cos(t), r * np.sin(t), np.zeros(n)])
    high = np.column_stack([10 * np.cos(t), 10 * np.sin(t), np.full(n, 8.0)])
    j = np.arange(n)
    k = (j + 1) % n
    faces = np.concatenate([np.column_stack([j, k, n + k]), np.column_stack([j, n + k, n + j])])
    return np.vstack([low, high]), faces


def test_signed_distance_to_a_sphere_is_exact_and_signed():
    v, f = _sphere()
    rng = np.random.default_rng(0)
    d = rng.normal(size=(400, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    radius = rng.uniform(6, 14, 400)
    got = signed_distance(d * radius[:, None], v, f)
    keep = np.abs(radius - 10) > 0.3  # the faceted sphere differs from the round one by < 0.15
    assert np.all(np.sign(got[keep]) == np.sign(radius[keep] - 10))
    assert np.abs(got - (radius - 10)).max() < 0.3


def test_penetration_and_push_out():
    v, f = _sphere()
    pts = np.array([[0, 0, 9.5], [0, 11, 0], [12, 0, 0], [0, 0, -9.0]])
    pen = penetration(pts, v, f)
    assert pen["inside_fraction"] == pytest.approx(0.5)
    assert pen["max_depth"] == pytest.approx(1.0, abs=0.2)
    out = push_out(pts, v, f, gap=0.4)
    assert penetration(out, v, f)["inside_fraction"] == 0
    assert np.allclose(out[1:3], pts[1:3])  # points already clear stay put


def test_push_out_of_a_sheet_leaves_points_past_its_edge():
    v, f = _grid()
    pts = np.array([[0.5, 0.5, -0.2], [0.5, 1.5, -0.2]])  # under the sheet / beyond its edge
    out = push_out(pts, v, f, gap=0.1, reach=1.0)
    assert out[0, 2] == pytest.approx(0.1) and np.allclose(out[1], pts[1])



def test_crossing_edges_finds_every_crossing_of_a_crumpled_mesh():
    """The edge/triangle pairs crossing_edges tests are cut to those within that edge's half length
    plus that triangle's reach: every crossing that testing all pairs finds, on a crumpled pair of
    sheets with triangles of very different sizes."""
    from garment_addon.core.assembly.quality import _segment_hits_triangle

    rng = np.random.default_rng(7)
    v, f = _grid()
    verts = np.vstack([v + rng.normal(scale=0.15, size=v.shape), v[:, [0, 2, 1]] * [1, 1, 3] + [0, 0.5, -1.5]])
    faces = np.vstack([f, f + len(v)])
    edges, hit = crossing_edges(verts, faces)
    e = np.unique(np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1), axis=0)
    ei, fi = np.meshgrid(np.arange(len(e)), np.arange(len(faces)), indexing="ij")
    ei, fi = ei.ravel(), fi.ravel()
    apart = ~((faces[fi] == e[ei, :1]).any(1) | (faces[fi] == e[ei, 1:]).any(1))
    ei, fi = ei[apart], fi[apart]
    all_hits = _segment_hits_triangle(verts[e[ei, 0]], verts[e[ei, 1]], verts[faces[fi]])
    want = {(*e[i], j) for i, j in zip(ei[all_hits], fi[all_hits], strict=True)}
    assert len(want) > 10
    assert {(*a, b) for a, b in zip(edges.tolist(), hit.tolist(), strict=True)} == want

def test_self_crossings_count_layers_passing_through_each_other():
    v, f = _grid()
    lifted = np.vstack([v, v + [0, 0, 0.2]])
    assert self_crossings(lifted, np.vstack([f, f + len(v)])) == 0  # two layers, apart
    crossing = np.vstack([v, v[:, [0, 2, 1]] + [0, 0.5, -0.5]])  # a vertical sheet through the first
    faces = np.vstack([f, f + len(v)])
    assert self_crossings(crossing, faces) > 0
    assert self_crossings(*_sphere()) == 0
    # where: each edge of one sheet through a triangle of the other, at the line the sheets share
    edges, hit = crossing_edges(crossing, faces)
    assert len(edges) == len(hit) > 0
    sheet = (edges >= len(v)).all(axis=1)
    assert np.all(sheet != (faces[hit] >= len(v)).all(axis=1))  # never a sheet through itself
    mid = crossing[edges].mean(axis=1)
    assert np.abs(mid[~sheet, 1] - 0.5).max() < 0.25 and np.abs(mid[sheet, 2]).max() < 0.25


def test_hem_gathering_of_a_smooth_and_a_folded_hem():
    assert len(boundary_loops(_band(0.0)[1])) == 2
    assert hem_gathering(*_band(0.0)) == pytest.approx(1.0, abs=0.01)
    assert hem_gathering(*_band(0.2)) > 1.15


def test_hem_flute_share_tells_flutes_all_round_from_flutes_at_the_sides():
    assert hem_flute_share(*_band(0.2)) == pytest.approx(0.5, abs=0.1)
    sides = _band(0.3, 360, sides=True)
    assert hem_gathering(*sides) > 1.15 and abs(hem_flute_share(*sides)) < 0.1
    assert hem_flute_share(*sides, across=1) > 0.9  # the same hem seen with its width along y
    assert np.isnan(hem_flute_share(*_band(0.0)))  # a smooth hem has no flutes to share
    assert np.isnan(hem_flute_share(*_band(0.03)))  # nor one 0.4 % longer than its hull (it read -1.2)
    # a lowest opening with no hull seen from above (its points in one vertical plane)
    flat, faces = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [1, 0, 1.0]]), np.array([[0, 1, 3], [1, 2, 3]])
    assert np.isnan(hem_flute_share(flat, faces)) and hem_gathering(flat, faces) == 1.0


def test_fabric_presets_come_from_the_spec_and_take_edits():
    assert set(PRESETS) == {"cotton_shirting", "denim", "jersey", "fleece", "silk", "wool_suiting"}
    assert default_fabric("pants").name == "denim" and default_fabric("hoodie", "knit").name == "fleece"
    assert default_fabric("shirt", "knit").name == "jersey" and default_fabric("jacket").name == "wool_suiting"
    assert fabric_for(make_spec({"garment_type": "overalls"}).to_dict()).name == "denim"
    assert fabric_for({"garment_type": "dress", "features": {"fabric": "woven"}}).name == "cotton_shirting"
    # the spec's own material wins over its type's default; --fabric (the name) over both
    assert fabric_for({"garment_type": "jumpsuit", "features": {"material": "denim"}}).name == "denim"
    assert fabric_for({"garment_type": "pants", "features": {"material": "silk"}}).name == "silk"
    assert fabric_for({"garment_type": "pants", "features": {"material": "silk"}}, "fleece").name == "fleece"
    # heavier and stiffer in the order the measurements say
    s = {k: p.solver() for k, p in PRESETS.items()}
    assert s["silk"]["mass"] < s["cotton_shirting"]["mass"] < s["wool_suiting"]["mass"] < s["denim"]["mass"]
    assert s["silk"]["bending"] < s["cotton_shirting"]["bending"] < s["denim"]["bending"]
    assert s["jersey"]["tension"] < s["cotton_shirting"]["tension"]
    assert solver_settings(PRESETS["silk"], {"bending": 2.0})["bending"] == 2.0
    with pytest.raises(UserError, match="fabric.bending"):
        solver_settings(PRESETS["silk"], {"bending": -1})
    with pytest.raises(UserError, match="fabric: must be one of"):
        fabric_for({}, "tweed")


def _open_shell(n: int, r: float, keep_below: float = -0.5):
    """A _sphere(n, r) with its faces below z = keep_below * r dropped: an open garment-like shell."""
    v, f = _sphere(n, r)
    f = f[v[f][:, :, 2].mean(axis=1) > keep_below * r]
    return v, f


def test_body_through_catches_a_sphere_poking_between_the_vertices_of_a_coarse_shell():
    body_v, _ = _sphere(48, 10.0)
    # every vertex of the coarse shell is 2 mm outside the body (nothing "inside" by vertices) ...
    shell_v, shell_f = _open_shell(6, 10.2)
    assert penetration(shell_v, *_sphere(48, 10.0))["inside_fraction"] == 0.0
    # ... yet its 5 cm triangles cut 3 mm chords under them, so the body shows through them
    out = body_through(body_v, shell_v, shell_f)
    assert out["covered"] > 500
    assert out["through_fraction"] > 0.2
    assert 0.5 < out["max_through"] < 1.5  # cm: a 5 cm chord's sagitta on r = 10, less the 2 mm


def test_body_through_is_zero_for_a_shell_clear_of_the_body_and_ignores_what_is_past_its_edge():
    body_v, _ = _sphere(48, 10.0)
    shell_v, shell_f = _open_shell(6, 11.2)  # 1.2 cm out: more than any chord's sagitta
    out = body_through(body_v, shell_v, shell_f)
    assert out["covered"] > 500 and out["through_fraction"] == 0.0 and out["max_through"] == 0.0
    # the lower body below the shell's open rim is bare, not through: a sheet covers what is under it
    below = body_v[body_v[:, 2] < -8.0]
    assert body_through(below, shell_v, shell_f)["covered"] == 0
    # a fine shell as close to the body as the coarse one: nothing through
    fine_v, fine_f = _open_shell(48, 10.2)
    assert body_through(body_v, fine_v, fine_f)["through_fraction"] == 0.0


def test_clear_body_lifts_a_coarse_shell_off_the_body_in_the_mesh_and_as_rendered():
    from garment_addon.core.assembly.quality import clear_body, vertex_normals
    from garment_addon.core.mesh.subdivide import smoothed_surface

    body_v, body_f = _sphere(48, 10.0)
    bn = vertex_normals(body_v, body_f)
    shell_v, shell_f = _open_shell(8, 10.25)
    # before: the body shows through the coarse shell, more so through its smoothed (rendered) surface
    assert body_through(body_v, shell_v, shell_f, body_normals=bn)["through_fraction"] > 0.05
    shown = body_through(body_v, *smoothed_surface(shell_v, shell_f), body_normals=bn)
    assert shown["max_through"] > body_through(body_v, shell_v, shell_f)["max_through"]
    moved = clear_body(shell_v, shell_f, body_v, bn, gap=0.1)
    for surface in ((moved, shell_f), smoothed_surface(moved, shell_f)):
        out = body_through(body_v, *surface, body_normals=bn)
        assert out["covered"] > 500 and out["through_fraction"] == 0.0
    assert np.abs(np.linalg.norm(moved, axis=1) - 10.25).max() < 1.5  # lifted by mm, not inflated
    # a shell already clear of the body (also as rendered) is left exactly as it was
    clear_v, clear_f = _open_shell(8, 11.5)
    assert (clear_body(clear_v, clear_f, body_v, bn, gap=0.1) == clear_v).all()


def test_clear_body_moves_no_vertex_more_than_max_clear():
    """A body standing far out through the shell (a sphere of 10 cm in a shell of 8.2) is not chased:
    no vertex goes more than MAX_CLEAR out (toes under a folded hem threw it 8 cm into a flap)."""
    from garment_addon.core.assembly.quality import MAX_CLEAR, clear_body, vertex_normals

    body_v, body_f = _sphere(48, 10.0)
    shell_v, shell_f = _open_shell(8, 8.2)
    moved = clear_body(shell_v, shell_f, body_v, vertex_normals(body_v, body_f), gap=0.1)
    step = np.linalg.norm(moved - shell_v, axis=1)
    assert step.max() == pytest.approx(MAX_CLEAR) and step.max() <= MAX_CLEAR + 1e-9


def test_body_through_ignores_a_garment_surface_facing_away_from_the_body_there():
    body_v, body_f = _sphere(48, 10.0)
    from garment_addon.core.assembly.quality import vertex_normals

    shell_v, shell_f = _open_shell(6, 10.2)
    flipped = shell_f[:, ::-1]  # its outer side towards the body: not a layer covering it
    assert body_through(body_v, shell_v, flipped)["through_fraction"] > 0
    out = body_through(body_v, shell_v, flipped, body_normals=vertex_normals(body_v, body_f))
    assert out["covered"] == 0


def test_a_body_point_out_through_one_layer_but_under_another_is_not_through():
    """Where layers meet (a sleeve over the bodice under the arm, overlapping fronts) a body point can
    lie outside its nearest layer and still under the garment: nothing shows there."""
    from garment_addon.core.assembly.quality import vertex_normals

    body_v, body_f = _sphere(48, 10.0)
    bn = vertex_normals(body_v, body_f)
    inner_v, inner_f = _open_shell(6, 10.2)  # coarse: the body pokes out between its vertices
    outer_v, outer_f = _open_shell(24, 11.0, keep_below=-0.9)  # reaching lower than the inner one
    c, s = np.cos(0.1), np.sin(0.1)  # turned off the body's meridians: no ray runs along its edges
    outer_v = outer_v @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]).T
    both_v, both_f = np.vstack([inner_v, outer_v]), np.vstack([inner_f, outer_f + len(inner_v)])
    assert body_through(body_v, inner_v, inner_f, body_normals=bn)["through_fraction"] > 0.2
    out = body_through(body_v, both_v, both_f, body_normals=bn)
    assert out["covered"] > 500 and out["through_fraction"] == 0.0


def test_a_point_past_a_turned_down_fold_is_not_covered():
    """A collar turned down over its stand: the fold along its top is the garment's edge there, as an
    open edge is (a chin above a button-down's collar is not under it); counted covered, the body
    clearing threw the collar's corners 3 cm out (button-down XL drape: 22 self-crossings)."""
    x = np.linspace(0.0, 4.0, 5)
    stand = [[t, 0.0, z] for z in (0.0, 1.5, 3.0) for t in x]  # a wall rising to z = 3 (the stand)
    fall = [[t, -0.8, z] for z in (2.0, 0.0) for t in x]  # turned down 0.8 out in front of it
    v = np.array(stand + fall, float)
    f = []
    for r0, r1 in ((0, 5), (5, 10), (10, 15), (15, 20)):  # rows: stand 0-1-2, fold 2-fall 0, fall 0-1
        for j in range(4):
            f += [[r0 + j, r0 + j + 1, r1 + j + 1], [r0 + j, r1 + j + 1, r1 + j]]
    f = np.array(f)
    chin = np.array([[2.0, 0.3, 4.0]])  # above the fold, behind it
    assert body_through(chin, v, f)["covered"] == 0
    # unfolded (the fall standing on up from the stand) the same point is under the cloth's middle
    flat = v.copy()
    flat[15:20] = [[t, 0.0, 5.0] for t in x]
    flat[20:25] = [[t, 0.0, 7.0] for t in x]
    assert body_through(chin, flat, f)["covered"] == 1


def test_a_point_beside_a_hem_with_no_cloth_behind_it_is_not_covered():
    """The top of a foot just in front of a trouser hem: outside the cloth, and its nearest garment
    point lies inside a hem triangle (2 mm off the hem), but back along its own (upward) normal there
    is no cloth: it is beside the hem, not through it. Counted through by 2.4 cm, the body clearing
    threw the hem's corners 25.8 mm out (pants M drape)."""
    from garment_addon.core.assembly.quality import clear_body

    x = np.linspace(0.0, 4.0, 5)
    v = np.array([[t, 0.0, z] for z in x for t in x], float)  # a sheet at y = 0 facing -y, hem at z = 0
    f = np.array([[r + j, r + j + 1, r + 6 + j] for r in range(0, 20, 5) for j in range(4)]
                 + [[r + j, r + 6 + j, r + 5 + j] for r in range(0, 20, 5) for j in range(4)])
    foot = np.array([[2.0, -1.5, 0.4]])
    up = np.array([[0.0, -0.3, 0.95]])
    assert body_through(foot, v, f, body_normals=up)["covered"] == 0
    assert (clear_body(v, f, foot, up, gap=0.2) == v).all()
    # the same point facing the sheet (the body behind it, poking out through the cloth) stays through
    out = body_through(foot, v, f, body_normals=np.array([[0.0, -1.0, 0.0]]))
    assert out["covered"] == 1 and out["max_through"] == pytest.approx(1.5)


def _top(front_y, n: int = 57, rows: int = 5):
    """A tube standing along z (rows at z = -4..4): its front the curve y = front_y(x) for |x| <= 14,
    its back y = 10, in cm, as a top's section round a bust."""
    x = np.linspace(-14, 14, n)
    ring = np.vstack([np.column_stack([x, front_y(x)]), np.column_stack([x[::-1][1:-1], np.full(n - 2, 10.0)])])
    m = len(ring)
    v = np.vstack([np.column_stack([ring, np.full(m, z)]) for z in np.linspace(-4, 4, rows)])
    j = np.arange(m)
    k = (j + 1) % m
    f = [np.column_stack([r * m + j, r * m + k, (r + 1) * m + k]) for r in range(rows - 1)]
    f += [np.column_stack([r * m + j, (r + 1) * m + k, (r + 1) * m + j]) for r in range(rows - 1)]
    return v, np.concatenate(f)


def test_cleavage_depth_is_how_far_the_centre_front_lies_behind_the_apex_line():
    def bumps(x):
        return -10 - 1.5 * (np.exp(-(x - 9) ** 2 / 8) + np.exp(-(x + 9) ** 2 / 8))

    cups = _top(bumps)  # the cloth round each apex, the centre front back on the body between them
    bridged = _top(lambda x: np.where(np.abs(x) < 9, bumps(np.full_like(x, 9.0)), bumps(x)))
    proud = _top(lambda x: -10 - 1.5 * np.exp(-x ** 2 / 8))  # the centre front stands out
    assert cleavage_depth(*cups, 0.0) == pytest.approx(1.5, abs=0.05)
    assert cleavage_depth(*bridged, 0.0) == pytest.approx(0.0, abs=0.05)
    assert cleavage_depth(*proud, 0.0) < -0.5
    assert np.isnan(cleavage_depth(*cups, 20.0))  # nothing of the top at that height


def test_seat_groove_is_how_deep_the_centre_back_sinks_between_the_buttocks():
    """quality.seat_groove: cleavage_depth of the back (mirrored: the back toward +y), the most over the
    heights from 3 cm over the crotch to half way from the hip to the waist (here z -4 .. 3)."""
    def bumps(x):
        return -10 - 1.5 * (np.exp(-(x - 9) ** 2 / 8) + np.exp(-(x + 9) ** 2 / 8))

    mirror = np.array([1.0, -1.0, 1.0])
    v, f = _top(bumps)
    assert seat_groove(v * mirror, f, -7.0, 0.0, 6.0) == pytest.approx(1.5, abs=0.05)  # sunk between the cheeks
    spanned = _top(lambda x: np.where(np.abs(x) < 9, bumps(np.full_like(x, 9.0)), bumps(x)))[0]
    assert seat_groove(spanned * mirror, f, -7.0, 0.0, 6.0) == pytest.approx(0.0, abs=0.05)
    assert seat_groove(v, f, -7.0, 0.0, 6.0) == pytest.approx(0.0, abs=0.05)  # the front's hollow is not the seat's
    assert np.isnan(seat_groove(v * mirror, f, 10.0, 15.0, 20.0))  # nothing of the garment there


def test_edge_jag_reads_a_zigzag_along_an_edge_and_not_its_curve():
    """quality.edge_jag: a zigzag one step long reads its amplitude; a straight or round edge ~0; a closed
    loop wraps round. outline_jag: the most jagged boundary loop of a mesh."""
    t = np.linspace(0.0, 2.0 * np.pi, 40, endpoint=False)
    circle = np.column_stack([20.0 * np.cos(t), 20.0 * np.sin(t), np.zeros_like(t)])
    assert edge_jag(circle, closed=True) < 0.02 and edge_jag(np.column_stack([t, t, t])) == 0.0
    zig = circle + np.column_stack([np.zeros_like(t), np.zeros_like(t), 0.3 * (-1.0) ** np.arange(40)])
    assert edge_jag(zig, closed=True) == pytest.approx(0.3, abs=0.01)
    assert np.isnan(edge_jag(circle[:4]))
    # a band: the circle and a copy 5 up, triangulated between; the lower ring zigzags, the upper not
    n = len(t)
    verts = np.concatenate([zig, circle + (0.0, 0.0, 5.0)])
    i = np.arange(n)
    j = (i + 1) % n
    faces = np.concatenate([np.column_stack([i, j, n + i]), np.column_stack([j, n + j, n + i])])
    assert outline_jag(verts, faces) == pytest.approx(0.3, abs=0.01)
    assert outline_jag(np.concatenate([circle, circle + (0.0, 0.0, 5.0)]), faces) < 0.02


def test_a_garment_dressed_over_another_keeps_its_own_layers():
    """quality.push_out_over: two layers of a garment (a front over the other, 0.3 cm apart) lying in a
    shirt worn under them go out together, their gap and order kept; pushed one by one (push_out) both
    landed on the same gap and met (a jacket over a shirt: 1,554 crossings in the wrap)."""
    g = np.linspace(-10.0, 10.0, 21)
    x, y = np.meshgrid(g, g)
    shirt_v = np.column_stack([x.ravel(), y.ravel(), np.zeros(x.size)])
    i = (np.arange(20)[:, None] * 21 + np.arange(20)[None, :]).ravel()
    shirt_f = np.concatenate([np.column_stack([i, i + 1, i + 22]), np.column_stack([i, i + 22, i + 21])])
    px, py = np.meshgrid(np.linspace(-3.0, 3.0, 7), np.linspace(-3.0, 3.0, 7))
    inner = np.column_stack([px.ravel(), py.ravel(), np.full(px.size, -0.2)])  # 2 mm inside the shirt
    outer = inner + (0.0, 0.0, 0.3)
    pts = np.concatenate([inner, outer])
    one_by_one = push_out(pts, shirt_v, shirt_f, 1.0, reach=3.0)
    assert np.allclose(one_by_one[:49, 2], one_by_one[49:, 2])  # both layers on the same gap
    together = push_out_over(pts, shirt_v, shirt_f, 1.0, reach=3.0)
    assert np.allclose(together[49:, 2] - together[:49, 2], 0.3) and together[:49, 2].min() >= 1.0 - 1e-9
    far = push_out_over(np.array([[0.0, 0.0, -0.2], [9.0, 9.0, 2.5]]), shirt_v, shirt_f, 1.0, reach=3.0)
    assert far[1, 2] == 2.5  # a point 12 cm off, outside the shirt already, stays
