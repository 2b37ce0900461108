"""A straight seam line with V darts, as consecutive edges (waist of dress bodices and skirts)."""

from __future__ import annotations

from .. import geometry as g
from ..builder import PieceDraft


def darted_line(pd: PieceDraft, y: float, half: float, dart_x: float, dart_w: float, tip_dy: float,
                plus: str, minus: str, corner: str, name: str, role: str, left_to_right: bool) -> None:
    """Edges along y from -half to +half (or back), with a V dart at +-dart_x when dart_w > 0.

    ``tip_dy`` is the signed height of the dart tip above ``y`` (negative: pointing down).
    Edge names use the wearer's sides: ``plus`` is the side at +x. Corner tags are
    ``{corner}_{side}``; dart legs are tagged base -> tip so the builder sews them base to base.
    """
    a_tag, b_tag = f"{corner}_{minus}", f"{corner}_{plus}"
    if dart_w <= 0:
        pts = [(-half, y), (half, y)] if left_to_right else [(half, y), (-half, y)]
        tags = (a_tag, b_tag) if left_to_right else (b_tag, a_tag)
        pd.edge(name, g.line(*pts), role, tags)
        return
    w = dart_w / 2
    xs = [-half, -dart_x - w, -dart_x, -dart_x + w, dart_x - w, dart_x, dart_x + w, half]
    ys = [y, y, y + tip_dy, y, y, y + tip_dy, y, y]
    pts = list(zip(xs, ys, strict=True))
    darted_edges(pd, [g.line(pts[i], pts[i + 1]) for i in range(7)], plus, minus, corner, name, role,
                 left_to_right)


def darted_edges(pd: PieceDraft, parts: list, plus: str, minus: str, corner: str, name: str, role: str,
                 left_to_right: bool) -> None:
    """darted_line's edges from their polylines, left to right: seven (line, two legs, centre, two legs,
    line), or three (line, centre, line) where the darts are closed (a skirt slashed and spread, whose
    waist seam still meets a darted bodice's edge for edge) with the darts' tags at the joins."""
    m, p = minus, plus
    a_tag, b_tag = f"{corner}_{minus}", f"{corner}_{plus}"
    spec = [  # name, role, start tag, end tag (left to right)
        (f"{name}_{m}", role, a_tag, f"dart_{m}_out"),
        (f"dart_{m}_a", "seam", f"dart_{m}_out", f"dart_{m}_tip"),
        (f"dart_{m}_b", "seam", f"dart_{m}_tip", f"dart_{m}_in"),
        (f"{name}_center", role, f"dart_{m}_in", f"dart_{p}_in"),
        (f"dart_{p}_b", "seam", f"dart_{p}_in", f"dart_{p}_tip"),
        (f"dart_{p}_a", "seam", f"dart_{p}_tip", f"dart_{p}_out"),
        (f"{name}_{p}", role, f"dart_{p}_out", b_tag),
    ]
    if len(parts) == 3:
        spec = [spec[0], spec[3], spec[6]]
    segs = list(zip(spec, parts, strict=True))
    if not left_to_right:
        segs = [((n, r, t1, t0), pts[::-1]) for (n, r, t0, t1), pts in segs[::-1]]
    for (n, r, t0, t1), pts in segs:
        pd.edge(n, pts, r, _leg_tags(n, t0, t1))


def _leg_tags(name: str, t0: str, t1: str) -> tuple[str, str]:
    """Dart legs share tags 'base'/'tip' so a ~ b sew base-to-base."""
    if not name.startswith("dart_"):
        return (t0, t1)
    side = name.split("_")[1]
    base, tip = f"dart_{side}_base", f"dart_{side}_tip"
    return (base, tip) if "tip" in t1 else (tip, base)


def dart_pairs(pd: PieceDraft) -> list[tuple[str, str]]:
    names = {e.name for e in pd.edges}
    return [(f"{kind}dart_{s}_a", f"{kind}dart_{s}_b") for kind in ("", "bust_") for s in ("left", "right")
            if f"{kind}dart_{s}_a" in names]
