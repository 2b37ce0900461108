"""Pattern data model and drafting."""

from .model import SCHEMA, Edge, EdgeRef, Pattern, PatternError, Piece, Seam, load_pattern, polyline_length

__all__ = ["SCHEMA", "Edge", "EdgeRef", "Pattern", "PatternError", "Piece", "Seam", "load_pattern",
           "polyline_length", "draft_pattern"]


def draft_pattern(spec):
    """GarmentSpec (or spec dict) -> Pattern. See drafting/.

    A finished girth under the body cannot be put on: that is written into the warnings (pant
    thighs warn as they are drafted).
    """
    from ..spec import GarmentSpec, make_spec
    from .drafting import draft
    from .measure import measurement_table, under_body

    spec = spec if isinstance(spec, GarmentSpec) else make_spec(spec)
    pattern = draft(spec)
    said = " ".join(pattern.metadata.get("warnings", []))
    late = [w for w in under_body(measurement_table(pattern, spec)) if w.split()[1] not in said]
    if late:
        pattern.metadata.setdefault("warnings", []).extend(late)
    return pattern
