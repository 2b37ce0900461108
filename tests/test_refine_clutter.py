"""The photo's body mask when segmentation leaks into clutter beside the figure."""

from __future__ import annotations

import numpy as np

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
