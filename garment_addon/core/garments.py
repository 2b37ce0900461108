"""Every garment type in one place.

A type is a ``GarmentType`` record: the parts it is sewn from (bodice, skirt, pants), the words
that name it, its defaults, its drafter, the parameters the refinement moves and its neighbouring
types. Everything that depends on the type (spec validation, drafting, the silhouette renderer,
the text parser, the edit rules, the photo categories, the panel, the benches and the contract
test in tests/test_garment_types.py) reads this table, so a new type is one record here plus its
drafter: see docs/extending.md.

This module imports nothing from the rest of the package, so every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PARTS = ("bodice", "skirt", "pants")

# Which measurements each part uses (the others are accepted and kept but unused).
PART_USES: dict[str, tuple[str, ...]] = {
    "bodice": ("bust", "high_bust", "waist", "hip", "neck", "shoulder_width", "back_waist_length", "bodice_length",
               "neckline_depth", "neckline_width", "sleeve_length", "bicep", "wrist", "cap_height",
               "collar_height", "cuff_height"),
    "skirt": ("waist", "hip", "skirt_length", "flare", "waistband_height"),
    "pants": ("waist", "hip", "pant_length", "inseam", "rise", "thigh", "knee", "ankle",
              "waistband_height"),
}

_TEE = {"sleeve_length": 20.0, "fabric": "knit"}
_BOILERSUIT = {"sleeve_length": 58.0, "has_collar": True, "has_pockets": True, "fit": "loose"}
_OVERALLS = {"sleeve_length": 0.0, "has_pockets": True, "fit": "loose", "has_bib": True}


@dataclass(frozen=True)
class GarmentType:
    name: str
    parts: tuple[str, ...]  # what it is sewn from, top to bottom
    drafter: str  # "module:function" in core/pattern/drafting: draft(PatternDraft, spec, body)
    params: tuple[str, ...]  # measurements the refinement searches (cm)
    neighbours: tuple[str, ...]  # types the refinement tries when this one fits badly
    defaults: dict[str, Any] = field(default_factory=dict)  # measurement and feature defaults
    # other names a spec file may use for it -> the defaults that name implies
    aliases: dict[str, dict[str, Any]] = field(default_factory=dict)
    # words of the text parser -> what they imply (features, length/sleeves/silhouette classes);
    # the name, its plural and the aliases are words already
    words: dict[str, dict[str, Any]] = field(default_factory=dict)
    late_params: tuple[str, ...] = ()  # searched only once ``params`` stall (each costs a probe)
    outerwear: bool = False  # worn over other clothes: more ease
    photo: bool = True  # the offline photo analyser (core.vision) tells this type apart

    @property
    def region(self) -> str:
        """upper (a top), lower (skirt, pants) or whole (a bodice joined to a skirt or pants)."""
        if "bodice" not in self.parts:
            return "lower"
        return "upper" if len(self.parts) == 1 else "whole"

    @property
    def uses(self) -> tuple[str, ...]:
        """The measurements the type's parts use, in part order."""
        return tuple(dict.fromkeys(n for p in self.parts for n in PART_USES[p]))

    @property
    def primary_length(self) -> str:
        """The length a bare "longer" / "10 cm shorter" changes."""
        return ("skirt_length" if "skirt" in self.parts else
                "pant_length" if "pants" in self.parts else "bodice_length")


_TOP_PARAMS = ("bodice_length", "sleeve_length", "bust", "waist")

TYPES: dict[str, GarmentType] = {t.name: t for t in (
    GarmentType(
        "shirt", ("bodice",), "garments:draft_shirt", _TOP_PARAMS, ("jacket", "hoodie", "dress"),
        dict(bodice_length=64, sleeve_length=58, cap_height=12, neckline_depth=7, front_overlap=1.5),
        aliases={"blouse": {}, "top": {}, "t-shirt": _TEE, "tshirt": _TEE, "tee": _TEE},
        words={
            "tunic": {"length": "long"},
            "sweater": {"sleeves": "long", "has_cuffs": True, "fabric": "knit"},
            "jumper": {"sleeves": "long", "has_cuffs": True, "fabric": "knit"},
            "pullover": {"sleeves": "long", "fabric": "knit"},
            "sweatshirt": {"sleeves": "long", "has_cuffs": True, "fabric": "knit"},
            "polo": {"sleeves": "short", "has_collar": True, "fabric": "knit"},
            "button-down": {"has_collar": True, "has_cuffs": True},
            "button-up": {"has_collar": True, "has_cuffs": True},
            "camisole": {"sleeves": "none"},
            "cami": {"sleeves": "none"},
            "tank": {"sleeves": "none", "fabric": "knit"},
            "singlet": {"sleeves": "none"},
        },
        # the neckline's width shows on real photos (the demo's tee: 0.807 -> 0.834) but rarely
        # decides the silhouette
        late_params=("neckline_width",),
    ),
    GarmentType(
        "dress", ("bodice", "skirt"), "garments:draft_dress",
        ("skirt_length", "sleeve_length", "flare", "bust", "waist"), ("skirt", "shirt"),
        dict(sleeve_length=20, skirt_length=55, flare=8, neckline_depth=10, cap_height=12),
        words={"gown": {"length": "maxi"}, "sundress": {"sleeves": "none"}, "frock": {},
               "shirtdress": {"has_collar": True}},
    ),
    GarmentType(
        "skirt", ("skirt",), "garments:draft_skirt", ("skirt_length", "flare", "waist", "hip"),
        ("dress", "pants"), dict(skirt_length=58, flare=6),
        words={"skort": {"length": "mini"}, "miniskirt": {"length": "mini"}},
    ),
    GarmentType(
        "pants", ("pants",), "garments:draft_pants", ("pant_length", "hip", "ankle", "rise"), ("skirt",),
        aliases={"jeans": {}, "trousers": {}},
        words={
            "pant": {}, "shorts": {"length": "mini"}, "bermudas": {"length": "knee"},
            "capris": {"length": "midi"}, "leggings": {"silhouette": "fitted", "fit": "fitted"},
            "culottes": {"silhouette": "wide-leg", "length": "midi"}, "palazzos": {"silhouette": "wide-leg"},
            "slacks": {}, "chinos": {}, "joggers": {"has_cuffs": True, "fit": "loose"},
            "sweatpants": {"fit": "loose"},
        },
    ),
    GarmentType(
        "jacket", ("bodice",), "garments:draft_jacket", _TOP_PARAMS, ("shirt", "hoodie"),
        dict(bodice_length=68, sleeve_length=60, cap_height=14, neckline_depth=20, front_overlap=3,
             has_collar=True, has_pockets=True, fit="regular"),
        aliases={"blazer": {}, "coat": {"bodice_length": 95.0}, "cardigan": {"has_collar": False, "fabric": "knit"}},
        words={
            "coat": {"length": "long"}, "cardigan": {"has_collar": False, "fabric": "knit"},
            "bomber": {"has_cuffs": True}, "parka": {"has_hood": True, "length": "long"},
            "anorak": {"has_hood": True}, "raincoat": {"length": "long"}, "windbreaker": {},
            "peacoat": {"has_collar": True}, "puffer": {}, "shacket": {"has_collar": True},
            "trench": {"length": "long", "has_collar": True}, "overcoat": {"length": "long"},
        },
        outerwear=True,
    ),
    GarmentType(
        "hoodie", ("bodice",), "garments:draft_hoodie", _TOP_PARAMS, ("jacket", "shirt"),
        dict(bodice_length=66, sleeve_length=60, cap_height=10, neckline_depth=7, has_hood=True,
             has_cuffs=True, has_pockets=True, fit="loose", fabric="knit"),
        words={"hooded": {}, "hoody": {}},
    ),
    GarmentType(
        "jumpsuit", ("bodice", "pants"), "jumpsuit:draft_jumpsuit",
        ("pant_length", "sleeve_length", "bust", "waist", "hip"), ("pants", "dress", "shirt"),
        dict(sleeve_length=20, neckline_depth=12, cap_height=12, front_overlap=0, has_pockets=True),
        aliases={"boilersuit": _BOILERSUIT, "coveralls": _BOILERSUIT, "overalls": _OVERALLS,
                 "dungarees": _OVERALLS},
        words={"jumpsuits": {}, "boiler-suit": _BOILERSUIT, "catsuit": {"sleeves": "long", "fit": "fitted",
                                                                        "fabric": "knit"},
               "romper": {"length": "mini"}, "playsuit": {"length": "mini"}, "onesie": {"fabric": "knit"}},
        photo=False,  # a photo of one reads as a top over trousers: the VLM backend names it
    ),
    GarmentType(
        "vest", ("bodice",), "garments:draft_vest", ("bodice_length", "bust", "waist", "neckline_depth"),
        ("shirt",), dict(bodice_length=58, sleeve_length=0, neckline_depth=18, front_overlap=2),
        words={"waistcoat": {}, "gilet": {}},
    ),
)}

GARMENT_TYPES = tuple(TYPES)
PHOTO_TYPES = tuple(t.name for t in TYPES.values() if t.photo)


def garment_type(name: str) -> GarmentType:
    """The record of a canonical type name (KeyError names the known types)."""
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"unknown garment type {name!r}; known: {', '.join(TYPES)}") from None


def has_part(name: str, part: str) -> bool:
    return part in garment_type(name).parts


def has_bodice(name: str) -> bool:
    """Sleeves, neckline, collar, hood: a top, a dress, a jumpsuit."""
    return has_part(name, "bodice")


def is_top(name: str) -> bool:
    """A bodice alone: its hem is the bodice's hem."""
    return garment_type(name).region == "upper"


def is_lower(name: str) -> bool:
    """Skirt or pants alone: no bodice."""
    return garment_type(name).region == "lower"


def style_name(spec: dict) -> str:
    """What a pattern sheet and a piece label call a spec (a dict, as ``GarmentSpec.to_dict``): its
    type, or the style word its features make of it (a jumpsuit with a bib: overalls; a knit jacket
    without a collar: a cardigan), so "overalls" is not printed as "jumpsuit"."""
    t, f = spec.get("garment_type", ""), spec.get("features", {})
    if t == "jumpsuit" and f.get("has_bib"):
        return "overalls"
    if t == "jacket" and f.get("fabric") == "knit" and f.get("has_collar") is False:
        return "cardigan"
    return t


def uses(name: str) -> tuple[str, ...]:
    return garment_type(name).uses


def primary_length(name: str) -> str:
    return garment_type(name).primary_length
