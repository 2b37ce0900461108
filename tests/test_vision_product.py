"""Product shots (a garment alone, no person): lengths from a vertical body ruler on the garment."""

from __future__ import annotations

import numpy as np

from bench.synth import body_measurements, expected_attributes, random_spec, render_spec
from garment_addon.core.vision.analyze import analyze_array

KEY = {"dress": "skirt_length", "skirt": "skirt_length", "pants": "pant_length"}


def _bottoms(seed: int, per_type: int):
    """Dresses, skirts and pants alone on white, studio and transparent backgrounds."""
    rng = np.random.default_rng(seed)
    for t in KEY:
        for k in range(per_type):
            spec = random_spec(t, rng)
            bg = ["white", "studio", "transparent"][k % 3]
            yield spec, render_spec(spec, rng=rng, background=bg, mannequin=False, noise=rng.uniform(2, 8))


def test_product_shot_lengths_follow_the_body_not_the_width():
    """Seeds apart from the bench's (7): length class right on >= 3/4 of the correctly typed
    garments; pants (the rise is a sharp ruler) within 6 % of the true length in cm, relative to
    the wearer's height. Width-scaled lengths (before) got 14/21 here and pants up to 16 % long."""
    hits, errors = [], []
    for seed in (5, 23):
        for spec, img in _bottoms(seed, 4):
            t = spec.garment_type
            a = analyze_array(img.rgb, img.alpha)
            if a.garment_type != t:
                continue
            hits.append(a.attributes["length"] == expected_attributes(spec)["length"])
            if t == "pants":  # measured for a size M wearer: compare as fractions of height
                true = min(spec.measurements["pant_length"] / body_measurements(spec)["height"], 0.585)
                errors.append(a.measured["pant_length"] / 168.0 / true - 1)
    print(f"length {sum(hits)}/{len(hits)}, pants error {np.round(errors, 3)}")
    assert len(hits) >= 16
    assert np.mean(hits) >= 0.75
    assert np.max(np.abs(errors)) <= 0.06


def test_product_shot_types_sleeves_and_bodice_lengths():
    """Every type the photo analyser knows (seed apart from the bench's): type from a waistband vs shoulders, a dress's
    waist high vs a top's low, and a front opening in centimetres (jacket, vest: 18-28; shirt
    neckline: 5-13); sleeves and bodice lengths scaled by the waist ruler, not the width (before,
    on this set: 17/21 types, bodice lengths -21 % to +35 %)."""
    from garment_addon.core.garments import PHOTO_TYPES

    rng = np.random.default_rng(31)
    types, sleeves, bodice = [], [], []
    for t in PHOTO_TYPES:
        for k in range(3):
            spec = random_spec(t, rng)
            bg = ["white", "studio", "transparent"][k]
            img = render_spec(spec, rng=rng, background=bg, mannequin=False, noise=rng.uniform(2, 8))
            a = analyze_array(img.rgb, img.alpha)
            types.append(a.garment_type == t)
            if a.garment_type != t:
                continue
            want = expected_attributes(spec)
            if "sleeves" in want:
                sleeves.append(a.attributes["sleeves"] == want["sleeves"])
            if "bodice_length" in a.measured and t != "dress":
                true = spec.measurements["bodice_length"] / body_measurements(spec)["height"]
                bodice.append(a.measured["bodice_length"] / 168.0 / true - 1)
    print(f"type {sum(types)}/{len(types)} sleeves {sum(sleeves)}/{len(sleeves)} bodice {np.round(bodice, 2)}")
    assert np.mean(types) >= 0.9
    assert len(sleeves) >= 12 and np.mean(sleeves) >= 0.9
    assert len(bodice) >= 10 and np.max(np.abs(bodice)) <= 0.15
