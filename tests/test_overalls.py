"""Overalls: a jumpsuit whose bodice is cut down to a bib and a low back on straps (features.has_bib)."""

import numpy as np
import pytest
from shapely.geometry import Point, Polygon

from garment_addon.core.language import parse_text
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.pattern.drafting.bodice import STRAP_WIDTH
from garment_addon.core.pattern.measure import finished_girths
from garment_addon.core.spec import SIZES, make_spec

from .test_drafting import check_pattern


def _edge(piece, name):
    return piece.edge_points(name)


def _width_at(outline: np.ndarray, y: float) -> float:
    """How much of the horizontal line at height y lies inside the piece (cm): the straps' widths
    alone above a low back."""
    xs = []
    for a, b in zip(outline, np.roll(outline, -1, axis=0), strict=True):
        if (a[1] - y) * (b[1] - y) < 0:
            xs.append(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
    xs = sorted(xs)
    return float(sum(b - a for a, b in zip(xs[::2], xs[1::2], strict=True)))


def test_overalls_and_dungarees_are_jumpsuits_with_a_bib_and_no_sleeves():
    for word in ("overalls", "dungarees"):
        spec = make_spec({"garment_type": word})
        assert spec.garment_type == "jumpsuit" and spec.features["has_bib"]
        assert spec.m["sleeve_length"] == 0.0 and not spec.features["has_collar"]
    # a bib is a jumpsuit's: elsewhere the feature is off, and a bib drops sleeves asked for
    assert not make_spec({"garment_type": "dress", "features": {"has_bib": True}}).features["has_bib"]
    spec = make_spec({"garment_type": "jumpsuit", "measurements": {"sleeve_length": 20},
                      "features": {"has_bib": True, "has_hood": True}})
    assert spec.m["sleeve_length"] == 0.0 and not spec.features["has_hood"]
    said = parse_text("a jumpsuit with a bib")
    assert said.garment_type == "jumpsuit" and said.features["has_bib"] and said.m["sleeve_length"] == 0.0


def test_overalls_and_cardigans_are_called_so_on_the_sheet_and_the_pieces():
    """The pattern sheet's title and every piece's label name the style asked for, not the type it
    is drafted as (overalls were printed "jumpsuit", a cardigan "jacket")."""
    from garment_addon.core.export.layout import title_lines

    for spec, word in (({"garment_type": "dungarees", "size": "L"}, "overalls"),
                       ({"garment_type": "cardigan"}, "cardigan"), ({"garment_type": "jumpsuit"}, "jumpsuit")):
        pattern = draft_pattern(make_spec(spec))
        assert title_lines(pattern)[0].startswith(f"{word} - size")
        for pc in [*pattern.pieces, *pattern.construction]:
            assert any(line.startswith(f"{word} size") for line in pc.label), (pc.name, pc.label)


@pytest.mark.parametrize("size", SIZES)
def test_a_bib_is_cut_down_from_the_bodice_and_hangs_on_straps(size):
    plain = draft_pattern(make_spec({"garment_type": "jumpsuit", "size": size,
                                     "measurements": {"sleeve_length": 0}, "features": {"fit": "loose"}}))
    bib = draft_pattern(make_spec({"garment_type": "overalls", "size": size}))
    names = {p.name for p in bib.pieces}
    assert not any("sleeve" in n or "collar" in n for n in names)
    front, back = bib.piece("left_front"), bib.piece("back_bodice")
    # straps: 4 cm shoulder seams, front and back sewn 1:1
    for p in (front, back):
        seam = _edge(p, "shoulder_left")
        assert np.linalg.norm(seam[-1] - seam[0]) == pytest.approx(STRAP_WIDTH, abs=0.05)
    # the bib: level across its top, much narrower there than the plain front at that height;
    # the back lower still
    top = front.landmarks["bib_top"][1]
    neck = _edge(front, "neckline_left")
    assert np.isclose(neck[:, 1], top).sum() >= 2
    plain_front = plain.piece("left_front")
    assert _width_at(front.outline, top - 1.0) < 0.7 * _width_at(plain_front.outline, top - 1.0)
    assert _width_at(back.outline, top - 1.0) < 0.35 * _width_at(plain.piece("back_bodice").outline, top - 1.0)
    back_top = _edge(back, "neckline_left")[:, 1].min()
    assert back_top < top - 5.0
    # below a bib the band and the trousers' waist are a trouser's, not a loose bodice's (were 18 cm over)
    spec = make_spec({"garment_type": "overalls", "size": size})
    assert finished_girths(bib)["waist"] - spec.m["waist"] < 8.0
    # the bib covers the bust: its top at about the armpits, 14-24 cm above the band, 12 below the side neck
    assert 14.0 < top < 24.0 and top < front.landmarks["hps"][1] - 12.0


@pytest.mark.parametrize("size", SIZES)
def test_overalls_open_at_buttoned_sides_wide_enough_to_step_into(size):
    """The bib is whole (sewn down the centre front, no zip), so overalls open at the sides: a front and
    a back band buttoned at the side seams, the bib's sides open above them and the legs' below, far
    enough that the waist, open at both sides, passes the hips. (The bib had been sewn over a fly and a
    closed band: size M's waist could open to no more than its 77 cm, round 98 cm hips.)"""
    spec = make_spec({"garment_type": "overalls", "size": size})
    pattern = draft_pattern(spec)
    check_pattern(pattern, spec)
    assert not pattern.metadata.get("warnings")
    opens = {(s.a.piece, s.a.edge, s.b.piece, s.b.edge): s.closure for s in pattern.seams if s.closure}
    assert not any(c["type"] == "zip" for c in opens.values())  # no fly, nothing down the front
    assert all(m["kind"] != "zip" for pc in pattern.pieces for m in pc.markings)
    bands = {pc.name: pc for pc in pattern.pieces if pc.name.endswith("waist_band")}
    assert set(bands) == {"front_waist_band", "back_waist_band"}
    sides = [k for k in opens if {k[0], k[2]} == set(bands)]
    bib_sides = [k for k in opens if k[0].endswith("_front") and k[1].startswith("side_")]
    leg_sides = [k for k in opens if k[0].endswith("front_leg") and k[1] == "side"]
    assert len(sides) == len(bib_sides) == len(leg_sides) == 2
    for k in sides + bib_sides:  # open all along
        assert opens[k]["type"] == "buttons"
        assert opens[k]["length_cm"] == pytest.approx(pattern.piece(k[0]).edge_length(k[1]), abs=0.01)
    below = [opens[k]["length_cm"] for k in leg_sides]
    # the waist's loop, opened at both sides (each cm below the waist adds two, at each side)
    loop = sum(pc.edge_length(e) for pc in bands.values() for e in pc.edges if e.name.startswith("to_")
               and e.name.endswith(("_waist", "_waist_side"))) + 2 * sum(below)
    assert loop >= spec.m["hip"] + 4.0
    assert min(below) >= 15.0
    # each opening buttoned (a buttonhole in the front, its button on the back), each strap's buckle on a button
    kinds = [(pc.name, m["kind"]) for pc in pattern.pieces for m in pc.markings
             if m["kind"] in ("button", "buttonhole")]
    assert kinds.count(("front_waist_band", "buttonhole")) == kinds.count(("back_waist_band", "button")) == 2
    for s in ("left", "right"):
        assert kinds.count((f"{s}_front_leg", "buttonhole")) == kinds.count((f"{s}_back_leg", "button")) == 1
        assert kinds.count((f"{s}_front", "button")) == 1
        assert opens[(f"{s}_front", f"shoulder_{s}", "back_bodice", f"shoulder_{s}")]["type"] == "buckle"
    # every button lies inside its piece, 1-4 cm in from the edge
    for pc in pattern.pieces:
        ring = Polygon(pc.outline)
        for m in pc.markings:
            if m["kind"] in ("button", "buttonhole"):
                for q in m["points"]:
                    assert ring.contains(Point(q)) and 0.3 < ring.exterior.distance(Point(q)) < 4.0, (pc.name, m)


@pytest.mark.parametrize("size", SIZES)
def test_leg_pockets_grade_with_the_leg_and_keep_off_the_side_seam(size):
    """A front-leg patch pocket grades with the hip (size M's 15 cm, half a cm a size); at 15 cm on XS's
    narrow leg it reached 3.7 cm from the side seam, round the hip's curve, and crossed the leg there
    when wrapped (6 edges)."""
    from garment_addon.core.assembly.quality import self_crossings

    from .test_mesh_wrap import _on_shown_body, _welded

    spec, pattern, _, mesh, pos = _on_shown_body({"garment_type": "overalls", "size": size}, 1.5)  # the wrap's mesh
    leg = pattern.piece("right_front_leg")
    pocket = np.array(next(m["points"] for m in leg.markings if m["kind"] == "pocket"))
    side = leg.edge_points("side")
    side_x = np.interp(pocket[:, 1].max(), *side[np.argsort(side[:, 1])].T[::-1])
    assert abs(pocket[:, 0].min() - side_x) >= 4.0
    width = np.ptp(pattern.piece("right_pocket").outline[:, 0])
    assert width == pytest.approx(min(15.0 + (spec.m["hip"] - 98.0) / 12.0, 16.0), abs=0.05)  # M 15, 0.5 a size
    assert self_crossings(pos, _welded(mesh, mesh.faces)) == 0


@pytest.mark.blender
@pytest.mark.slow
def test_overalls_straps_stay_on_the_shoulders_in_the_drape():
    """Draped (in denim, the overalls' own), the straps stay on the shoulders where the wrap laid them
    (cut straight up from the bib and the back, in cotton, they slid off onto the upper arms: the left
    strap's top 7.6 cm out and down; leaning in but free, denim slid them 3.6 cm out and XXL's 6 cm),
    the bib's top stays up at the chest, and the garment neither crosses itself nor enters the body."""
    bpy = pytest.importorskip("bpy")
    from garment_addon.blender import pipeline as pl

    bpy.ops.wm.read_factory_settings(use_empty=True)
    pattern = draft_pattern(make_spec({"garment_type": "overalls"}))
    tops = {}
    for method in ("wrap", "drape"):
        r = pl.build_scene(pattern, method)
        v, _ = pl._mesh_arrays(r.garment)
        me = r.garment.data
        mat = np.zeros(len(me.polygons), int)
        me.polygons.foreach_get("material_index", mat)
        k = [e["piece"] for e in r.legend].index("left_front")
        front = v[np.unique([i for p, m in zip(me.polygons, mat, strict=True) if m == k for i in p.vertices])]
        tops[method] = front[front[:, 2] > front[:, 2].max() - 1.0].mean(axis=0)
        bib = front[(np.abs(front[:, 0]) < 5.0) & (front[:, 2] > front[:, 2].max() - 25.0)]
    shoulder = r.body_model.landmarks["shoulder"]
    assert tops["drape"][2] > shoulder + 1.0
    assert abs(tops["drape"][0]) < abs(tops["wrap"][0]) + 3.0
    assert r.metrics["self_crossings"] == 0 and r.metrics["inside_fraction"] <= 0.003
    assert bib[:, 2].max() - r.body_model.landmarks["waist"] > 15.0  # the bib's top stays up at the chest


@pytest.mark.blender
@pytest.mark.slow
def test_full_length_legs_rest_on_the_floor_not_through_it():
    """The drape has a floor at the soles: loose overalls XXL, whose legs reach it, stand on it (with
    none, the hems hung 5 cm below the feet and folded through themselves there: 19 crossings), and
    nothing after the drape pushes the cloth through it (clearing the body lifted a hem folded over
    the foot along its down-turned normals, 4 cm under the floor)."""
    bpy = pytest.importorskip("bpy")
    from garment_addon.blender import pipeline as pl

    bpy.ops.wm.read_factory_settings(use_empty=True)
    r = pl.build_scene(draft_pattern(make_spec({"garment_type": "overalls", "size": "XXL"})), "drape")
    v, _ = pl._mesh_arrays(r.garment)
    assert v[:, 2].min() > -0.3 and v[:, 2].min() < 3.0  # down to the floor, not through it
    assert r.metrics["self_crossings"] <= 2  # a fold where the hem stacks on the foot at most (was 19)
    assert not [o for o in bpy.data.objects if o.name.startswith("GS_Floor")]  # removed after the drape


def _strap_run(pattern) -> float:
    """The strap's length from the bib's top over the shoulder seam to the low back's top (cm): from the
    middle of each top's strap end to the middle of the shoulder seam, front plus back."""
    total = 0.0
    for name in ("left_front", "back_bodice"):
        pc = pattern.piece(name)
        seam = _edge(pc, "shoulder_left")
        neck = _edge(pc, "neckline_left")
        top = neck[:, 1].min()
        inner = neck[np.isclose(neck[:, 1], top)][:, 0]
        inner = inner[np.argmax(np.abs(inner))]  # the top's end under the strap's inner edge
        arm = _edge(pc, "armhole_left")
        corner = arm[np.isclose(arm[:, 1], top)][0]  # the top's outer corner, under the strap's outer edge
        total += float(np.linalg.norm(seam.mean(axis=0) - ((inner + corner[0]) / 2, top)))
    return total


@pytest.mark.parametrize("size", ["XS", "M", "XXL"])
def test_the_straps_follow_the_shoulder_slope(size):
    """The straps run over the wearer's shoulder line (measurements.shoulder_slope), as every bodice's
    shoulder does: a sloping shoulder lies lower under the strap (0.4 of the way along it from the side
    neck), so the strap from the bib's top to the back's is shorter, a square one's longer, and the
    shoulder seam lies at the shoulder's angle. (They were drafted on a fixed 4.5 cm slope: the same
    strap for a 2 cm and an 8 cm slope.)"""
    runs, seams = {}, {}
    for slope in (2.0, 8.0):
        spec = make_spec({"garment_type": "overalls", "size": size, "measurements": {"shoulder_slope": slope}})
        pattern = draft_pattern(spec)
        check_pattern(pattern, spec)
        runs[slope] = _strap_run(pattern)
        seam = _edge(pattern.piece("left_front"), "shoulder_left")
        front = pattern.piece("left_front")
        seams[slope] = seam
        # the seam lies along the shoulder line, side neck to shoulder point
        hps, sp = front.landmarks["hps"], front.landmarks["shoulder_point"]
        line = np.array([abs(sp[0]) - spec.m["neckline_width"], sp[1] - hps[1]])
        d = seam[0] - seam[-1]
        assert np.cross(line / np.linalg.norm(line), d / np.linalg.norm(d)) == pytest.approx(0.0, abs=1e-6)
        assert line[1] == pytest.approx(-slope, abs=1e-6)
    # 0.4 of the way along the shoulder, front and back: 2 x 0.4 x 6 cm = 4.8 cm shorter on the steeper
    assert runs[2.0] - runs[8.0] == pytest.approx(2 * 0.4 * 6.0, abs=0.5)
    # the default follows the shown mannequin's measured slope, not a fixed 4.5 cm
    spec = make_spec({"garment_type": "overalls", "size": size})
    fixed = make_spec({"garment_type": "overalls", "size": size, "measurements": {"shoulder_slope": 4.5}})
    gap = (_strap_run(draft_pattern(fixed)) - _strap_run(draft_pattern(spec)))
    assert gap == pytest.approx(0.8 * (spec.m["shoulder_slope"] - 4.5), abs=0.3)


@pytest.mark.parametrize("size", SIZES)
def test_the_bib_has_a_patch_pocket_inside_it_with_a_pencil_division(size):
    """A bib carries a patch pocket on the wearer's left half, drafted from the half's size (graded with
    it), inside the bib with its folded allowance clear of the topstitching 1 cm in from the bib's
    edges and its centre front seam, under the faced top (the buckles' buttons above it), a pencil
    division stitched down it; wrapped, it lies on the bib where drawn, level, nothing crossing."""
    from garment_addon.core.assembly.level import front_level
    from garment_addon.core.assembly.quality import self_crossings
    from garment_addon.core.assembly.wrap import PATCH_GAP

    from .test_mesh_wrap import _on_shown_body, _welded

    spec, pattern, _, mesh, pos = _on_shown_body({"garment_type": "overalls", "size": size}, 1.5)
    check_pattern(pattern, spec)
    pocket, bib = pattern.piece("bib_pocket"), pattern.piece("left_front")
    assert pocket.placement["attach_to"] == "left_front"
    drawn = np.array(next(m["points"] for m in bib.markings if m["kind"] == "pocket"))
    finished = Polygon(drawn)
    allowance = max(e.allowance for e in pocket.edges if e.role == "face")
    assert Polygon(bib.outline).exterior.distance(finished) >= 1.0 + allowance  # clear of the topstitching
    assert Polygon(bib.outline).contains(finished)
    facing = next(c for c in pattern.construction if c.name == "bib_facing")
    assert drawn[:, 1].max() < facing.outline[:, 1].min() - 1.0  # under the bib's faced top
    for m in bib.markings:
        if m["kind"] in ("button", "buttonhole"):
            assert all(finished.exterior.distance(Point(q)) > allowance + 1.0 for q in m["points"])
    # as wide as the half leaves room for, not a fixed size: two thirds or more of the bib's top
    half = abs(bib.landmarks["bib_top"][0]) + STRAP_WIDTH
    w, h = np.ptp(pocket.outline, axis=0)
    assert 0.6 * half < w < half - 2 * (1.0 + allowance) and 1.0 < h / w < 1.3
    division = next(m for m in pocket.markings if m["kind"] == "stitch")
    xs, ys = np.array(division["points"]).T
    assert np.ptp(xs) == 0.0 and np.ptp(ys) == pytest.approx(h) and 2.0 <= w / 2 - abs(xs[0]) <= 3.0
    # wrapped: on the bib where drawn, level, and nothing crosses (the wrap lays pockets on their host)
    i = mesh.index("left_front")
    k = np.argmin(np.linalg.norm(mesh.pieces[i].verts - pocket.placement["at"], axis=1))
    centre = pos[mesh.piece_of == mesh.index("bib_pocket")].mean(axis=0)
    assert np.linalg.norm(centre - pos[mesh.offsets[i] + k]) < 2.0 + PATCH_GAP
    assert front_level(pattern, mesh, pos)["pocket_tilt"] < 0.3
    assert self_crossings(pos, _welded(mesh, mesh.faces)) == 0


def test_bib_pockets_grade_with_the_bib():
    """The bib pocket widens with the bib, size by size; without pockets there is none."""
    patterns = [draft_pattern(make_spec({"garment_type": "overalls", "size": s})) for s in SIZES]
    widths = [np.ptp(p.piece("bib_pocket").outline[:, 0]) for p in patterns]
    assert np.all(np.diff(widths) > 0.3) and widths[0] > 8.0
    plain = draft_pattern(make_spec({"garment_type": "overalls", "features": {"has_pockets": False}}))
    assert not any("pocket" in p.name for p in plain.pieces)


def test_a_pocket_on_one_of_a_printed_mirror_pair_says_which_piece_takes_it():
    """The fronts print once, cut as a mirror pair: the bib pocket's placement on it says it is the
    left front's only; the leg pockets, one on each leg, say nothing more."""
    p = draft_pattern(make_spec({"garment_type": "overalls"}))
    texts = {q.name: [m["text"] for m in q.markings if m["kind"] == "pocket"] for q in p.pieces}
    assert texts["left_front"] == ["Bib pocket: left front only"] and texts["right_front"] == []
    assert texts["left_front_leg"] == ["Left pocket"] and texts["right_front_leg"] == ["Right pocket"]
