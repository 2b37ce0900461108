"""DXF for cutting software (AAMA/ASTM style), written with ezdxf.

Units are millimetres ($INSUNITS = 4, $MEASUREMENT = 1). Each printed piece is a
block named after the piece, inserted where the sheet layout put it; inside it
the cut line is one closed polyline on layer CUT, the seam line closed polyline(s)
on SEAM, notches as lines on NOTCH, the grainline (with arrowheads) on GRAIN and
the piece's label texts on LABEL. The spec/size title sits on LABEL in model space.
"""

from __future__ import annotations

import io

import ezdxf
import numpy as np

from ..io import write_text
from ..pattern.model import Pattern
from .layout import Prim, build_sheet

LAYER = {"cut": "CUT", "seam": "SEAM", "notch": "NOTCH", "grain": "GRAIN", "label": "LABEL", "info": "LABEL"}
LAYER_COLOR = {"CUT": 7, "SEAM": 8, "NOTCH": 1, "GRAIN": 5, "LABEL": 3}
MM = 10.0


def _add(space, p: Prim, origin: np.ndarray) -> None:
    layer = LAYER[p.layer]
    pts = (p.pts - origin) * MM
    if p.text:
        align = "MIDDLE_CENTER" if p.anchor == "middle" else "MIDDLE_LEFT"
        space.add_text(p.text, height=p.size * MM * 0.7, dxfattribs={"layer": layer}).set_placement(
            (float(pts[0, 0]), float(pts[0, 1])), align=ezdxf.enums.TextEntityAlignment[align])
    elif len(pts) == 2 and not p.closed:
        space.add_line(tuple(pts[0]), tuple(pts[1]), dxfattribs={"layer": layer})
    else:
        space.add_lwpolyline([tuple(map(float, q)) for q in pts], close=p.closed, dxfattribs={"layer": layer})


def pattern_to_dxf(pattern: Pattern, seam_allowance: bool = True) -> str:
    sheet = build_sheet(pattern, seam_allowance, squares=False)
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
        msp.add_blockref(block.name, tuple(map(float, origin * MM)), dxfattribs={"layer": "CUT"})
    for p in sheet.prims:
        if not p.piece and p.layer != "info" or (p.layer == "info" and p.text):
            _add(msp, p, np.zeros(2))
    buf = io.StringIO()
    doc.write(buf)
    return buf.getvalue()


def _block_name(name: str) -> str:
    # DXF block names may not contain these characters
    return "".join("_" if ch in '<>/\\":;?*|=`' else ch for ch in name) or "piece"


def write_dxf(pattern: Pattern, path, seam_allowance: bool = True) -> None:
    write_text(path, pattern_to_dxf(pattern, seam_allowance))
