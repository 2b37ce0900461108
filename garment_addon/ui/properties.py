"""`scene.garment`: the spec's fields as Blender properties, generated from core.spec tables.

Measurement properties are lengths in metres (unit LENGTH, so they show and
accept the scene's units: "92 cm", "36in"); their hard and soft limits are the
core validation ranges. convert.py is the only mapping to and from the spec.
"""

from __future__ import annotations

import bpy
from bpy.props import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    FloatProperty,
    FloatVectorProperty,
    IntProperty,
    PointerProperty,
    StringProperty,
)

from ..core.spec import ALIASES, FEATURES, GARMENT_TYPES, MEASUREMENTS, SIZES, make_spec
from . import convert

DEFAULT_TYPE = "dress"
_DEFAULTS = make_spec({"garment_type": DEFAULT_TYPE})
METHODS = [("WRAP", "Wrap", "Project the pieces onto the body: instant"),
           ("DRAPE", "Drape", "Cloth simulation from the wrap: seconds, physically hung")]
BACKENDS = [("offline", "Offline", "No network: built-in image/text analysis and optimiser"),
            ("vlm", "VLM", "Ask the vision-language model set in the add-on preferences"),
            ("auto", "Auto", "Use the VLM when an API key is set, offline otherwise")]
PAPERS = [("a4", "A4", "A4 pages (210 x 297 mm)"), ("letter", "Letter", "US Letter pages (8.5 x 11 in)")]
PROFILES = [("preview", "Preview", "Eevee, 1 sample, no shadows: about a second"),
            ("final", "Final", "Eevee quality settings")]


def _items(values, describe=lambda v: v):
    return [(v, v.replace("_", " ").title() if v.islower() else v, describe(v)) for v in values]


def _on_type(self, context):
    if not convert.syncing():
        convert.refill_for_type(self)


def _on_size(self, context):
    if not convert.syncing():
        convert.refill_for_size(self)


def _on_pants(name):
    def update(self, context):
        if not convert.syncing():
            convert.keep_pants_consistent(self, name)
    return update


def _measurement(name: str) -> FloatProperty:
    f = MEASUREMENTS[name]
    lo, hi = f.lo * convert.CM, f.hi * convert.CM
    update = _on_pants(name) if name in ("pant_length", "rise", "inseam") else None
    kw = {"update": update} if update else {}
    return FloatProperty(name=name.replace("_", " ").capitalize(),
                         description=f"{f.doc[0].upper()}{f.doc[1:]} ({f.lo:g}..{f.hi:g} cm)",
                         default=_DEFAULTS.measurements[name] * convert.CM,
                         min=lo, max=hi, soft_min=lo, soft_max=hi, step=10, precision=3,
                         subtype="DISTANCE", unit="LENGTH", **kw)


def _feature(name: str):
    allowed = FEATURES[name]
    label = name.removeprefix("has_").replace("_", " ").capitalize()
    if allowed == (bool,):
        return BoolProperty(name=label, description=f"Spec feature {name}",
                            default=bool(_DEFAULTS.features[name]))
    return EnumProperty(name=label, items=_items(allowed, lambda v: f"{name}: {v}"),
                        default=_DEFAULTS.features[name])


def _annotations() -> dict:
    ann = {
        "garment_type": EnumProperty(name="Type", items=_items(GARMENT_TYPES, lambda v: f"A {v}"),
                                     default=DEFAULT_TYPE, update=_on_type),
        "size": EnumProperty(name="Size", items=_items(SIZES, lambda v: f"Size {v} body and defaults"),
                             default=_DEFAULTS.size, update=_on_size),
        "metadata_json": StringProperty(name="Metadata", default="{}", options={"HIDDEN"}),
        # an imported GarmentCode pattern (pattern.json text): used instead of drafting while set
        "imported_pattern": StringProperty(name="Imported pattern", default="", options={"HIDDEN"}),
        "imported_name": StringProperty(name="Imported from", default="",
                                        description="GarmentCode file the imported pattern came from"),
    }
    ann.update({k: _measurement(k) for k in MEASUREMENTS})
    ann.update({k: _feature(k) for k in FEATURES})
    return ann


class GarmentInputProps(bpy.types.PropertyGroup):
    image_path: StringProperty(name="Photo", subtype="FILE_PATH",
                               description="Garment photo to analyse or to refine against")
    text: StringProperty(name="Description", description="A garment in words, e.g. 'a loose midi dress'")
    instruction: StringProperty(name="Edit", description="A change in words, e.g. 'make the sleeves longer'")
    preset: EnumProperty(name="Preset", description="Garment type or alias with its defaults",
                         items=_items(list(GARMENT_TYPES) + list(ALIASES), lambda v: f"Start from a {v}"))
    backend: EnumProperty(name="Backend", items=BACKENDS, default="offline")


class GarmentBodyProps(bpy.types.PropertyGroup):
    preset: EnumProperty(name="Mannequin", items=[("female", "Female", "Female proportions"),
                                                 ("male", "Male", "Male proportions")], default="female")


class GarmentIteration(bpy.types.PropertyGroup):
    index: IntProperty(name="Iteration")
    score: FloatProperty(name="Score", precision=3)
    decision: StringProperty(name="Decision")


class GarmentRefineProps(bpy.types.PropertyGroup):
    backend: EnumProperty(name="Backend", items=BACKENDS, default="offline",
                          description="Who judges each render against the photo")
    method: EnumProperty(name="Assembly", items=METHODS, default="WRAP",
                         description="Wrap (instant) or Drape (seconds per iteration) for every candidate")
    max_iterations: IntProperty(name="Max iterations", default=15, min=1, max=200,
                                description="Renders at most (one render and comparison each, as `fit --max-iters`)")
    size: IntProperty(name="Render size", default=256, min=64, max=1024, subtype="PIXEL",
                      description="Width and height of each loop render (as `fit --size`)")
    threshold: FloatProperty(name="Stop at score", default=0.92, min=0.0, max=1.0, precision=3,
                             description="Stop once render and photo match this well (0..1, 1 = identical)")
    running: BoolProperty(name="Running", default=False, options={"SKIP_SAVE"})
    score: FloatProperty(name="Score", precision=3, description="Score of the latest iteration")
    best_score: FloatProperty(name="Best", precision=3, description="Best score so far (kept on cancel)")
    progress: FloatProperty(name="Progress", subtype="PERCENTAGE", min=0, max=100, precision=0)
    status: StringProperty(name="Status")
    log: CollectionProperty(type=GarmentIteration)


class GarmentSeamRow(bpy.types.PropertyGroup):
    """One row of the seam check (core.interop.garmentcode.seam_table, as `check` prints it)."""

    a: StringProperty(name="Edge A")
    b: StringProperty(name="Edge B")
    len_a: FloatProperty(name="Length A (cm)", precision=2)
    len_b: FloatProperty(name="Length B (cm)", precision=2)
    difference: FloatProperty(name="Difference (cm)", precision=2)
    ease: FloatProperty(name="Ease (cm)", precision=2)
    ok: BoolProperty(name="OK")
    opening: StringProperty(name="Opening", description="Part left open for a zip or buttons (empty: sewn shut)")


# The garment export's shell settings, declared once for the panel's Export box and the Export
# Garment operator (the panel passes its values to the operator).
def fabric_thickness_prop() -> BoolProperty:
    return BoolProperty(name="Fabric's thickness", default=True,
                        description="glb / fbx: the garment as thick as its fabric (else Thickness)")


def thickness_prop() -> FloatProperty:
    return FloatProperty(name="Thickness (mm)", default=1.0, min=0.0, max=10.0,
                         description="glb / fbx: cloth thickness, grown outward (0: a sheet)")


def subdivisions_prop() -> IntProperty:
    return IntProperty(name="Subdivisions", default=0, min=0, max=3,
                       description="glb / fbx: smoothing levels (each ~4x the vertices)")


class GarmentExportProps(bpy.types.PropertyGroup):
    tiled_pdf: BoolProperty(name="Tiled PDF", default=True,
                            description="PDF on printable pages with overlap marks (else one sheet)")
    paper: EnumProperty(name="Paper", items=PAPERS, default="a4", description="Page size of the tiled PDF")
    seam_allowance: BoolProperty(name="Seam allowance", default=True,
                                 description="Draw the cutting line (the seam allowance) around each piece")
    seams: CollectionProperty(type=GarmentSeamRow)
    garment_only: BoolProperty(name="Garment only", default=False,
                               description="Export the garment without the mannequin and rig")
    fabric_thickness: fabric_thickness_prop()
    thickness: thickness_prop()
    subdivisions: subdivisions_prop()


class GarmentRenderProps(bpy.types.PropertyGroup):
    method: EnumProperty(name="Method", items=METHODS, default="WRAP",
                         description="How Render assembles the garment when nothing is assembled yet")
    size: IntProperty(name="Size", default=512, min=16, max=4096, subtype="PIXEL",
                      description="Render width and height in pixels (as `render --size`)")
    view: EnumProperty(name="View", default="FRONT", description="Where Render Preview's camera stands", items=[
        ("FRONT", "Front", "Facing the mannequin"), ("THREE_QUARTER", "Three-quarter", "Front-left, 35° round"),
        ("SIDE", "Side", "The mannequin's left side"), ("BACK", "Back", "Behind the mannequin")])
    rig: BoolProperty(name="Rig", default=False,
                      description="Add an armature with skin weights to mannequin and garment (as `assemble --rig`)")


def _fill_from_preset(self, _context) -> None:
    """Choosing a preset shows its solver values, ready to edit."""
    from ..core.fabric import PRESETS, default_fabric

    fabric = PRESETS.get(self.preset.lower()) or default_fabric("shirt")
    for key, value in fabric.solver().items():
        setattr(self, key, value)


def _solver_prop(key: str, name: str, description: str) -> FloatProperty:
    from ..core.fabric import SOLVER_RANGES

    lo, hi = SOLVER_RANGES[key]
    return FloatProperty(name=name, min=lo, max=hi, default=lo, precision=3, description=description)


class GarmentClothProps(bpy.types.PropertyGroup):
    """The drape's fabric (core.fabric) and how the garment is shaded (blender.look)."""

    preset: EnumProperty(name="Fabric", update=_fill_from_preset, default="AUTO", items=[
        ("AUTO", "From the spec", "The preset features.fabric and the garment type call for "
                                   "(a spec's features.material shows here as that preset)"),
        ("COTTON_SHIRTING", "Cotton shirting", "Light woven cotton, 120 g/m²"),
        ("DENIM", "Denim", "Heavy twill, 400 g/m²"),
        ("JERSEY", "Jersey", "Single-knit, stretchy, 170 g/m²"),
        ("FLEECE", "Fleece", "Thick brushed knit, 280 g/m²"),
        ("SILK", "Silk", "Light and fluid, 75 g/m²"),
        ("WOOL_SUITING", "Wool suiting", "Worsted suiting, 260 g/m²")])
    custom: BoolProperty(name="Edit values", default=False,
                         description="Drape with the values below instead of the preset's own")
    mass: _solver_prop("mass", "Mass", "Cloth mass per vertex (Blender units; cotton 0.3)")
    tension: _solver_prop("tension", "Tension", "Resistance to stretching")
    compression: _solver_prop("compression", "Compression", "Resistance to squashing")
    shear: _solver_prop("shear", "Shear",
                        "Resistance to shearing (Blender applies it across quads only; the drape mesh is triangles)")
    bending: _solver_prop("bending", "Bending", "Stiffness against folding (higher: bigger, rounder folds)")
    damping: _solver_prop("damping", "Damping", "Spring damping")
    thickness_mm: _solver_prop("thickness_mm", "Thickness (mm)", "Fabric thickness: the gap kept between layers")
    layer: BoolProperty(name="Layer over worn garments", default=False,
                        description="Keep the garments already assembled (other types) and dress this one "
                                    "over them: an outfit (a shirt, then a jacket)")
    use_color: BoolProperty(name="Own colour", default=False, description="Shade in this colour, not the fabric's")
    color: FloatVectorProperty(name="Colour", subtype="COLOR", size=3, min=0.0, max=1.0,
                               default=(0.5, 0.58, 0.72))
    texture: StringProperty(name="Texture", subtype="FILE_PATH",
                            description="Image mapped on the garment's UVs (overrides the colour)")
    piece_colors: BoolProperty(name="Piece colours", default=False,
                               description="Debug view: one colour per pattern piece (see the legend)")


GarmentProps = type("GarmentProps", (bpy.types.PropertyGroup,), {
    "__doc__": "The garment spec (field names are the spec's) plus input, body, refine and export settings",
    "__annotations__": {
        **_annotations(),
        "inputs": PointerProperty(type=GarmentInputProps),
        "body": PointerProperty(type=GarmentBodyProps),
        "refine": PointerProperty(type=GarmentRefineProps),
        "export": PointerProperty(type=GarmentExportProps),
        "render": PointerProperty(type=GarmentRenderProps),
        "cloth": PointerProperty(type=GarmentClothProps),
    },
})

CLASSES = (GarmentInputProps, GarmentBodyProps, GarmentIteration, GarmentRefineProps, GarmentSeamRow,
           GarmentExportProps,
           GarmentRenderProps, GarmentClothProps, GarmentProps)


def register() -> None:
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.Scene.garment = PointerProperty(type=GarmentProps)


def unregister() -> None:
    del bpy.types.Scene.garment
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
