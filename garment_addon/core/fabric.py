"""Fabric presets for the drape: what a cloth weighs, how it stretches, shears and bends.

Blender's cloth solver does not take SI material constants: its "mass" is per vertex and its
stiffnesses are per spring, in solver units. So every preset is its measured fabric, scaled
relative to one anchor, cotton shirting = Blender's own "Cotton" cloth preset (mass 0.3, tension /
compression / shear 15, bending 0.5, spring damping 5; scripts/presets/cloth/Cotton.py; its
"Denim" and "Silk" presets bracket the range: 1 / 40 / 10 and 0.15 / 5 / 0.05):

- mass   follows the areal density (g/m²);
- tension / compression follow the square root of the inverse tensile strain at 500 gf/cm
  (KES-F EMT, %): EMT is measured far above a garment's own weight, where a knit's low-load
  modulus is much closer to a woven's than its EMT says (linear, a jersey tee sags 10 cm);
- shear  follows the shear rigidity (KES-F G, gf/cm·deg);
- bending follows the bending rigidity (KES-F B, gf·cm²/cm);
- thickness (mm) is the fabric's, used for the self-collision distance and the export's shell.

Measured values: areal density and thickness are catalogue values (shirting 110-130 g/m², 14 oz
denim ~ 400 g/m², single jersey 150-180, fleece 250-300, 16-19 momme silk charmeuse 70-80, wool
worsted suiting 240-280). EMT, G and B are the KES-F ranges for these fabric groups in
Kawabata & Niwa, "Fabric performance in clothing manufacture", J. Text. Inst. 80 (1989) 19-50, and
Kawabata, "The Standardization and Analysis of Hand Evaluation" (Textile Machinery Society of
Japan, 1980): e.g. men's suiting B 0.08-0.12, G 0.5-0.8, EMT 5-7; shirting B ~0.04, G ~0.8;
denim B ~0.5, G ~3; jersey B ~0.02, EMT 20-30; silk B ~0.01, G ~0.3.
Bending is then multiplied by BENDING_BOOST: the solver's bending springs act on a coarse mesh
(2 cm triangles for 0.3 mm cloth), where Blender's Cotton value lets folds collapse into creases.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .errors import UserError


@dataclass(frozen=True)
class Fabric:
    name: str
    density_gsm: float  # areal density, g/m²
    emt_percent: float  # tensile strain at 500 gf/cm (KES-F EMT)
    shear_g: float  # shear rigidity (KES-F G), gf/(cm·deg)
    bending_b: float  # bending rigidity (KES-F B), gf·cm²/cm
    thickness_mm: float
    damping: float  # spring damping (Blender units: energy lost per oscillation)

    # --- Blender solver values, relative to the cotton anchor -------------------------------
    @property
    def mass(self) -> float:
        return ANCHOR["mass"] * self.density_gsm / COTTON_SHIRTING.density_gsm

    @property
    def tension(self) -> float:
        return ANCHOR["tension"] * (COTTON_SHIRTING.emt_percent / self.emt_percent) ** 0.5

    @property
    def shear(self) -> float:
        # passed on, but Blender builds shear springs across quads only and our cloth mesh is triangles:
        # shear x5 or x10 gave the same drape (docs/blender-log.md, bust cling); kept for a quad mesh
        return ANCHOR["shear"] * self.shear_g / COTTON_SHIRTING.shear_g

    @property
    def bending(self) -> float:
        return ANCHOR["bending"] * BENDING_BOOST * self.bending_b / COTTON_SHIRTING.bending_b

    def solver(self) -> dict[str, float]:
        """What goes into Blender's cloth settings (the panel shows and edits these)."""
        return {"mass": self.mass, "tension": self.tension, "compression": self.tension,
                "shear": self.shear, "bending": self.bending, "damping": self.damping,
                "thickness_mm": self.thickness_mm}

    def to_dict(self) -> dict:
        return asdict(self)


ANCHOR = {"mass": 0.3, "tension": 15.0, "shear": 15.0, "bending": 0.5}  # Blender's Cotton preset
BENDING_BOOST = 2.0

COTTON_SHIRTING = Fabric("cotton_shirting", 120, 4.0, 0.8, 0.04, 0.25, 5.0)
PRESETS: dict[str, Fabric] = {f.name: f for f in (
    COTTON_SHIRTING,
    Fabric("denim", 400, 3.0, 3.0, 0.5, 0.8, 15.0),
    Fabric("jersey", 170, 25.0, 0.4, 0.02, 0.5, 5.0),
    Fabric("fleece", 280, 12.0, 0.6, 0.12, 2.0, 8.0),
    Fabric("silk", 75, 5.0, 0.3, 0.01, 0.12, 1.0),
    Fabric("wool_suiting", 260, 6.0, 0.65, 0.1, 0.45, 8.0),
)}

# the solver values the panel edits, with the ranges it accepts
SOLVER_RANGES = {"mass": (0.01, 5.0), "tension": (1.0, 200.0), "compression": (1.0, 200.0),
                 "shear": (0.1, 200.0), "bending": (0.001, 100.0), "damping": (0.0, 50.0),
                 "thickness_mm": (0.05, 5.0)}


def default_fabric(garment_type: str, fabric: str = "woven") -> Fabric:
    """The preset a garment is made of when nobody says: from ``features.fabric`` (woven / knit) and
    what the garment is (trousers are denim, jackets and vests suiting, hoodies fleece)."""
    if garment_type == "hoodie":
        return PRESETS["fleece"]
    if fabric == "knit":
        return PRESETS["jersey"]
    return PRESETS[{"pants": "denim", "jacket": "wool_suiting", "vest": "wool_suiting"}.get(garment_type,
                                                                                         "cotton_shirting")]


def fabric_for(spec: dict | None, name: str | None = None) -> Fabric:
    """The preset ``name`` (one of PRESETS), else the spec dict's ``features.material``, else the
    default for its type and fabric."""
    if name:
        if name not in PRESETS:
            raise UserError(f"fabric: must be one of {', '.join(PRESETS)} (got {name!r})")
        return PRESETS[name]
    spec = spec or {}
    feats = spec.get("features") or {}
    if isinstance(feats.get("material"), str) and feats["material"] in PRESETS:
        return PRESETS[feats["material"]]
    if feats.get("has_bib") and feats.get("fabric", "woven") == "woven":  # overalls are denim
        return PRESETS["denim"]
    return default_fabric(spec.get("garment_type", ""), feats.get("fabric", "woven"))


# --- what a garment is made of and its colour, in words (the text parser, the VLM, the spec) -----
KNITS = ("jersey", "fleece")  # the knit presets: features.fabric "knit" (stretch ease); the rest are woven


def material_fabric(material: str) -> str:
    """features.fabric (woven / knit) a preset calls for."""
    return "knit" if material in KNITS else "woven"


# word -> preset. Fibres alone (cotton, wool) are in FIBRE_WORDS: they name a preset only in a woven
# garment (a wool sweater is a knit, not suiting; a cotton tee is jersey).
MATERIAL_WORDS = {
    **dict.fromkeys(("denim", "jean", "chambray", "canvas", "corduroy", "dungaree"), "denim"),
    **dict.fromkeys(("tweed", "suiting", "flannel", "worsted", "gabardine", "woolen", "woollen"), "wool_suiting"),
    **dict.fromkeys(("silk", "silky", "satin", "charmeuse", "chiffon", "georgette", "organza", "taffeta",
                     "crepe"), "silk"),
    **dict.fromkeys(("jersey", "spandex", "lycra"), "jersey"),
    **dict.fromkeys(("fleece", "sweatshirting", "terry", "sherpa"), "fleece"),
    **dict.fromkeys(("poplin", "shirting", "linen", "oxford", "broadcloth", "voile", "seersucker"),
                    "cotton_shirting"),
}
FIBRE_WORDS = {"cotton": ("cotton_shirting", "jersey"), "wool": ("wool_suiting", None),
               "cashmere": ("wool_suiting", None), "merino": ("wool_suiting", None)}  # (woven, knit)

# colour word -> sRGB hex, as a colour picker gives it (features.color). Values are what the cloth
# looks like, not the pure hue: "black" keeps its folds visible, "white" is off-white; "denim" is the
# denim preset's own blue.
COLOUR_HEX = {
    "black": "#232325", "white": "#f0efea", "grey": "#8c8c8e", "gray": "#8c8c8e", "red": "#b3222c",
    "blue": "#2f5fae", "navy": "#1f2a48", "green": "#2f7a3a", "olive": "#6b6a2f", "yellow": "#e6c23c",
    "orange": "#df7a26", "pink": "#eda1b6", "purple": "#673c94", "violet": "#7e55b0", "brown": "#6b4428",
    "beige": "#d8c7a6", "cream": "#eee4cc", "ivory": "#f2ecdc", "tan": "#c09a6b", "khaki": "#b9a97d",
    "teal": "#1f7575", "turquoise": "#34b3ad", "burgundy": "#6a1a2b", "maroon": "#661c1c", "gold": "#c8a23c",
    "silver": "#b7b8bc", "lilac": "#c2a5d6", "lavender": "#b6a6d8", "mint": "#a7dbbf", "coral": "#ee7c68",
    "denim": "#455981", "charcoal": "#393b40", "camel": "#b4885a", "mustard": "#cfa12a", "emerald": "#1f8a5c",
    "indigo": "#2e3a78", "magenta": "#c0287a", "rust": "#a4472a", "sage": "#9cae88", "nude": "#d6b39b",
}
SHADE_WORDS = {"light": 0.45, "pale": 0.55, "pastel": 0.55, "dark": -0.45, "deep": -0.35}  # toward white / black


def colour_words(text: str) -> list[tuple[str, str]]:
    """[(colour word, '#rrggbb')] in lower-case text, in order; "light" / "dark" before a word shade it."""
    words = re.findall(r"[a-z]+", text)  # "navy-blue", "light-grey" split
    return [(w, shade(COLOUR_HEX[w], SHADE_WORDS[words[i - 1]]) if i and words[i - 1] in SHADE_WORDS
             else COLOUR_HEX[w]) for i, w in enumerate(words) if w in COLOUR_HEX]


def check_color(value, field: str = "features.color") -> str:
    """'#rrggbb' (any case, '#' optional) or a colour word -> '#rrggbb' lower case; UserError naming ``field``."""
    if isinstance(value, str):
        t = value.strip().lower()
        if t in COLOUR_HEX:
            return COLOUR_HEX[t]
        t = t.removeprefix("#")
        if len(t) == 6 and all(c in "0123456789abcdef" for c in t):
            return "#" + t
    raise UserError(f"{field}: must be a hex colour #rrggbb (sRGB) or a colour word such as navy, red, "
                    f"beige (got {value!r})")


def srgb_to_linear(hex_color: str) -> tuple[float, float, float]:
    """'#rrggbb' (sRGB, as colour pickers and photos give it) -> linear RGB 0..1 (what shaders take)."""
    srgb = [int(hex_color[i:i + 2], 16) / 255.0 for i in (1, 3, 5)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb)


def linear_to_hex(rgb) -> str:
    """Linear RGB 0..1 (Blender's colour properties) -> '#rrggbb' sRGB."""
    return rgb_hex([255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)
                    for c in (max(0.0, min(1.0, float(v))) for v in rgb[:3])])


def rgb_hex(rgb) -> str:
    """(r, g, b) 0..255 sRGB (a photo's pixels) -> '#rrggbb'."""
    return "#" + "".join(f"{max(0, min(255, int(round(float(c))))):02x}" for c in rgb[:3])


def shade(hex_color: str, amount: float) -> str:
    """A colour mixed toward white (amount > 0) or black (< 0) in sRGB: "light blue", "dark green"."""
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    target = 255 if amount > 0 else 0
    return rgb_hex([c + (target - c) * abs(amount) for c in rgb])


def solver_settings(fabric: Fabric, overrides: dict | None = None) -> dict[str, float]:
    """The fabric's solver values with the user's edits on top (each checked against its range)."""
    out = fabric.solver()
    for key, value in (overrides or {}).items():
        if key not in SOLVER_RANGES:
            raise UserError(f"fabric.{key}: unknown setting; allowed: {', '.join(SOLVER_RANGES)}")
        lo, hi = SOLVER_RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise UserError(f"fabric.{key}: must be a number in {lo:g}..{hi:g} (got {value!r})")
        out[key] = float(value)
    return out

