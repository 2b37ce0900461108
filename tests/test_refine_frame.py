"""Fit in the right frame: product shots and cut-outs in the garment frame scaled by the garment itself,
and the loop's garment-type switches (a clear margin; never away from a type the classifier is sure of)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from garment_addon.core.pattern.drafting.ease import spec_ease
from garment_addon.core.refine import frame
from garment_addon.core.refine.loop import Refiner
from garment_addon.core.refine.metrics import compare_masks
from garment_addon.core.refine.proposer import TYPE_MARGIN, OfflineProposer, VLMProposer, beats, sure_type
from garment_addon.core.refine.silhouette import as_photo, render_silhouette
from garment_addon.core.spec import make_spec


def spec(t, meta=None, **m):
    return make_spec({"garment_type": t, "measurements": m, "metadata": meta or {}})


def render(s):
    return render_silhouette(s, 160)


def flat_lay(s, zoom: float = 1.6, canvas: int = 420):
    """A photo of ``s``'s garment on its own: the render's garment widened until its anchor is
    LYING_WIDTH of the finished girth, zoomed by an unknown factor, no body."""
    _, g, b = render_silhouette(s, 256)
    ppcm = frame.render_px_per_cm(b | g, s)
    key = frame.anchor_rule(s.garment_type)[0]
    width, _ = frame.anchor(g, s.garment_type)
    sx = (s.m[key] + spec_ease(s)[key]) * frame.LYING_WIDTH * ppcm / width
    rows, cols = np.flatnonzero(g.any(1)), np.flatnonzero(g.any(0))
    crop = Image.fromarray(g[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].astype(np.uint8) * 255)
    m = np.asarray(crop.resize((int(crop.width * sx * zoom), int(crop.height * zoom)))) > 127
    mask = np.zeros((canvas, canvas), bool)
    x0 = (canvas - m.shape[1]) // 2
    mask[30:30 + m.shape[0], x0:x0 + m.shape[1]] = m[: canvas - 30]
    pic = np.full((canvas, canvas, 3), 235, np.uint8)
    pic[mask] = (180, 40, 60)
    return pic, mask, None


def test_photo_scale_is_the_finished_girth_across_the_anchor():
    s = spec("skirt", waist=70)
    mask = np.zeros((300, 200), bool)
    mask[20:260, 40:160] = True  # a straight skirt 120 px wide at its waistband
    sc = frame.photo_scale(mask, s)
    girth = 70 + spec_ease(s)["waist"]
    assert sc.anchor == "waist" and abs(sc.px_per_cm - 120 / (frame.LYING_WIDTH * girth)) < 1e-6
    assert "120 px" in sc.to_dict()["source"]
    sliver = np.zeros_like(mask)
    sliver[20:260, 100:106] = True  # a 6 px wide segmentation 240 px long: 14 m long at that scale
    assert frame.photo_scale(sliver, s) is None


def _v_neck_dress(sleeves: bool) -> np.ndarray:
    """A 51 px wide dress whose V neckline runs 40 % down its anchor rows; sleeves hang apart."""
    mask = np.zeros((200, 260), bool)
    mask[40:170, 105:156] = True
    for y in range(40, 85):  # the V: 24 px wide at the top, closed at row 85
        half = (85 - y) * 12 // 45
        mask[y, 130 - half:131 + half] = False
    if sleeves:
        for y in range(45, 120):
            d = (y - 45) // 2
            mask[y, 96 - d:104 - d] = mask[y, 157 + d:165 + d] = True
    return mask


def test_a_neckline_gap_is_not_the_garment_width():
    """A real sleeveless V-neck dress on a hanger was fitted with long sleeves (score 0.36 -> 0.55):
    the render's anchor took one half of the V (24 px of 46) until sleeves, widening the row's gap
    tolerance, joined the halves. Both halves of a row across the centre line are the garment."""
    bare, sleeved = (frame.anchor(_v_neck_dress(s), "dress") for s in (False, True))
    assert bare == sleeved == (51.0, 130.0), (bare, sleeved)


def test_flat_lay_lengths_take_their_scale_from_the_garment():
    truth = spec("dress", skirt_length=60, flare=15)
    photo = flat_lay(truth)
    for start_length in (90, 40):
        ref = Refiner(photo, spec("dress", skirt_length=start_length), render, max_iters=25, threshold=0.97)
        res = ref.run()
        assert res.frame["frame"] == "garment" and res.frame["scale"]["anchor"] == "waist"
        assert {r.scores["frame"] for r in res.records} == {"garment"}
        assert abs(res.best.spec.m["skirt_length"] - 60) < 6, res.best.spec.m["skirt_length"]


def test_unscaled_garment_box_lets_the_length_run_off():
    """Why the scale is needed: in each garment's own box the same fit drifts (the 104 cm midi dress)."""
    ref = Refiner(flat_lay(spec("dress", skirt_length=60, flare=15)), spec("dress", skirt_length=90), render,
                  max_iters=25, threshold=0.97)
    ref.scale = None
    assert abs(ref.run().best.spec.m["skirt_length"] - 60) > 15


def test_a_length_the_analyser_measured_sets_the_scale():
    measured = {"method": "plain+product"}  # the analyser's product path measured these lengths
    photo = flat_lay(spec("skirt", skirt_length=50, flare=10))
    res = Refiner(photo, spec("skirt", measured, skirt_length=55, flare=10), render, max_iters=12).run()
    assert res.frame["scale"]["anchor"] == "length" and "kept within" not in res.frame["scale"]["source"]
    assert abs(res.best.spec.m["skirt_length"] - 55) < 3  # the analyser's length stands
    _, g, b = render(s := spec("skirt", measured, skirt_length=120, flare=10))
    wild = frame.start_scale(photo[1], g, b, s)  # a ruler 2.4x off the waistband's scale: kept near it
    assert "kept within 1.4x" in wild.source
    assert abs(wild.px_per_cm / frame.photo_scale(photo[1], s).px_per_cm - 1 / frame.WIDTH_BAND) < 1e-6


def _cut_off(photo, keep: float):
    """``photo`` cropped ``keep`` of its garment's height below the garment's top: its hem out of the picture."""
    pic, mask, body = photo
    rows = np.flatnonzero(mask.any(1))
    end = rows[0] + int(keep * (rows[-1] + 1 - rows[0]))
    return pic[:end], mask[:end], body


def test_a_garment_cut_off_by_the_photo_keeps_its_length(monkeypatch):
    """A dress photographed down to its knees: the picture ends, not the dress. Compared down to the
    photo's edge only; scored to the end of the render, the loop shortened the skirt to the edge."""
    photo = _cut_off(flat_lay(spec("dress", skirt_length=60, flare=15)), 0.7)
    whole = flat_lay(spec("dress"))[1]
    assert frame.cut_at_bottom(photo[1]) and not frame.cut_at_bottom(whole)
    leak = whole.copy()  # a tile joint the segmentation followed from the hem to the photo's corner
    rows = np.flatnonzero(leak.any(1))
    for y in range(rows[-1], leak.shape[0]):
        leak[y, min(leak.shape[1] - 2, 200 + y - rows[-1]):][:2] = True
    assert leak[-1].any() and not frame.cut_at_bottom(leak)
    start = spec("dress", skirt_length=60, flare=15)
    res = Refiner(photo, start, render, max_iters=20, threshold=0.97).run()
    assert "cuts the garment off" in res.frame["cut_off"]
    assert abs(res.best.spec.m["skirt_length"] - 60) < 5, res.best.spec.m["skirt_length"]
    monkeypatch.setattr(frame, "cut_at_bottom", lambda mask: False)
    shortened = Refiner(photo, start, render, max_iters=20, threshold=0.97).run()
    assert shortened.best.spec.m["skirt_length"] < 50, shortened.best.spec.m["skirt_length"]


def test_a_cut_off_garment_is_no_ruler():
    measured = {"method": "plain+product"}
    s = spec("skirt", measured, skirt_length=55, flare=10)
    photo = _cut_off(flat_lay(spec("skirt", skirt_length=50, flare=10)), 0.8)
    _, g, b = render(s)
    assert frame.length_scale(photo[1], g, b, s) is None
    assert frame.start_scale(photo[1], g, b, s) == frame.photo_scale(photo[1], s)  # the waistband's


def test_worn_photo_keeps_the_body_frame():
    res = Refiner(as_photo(render(spec("dress", skirt_length=60))), spec("dress"), render, max_iters=2).run()
    assert res.frame["frame"] == "body" and {r.scores["frame"] for r in res.records} == {"body"}


# -- type switches --------------------------------------------------------------------------------
def _box_masks(rows: tuple[int, int]):
    body = np.zeros((128, 128), bool)
    body[4:124, 40:88] = True
    g = np.zeros_like(body)
    g[rows[0]:rows[1], 44:84] = True
    return g, body


def _typed_render(rows_by_type):
    """A render function whose garment depends only on the type: scores are fixed per type."""
    def fn(s):
        g, body = _box_masks(rows_by_type[s.garment_type])
        return np.zeros((128, 128, 3), np.uint8), g, body
    return fn


TARGET = _box_masks((20, 60))


def _scores(rows_by_type):
    return {t: compare_masks(TARGET[0], _box_masks(r)[0], TARGET[1], _box_masks(r)[1])["score"]
            for t, r in rows_by_type.items()}


def _fit(rows_by_type, meta=None):
    photo = (np.zeros((128, 128, 3), np.uint8), *TARGET)
    return Refiner(photo, spec("dress", meta), _typed_render(rows_by_type), max_iters=8).run()


NEAR = {"dress": (50, 100), "skirt": (49, 99), "shirt": (90, 120)}  # skirt a hair better than dress
FAR = {"dress": (50, 100), "skirt": (30, 80), "shirt": (90, 120)}  # skirt clearly better


def test_a_type_switch_needs_a_clear_margin():
    s = _scores(NEAR)
    assert 0 < s["skirt"] - s["dress"] < TYPE_MARGIN, s  # noise-sized gain ...
    res = _fit(NEAR)
    assert any(r.decision == "alternative:type=skirt" for r in res.records)
    assert res.best.spec.garment_type == "dress"  # ... does not switch
    assert _scores(FAR)["skirt"] - _scores(FAR)["dress"] > TYPE_MARGIN
    assert _fit(FAR).best.spec.garment_type == "skirt"  # a clear gain does


def test_never_away_from_a_type_the_classifier_is_sure_of():
    sure = {"top_types": [{"type": "dress", "p": 0.86}, {"type": "skirt", "p": 0.1}]}
    res = _fit(FAR, sure)
    assert res.best.spec.garment_type == "dress"
    assert not any(r.decision.startswith("alternative:type") for r in res.records)  # not even tried
    unsure = {"top_types": [{"type": "dress", "p": 0.6}, {"type": "skirt", "p": 0.3}]}
    assert _fit(FAR, unsure).best.spec.garment_type == "skirt"


def test_sure_type_and_beats():
    assert sure_type(spec("dress", {"top_types": [{"type": "skirt", "p": 0.9}]})) == "skirt"
    assert sure_type(spec("dress", {"top_types": [{"type": "skirt", "p": 0.79}]})) is None
    assert sure_type(spec("dress", {"top_types": "junk"})) is None and sure_type(spec("dress")) is None
    d, k = spec("dress"), spec("skirt")
    assert beats(d, 0.50, d, 0.49) and not beats(k, 0.109, d, 0.105) and beats(k, 0.14, d, 0.105)
    assert not beats(k, 0.9, d, 0.1, sure="dress") and beats(d, 0.9, k, 0.1, sure="dress")


def test_the_vlm_critic_cannot_switch_away_from_a_sure_type():
    critic = lambda *a: {"adjustments": {"garment_type": "skirt", "skirt_length": 60}, "confidence": 0.9}  # noqa: E731
    best = spec("dress", {"top_types": [{"type": "dress", "p": 0.9}]})
    vlm = VLMProposer(critic, np.zeros((8, 8, 3), np.uint8), OfflineProposer(sure_type(best)))
    vlm.best_rgb = np.zeros((8, 8, 3), np.uint8)
    p = vlm.ask(best)
    assert p.garment_type is None and p.measurements["skirt_length"] > best.m["skirt_length"]
    free = VLMProposer(critic, vlm.photo_rgb, OfflineProposer())
    free.best_rgb = vlm.best_rgb
    assert free.ask(spec("dress")).garment_type == "skirt"


def test_never_away_from_a_sleeve_class_the_classifier_is_sure_of():
    """A jacket on a hanger shows no sleeves beside its body (they hang down its sides): the masks
    alone take the sleeves off; the sleeve head's sure "long" keeps them in the long band."""
    from garment_addon.core.refine.proposer import sleeve_band, sure_sleeves

    photo = as_photo(render(spec("jacket", sleeve_length=0)))
    sure = {"sleeves_p": {"none": 0.01, "short": 0.01, "elbow": 0.03, "long": 0.95},
            "attributes": {"sleeves": "long"}}
    start = spec("jacket", sure, sleeve_length=58)
    assert sure_sleeves(start) == "long"
    assert sure_sleeves(spec("jacket", {**sure, "attributes": {"sleeves": "short"}})) is None  # analyser disagrees
    assert sure_sleeves(spec("jacket", {**sure, "sleeves_p": {"long": 0.7, "none": 0.3}})) is None
    lo, hi = sleeve_band(start, "long")
    assert 40 < lo < 50 and hi >= 60
    kept = Refiner(photo, start, render, max_iters=10).run()
    assert lo <= kept.best.spec.m["sleeve_length"] <= hi
    assert not any(r.decision.startswith("alternative:sleeve") for r in kept.records)
    free = Refiner(photo, spec("jacket", sleeve_length=58), render, max_iters=10).run()
    assert free.best.spec.m["sleeve_length"] < lo  # the masks alone: sleeves off


def test_a_switch_to_or_from_a_jacket_takes_the_new_types_neckline():
    """A jacket's neckline_depth is its break point (just above the waist), a top's its neckline: a
    shirt switched to a jacket was buttoned 7 cm under the neck, a jacket switched to a shirt had a 40 cm V."""
    from garment_addon.core.refine.proposer import build_spec

    shirt = spec("shirt")
    jacket = build_spec(shirt, {}, "jacket")
    assert jacket.m["neckline_depth"] == make_spec({"garment_type": "jacket"}).m["neckline_depth"] > 30
    assert build_spec(jacket, {}, "shirt").m["neckline_depth"] == shirt.m["neckline_depth"] < 10
    assert build_spec(spec("dress", neckline_depth=15), {}, "shirt").m["neckline_depth"] == 15  # measured stays
