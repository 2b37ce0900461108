"""Drafting: GarmentSpec -> Pattern. One module per garment part (bodice, sleeve, skirt, pants, parts)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ...garments import TYPES, style_name
from ...spec import GarmentSpec, body_measurements, make_spec
from ..builder import PatternDraft
from ..model import Pattern
from .construction import construction_pieces


def drafter(garment_type: str) -> Callable:
    """The ``draft(PatternDraft, spec, body)`` function the type's registry record names."""
    module, name = TYPES[garment_type].drafter.split(":")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def draft(spec: GarmentSpec | dict) -> Pattern:
    """Draft every piece of ``spec`` and the seams between them."""
    if not isinstance(spec, GarmentSpec):
        spec = make_spec(spec)
    label = [f"{style_name(spec.to_dict())} size {spec.size}", f"fit {spec.fit}"]
    d = PatternDraft(spec.to_dict(), label)
    drafter(spec.garment_type)(d, spec, body_measurements(spec))
    pattern = d.build()
    pattern.construction = construction_pieces(pattern, spec)
    return pattern
