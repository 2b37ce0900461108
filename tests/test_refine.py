"""Refinement metrics and loop, with the pure-Python silhouette renderer standing in for Blender."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage.metrics import structural_similarity

from garment_addon.core.errors import UserError
from garment_addon.core.refine.loop import Refiner, fit
from garment_addon.core.refine.metrics import compare_masks
from garment_addon.core.refine.photo import load_target
from garment_addon.core.refine.proposer import build_spec, parse_critique
from garment_addon.core.refine.silhouette import as_photo, render_silhouette
from garment_addon.core.spec import make_spec

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "garmentcode_shirt.png"


def render(spec, size=160):
    return render_silhouette(spec, size)


def spec(t, **m):
    return make_spec({"garment_type": t, "measurements": m})


def shifted_scaled(img: np.ndarray, scale: float, dx: int, dy: int, fill) -> np.ndarray:
    """The picture zoomed by ``scale`` and moved, on a canvas of the same size (a re-framed photo)."""
    h, w = img.shape[:2]
    mode_img = Image.fromarray(img.astype(np.uint8) * (255 if img.dtype == bool else 1))
    z = mode_img.resize((int(w * scale), int(h * scale)), Image.Resampling.NEAREST)
    canvas = Image.new(mode_img.mode, (w, h), fill)
    canvas.paste(z, (dx, dy))
    out = np.asarray(canvas)
    return out > 127 if img.dtype == bool else out


# -- metrics --------------------------------------------------------------------------------------
def test_different_garments_on_white_score_far_apart():
    dress, pants = as_photo(render(spec("dress"))), render(spec("pants"))
    # the seed's whole-image comparison could not tell them apart ...
    seed_like = structural_similarity(dress[0].mean(-1), pants[0].mean(-1), data_range=255)
    assert seed_like > 0.85
    # ... comparing the garments can
    assert compare_masks(dress[1], pants[1], dress[2], pants[2])["score"] <= 0.6
    assert compare_masks(dress[1], pants[1])["score"] <= 0.6  # no body visible: garment frame


def test_same_garment_with_small_changes_scores_high():
    a = as_photo(render(spec("dress", skirt_length=55, flare=8)))
    b = render(spec("dress", skirt_length=57, flare=9))
    assert compare_masks(a[1], b[1], a[2], b[2])["score"] >= 0.95
    assert compare_masks(a[1], b[1])["score"] >= 0.95


def test_scale_and_position_are_normalised():
    rgb, garment, body = as_photo(render(spec("skirt", skirt_length=50), size=200))
    g2 = shifted_scaled(garment, 0.8, 30, 10, 0)
    b2 = shifted_scaled(body, 0.8, 30, 10, 0)
    assert compare_masks(g2, garment, b2, body)["score"] >= 0.95
    assert compare_masks(g2, garment)["score"] >= 0.95


def test_score_orders_by_closeness():
    target = as_photo(render(spec("dress", skirt_length=70)))
    scores = [compare_masks(target[1], r[1], target[2], r[2])["score"]
              for r in (render(spec("dress", skirt_length=s)) for s in (70, 62, 50, 35))]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0.99


def test_photo_segmentation_of_the_example_render():
    t = load_target(EXAMPLE)
    assert t.body is not None
    frac = t.garment.sum() / t.body.sum()
    assert 0.2 < frac < 0.5  # a short shirt on a full mannequin
    rows = np.flatnonzero(t.garment.any(1))
    body_rows = np.flatnonzero(t.body.any(1))
    assert rows[0] > body_rows[0] and rows[-1] < (body_rows[0] + body_rows[-1]) / 2 + 40


def test_unreadable_photo_is_a_user_error(tmp_path):
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    with pytest.raises(UserError, match="image"):
        load_target(bad)


# -- loop -----------------------------------------------------------------------------------------
def test_converges_on_a_synthetic_target_from_another_start():
    truth = spec("dress", skirt_length=80, sleeve_length=45, flare=20)
    res = fit(as_photo(render(truth)), spec("dress"), render, max_iters=15, threshold=0.95)
    assert res.stop_reason == "threshold"
    assert res.best.score >= 0.95
    assert abs(res.best.spec.m["skirt_length"] - 80) < 5
    assert abs(res.best.spec.m["sleeve_length"] - 45) < 6
    assert res.records[0].scores["score"] < 0.8  # it really started far away


def test_wrong_start_type_is_corrected_by_categorical_alternatives():
    truth = spec("skirt", skirt_length=40, flare=25)
    res = fit(as_photo(render(truth)), spec("dress"), render, max_iters=15)
    assert res.best.spec.garment_type == "skirt"
    assert any(r.decision == "alternative:type=skirt" and r.accepted for r in res.records)


def test_keep_best_never_returns_worse_than_seen():
    truth = as_photo(render(spec("pants", pant_length=80)))
    calls = {"n": 0}

    def flaky(s):  # every third render is garbage
        calls["n"] += 1
        rgb, g, b = render(s)
        return (rgb, np.zeros_like(g), b) if calls["n"] % 3 == 0 else (rgb, g, b)

    res = fit(truth, spec("pants"), flaky, max_iters=10, threshold=0.999)
    best_seen = max(r.scores["score"] for r in res.records)
    assert res.best.score == best_seen
    running = [r.best_score for r in res.records]
    assert running == sorted(running)
    assert any(r.scores["score"] < res.best.score for r in res.records if r.index % 3 == 2)


def test_stop_threshold_on_a_perfect_start():
    s = spec("shirt")
    res = fit(as_photo(render(s)), s, render)
    assert res.stop_reason == "threshold" and len(res.records) == 1 and res.best.score >= 0.99


def test_stop_max_iters():
    res = fit(as_photo(render(spec("dress", skirt_length=100))), spec("dress"), render, max_iters=3)
    assert res.stop_reason == "max_iters" and len(res.records) == 3


def test_stop_plateau_when_nothing_changes_the_render():
    fixed = render(spec("skirt"))
    res = fit(as_photo(render(spec("skirt", skirt_length=90))), spec("skirt"), lambda s: fixed, max_iters=40)
    assert res.stop_reason == "plateau"
    assert len(res.records) < 40


def test_plateau_first_probes_late_parameters_then_tries_alternatives():
    fixed = render(spec("shirt"))  # nothing the loop does changes the render: every idea gets tried
    res = fit(as_photo(render(spec("shirt", bodice_length=70))), spec("shirt"), lambda s: fixed, max_iters=60)
    decisions = [r.decision for r in res.records]
    first_alt = min(i for i, d in enumerate(decisions) if d.startswith("alternative:"))
    assert res.stop_reason == "plateau" and len(res.records) < 60
    assert decisions.index("probe:neckline_width") < first_alt  # the seed stopped before either
    assert {"alternative:fit=fitted", "alternative:type=jacket"} <= set(decisions)


class FakeCritic:
    def __init__(self, answer):
        self.answer = answer
        self.calls = 0

    def __call__(self, photo, render_rgb, spec_dict):
        assert photo.ndim == 3 and render_rgb.ndim == 3 and "measurements" in spec_dict
        self.calls += 1
        return self.answer(spec_dict) if callable(self.answer) else self.answer


def test_vlm_converged_and_low_confidence_stop():
    target = as_photo(render(spec("dress", skirt_length=70)))
    done = FakeCritic({"differences": [], "adjustments": {}, "confidence": 0.9, "converged": True})
    res = fit(target, spec("dress"), render, critic=done)
    assert res.stop_reason == "vlm_converged" and done.calls == 1 and res.backend == "vlm"
    unsure = FakeCritic({"differences": ["?"], "adjustments": {}, "confidence": 0.1, "converged": False})
    assert fit(target, spec("dress"), render, critic=unsure).stop_reason == "vlm_low_confidence"


def test_vlm_adjustments_are_damped_and_bounded():
    target = as_photo(render(spec("dress", skirt_length=70)))
    start = spec("dress", skirt_length=55)
    critic = FakeCritic(lambda d: {"differences": ["skirt too short"], "confidence": 0.8, "converged": False,
                                   "adjustments": {"skirt_length": d["measurements"]["skirt_length"] + 10}})
    r = Refiner(target, start, render, critic=critic, threshold=0.999)
    r.step()
    rec = r.step()
    assert rec.decision == "vlm"
    assert rec.spec["measurements"]["skirt_length"] == pytest.approx(55 + 0.7 * 10, abs=0.01)
    huge = parse_critique({"adjustments": {"skirt_length": 500}, "confidence": 1}, start)
    assert huge.measurements["skirt_length"] <= 55 + 0.15 * 95 + 1e-6
    # a jacket's neckline (its break point near the waist, 40 cm) lies past the 2-25 cm search span:
    # a 2 cm nudge moves it 2 cm, it is not dragged up to 25 cm (the lapels back to the bust)
    jacket = make_spec({"garment_type": "jacket"})
    nudge = parse_critique({"adjustments": [{"field": "neckline_depth", "delta_cm": -2}], "confidence": 1}, jacket)
    assert nudge.measurements["neckline_depth"] == pytest.approx(jacket.m["neckline_depth"] - 2)


def test_unusable_vlm_answer_falls_back_to_offline():
    def broken(*_):
        raise RuntimeError("no model answered")

    r = Refiner(as_photo(render(spec("dress", skirt_length=70))), spec("dress"), render, critic=broken,
                threshold=0.999)
    r.step()
    assert "(vlm unusable)" in r.step().decision
    assert parse_critique({"adjustments": {"no_such_field": 3}}, spec("dress")) is None


def test_step_api_for_the_modal_operator():
    r = Refiner(as_photo(render(spec("skirt", skirt_length=45))), spec("skirt"), render, max_iters=4)
    n = 0
    while not r.done:
        rec = r.step()
        n += 1
        assert rec.index == n - 1 and rec.seconds >= 0
    with pytest.raises(RuntimeError):
        r.step()
    report = r.result().report()
    assert {"iterations", "best", "stop_reason"} <= set(report) and len(report["iterations"]) == n


def test_build_spec_keeps_specs_valid():
    s = build_spec(spec("shirt"), {"sleeve_length": 4.0, "bust": 70, "waist": 120})
    assert s.m["sleeve_length"] == 0.0 and s.m["waist"] <= s.m["bust"] * 1.25
    p = build_spec(spec("pants"), {"pant_length": 70})
    assert p.m["inseam"] == pytest.approx(70 - p.m["rise"])


def test_bad_options_are_user_errors():
    t = as_photo(render(spec("skirt")))
    with pytest.raises(UserError, match="max_iters"):
        Refiner(t, spec("skirt"), render, max_iters=0)
    with pytest.raises(UserError, match="backend"):
        Refiner(t, spec("skirt"), render, backend="magic")


def test_progress_reports_and_cancels():
    from garment_addon.core.progress import Cancelled, Progress

    seen = []
    stop = Progress(lambda f, m: seen.append((f, m)), lambda: len(seen) >= 2)
    r = Refiner(as_photo(render(spec("dress", skirt_length=90))), spec("dress"), render, max_iters=10,
                progress=stop)
    with pytest.raises(Cancelled):
        r.run()
    assert len(seen) == 2 and seen[0][0] == pytest.approx(0.1) and "iteration 0" in seen[0][1]
    assert r.best is not None  # what was found so far is still there


def test_quiet_stdout_drops_only_the_egl_noise_from_stderr(capfd):
    import os

    from garment_addon.blender.quiet import quiet_stdout

    with quiet_stdout(filter_stderr=True):
        os.write(1, b"Saved: render.png\n")
        os.write(2, b"EGL Error (0x3009): EGL_BAD_MATCH\n")
        os.write(2, b"a real problem\n")
    out, err = capfd.readouterr()
    assert "Saved" not in out and "EGL" not in err and "a real problem" in err


def test_the_silhouettes_shoulder_follows_a_given_shoulder_slope():
    """The drawn mannequin's and bodice's shoulder drops by as much as a given slope differs from the
    body's own (spec.shoulder_slope): square 2 cm to sloping 8 cm, 6 cm lower at the shoulder point.
    It was drawn 3 cm under the neck whatever the slope; the default (the size's slope) still is."""
    from garment_addon.core.refine import silhouette

    size = 512

    def top(s, mask_index):  # height (cm) of the mask's top 1 cm inside the shoulder point
        b = silhouette.body_measurements(s)
        c = silhouette._Canvas(size, b["height"])
        mask = render_silhouette(s, size)[mask_index]
        (col, _), = c.px([(b["shoulder_width"] / 2 - 1.0, 0.0)])
        row = np.flatnonzero(mask[:, int(round(col))])[0]
        (_, floor), = c.px([(0.0, 0.0)])
        return (floor - row) / c.scale

    default = make_spec({"garment_type": "shirt"})
    b = silhouette.body_measurements(default)
    assert silhouette.shoulder_drop(default, b) == silhouette.SHOULDER_DROP
    for k in (1, 2):  # the garment, the mannequin
        square, sloping = (top(make_spec({"garment_type": "shirt", "measurements": {"shoulder_slope": v}}), k)
                           for v in (2.0, 8.0))
        assert square - sloping == pytest.approx(6.0, abs=1.0), k
