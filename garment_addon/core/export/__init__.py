"""Print-ready exports of a Pattern: SVG, PDF (1:1 and tiled), DXF, GarmentCode and pattern JSON.

``export_pattern(pattern, path, fmt=None, paper="a4", seam_allowance=True)`` picks the
format from the file extension when ``fmt`` is None (``*_specification.json`` is
GarmentCode, other ``.json`` our pattern JSON). Every write is atomic.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError
from ..io import write_text
from ..pattern.model import Pattern
from .svg import pattern_to_svg, write_svg

FORMATS = ("svg", "pdf", "pdf-tiled", "dxf", "garmentcode", "json")
_BY_EXT = {".svg": "svg", ".pdf": "pdf", ".dxf": "dxf", ".json": "json"}

__all__ = ["FORMATS", "export_pattern", "format_from_path", "pattern_to_svg", "write_svg"]


def format_from_path(path) -> str:
    p = Path(path)
    if p.name.endswith("_specification.json"):
        return "garmentcode"
    fmt = _BY_EXT.get(p.suffix.lower())
    if fmt is None:
        raise UserError(f"format: cannot tell the format from {p.name!r}; use --format "
                        f"({', '.join(FORMATS)})")
    return fmt


def export_pattern(pattern: Pattern, path, fmt: str | None = None, paper: str = "a4",
                   seam_allowance: bool = True, progress=None, half_on_fold: bool = False) -> Path:
    """Write ``pattern`` to ``path`` in ``fmt``; returns the path.

    ``half_on_fold`` (svg, pdf, pdf-tiled, dxf): whole symmetric on-fold pieces print as their half
    with a fold line, for cutting on folded fabric (about half the paper).
    """
    fmt = format_from_path(path) if fmt is None else str(fmt).lower()
    if fmt not in FORMATS:
        raise UserError(f"format: unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
    if fmt == "svg":
        write_svg(pattern, path, seam_allowance, half_on_fold)
    elif fmt == "pdf":
        from .pdf import _paper, write_pdf

        _paper(paper)  # validate even though a 1:1 sheet page ignores it
        write_pdf(pattern, path, seam_allowance, half_on_fold)
    elif fmt == "pdf-tiled":
        from .pdf import write_pdf_tiled

        write_pdf_tiled(pattern, path, paper, seam_allowance, progress, half_on_fold)
    elif fmt == "dxf":
        from .dxf import write_dxf

        write_dxf(pattern, path, seam_allowance, half_on_fold)
    elif fmt == "garmentcode":
        from ..interop.garmentcode import to_garmentcode

        write_text(path, json.dumps(to_garmentcode(pattern), indent=1))
    else:
        write_text(path, pattern.to_json())
    return Path(path)
