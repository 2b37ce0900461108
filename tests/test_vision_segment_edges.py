"""GrabCut person segmentation when the figure runs off the top and bottom of the frame."""

from __future__ import annotations

import numpy as np
import pytest

from garment_addon.core.vision import segment
from garment_addon.core.vision.segment import segment_person


def cut_off_person() -> tuple[np.ndarray, np.ndarray]:
    """(photo, true person mask): a skin head cut by the top edge, a bare torso, saturated trousers
    cut by the bottom edge, on a muted room with muted clutter (not a plain background)."""
    rng = np.random.default_rng(3)
    h, w = 240, 200
    img = np.zeros((h, w, 3), np.float32) + (190, 186, 196)
    for y0, x0, y1, x1, c in [(0, 0, 60, 40, (150, 160, 150)), (170, 150, 240, 200, (120, 120, 130)),
                              (90, 0, 140, 30, (200, 200, 170)), (0, 160, 50, 200, (160, 150, 165))]:
        img[y0:y1, x0:x1] = c
    person = np.zeros((h, w), bool)
    yy, xx = np.mgrid[0:h, 0:w]
    head = ((yy - 10) / 28) ** 2 + ((xx - 100) / 20) ** 2 < 1
    torso = (yy >= 36) & (yy < 120) & (np.abs(xx - 100) < 24)
    legs = (yy >= 120) & ((np.abs(xx - 88) < 12) | (np.abs(xx - 112) < 12))
    img[head | torso] = (224, 172, 138)
    img[legs] = (130, 40, 150)
    person = head | torso | legs
    img = np.clip(img + rng.normal(0, 5, img.shape), 0, 255).astype(np.uint8)
    return img, person


@pytest.mark.parametrize("cue", [True, False])
def test_person_crossing_the_frame_edges_is_found(monkeypatch, cue):
    img, person = cut_off_person()
    if not cue:  # without the edge-crossing cue the head's skin joins the room's colour model
        monkeypatch.setattr(segment, "_crossing_edge", lambda lab, band: np.zeros(lab.shape[:2], bool))
    mask, method = segment_person(img)
    assert method == "grabcut"
    recall = (mask & person).sum() / person.sum()
    precision = (mask & person).sum() / max(1, mask.sum())
    if cue:
        assert recall > 0.9 and precision > 0.85, (recall, precision)
    else:
        assert recall < 0.9 or precision < 0.85, (recall, precision)


def test_symmetry_axis_is_the_figures_not_the_clutters():
    """Furniture joined to one side of the figure fills whole rows from the body to the furniture:
    each such row is one run of mask, symmetric about its own middle. In colour it is not, so
    the axis found with colours stays on the figure; the mask alone is pulled towards the clutter."""
    from garment_addon.core.vision.segment import symmetry_axis

    h, w = 240, 200
    yy, xx = np.mgrid[0:h, 0:w]
    head = ((yy - 20) / 14) ** 2 + ((xx - 120) / 10) ** 2 < 1
    torso = (yy >= 34) & (yy < 120) & (np.abs(xx - 120) < 20)
    legs = (yy >= 120) & (yy < 235) & (np.abs(np.abs(xx - 120) - 9) < 6)
    box = (yy >= 70) & (yy < 235) & (xx >= 10) & (xx < 112)
    lab = np.zeros((h, w, 3), np.float32) + (60, 150, 150)  # skin-ish
    lab[box & ~legs] = (150, 128, 128)  # a grey box behind the left leg ...
    lab[box & (xx < 60)] = (120, 140, 110)  # ... and a green cabinet beside it
    lab[torso] = (50, 180, 150)  # a red top
    mask = head | torso | legs | box
    axis, kept = symmetry_axis(mask, lab)
    assert abs(axis - 120) <= 1, axis
    assert 0.2 < kept < 0.8  # the box's pixels have no mirror image
    blind, _ = symmetry_axis(mask)
    assert abs(blind - 120) > 10, blind
    assert symmetry_axis(head | torso | legs)[0] == 120
