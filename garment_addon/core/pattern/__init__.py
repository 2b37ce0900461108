"""Pattern data model and drafting."""

from .model import SCHEMA, Edge, EdgeRef, Pattern, PatternError, Piece, Seam, load_pattern, polyline_length

__all__ = ["SCHEMA", "Edge", "EdgeRef", "Pattern", "PatternError", "Piece", "Seam", "load_pattern",
           "polyline_length", "draft_pattern"]


def draft_pattern(spec):
    """GarmentSpec (or spec dict) -> Pattern. See drafting/."""
    from .drafting import draft

    return draft(spec)
