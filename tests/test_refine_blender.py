"""Metrics and the loop on real Blender renders (wrap, flat masks)."""

from __future__ import annotations

import pytest

from garment_addon.core.refine.loop import fit
from garment_addon.core.refine.metrics import compare_masks
from garment_addon.core.spec import make_spec

pytestmark = [pytest.mark.blender, pytest.mark.slow]


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
