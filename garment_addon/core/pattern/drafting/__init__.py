"""Drafting: GarmentSpec -> Pattern. One module per garment part (bodice, sleeve, skirt, pants, parts)."""

from __future__ import annotations

from ...spec import GarmentSpec, body_measurements, make_spec
from ..builder import PatternDraft
from ..model import Pattern
from .garments import DRAFTERS


def draft(spec: GarmentSpec | dict) -> Pattern:
    """Draft every piece of ``spec`` and the seams between them."""
    if not isinstance(spec, GarmentSpec):
        spec = make_spec(spec)
    label = [f"{spec.garment_type} size {spec.size}", f"fit {spec.fit}"]
    d = PatternDraft(spec.to_dict(), label)
    DRAFTERS[spec.garment_type](d, spec, body_measurements(spec))
    return d.build()
