"""A shirt's buttoned cuff (core/pattern/drafting/cuff.py): a cuff band drafted to the wrist with
ease and a button overlap, the sleeve opened by a bound placket slit and pleated into the cuff, the
sleeve cut longer to blouse over it; held at the wrist in the wrap."""

import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon

from garment_addon.core.assembly.breaks import limb_breaks
from garment_addon.core.assembly.quality import crossing_edges
from garment_addon.core.assembly.wrap import assembly_metrics
from garment_addon.core.pattern import Pattern, draft_pattern
from garment_addon.core.spec import FITS, make_spec

from .test_drafting import check_pattern, pleats_on
from .test_mesh_wrap import _welded, _wrapped

CUFFED = {"has_cuffs": True, "has_collar": True}  # a button-down


def _shirt(size="M", fit="regular", **m):
    spec = make_spec({"garment_type": "shirt", "size": size, "measurements": m, "features": {**CUFFED, "fit": fit}})
    return spec, draft_pattern(spec)


def _hem(sleeve) -> float:
    return sum(sleeve.edge_length(e) for e in sleeve.edges if e.name in ("hem", "hem_back"))


@pytest.mark.parametrize("size", ("XS", "M", "XXL"))
@pytest.mark.parametrize("fit", FITS)
def test_the_cuff_is_the_wrist_plus_ease_plus_a_button_overlap(size, fit):
    spec, p = _shirt(size, fit)
    check_pattern(p, spec)
    wrist = spec.m["wrist"]
    for side in ("left", "right"):
        c = p.piece(f"{side}_cuff")
        sewn = sum(c.edge_length(e) for e in c.edges if e.name.startswith("to_"))
        assert sewn == pytest.approx(wrist + 3.0, abs=0.01)  # round the wrist with a finger's room
        assert c.edge_length("extension") == pytest.approx(2.5)
        assert np.ptp(c.outline[:, 0]) == pytest.approx(wrist + 3.0 + 2.5, abs=0.01)  # cut length
        assert np.ptp(c.outline[:, 1]) == pytest.approx(spec.m["cuff_height"])
        assert {e.role for e in c.edges if e.name in ("start", "end", "extension")} == {"opening"}
        kinds = [mk["kind"] for mk in c.markings]
        assert kinds.count("button") == 1 and kinds.count("buttonhole") == 1 and "fold" in kinds
        button = np.asarray(next(mk for mk in c.markings if mk["kind"] == "button")["points"][0])
        hole = np.asarray(next(mk for mk in c.markings if mk["kind"] == "buttonhole")["points"])
        # buttoned, the buttonhole end laps the underlap: the hole over the button, 0.3 cm past it
        start = c.outline[:, 0].min() if side == "left" else c.outline[:, 0].max()
        end = c.outline[:, 0].max() if side == "left" else c.outline[:, 0].min()
        assert abs(button[0] - end) == pytest.approx(1.25) and abs(hole[0, 0] - start) == pytest.approx(0.95)
        assert "interfacing" in c.material
    assert p.piece("left_cuff").cut_group == p.piece("right_cuff").cut_group  # one pattern piece, cut as a pair


@pytest.mark.parametrize("size", ("XS", "M", "XXL"))
@pytest.mark.parametrize("fit", FITS)
def test_the_sleeve_hem_less_its_pleats_is_the_cuff_seam(size, fit):
    spec, p = _shirt(size, fit)
    for side in ("left", "right"):
        sleeve, c = p.piece(f"{side}_sleeve"), p.piece(f"{side}_cuff")
        pleats = pleats_on(sleeve, "hem")
        intake = sum(abs(b - a) for a, b in pleats)
        assert 1 <= len(pleats) <= 3 and all(2.5 <= abs(b - a) <= 4.5 for a, b in pleats)
        seams = {s.b.edge: s for s in p.seams if s.a.piece == c.name}
        assert set(seams) == {"hem", "hem_back"}
        for edge, s in seams.items():
            la, lb = p.seam_lengths(s)
            assert lb - la == pytest.approx(intake if edge == "hem" else 0.0, abs=0.01)
            assert s.ease_cm == pytest.approx(lb - la, abs=0.01) and s.reversed
        assert _hem(sleeve) - intake == pytest.approx(spec.m["wrist"] + 3.0, abs=0.01)
        # every pleat lies on the hem between the slit and the front underarm seam, 2 cm clear of it,
        # and folds toward the slit (the line folded is the one further from it)
        hem = sleeve.edge_points("hem")
        slit = np.asarray(next(mk for mk in sleeve.markings if mk["kind"] == "slit")["points"])
        line = LineString(hem)
        at_slit = line.project(Point(slit[0]))
        for a, b in pleats:
            assert abs(a - at_slit) > abs(b - at_slit)
            assert min(a, b, line.length - a, line.length - b) >= 2.0 - 1e-6 or at_slit in (0.0, line.length)
        # each pleat line notched on the hem
        marks = sorted(n["distance"] for n in sleeve.notches if n["edge"] == "hem")
        assert len(marks) == 2 * len(pleats)


@pytest.mark.parametrize("size", ("XS", "M", "XXL"))
def test_the_sleeve_opens_at_a_bound_placket_so_the_hand_passes(size):
    spec, p = _shirt(size)
    wrist = spec.m["wrist"]
    for side in ("left", "right"):
        sleeve = p.piece(f"{side}_sleeve")
        slits = [mk for mk in sleeve.markings if mk["kind"] == "slit"]
        assert len(slits) == 1
        pts = np.asarray(slits[0]["points"])
        assert np.ptp(pts[:, 1]) == pytest.approx(10.0) and pts[:, 1].min() == pytest.approx(0.0)
        assert np.ptp(pts[:, 0]) == pytest.approx(0.0)  # up the grain
        # on the hem where it is split, in the back half: between the sleeve's centre and the back seam
        foot = pts[pts[:, 1].argmin()]
        ends = [q for e in ("hem", "hem_back") for q in sleeve.edge_points(e)[[0, -1]]]
        assert sum(np.allclose(q, foot) for q in ends) == 2  # where hem and hem_back meet
        centre = sleeve.landmarks["hem_center"][0]
        back = sleeve.landmarks["underarm_back"][0]
        assert min(centre, back) < foot[0] < max(centre, back)
        # opened, the sleeve at the slit's top goes round the hand (wrist + 6 cm)
        top = pts[:, 1].max()
        ring = Polygon(sleeve.outline)
        width = ring.intersection(LineString([(-100, top), (100, top)])).length
        assert width >= wrist + 6.0
        assert any(mk["kind"] == "drill" and mk["points"][0][1] > top for mk in sleeve.markings)
    binding = next(pc for pc in p.construction if pc.name.endswith("placket_binding"))
    assert np.ptp(binding.outline[:, 0]) == pytest.approx(2 * 10.0)  # both sides of the slit, spread
    assert np.ptp(binding.outline[:, 1]) == pytest.approx(2 * 1.0)  # folded over the slit, 1 cm each side
    assert binding.cut_count == 2 or any("cut 2" in s for s in binding.label)


def test_the_sleeve_is_cut_longer_to_blouse_over_the_cuff():
    spec, p = _shirt()
    # the same length (a plain sleeve's default reaches further, onto the hand: spec.HAND_REST)
    plain = draft_pattern(make_spec({"garment_type": "shirt", "features": {"has_cuffs": False},
                                     "measurements": {"sleeve_length": spec.m["sleeve_length"]}}))
    def down_the_middle(pattern):
        lm = pattern.piece("left_sleeve").landmarks
        return lm["cap_top"][1] - lm["hem_center"][1]

    assert down_the_middle(p) == pytest.approx(down_the_middle(plain) - spec.m["cuff_height"] + 3.0, abs=0.01)


def test_pleat_markings_survive_the_json_round_trip_and_print():
    from garment_addon.core.export.layout import build_sheet

    _, p = _shirt()
    again = Pattern.from_dict(p.to_dict())
    assert [mk for mk in again.piece("left_sleeve").markings if mk["kind"] == "pleat"]
    sheet = build_sheet(p)
    name = next(pl.piece.name for pl in sheet.placed if "left_sleeve" in pl.members)
    texts = " ".join(q.text for q in sheet.prims if q.piece == name and q.text)
    assert "pleat" in texts and "placket" in texts
    lines = [q for q in sheet.prims if q.piece == name and q.layer == "marking" and not q.text]
    pleats = len(pleats_on(p.piece(name), "hem"))
    assert len(lines) >= 4 * pleats + 1  # two lines and an arrow (shaft, head) per pleat; the slit


@pytest.mark.parametrize("spec,buttoned", [
    ({"garment_type": "shirt", "features": {"has_cuffs": True}}, True),  # a pull-on blouse too
    ({"garment_type": "dress", "measurements": {"sleeve_length": 58}, "features": {"has_cuffs": True}}, True),
    ({"garment_type": "shirt", "measurements": {"sleeve_length": 20}, "features": {"has_cuffs": True}}, False),
    ({"garment_type": "shirt", "features": {"has_cuffs": True, "fabric": "knit"}}, False),  # a rib cuff
    ({"garment_type": "jacket", "features": {"has_cuffs": True}}, False),
])
def test_which_cuffs_button(spec, buttoned):
    p = draft_pattern(make_spec(spec))
    c = p.piece("left_cuff")
    assert any(e.role == "opening" for e in c.edges) == buttoned
    assert any(mk["kind"] == "slit" for mk in p.piece("left_sleeve").markings) == buttoned


def test_a_buttoned_cuff_sits_at_the_wrist_and_the_sleeve_blouses_above_it():
    """Wrapped, the cuff's folded edge ends at the wrist (buttoned, it cannot pass the hand), the sleeve
    cut longer above it taken up along the arm, sewn and out of the body, crossing nothing."""
    pattern, body, mesh, pos = _wrapped({"garment_type": "shirt", "features": {"has_cuffs": True}})
    for side in ("left", "right"):
        tube = body.arms[side]
        c = pos[mesh.piece_of == mesh.index(f"{side}_cuff")]
        t = (c - tube.p0) @ tube.d
        assert t.max() == pytest.approx(tube.t[5], abs=0.05)
    m = assembly_metrics(mesh, pos, body, pattern)
    assert m["max_seam_gap_cm"] < 1e-6 and m["inside_fraction"] == 0
    assert limb_breaks(pattern, mesh, pos)["sleeve_break"] >= 1.03
    edges, _ = crossing_edges(pos, _welded(mesh, mesh.faces))
    on_cuff = np.isin(mesh.piece_of[edges], [mesh.index("left_cuff"), mesh.index("right_cuff")]).any(axis=1)
    assert not on_cuff.any()


@pytest.mark.blender
def test_a_buttoned_cuffs_extension_drapes_over_its_other_end_not_through_it():
    """A buttoned cuff's two ends are both sewn to the one vertex at the foot of the sleeve's slit, so
    its extension and its other end fan out of that vertex one over the other, their first triangles
    a few mm apart: draped, the button-down XS's right cuff went through itself there (2 crossings on
    each of 3 starts) until the drape's layers were parted there (wrap.untangle_extensions)."""
    bpy = pytest.importorskip("bpy")
    from garment_addon.blender import pipeline as pl

    bpy.ops.wm.read_factory_settings(use_empty=True)
    r = pl.build_scene(_shirt("XS")[1], "drape")
    assert r.metrics["self_crossings"] == 0 and r.metrics["inside_fraction"] == 0, r.metrics
