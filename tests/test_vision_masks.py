"""Garment masks on real backgrounds: CC0 home photos against hand-drawn outlines, a render's
backdrop inside a lighter frame, a white garment on white, a skin-coloured garment alone."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench.bench_vision_masks import iou, label_mask
from bench.synth import render_spec
from garment_addon.core.imageio import as_rgb_array
from garment_addon.core.spec import make_spec
from garment_addon.core.vision.analyze import analyze_array, segment_garment
from garment_addon.core.vision.laid_out import person_in_photo
from garment_addon.core.vision.segment import resize_for_analysis

DATA = Path(__file__).parent / "data"
LABELS = json.loads((DATA / "masks" / "labels.json").read_text())


@pytest.fixture(autouse=True)
def _light_path(monkeypatch):
    monkeypatch.setenv("GARMENT_VISION_MEDIAPIPE", "0")


@pytest.mark.parametrize("entry", LABELS, ids=[e["class"] for e in LABELS])
def test_laid_out_garment_mask_follows_the_hand_drawn_outline(entry):
    """Pink trousers on a green carpet (skin-coloured), a red gingham shirt on a wooden floor, a
    cream tweed jacket on a floral bedspread: before laid_out.py 0.08, 0.00 and 0.00."""
    rgb, _ = as_rgb_array(str(DATA / "masks" / entry["file"]))
    garment, _ = segment_garment(rgb)
    assert iou(garment, label_mask(entry)) > 0.8
    assert analyze_array(rgb).measured is not None  # measured as a garment alone, not a person


def _framed(rgb: np.ndarray, grey: int = 205) -> np.ndarray:
    out = np.full((rgb.shape[0] + 100, rgb.shape[1] + 140, 3), grey, np.uint8)
    out[40 : 40 + rgb.shape[0], 70 : 70 + rgb.shape[1]] = rgb
    return out


def test_a_renders_backdrop_inside_a_lighter_frame_is_background():
    """Our render (grey mannequin, grey backdrop) inside a lighter frame: the backdrop was the
    "garment" (a dress filling the block) until the figure was looked for inside the block."""
    rgb, _ = as_rgb_array(str(DATA / "blender_vest.png"))
    framed = _framed(rgb)
    a, plain = analyze_array(framed), analyze_array(rgb)
    assert a.person.mean() < 0.15  # the figure, not the 360 x 360 backdrop (0.58 of the frame)
    assert (a.garment_type, a.attributes.get("sleeves")) == (plain.garment_type, plain.attributes.get("sleeves"))
    inside = np.zeros(a.garment.shape, bool)
    k = a.garment.shape[1] / framed.shape[1]
    inside[round(40 * k) : round((40 + rgb.shape[0]) * k), round(70 * k) : round((70 + rgb.shape[1]) * k)] = True
    assert a.garment.any() and not (a.garment & ~inside).any()


def test_white_garment_on_white_keeps_its_mask():
    """White dresses on white sweeps (the first ten seeds: the sweep's white level and the light
    vary): median IoU 0.48 before the faint-contrast pass, 0.97 after. Clipped white on white
    (seeds 3, 4, 10: the lit side at 255 on a 252 sweep) stays a known limit."""
    spec = make_spec({"garment_type": "dress"})
    ious = []
    for seed in range(1, 11):
        img = render_spec(spec, rng=seed, background="white", mannequin=False, colour=(246, 246, 243), noise=3)
        ious.append(iou(segment_garment(img.rgb)[0], img.person_mask))
    assert np.median(ious) > 0.9 and sorted(ious)[2] > 0.3


def test_skin_coloured_garment_alone_is_not_a_person():
    """An orange or pink garment reads as skin to a colour test; a garment alone has no head of
    another colour and is nearly all "skin", a person is not."""
    rgb, _ = as_rgb_array(str(DATA / "masks" / "pants_2f03be8f-7053-4b94-b619-d5166b34ef3f.jpg"))
    rgb, _ = resize_for_analysis(rgb, None)
    garment, _ = segment_garment(rgb)
    assert not person_in_photo(rgb, garment)
    spec = make_spec({"garment_type": "skirt"})
    img = render_spec(spec, rng=5, background="studio", colour=(230, 110, 20))
    rgb, _ = resize_for_analysis(img.rgb, None)
    person = cv2.resize(img.person_mask.astype(np.uint8), rgb.shape[1::-1], interpolation=cv2.INTER_NEAREST)
    assert person_in_photo(rgb, person.astype(bool))
