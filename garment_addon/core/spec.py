"""GarmentSpec: what to make, in centimetres.

A spec is ``{"garment_type", "size", "measurements", "features", "metadata"}``.
Measurements are *body* measurements (bust, waist, hip, ...) plus garment
lengths (skirt_length, sleeve_length, ...); ease is added by the drafting
according to ``features.fit``, so the same spec fits the same body whatever the
fit. Every key may be omitted: defaults come from SIZE_TABLE and are scaled to
the given bust/waist/hip so a spec stays proportional.

Validation raises SpecError whose message is one line naming the field and the
allowed range; front ends print it and exit 2.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import UserError
from .fabric import PRESETS, check_color, material_fabric
from .garments import GARMENT_TYPES, TYPES, has_bodice
from .proportions import ARM_LENGTH, INSEAM

SLEEVE_ABOVE_CAP = 3.0  # cm of sleeve a cuff must leave below the cap
RISE_PER_HIP_CM = 0.08  # body rise grows about 0.4 cm per 5 cm of hip

# alias -> (type, measurement and feature defaults that the alias implies)
ALIASES: dict[str, tuple[str, dict[str, Any]]] = {
    alias: (t.name, implied) for t in TYPES.values() for alias, implied in t.aliases.items()}

FITS = ("fitted", "regular", "loose")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")


@dataclass(frozen=True)
class Field:
    lo: float
    hi: float
    doc: str
    group: str  # "girth" scales with bust, "lower" with hip, "length" stays


# Every measurement the drafting understands, with its documented range (cm).
MEASUREMENTS: dict[str, Field] = {
    "bust": Field(60, 160, "full bust girth (body)", "girth"),
    "high_bust": Field(55, 160, "chest girth under the arms, above the bust (body)", "girth"),
    "waist": Field(45, 150, "natural waist girth (body)", "girth"),
    "hip": Field(60, 170, "full hip girth (body)", "girth"),
    "neck": Field(26, 55, "neck base girth (body)", "girth"),
    "shoulder_width": Field(28, 60, "shoulder point to shoulder point across the back", "girth"),
    "shoulder_slope": Field(1, 10, "side-neck point to shoulder point, vertical drop (body)", "length"),
    "back_waist_length": Field(30, 55, "side-neck point to natural waist (body)", "length"),
    "bodice_length": Field(
        25, 110, "side-neck point to bodice hem (dress: to the waist seam)", "length"
    ),
    "neckline_depth": Field(1, 50, "front neck drop below the side-neck point", "length"),
    "neckline_width": Field(4, 20, "centre front to side-neck point (half width)", "girth"),
    "sleeve_length": Field(0, 90, "shoulder point to sleeve hem; 0 = sleeveless", "length"),
    "bicep": Field(18, 60, "upper-arm girth (body)", "girth"),
    "wrist": Field(12, 40, "wrist girth (body)", "girth"),
    "cap_height": Field(4, 22, "sleeve cap height", "length"),
    "skirt_length": Field(20, 130, "waist to skirt hem", "length"),
    "flare": Field(0, 150, "hem width added at each side of each skirt panel", "length"),
    "pant_length": Field(30, 130, "waist to hem along the side", "length"),
    "inseam": Field(5, 100, "crotch to hem along the inner leg", "length"),
    "rise": Field(15, 45, "crotch depth: waist to crotch, seated", "length"),
    "thigh": Field(35, 90, "upper thigh girth (body)", "lower"),
    "knee": Field(28, 70, "knee girth (body)", "lower"),
    "ankle": Field(18, 70, "leg hem girth (body at ankle; flared legs are wider)", "lower"),
    "collar_height": Field(2, 14, "finished collar height", "length"),
    "cuff_height": Field(2, 15, "finished cuff height", "length"),
    "waistband_height": Field(2, 10, "finished waistband height", "length"),
    "hood_height": Field(25, 50, "hood height from neckline to crown", "length"),
    "front_overlap": Field(0, 15, "front button overlap of an open-front garment", "length"),
}

FEATURES: dict[str, tuple] = {
    "has_collar": (bool,),
    "has_cuffs": (bool,),
    "has_pockets": (bool,),
    "has_hood": (bool,),
    # a jumpsuit's bodice cut down to a bib in front and a low back, held up by straps (overalls)
    "has_bib": (bool,),
    "fit": FITS,
    # knit stretches over the head; a woven pull-on top gets a closure when its neckline is too small
    "fabric": ("woven", "knit"),
}

# Body and garment defaults per size (a regular women's block, cm). high_bust is what the shown
# (MakeHuman) mannequin of the size measures 3 cm above its underarm landmark, in the armpits'
# hollow (tests/test_drafting.py checks it at L): from size L on its bust is fuller than the
# block's B cup (full bust - high bust 7.4 / 9.5 / 11.0 cm at L / XL / XXL), which the drafting's
# full-bust adjustment takes up (full_bust_adjustment). XXL's cup is held to the body's
# MAX_CUP_DIFFERENCE (body.makehuman): its breasts alone took 22-25 cm over a 93.5-96 high bust.
SIZE_TABLE: dict[str, dict[str, float]] = {
    "XS": dict(bust=80, high_bust=81, waist=62, hip=86, neck=33, shoulder_width=36, back_waist_length=39,
               bicep=25, wrist=15, thigh=51, knee=34, ankle=21, height=158),
    "S": dict(bust=86, high_bust=87, waist=68, hip=92, neck=34.5, shoulder_width=38, back_waist_length=40,
              bicep=27, wrist=15.5, thigh=54, knee=35.5, ankle=22, height=163),
    "M": dict(bust=92, high_bust=91, waist=74, hip=98, neck=36, shoulder_width=40, back_waist_length=41,
              bicep=29, wrist=16, thigh=57, knee=37, ankle=23, height=168),
    "L": dict(bust=100, high_bust=92.5, waist=82, hip=106, neck=38, shoulder_width=42, back_waist_length=42,
              bicep=32, wrist=17, thigh=61, knee=39, ankle=24, height=170),
    "XL": dict(bust=108, high_bust=98.5, waist=91, hip=114, neck=40, shoulder_width=44, back_waist_length=43,
               bicep=35, wrist=18, thigh=65, knee=41, ankle=25, height=172),
    "XXL": dict(bust=118, high_bust=107, waist=102, hip=124, neck=42, shoulder_width=46, back_waist_length=44,
                bicep=38.5, wrist=19, thigh=70, knee=43, ankle=26, height=174),
}
# Shoulder slope (side-neck point to shoulder point, vertical, cm) of the shown (MakeHuman) mannequin
# of each size and preset (body.makehuman.shoulder_slope: its skin's top at x = neckline_width less
# its top at x = shoulder_width / 2, both sides averaged), to 0.1 cm: female 4.84 / 4.66 / 4.81 /
# 6.09 / 5.91 / 6.34 at XS..XXL (XXL 7.78 before its rib cage took the bust past makehuman's
# MAX_CUP_DIFFERENCE), XS..M taken as one 4.8 (the skin falls 0.7 cm per cm out at the shoulder
# point: 0.2 cm is a quarter centimetre of shoulder width; at 4.7 the size S jacket's wrap
# crossed itself at the break point, 2, kept by the drape); male 3.79 / 6.11 / 4.95 / 4.30 / 3.36 /
# 6.58 (its sliders are solved per size and its shoulders do not slope more with the size). The
# block had 4.5 cm at every size, drafting the female L / XL / XXL shoulder points 1.6 / 1.4 / 3.3
# cm above the skin's. A bust between the sizes' gets a slope interpolated between theirs.
SHOULDER_SLOPE: dict[str, dict[str, float]] = {
    "female": dict(XS=4.8, S=4.8, M=4.8, L=6.1, XL=5.9, XXL=6.3),
    "male": dict(XS=3.8, S=6.1, M=5.0, L=4.3, XL=3.4, XXL=6.6),
}

# Garment defaults that do not depend on size (per type where it matters).
_GARMENT_DEFAULTS: dict[str, float] = dict(
    neckline_depth=8, neckline_width=8, sleeve_length=60, cap_height=13, skirt_length=55,
    flare=6, pant_length=104, rise=27, collar_height=5, cuff_height=6, waistband_height=4,
    hood_height=36, front_overlap=0,
)
# Full-length trousers: size M's waist to the floor along the side (0.62 of 168 cm), less the hip
# curve's extra: the hem rests on the instep and the leg breaks above it (drape leg_break 1.06; at
# 100 cm the hem stopped at the ankle bone and the legs hung straight, 1.00).
# Lengths that end at a body landmark (wrist, knee, instep) are size M's above and grow with the
# size's height: 100 cm trousers were 4 cm too long on XS (158 cm) and 6 cm short on XXL (174 cm).
GRADED_LENGTHS = ("sleeve_length", "pant_length", "skirt_length")
# A long sleeve with a plain hem is cut onto the hand, as ready-to-wear long sleeves are: by default
# its hem lies HAND_REST cm past the wrist, at the thumb's base, where the hand holds it (drafted no
# wider than the hand there: sleeve.ON_HAND_CM) and the sleeve breaks above it. Ended at the wrist
# (shirt M 58 cm) it hung straight: drape sleeve_break 1.004. A cuffed sleeve keeps the type's
# length: its cuff holds at the wrist and the sleeve blouses over it.
HAND_REST = 3.0  # cm at size M
# Optional features that change the render, not the pattern: absent unless asked for (the text, the
# photo's colour, the panel). material: a core.fabric preset (drape and shader), and it decides
# features.fabric (jersey and fleece are knits); color: "#rrggbb" sRGB, the garment's colour.
LOOK_FEATURES = ("material", "color")
DEFAULT_FEATURES = dict(has_collar=False, has_cuffs=False, has_pockets=False, has_hood=False, has_bib=False,
                        fit="regular", fabric="woven")


class SpecError(UserError):
    """A user error in a spec: the message is one line naming the field."""


@dataclass
class GarmentSpec:
    garment_type: str
    measurements: dict[str, float]
    features: dict[str, Any]
    size: str = "M"
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "garment_type": self.garment_type,
            "size": self.size,
            "measurements": {k: round(float(v), 3) for k, v in self.measurements.items()},
            "features": dict(self.features),
            "metadata": dict(self.metadata),
        }

    @property
    def m(self) -> dict[str, float]:
        return self.measurements

    @property
    def fit(self) -> str:
        return self.features["fit"]

    @property
    def fabric(self) -> str:
        return self.features["fabric"]

    @property
    def material(self) -> str | None:
        return self.features.get("material")

    @property
    def color(self) -> str | None:
        return self.features.get("color")


def _fmt(x: float) -> str:
    return f"{x:g}"


def range_text(name: str) -> str:
    f = MEASUREMENTS[name]
    return f"{_fmt(f.lo)}..{_fmt(f.hi)} cm"


def resolve_type(name: Any) -> tuple[str, dict[str, float]]:
    """Canonical garment type and the defaults its alias implies."""
    if not isinstance(name, str) or not name.strip():
        raise SpecError(f"garment_type: must be one of {', '.join(GARMENT_TYPES)} (got {name!r})")
    key = name.strip().lower().replace("_", "-")
    for cand in (key, key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith("es") else ""):
        if cand in GARMENT_TYPES:
            return cand, {}
        if cand in ALIASES:
            return ALIASES[cand]
    allowed = ", ".join(GARMENT_TYPES) + " (aliases: " + ", ".join(ALIASES) + ")"
    raise SpecError(f"garment_type: unknown type {name!r}; must be one of {allowed}")


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"measurements.{name}: must be a number in {range_text(name)} (got {value!r})")
    v = float(value)
    f = MEASUREMENTS[name]
    if not math.isfinite(v) or v < f.lo or v > f.hi:
        raise SpecError(f"measurements.{name}: {value!r} is out of range {range_text(name)} ({f.doc})")
    return v


def _unknown(kind: str, name: str, known) -> SpecError:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return SpecError(f"{kind}.{name}: unknown {kind[:-1]}{hint}; allowed: {', '.join(known)}")


def nearest_size(bust: float) -> str:
    return min(SIZES, key=lambda s: abs(SIZE_TABLE[s]["bust"] - bust))


def default_measurements(garment_type: str, size: str, given: dict[str, float],
                         preset: str = "female") -> dict[str, float]:
    """Complete measurements for a type/size, scaled to the given girths (the shoulder slope the
    preset's mannequin's, see SHOULDER_SLOPE)."""
    base = dict(SIZE_TABLE[size])
    upper = given.get("bust", base["bust"]) / base["bust"]
    lower = given.get("hip", base["hip"]) / base["hip"]
    out: dict[str, float] = {}
    for k, v in base.items():
        if k == "height":
            continue
        if k == "waist":
            # keep the size's waist/bust and waist/hip drop when only one is given
            v = v * (upper + lower) / 2
        elif MEASUREMENTS[k].group == "girth":
            v = v * upper
        elif MEASUREMENTS[k].group == "lower":
            v = v * lower
        out[k] = v
    if "hip" not in given and "bust" in given:
        out["hip"] = base["hip"] * upper
    out.update(_GARMENT_DEFAULTS)
    gt = TYPES[garment_type]
    out.update({k: v for k, v in gt.defaults.items() if k in MEASUREMENTS})
    for k in GRADED_LENGTHS:
        out[k] *= base["height"] / SIZE_TABLE["M"]["height"]
    out["neckline_width"] = _neck_side(out["neck"])
    bwl = given.get("back_waist_length", out["back_waist_length"])
    if gt.region == "whole":  # the bodice ends at the waist seam
        out["bodice_length"] = bwl + 1
    elif "bodice_length" in out:
        out["bodice_length"] += bwl - 41
    else:
        out["bodice_length"] = bwl + 20
    out["shoulder_slope"] = given.get("shoulder_slope", shoulder_slope(out["bust"], preset))
    # graded from the size M defaults: the cap with the armhole depth (bust / 8 + 10.5), the rise
    # (crotch depth) with the hip
    out["cap_height"] *= (out["bust"] / 8 + 10.5) / (SIZE_TABLE["M"]["bust"] / 8 + 10.5)
    out["rise"] += RISE_PER_HIP_CM * (out["hip"] - SIZE_TABLE["M"]["hip"])
    return out


def _lower_cap(m: dict[str, float], given: dict[str, float]) -> None:
    """A short sleeve the user did not give a cap height for gets a lower cap (a cap sleeve)."""
    if "cap_height" in given or m["sleeve_length"] <= 0:
        return
    room = m["sleeve_length"] - SLEEVE_ABOVE_CAP
    if room < m["cap_height"]:
        m["cap_height"] = max(MEASUREMENTS["cap_height"].lo, room)


def _sleeve_to_hand(m: dict[str, float], given: dict[str, float], feats: dict[str, Any], height: float) -> None:
    """A defaulted long sleeve (one reaching the wrist) with a plain hem ends HAND_REST past the wrist."""
    if "sleeve_length" in given or feats.get("has_cuffs"):
        return
    arm = ARM_LENGTH * height
    if m["sleeve_length"] >= arm - 1.0:
        m["sleeve_length"] = max(m["sleeve_length"], arm + hand_rest(height))


def hand_rest(height: float) -> float:
    """How far past the wrist a plain long sleeve is cut (HAND_REST at size M), graded like the lengths
    it joins (GRADED_LENGTHS)."""
    return HAND_REST * height / SIZE_TABLE["M"]["height"]


def body_height(size: str, m: dict[str, float]) -> float:
    """The mannequin's height: the size's, scaled with the back waist length."""
    base = SIZE_TABLE[size]
    return base["height"] * (m["back_waist_length"] / base["back_waist_length"]) ** 0.5


def _derive_pants(m: dict[str, float], given: dict[str, float]) -> None:
    """Keep pant_length = rise + inseam, whichever two of the three were given."""
    if "inseam" in given and "pant_length" in given:
        rise = m["pant_length"] - m["inseam"]
        if "rise" in given and abs(rise - m["rise"]) > 1.0:
            raise SpecError(
                "measurements.inseam: pant_length - inseam must equal rise within 1 cm "
                f"(got {m['pant_length']:g} - {m['inseam']:g} != {m['rise']:g})"
            )
        f = MEASUREMENTS["rise"]
        if not f.lo <= rise <= f.hi:
            raise SpecError(
                f"measurements.inseam: pant_length - inseam must be a rise in {range_text('rise')} "
                f"(got {rise:g})"
            )
        m["rise"] = rise
    elif "inseam" in given:
        m["pant_length"] = m["rise"] + m["inseam"]
        f = MEASUREMENTS["pant_length"]
        if not f.lo <= m["pant_length"] <= f.hi:  # the user gave inseam (and maybe rise), not the length
            raise SpecError(
                f"measurements.inseam: rise + inseam must be a pant_length in {range_text('pant_length')} "
                f"(got {m['rise']:g} + {m['inseam']:g})"
            )
    else:
        m["inseam"] = m["pant_length"] - m["rise"]
        if m["inseam"] < MEASUREMENTS["inseam"].lo:
            raise SpecError(
                f"measurements.pant_length: must exceed rise by at least {MEASUREMENTS['inseam'].lo:g} cm "
                f"(got pant_length {m['pant_length']:g}, rise {m['rise']:g})"
            )


@dataclass(frozen=True)
class Relation:
    """``name`` <= (upper) or >= (lower) ``bound(m)``: declared once, validation raises through it
    (``check_relations``), refinement clamps through it (``clamp_relations``)."""

    name: str
    part: str  # applies to types with this part; "any": to every type
    upper: bool
    bound: Callable[[dict[str, float]], float]
    why: str  # "at most {why} = bound"
    when: Callable[[dict[str, float]], bool] = lambda m: True

    def applies(self, garment_type: str) -> bool:
        parts = TYPES[garment_type].parts
        lower = "skirt" in parts or "pants" in parts
        return self.part == "any" or self.part in parts or self.part == "lower" and lower

    def broken(self, m: dict[str, float]) -> bool:
        if not self.when(m):
            return False
        b = self.bound(m)
        return m[self.name] > b if self.upper else m[self.name] < b


_sleeved = lambda m: m["sleeve_length"] > 0  # noqa: E731
RELATIONS: tuple[Relation, ...] = (
    Relation("waist", "bodice", True, lambda m: m["bust"] * 1.25, "1.25 x bust"),
    Relation("waist", "lower", True, lambda m: m["hip"] * 1.1, "1.1 x hip"),
    Relation("shoulder_width", "bodice", True, lambda m: m["bust"] * 0.6, "0.6 x bust"),
    Relation("neckline_width", "bodice", True, lambda m: m["shoulder_width"] / 2 - 4,
             "shoulder_width / 2 - 4 (4 cm of shoulder left)"),
    Relation("bodice_length", "bodice", False, lambda m: 20 + m["bust"] / 10,
             "20 + bust / 10 (below the armhole)"),
    Relation("neckline_depth", "bodice", True, lambda m: m["bodice_length"] - 12,
             "bodice_length - 12 (12 cm above the bodice hem)"),
    Relation("sleeve_length", "bodice", False, lambda m: m["cap_height"] + SLEEVE_ABOVE_CAP,
             f"cap_height + {SLEEVE_ABOVE_CAP:g} (or 0, sleeveless)", _sleeved),
    Relation("wrist", "bodice", True, lambda m: m["bicep"], "bicep", _sleeved),
    Relation("thigh", "pants", True, lambda m: m["hip"] * 0.8, "0.8 x hip"),
    Relation("knee", "pants", True, lambda m: m["thigh"], "thigh"),
    Relation("pant_length", "any", False, lambda m: m["rise"] + MEASUREMENTS["inseam"].lo,
             f"rise + {MEASUREMENTS['inseam'].lo:g} (the shortest inseam)"),
)


def check_relations(garment_type: str, m: dict[str, float]) -> None:
    """Raise SpecError naming the first relation of the type's parts that ``m`` breaks."""
    for r in RELATIONS:
        if r.applies(garment_type) and r.broken(m):
            b = r.bound(m)
            raise SpecError(f"measurements.{r.name}: must be at {'most' if r.upper else 'least'} "
                            f"{r.why} = {b:.4g} (got {m[r.name]:g})")


CLAMP_MARGIN = 0.01  # cm inside a bound, so a clamped spec stays valid once rounded to 3 decimals


def clamp_relations(m: dict[str, float], fixed=frozenset()) -> dict[str, float]:
    """``m`` moved into every range and relation (of every type: the refinement may switch type).

    Fields in ``fixed`` are left as they are (an edit keeps what the user asked for; validation
    then accepts or names it).
    """
    out = dict(m)
    for k, f in MEASUREMENTS.items():
        if k in out and k not in fixed:
            out[k] = min(max(out[k], f.lo), f.hi)
    if "sleeve_length" not in fixed:
        out["sleeve_length"] = snap_sleeve(out["sleeve_length"], out["cap_height"])
    for r in RELATIONS:
        if r.name not in fixed and r.broken(out):
            out[r.name] = r.bound(out) - CLAMP_MARGIN if r.upper else r.bound(out) + CLAMP_MARGIN
    return out


def snap_sleeve(length: float, cap_height: float) -> float:
    """Sleeves are 0 (sleeveless) or at least cap_height + SLEEVE_ABOVE_CAP long: snap to the nearer."""
    least = cap_height + SLEEVE_ABOVE_CAP
    if 0 < length < least:
        return 0.0 if length < least / 2 else least
    return max(0.0, length)


# A single-breasted jacket's break point (the top button, where the lapel starts to turn) sits
# 2-5 cm above the natural waist. Measured down the front from the side-neck point, over the bust,
# the waist lies about FRONT_OVER_BUST further than the back waist length (the bust dart's length).
BREAK_ABOVE_WAIST = 3.0  # cm
FRONT_OVER_BUST = 2.0  # cm: front waist length (HPS over the bust point) less the back waist length
BREAK_ABOVE_HEM = 14.0  # cm: a cropped jacket still buttons this far above its hem (a button below)
# A block (FRONT_OVER_BUST, its side bust dart) is drafted for a B cup: full bust less high bust
# about B_CUP_DIFFERENCE. A fuller bust takes a full-bust adjustment: the pattern maker's slash and
# spread through the bust point opens the front by half the difference past that on each side and
# lengthens it over the apex by as much, the side bust dart taking the length back at the side seam.
B_CUP_DIFFERENCE = 5.0  # cm
# cm: the most length the adjustment adds to the block's dart. At 4.5 the size XXL shirt (cup
# difference 19.5 cm) hung its centre front 2.5 cm below its side seams in the drape; at 2.25, 0.8
FBA_MAX = 2.25


def full_bust_adjustment(m: dict[str, float], give: float = 0.0) -> float:
    """Length (cm) a front gains over the bust point for a bust fuller than the block's B cup: the
    per-side spread, half the cup difference past it (full bust - high bust - B_CUP_DIFFERENCE) less
    what the fabric ``give``s (a knit stretches over some of it), up to FBA_MAX; 0 at or under a B
    cup. Twice that (the whole difference, up to 4.5) matched the shown body's surface over the apex
    and into the hollow under it, which the wrap followed; a woven front hangs straight down from
    the apex instead, and the drape's centre front hung below the side seams: shirt L / XL / XXL
    front_hem_rise -0.83 / -2.02 / -2.51 cm, with the per-side spread (and the wrap's front hung
    from the apex) -0.97 / -0.99 / -0.82."""
    return min(max(m["bust"] - m["high_bust"] - B_CUP_DIFFERENCE - give, 0.0) / 2, FBA_MAX)


def _flat_chest(m: dict[str, float], given: dict[str, float], meta) -> None:
    """On the male mannequin (metadata.body_preset) the chest is as wide above the bust line as over
    it (the shown body's girth 3 cm above the underarm less its bust: -1.0 / 0.2 / 2.3 cm at M / L /
    XXL), not the size table's women's high bust: with it a front took a full-bust adjustment the
    chest does not fill and its centre front hung below the side seams (jacket wrap L / XL / XXL:
    2.9 / 4.8 / 3.4 cm, the pockets tilted 1.7-3.2 cm). A given high bust stays."""
    if isinstance(meta, dict) and meta.get("body_preset") == "male" and "high_bust" not in given:
        m["high_bust"] = m["bust"]


def _neck_side(neck: float) -> float:
    """A default neckline's half width (cm): 2 cm out of the neck's radius, at least 6."""
    return max(6.0, neck / 2 / math.pi * 1.05 + 2.0)


def side_neck_x(neck: float, shoulder_width: float) -> float:
    """Centre front to the body's side-neck point (cm), where shoulder_slope is measured from: a
    default neckline's half width, held 4 cm inside the shoulder point (as make_spec holds it)."""
    return min(_neck_side(neck), shoulder_width / 2 - 4)


def shoulder_slope(bust: float, preset: str = "female") -> float:
    """The shown mannequin's shoulder slope (cm) for a body of this bust (SHOULDER_SLOPE, linear
    between the sizes' busts, the end sizes' beyond them)."""
    table = SHOULDER_SLOPE.get(preset, SHOULDER_SLOPE["female"])
    busts, slopes = zip(*sorted((SIZE_TABLE[s]["bust"], table[s]) for s in SIZES), strict=True)
    return float(np.interp(bust, busts, slopes))


def _male_waist(m: dict[str, float], given: dict[str, float], meta, height: float) -> None:
    """On the male mannequin (metadata.body_preset) the waist sits MALE_WAIST_DROP of the height lower
    (mannequin.PRESETS), so what hangs from it (trousers, their rise, skirts) is that much shorter to
    end where it ends on the female body: at 104 cm every male trouser hem lay 1.7-2.2 cm below the
    floor and the loose legs folded over the foot. Given lengths stay."""
    if isinstance(meta, dict) and meta.get("body_preset") == "male":
        for k in ("pant_length", "rise", "skirt_length"):
            if k not in given:
                m[k] -= MALE_WAIST_DROP * height


MALE_WAIST_DROP = 0.015  # of the height: the female mannequin's waist at 0.615, the male's at 0.60


def _bib(t: str, m: dict[str, float], feats: dict[str, Any]) -> None:
    """A bib is a jumpsuit's (overalls): elsewhere the feature is off. A bib on straps has no
    sleeves, collar, hood or cuffs (a refinement that moves sleeve_length keeps it sleeveless)."""
    if t != "jumpsuit":
        feats["has_bib"] = False
    if feats["has_bib"]:
        m["sleeve_length"] = 0.0
        feats.update(has_collar=False, has_hood=False, has_cuffs=False)


def _jacket_break(t: str, m: dict[str, float], feats: dict[str, Any]) -> None:
    """A jacket's front opens (its neckline_depth, the break point's drop) to just above the waist,
    so the lapels roll the whole way from the top button to the gorge; a hooded jacket keeps the
    type's default (the hood takes the neckline)."""
    if t != "jacket" or feats.get("has_hood"):
        return
    depth = m["back_waist_length"] + FRONT_OVER_BUST + full_bust_adjustment(m) - BREAK_ABOVE_WAIST
    m["neckline_depth"] = min(depth, m["bodice_length"] - BREAK_ABOVE_HEM)


def _fit_cuffs(m: dict[str, float], given: dict[str, float], feats: dict[str, Any]) -> None:
    """A cuff takes its height off the sleeve; what is left must still hold the cap.

    A defaulted cuff shrinks to fit a short sleeve (drafting lowers a given one, with a warning).
    """
    if not feats.get("has_cuffs") or m.get("sleeve_length", 0.0) <= 0:
        return
    room = cuff_room(m)
    lo = MEASUREMENTS["cuff_height"].lo
    if room < lo:
        raise SpecError(f"measurements.sleeve_length: with has_cuffs must be 0 or at least cap_height + "
                        f"{SLEEVE_ABOVE_CAP:g} + {lo:g} = {m['cap_height'] + SLEEVE_ABOVE_CAP + lo:g} "
                        f"(got {m['sleeve_length']:g})")
    if "cuff_height" not in given:
        m["cuff_height"] = min(m["cuff_height"], room)


def cuff_room(m: dict[str, float]) -> float:
    """The tallest cuff a sleeve can take and keep its cap."""
    return m["sleeve_length"] - m["cap_height"] - SLEEVE_ABOVE_CAP


def _look_feature(name: str, value: Any) -> str:
    if name == "color":
        try:
            return check_color(value)
        except UserError as exc:
            raise SpecError(str(exc)) from None
    if not isinstance(value, str) or value not in PRESETS:
        raise SpecError(f"features.material: must be one of {', '.join(PRESETS)} (got {value!r})")
    return value


def make_spec(data: dict[str, Any] | None = None, *, garment_type: str | None = None,
              size: str | None = None) -> GarmentSpec:
    """Validate a (possibly partial) spec dict and fill every default."""
    if data is None:
        data = {}
    if not isinstance(data, dict):  # before copying: dict() would accept a list of pairs
        raise SpecError(f"spec: must be a JSON object of garment_type, size, measurements, features "
                        f"(got {type(data).__name__})")
    data = dict(data)
    unknown_top = set(data) - {"garment_type", "size", "measurements", "features", "metadata", "schema"}
    if unknown_top:
        name = sorted(unknown_top)[0]
        raise SpecError(f"spec.{name}: unknown key; allowed: garment_type, size, measurements, features, metadata")
    t, alias_defaults = resolve_type(garment_type or data.get("garment_type"))

    given_raw = data.get("measurements") or {}
    if not isinstance(given_raw, dict):
        raise SpecError("measurements: must be an object of name -> centimetres")
    given: dict[str, float] = {}
    for k, v in given_raw.items():
        if k not in MEASUREMENTS:
            raise _unknown("measurements", k, MEASUREMENTS)
        given[k] = _number(k, v)

    sz = size or data.get("size")
    if sz is None:
        sz = nearest_size(given["bust"]) if "bust" in given else "M"
    if not isinstance(sz, str) or sz.upper() not in SIZES:
        raise SpecError(f"size: must be one of {', '.join(SIZES)} (got {sz!r})")
    sz = sz.upper()

    meta_in = data.get("metadata")
    preset = meta_in.get("body_preset", "female") if isinstance(meta_in, dict) else "female"
    m = default_measurements(t, sz, given, preset)
    m.update({k: v for k, v in alias_defaults.items() if k not in given and k in MEASUREMENTS})
    m.update(given)
    _flat_chest(m, given, data.get("metadata"))
    _male_waist(m, given, data.get("metadata"), body_height(sz, m))
    if "neckline_width" not in given:
        m["neckline_width"] = min(m["neckline_width"], m["shoulder_width"] / 2 - 4)
    _derive_pants(m, given)
    _lower_cap(m, given)
    feats_raw = data.get("features") or {}
    if not isinstance(feats_raw, dict):
        raise SpecError("features: must be an object")
    feats = dict(DEFAULT_FEATURES)
    feats.update({k: v for k, v in TYPES[t].defaults.items() if k in FEATURES})
    feats.update({k: v for k, v in alias_defaults.items() if k in FEATURES})
    for k, v in feats_raw.items():
        if k in LOOK_FEATURES:
            if v is not None:  # null: the default (no colour of its own, the type's fabric)
                feats[k] = _look_feature(k, v)
            continue
        if k not in FEATURES:
            raise _unknown("features", k, (*FEATURES, *LOOK_FEATURES))
        allowed = FEATURES[k]
        if allowed == (bool,):
            if not isinstance(v, bool):
                raise SpecError(f"features.{k}: must be true or false (got {v!r})")
        elif v not in allowed:
            raise SpecError(f"features.{k}: must be one of {', '.join(allowed)} (got {v!r})")
        feats[k] = v
    if "material" in feats:
        kind = material_fabric(feats["material"])
        if feats_raw.get("fabric", kind) != kind:
            raise SpecError(f"features.fabric: must be {kind} with features.material {feats['material']} "
                            f"(got {feats_raw['fabric']!r})")
        feats["fabric"] = kind
    _bib(t, m, feats)
    if "neckline_depth" not in given and "neckline_depth" not in alias_defaults:
        _jacket_break(t, m, feats)
    if has_bodice(t):
        _sleeve_to_hand(m, given | {k: v for k, v in alias_defaults.items() if k in MEASUREMENTS}, feats,
                        body_height(sz, m))
    check_relations(t, m)

    _fit_cuffs(m, given, feats)

    meta = data.get("metadata") or {}
    if not isinstance(meta, dict):
        raise SpecError("metadata: must be an object")
    return GarmentSpec(t, {k: float(v) for k, v in sorted(m.items())}, feats, sz, dict(meta))


def body_measurements(spec: GarmentSpec) -> dict[str, float]:
    """Mannequin measurements implied by a spec (for the 3D body)."""
    m = spec.measurements
    height = body_height(spec.size, m)
    return dict(
        height=height, bust=m["bust"], high_bust=m["high_bust"], waist=m["waist"], hip=m["hip"],
        shoulder_width=m["shoulder_width"], shoulder_slope=m["shoulder_slope"], neck=m["neck"], bicep=m["bicep"],
        wrist=m["wrist"], thigh=m["thigh"], knee=m["knee"], ankle=m["ankle"],
        arm_length=ARM_LENGTH * height, inseam=INSEAM * height, back_waist_length=m["back_waist_length"],
    )
