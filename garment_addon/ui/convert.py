"""The one mapping between the `scene.garment` properties and a core GarmentSpec.

Pure Python (no bpy), so it is tested without Blender. Field names are the
spec's names; lengths are stored in metres (Blender length units, shown in the
scene's units) and converted here, the only place that knows the factor.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from ..core.fabric import PRESETS, linear_to_hex, material_fabric, srgb_to_linear
from ..core.spec import FEATURES, MEASUREMENTS, GarmentSpec, body_measurements, make_spec

CM = 0.01  # metres per centimetre: properties hold metres, the core holds centimetres

# Body measurements (shown in the Body panel): those the mannequin takes straight from the spec
# (its "inseam" is derived from the height, unlike the spec's pant inseam). The rest are garment lengths.
_PROBE = make_spec({"garment_type": "dress"})
BODY_FIELDS = tuple(k for k, v in body_measurements(_PROBE).items() if k in MEASUREMENTS and v == _PROBE.m[k])
GARMENT_FIELDS = tuple(k for k in MEASUREMENTS if k not in BODY_FIELDS)

_syncing = 0


def syncing() -> bool:
    """True while spec_to_props writes, so update callbacks do not cascade."""
    return _syncing > 0


@contextlib.contextmanager
def quiet_updates() -> Iterator[None]:
    global _syncing
    _syncing += 1
    try:
        yield
    finally:
        _syncing -= 1


def props_measurements(props: Any) -> dict[str, float]:
    """Every measurement in cm (rounded to 0.01 mm so float32 storage never leaves the range)."""
    return {k: round(float(getattr(props, k)) / CM, 3) for k in MEASUREMENTS}


def props_to_dict(props: Any) -> dict[str, Any]:
    m = props_measurements(props)
    # pant_length = rise + inseam is kept live by update callbacks; should the three
    # disagree anyway (a script wrote one), let the core derive the inseam.
    if abs(m["pant_length"] - m["inseam"] - m["rise"]) > 1.0:
        del m["inseam"]
    meta = json.loads(getattr(props, "metadata_json", "") or "{}")
    body = getattr(props, "body", None)
    if body is not None:  # the pipeline reads the mannequin preset from the spec's metadata
        meta["body_preset"] = body.preset
    return {"garment_type": props.garment_type, "size": props.size, "measurements": m,
            "features": props_features(props), "metadata": meta}


def look_features(props: Any) -> dict[str, Any]:
    """features.material and features.color as the Cloth box holds them: its preset (unless "From
    the spec") and its own colour (a linear RGB property; the spec holds sRGB hex)."""
    cloth = getattr(props, "cloth", None)
    if cloth is None:
        return {}
    out: dict[str, Any] = {}
    if cloth.preset.lower() in PRESETS:
        out["material"] = cloth.preset.lower()
    if cloth.use_color:
        out["color"] = linear_to_hex(cloth.color)
    return out


def props_features(props: Any) -> dict[str, Any]:
    """The spec's features: the Garment panel's, and the Cloth box's material and colour (the
    material decides knit or woven)."""
    feats = {k: getattr(props, k) for k in FEATURES} | look_features(props)
    if "material" in feats:
        feats["fabric"] = material_fabric(feats["material"])
    return feats


def props_to_spec(props: Any) -> GarmentSpec:
    """The validated spec the properties describe; SpecError (one line) when they are not valid."""
    return make_spec(props_to_dict(props))


def spec_to_props(spec: GarmentSpec | dict, props: Any) -> None:
    """Write a spec (or spec dict, validated first) into the properties."""
    if not isinstance(spec, GarmentSpec):
        spec = make_spec(spec)
    with quiet_updates():
        props.garment_type = spec.garment_type
        props.size = spec.size
        for k, v in spec.measurements.items():
            if k in MEASUREMENTS:
                setattr(props, k, v * CM)
        for k in FEATURES:
            setattr(props, k, spec.features[k])
        if hasattr(props, "metadata_json"):
            props.metadata_json = json.dumps(spec.metadata, default=str)
        cloth = getattr(props, "cloth", None)
        if cloth is not None:  # the spec's material and colour show in the Cloth box
            cloth.preset = (spec.material or "auto").upper()
            cloth.use_color = spec.color is not None
            if spec.color:
                cloth.color = srgb_to_linear(spec.color)
        preset = spec.metadata.get("body_preset")
        if preset in ("female", "male") and getattr(props, "body", None) is not None:
            props.body.preset = preset


def _preset(props: Any) -> dict[str, Any]:
    """The spec metadata naming the mannequin the panel shows: the size's body defaults (the male
    chest, waist and shoulder slope) are that mannequin's."""
    body = getattr(props, "body", None)
    return {"metadata": {"body_preset": body.preset}} if body is not None else {}


def refill_for_type(props: Any) -> None:
    """After a type change: the type's garment defaults and features, the same body."""
    body = {k: v for k, v in props_measurements(props).items() if k in BODY_FIELDS}
    look = look_features(props)  # what it is made of and its colour stay
    base = {"garment_type": props.garment_type, "size": props.size, "features": look, **_preset(props)}
    try:
        spec = make_spec({**base, "measurements": body})
    except ValueError:  # the body breaks a rule of the new type: fall back to the size's body
        spec = make_spec(base)
    spec_to_props(spec, props)


def refill_for_size(props: Any) -> None:
    """After a size change: that size's body (the shown mannequin's: female or male) and the type's
    defaults; features are kept. The male mannequin's size had been filled with the female body's
    shoulder slope and high bust."""
    feats = props_features(props)
    spec_to_props(make_spec({"garment_type": props.garment_type, "size": props.size, "features": feats,
                             **_preset(props)}), props)


def keep_pants_consistent(props: Any, edited: str) -> None:
    """pant_length = rise + inseam: adjust the one the user did not edit."""
    with quiet_updates():
        if edited == "inseam":
            hi = MEASUREMENTS["pant_length"].hi * CM
            props.pant_length = min(hi, props.rise + props.inseam)
        else:
            lo, hi = MEASUREMENTS["inseam"].lo * CM, MEASUREMENTS["inseam"].hi * CM
            props.inseam = max(lo, min(hi, props.pant_length - props.rise))


SOLVER_FIELDS = ("mass", "tension", "compression", "shear", "bending", "damping", "thickness_mm")


def cloth_fabric(cloth) -> str | dict | None:
    """The pipeline's ``fabric`` argument from the Cloth properties: None (from the spec), a preset
    name, or the edited solver values on top of that preset."""
    preset = None if cloth.preset == "AUTO" else cloth.preset.lower()
    if not cloth.custom:
        return preset
    return {"preset": preset, **{k: float(getattr(cloth, k)) for k in SOLVER_FIELDS}}


def cloth_look(cloth) -> dict:
    """Keyword arguments of blender.look.Look from the Cloth properties."""
    return {"color": tuple(cloth.color) if cloth.use_color else None,
            "texture": cloth.texture or None, "piece_colors": bool(cloth.piece_colors)}
