"""Offline photo analyzer: accuracy on synthetic photos, a real GarmentCode render, bad files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.synth import expected_attributes, photo_cases, random_spec, render_spec
from garment_addon.core.errors import UserError
from garment_addon.core.garments import PHOTO_TYPES
from garment_addon.core.spec import make_spec
from garment_addon.core.vision import analyze_image, segment_garment
from garment_addon.core.vision.analyze import analyze_array
from headless.cli import main

DATA = Path(__file__).parent / "data"


@pytest.mark.slow
def test_type_accuracy_on_synthetic_photos():
    ok, total = 0, 0
    attr_ok, attr_n, confusion = Counter(), Counter(), Counter()
    for spec, img in photo_cases(6, seed=11):
        a = analyze_array(img.rgb, img.alpha)
        total += 1
        ok += a.garment_type == spec.garment_type
        if a.garment_type != spec.garment_type:
            confusion[(spec.garment_type, a.garment_type)] += 1
            continue
        for key, want in expected_attributes(spec).items():
            attr_n[key] += 1
            attr_ok[key] += a.attributes.get(key) == want
    acc = ok / total
    attrs = {k: round(attr_ok[k] / attr_n[k], 2) for k in attr_n}
    print(f"type accuracy {ok}/{total} = {acc:.3f}; attribute accuracy {attrs}; confusions {dict(confusion)}")
    assert total == 42 and acc >= 0.95, confusion
    assert attrs["sleeves"] >= 0.8 and attrs["length"] >= 0.75 and attrs["silhouette"] >= 0.6, attrs


def test_garmentcode_render_is_a_short_sleeved_shirt():
    spec = analyze_image(DATA / "garmentcode_shirt_render_front.png")
    assert spec.garment_type == "shirt"
    assert spec.metadata["attributes"]["sleeves"] == "short"
    assert spec.metadata["method"] == "alpha"
    assert 0 < spec.measurements["sleeve_length"] < 35
    assert 0.5 <= spec.metadata["confidence"]["garment_type"] <= 1


@pytest.mark.parametrize("photo", ["astronaut", "grace_hopper"])
def test_real_photo_portraits(photo):
    """Real photos cut at the chest or waist (public domain): scikit-image's astronaut, a Navy portrait."""
    from skimage import data

    rgb = data.astronaut() if photo == "astronaut" else np.asarray(Image.open(DATA / "grace_hopper.jpg"))
    a = analyze_array(rgb)
    assert a.garment_type in ("shirt", "jacket")
    assert a.frame is not None and a.frame.has_head  # found from the face: the silhouette has no feet
    assert any("runs off the bottom" in w for w in a.warnings)
    assert a.attributes["length"] == "hip" and not a.measured
    h = a.garment.shape[0]
    assert a.garment[h // 2 :].mean() > 0.15  # the clothed chest fills the lower half of a portrait
    assert a.garment[: int(0.1 * h)].mean() < 0.02  # the background above the head is not clothing


def test_outfit_names_the_dominant_garment_and_lists_the_others():
    spec = make_spec(
        {"garment_type": "pants", "measurements": {"pant_length": 100}, "features": {"fit": "regular"}}
    )
    img = render_spec(spec, rng=3, background="studio", companion="shirt")
    a = analyze_array(img.rgb)
    assert a.garment_type == "pants" and "shirt" in a.others
    assert a.attributes["length"] == "ankle"


def test_spec_measurements_follow_the_silhouette(tmp_path):
    short = make_spec({"garment_type": "skirt", "measurements": {"skirt_length": 40, "flare": 2}})
    long_ = make_spec({"garment_type": "skirt", "measurements": {"skirt_length": 90, "flare": 25}})
    got = []
    for i, spec in enumerate((short, long_)):
        path = tmp_path / f"s{i}.png"
        Image.fromarray(render_spec(spec, rng=i, background="white").rgb).save(path)
        got.append(analyze_image(path))
    assert got[0].garment_type == got[1].garment_type == "skirt"
    assert abs(got[0].measurements["skirt_length"] - 40) < 10
    assert abs(got[1].measurements["skirt_length"] - 90) < 10
    assert got[1].measurements["flare"] > got[0].measurements["flare"] + 8
    assert got[0].metadata["attributes"]["length"] == "mini"
    assert got[1].metadata["attributes"]["silhouette"] == "flared"
    conf = got[1].metadata["confidence"]
    assert all(0 <= v <= 1 for v in conf.values()) and "skirt_length" in conf


def test_transparent_png_and_segment_garment(tmp_path):
    spec = make_spec({"garment_type": "hoodie"})
    img = render_spec(spec, rng=5, background="transparent")
    path = tmp_path / "hoodie.png"
    Image.fromarray(img.rgba()).save(path)
    out = analyze_image(path)
    assert out.garment_type == "hoodie" and out.features["has_hood"] is True
    # the garment's colour in the photo is the spec's colour (sRGB hex, as the pixels are)
    want = np.median(img.rgb[img.garment_mask], axis=0)
    got = np.array([int(out.color[i:i + 2], 16) for i in (1, 3, 5)])
    assert np.abs(got - want).max() <= 12, (out.color, want)
    garment, person = segment_garment(path)
    assert garment.shape == person.shape == img.rgb.shape[:2]
    iou = (garment & img.garment_mask).sum() / (garment | img.garment_mask).sum()
    assert iou > 0.75, iou


def test_auto_without_a_vlm_falls_back_with_a_warning(monkeypatch):
    for v in ("GARMENT_VLM_API_KEY", "HF_TOKEN", "OPENAI_API_KEY"):
        monkeypatch.delenv(v, raising=False)
    spec = analyze_image(DATA / "garmentcode_shirt_render_front.png", backend="auto")
    assert spec.metadata["backend"] == "offline"
    assert any("no VLM configured" in w for w in spec.metadata["warnings"])
    with pytest.raises(UserError, match="backend"):
        analyze_image(DATA / "garmentcode_shirt_render_front.png", backend="magic")


def _bad_files(tmp: Path) -> dict[str, Path]:
    good = tmp / "good.png"
    Image.fromarray(np.full((64, 64, 3), 128, np.uint8)).save(good)
    files = {
        "empty": tmp / "empty.png",
        "text": tmp / "notes.png",
        "corrupt": tmp / "corrupt.png",
        "huge": tmp / "huge.png",
        "missing": tmp / "nope.png",
        "folder": tmp / "photos.png",
        "random": tmp / "noise.jpg",
    }
    files["folder"].mkdir()
    files["random"].write_bytes(np.random.default_rng(0).integers(0, 256, 300, dtype=np.uint8).tobytes())
    files["empty"].write_bytes(b"")
    files["text"].write_text("this is a text file renamed to .png\n")
    files["corrupt"].write_bytes(good.read_bytes()[:60])  # a truncated PNG
    Image.new("1", (8000, 8000)).save(files["huge"])  # 64 megapixels in a few kB: a decompression bomb
    return files


def test_bad_files_exit_2_and_write_nothing(tmp_path, capsys):
    for kind, path in _bad_files(tmp_path).items():
        out = tmp_path / f"{kind}.json"
        rc = main(["analyze", str(path), "-o", str(out)])
        err = capsys.readouterr().err
        assert rc == 2, (kind, err)
        assert err.startswith("error: image:") and err.count("\n") == 1 and "Traceback" not in err
        assert not out.exists() and not list(tmp_path.glob(f".{kind}.json*"))
    with pytest.raises(UserError, match="50 megapixels"):
        analyze_image(tmp_path / "huge.png")
    with pytest.raises(UserError, match="is a folder"):
        analyze_image(tmp_path / "photos.png")


@pytest.mark.parametrize("command", [["analyze", str(DATA / "blender_vest.png")], ["text", "a red dress"]])
def test_output_that_is_a_folder_exits_2_before_any_work(tmp_path, capsys, command):
    rc = main([*command, "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("error: output:") and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []


def test_cli_analyze_writes_a_valid_spec(tmp_path, capsys):
    out = tmp_path / "spec.json"
    assert main(["analyze", str(DATA / "garmentcode_shirt_render_front.png"), "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert make_spec(data).garment_type == "shirt"
    assert "wrote" in capsys.readouterr().out


@pytest.mark.skipif(not __import__("importlib").util.find_spec("mediapipe"), reason="mediapipe not installed")
def test_mediapipe_path_segments_a_person():
    from garment_addon.core.vision import mp_backend

    img = render_spec(make_spec({"garment_type": "dress"}), rng=1, background="clutter")
    mask = mp_backend.person_mask(img.rgb)
    assert mask is not None and mask.shape == img.rgb.shape[:2]


def test_product_shots_without_a_person():
    """Garments alone on white, studio or transparent backgrounds (no face, no skin)."""
    rng = np.random.default_rng(0)
    ok = total = 0
    for t in PHOTO_TYPES:
        for k in range(3):
            spec = random_spec(t, rng)
            img = render_spec(
                spec, rng=rng, background=["white", "studio", "transparent"][k], mannequin=False
            )
            a = analyze_array(img.rgb, img.alpha)
            assert a.method.endswith("+product") and any("product shot" in w for w in a.warnings)
            total += 1
            ok += a.garment_type == t
    print(f"product-shot type accuracy {ok}/{total}")
    assert ok / total >= 0.95  # 21/21 (19/21 before the waistband, waist-height and opening-depth rules)
