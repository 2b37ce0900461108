"""Overalls: a jumpsuit whose bodice is cut down to a bib and a low back on straps (features.has_bib)."""

import numpy as np
import pytest

from garment_addon.core.language import parse_text
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.pattern.drafting.bodice import STRAP_WIDTH
from garment_addon.core.pattern.measure import finished_girths
from garment_addon.core.spec import SIZES, make_spec


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


def test_a_bibs_centre_front_is_sewn_and_the_fly_opens():
    pattern = draft_pattern(make_spec({"garment_type": "overalls"}))
    openings = {(s.a.piece, s.b.piece) for s in pattern.seams if s.closure}
    assert ("right_front", "left_front") not in openings and ("left_front", "right_front") not in openings
    assert ("right_front_leg", "left_front_leg") in openings  # the fly
    for name in ("left_front", "right_front"):
        assert not [m for m in pattern.piece(name).markings if m["kind"] == "zip"]


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
    none, the hems hung 5 cm below the feet and folded through themselves there: 19 crossings)."""
    bpy = pytest.importorskip("bpy")
    from garment_addon.blender import pipeline as pl

    bpy.ops.wm.read_factory_settings(use_empty=True)
    r = pl.build_scene(draft_pattern(make_spec({"garment_type": "overalls", "size": "XXL"})), "drape")
    v, _ = pl._mesh_arrays(r.garment)
    assert v[:, 2].min() > -0.3 and v[:, 2].min() < 3.0  # down to the floor, not through it
    assert r.metrics["self_crossings"] <= 2  # a fold where the hem stacks on the foot at most (was 19)
    assert not [o for o in bpy.data.objects if o.name.startswith("GS_Floor")]  # removed after the drape
