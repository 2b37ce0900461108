"""Sleeve and trouser-leg breaks (core/assembly/breaks.py) and the length defaults behind them."""

import numpy as np
import pytest

from garment_addon.core.assembly.breaks import BAND_CM, limb_breaks
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.pattern.drafting.ease import HAND_EASE, OVER_CUFF
from garment_addon.core.pattern.model import polyline_length
from garment_addon.core.proportions import ARM_LENGTH
from garment_addon.core.spec import HAND_REST, SIZE_TABLE, body_measurements, make_spec

from .test_mesh_wrap import _wrapped


def _fold_band(pattern, mesh, pos, kind: str, factor: float) -> np.ndarray:
    """The wrapped positions with every ``kind`` limb's bottom 2 x BAND_CM pushed up toward its hem
    by ``factor`` (a break taking the length up), vertical limbs only (trouser legs)."""
    out = pos.copy()
    for i, p in enumerate(pattern.pieces):
        if p.body_region.startswith(kind):
            v = np.arange(len(mesh.pieces[i].verts)) + mesh.offsets[i]
            low = out[v, 2].min()
            near = out[v, 2] < low + 2 * BAND_CM
            out[v[near], 2] = low + (out[v[near], 2] - low) * factor
    return out


def test_a_straight_wrap_has_no_break_and_a_folded_hem_has():
    pattern, _, mesh, pos = _wrapped({"garment_type": "pants"})
    straight = limb_breaks(pattern, mesh, pos)
    assert set(straight) == {"leg_break"}  # trousers have no sleeves
    assert straight["leg_break"] == pytest.approx(1.0, abs=0.02)
    folded = limb_breaks(pattern, mesh, _fold_band(pattern, mesh, pos, "leg", 0.8))
    assert folded["leg_break"] == pytest.approx(1.25, abs=0.05)  # a fifth of the band folded away
    stretched = limb_breaks(pattern, mesh, _fold_band(pattern, mesh, pos, "leg", 1.1))
    assert stretched["leg_break"] < 0.95


def test_sleeves_are_measured_long_and_not_short():
    pattern, _, mesh, pos = _wrapped({"garment_type": "jacket"})  # two-piece sleeves, one limb each side
    assert limb_breaks(pattern, mesh, pos)["sleeve_break"] == pytest.approx(1.0, abs=0.02)
    pattern, _, mesh, pos = _wrapped({"garment_type": "shirt", "measurements": {"sleeve_length": 20}})
    assert "sleeve_break" not in limb_breaks(pattern, mesh, pos)  # a short sleeve holds no band


def test_lengths_grow_with_the_size_and_what_is_given_stands():
    m = {z: make_spec({"garment_type": "pants", "size": z}).m for z in ("XS", "M", "XXL")}
    tall = SIZE_TABLE["XXL"]["height"] / SIZE_TABLE["XS"]["height"]
    assert m["XXL"]["pant_length"] / m["XS"]["pant_length"] == pytest.approx(tall)
    assert m["M"]["pant_length"] == pytest.approx(104.0)  # full length: the hem on the instep
    for z in m:
        assert m[z]["inseam"] == pytest.approx(m[z]["pant_length"] - m[z]["rise"])
    shirt = {z: make_spec({"garment_type": "shirt", "size": z}).m["sleeve_length"] for z in ("XS", "XXL")}
    assert shirt["XXL"] / shirt["XS"] == pytest.approx(tall)
    given = make_spec({"garment_type": "pants", "size": "XS", "measurements": {"pant_length": 104}})
    assert given.m["pant_length"] == 104


def _left_hem(pattern) -> float:
    """Round the left sleeve's plain hem (a jacket's: its top and under sleeves' together)."""
    return sum(polyline_length(p.edge_points("hem")) for p in pattern.pieces
               if p.body_region == "arm_left" and any(e.name == "hem" for e in p.edges))


@pytest.mark.parametrize("garment_type", ["shirt", "jacket"])
def test_a_default_long_sleeve_is_cut_onto_the_hand_and_a_plain_hem_rests_there(garment_type):
    """A shirt's or jacket's default long sleeve ends HAND_REST cm past the wrist, on the hand; a shirt's
    plain hem is no wider than the hand at the thumb's base (wrist + 6; a jacket's, which goes over a
    shirt cuff, wrist + 8), so the hand holds it and the sleeve breaks above it. Before, the shirt's
    ended at the wrist (58 cm at M) with a wrist + 10 cm hem and its drape hung straight
    (sleeve_break 1.004; the jacket's, 2 cm past the wrist, 1.023; with its wrist + 14 hem, L 1.021)."""
    spec = make_spec({"garment_type": garment_type})
    arm = ARM_LENGTH * body_measurements(spec)["height"]
    assert spec.m["sleeve_length"] == pytest.approx(arm + HAND_REST)
    want = spec.m["wrist"] + HAND_EASE + (OVER_CUFF if garment_type == "jacket" else 0.0)
    assert _left_hem(draft_pattern(spec)) == pytest.approx(want, abs=0.05)


def test_a_sleeve_held_at_the_wrist_or_given_keeps_its_length_and_hem():
    """A cuff holds at the wrist (the sleeve blouses over it): a cuffed shirt keeps the type's 58 cm; a
    length the user gives stands, and a plain hem ending at the wrist keeps the fit's ease (regular:
    wrist + 10 cm)."""
    assert make_spec({"garment_type": "shirt", "features": {"has_cuffs": True}}).m["sleeve_length"] == 58
    assert make_spec({"garment_type": "hoodie"}).m["sleeve_length"] == 60
    given = make_spec({"garment_type": "shirt", "measurements": {"sleeve_length": 58}})
    assert given.m["sleeve_length"] == 58
    assert _left_hem(draft_pattern(given)) == pytest.approx(given.m["wrist"] + 10.0, abs=0.05)
