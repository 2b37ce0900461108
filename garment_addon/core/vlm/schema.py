"""What we ask a VLM and how its answer becomes a spec: categories first, numbers optional."""

from __future__ import annotations

import json
from typing import Any

from ..categories import (
    LENGTHS,
    NECKLINES,
    SILHOUETTES,
    SLEEVES,
    TOP_LENGTHS,
    measurements_from_categories,
)
from ..fabric import PRESETS, colour_words, material_fabric
from ..spec import FEATURES, GARMENT_TYPES, MEASUREMENTS, GarmentSpec, make_spec

_LENGTH_CHOICES = list(LENGTHS) + list(TOP_LENGTHS)
GARMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "garment_type": {"type": "string", "enum": list(GARMENT_TYPES)},
        "fit": {"type": "string", "enum": ["fitted", "regular", "loose"]},
        "length": {"type": "string", "enum": _LENGTH_CHOICES},
        "sleeves": {"type": "string", "enum": list(SLEEVES)},
        "silhouette": {"type": "string", "enum": list(SILHOUETTES)},
        "neckline": {"type": "string", "enum": list(NECKLINES)},
        "has_collar": {"type": "boolean"},
        "has_hood": {"type": "boolean"},
        "has_cuffs": {"type": "boolean"},
        "has_pockets": {"type": "boolean"},
        "has_bib": {"type": "boolean"},
        "fabric": {"type": "string", "enum": list(FEATURES["fabric"])},
        "material": {"type": "string", "enum": list(PRESETS)},
        "colour": {"type": "string"},
        "wearer": {"type": "string", "enum": ["female", "male"]},
        "others": {"type": "array", "items": {"type": "string", "enum": list(GARMENT_TYPES)}},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "measurements": {
            "type": "object",
            "description": "optional centimetres, spec names",
            "properties": {k: {"type": "number"} for k in MEASUREMENTS},
        },
    },
    "required": ["garment_type", "fit", "length", "sleeves", "silhouette", "neckline"],
}

PROMPT = (
    "You are a pattern maker. Look at the photo and describe the single most prominent garment "
    "as JSON with these keys: garment_type (one of " + ", ".join(GARMENT_TYPES) + "), fit (fitted, "
    "regular, loose), length ("
    + ", ".join(_LENGTH_CHOICES)
    + "; tops use cropped/hip/long), sleeves ("
    + ", ".join(SLEEVES)
    + "), silhouette ("
    + ", ".join(SILHOUETTES)
    + "), neckline ("
    + ", ".join(NECKLINES)
    + "), has_collar, has_hood, has_cuffs, has_pockets, has_bib (booleans; a bib: overalls), "
    "fabric (woven or knit), material (the closest of "
    + ", ".join(PRESETS)
    + "), colour (a word), wearer (female or male: the body it is cut for, if it shows), "
    "others (other "
    "garment types visible in the outfit), confidence (0..1). Prefer the categories; only add a "
    "'measurements' object in centimetres if you are sure. Answer with the JSON object only."
)


def check_answer(obj: dict[str, Any]) -> dict[str, Any]:
    """Normalise a VLM answer; ValueError (-> repair request) when it is unusable."""
    t = str(obj.get("garment_type", "")).strip().lower()
    from ..spec import resolve_type

    try:
        t, _ = resolve_type(t)
    except Exception:
        raise ValueError(f"garment_type {t!r} not one of {GARMENT_TYPES}") from None
    out = dict(obj, garment_type=t)
    for key, allowed in (
        ("length", _LENGTH_CHOICES),
        ("sleeves", SLEEVES),
        ("silhouette", SILHOUETTES),
        ("neckline", NECKLINES),
        ("fit", ("fitted", "regular", "loose")),
    ):
        v = out.get(key)
        if isinstance(v, str):
            match = [a for a in allowed if a.lower() == v.strip().lower()]
            out[key] = match[0] if match else None
    return out


def answer_to_spec(answer: dict[str, Any], *, source: str = "", model: str | None = None) -> GarmentSpec:
    """Map a checked VLM answer to a validated spec (categories -> measurements by rules)."""
    t = answer["garment_type"]
    attrs = {k: answer.get(k) for k in ("length", "sleeves", "silhouette", "neckline", "has_cuffs")}
    meas = measurements_from_categories(t, attrs)
    given = answer.get("measurements") if isinstance(answer.get("measurements"), dict) else {}
    for k, v in given.items():
        f = MEASUREMENTS.get(k)
        if f and isinstance(v, int | float) and not isinstance(v, bool) and f.lo <= v <= f.hi:
            meas[k] = float(v)
    feats = {
        k: answer[k]
        for k in ("has_collar", "has_hood", "has_cuffs", "has_pockets", "has_bib")
        if isinstance(answer.get(k), bool)
    }
    for k in ("fit", "fabric"):
        if answer.get(k) in FEATURES[k]:
            feats[k] = answer[k]
    if answer.get("material") in PRESETS:  # the preset decides knit or woven
        feats.update(material=answer["material"], fabric=material_fabric(answer["material"]))
    if isinstance(answer.get("colour"), str) and (found := colour_words(answer["colour"].lower())):
        feats["color"] = found[0][1]  # "navy blue": navy
    conf = answer.get("confidence")
    conf = float(conf) if isinstance(conf, int | float) and 0 <= conf <= 1 else 0.7
    meta = {
        "source": source,
        "backend": "vlm",
        "model": model,
        "confidence": {"garment_type": conf, **{k: round(conf * 0.9, 2) for k, v in attrs.items() if v}},
        "attributes": attrs,
        "others": [o for o in answer.get("others") or [] if o in GARMENT_TYPES and o != t],
        "warnings": [],
    }
    if isinstance(answer.get("colour"), str):
        meta["colours"] = [answer["colour"]]
    if isinstance(answer.get("wearer"), str) and answer["wearer"].strip().lower() in ("female", "male"):
        meta["body_preset"] = answer["wearer"].strip().lower()
    return safe_spec(t, meas, feats, meta)


def safe_spec(t: str, meas: dict[str, float], feats: dict[str, Any], meta: dict[str, Any]) -> GarmentSpec:
    """make_spec, dropping measurements that break a relation (each named in a warning)."""
    from ..spec import SpecError

    meas = dict(meas)
    for _ in range(len(meas) + 1):
        try:
            return make_spec({"garment_type": t, "measurements": meas, "features": feats, "metadata": meta})
        except SpecError as exc:
            name = str(exc).split(":")[0].removeprefix("measurements.")
            if name not in meas:
                raise
            meas.pop(name)
            meta.setdefault("warnings", []).append(f"dropped {name}: {exc}")
    raise AssertionError("unreachable")


# -- critique for the refinement loop -------------------------------------------------------------
CRITIQUE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "differences": {"type": "array", "items": {"type": "string"}},
        "adjustments": {"type": "object", "description": "spec name -> new value (cm, bool or fit)"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "converged": {"type": "boolean"},
    },
    "required": ["differences", "adjustments", "confidence", "converged"],
}


def critique_prompt(spec: GarmentSpec) -> str:
    names = ", ".join(sorted(spec.measurements)) + ", " + ", ".join(FEATURES)
    return (
        "Image 1 is a photo of a garment; image 2 is a 3D render of our sewing pattern made from "
        "this spec:\n"
        + json.dumps(
            {"garment_type": spec.garment_type, "measurements": spec.measurements, "features": spec.features}
        )
        + "\nList the visible differences and propose adjustments as JSON {differences: [text], "
        "adjustments: {name: new value}, confidence: 0..1, converged: bool}. Use only these names: "
        + names
        + ". Change at most 3 values, each by a small step. Answer with the JSON only."
    )


def valid_adjustments(raw: Any) -> dict[str, Any]:
    """Keep only known names and valid values (absolute new values, clipped to the allowed range).

    How far one critique may move a measurement is the refinement's rule, applied once where it
    uses them (core.refine.proposer.parse_critique).
    """
    out: dict[str, Any] = {}
    if not isinstance(raw, dict):
        return out
    for k, v in raw.items():
        if k in MEASUREMENTS and isinstance(v, int | float) and not isinstance(v, bool):
            f = MEASUREMENTS[k]
            out[k] = round(min(f.hi, max(f.lo, float(v))), 2)
        elif k in FEATURES:
            allowed = FEATURES[k]
            if (allowed == (bool,) and isinstance(v, bool)) or (allowed != (bool,) and v in allowed):
                out[k] = v
        elif k == "garment_type" and v in GARMENT_TYPES:
            out[k] = v
    return out


def check_critique(obj: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(obj.get("adjustments", {}), dict):
        raise ValueError("adjustments must be an object")
    return obj
