"""PDF exports at exact 1:1 (reportlab): one big page, or tiled A4/Letter pages.

Tiled: page 1 holds the title, the instructions and the 10 cm / 4 in test squares
(measure them before printing the rest); page 2 is the assembly map (the whole
sheet, scaled, with the page grid); then one page per non-blank tile, row by row.
Tiles overlap by ``OVERLAP`` cm; every tile carries its grid label (row letter +
column number), its neighbours' labels, a dashed line where the next page's edge
goes and ⊕ alignment marks that coincide with the neighbours' marks.

Paths are written in absolute page coordinates (no transform matrices) so a
reader can measure a piece straight from the content stream.
"""

from __future__ import annotations

import io
import math
import string
import textwrap

import numpy as np
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from shapely.geometry import LineString, Polygon
from shapely.geometry import box as rectangle
from shapely.ops import unary_union

from ..errors import UserError
from ..io import write_bytes
from ..pattern.model import Pattern
from .cutting import info_sections
from .layout import INCH, MARGIN, Prim, Sheet, build_sheet, test_squares

PT = 72.0 / 2.54  # points per cm
PAPERS = {"a4": A4, "letter": LETTER}
PAGE_MARGIN = 1.2  # cm: outside most printers' unprintable border
OVERLAP = 1.5  # cm shared by neighbouring tiles
CONTENT_PAD = 0.5  # cm of blank kept around the drawing on the tiles
MAX_COLUMNS = 8  # widest tiled layout tried, in pages

_WIDTH = {"cut": 0.9, "seam": 0.5, "notch": 0.9, "grain": 0.7, "info": 0.7, "grid": 0.4, "mark": 0.5,
          "marking": 0.6, "drill": 0.6}
_DASH = {"seam": [6, 3], "grid": [3, 3], "marking": [9, 2, 1.5, 2]}
_COLOR = {"grain": (0.1, 0.31, 0.63), "label": (0.1, 0.31, 0.63), "grid": (0.55, 0.55, 0.55),
          "marking": (0.54, 0.11, 0.11), "drill": (0.54, 0.11, 0.11)}


def _paper(paper: str):
    key = str(paper).lower()
    if key not in PAPERS:
        raise UserError(f"paper: unknown paper {paper!r} (allowed: {', '.join(PAPERS)})")
    return PAPERS[key]


def _style(c: Canvas, layer: str) -> None:
    c.setLineWidth(_WIDTH.get(layer, 0.7))
    c.setDash(_DASH.get(layer, []), 0)
    rgb = _COLOR.get(layer, (0, 0, 0))
    c.setStrokeColorRGB(*rgb)
    c.setFillColorRGB(*rgb)


def _draw(c: Canvas, prims: list[Prim], tf) -> None:
    """Draw primitives; ``tf`` maps sheet cm (N, 2) to page points (N, 2)."""
    for p in prims:
        _style(c, p.layer)
        xy = tf(p.pts)
        if p.text:
            size = p.size * PT
            c.setFont("Helvetica-Bold" if p.layer == "label" and size > 10 else "Helvetica", size)
            x, y = float(xy[0, 0]), float(xy[0, 1]) - 0.35 * size
            if p.anchor == "start":
                c.drawString(x, y, p.text)
            elif p.anchor == "end":
                c.drawRightString(x, y, p.text)
            else:
                c.drawCentredString(x, y, p.text)
            continue
        path = c.beginPath()
        path.moveTo(*map(float, xy[0]))
        for x, y in xy[1:]:
            path.lineTo(float(x), float(y))
        if p.closed:
            path.close()
        c.drawPath(path, stroke=1, fill=0)


def _finish(c: Canvas, buf: io.BytesIO, path) -> None:
    c.save()
    write_bytes(path, buf.getvalue())


def _canvas(pagesize, pattern_title: str) -> tuple[Canvas, io.BytesIO]:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=pagesize, pageCompression=1)
    c.setTitle(pattern_title)
    c.setCreator("Garment Studio")
    return c, buf


def write_pdf(pattern: Pattern, path, seam_allowance: bool = True, half_on_fold: bool = False) -> None:
    """One page the size of the whole sheet, at exact 1:1 (for plotters and copy shops)."""
    sheet = build_sheet(pattern, seam_allowance, squares=True, half_on_fold=half_on_fold,
                        info=info_sections(pattern))
    c, buf = _canvas((sheet.width * PT, sheet.height * PT), sheet.title[0])
    _draw(c, sheet.prims, lambda pts: np.asarray(pts, float) * PT)
    c.showPage()
    _finish(c, buf, path)


def _row_name(r: int) -> str:
    letters = string.ascii_uppercase
    return letters[r] if r < 26 else letters[r // 26 - 1] + letters[r % 26]


def content_box(sheet: Sheet) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of what is drawn, in sheet cm: the sheet's blank margin is not worth paper."""
    pts = np.vstack([p.pts for p in sheet.prims]) if sheet.prims else np.zeros((1, 2))
    lo, hi = pts.min(axis=0) - CONTENT_PAD, pts.max(axis=0) + CONTENT_PAD
    hi[1] += 1.0  # text rises above its anchor
    return max(float(lo[0]), 0.0), max(float(lo[1]), 0.0), min(float(hi[0]), sheet.width), \
        min(float(hi[1]), sheet.height)


class Grid:
    """The tiling of a sheet into pages: tile (r, c) shows [x0, x0+tw] x [y0, y0+th] in sheet cm.

    The grid starts at the top-left of ``box`` (default: the whole sheet)."""

    def __init__(self, sheet: Sheet, pagesize, box: tuple[float, float, float, float] | None = None):
        self.pw, self.ph = pagesize
        self.tw = self.pw / PT - 2 * PAGE_MARGIN
        self.th = self.ph / PT - 2 * PAGE_MARGIN
        self.sx, self.sy = self.tw - OVERLAP, self.th - OVERLAP
        x0, y0, x1, y1 = box or (0.0, 0.0, sheet.width, sheet.height)
        self.left, self.top = x0, y1
        self.cols = max(1, math.ceil((x1 - x0 - OVERLAP) / self.sx))
        self.rows = max(1, math.ceil((y1 - y0 - OVERLAP) / self.sy))

    def origin(self, r: int, col: int) -> tuple[float, float]:
        return self.left + col * self.sx, self.top - r * self.sy - self.th

    def window(self, r: int, col: int, inset: bool = False) -> Polygon:
        """What tile (r, col) shows; ``inset``: without the bands it shares with its neighbours."""
        x0, y0 = self.origin(r, col)
        a = OVERLAP if inset else 0.0
        return rectangle(x0 + (a if col else 0.0), y0 + (a if r + 1 < self.rows else 0.0),
                         x0 + self.tw - (a if col + 1 < self.cols else 0.0), y0 + self.th - (a if r else 0.0))

    def printed(self, prims: list[Prim]) -> list[tuple[int, int]]:
        """The tiles worth printing, row by row: every tile with a drawn line that no neighbour shows,
        then (greedily) tiles for lines left only in overlap bands. The rest would print blank paper
        or a sliver the neighbours already show."""
        lines = unary_union([LineString(p.pts) for p in prims if not p.text and len(p.pts) > 1])
        tiles = [(r, col) for r in range(self.rows) for col in range(self.cols)]
        chosen = {t for t in tiles if lines.intersects(self.window(*t, inset=True))}
        rest = lines.difference(unary_union([self.window(*t) for t in chosen])) if chosen else lines
        while rest.length > 1e-3:
            gain = {t: rest.intersection(self.window(*t)).length for t in tiles if t not in chosen}
            t = max(gain, key=gain.get, default=None)
            if t is None or gain[t] <= 0:
                break
            chosen.add(t)
            rest = rest.difference(self.window(*t))
        return sorted(chosen)

    def name(self, r: int, col: int) -> str:
        return f"{_row_name(r)}{col + 1}"

    def tf(self, r: int, col: int):
        x0, y0 = self.origin(r, col)
        off = np.array([PAGE_MARGIN - x0, PAGE_MARGIN - y0])
        return lambda pts: (np.asarray(pts, float) + off) * PT

    def visible(self, r: int, col: int, prims: list[Prim]) -> list[Prim]:
        """The primitives whose bounding box meets tile (r, col)."""
        x0, y0 = self.origin(r, col)
        out = []
        for p in prims:
            lo, hi = p.pts.min(axis=0), p.pts.max(axis=0)
            if p.text:  # a text's extent is not known here: allow a generous box around its anchor
                lo, hi = lo - 30 * p.size, hi + 30 * p.size
            if lo[0] <= x0 + self.tw and hi[0] >= x0 and lo[1] <= y0 + self.th and hi[1] >= y0:
                out.append(p)
        return out


def _mark(at: np.ndarray) -> list[Prim]:
    """⊕ alignment mark centred on a sheet point."""
    r = 0.35
    ang = np.linspace(0, 2 * np.pi, 25)[:-1]
    return [Prim("mark", at + r * np.column_stack([np.cos(ang), np.sin(ang)]), closed=True),
            Prim("mark", np.array([at - [0.6, 0], at + [0.6, 0]])),
            Prim("mark", np.array([at - [0, 0.6], at + [0, 0.6]]))]


def _tile_extras(g: Grid, r: int, col: int) -> list[Prim]:
    """Overlap guides and alignment marks of one tile, in sheet cm."""
    x0, y0 = g.origin(r, col)
    out = []
    if col + 1 < g.cols:  # the right neighbour's left edge lies here
        out.append(Prim("grid", np.array([[x0 + g.sx, y0], [x0 + g.sx, y0 + g.th]])))
    if r + 1 < g.rows:  # the lower neighbour's top edge lies here
        out.append(Prim("grid", np.array([[x0, y0 + OVERLAP], [x0 + g.tw, y0 + OVERLAP]])))
    for mx in (x0 + OVERLAP / 2, x0 + g.tw - OVERLAP / 2):
        for my in (y0 + OVERLAP / 2, y0 + g.th - OVERLAP / 2):
            out += _mark(np.array([mx, my]))
    return out


def _page_labels(c: Canvas, g: Grid, r: int, col: int, page_no: int, total: int, title: str,
                 printed: set) -> None:
    c.setDash([], 0)
    c.setFillColorRGB(0, 0, 0)
    m = PAGE_MARGIN * PT
    c.setFont("Helvetica-Bold", 14)
    c.drawString(m, g.ph - m + 8, g.name(r, col))
    near = []
    for dr, dc, word in ((-1, 0, "above"), (1, 0, "below"), (0, -1, "left"), (0, 1, "right")):
        rr, cc = r + dr, col + dc
        if 0 <= rr < g.rows and 0 <= cc < g.cols:
            near.append(f"{word}: {g.name(rr, cc)}" + ("" if (rr, cc) in printed else " (blank)"))
    c.setFont("Helvetica", 7)
    c.drawString(m + 34, g.ph - m + 10, f"row {_row_name(r)}, column {col + 1}   " + "   ".join(near))
    c.drawString(m, m - 12, f"{title}   page {page_no}/{total}   overlap {OVERLAP:g} cm: lay the next page's "
                 "edge on the dashed line and match the (+) marks")
    c.drawRightString(g.pw - m, m - 12, g.name(r, col))


def _info_page(c: Canvas, sheet: Sheet, g: Grid, pages: int, seam_allowance: bool, pattern: Pattern) -> None:
    top = g.ph / PT - PAGE_MARGIN
    head = [Prim("info", np.array([[PAGE_MARGIN, top - 0.7]]), text=sheet.title[0], size=0.7, anchor="start"),
            Prim("info", np.array([[PAGE_MARGIN, top - 1.5]]), text=sheet.title[1], size=0.4, anchor="start")]
    side = 4 * INCH
    sq = test_squares(np.array([PAGE_MARGIN, top - 2.5 - side]))
    # stack the 4 in square under the 10 cm one: both do not fit side by side on A4/Letter
    sq10, sq4 = sq[:2], sq[2:]
    dx = np.array([sq4[0].pts[0, 0] - PAGE_MARGIN, 0.0])
    dy = np.array([0.0, side + 1.0])
    for p in sq4:
        p.pts = p.pts - dx - dy
    for p in sq10:
        p.pts = p.pts + np.array([0.0, side - 10.0])
    _draw(c, head + sq10 + sq4, lambda pts: np.asarray(pts, float) * PT)
    text = [
        "Check the scale first:",
        "print this page at 100 % / actual size",
        "(no 'fit to page'), then measure the",
        "squares: 10 cm and 4 in exactly.",
        "",
        f"{pages} pattern pages follow the map on",
        f"page 2 ({g.rows} rows A-{_row_name(g.rows - 1)} x {g.cols} columns).",
        f"Pages overlap by {OVERLAP:g} cm: trim nothing,",
        "lay each page's edge on the dashed",
        "line of its neighbour and match the",
        "(+) marks, then tape.",
        "",
        "Lines: solid = cut line,",
        "dashed = seam line" + ("" if seam_allowance else " (no allowance added)") + ",",
        "ticks = notches, arrow = grainline",
        "(parallel to the selvedge).",
    ]
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 9)
    x = (PAGE_MARGIN + 10.8) * PT
    for k, line in enumerate(text):
        c.drawString(x, (top - 3.0) * PT - k * 12, line)
    # then what to cut and buy: allowances, cutting list, finished measurements, fabric
    y = (top - 3.0) * PT - (len(text) + 1) * 12
    width = int((g.pw / PT - 10.8 - 2 * PAGE_MARGIN) * PT / (7 * 0.5))  # Helvetica 7 pt: ~3.5 pt a character
    for head, lines in info_sections(pattern):
        c.setFont("Helvetica-Bold", 8)
        c.drawString(x, y, head)
        y -= 10
        c.setFont("Helvetica", 7)
        for line in lines:
            for part in textwrap.wrap(line, width, subsequent_indent="  "):
                c.drawString(x, y, part)
                y -= 8.5
        y -= 4
    c.showPage()


def _map_page(c: Canvas, sheet: Sheet, g: Grid, printed: set[tuple[int, int]]) -> None:
    avail_w, avail_h = g.tw, g.th - 2.0
    s = min(avail_w / sheet.width, avail_h / sheet.height)
    base = np.array([PAGE_MARGIN, PAGE_MARGIN])
    tf = lambda pts: (np.asarray(pts, float) * s + base) * PT  # noqa: E731
    _draw(c, [Prim("info", p.cut, closed=True) for p in sheet.placed], tf)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(PAGE_MARGIN * PT, g.ph - PAGE_MARGIN * PT - 12, "Assembly map")
    c.setFont("Helvetica", 8)
    c.drawString(PAGE_MARGIN * PT, g.ph - PAGE_MARGIN * PT - 26,
                 f"{sheet.title[0]} - {g.rows} x {g.cols} pages; grey cells hold nothing new and are not printed")
    for r in range(g.rows):
        for col in range(g.cols):
            x0, y0 = g.origin(r, col)
            lo = tf([[x0, max(y0, 0.0)]])[0]
            hi = tf([[min(x0 + g.tw, sheet.width), y0 + g.th]])[0]
            c.setDash([], 0)
            c.setLineWidth(0.5)
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            if (r, col) in printed:
                c.setFillColorRGB(1, 1, 1)
            else:
                c.setFillColorRGB(0.85, 0.85, 0.85)
            c.rect(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1], stroke=1, fill=0 if (r, col) in printed else 1)
            c.setFillColorRGB(0.8, 0.1, 0.1)
            c.setFont("Helvetica-Bold", max(5.0, min(14.0, (hi[0] - lo[0]) / 3)))
            c.drawCentredString((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2 - 4, g.name(r, col))
    c.showPage()


def tiled_layout(pattern: Pattern, seam_allowance: bool, pagesize, half_on_fold: bool = False,
                 ) -> tuple[Sheet, Grid, list]:
    """The packing that prints on the fewest pages: the fabric-width layout, or one packed into a
    whole number of page columns (the pieces then fill the columns instead of spilling a sliver)."""
    sx = pagesize[0] / PT - 2 * PAGE_MARGIN - OVERLAP
    widths = [None] + [k * sx + OVERLAP - 2 * CONTENT_PAD + 2 * MARGIN for k in range(1, MAX_COLUMNS + 1)]
    best = None
    for width in widths:
        sheet = build_sheet(pattern, seam_allowance, width=width, squares=False, half_on_fold=half_on_fold)
        if width is not None and sheet.width > width + 1e-6:
            continue  # the widest piece does not fit in this many columns
        g = Grid(sheet, pagesize, content_box(sheet))
        printed = g.printed(sheet.prims)
        if best is None or len(printed) < len(best[2]):
            best = (sheet, g, printed)
    return best


def write_pdf_tiled(pattern: Pattern, path, paper: str = "a4", seam_allowance: bool = True,
                    progress=None, half_on_fold: bool = False) -> None:
    """Tiled pages of ``paper`` at exact 1:1: info + test squares, assembly map, then the tiles."""
    pagesize = _paper(paper)
    sheet, g, printed = tiled_layout(pattern, seam_allowance, pagesize, half_on_fold)
    c, buf = _canvas(pagesize, sheet.title[0])
    _info_page(c, sheet, g, len(printed), seam_allowance, pattern)
    _map_page(c, sheet, g, set(printed))
    total = len(printed) + 2
    for k, (r, col) in enumerate(printed):
        if progress is not None:
            progress(k / max(len(printed), 1), f"page {g.name(r, col)}")
        tf = g.tf(r, col)
        c.saveState()
        clip = c.beginPath()
        clip.rect(PAGE_MARGIN * PT, PAGE_MARGIN * PT, g.tw * PT, g.th * PT)
        c.clipPath(clip, stroke=0, fill=0)
        _draw(c, g.visible(r, col, sheet.prims) + _tile_extras(g, r, col), tf)
        c.restoreState()
        _page_labels(c, g, r, col, k + 3, total, sheet.title[0], set(printed))
        c.showPage()
    _finish(c, buf, path)
