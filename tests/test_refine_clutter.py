"""The photo's body mask when segmentation leaks into clutter beside the figure."""

from __future__ import annotations

import numpy as np
import pytest

from garment_addon.core.refine.metrics import bbox
from garment_addon.core.refine.photo import _symmetric_body


def figure() -> tuple[np.ndarray, np.ndarray]:
    """(body incl. garment, garment): a symmetric standing figure centred on column 60."""
    h, w = 200, 120
    yy, xx = np.mgrid[0:h, 0:w]
    head = ((yy - 15) / 14) ** 2 + ((xx - 60) / 10) ** 2 < 1
    torso = (yy >= 28) & (yy < 110) & (np.abs(xx - 60) < 18)
    arms = (yy >= 30) & (yy < 100) & (np.abs(xx - 60) >= 18) & (np.abs(xx - 60) < 18 + 0.4 * (yy - 30))
    legs = (yy >= 110) & (yy < 195) & (np.abs(np.abs(xx - 60) - 9) < 6)
    garment = torso | (arms & (yy < 55))
    return head | torso | arms | legs, garment


def test_leak_beside_the_figure_is_trimmed_from_the_body_box():
    body, garment = figure()
    leaked = body.copy()
    leaked[120:170, 0:52] = True  # a box of clutter joined to the left leg
    out = _symmetric_body(leaked, garment)
    assert bbox(out) == bbox(body)
    assert (out & body).sum() == body.sum()  # the figure itself is untouched
    assert not out[120:170, :40].any()


def test_a_mostly_asymmetric_figure_is_left_alone():
    body, garment = figure()
    side = np.zeros_like(body)  # e.g. a seated side view: no axis mirrors half of it onto itself
    side[0:100, 0:40] = side[100:, 60:] = True
    assert np.array_equal(_symmetric_body(side, side & garment), side)
    assert np.array_equal(_symmetric_body(body, garment), body)


def cluttered_photo(boxes: list[tuple[int, int, int, int, tuple[int, int, int]]]):
    """(photo, true garment mask): a short-sleeved shirt on a skin-coloured figure (the 2D stand-in
    render) against a plain wall, with muted furniture boxes (y0, x0, y1, x1, colour) behind it."""
    from garment_addon.core.refine.silhouette import render_silhouette
    from garment_addon.core.spec import make_spec

    spec = make_spec({"garment_type": "shirt", "size": "M",
                      "measurements": {"sleeve_length": 24.0, "bodice_length": 60.0}})
    _, garment, body = render_silhouette(spec, 256)
    img = np.zeros((256, 256, 3), np.float32) + (176, 160, 178)
    for y0, x0, y1, x1, colour in boxes:
        img[y0:y1, x0:x1] = colour
    img[body | garment] = (224, 172, 138)
    img[garment] = (200, 30, 40)
    img += np.random.default_rng(0).normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), garment


def garment_iou(photo: np.ndarray, truth: np.ndarray, tmp_path) -> float:
    from PIL import Image

    from garment_addon.core.refine.photo import load_target

    path = tmp_path / "photo.png"
    Image.fromarray(photo).save(path)
    got = load_target(path).garment
    return float((got & truth).sum() / (got | truth).sum())


@pytest.mark.parametrize("boxes", [
    [(45, 150, 95, 215, (140, 128, 132))],  # behind the right sleeve: was IoU 0.67
    [(45, 41, 95, 106, (140, 128, 132))],  # its mirror image on the left: was 0.68
    [(40, 150, 100, 215, (150, 150, 140)), (150, 20, 200, 100, (120, 130, 120))],  # + one by a leg: 0.64
    [],  # no clutter: 0.997 before and after
])
def test_furniture_behind_a_sleeve_stays_out_of_the_photos_garment(tmp_path, boxes):
    """The plain-wall path keeps a box touching the figure as part of the person, and the box used
    to join the shirt as one of its "panels"; the symmetry trim now cuts it off the person."""
    photo, truth = cluttered_photo(boxes)
    assert garment_iou(photo, truth, tmp_path) > 0.95


def test_furniture_on_both_sides_stays_out_of_the_photos_body_box(tmp_path):
    """Two boxes of different colours beside the hands, at about mirror places, so mirror symmetry
    alone keeps most of them; each goes on beyond the figure's outline in its own colour, so it is
    cut there. The body's box (the comparison's frame) was 22 px too wide on each side."""
    from PIL import Image

    from garment_addon.core.refine.metrics import bbox
    from garment_addon.core.refine.photo import load_target
    from garment_addon.core.refine.silhouette import render_silhouette
    from garment_addon.core.spec import make_spec

    photo, truth = cluttered_photo([(140, 30, 200, 120, (150, 150, 140)), (150, 136, 210, 220, (130, 120, 140))])
    spec = make_spec({"garment_type": "shirt", "size": "M",
                      "measurements": {"sleeve_length": 24.0, "bodice_length": 60.0}})
    _, garment, body = render_silhouette(spec, 256)
    Image.fromarray(photo).save(tmp_path / "photo.png")
    target = load_target(tmp_path / "photo.png")
    assert np.abs(np.subtract(bbox(target.body), bbox(body | garment))).max() <= 2
    assert garment_iou(photo, truth, tmp_path) > 0.95
