"""Categorical garment attributes and the rules that turn them into spec measurements.

Shared by the offline analyzer, the VLM path and the text parser: a VLM (or a word in
a sentence) is good at choosing "knee" and bad at guessing centimetres, so categories
are mapped to measurements here, scaled by the body's height.
"""

from __future__ import annotations

import bisect
from typing import Any

from .garments import TYPES, has_bodice, has_part, is_top
from .proportions import ARM_LENGTH, BODY
from .spec import SIZE_TABLE, hand_rest

LENGTHS = ("mini", "knee", "midi", "maxi", "ankle")
TOP_LENGTHS = ("cropped", "hip", "long")
SLEEVES = ("none", "short", "elbow", "long")
SILHOUETTES = ("fitted", "A-line", "flared", "wide-leg")
NECKLINES = ("crew", "scoop", "v-neck", "boat", "collared", "hood")

# Where each length class puts the hem (fraction of height, from the top of the head).
LENGTH_HEM = dict(mini=0.60, knee=0.71, midi=0.82, maxi=0.93, ankle=0.95)
# Sleeve length as a fraction of the arm (shoulder point to wrist).
SLEEVE_FRACTION = dict(none=0.0, short=0.33, elbow=0.6, long=1.0)
TOP_HEM = dict(cropped=0.43, hip=0.52, long=0.62)


def height_cm(size: str = "M") -> float:
    return float(SIZE_TABLE.get(size, SIZE_TABLE["M"])["height"])


# Class boundaries: hem (fraction of height) between the LENGTHS, covered arm between the SLEEVES.
LENGTH_EDGES = (0.655, 0.765, 0.875, 0.945)
SLEEVE_EDGES = (0.12, 0.47, 0.78)


def length_class(hem: float) -> str:
    """Length class of a hem at ``hem`` x height below the top of the head."""
    return LENGTHS[bisect.bisect_right(LENGTH_EDGES, hem)]


def sleeve_class(fraction: float) -> str:
    """Sleeve class from the covered fraction of the arm."""
    return SLEEVES[bisect.bisect_right(SLEEVE_EDGES, fraction)]


def silhouette_class(hem_over_hip: float, garment_type: str) -> str:
    if has_part(garment_type, "pants"):
        return "wide-leg" if hem_over_hip > 1.15 else "fitted"
    if hem_over_hip < 1.12:
        return "fitted"
    if hem_over_hip < 1.6:
        return "A-line"
    return "flared"


def measurements_from_categories(
    garment_type: str, attrs: dict[str, Any], size: str = "M"
) -> dict[str, float]:
    """Rule-based measurements for categorical attributes (only the ones that are set); ``has_cuffs``
    among them (None or absent: the type's default) ends a long sleeve at the wrist."""
    h = height_cm(size)
    out: dict[str, float] = {}
    length = attrs.get("length")
    if has_part(garment_type, "skirt") and length in LENGTH_HEM:
        out["skirt_length"] = round((LENGTH_HEM[length] - BODY["waist"]) * h, 1)
    if has_part(garment_type, "pants") and length in LENGTH_HEM:
        out["pant_length"] = round((min(LENGTH_HEM[length], BODY["ankle"]) - BODY["waist"]) * h, 1)
    if is_top(garment_type) and length in TOP_HEM:
        out["bodice_length"] = round((TOP_HEM[length] - BODY["neck"] + 0.01) * h, 1)
    sleeves = attrs.get("sleeves")
    if has_bodice(garment_type) and sleeves in SLEEVE_FRACTION:
        s = SLEEVE_FRACTION[sleeves] * ARM_LENGTH * h
        cuffed = attrs.get("has_cuffs")
        if sleeves == "long" and not (TYPES[garment_type].defaults.get("has_cuffs") if cuffed is None else cuffed):
            # onto the hand, as the type's own long sleeve (spec._sleeve_to_hand): "long sleeves" on a
            # default shirt had shortened it from 61 to 58 cm; a cuff holds at the wrist
            s += hand_rest(h)
        out["sleeve_length"] = round(0.0 if s == 0 else max(s, 17.0), 1)
    sil = attrs.get("silhouette")
    if has_part(garment_type, "skirt") and sil in SILHOUETTES:
        out["flare"] = {"fitted": 1.0, "A-line": 8.0, "flared": 25.0, "wide-leg": 8.0}[sil]
    if has_part(garment_type, "pants") and sil in SILHOUETTES:
        base = SIZE_TABLE.get(size, SIZE_TABLE["M"])["ankle"]
        out["ankle"] = round(base * (2.0 if sil in ("wide-leg", "flared") else 1.0), 1)
    neck = attrs.get("neckline")
    # a jacket's collared or V front is its lapels' opening: the break point follows the body
    # (spec._jacket_break, just above the waist), not a shirt's 8 cm collar or 18 cm V
    lapels = garment_type == "jacket" and neck in ("collared", "v-neck")
    if has_bodice(garment_type) and neck in NECKLINES and not lapels:
        out["neckline_depth"] = {
            "crew": 7.0,
            "scoop": 13.0,
            "v-neck": 18.0,
            "boat": 4.0,
            "collared": 8.0,
            "hood": 7.0,
        }[neck]
    return out

