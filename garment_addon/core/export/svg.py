"""pattern.svg: a 1:1 sheet (width/height in mm, one user unit = 1 mm).

Cut line solid, seam line dashed, notches as ticks, grainlines with arrowheads,
labels, the spec/size and the 10 cm / 4 in scale squares; one ``<g>`` per
piece with the piece's name as id. Mirrored twins (same ``cut_group``) are drawn once,
in the first twin's group ("cut 2"); the other twin's group is empty and names it in
``data-printed-as``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import numpy as np

from ..io import write_text
from ..pattern.model import Pattern
from .cutting import info_sections
from .layout import Prim, Sheet, build_sheet

STYLE = {
    "cut": 'fill="none" stroke="#111" stroke-width="0.5"',
    "seam": 'fill="none" stroke="#555" stroke-width="0.3" stroke-dasharray="4 2"',
    "notch": 'fill="none" stroke="#111" stroke-width="0.5"',
    "grain": 'fill="none" stroke="#1a4fa0" stroke-width="0.4"',
    "info": 'fill="none" stroke="#111" stroke-width="0.4"',
    "marking": 'fill="none" stroke="#8a1c1c" stroke-width="0.35" stroke-dasharray="6 1.5 1 1.5"',
    "drill": 'fill="none" stroke="#8a1c1c" stroke-width="0.35"',
}


def _xy(sheet: Sheet, pts: np.ndarray) -> np.ndarray:
    """Sheet cm (y up) -> SVG mm (y down)."""
    return np.column_stack([pts[:, 0] * 10.0, (sheet.height - pts[:, 1]) * 10.0])


def _prim_svg(sheet: Sheet, p: Prim) -> str:
    xy = _xy(sheet, p.pts)
    if p.text:
        fill = "#1a4fa0" if p.layer == "label" else "#111"
        return (f'<text x="{xy[0, 0]:.2f}" y="{xy[0, 1]:.2f}" font-family="Helvetica, Arial, sans-serif" '
                f'font-size="{p.size * 10:.2f}" text-anchor="{p.anchor}" dominant-baseline="middle" '
                f'fill="{fill}" class="{p.layer}">{escape(p.text)}</text>')
    d = "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in xy) + (" Z" if p.closed else "")
    return f'<path class="{p.layer}" d="{d}" {STYLE[p.layer]}/>'


def sheet_to_svg(sheet: Sheet) -> str:
    w, h = sheet.width * 10.0, sheet.height * 10.0
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.2f}mm" height="{h:.2f}mm" '
           f'viewBox="0 0 {w:.2f} {h:.2f}">',
           f"<title>{escape(sheet.title[0])}</title>",
           '<g id="sheet-info">']
    out += [_prim_svg(sheet, p) for p in sheet.prims if not p.piece]
    out.append("</g>")
    for pl in sheet.placed:
        name = pl.piece.name
        out.append(f"<g id={quoteattr(name)} data-cut-count=\"{pl.count}\" "
                   f"data-members={quoteattr(' '.join(pl.members))}>")
        out += [_prim_svg(sheet, p) for p in sheet.prims if p.piece == name]
        out.append("</g>")
        # a mirrored twin is printed once; its own (empty) group says where to find it
        out += [f"<g id={quoteattr(m)} data-printed-as={quoteattr(name)}/>" for m in pl.members[1:]]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def pattern_to_svg(pattern: Pattern, seam_allowance: bool = True, half_on_fold: bool = False) -> str:
    sheet = build_sheet(pattern, seam_allowance, half_on_fold=half_on_fold, info=info_sections(pattern))
    return sheet_to_svg(sheet)


def write_svg(pattern: Pattern, path, seam_allowance: bool = True, half_on_fold: bool = False):
    return write_text(path, pattern_to_svg(pattern, seam_allowance, half_on_fold))
