"""Fast checks of the extension's pure parts: the props<->spec converter, the manifest, the build tool."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

import garment_addon
from garment_addon.core.garments import GARMENT_TYPES
from garment_addon.core.spec import FEATURES, MEASUREMENTS, SpecError, make_spec
from garment_addon.ui import convert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_extension as bx  # noqa: E402


def blank_props(**over) -> SimpleNamespace:
    """Stand-in for scene.garment (same field names), filled from a spec like the real defaults."""
    spec = make_spec({"garment_type": "dress"})
    p = SimpleNamespace(garment_type="dress", size="M", metadata_json="{}")
    for k, v in spec.measurements.items():
        setattr(p, k, v * convert.CM)
    for k in FEATURES:
        setattr(p, k, spec.features[k])
    for k, v in over.items():
        setattr(p, k, v)
    return p


@pytest.mark.parametrize("garment_type", GARMENT_TYPES)
def test_spec_round_trips_through_props(garment_type):
    spec = make_spec({"garment_type": garment_type, "size": "L", "features": {"fit": "loose"}})
    props = blank_props()
    convert.spec_to_props(spec, props)
    back = convert.props_to_spec(props)
    assert back.garment_type == garment_type and back.size == "L" and back.features == spec.features
    for k, v in spec.measurements.items():
        assert back.measurements[k] == pytest.approx(v, abs=1e-3), k


def test_material_and_colour_round_trip_through_the_cloth_box():
    """The spec's features.material and features.color are the Cloth box's preset and own colour
    (a linear RGB property): loaded, saved, and kept when the type or size changes."""
    cloth = SimpleNamespace(preset="AUTO", use_color=False, color=(0.5, 0.58, 0.72))
    props = blank_props(cloth=cloth)
    spec = make_spec({"garment_type": "dress", "features": {"material": "jersey", "color": "#1f2a48"}})
    convert.spec_to_props(spec, props)
    assert cloth.preset == "JERSEY" and cloth.use_color
    assert cloth.color == pytest.approx((0.0137, 0.0232, 0.0648), abs=1e-3)  # linear, not the sRGB bytes
    back = convert.props_to_spec(props)
    assert (back.material, back.fabric, back.color) == ("jersey", "knit", "#1f2a48")
    props.garment_type = "skirt"
    convert.refill_for_type(props)
    assert (cloth.preset, convert.props_to_spec(props).color) == ("JERSEY", "#1f2a48")
    cloth.preset, cloth.use_color = "AUTO", False
    plain = convert.props_to_spec(props)
    assert plain.material is None and plain.color is None


def test_props_hold_metres_and_core_gets_centimetres():
    props = blank_props()
    convert.spec_to_props(make_spec({"garment_type": "dress", "measurements": {"bust": 100}}), props)
    assert props.bust == pytest.approx(1.0)
    assert convert.props_to_spec(props).measurements["bust"] == pytest.approx(100.0)


def test_field_split_covers_every_measurement_once():
    assert set(convert.BODY_FIELDS) | set(convert.GARMENT_FIELDS) == set(MEASUREMENTS)
    assert not set(convert.BODY_FIELDS) & set(convert.GARMENT_FIELDS)
    assert {"bust", "waist", "hip"} <= set(convert.BODY_FIELDS)
    assert {"skirt_length", "sleeve_length", "inseam", "pant_length"} <= set(convert.GARMENT_FIELDS)


def test_invalid_props_raise_the_core_one_line_error():
    props = blank_props()
    props.waist = props.bust * 1.4
    with pytest.raises(SpecError, match=r"^measurements\.waist: ") as err:
        convert.props_to_spec(props)
    assert "\n" not in str(err.value)


def test_pants_lengths_stay_consistent():
    props = blank_props()
    convert.spec_to_props(make_spec({"garment_type": "pants"}), props)
    props.inseam = 0.70
    convert.keep_pants_consistent(props, "inseam")
    assert props.pant_length == pytest.approx(props.rise + 0.70)
    props.pant_length = 0.90
    convert.keep_pants_consistent(props, "pant_length")
    assert props.inseam == pytest.approx(0.90 - props.rise)
    m = convert.props_to_spec(props).measurements
    assert m["pant_length"] - m["inseam"] == pytest.approx(m["rise"])


def test_inconsistent_pants_fall_back_to_derived_inseam():
    props = blank_props()
    convert.spec_to_props(make_spec({"garment_type": "pants"}), props)
    props.inseam = 0.30  # written without the update callback
    m = convert.props_to_spec(props).measurements
    assert m["inseam"] == pytest.approx(m["pant_length"] - m["rise"])


def test_type_change_keeps_the_body_and_resets_garment_defaults():
    props = blank_props()
    props.bust, props.hip = 1.04, 1.10
    props.garment_type = "jacket"
    convert.refill_for_type(props)
    assert props.bust == pytest.approx(1.04) and props.hip == pytest.approx(1.10)
    assert props.has_collar is True  # a jacket's default
    jacket = make_spec({"garment_type": "jacket"}).m
    assert props.bodice_length == pytest.approx(jacket["bodice_length"] * 0.01, abs=0.05)


def test_size_change_refills_body_and_keeps_features():
    props = blank_props(has_pockets=True)
    props.size = "XL"
    convert.refill_for_size(props)
    assert props.bust == pytest.approx(make_spec({"garment_type": "dress", "size": "XL"}).m["bust"] * 0.01)
    assert props.has_pockets is True


def test_size_change_on_the_male_mannequin_fills_the_male_body():
    props = blank_props()
    props.body = SimpleNamespace(preset="male")
    props.size = "XL"
    convert.refill_for_size(props)
    male = make_spec({"garment_type": "dress", "size": "XL", "metadata": {"body_preset": "male"}}).m
    assert male["high_bust"] != make_spec({"garment_type": "dress", "size": "XL"}).m["high_bust"]
    for k in ("high_bust", "shoulder_slope"):
        assert getattr(props, k) == pytest.approx(male[k] * 0.01, abs=1e-4), k
    assert props.body.preset == "male"


def test_spec_to_props_does_not_trigger_update_cascades():
    seen = []

    class Watching(SimpleNamespace):
        def __setattr__(self, name, value):
            seen.append(convert.syncing())
            super().__setattr__(name, value)

    props = Watching(**vars(blank_props()))
    seen.clear()
    convert.spec_to_props(make_spec({"garment_type": "skirt"}), props)
    assert seen and all(seen)
    assert not convert.syncing()


# ---------------------------------------------------------------- manifest and packaging

def test_manifest_fields():
    m = tomllib.loads((ROOT / "blender_manifest.toml").read_text())
    assert m["schema_version"] == "1.0.0" and m["id"] == "garment_addon" and m["type"] == "add-on"
    assert m["version"] == garment_addon.__version__
    assert len(m["tagline"]) <= 64 and not m["tagline"].endswith((".", "!", "?"))
    assert m["blender_version_min"] == "4.2.0" and m["license"] == ["SPDX:GPL-3.0-or-later"]
    assert set(m["permissions"]) == {"files", "network"}
    assert all(len(v) <= 64 and not v.endswith(".") for v in m["permissions"].values())
    for w in m.get("wheels", []):
        assert w.startswith("./wheels/") and w.endswith(".whl")
        assert not Path(w).name.startswith(("numpy-", "requests-"))
    assert set(m.get("platforms", [])) <= set(bx.PLATFORMS)


def test_package_uses_only_relative_imports_of_itself():
    """Installed as bl_ext.<repo>.garment_addon: an absolute import would load another copy."""
    bad = []
    for path in (ROOT / "garment_addon").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            bad += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("garment_addon",
                                                                                            "headless")]
    assert not bad, bad


def test_required_wheels_leave_out_what_blender_bundles():
    reqs = bx.required_distributions()
    assert not {"numpy", "requests", "bpy", "garment-studio"} & set(reqs)
    assert all(re.fullmatch(r"[\w.+!-]+", v) for v in reqs.values())
    mods = bx.imported_modules()
    if "scipy" in mods:
        assert "scipy" in reqs


def test_imported_modules_reads_absolute_imports(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("import os\nfrom . import sub\n")
    (pkg / "sub" / "__init__.py").write_text("def f():\n    import shapely.geometry\n"
                                             "    from PIL import Image\n")
    (pkg / "tests").mkdir()
    (pkg / "tests" / "t.py").write_text("import pytest\n")
    assert bx.imported_modules(pkg) == {"os", "shapely", "PIL"}


def test_manifest_text_rewrites_or_drops_the_lists():
    src = (ROOT / "blender_manifest.toml").read_text()
    text = bx.manifest_text(["linux-x64"], ["./wheels/a-1.0-py3-none-any.whl"], source=src)
    m = tomllib.loads(text)
    assert m["platforms"] == ["linux-x64"] and m["wheels"] == ["./wheels/a-1.0-py3-none-any.whl"]
    bare = tomllib.loads(bx.manifest_text([], [], source=src))
    assert "platforms" not in bare and "wheels" not in bare and bare["id"] == "garment_addon"


@pytest.mark.blender  # Blender's build tool ships inside the bpy wheel
def test_no_wheels_build_is_a_valid_zip(tmp_path):
    """The path CI takes without PyPI: a pure-Python zip that Blender's tool validates."""
    zips = bx.build([], no_wheels=True, dist=tmp_path / "dist", stage_dir=tmp_path / "stage")
    assert [z.name for z in zips] == [f"garment_addon-{garment_addon.__version__}.zip"]
    import zipfile

    with zipfile.ZipFile(zips[0]) as zf:
        names = zf.namelist()
    assert "blender_manifest.toml" in names and "__init__.py" in names
    assert not any("__pycache__" in n or n.endswith(".whl") for n in names)
