"""Wearing ease (cm added to the body measurement) by fit, and derived body proportions."""

from __future__ import annotations

from ...garments import TYPES

EASE = {
    "fitted": dict(bust=5, waist=3, hip=4, bicep=4, wrist=6, thigh=4, knee=6, ankle=10, armhole=0.0),
    "regular": dict(bust=10, waist=10, hip=8, bicep=7, wrist=10, thigh=8, knee=12, ankle=16, armhole=1.5),
    "loose": dict(bust=18, waist=20, hip=14, bicep=11, wrist=14, thigh=14, knee=20, ankle=24, armhole=3.0),
}
# Outerwear (core.garments: GarmentType.outerwear) is worn over other clothes.
LAYER_EASE = dict(bust=4, waist=4, hip=4, bicep=3, wrist=4, armhole=1.0)

HIP_DEPTH = 20.0  # waist to full hip, cm
# The shoulder slope (spec shoulder_slope: side-neck point to shoulder point) armhole_depth is drafted
# for. A body's own slope lowers the shoulder point and the underarm with it, by its difference from
# this (the pattern maker's sloping-shoulder alteration): the armhole keeps its size and shape, and
# the sleeve cap sewn into it its width. Held at the underarm (size XXL's 7.8 cm slope: the armhole
# 54.8 -> 49.3 cm round), the sleeve lost 2-5 cm of width, a fitted L..XXL one below its bicep's ease
# (its cap lowered with a warning).
ARMHOLE_SLOPE = 4.5
BACK_NECK_DROP = 2.0  # side-neck point to centre-back neck, cm
# Total sleeve-cap ease, cm: a fitted set-in sleeve needs room over the shoulder joint (2-3 cm),
# a shirt sleeve about 1.5, a loose dropped-shoulder sleeve almost none; tailoring adds a little.
CAP_EASE = {"fitted": 2.4, "regular": 1.5, "loose": 0.8}
LAYER_CAP_EASE = 0.5
HAND_EASE = 6.0  # a closed sleeve hem or cuff must pass the hand: at least wrist + 6 cm
# Outerwear's plain hem on the hand also goes over a shirt's buttoned cuff (wrist + 3): wrist + 8 cm, as
# tailored jacket sleeves are (wrist + 8-10). It had kept the layer's wrist ease (wrist + 14: XXL 33
# cm), which hung past the hand as a wide flat panel and broke too little above it (drape
# sleeve_break S / M / L / XL / XXL 1.033 / 1.032 / 1.021 / 1.021 / 1.017 -> 1.062 / 1.052 / 1.042 /
# 1.037 / 1.034). The shown mannequin's hand is about as big at every size (25-26 cm round at its
# widest) while the wrist grows, so a wider hem is held less at XXL: wrist + 10 broke 1.031 / 1.025 at
# XL / XXL. Narrowed before the wrap turned a two-piece under sleeve into its top sleeve's gap, the
# sleeve folded through itself above the wrist (M 0 -> 21 crossings); now 0 at XS..XXL.
OVER_CUFF = 2.0


# Knit stretches: the body needs less room, the cap hardly any (knit sleeves have flat caps).
KNIT_EASE_FACTOR = 0.6  # of the woven ease, for the girths a knit hugs (not the armhole depth or wrist)
KNIT_SCALED = ("bust", "waist", "hip", "bicep", "thigh", "knee", "ankle")
KNIT_CAP_EASE = 0.6  # cm: a set-in cap keeps at least 0.5 (the solver measures within 0.01)


def _outerwear(garment_type: str) -> bool:
    return garment_type in TYPES and TYPES[garment_type].outerwear


def ease(fit: str, garment_type: str, fabric: str = "woven") -> dict[str, float]:
    e = dict(EASE[fit])
    for k, v in (LAYER_EASE if _outerwear(garment_type) else {}).items():
        e[k] += v
    if fabric == "knit":
        e.update({k: v * KNIT_EASE_FACTOR for k, v in e.items() if k in KNIT_SCALED})
    return e


def cap_ease(fit: str, garment_type: str, fabric: str = "woven") -> float:
    if fabric == "knit":
        return KNIT_CAP_EASE
    return min(3.0, CAP_EASE[fit] + (LAYER_CAP_EASE if _outerwear(garment_type) else 0.0))


def spec_ease(spec, garment_type: str | None = None) -> dict[str, float]:
    """ease() for a GarmentSpec: its fit, type and fabric."""
    return ease(spec.fit, garment_type or spec.garment_type, spec.fabric)


def armhole_depth(bust: float, fit: str, garment_type: str, back_waist_length: float,
                  shoulder_slope: float = ARMHOLE_SLOPE) -> float:
    """Side-neck point to underarm level (for the ARMHOLE_SLOPE never lower than 62% of the way to
    the waist), lowered by a steeper shoulder's slope past ARMHOLE_SLOPE."""
    extra = ease(fit, garment_type)["armhole"] + (1.5 if garment_type == "vest" else 0.0)
    return min(bust / 8 + 10.5, 0.62 * back_waist_length) + extra + shoulder_slope - ARMHOLE_SLOPE


# A waistband is sewn to the waist and holds the garment up: it may not slide down, so a skirt's or
# trousers' waist gets 1-3 cm whatever the fit (the fit's ease goes to the hip and seat).
BAND_WAIST_EASE = {"fitted": 1.0, "regular": 2.0, "loose": 3.0}
# Finished waist of a top over the body waist, by fit (a loose top is not shaped to the waist).
TOP_WAIST_EASE = {"fitted": 5.0, "regular": 14.0, "loose": 20.0}


def band_waist_ease(fit: str) -> float:
    return BAND_WAIST_EASE[fit]


def waist_ease_drafted(spec) -> float:
    """Waist ease a top is drafted to (a loose one only where its waist is bigger than the bust)."""
    base = TOP_WAIST_EASE[spec.fit] + (LAYER_EASE["waist"] if _outerwear(spec.garment_type) else 0.0)
    return base * (KNIT_EASE_FACTOR if spec.fabric == "knit" else 1.0)


def top_waist_ease(spec) -> float | None:
    """Declared waist ease of a top (None: a loose top hangs straight, its waist is not fitted)."""
    return None if spec.fit == "loose" else waist_ease_drafted(spec)
