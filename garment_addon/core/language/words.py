"""Garment vocabulary and number parsing shared by the text parser and the edit rules."""

from __future__ import annotations

import re
from typing import Any

from ..fabric import COLOUR_HEX
from ..garments import TYPES, primary_length
from ..spec import FEATURES, MEASUREMENTS


def _alias_implies(defaults: dict[str, Any]) -> dict[str, Any]:
    """A spec alias's defaults as parser words imply them: features direct, numbers as measurements."""
    out: dict[str, Any] = {k: v for k, v in defaults.items() if k in FEATURES}
    numbers = {k: v for k, v in defaults.items() if k in MEASUREMENTS}
    return {**out, "measurements": numbers} if numbers else out


def _plural(name: str) -> str:
    return name + "es" if name.endswith("ss") else name if name.endswith("s") else name + "s"


# word -> (garment type, implied attributes/features/measurements), all from core.garments
TYPE_WORDS: dict[str, tuple[str, dict[str, Any]]] = {}
for _t in TYPES.values():
    TYPE_WORDS.update({_t.name: (_t.name, {}), _plural(_t.name): (_t.name, {})})
    TYPE_WORDS.update({k: (_t.name, _alias_implies(v)) for k, v in _t.aliases.items()})
    TYPE_WORDS.update({k: (_t.name, dict(v)) for k, v in _t.words.items()})

COLOURS = tuple(COLOUR_HEX)  # colour words (core.fabric holds each one's sRGB hex)

LENGTH_WORDS = {
    "mini": "mini",
    "micro": "mini",
    "short": None,
    "knee": "knee",
    "knee-length": "knee",
    "bermuda": "knee",
    "midi": "midi",
    "mid-calf": "midi",
    "tea-length": "midi",
    "maxi": "maxi",
    "floor-length": "maxi",
    "floor": "maxi",
    "ankle": "ankle",
    "ankle-length": "ankle",
    "full-length": "ankle",
    "cropped": "cropped",
    "crop": "cropped",
    "hip-length": "hip",
    "capri": "midi",  # "capri pants", "capri leggings"
}
SLEEVE_WORDS = {
    "short": "short",
    "cap": "short",
    "elbow": "elbow",
    "elbow-length": "elbow",
    "3/4": "elbow",
    "three-quarter": "elbow",
    "half": "elbow",
    "long": "long",
    "full": "long",
    "wrist": "long",
    "no": "none",
}
# cloth words -> fabric (knit stretches over the head; woven needs an opening)
FABRIC_WORDS = {
    **dict.fromkeys(("knit", "knitted", "jersey", "stretch", "stretchy", "ribbed", "fleece", "spandex", "lycra"),
                    "knit"),
    **dict.fromkeys(("woven", "denim", "linen", "poplin", "chiffon", "silk", "satin", "tweed", "chambray",
                     "twill", "corduroy", "canvas", "taffeta", "organza", "broadcloth", "oxford"), "woven"),
}

FIT_WORDS = {
    "fitted": "fitted",
    "slim": "fitted",
    "tight": "fitted",
    "bodycon": "fitted",
    "skinny": "fitted",
    "form-fitting": "fitted",
    "tailored": "fitted",
    "regular": "regular",
    "classic": "regular",
    "loose": "loose",
    "relaxed": "loose",
    "oversized": "loose",
    "baggy": "loose",
    "boxy": "loose",
    "flowy": "loose",
}
SILHOUETTE_WORDS = {
    "a-line": "A-line",
    "aline": "A-line",
    "flared": "flared",
    "flare": "flared",
    "circle": "flared",
    "skater": "flared",
    "full": "flared",
    "pencil": "fitted",
    "sheath": "fitted",
    "straight": "fitted",
    "wide-leg": "wide-leg",
    "palazzo": "wide-leg",
    "bootcut": "wide-leg",
    "bell-bottom": "wide-leg",
}
NECKLINE_WORDS = {
    "v-neck": "v-neck",
    "v-necked": "v-neck",
    "vneck": "v-neck",
    "crew": "crew",
    "crew-neck": "crew",
    "round-neck": "crew",
    "scoop": "scoop",
    "scoop-neck": "scoop",
    "boat": "boat",
    "boat-neck": "boat",
    "bateau": "boat",
}
# who the garment is cut for -> metadata.body_preset (the mannequin, the chest's shape, which front laps);
# apostrophes are gone by the time words are split ("men's" -> "men", "s")
WEARER_WORDS = {
    **dict.fromkeys(("men", "mens", "man", "male", "menswear", "gentleman", "gentlemen", "gents"), "male"),
    **dict.fromkeys(("women", "womens", "woman", "female", "womenswear", "ladies", "lady"), "female"),
}
FEATURE_WORDS = {
    "collar": "has_collar",
    "collared": "has_collar",
    "collars": "has_collar",
    "cuff": "has_cuffs",
    "cuffs": "has_cuffs",
    "cuffed": "has_cuffs",
    "hood": "has_hood",
    "hooded": "has_hood",
    "bib": "has_bib",
    "pocket": "has_pockets",
    "pockets": "has_pockets",
}

# spoken names of measurements
MEASURE_WORDS = {
    "bust": "bust",
    "chest": "bust",
    "waist": "waist",
    "hip": "hip",
    "hips": "hip",
    "neck": "neck",
    "shoulder": "shoulder_width",
    "shoulders": "shoulder_width",
    "shoulder width": "shoulder_width",
    "sleeve": "sleeve_length",
    "sleeves": "sleeve_length",
    "sleeve length": "sleeve_length",
    "arm": "sleeve_length",
    "skirt": "skirt_length",
    "skirt length": "skirt_length",
    "hem": "@length",
    "length": "@length",
    "inseam": "inseam",
    "inside leg": "inseam",
    "rise": "rise",
    "thigh": "thigh",
    "knee": "knee",
    "ankle": "ankle",
    "bicep": "bicep",
    "biceps": "bicep",
    "wrist": "wrist",
    "bodice": "bodice_length",
    "bodice length": "bodice_length",
    "back length": "back_waist_length",
    "back waist length": "back_waist_length",
    "neckline": "neckline_depth",
    "neckline depth": "neckline_depth",
    "flare": "flare",
    "collar height": "collar_height",
    "cuff": "cuff_height",
    "cuffs": "cuff_height",
    "collar": "collar_height",
    "cuff height": "cuff_height",
    "waistband": "waistband_height",
    "hood height": "hood_height",
    "pants": "pant_length",
    "trousers": "pant_length",
    "pant length": "pant_length",
    "leg": "pant_length",
    "legs": "pant_length",
    "dress": "@length",
    "top": "bodice_length",
    "shirt": "bodice_length",
    "jacket": "bodice_length",
}

_UNIT = r"(?P<unit>cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?|inches|inch|in\b|\"|”|''|m\b)?"
_NUM = r"(?<![\d/.,])(?P<num>\d+(?:[.,]\d+)?)(?![\d/])"
_NAME = "|".join(sorted((re.escape(k) for k in MEASURE_WORDS), key=len, reverse=True))
_PATTERNS = [
    # "skirt 60cm long", "bust 92 cm", "waist: 70", "bust of 92cm"
    re.compile(rf"\b(?P<name>{_NAME})\b\s*(?:of|is|=|:|at|to)?\s*{_NUM}\s*{_UNIT}"),
    # "a 60 cm long skirt", "92cm bust", "60cm-long sleeves" (a unit is required: "3/4 sleeves", "2 pockets")
    re.compile(
        rf"{_NUM}\s*{_UNIT.replace(')?', ')')}[\s-]*(?:long\s+|length\s+|wide\s+)?(?P<name>{_NAME})\b"
    ),
    # "jeans 100 cm long", "a dress 95 cm in length": the garment's own length (a unit is required)
    re.compile(rf"{_NUM}\s*{_UNIT.replace(')?', ')')}[\s-]*(?:long|in\s+length)\b"),
]


def to_cm(num: str, unit: str | None) -> float:
    v = float(num.replace(",", "."))
    u = (unit or "cm").lower()
    if u in ("mm",) or u.startswith("millim"):
        return v / 10
    if u in ("in", "inch", "inches", '"', "”", "''"):
        return v * 2.54
    if u == "m":
        return v * 100
    return v


def find_numbers(text: str, garment_type: str) -> list[tuple[str, float, tuple[int, int]]]:
    """[(measurement name, centimetres, span)] for phrases like "bust 92 cm" or "a 60cm long skirt"."""
    out: list[tuple[str, float, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            name = MEASURE_WORDS[m.group("name")] if "name" in m.groupdict() else "@length"
            if name == "@length":
                name = primary_length(garment_type)
            if name == "skirt_length" and primary_length(garment_type) == "pant_length":
                name = "pant_length"
            out.append((name, to_cm(m.group("num"), m.group("unit")), m.span()))
            taken.append(m.span())
    return out


def normalise(text: str) -> str:
    t = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    t = re.sub(r"\ba line\b", "a-line", t)
    t = re.sub(r"\b(knee|ankle|floor|full|hip|elbow|tea)\s+length\b", r"\1-length", t)
    t = re.sub(r"\b(v|crew|round|scoop|boat)\s+neck(line)?\b", r"\1-neck", t)
    t = re.sub(r"\bwide\s+leg(ged)?\b", "wide-leg", t)
    t = re.sub(r"\bt\s+shirt\b", "t-shirt", t)
    t = re.sub(r"\bboiler\s+suit\b", "boiler-suit", t)
    t = re.sub(r"\bthree\s+quarter\b", "three-quarter", t)
    return t
