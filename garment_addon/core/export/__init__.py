"""Print-ready exports of a Pattern: SVG, PDF (1:1 and tiled), DXF, GarmentCode and pattern JSON.

``export_pattern(pattern, path, fmt=None, paper="a4", seam_allowance=True)`` picks the
format from the file extension when ``fmt`` is None (``*_specification.json`` is
GarmentCode, other ``.json`` our pattern JSON). Every write is atomic.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..io import write_text
from ..pattern.model import Pattern
from .svg import pattern_to_svg, write_svg


@dataclass(frozen=True)
class Writer:
    """One export format: ``write(pattern, path, paper, seam_allowance, progress, half_on_fold)``."""

    suffix: str  # file extension; the first writer with a suffix is what the extension picks
    doc: str
    write: Callable[..., None]


def _svg(pattern, path, paper, seam_allowance, progress, half=False):
    write_svg(pattern, path, seam_allowance, half)


def _pdf(pattern, path, paper, seam_allowance, progress, half=False):
    from .pdf import _paper, write_pdf

    _paper(paper)  # validate even though a 1:1 sheet page ignores it
    write_pdf(pattern, path, seam_allowance, half)


def _pdf_tiled(pattern, path, paper, seam_allowance, progress, half=False):
    from .pdf import write_pdf_tiled

    write_pdf_tiled(pattern, path, paper, seam_allowance, progress, half)


def _dxf(pattern, path, paper, seam_allowance, progress, half=False):
    from .dxf import write_dxf

    write_dxf(pattern, path, seam_allowance, half)


def _garmentcode(pattern, path, paper, seam_allowance, progress, half=False):
    from ..interop.garmentcode import to_garmentcode

    write_text(path, json.dumps(to_garmentcode(pattern), indent=1))


def _json(pattern, path, paper, seam_allowance, progress, half=False):
    write_text(path, pattern.to_json())


# Every export format, in the order front ends list them (CLI --format choices, panel file filter).
WRITERS: dict[str, Writer] = {
    "svg": Writer(".svg", "one 1:1 sheet", _svg),
    "pdf": Writer(".pdf", "one 1:1 page for plotters and copy shops", _pdf),
    "pdf-tiled": Writer(".pdf", "1:1 tiles on paper with test squares and a map", _pdf_tiled),
    "dxf": Writer(".dxf", "cutting software (ASTM D6673 layers 1 cut, 4 notch, 7 grain, 8 marks, 14 sew, ...)",
                  _dxf),
    "garmentcode": Writer("_specification.json", "GarmentCode JSON", _garmentcode),
    "json": Writer(".json", "this add-on's pattern JSON", _json),
}
FORMATS = tuple(WRITERS)
EXTENSIONS = tuple(dict.fromkeys("." + w.suffix.rsplit(".", 1)[1] for w in WRITERS.values()))  # ".svg", ...

__all__ = ["EXTENSIONS", "FORMATS", "WRITERS", "Writer", "export_pattern", "file_filter", "format_from_path",
           "pattern_to_svg", "write_svg"]


def file_filter() -> str:
    """A file-browser glob of every format's extension ("*.svg;*.pdf;...")."""
    return ";".join(f"*{e}" for e in EXTENSIONS)


def format_from_path(path) -> str:
    """The format a file name asks for: the writer whose suffix it ends with (the longest wins)."""
    name = Path(path).name.lower()
    hits = [(len(w.suffix), -i, f) for i, (f, w) in enumerate(WRITERS.items()) if name.endswith(w.suffix)]
    if not hits:
        raise UserError(f"format: cannot tell the format from {Path(path).name!r}; name one of "
                        f"{', '.join(FORMATS)} or use a file ending in "
                        f"{', '.join(dict.fromkeys(w.suffix for w in WRITERS.values()))}")
    return max(hits)[2]


def export_pattern(pattern: Pattern, path, fmt: str | None = None, paper: str = "a4",
                   seam_allowance: bool = True, progress=None, half_on_fold: bool = False) -> Path:
    """Write ``pattern`` to ``path`` in ``fmt`` (from the file name when None); returns the path.

    ``half_on_fold`` (svg, pdf, pdf-tiled, dxf): whole symmetric on-fold pieces print as their half
    with a fold line, for cutting on folded fabric (about half the paper).
    """
    fmt = format_from_path(path) if fmt is None else str(fmt).lower()
    if fmt not in WRITERS:
        raise UserError(f"format: unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
    WRITERS[fmt].write(pattern, path, paper, seam_allowance, progress, half_on_fold)
    return Path(path)
