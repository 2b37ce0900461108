"""DXF for cutting software, on the AAMA/ASTM D6673 layer numbers, written with ezdxf.

Units are millimetres ($INSUNITS = 4, $MEASUREMENT = 1). Each printed piece is a
block named after the piece, inserted where the sheet layout put it. Inside it, by
ASTM D6673 layer: 1 the cut line (one closed polyline) and the piece attributes as
texts ("Piece Name: ...", "Size: ...", "Quantity: ...", "Mirror: ..."), 4 notches,
7 the grainline, 8 internal lines (markings: centre front/back, fold, darts, pocket
placement, buttonholes, buttons), 13 drill holes (POINTs), 14 the seam (sew) line,
15 annotation text (the printed label). The spec/size title is on 15 in model space.
"""

from __future__ import annotations

import io

import ezdxf
import numpy as np

from ..io import write_text
from ..pattern.model import Pattern
from .layout import Prim, build_sheet

# ASTM D6673 (AAMA) layers: 1 boundary (cut), 4 notches, 7 grain, 8 internal lines, 13 drill holes,
# 14 sew lines, 15 annotation text
LAYER = {"cut": "1", "seam": "14", "notch": "4", "grain": "7", "label": "15", "info": "15", "marking": "8",
         "drill": "8"}
LAYER_COLOR = {"1": 7, "4": 1, "7": 5, "8": 6, "13": 6, "14": 8, "15": 3}
MM = 10.0


def _add(space, p: Prim, origin: np.ndarray) -> None:
    layer = LAYER[p.layer] if not (p.text and p.layer != "label") else "15"
    pts = (p.pts - origin) * MM
    if p.layer == "drill" and p.closed:  # a drill hole (or button) centre as a POINT on layer 13
        c = pts.mean(axis=0)
        space.add_point((float(c[0]), float(c[1])), dxfattribs={"layer": "13"})
    if p.text:
        align = {"middle": "MIDDLE_CENTER", "end": "MIDDLE_RIGHT"}.get(p.anchor, "MIDDLE_LEFT")
        space.add_text(p.text, height=p.size * MM * 0.7, dxfattribs={"layer": layer}).set_placement(
            (float(pts[0, 0]), float(pts[0, 1])), align=ezdxf.enums.TextEntityAlignment[align])
    elif len(pts) == 2 and not p.closed:
        space.add_line(tuple(pts[0]), tuple(pts[1]), dxfattribs={"layer": layer})
    else:
        space.add_lwpolyline([tuple(map(float, q)) for q in pts], close=p.closed, dxfattribs={"layer": layer})


def pattern_to_dxf(pattern: Pattern, seam_allowance: bool = True, half_on_fold: bool = False) -> str:
    sheet = build_sheet(pattern, seam_allowance, squares=False, half_on_fold=half_on_fold)
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4  # millimetres
    doc.header["$MEASUREMENT"] = 1  # metric
    for name, color in LAYER_COLOR.items():
        doc.layers.add(name, color=color)
    msp = doc.modelspace()
    for pl in sheet.placed:
        origin = pl.cut.min(axis=0)
        block = doc.blocks.new(name=_block_name(pl.piece.name))
        for p in sheet.prims:
            if p.piece == pl.piece.name:
                _add(block, p, origin)
        for text in _attributes(pattern, pl):  # ASTM piece attributes, on the boundary layer
            block.add_text(text, height=5.0, dxfattribs={"layer": "1"}).set_placement(
                tuple(map(float, (pl.cut.mean(axis=0) - origin) * MM)))
        msp.add_blockref(block.name, tuple(map(float, origin * MM)), dxfattribs={"layer": "1"})
    for p in sheet.prims:
        if not p.piece and p.layer != "info" or (p.layer == "info" and p.text):
            _add(msp, p, np.zeros(2))
    buf = io.StringIO()
    doc.write(buf)
    return buf.getvalue()


def _attributes(pattern: Pattern, pl) -> list[str]:
    p = pl.piece
    return [f"Piece Name: {p.label[0] if p.label else p.name}", f"Size: {(pattern.spec or {}).get('size', '')}",
            f"Quantity: {pl.count}", f"Mirror: {'yes' if pl.count > 1 else 'no'}",
            f"On Fold: {'optional' if p.on_fold else 'no'}", "Material: self"]


def _block_name(name: str) -> str:
    # DXF block names may not contain these characters
    return "".join("_" if ch in '<>/\\":;?*|=`' else ch for ch in name) or "piece"


def write_dxf(pattern: Pattern, path, seam_allowance: bool = True, half_on_fold: bool = False) -> None:
    write_text(path, pattern_to_dxf(pattern, seam_allowance, half_on_fold))
