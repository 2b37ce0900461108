"""The shown mannequin: MakeHuman body shaped to the measurements, posed, rigged (pure numpy, no bpy)."""

import numpy as np
import pytest

from garment_addon.core.body import body_for_spec, build_body
from garment_addon.core.body import makehuman as mh
from garment_addon.core.spec import body_measurements, make_spec, side_neck_x

MIXAMO = {"Hips", "Spine", "Spine1", "Spine2", "Neck", "Head"} | {
    f"{s}{b}" for s in ("Left", "Right") for b in (
        "Shoulder", "Arm", "ForeArm", "Hand", "UpLeg", "Leg", "Foot", "ToeBase",
        *(f"Hand{f}{i}" for f in ("Thumb", "Index", "Middle", "Ring", "Pinky") for i in (1, 2, 3)))}


def _human(size, preset):
    from garment_addon.core.spec import shoulder_slope

    m = body_measurements(make_spec({"garment_type": "dress"}, size=size))
    # the preset's own slope, as make_spec gives a body of that preset (the women's size table's
    # reshaped the male XL body's shoulders, a user's slope, and moved its armpit)
    m["shoulder_slope"] = shoulder_slope(m["bust"], preset)
    body = build_body(m, preset)
    return body, mh.human_for_body(body)


def test_asset_is_small_licensed_and_rigged():
    assert mh.DATA.stat().st_size < 2_000_000
    assert "CC0" in (mh.DATA.parent / "LICENSE-MakeHuman.md").read_text()
    a = mh.load_asset()
    assert {f"mixamorig:{n}" for n in MIXAMO} == set(a.bones) and len(a.bones) == 52
    assert np.allclose(a.weights.sum(1), 1.0)
    # every bone's parent comes before it; the hips are the one root
    assert [b for b, p in zip(a.bones, a.parents, strict=True) if not p] == ["mixamorig:Hips"]
    assert all(a.bones.index(p) < i for i, p in enumerate(a.parents) if p)
    assert set(a.targets["female"]) > {"race", "universal/maxmuscle-maxweight",
                                       "breast/averagemuscle-averageweight/max"}


@pytest.mark.parametrize("preset", ["female", "male"])
@pytest.mark.parametrize("size", ["XS", "XXL"])
def test_girths_and_height_within_2_percent(size, preset):
    body, h = _human(size, preset)
    errors = h.errors()
    assert set(errors) == {"bust", "waist", "hip", "thigh", "neck", "height"}
    assert all(abs(e) < 0.02 for e in errors.values()), errors
    # measured again here, independently of the build's own record
    ends = np.array([e for b in h.bones for e in h.joints[b]])
    again = mh.measure(mh.load_asset(), np.concatenate([h.verts, ends]), h.heights)
    for k, v in again.items():
        assert v == pytest.approx(body.measurements[k], rel=0.02), k
    assert h.heights["bust"] == pytest.approx(body.landmarks["bust"], abs=1e-3)
    assert h.heights["waist"] == pytest.approx(body.landmarks["waist"], abs=1e-3)


def test_arms_hang_clear_of_the_torso_below_the_armpit():
    for preset in ("female", "male"):
        body, h = _human("M", preset)
        tris = mh.skin_triangles()
        for z in np.arange(body.landmarks["waist"], body.landmarks["bust"] - 2.0, 2.0):
            loops = [p for p in mh.slice_loops(h.verts, tris, z) if len(p) >= 3]
            assert len(loops) >= 3, (preset, z)  # torso and both arms apart
        # the slice at the bust line is the torso alone, near the bust girth (not arms and torso fused)
        loops = mh.slice_loops(h.verts, tris, body.landmarks["bust"] - 2.0)
        torso = min(loops, key=lambda p: np.linalg.norm(p.mean(0)))
        assert mh.hull_perimeter(torso) < 1.05 * body.measurements["bust"]
        # the arms hang in the frontal plane at the mannequin's angle
        sh, wr = h.joints["mixamorig:LeftArm"][0], h.joints["mixamorig:LeftHand"][0]
        d = (wr - sh) / np.linalg.norm(wr - sh)
        assert abs(d[1]) < 0.05 and np.degrees(np.arccos(-d[2])) == pytest.approx(h.arm_angle, abs=3)


@pytest.mark.parametrize("preset", ["female", "male"])
@pytest.mark.parametrize("size", ["XL", "XXL"])
def test_arms_hang_apart_from_the_torso_under_the_armpit(size, preset):
    """The arm's skin 2-7 cm under the underarm stays 2 cm from the torso's (measured between skin
    vertices carried by the arm and by the torso alone). At the 38 / 36 degree A-pose a size XXL
    body's arms lay against its sides there (1.1 / 1.4 cm; sizes XS..XL 2.3-9 cm) and the wrapped
    sleeves ran through the bodice under them; a heavy body's arms now hang further out."""
    from scipy.spatial import cKDTree

    body, h = _human(size, preset)
    a = mh.load_asset()
    v = h.verts[: a.n_mesh]
    u = body.landmarks["underarm"]
    torso = (a.chain_weight(mh.ARM_BONES) < 0.1) & (v[:, 2] > body.landmarks["waist"]) & (v[:, 2] < u + 5)
    for side in ("Left", "Right"):
        arm = (a.side_weight(mh.ARM_BONES, side) > 0.9) & (v[:, 2] < u - 2) & (v[:, 2] > u - 7)
        assert arm.sum() > 20
        assert cKDTree(v[torso]).query(v[arm])[0].min() > 2.0, (side, h.arm_angle)
    assert h.arm_angle <= mh.MAX_ARM_ANGLE


@pytest.mark.parametrize("preset", ["female", "male"])
@pytest.mark.parametrize("size", ["S", "XXL"])
def test_armpit_bisection_finds_the_walk_ups_height(size, preset):
    """armpit_height bisects the 0.5 cm steps: the same height as a section at every step up from
    under the bust, and the sections apart below it, fused at the next step."""
    body, h = _human(size, preset)
    z = h.heights["bust"] - mh.ARMPIT_BELOW_BUST
    while z < h.heights["neck"] and mh.arm_gaps(h.verts, z + 0.5) is not None:
        z += 0.5
    got = mh.armpit_height(h.verts, h.heights)
    assert got == z
    assert mh.arm_gaps(h.verts, got) is not None and mh.arm_gaps(h.verts, got + 0.5) is None


def test_slice_loops_match_a_section_through_every_triangle():
    """slice_loops looks only at the triangles beside a cut edge: the same loops as pairing the cut
    edges of every triangle, at heights through the legs, the arms and the head."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    _, h = _human("M", "female")
    tris = mh.skin_triangles()
    e = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
    edges, inv = np.unique(e, axis=0, return_inverse=True)
    tri_edges = inv.ravel().reshape(3, len(tris)).T
    for z in (20.0, 95.0, 120.0, 160.0):
        za, zb = h.verts[edges[:, 0], 2] - z, h.verts[edges[:, 1], 2] - z
        cross = (za < 0) != (zb < 0)
        t = (za[cross] / (za[cross] - zb[cross]))[:, None]
        ce = edges[cross]
        point = h.verts[ce[:, 0], :2] + t * (h.verts[ce[:, 1], :2] - h.verts[ce[:, 0], :2])
        c = cross[tri_edges]
        pairs = (np.cumsum(cross) - 1)[tri_edges[c.sum(1) == 2][c[c.sum(1) == 2]]].reshape(-1, 2)
        n = len(point)
        label = connected_components(coo_matrix((np.ones(len(pairs)), pairs.T), shape=(n, n)), directed=False)[1]
        want = [point[label == k] for k in range(label.max() + 1)]
        got = mh.slice_loops(h.verts, tris, z)
        assert len(got) == len(want) >= 1 and all(np.array_equal(a, b) for a, b in zip(got, want, strict=True)), z


def test_slice_stack_is_slice_loops_at_each_height():
    """Sections at many heights at once: each height's pieces (points and interpolated values) as
    slice_loops gives them alone, heights unsorted, repeated, and above the head (no piece)."""
    _, h = _human("XXL", "male")
    tris = mh.skin_triangles()
    arm = mh.load_asset().chain_weight(mh.ARM_BONES)
    zs = [130.0, 12.5, 95.25, 130.0, 400.0, 60.0]
    stack = mh.slice_stack(h.verts, tris, zs, arm)
    assert stack[4] == [] and len(stack) == len(zs)
    for z, pieces in zip(zs, stack, strict=True):
        alone = mh.slice_loops(h.verts, tris, z, arm)
        assert len(pieces) == len(alone), z
        for (p, w), (q, v) in zip(pieces, alone, strict=True):
            assert np.array_equal(p, q) and np.array_equal(w, v), z


def test_hands_feet_and_head_are_human():
    body, h = _human("M", "female")
    w = h.weights
    col = {b.split(":")[1]: i for i, b in enumerate(h.bones)}
    fingers = [col[f"LeftHand{f}{i}"] for f in ("Thumb", "Index", "Middle", "Ring", "Pinky") for i in (1, 2, 3)]
    finger_verts = h.verts[w[:, fingers].sum(1) > 0.5]
    assert len(finger_verts) > 300  # modelled fingers, not a stub
    tip = h.joints["mixamorig:LeftHandMiddle3"][1]
    assert 15 < np.linalg.norm(tip - h.joints["mixamorig:LeftHand"][0]) < 25  # wrist to middle fingertip
    foot = h.verts[w[:, [col["LeftFoot"], col["LeftToeBase"]]].sum(1) > 0.5]
    assert 20 < np.ptp(foot[:, 1]) < 30 and foot[:, 2].min() < 1.0  # a foot's length, on the floor
    head = h.verts[w[:, col["Head"]] > 0.99]
    assert 0.11 < np.ptp(head[:, 2]) / body.landmarks["height"] < 0.16  # about an eighth of the stature
    assert np.ptp(head[:, 1]) > 1.1 * np.ptp(head[:, 0])  # longer front to back than wide, with a face


def test_attached_body_wraps_onto_the_skin_shown():
    from garment_addon.core.assembly import assembly_metrics, wrap
    from garment_addon.core.mesh import mesh_pattern
    from garment_addon.core.pattern import draft_pattern

    spec = make_spec({"garment_type": "shirt"})
    body = body_for_spec(spec)
    h = mh.attach_human(body)
    apex = h.verts[np.argmin(np.where(np.abs(h.verts[:, 0]) < 12, h.verts[:, 1], np.inf))]
    assert not body.inside(apex + [0, -3, 0]) and body.inside(apex + [0, 3, 0])
    pushed = body.push_out(np.array([[0.0, 0.0, body.landmarks["waist"]]]), 0.5)
    assert not body.surface.skin.inside(pushed)
    # the arms of the analytic body (the sleeves' axes) run through the rig's shoulder and wrist
    assert np.allclose(body.arms["left"].p0, h.joints["mixamorig:LeftArm"][0])
    pattern = draft_pattern(spec)
    mesh = mesh_pattern(pattern, 2.0)
    pos = wrap(pattern, mesh, body)
    assert assembly_metrics(mesh, pos, body)["inside_fraction"] < 0.003
    d, _ = body.surface.skin.signed_distance(pos)
    assert d.min() > -0.3  # no garment vertex deeper than 3 mm into the skin


def test_slice_of_a_box_is_its_outline():
    v = np.array([[x, y, z] for z in (0, 10) for y in (0, 4) for x in (0, 6)], float)
    q = np.array([[0, 1, 3, 2], [4, 6, 7, 5], [0, 4, 5, 1], [2, 3, 7, 6], [0, 2, 6, 4], [1, 5, 7, 3]])
    tris = np.concatenate([q[:, [0, 1, 2]], q[:, [0, 2, 3]]])
    loops = mh.slice_loops(v, tris, 5.0)
    assert len(loops) == 1 and mh.hull_perimeter(loops[0]) == pytest.approx(20.0)


@pytest.mark.parametrize("preset", ["female", "male"])
def test_arms_are_as_long_as_the_arm_length(preset):
    """Shoulder point to wrist is the tailor's arm length (a sleeve cut to it ends at the wrist, not over
    the fingers); the hand keeps the asset's size and the rig's pose stays a rotation."""
    body, h = _human("M", preset)
    for side, sx in (("Left", 1.0), ("Right", -1.0)):
        point = np.array(body.points["shoulder_left"]) * [sx, 1, 1]
        wrist = h.joints[f"mixamorig:{side}Hand"][0]
        assert np.linalg.norm(wrist - point) == pytest.approx(body.measurements["arm_length"], abs=0.5)
        tip = h.joints[f"mixamorig:{side}HandMiddle3"][1]
        rest_tip = h.rest_joints[f"mixamorig:{side}HandMiddle3"][1]
        rest_wrist = h.rest_joints[f"mixamorig:{side}Hand"][0]
        assert np.linalg.norm(tip - wrist) == pytest.approx(np.linalg.norm(rest_tip - rest_wrist), rel=1e-6)
        for bone in ("Arm", "ForeArm", "Hand"):
            R = h.pose[f"mixamorig:{side}{bone}"]
            assert np.allclose(R @ R.T, np.eye(3), atol=1e-9)


@pytest.mark.parametrize("size", ["M", "XL"])
def test_attached_outline_reaches_the_bust_and_falls_from_it(size):
    """The torso outline the wrap lays rings on is the shown body's: at the bust line it reaches the
    MakeHuman apex (the superellipse of the same girth stopped 4.4 / 7.4 cm short at M / XL), its
    sections take in the breasts' undersides (left out, a size L section 1 cm under them was 15 cm
    shorter round), and from the apex down to the waist the front never steps back more than a
    straight fall would (cloth bridges down, it does not tuck in under the bust)."""
    spec = make_spec({"garment_type": "shirt", "size": size})
    body = body_for_spec(spec)
    L = body.landmarks
    pts, cy = body.outline(np.array([L["bust"]]))
    superellipse_front = float(pts[0, 0, 1] + cy[0])
    h = mh.attach_human(body)
    v = h.verts[np.abs(h.verts[:, 2] - L["bust"]) < 12]
    apex = float(v[:, 1][np.abs(v[:, 0]) < 20].min())
    zs = np.arange(L["waist"], L["bust"] + 8.0, 0.5)
    pts, cy = body.outline(zs)
    front = pts[:, 0, 1] + cy
    assert abs(front.min() - apex) < 1.0 and superellipse_front - apex > 2.0
    top = int(np.argmin(front))
    fall = np.diff(front[: top + 1])  # waist up to the apex: forward (down in y) all the way, evenly
    assert (fall <= 0.05).all() and np.ptp(fall) < 0.6


@pytest.mark.parametrize("size", ["S", "L", "XXL"])
def test_the_size_tables_high_bust_is_the_shown_mannequins(size):
    """The size table's high bust (the tape under the arms, above the bust: 3 cm over the underarm
    landmark, in the armpits' hollow) is what the shown mannequin measures, so the drafting's
    full-bust adjustment (spec.full_bust_adjustment) fits the bust shown: about a B cup at S, fuller
    at L and XXL (full bust - high bust 7.4 / 11.0 cm; XXL's table said 93.5 cm, its body 96.0)."""
    from garment_addon.core.spec import SIZE_TABLE, full_bust_adjustment

    spec = make_spec({"garment_type": "jacket"}, size=size)
    body = body_for_spec(spec)
    h = mh.human_for_body(body)
    at = body.landmarks["underarm"] + mh.HIGH_BUST_ABOVE_UNDERARM
    got = mh.measure(mh.load_asset(), h.verts, {"high_bust": at})["high_bust"]
    assert got == pytest.approx(SIZE_TABLE[size]["high_bust"], abs=1.0)
    assert (full_bust_adjustment(spec.m) > 1.0) == (size != "S")


def test_a_plus_size_bust_is_a_fuller_rib_cage_not_only_breasts():
    """The female XXL mannequin reaches its 118 cm bust over a fuller rib cage, as a real plus-size
    block does (full bust - high bust 8-12 cm): its breasts took nearly all of it, 22.0 cm over the
    high bust (96.0) and 24.2 over the torso 6 cm under the bust line (93.8, under its 102 cm
    waist), and the jumpsuit's bodice drape shaped two cups. The girths stay within 2 %."""
    body, h = _human("XXL", "female")
    lm, a = body.landmarks, mh.load_asset()
    high = mh.measure(a, h.verts, {"g": lm["underarm"] + mh.HIGH_BUST_ABOVE_UNDERARM})["g"]
    under = mh.measure(a, h.verts, {"g": lm["bust"] - 6.0})["g"]
    assert h.girths["bust"] - high <= 12.0, high
    assert h.girths["bust"] - under <= 20.0, under
    assert max(abs(e) for e in h.errors().values()) < 0.02, h.errors()


@pytest.mark.parametrize("preset", ["female", "male"])
def test_the_shoulder_slope_is_the_shown_mannequins(preset):
    """A spec's default shoulder slope (spec.SHOULDER_SLOPE) is what the shown mannequin of its size and
    preset measures, side-neck point to shoulder point (within 0.2 cm: the table's 0.1, female XS..M
    one 4.8 for 4.84 / 4.66 / 4.81), and the drafted
    bodice's shoulder point lies that far under its side-neck point: drafted at 4.5 cm everywhere, the
    female L..XXL shoulders (skin 6.1 / 5.9 / 7.8 cm) had the garment standing over them."""
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import SIZES

    for size in SIZES:
        spec = make_spec({"garment_type": "shirt", "size": size, "metadata": {"body_preset": preset}})
        m = spec.m
        h = mh.human_for_body(body_for_spec(spec))
        skin = mh.shoulder_slope(h.verts, m["neckline_width"], m["shoulder_width"] / 2,
                                 body_for_spec(spec).landmarks["neck_base"])
        assert m["shoulder_slope"] == pytest.approx(skin, abs=0.2), size
        for name in ("front_bodice", "back_bodice"):
            lm = draft_pattern(spec).piece(name).landmarks
            assert lm["hps"][1] - lm["shoulder_point"][1] == pytest.approx(m["shoulder_slope"], abs=1e-6), name


def _top(verts, x, neck_base):
    """The skin's top (cm) in the plane x (left side), as shoulder_slope finds it."""
    pieces = mh.slice_stack(verts[:, [1, 2, 0]], mh.skin_triangles(), [x])[0]
    z = np.concatenate(pieces)[:, 1]
    return float(z[(z > neck_base - 15.0) & (z < neck_base + 3.0)].max())


@pytest.mark.parametrize(("preset", "size"), [("female", "M"), ("female", "XXL"), ("male", "M")])
def test_the_shown_mannequin_takes_a_given_shoulder_slope(preset, size):
    """A user's shoulder slope (square 2 cm, sloping 8 cm) is what the shown mannequin measures (within
    0.5 cm, the way the size's default is measured): it kept its own (female M 4.8, XXL 7.8, male M
    5.0) whatever was asked, and the garment drafted for 2 or 8 cm hung on a body of 4.8. The neck
    stays, the arm's joint moves with the shoulder, the girths stay within 2 %."""
    meta = {"body_preset": preset}
    default = mh.human_for_body(body_for_spec(make_spec({"garment_type": "shirt", "size": size, "metadata": meta})))
    for slope in (2.0, 8.0):
        spec = make_spec({"garment_type": "shirt", "size": size, "metadata": meta,
                          "measurements": {"shoulder_slope": slope}})
        body = body_for_spec(spec)
        h = mh.human_for_body(body)
        m = body.measurements
        assert mh.body_slope(h.verts, m, body.landmarks) == pytest.approx(slope, abs=0.5)
        assert max(abs(e) for e in h.errors().values()) < 0.02
        nb, neck_x = body.landmarks["neck_base"], side_neck_x(m["neck"], m["shoulder_width"])
        assert _top(h.verts, neck_x, nb) == pytest.approx(_top(default.verts, neck_x, nb), abs=0.5)
        change = mh.body_slope(default.verts, m, body.landmarks) - slope
        joint = h.joints["mixamorig:LeftArm"][0][2] - default.joints["mixamorig:LeftArm"][0][2]
        if abs(change) > mh.SLOPE_TOLERANCE:  # the arm goes up or down with its shoulder
            assert 0.7 * abs(change) < joint * np.sign(change) < 2.0 * abs(change), (slope, joint)


def test_a_default_shoulder_slope_leaves_the_body_as_it_was():
    """The size's own slope (spec.SHOULDER_SLOPE, within SLOPE_TOLERANCE of the body's) builds the body
    built with no slope at all, vertex for vertex (to the cache key's rounding)."""
    from garment_addon.core.body.mannequin import PRESETS

    for preset in ("female", "male"):
        for size in ("XS", "L", "XXL"):
            spec = make_spec({"garment_type": "shirt", "size": size, "metadata": {"body_preset": preset}})
            body = body_for_spec(spec)
            m = dict(body.measurements)
            m.pop("shoulder_slope")
            reach = (np.array(body.points["shoulder_left"]), m["arm_length"])
            without = mh.build_human(m, body.landmarks, preset, PRESETS[preset]["arm_angle"], reach=reach)
            assert np.allclose(mh.human_for_body(body).verts, without.verts, atol=1e-4), (preset, size)  # keys rounded


def test_a_square_shoulder_is_smooth_from_neck_to_shoulder_point():
    """At 2 cm (female M) the shoulder's top still falls from the side-neck point to the shoulder point
    without a step or a ridge (1 cm steps: never rising more than 0.3 cm, never falling more than
    2 cm: the natural round-off's steepest)."""
    spec = make_spec({"garment_type": "shirt", "size": "M", "measurements": {"shoulder_slope": 2.0}})
    body = body_for_spec(spec)
    h = mh.human_for_body(body)
    nb = body.landmarks["neck_base"]
    xs = np.arange(spec.m["neckline_width"], spec.m["shoulder_width"] / 2 + 0.01, 1.0)
    tops = np.array([_top(h.verts, x, nb) for x in xs])
    steps = np.diff(tops)
    assert steps.max() < 0.3 and steps.min() > -2.0, np.round(tops - tops[0], 2)


@pytest.mark.parametrize("size", ["S", "M", "XXL"])
def test_bridged_bust_fills_the_cleavage_in_front_only(size):
    """The drape's collider (surface.BodySurface.bridged_bust): the skin's centre front at the bust
    line lies near the straight line between the apices (0.32 / 0.24 / 0.00 cm behind it at S / M / XXL;
    the shown skin 2.1 / 3.6 / 6.2), nothing moves back or outside the bust's band, the back and
    sides stay, and no point moves more than the hollow was deep."""
    from garment_addon.core.assembly.quality import cleavage_depth
    from garment_addon.core.body.surface import BUST_FILL_ABOVE, BUST_FILL_BELOW

    spec = make_spec({"garment_type": "shirt", "size": size})
    body = body_for_spec(spec)
    h = mh.attach_human(body)
    v, tris = h.verts[: mh.load_asset().eye_first], mh.skin_triangles()
    bust = body.landmarks["bust"]
    out = body.surface.bridged_bust(v, bust)
    assert cleavage_depth(v, tris, bust) > 1.5
    assert abs(cleavage_depth(out, tris, bust)) < 0.4
    move = out - v
    moved = np.linalg.norm(move, axis=1) > 1e-9
    assert not move[:, 2].any() and (move[:, 1] <= 1e-9).all()  # out to the front, level
    z = v[moved, 2] - bust
    assert z.min() > -BUST_FILL_BELOW and z.max() < BUST_FILL_ABOVE
    assert (v[moved, 1] < np.interp(v[moved, 2], body.outline_z, body.outline_cy)).all()  # the front
    assert np.linalg.norm(move, axis=1).max() < 1.1 * cleavage_depth(v, tris, bust) + 0.5


@pytest.mark.parametrize("size, preset", [("S", "female"), ("M", "female"), ("XXL", "female"), ("M", "male")])
def test_bridged_seat_fills_the_cleft_between_the_buttocks_in_the_back_only(size, preset):
    """The drape's collider (surface.BodySurface.bridged_seat): from 5 cm over the crotch (eased in from
    the torso sections' lowest, 2 cm over it) to 5 cm over the hip the skin's centre back lies near the
    straight line between the buttocks (the most 0.46 / 0.55 / 0.34 / 0.51 cm in front of it at female S /
    M / XXL, male M; the shown skin 3.6 / 3.5 / 3.3 / 3.8), moved back and level only, behind the body's
    centre, under the waist, never further than the cleft was deep; BodySurface.bridged is the bust
    bridged, then the seat."""
    from garment_addon.core.assembly.quality import cleavage_depth

    body, h = _human(size, preset)
    mh.attach_human(body, h)
    v, tris = h.verts[: mh.load_asset().eye_first], mh.skin_triangles()
    lm = body.landmarks
    out = body.surface.bridged_seat(v, lm["waist"])
    zs = np.arange(lm["crotch"] + 5.0, lm["hip"] + 5.0, 1.0)
    deep = max(cleavage_depth(v, tris, z, back=True) for z in zs)
    assert deep > 3.0
    assert max(abs(cleavage_depth(out, tris, z, back=True)) for z in zs) < 0.6
    move = out - v
    moved = np.linalg.norm(move, axis=1) > 1e-9
    assert not move[:, 2].any() and (move[:, 1] >= -1e-9).all()  # out to the back, level
    assert v[moved, 2].min() > lm["crotch"] + 2.0 - 1e-6 and v[moved, 2].max() < lm["waist"]
    assert (v[moved, 1] > np.interp(v[moved, 2], body.outline_z, body.outline_cy)).all()  # the back
    assert np.linalg.norm(move, axis=1).max() < deep + 0.5
    assert np.allclose(body.surface.bridged(v, lm), body.surface.bridged_seat(body.surface.bridged_bust(v, lm["bust"]),
                                                                              lm["waist"]))


def test_bridged_bust_leaves_a_mans_chest_near_as_it_is():
    """On the male body it fills the groove over the breastbone: size L's skin 1.3 cm behind the line
    between the chest's most forward points at the bust line, 0.1 filled; no point moved over 1.4 cm."""
    body, h = _human("L", "male")
    mh.attach_human(body, h)
    v = h.verts[: mh.load_asset().eye_first]
    assert np.linalg.norm(body.surface.bridged_bust(v, body.landmarks["bust"]) - v, axis=1).max() < 2.0
