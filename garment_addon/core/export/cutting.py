"""What page 1 of a print tells the sewist before she cuts: allowances, cutting list, finished
measurements and how much fabric to buy.

The fabric requirement comes from a real cutting layout: every piece as many times as it is
cut (a mirrored twin as its mirror image), grain parallel to the selvedge (turned only by 180°),
nested by the same packer as the printed sheet into the fabric width less 1 cm per selvedge.
"""

from __future__ import annotations

import math

import numpy as np

from ..pattern.measure import measurement_table
from ..pattern.model import Pattern, Piece
from .layout import _rot, grain_turn, pack, piece_cut, printed_groups

FABRIC_WIDTHS = (114.0, 150.0)  # cm: the two usual bolt widths
SELVEDGE = 1.0  # cm lost at each selvedge
SPARE = 10.0  # cm added to a layout for straightening the cut end and shrinkage


def _mirror(cut: np.ndarray) -> np.ndarray:
    return (cut * np.array([-1.0, 1.0]))[::-1]


def _mirror_piece_turn(piece: Piece) -> float:
    """Grain-up turn of a piece's mirror image."""
    if len(piece.grainline) != 2:
        return 0.0
    g = np.asarray(piece.grainline, float) * np.array([-1.0, 1.0])
    twin = Piece(piece.name, piece.outline, piece.edges, grainline=g.tolist())
    return grain_turn(twin)


LINING = "lining"


def cut_shapes(pattern: Pattern, material: str = "") -> list[np.ndarray]:
    """Every piece cut from the main fabric (or from ``material``, e.g. "lining"), cut lines grain up,
    as many times as it is cut. Rib knit bands come from a rib of their own."""
    shapes = []
    for piece, count, _ in printed_groups(pattern):
        own = piece.material.startswith(("rib", LINING))  # not the main fabric
        if (piece.material != material) if material else own:
            continue
        cut = piece_cut(piece, True)
        shapes.append(_rot(cut, grain_turn(piece)))
        for k in range(1, count):  # twins are mirror images: every other copy mirrored
            shapes.append(_rot(_mirror(cut), _mirror_piece_turn(piece)) if k % 2 else
                          _rot(cut, grain_turn(piece)))
    return shapes


def fabric_requirement(pattern: Pattern, width: float, material: str = "") -> dict:
    """{"width", "length_cm", "fits"}: fabric length (cm, rounded up to 10 cm) for fabric ``width`` cm
    wide; fits False when a piece is wider than the fabric (it must be cut on the cross or pieced)."""
    shapes = cut_shapes(pattern, material)
    inner = width - 2 * SELVEDGE
    widest = max(float(np.ptp(s[:, 0])) for s in shapes) if shapes else 0.0
    _, used = pack(shapes, inner) if shapes else ([], 0.0)
    length = math.ceil((used + SPARE) / 10.0) * 10.0
    return {"width": width, "length_cm": length, "fits": widest <= inner}


def allowance_lines(pattern: Pattern) -> list[str]:
    """Seam and hem allowances as included in the cut lines, by kind of edge."""
    by_role: dict[str, set[float]] = {}
    for p in pattern.pieces:
        for e in p.edges:
            by_role.setdefault(e.role, set()).add(round(e.allowance, 2))
    words = {"seam": "seams", "hem": "hems", "opening": "openings (zip, buttons, hood face)",
             "neckline": "necklines", "armhole": "armholes", "face": "patch pocket sides"}
    parts = [f"{words[r]} {' / '.join(f'{a:g}' for a in sorted(v))} cm" for r, v in by_role.items()
             if r in words]
    return ["Allowances are included: " + "; ".join(parts) + ".",
            "Bands and collars are cut double and folded: no allowance on the fold."]


def cutting_rows(pattern: Pattern) -> list[str]:
    """One line per printed piece: number and name, how many, from what, on the fold or not."""
    rows = []
    for piece, count, members in printed_groups(pattern):
        name = piece.label[0] if piece.label and piece.label[0][:1].isdigit() else " / ".join(members)
        fold = any(e.role == "fold" for e in piece.edges)
        how = "cut double, fold" if fold else ("whole, or half on a fold" if piece.on_fold else
                                             "mirror pair" if count > 1 else "")
        if any("bias" in s for s in piece.label):  # an under collar: grain at 45 degrees
            how += ", on the bias"
        rows.append(f"{name}: cut {count} {piece.material or 'self fabric'}" + (f", {how}" if how else ""))
    return rows


def measurement_lines(pattern: Pattern) -> list[str]:
    """One line per girth: body, finished and ease to a millimetre, the ease the difference of the two
    printed numbers so they add up (rounded on its own, 91.7 + 4.9 was printed as 96.7)."""
    out = []
    for r in measurement_table(pattern):
        body, finished = round(r["body"], 1), round(r["finished"], 1)
        out.append(f"{r['girth']}: body {body:.1f}, finished {finished:.1f} (ease {finished - body:+.1f})")
    return out


def info_sections(pattern: Pattern) -> list[tuple[str, list[str]]]:
    """(heading, lines) blocks for page 1 of a print."""
    fabric = []
    for w in FABRIC_WIDTHS:
        req = fabric_requirement(pattern, w)
        fabric.append(f"{w:g} cm wide: {req['length_cm'] / 100:.2f} m" +
                      ("" if req["fits"] else " (a piece is wider: piece it or cut crosswise)"))
    if cut_shapes(pattern, LINING):
        req = fabric_requirement(pattern, 150.0, LINING)
        fabric.append(f"lining, 150 cm wide: {req['length_cm'] / 100:.2f} m")
    fabric.append("from a nested layout, grain along the selvedge")
    out = [("Seam allowances", allowance_lines(pattern)), ("Cutting list", cutting_rows(pattern))]
    meas = measurement_lines(pattern)
    if meas:
        out.append(("Finished measurements, cm", meas))
    out.append(("Fabric", fabric))
    return out
