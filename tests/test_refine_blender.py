"""Metrics and the loop on real Blender renders (wrap, flat masks)."""

from __future__ import annotations

import pytest

from garment_addon.core.refine.loop import fit
from garment_addon.core.refine.metrics import compare_masks
from garment_addon.core.spec import make_spec

pytestmark = [pytest.mark.blender, pytest.mark.slow, pytest.mark.xdist_group("refine_blender")]  # one renderer


@pytest.fixture(scope="module")
def render():
    from garment_addon.blender.refine_render import make_blender_render_fn

    return make_blender_render_fn("wrap", 128, rgb=False)


def spec(t, **m):
    return make_spec({"garment_type": t, "measurements": m})


def test_blender_renders_separate_garments_and_match_near_copies(render):
    dress = render(spec("dress", skirt_length=60))
    pants = render(spec("pants"))
    near = render(spec("dress", skirt_length=62))
    assert dress[1].any() and dress[2].sum() > dress[1].sum()
    assert compare_masks(dress[1], pants[1], dress[2], pants[2])["score"] <= 0.6
    assert compare_masks(dress[1], near[1], dress[2], near[2])["score"] >= 0.95


def test_loop_recovers_a_skirt_length_on_blender(render):
    target = render(spec("skirt", skirt_length=80))
    res = fit(target, spec("skirt", skirt_length=55), render, max_iters=12)
    assert res.best.score > res.records[0].scores["score"] + 0.05
    assert abs(res.best.spec.m["skirt_length"] - 80) < 6


def test_arms_down_renders_sleeves_along_the_body_and_restores_the_a_pose(render):
    import numpy as np

    from garment_addon.blender.scene import coords

    shirt = spec("shirt", sleeve_length=58)
    _, a_garment, a_person = render(shirt)
    result = render.state["result"]
    before = coords(result.mannequin), coords(result.garment)
    _, d_garment, d_person = render(shirt, pose="arms-down")

    def width(mask):
        cols = np.flatnonzero(mask.any(axis=0))
        return cols[-1] - cols[0]

    # long sleeves out at 38 degrees span most of the picture; hanging, about the body's width
    assert width(d_garment) < 0.75 * width(a_garment)
    assert width(d_person) < 0.75 * width(a_person)
    assert 0.8 < d_garment.sum() / a_garment.sum() < 1.2  # the same garment, turned
    after = coords(result.mannequin), coords(result.garment)
    assert all(np.array_equal(b, c) for b, c in zip(before, after, strict=True))
