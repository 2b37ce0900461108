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
    """The preset ``name`` (one of PRESETS), else the default for a spec dict's type and fabric."""
    if name:
        if name not in PRESETS:
            raise UserError(f"fabric: must be one of {', '.join(PRESETS)} (got {name!r})")
        return PRESETS[name]
    spec = spec or {}
    return default_fabric(spec.get("garment_type", ""), (spec.get("features") or {}).get("fabric", "woven"))


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

