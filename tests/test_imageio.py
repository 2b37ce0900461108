"""The one image loader (core/vision/imageio.py): every format and every bad file, the same answer
from `analyze`, `fit` and `batch`. Images are made in each test (tmp_path)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from garment_addon.core.errors import UserError
from garment_addon.core.imageio import as_rgb_array, load_rgba
from garment_addon.core.refine.photo import load_target
from headless.batch import run_job
from headless.cli import main

H, W = 120, 90


def garment_picture() -> np.ndarray:
    """A red T shape (a top) on light grey, asymmetric top to bottom (for orientation checks)."""
    rgb = np.full((H, W, 3), 230, np.uint8)
    rgb[20:30, 10:80] = (200, 30, 40)  # shoulders and sleeves
    rgb[30:90, 28:62] = (200, 30, 40)  # body
    return rgb


def test_8_bit_rgb_is_read_as_is(tmp_path):
    rgb = garment_picture()
    Image.fromarray(rgb).save(tmp_path / "a.png")
    got, alpha = load_rgba(tmp_path / "a.png")
    assert alpha is None and np.array_equal(got, rgb)


def test_16_bit_greyscale_png_keeps_its_levels(tmp_path):
    ramp = np.tile(np.linspace(0, 65535, W).astype(np.uint16), (H, 1))
    Image.fromarray(ramp).save(tmp_path / "g16.png")
    assert Image.open(tmp_path / "g16.png").mode.startswith("I;16")
    got, _ = load_rgba(tmp_path / "g16.png")
    assert got.shape == (H, W, 3)
    assert got[0, 0].max() <= 1 and got[0, -1].min() >= 254  # the ramp, not all white
    assert abs(int(got[0, W // 2, 0]) - 128) <= 2


def test_16_bit_colour_png(tmp_path):
    rgb = garment_picture()
    cv2.imwrite(str(tmp_path / "c16.png"), rgb[..., ::-1].astype(np.uint16) * 257)
    got, _ = load_rgba(tmp_path / "c16.png")
    assert np.abs(got.astype(int) - rgb).max() <= 1


def test_16_bit_array_is_not_read_white():
    got, _ = as_rgb_array(garment_picture().astype(np.uint16) * 257)
    assert np.array_equal(got, garment_picture())


@pytest.mark.parametrize("mode", ["L", "LA", "P", "RGBA"])
def test_greyscale_and_palette_modes(tmp_path, mode):
    rgb = garment_picture()
    Image.fromarray(rgb).convert(mode).save(tmp_path / "m.png")
    got, alpha = load_rgba(tmp_path / "m.png")
    assert got.shape == (H, W, 3) and alpha is None
    dark = got.mean(-1) < 160
    assert dark[25, 15] and dark[60, 45] and not dark[5, 5] and not dark[100, 10]


def test_palette_with_a_transparent_index_is_a_cut_out(tmp_path):
    im = Image.fromarray(garment_picture()).quantize(4)
    bg = im.getpixel((0, 0))
    im.save(tmp_path / "p.png", transparency=bg)
    rgb, alpha = load_rgba(tmp_path / "p.png")
    assert alpha is not None and alpha[0, 0] == 0 and alpha[60, 45] == 255
    assert tuple(rgb[0, 0]) == (255, 255, 255)  # transparent pixels are composited on white


def test_cmyk_jpeg(tmp_path):
    rgb = garment_picture()
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "c.jpg", quality=95)
    assert Image.open(tmp_path / "c.jpg").mode == "CMYK"
    got, _ = load_rgba(tmp_path / "c.jpg")
    assert np.abs(got.astype(int) - rgb).mean() < 8


def test_exif_orientation_turns_a_phone_photo_upright(tmp_path):
    upright = garment_picture()
    stored = np.ascontiguousarray(np.rot90(upright, k=1))  # the sensor's rows; tag 6 = turn 90 deg clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(stored).save(tmp_path / "phone.png", exif=exif)
    got, _ = load_rgba(tmp_path / "phone.png")
    assert got.shape == upright.shape and np.array_equal(got, upright)


def test_transparent_cut_out_is_composited_and_its_alpha_is_the_mask(tmp_path):
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[..., :3] = (10, 200, 10)  # green garbage under the transparent pixels
    fabric = garment_picture()[..., 0] == 200
    rgba[fabric] = (200, 30, 40, 255)
    Image.fromarray(rgba).save(tmp_path / "cut.png")
    rgb, alpha = load_rgba(tmp_path / "cut.png")
    assert tuple(rgb[0, 0]) == (255, 255, 255) and tuple(rgb[60, 45]) == (200, 30, 40)
    t = load_target(tmp_path / "cut.png")
    assert t.body is None  # a cut-out garment, no person
    iou = (t.garment & fabric).sum() / (t.garment | fabric).sum()
    assert iou > 0.9, iou


def _truncated_jpeg(path):
    big = np.random.default_rng(1).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    full = path.with_name("full.jpg")
    Image.fromarray(big).save(full, quality=90)
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])


def _bad(kind: str, tmp_path):
    p = tmp_path / f"{kind}.png"
    if kind == "transparent":
        Image.fromarray(np.zeros((H, W, 4), np.uint8)).save(p)
    elif kind == "blank":
        Image.fromarray(np.full((H, W, 3), 77, np.uint8)).save(p)
    elif kind == "tiny":
        Image.fromarray(garment_picture()[:32, :32]).save(p)
    elif kind == "truncated":
        p = tmp_path / "truncated.jpg"
        _truncated_jpeg(p)
    elif kind == "text":
        p.write_text("not an image\n")
    return p


BAD = {"transparent": "is fully transparent", "blank": "is blank", "tiny": "is 32x32 pixels; at least 64x64",
       "truncated": "is corrupt or truncated", "text": "is not an image", "missing": "file not found"}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_photos_are_one_line_user_errors(tmp_path, kind):
    with pytest.raises(UserError, match=BAD[kind]) as exc:
        load_rgba(_bad(kind, tmp_path))
    assert str(exc.value).startswith("image: ") and "\n" not in str(exc.value)


@pytest.mark.parametrize("kind", ["transparent", "blank", "tiny", "truncated"])
def test_analyze_fit_and_batch_give_the_same_answer(tmp_path, capsys, kind):
    path = _bad(kind, tmp_path)
    lines = []
    for cmd in (["analyze", str(path), "-o", str(tmp_path / "s.json")],
                ["fit", str(path), "-o", str(tmp_path / "fit"), "--renderer", "silhouette", "--max-iters", "1"]):
        assert main(cmd) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        lines.append(err.strip())
    assert lines[0] == lines[1] and BAD[kind] in lines[0]
    assert not (tmp_path / "s.json").exists() and not (tmp_path / "fit").exists()
    job = {"id": "j", "action": "fit", "renderer": "silhouette", "max_iters": 1,
           "image": {"name": path.name, "data": path.read_bytes(), "path": str(path)}}
    res = run_job(job)
    assert res["status"] == "failed" and res["error"] == lines[0].removeprefix("error: ")


@pytest.mark.parametrize("start", [False, True])
def test_fit_refuses_what_analyze_refuses_before_rendering(tmp_path, capsys, monkeypatch, start):
    """The analysis's refusal ("no garment") is fit's first step too, with or without --start."""
    import garment_addon.core.refine.silhouette as silhouette
    import garment_addon.core.vision as vision

    refusal = "image: no garment found (looks like: shoes, 0.91)"
    seen = []

    def refuse(image, backend="offline", **kw):
        seen.append(backend)
        raise UserError(refusal)

    monkeypatch.setattr(vision, "analyze_image", refuse)
    monkeypatch.setattr(vision, "analyze_photo", lambda *a, **kw: (refuse(*a, **kw), None))  # fit's seam
    monkeypatch.setattr(silhouette, "render_silhouette", lambda *a: pytest.fail("rendered a refused photo"))
    path = tmp_path / "garden.png"
    Image.fromarray(garment_picture()).save(path)
    assert main(["analyze", str(path), "-o", str(tmp_path / "s.json")]) == 2
    said = capsys.readouterr().err.strip()
    extra = []
    if start:
        (tmp_path / "start.json").write_text('{"garment_type": "dress"}')
        extra = ["--start", str(tmp_path / "start.json"), "--backend", "vlm"]
    assert main(["fit", str(path), "-o", str(tmp_path / "fit"), "--renderer", "silhouette", *extra]) == 2
    assert capsys.readouterr().err.strip() == said == f"error: {refusal}"
    assert seen == ["offline", "offline"]  # with --start the check runs offline: no VLM call for it
    assert not (tmp_path / "fit").exists()
