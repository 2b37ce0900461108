"""Mannequin geometry (pure numpy): see mannequin.py."""

from .mannequin import PRESETS, Body, Part, Tube, body_for_pattern, body_for_spec, build_body, solve_section

__all__ = ["PRESETS", "Body", "Part", "Tube", "body_for_pattern", "body_for_spec", "build_body", "solve_section"]
