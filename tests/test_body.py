"""Mannequin geometry: girths, manifold parts, landmarks, inside test (pure numpy, fast)."""

import numpy as np
import pytest

from garment_addon.core.body import body_for_spec, build_body, solve_section
from garment_addon.core.body.mannequin import polygon_perimeter, superellipse
from garment_addon.core.errors import UserError
from garment_addon.core.spec import SIZES, body_measurements, make_spec


def _hull_perimeter(pts2d: np.ndarray) -> float:
    from scipy.spatial import ConvexHull

    h = ConvexHull(pts2d)
    return polygon_perimeter(pts2d[h.vertices])


@pytest.mark.parametrize("preset", ["female", "male"])
@pytest.mark.parametrize("size", SIZES)
def test_girths_within_2_percent(size, preset):
    spec = make_spec({"garment_type": "dress"}, size=size)
    m = body_measurements(spec)
    body = build_body(m, preset)
    verts, faces, spans = body.mesh()
    name, lo, n = spans[0]
    assert name == "torso"
    torso = verts[lo:lo + n]
    for key in ("bust", "waist", "hip"):
        z = body.landmarks[key]
        ring = torso[np.abs(torso[:, 2] - z) < 1e-6]  # the torso has a ring exactly at each landmark
        assert len(ring) >= 24
        girth = _hull_perimeter(ring[:, :2])
        assert abs(girth - m[key]) / m[key] < 0.02, (key, girth, m[key])


def test_custom_measurements_change_the_body():
    small = body_for_spec(make_spec({"garment_type": "dress", "measurements": {"bust": 80, "hip": 90}}))
    big = body_for_spec(make_spec({"garment_type": "dress", "measurements": {"bust": 120, "hip": 130}}))
    assert big.girth(big.landmarks["bust"]) == pytest.approx(120, rel=0.02)
    assert small.girth(small.landmarks["hip"]) == pytest.approx(90, rel=0.02)


def _edges(faces):
    return np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)


@pytest.mark.parametrize("preset", ["female", "male"])
def test_each_part_is_closed_manifold_and_outward(preset):
    body = body_for_spec(make_spec({"garment_type": "shirt"}), preset)
    verts, faces, spans = body.mesh()
    names = [s[0] for s in spans]
    assert names == ["torso", "head", "arm_left", "arm_right", "leg_left", "leg_right"]
    _, counts = np.unique(_edges(faces), axis=0, return_counts=True)
    assert set(counts.tolist()) == {2}  # every edge has exactly two faces: closed, manifold
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    assert len(np.unique(directed, axis=0)) == len(directed)  # consistent winding
    for name, lo, n in spans:
        f = faces[np.all((faces >= lo) & (faces < lo + n), axis=1)]
        vol = np.einsum("ij,ij->i", verts[f[:, 0]], np.cross(verts[f[:, 1]], verts[f[:, 2]])).sum() / 6
        assert vol > 100, name  # outward normals give a positive volume (cm^3)
        assert len(np.unique(f)) == n  # no stray vertices


def test_landmarks_ordered_and_limbs_separated():
    body = body_for_spec(make_spec({"garment_type": "pants"}))
    L = body.landmarks
    order = ["ankle", "knee", "crotch", "hip", "waist", "bust", "underarm", "shoulder", "neck_base", "head_top"]
    assert all(L[a] < L[b] for a, b in zip(order, order[1:], strict=False))
    assert L["height"] == pytest.approx(body_measurements(make_spec({"garment_type": "pants"}))["height"])
    # separated legs: a gap between the thighs below the crotch
    z = L["crotch"] - 10
    assert not body.inside(np.array([[0.0, 0.0, z]]))[0]
    # A-pose: arms away from the torso at bust height, and below the shoulder
    for side, sign in (("left", 1), ("right", -1)):
        tube = body.arms[side]
        assert sign * tube.d[0] > 0.4 and tube.d[2] < -0.5
        assert sign * body.points[f"wrist_{side}"][0] > 35


def test_inside_and_push_out():
    body = body_for_spec(make_spec({"garment_type": "dress"}))
    L = body.landmarks
    pts = np.array([[0, 0, L["waist"]], [0, 0, L["bust"]], [0, 0, L["height"] - 10], [0, -60, L["waist"]],
                    [0, 0, L["height"] + 5]], float)
    assert body.inside(pts).tolist() == [True, True, True, False, False]
    rng = np.random.default_rng(0)
    cloud = rng.uniform([-40, -30, 0], [40, 30, 170], (4000, 3))
    out = body.push_out(cloud, margin=0.5)
    assert body.inside(out).mean() < 0.002
    moved = np.linalg.norm(out - cloud, axis=1) > 1e-9
    assert not body.inside(cloud[~moved]).any()  # points already outside stay put


def test_solve_section_matches_perimeter():
    a, b = solve_section(90.0, 1.3)
    assert a / b == pytest.approx(1.3)
    assert polygon_perimeter(superellipse(48, a, b)) == pytest.approx(90.0, rel=1e-9)


def test_unknown_preset_is_a_user_error():
    with pytest.raises(UserError, match="preset"):
        build_body(body_measurements(make_spec({"garment_type": "dress"})), "child")


def test_info_reports_height_landmarks_girths():
    info = body_for_spec(make_spec({"garment_type": "skirt"})).info()
    assert set(info) >= {"height_cm", "landmarks_cm", "girths_cm"}
    assert {"bust", "waist", "hip", "crotch", "shoulder", "neck_base"} <= set(info["landmarks_cm"])


def test_part_of_labels_points_by_the_part_they_are_in():
    from garment_addon.core.body.mannequin import PART_NAMES

    body = body_for_spec(make_spec({"garment_type": "dress"}))
    L, P = body.landmarks, body.points
    pts = np.array([[0, 0, L["waist"]], body.head_center, P["wrist_left"], P["wrist_right"],
                    P["ankle_left"], P["ankle_right"]], float)
    assert [PART_NAMES[i] for i in body.part_of(pts)] == list(PART_NAMES)
    verts, _, spans = body.mesh()
    for i, (name, lo, n) in enumerate(spans):  # each part's own surface is mostly labelled as it
        assert name == PART_NAMES[i]
        assert (body.part_of(verts[lo:lo + n]) == i).mean() > 0.55, name  # the rest hides in the torso


def test_hull_stack_skips_only_points_that_cannot_have_come_within_the_margin():
    """HullStack.within answers as a fresh measurement does (the points closer than the margin, their
    distances and normals), for points that creep, jump across sections, or are another set."""
    from garment_addon.core.body.surface import HullStack

    rng = np.random.default_rng(5)
    zs = np.arange(0.0, 10.0)
    ang = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    hulls = [np.column_stack([(8 + z) * np.cos(ang), (5 + 0.5 * z) * np.sin(ang)]) for z in zs]
    stack = HullStack(zs, hulls, None, np.ones(1, bool))
    nearest = np.zeros(400, int)
    p = np.column_stack([rng.uniform(-20, 20, (400, 2)), rng.uniform(-1, 11, 400)])
    skipped = 0
    for step in (0.0, 0.05, 0.05, 0.3, 0.05, 4.0, 0.01):
        p = p + rng.normal(size=p.shape) * step
        d, nrm, use = stack.within(p, nearest, 0.5)
        fd, fn, fuse = HullStack(zs, hulls, None, np.ones(1, bool)).signed_distance(p, nearest)
        near = fd < 0.5
        assert np.array_equal(use, fuse[near]), step
        assert np.allclose(d, fd[near]) and np.allclose(nrm, fn[near]), step
        skipped += int((stack._clear[0] != p).any(axis=1).sum())  # kept from an earlier call
    assert skipped > 0  # some points were not measured again
    other = p[::-1].copy()
    d, _, use = stack.within(other, nearest, 0.5)
    fd, _, fuse = stack.signed_distance(other, nearest)
    assert np.array_equal(use, fuse[fd < 0.5])


def test_nearest_vertex_kept_only_where_no_other_can_have_come_nearer():
    """MeshSurface.nearest answers as the k-d tree does, for points that creep (most keep their
    vertex without a search), jump, or are another set of the same size."""
    from garment_addon.core.body.surface import MeshSurface

    rng = np.random.default_rng(3)
    verts = rng.normal(size=(400, 3)) * 10
    surface = MeshSurface(verts, np.array([[0, 1, 2]]))
    p = rng.normal(size=(300, 3)) * 12
    for step in (0.0, 0.05, 0.05, 0.3, 5.0, 0.01):
        p = p + rng.normal(size=p.shape) * step
        assert np.array_equal(surface.nearest(p), surface.tree.query(p)[1]), step
    other = rng.normal(size=(300, 3)) * 12
    assert np.array_equal(surface.nearest(other), surface.tree.query(other)[1])
    few = other[:7]
    assert np.array_equal(surface.nearest(few), surface.tree.query(few)[1])
    # a point equally near two vertices gets the plain search's answer
    twin = MeshSurface(np.array([[0.0, 0, 0], [2.0, 0, 0], [9.0, 9, 9]]), np.array([[0, 1, 2]]))
    mid = np.array([[1.0, 0.0, 0.0]])
    assert np.array_equal(twin.nearest(mid), twin.tree.query(mid)[1])


def test_the_analytic_shoulder_follows_a_given_shoulder_slope():
    """The analytic shoulder point (where the arm's length is measured from) drops with a given slope's
    difference from the size's (spec.SHOULDER_SLOPE), as the shown body's skin there does (0.87 of the
    half shoulder width out: most of it); the size's own slope keeps the preset's 4 / 5 cm. It was
    fixed at 4 / 5 cm whatever the slope. The wrap's shoulder landmark stays (see shoulder_drop)."""
    for preset, own in (("female", 4.8), ("male", 5.0)):
        base = body_for_spec(make_spec({"garment_type": "shirt", "metadata": {"body_preset": preset}}))
        drop = base.landmarks["neck_base"] - base.points["shoulder_left"][2]
        assert drop == pytest.approx({"female": 4.0, "male": 5.0}[preset])
        for slope in (2.0, 8.0):
            b = body_for_spec(make_spec({"garment_type": "shirt", "metadata": {"body_preset": preset},
                                         "measurements": {"shoulder_slope": slope}}))
            moved = b.landmarks["neck_base"] - b.points["shoulder_left"][2] - drop
            assert 0.8 * abs(slope - own) < moved * np.sign(slope - own) <= abs(slope - own), (preset, slope)
            assert b.points["shoulder_right"][2] == b.points["shoulder_left"][2]
            assert b.landmarks["shoulder"] == base.landmarks["shoulder"]
