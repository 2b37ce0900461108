"""garment.draft_pattern for every garment type, with the add-on registered straight from the repo."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.blender, pytest.mark.xdist_group("extension_draft")]  # one registered add-on

bpy = pytest.importorskip("bpy")

from garment_addon.core.pattern import draft_pattern  # noqa: E402
from garment_addon.core.spec import GARMENT_TYPES  # noqa: E402
from garment_addon.ui import convert  # noqa: E402


def registered_addon():
    """scene.garment with the add-on registered from the repo; afterwards everything is unregistered."""
    import garment_addon

    garment_addon.register()
    yield bpy.context.scene.garment
    garment_addon.unregister()
    for obj in [o for o in bpy.data.objects if "garment_studio" in o]:
        bpy.data.objects.remove(obj, do_unlink=True)
    assert not hasattr(bpy.types.Scene, "garment")


@pytest.fixture(scope="module")
def addon():
    yield from registered_addon()


def _pieces():
    return {o["piece"]: o for o in bpy.data.objects if o.get("garment_studio") == "pattern" and o.get("piece")}


@pytest.mark.parametrize("garment_type", GARMENT_TYPES)
def test_draft_lays_every_piece_flat_on_the_table(addon, garment_type):
    addon.garment_type = garment_type
    assert bpy.ops.garment.draft_pattern() == {"FINISHED"}
    expected = draft_pattern(convert.props_to_spec(addon))
    objs = _pieces()
    assert sorted(objs) == sorted(p.name for p in expected.pieces)
    for piece in expected.pieces:
        me = objs[piece.name].data
        zs = {round(v.co.z, 5) for v in me.vertices}
        assert len(zs) == 1, "pieces lie flat"
        xs = [v.co.x for v in me.vertices]
        assert min(xs) > 0.5, "on the table beside the mannequin, not on it"
        # flat mesh area = the piece's area (cm^2 -> m^2): the outline was filled, not distorted
        area = sum(p.area for p in me.polygons)
        assert area == pytest.approx(abs(piece.area()) * 1e-4, rel=0.03), piece.name
        uv = [c for d in me.uv_layers["UVMap"].data for c in d.uv]
        assert 0.0 <= min(uv) and max(uv) <= 1.0 + 1e-6
    table = [o for o in bpy.data.objects if o.name.startswith("GS Pattern Table")]
    assert len(table) == 1


def test_draft_reports_invalid_settings_in_one_line(addon):
    addon.garment_type = "shirt"
    good = addon.neckline_width
    addon.neckline_width = addon.shoulder_width / 2  # leaves no shoulder: the core refuses
    with pytest.raises(RuntimeError) as err:
        bpy.ops.garment.draft_pattern()
    addon.neckline_width = good
    msg = str(err.value).strip()
    assert msg.startswith("Error: measurements.neckline_width:") and "\n" not in msg
