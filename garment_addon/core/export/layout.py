"""Sheet layout: which pieces to print, turned grain-up, packed without overlap.

Every exporter (SVG, PDF, DXF) draws the same ``Sheet``: a list of primitives in
sheet centimetres (x right, y up, origin at the lower-left corner). A primitive
belongs to a layer (cut, seam, notch, grain, label, info) and, for piece content,
to a piece, so the DXF can put each piece in its own block and the SVG in its own
group.

Mirrored twins (pieces sharing a ``cut_group``) are printed once with "cut N".
Each printed piece is turned so its grainline points straight up, then packed
grain-up or turned 180° (the only turns that keep the grain): a bottom-left
"skyline drop" on a column raster, so pieces nest into the hollows of those
below them (a skirt panel's curved hem into the next one's waist).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import maximum_filter1d
from shapely.geometry import Point, Polygon
from shapely.ops import polylabel

from ..garments import style_name
from ..pattern.geometry import cut_outline as _cut_outline
from ..pattern.model import WHOLE_ON_FOLD, Pattern, Piece

SHEET_WIDTH = 150.0  # cm: a common fabric width; the fallback when no tried width fits
MARGIN = 2.0  # cm around the sheet
GAP = 1.0  # cm between packed pieces
RES = 0.5  # cm per raster column for packing
NOTCH_LEN = 0.8  # cm: notch tick length into the piece from the cut line
MARK_GAP = 0.6  # cm between a notch tick and the words beside it
MARK_SIZE = 0.45  # cm: text size of a notch mark
TITLE_H = 3.0  # cm band at the top for the title (spec, size)
SQUARES_H = 12.5  # cm band for the 10 cm / 4 in scale squares
INCH = 2.54

MARKING_TEXT = 0.4  # cm: text size of a marking's words
DRILL_R = 0.25  # cm: drill hole circle radius
BUTTON_R = 0.55  # cm: a button's drawn radius


@dataclass
class Prim:
    """One drawable thing in sheet cm: a polyline (closed or open) or a text."""

    layer: str
    pts: np.ndarray  # (N, 2); a text has one point: its centre (anchor middle)
    closed: bool = False
    text: str = ""
    size: float = 0.0  # text height in cm
    piece: str = ""  # owning piece name ("" = sheet content)
    anchor: str = "middle"  # text: "middle" (centred on pts[0]) or "start" (left end at pts[0])


@dataclass
class Placed:
    piece: Piece
    count: int
    members: list[str]
    turn: float  # degrees applied to the piece (grain-up turn, plus 0 or 180)
    offset: np.ndarray  # cm, added after the turn
    cut: np.ndarray  # cut line on the sheet
    seam: list[np.ndarray]  # seam line(s) on the sheet (two for an on-fold piece opened out)
    half: bool = False  # printed as its +x half, to be laid on a fold at x = 0

    def to_sheet(self, pts) -> np.ndarray:
        return _rot(np.asarray(pts, float), self.turn) + self.offset


@dataclass
class Sheet:
    width: float
    height: float
    placed: list[Placed]
    prims: list[Prim] = field(default_factory=list)
    title: list[str] = field(default_factory=list)

    @property
    def efficiency(self) -> float:
        """Area of the printed cut pieces over the area of the packed region (title bands excluded)."""
        used = sum(Polygon(p.cut).area for p in self.placed)
        if not self.placed:
            return 0.0
        lo = np.min([p.cut.min(axis=0) for p in self.placed], axis=0)
        hi = np.max([p.cut.max(axis=0) for p in self.placed], axis=0)
        return float(used / max((hi[0] - lo[0]) * (hi[1] - lo[1]), 1e-9))


def _rot(pts: np.ndarray, deg: float) -> np.ndarray:
    if deg % 360 == 0:
        return pts.copy()
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return pts @ np.array([[c, s], [-s, c]])


def printed_groups(pattern: Pattern) -> list[tuple[Piece, int, list[str]]]:
    """(representative piece, cut count, member names) per cut group, in pattern order."""
    groups: dict[str, list[Piece]] = {}
    for p in [*pattern.pieces, *pattern.construction]:
        groups.setdefault(p.cut_group or p.name, []).append(p)
    return [(ps[0], max(len(ps), max(p.cut_count for p in ps)), [p.name for p in ps])
            for ps in groups.values()]


def piece_cut(piece: Piece, seam_allowance: bool = True) -> np.ndarray:
    """The cut line: the drafted one, else computed from the edge allowances."""
    if not seam_allowance:
        return _unfold(piece, piece.outline)
    if piece.cut_outline is not None and len(piece.cut_outline) >= 3:
        return np.asarray(piece.cut_outline, float)
    return _cut_outline([(piece.edge_points(e), e.allowance) for e in piece.edges])


def _fold_edge(piece: Piece):
    return next((e for e in piece.edges if e.role == "fold"), None)


def _mirror_about(pts: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = (b - a) / (np.linalg.norm(b - a) or 1.0)
    rel = pts - a
    return a + 2 * np.outer(rel @ d, d) - rel


def seam_lines(piece: Piece) -> list[np.ndarray]:
    """Closed seam line(s): an on-fold piece is drawn opened out (its half and the mirror)."""
    fold = _fold_edge(piece) if piece.on_fold else None
    if fold is None:
        return [piece.outline]
    fp = piece.edge_points(fold)
    return [piece.outline, _mirror_about(piece.outline, fp[0], fp[-1])[::-1]]


def _unfold(piece: Piece, outline: np.ndarray) -> np.ndarray:
    lines = seam_lines(piece)
    if len(lines) == 1:
        return outline
    shape = Polygon(lines[0]).buffer(0.001).union(Polygon(lines[1]).buffer(0.001))
    if shape.geom_type != "Polygon":
        return outline
    ring = np.asarray(shape.exterior.coords)[:-1]
    return ring if Polygon(ring).exterior.is_ccw else ring[::-1]


def grain_turn(piece: Piece) -> float:
    """Degrees to turn the piece so its grainline points up (+y)."""
    if len(piece.grainline) != 2:
        return 0.0
    (x0, y0), (x1, y1) = piece.grainline
    if abs(x1 - x0) + abs(y1 - y0) < 1e-9:
        return 0.0
    return 90.0 - math.degrees(math.atan2(y1 - y0, x1 - x0))


def _densify(ring: np.ndarray, step: float) -> np.ndarray:
    closed = np.vstack([ring, ring[:1]])
    out = []
    for a, b in zip(closed[:-1], closed[1:], strict=True):
        n = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        out.append(a + np.outer(np.arange(n) / n, b - a))
    return np.vstack(out)


def _profile(ring: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Per raster column: lowest and highest y of the ring (ring starts at x=0)."""
    pts = _densify(ring, RES / 3)
    col = np.floor(pts[:, 0] / RES).astype(int)
    n = int(col.max()) + 1
    lo, hi = np.full(n, np.inf), np.full(n, -np.inf)
    np.minimum.at(lo, col, pts[:, 1])
    np.maximum.at(hi, col, pts[:, 1])
    for arr in (lo, hi):  # columns no sample fell into: take the neighbours' value
        bad = ~np.isfinite(arr)
        if bad.any():
            idx = np.flatnonzero(~bad)
            arr[bad] = np.interp(np.flatnonzero(bad), idx, arr[idx])
    return lo, hi, n


def pack(shapes: list[np.ndarray], width: float, cache: dict | None = None,
         ) -> tuple[list[tuple[float, np.ndarray]], float]:
    """Place rings (already grain-up) in a strip ``width`` cm wide.

    Returns (turn 0/180, offset) per ring and the used height. Largest first; each
    goes where its top ends lowest, grain-up or turned 180°. ``cache`` keeps the
    rasterised profiles between calls with the same shapes (trying several widths).
    """
    cache = {} if cache is None else cache

    def turned(i: int, turn: float):
        if (i, turn) not in cache:
            ring = _rot(shapes[i], turn)
            lo_xy = ring.min(axis=0)
            ring = ring - lo_xy
            cache[(i, turn)] = (ring, lo_xy, *_profile(ring))
        return cache[(i, turn)]

    ncols = max(1, int(np.floor(width / RES)))
    top = np.zeros(ncols)  # occupied height per column
    gapc = int(np.ceil(GAP / RES))
    order = sorted(range(len(shapes)), key=lambda i: -Polygon(shapes[i]).area)
    result: list[tuple[float, np.ndarray]] = [(0.0, np.zeros(2))] * len(shapes)
    for i in order:
        best = None
        grown = maximum_filter1d(top, size=2 * gapc + 1, mode="constant", cval=0.0)
        for turn in (0.0, 180.0):
            ring, lo_xy, lo, hi, n = turned(i, turn)
            if n > ncols:
                n_fit = None
            else:
                n_fit = ncols - n + 1
            if n_fit is None:  # wider than the sheet: place at x=0 above everything
                y = float(top.max()) + GAP
                cand = (y + ring[:, 1].max(), 0, turn, y, ring, lo_xy)
            else:
                win = np.lib.stride_tricks.sliding_window_view(grown, n)[:n_fit]
                ys = np.max(win - lo[None, :], axis=1)
                ys = np.maximum(ys + GAP, 0.0)
                tops = ys + float(ring[:, 1].max())
                x = int(np.argmin(tops))
                cand = (float(tops[x]), x, turn, float(ys[x]), ring, lo_xy)
            if best is None or cand[:2] < best[:2]:
                best = cand
        _, x, turn, y, ring, lo_xy = best
        _, _, lo, hi, n = turned(i, turn)
        cols = slice(x, min(x + n, ncols))
        top[cols] = np.maximum(top[cols], (hi + y)[: cols.stop - cols.start])
        result[i] = (turn, np.array([x * RES, y]) - lo_xy)
    return result, float(top.max()) if len(shapes) else 0.0


WIDTHS = (150.0, 130.0, 110.0, 90.0, 75.0, 60.0)  # cm: sheet widths tried by the automatic layout


def _packed_efficiency(cuts: list[np.ndarray], placements) -> float:
    rings = [_rot(c, turn) + off for c, (turn, off) in zip(cuts, placements, strict=True)]
    lo, hi = np.min([r.min(axis=0) for r in rings], axis=0), np.max([r.max(axis=0) for r in rings], axis=0)
    return sum(Polygon(c).area for c in cuts) / max(float(np.prod(hi - lo)), 1e-9)


def _halves(piece: Piece) -> bool:
    """A whole, symmetric on-fold piece (bodice, skirt panel) that can be printed as its half."""
    if not piece.on_fold or _fold_edge(piece) is not None:
        return False
    x = piece.outline[:, 0]
    return abs(x.min() + x.max()) < 0.05


def _right_half(ring: np.ndarray) -> np.ndarray:
    """The part of a ring at x >= 0 (the fold at x = 0 gets no allowance)."""
    lo, hi = ring.min(axis=0) - 1, ring.max(axis=0) + 1
    half = Polygon(ring).buffer(0).intersection(Polygon([(0, lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (0, hi[1])]))
    if half.geom_type != "Polygon":
        half = max(getattr(half, "geoms", []), key=lambda gm: gm.area)
    out = np.asarray(half.exterior.coords)[:-1]
    return out if Polygon(out).exterior.is_ccw else out[::-1]


def build_sheet(pattern: Pattern, seam_allowance: bool = True, width: float | None = None,
                squares: bool = True, half_on_fold: bool = False,
                info: list[tuple[str, list[str]]] | None = None) -> Sheet:
    """Pack the printed pieces and draw everything a printed pattern needs.

    ``half_on_fold``: whole symmetric on-fold pieces are printed as their half, with a fold line
    and bracket at the centre (half the paper; cut on the folded fabric).
    ``info``: (heading, lines) blocks printed beside the test squares (``cutting.info_sections``).

    ``width`` (cm) fixes the sheet width (e.g. the fabric width for a cutting layout);
    None tries the usual fabric widths and keeps the densest packing.
    """
    groups = printed_groups(pattern)
    cuts, seams, turns = [], [], []
    halved = [half_on_fold and _halves(piece) for piece, _, _ in groups]
    for (piece, _, _), half in zip(groups, halved, strict=True):
        t = grain_turn(piece)
        turns.append(t)
        cut, lines = piece_cut(piece, seam_allowance), seam_lines(piece)
        if half:
            cut, lines = _right_half(cut), [_right_half(q) for q in lines]
        cuts.append(_rot(cut, t))
        seams.append([_rot(s, t) for s in lines])
    widest = max((c[:, 0].max() - c[:, 0].min() for c in cuts), default=0.0)
    tries = [width] if width is not None else [w for w in WIDTHS if w - 2 * MARGIN > widest] or [SHEET_WIDTH]
    best, cache = None, {}
    for w in tries:
        inner_w = max(w - 2 * MARGIN, widest + 0.01)
        placements, used_h = pack(cuts, inner_w, cache)
        eff = _packed_efficiency(cuts, placements) if cuts else 0.0
        if best is None or eff > best[0] + 1e-9:
            best = (eff, inner_w, placements, used_h)
    _, inner_w, placements, used_h = best

    sheet_w = inner_w + 2 * MARGIN
    info = info_prims(info, sheet_w) if squares and info else []
    info_h = max((-min(p.pts[0, 1] for p in info) + INFO_SIZE) if info else 0.0, SQUARES_H)
    band = TITLE_H + (info_h if squares else 0.0)
    height = MARGIN + used_h + band + MARGIN
    sheet = Sheet(sheet_w, height, [], title=title_lines(pattern))
    for (piece, count, members), t, cut, sl, (turn, off), half in zip(groups, turns, cuts, seams, placements,
                                                                       halved, strict=True):
        offset = off + np.array([MARGIN, MARGIN])
        # turn about the origin then shift: the same map for every point of the piece
        pl = Placed(piece, count, members, t + turn, offset, _rot(cut, turn) + offset,
                    [_rot(s, turn) + offset for s in sl], half)
        sheet.placed.append(pl)
        sheet.prims += piece_prims(pl, seam_allowance)
    sheet.prims += title_prims(sheet, squares)
    top = np.array([0.0, height - MARGIN - TITLE_H])
    for p in info:  # laid out from (INFO_X, 0) downward: hang them under the title
        p.pts = p.pts + top
    sheet.prims += info
    return sheet


INFO_X = 27.0  # cm: the sheet's info text starts right of the test squares
INFO_SIZE = 0.35  # cm: its text height


def info_prims(sections: list[tuple[str, list[str]]], sheet_w: float) -> list[Prim]:
    """Page-1 information (allowances, cutting list, finished measurements, fabric) as text lines
    from (INFO_X, 0) downward, wrapped to the sheet's width (below the squares on a narrow sheet)."""
    x, y = INFO_X, -0.5
    room = sheet_w - MARGIN - INFO_X
    if room < 25:  # a narrow sheet: under the squares instead
        x, y, room = MARGIN, -SQUARES_H + 0.5, sheet_w - 2 * MARGIN
    chars = max(30, int(room / (INFO_SIZE * 0.55)))
    out = []
    for head, lines in sections:
        out.append(Prim("info", np.array([[x, y]]), text=head, size=INFO_SIZE * 1.2, anchor="start"))
        y -= INFO_SIZE * 1.7
        for line in lines:
            for part in textwrap.wrap(line, chars, subsequent_indent="  ") or [""]:
                out.append(Prim("info", np.array([[x, y]]), text=part, size=INFO_SIZE, anchor="start"))
                y -= INFO_SIZE * 1.45
        y -= INFO_SIZE
    return out


def title_lines(pattern: Pattern) -> list[str]:
    spec = pattern.spec or {}
    gtype = style_name(spec) if spec.get("garment_type") else pattern.metadata.get("source", "pattern")
    size = spec.get("size") or "custom"
    m = spec.get("measurements", {})
    keys = [k for k in ("bust", "waist", "hip") if k in m]
    meas = ", ".join(f"{k} {round(float(m[k]), 1):g}" for k in keys)  # a fitted 91.738 reads as 91.7
    fit = spec.get("features", {}).get("fit", "")
    line1 = f"{gtype} - size {size}" + (f" - fit {fit}" if fit else "")
    line2 = (f"body cm: {meas} - " if meas else "") + "all units cm, print at 100 % (no scaling)"
    return [line1, line2]


def title_prims(sheet: Sheet, squares: bool) -> list[Prim]:
    top = sheet.height - MARGIN
    out = [Prim("info", np.array([[MARGIN, top - 0.9]]), text=sheet.title[0], size=0.9, anchor="start"),
           Prim("info", np.array([[MARGIN, top - 2.1]]), text=sheet.title[1], size=0.5, anchor="start")]
    if squares:
        out += test_squares(np.array([MARGIN, top - TITLE_H - 10.6]))
    return out


def test_squares(origin: np.ndarray) -> list[Prim]:
    """A 10 cm and a 4 in square side by side, each labelled, lower-left at ``origin``."""
    out = []
    x = origin[0]
    for side, text in ((10.0, "10 cm"), (4 * INCH, "4 in")):
        sq = np.array([[x, origin[1]], [x + side, origin[1]], [x + side, origin[1] + side],
                       [x, origin[1] + side]])
        out.append(Prim("info", sq, closed=True))
        out.append(Prim("info", np.array([[x + side / 2, origin[1] + side / 2]]), text=text, size=1.0))
        x += side + 1.5
    return out


def piece_prims(pl: Placed, seam_allowance: bool) -> list[Prim]:
    p, name = pl.piece, pl.piece.name
    out = [Prim("cut", pl.cut, closed=True, piece=name)]
    if seam_allowance:
        out += [Prim("seam", s, closed=True, piece=name) for s in pl.seam]
    cut_poly = Polygon(pl.cut)
    on_half = (lambda pts: np.min(np.asarray(pts, float).reshape(-1, 2)[:, 0]) > -0.01) if pl.half else (
        lambda pts: True)
    for n in p.notches:
        if on_half([n["position"]]):
            out += notch_prims(pl, n, cut_poly)
    out += grain_prims(pl)
    said: set[str] = set()  # a marking's words once per piece (six buttons need one "button")
    for mk in p.markings:
        if on_half(mk.get("points", [[0, 0]])):
            out += marking_prims(pl, mk, said)
    if pl.half:  # the fold: the centre line, its bracket and what to do
        ys = p.outline[:, 1]
        out += marking_prims(pl, {"kind": "fold", "points": [[0.0, float(ys.min())], [0.0, float(ys.max())]],
                                  "text": "place on the fold"}, said)
    out += label_prims(pl)
    return out


def _circle(at: np.ndarray, r: float) -> np.ndarray:
    ang = np.linspace(0, 2 * np.pi, 17)[:-1]
    return at + r * np.column_stack([np.cos(ang), np.sin(ang)])


def _cross(at: np.ndarray, r: float) -> list[np.ndarray]:
    return [np.array([at - [r, r], at + [r, r]]), np.array([at - [r, -r], at + [r, -r]])]


def _fold_bracket(a: np.ndarray, b: np.ndarray, inside: np.ndarray) -> list[np.ndarray]:
    """The fold symbol: a bracket standing 2 cm off the fold line, arrows pointing onto it."""
    d = b - a
    n = inside / (np.linalg.norm(inside) or 1.0)
    p0, p1 = a + 0.25 * d, a + 0.75 * d
    out = [np.array([p0, p0 + 2 * n, p1 + 2 * n, p1])]
    u = d / (np.linalg.norm(d) or 1.0)
    for q in (p0, p1):  # arrowheads at the fold line
        out.append(np.array([q + 0.5 * n + 0.25 * u, q, q + 0.5 * n - 0.25 * u]))
    return out


PLEAT_LINE = 5.0  # cm: how far a pleat's lines run in from the edge


def _inward(a: np.ndarray, b: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Unit normal of the segment a-b pointing toward ``centre`` (into the piece)."""
    d = b - a
    n = np.array([-d[1], d[0]]) / (np.linalg.norm(d) or 1.0)
    return n if n @ (centre - (a + b) / 2) > 0 else -n


def _pleat_lines(a: np.ndarray, b: np.ndarray, centre: np.ndarray) -> list[np.ndarray]:
    """A pleat on an edge: its two lines running in from the edge, and an arrow from the line that
    is folded (``a``) to the one it is laid onto (``b``)."""
    n = _inward(a, b, centre)
    u = (b - a) / (np.linalg.norm(b - a) or 1.0)
    tail, head = a + 0.6 * PLEAT_LINE * n, b + 0.6 * PLEAT_LINE * n
    return [np.array([a, a + PLEAT_LINE * n]), np.array([b, b + PLEAT_LINE * n]), np.array([tail, head]),
            np.array([head - 0.4 * u + 0.25 * n, head, head - 0.4 * u - 0.25 * n])]


def marking_prims(pl: Placed, mk: dict, said: set[str]) -> list[Prim]:
    """A piece marking as drawn: lines and outlines dashed, drill holes and buttons as circles."""
    kind, name = mk.get("kind", ""), pl.piece.name
    pts = pl.to_sheet(np.asarray(mk.get("points", []), float).reshape(-1, 2))
    if not len(pts):
        return []
    lines: list[np.ndarray] = []
    closed = kind in ("pocket", "dart")
    layer = "drill" if kind in ("drill", "button") else "marking"
    if kind == "drill":
        lines += [_circle(pts[0], DRILL_R), *_cross(pts[0], DRILL_R)]
    elif kind == "button":
        lines += [_circle(pts[0], BUTTON_R), *_cross(pts[0], BUTTON_R * 0.6)]
    elif kind == "buttonhole" and len(pts) == 2:
        d = pts[1] - pts[0]
        n = np.array([-d[1], d[0]]) / (np.linalg.norm(d) or 1.0) * 0.25
        lines += [pts, np.array([pts[0] - n, pts[0] + n]), np.array([pts[1] - n, pts[1] + n])]
    elif kind == "pleat" and len(pts) == 2:
        lines += _pleat_lines(pts[0], pts[1], np.asarray(Polygon(pl.cut).centroid.coords[0]))
    else:
        lines.append(pts)
    if kind == "fold" and len(pts) == 2:
        centre = Polygon(pl.cut).centroid
        inside = np.array([centre.x, centre.y]) - (pts[0] + pts[1]) / 2
        d = pts[1] - pts[0]
        n = np.array([-d[1], d[0]])
        lines += _fold_bracket(pts[0], pts[1], n if n @ inside > 0 else -n)
    # closed: a pocket's or dart's outline, and the circle of a drill hole or button (first line)
    out = [Prim(layer, q, closed=(closed and q is pts) or (layer == "drill" and k == 0), piece=name)
           for k, q in enumerate(lines)]
    text = mk.get("text", "")
    if text and text not in said:
        said.add(text)
        # a buttonhole's words under it: its button's sit above the same point
        at = pts[0] + np.array([0.3, -0.6 if kind == "buttonhole" else 0.5]) if len(pts) < 3 else pts.mean(axis=0)
        anchor = "middle" if closed else "start"
        if kind == "pleat" and len(pts) == 2:  # under the arrow, clear of the edge
            at = (pts[0] + pts[1]) / 2 + (PLEAT_LINE + 0.8) * _inward(pts[0], pts[1], np.asarray(
                Polygon(pl.cut).centroid.coords[0]))
            anchor = "middle"
        elif kind == "slit" and len(pts) == 2:  # past its closed end (a drill there), clear of what is beside it
            d = pts[1] - pts[0]
            at, anchor = pts[1] + 1.6 * d / (np.linalg.norm(d) or 1.0), "middle"
        elif kind in ("centre_front", "centre_back", "fold", "zip", "roll_line") and len(pts) == 2:
            at = pts[0] + 0.35 * (pts[1] - pts[0])
            # written from the line into the piece: a zip on a piece's right edge reads leftward
            inside = Polygon(pl.cut).centroid.x >= at[0]
            at, anchor = (at + [0.3, 0.0], "start") if inside else (at - [0.3, 0.0], "end")
        out.append(Prim("marking", at[None], text=text, size=MARKING_TEXT, piece=name, anchor=anchor))
    return out


def _outward(ring: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Outward unit normal of a CCW ring at its segment nearest ``pos``.

    The nearest segment, not the nearest vertex: a straight edge has vertices only at its ends, and a
    notch 1 cm from a corner would take the corner's blended direction.
    """
    a, b = ring, np.roll(ring, -1, axis=0)
    ab = b - a
    t = np.clip(np.einsum("ij,ij->i", pos - a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-12), 0, 1)
    j = int(np.argmin(np.linalg.norm(a + ab * t[:, None] - pos, axis=1)))
    n = np.array([ab[j, 1], -ab[j, 0]])
    return n / (np.linalg.norm(n) or 1.0)


def notch_prims(pl: Placed, notch: dict, cut_poly: Polygon) -> list[Prim]:
    pos = pl.to_sheet([notch["position"]])[0]
    seam = pl.seam[0]
    nrm = _outward(seam, pos)
    tan = np.array([-nrm[1], nrm[0]])
    count = int(notch.get("count", 1))
    out = []
    for k in range(count):
        base = pos + tan * (k - (count - 1) / 2) * 0.5  # double notches 5 mm apart
        # the tick starts on the cut line: walk out along the normal until leaving the piece
        reach = 0.0
        for step in np.arange(0.05, 6.0, 0.05):
            if not cut_poly.contains(_pt(base + nrm * step)):
                break
            reach = step
        out.append(Prim("notch", np.array([base + nrm * reach, base + nrm * (reach - NOTCH_LEN)]),
                        piece=pl.piece.name))
    if notch.get("mark"):  # e.g. where a zip opening stops; written inside the piece, running away from the edge
        anchor = "end" if nrm[0] > 0.5 else "start" if nrm[0] < -0.5 else "middle"
        at = pos - nrm * (NOTCH_LEN + MARK_GAP)
        out.append(Prim("notch", at[None], text=notch["mark"], size=MARK_SIZE, piece=pl.piece.name, anchor=anchor))
    return out


def _pt(xy) -> Point:
    return Point(float(xy[0]), float(xy[1]))


def grain_prims(pl: Placed) -> list[Prim]:
    g = np.asarray(pl.piece.grainline, float)
    if pl.half and g.shape == (2, 2) and g[:, 0].max() < 2.0:  # on the fold: a quarter way in
        g = g.copy()
        g[:, 0] = 0.4 * float(pl.piece.outline[:, 0].max())
    if g.shape != (2, 2):
        lo, hi = pl.piece.outline.min(axis=0), pl.piece.outline.max(axis=0)
        cx = (lo[0] + hi[0]) / 2
        g = np.array([[cx, lo[1] + 0.25 * (hi[1] - lo[1])], [cx, lo[1] + 0.75 * (hi[1] - lo[1])]])
    a, b = pl.to_sheet(g)
    d = (b - a) / (np.linalg.norm(b - a) or 1.0)
    n = np.array([-d[1], d[0]])
    head = 1.0
    out = [Prim("grain", np.array([a, b]), piece=pl.piece.name)]
    for tip, back in ((b, -d), (a, d)):  # arrowheads at both ends: grain runs both ways
        out.append(Prim("grain", np.array([tip + back * head + n * head * 0.45, tip,
                                           tip + back * head - n * head * 0.45]), piece=pl.piece.name))
    return out


def label_lines(pl: Placed) -> list[str]:
    lines = [str(s) for s in pl.piece.label] or [pl.piece.name]
    numbered = lines[0][:1].isdigit()  # drafted since piece numbers: "3 Left sleeve / Right sleeve"
    if not numbered and lines[0] != pl.piece.name:
        lines.insert(0, pl.piece.name)
    if not numbered and len(pl.members) > 1 and pl.members[0] == lines[0]:
        lines[0] = " / ".join(pl.members)
    if not any(s.startswith("cut ") for s in lines):
        lines.append(f"cut {pl.count}")
    if pl.piece.on_fold and not any("fold" in s for s in lines):
        lines.append(WHOLE_ON_FOLD)
    return lines


def label_prims(pl: Placed) -> list[Prim]:
    """Label lines beside the grainline when they fit there, else centred on the piece's pole of
    inaccessibility (the point farthest from its edges)."""
    shape = (Polygon(pl.seam[0]) if len(pl.seam) == 1 else Polygon(pl.cut)).buffer(0)
    c = polylabel(shape, tolerance=0.2)
    lines = label_lines(pl)
    lo, hi = pl.cut.min(axis=0), pl.cut.max(axis=0)
    size0 = float(np.clip(min(hi - lo) / 14, 0.35, 1.0))
    # the fallback, centred on the pole, at the smallest size tried: a narrow facing keeps its words inside
    size, x, cy, anchor = max(0.3, 0.35 * size0), c.x, c.y, "middle"
    g = grain_prims(pl)[0].pts
    gx = float(g[:, 0].mean())
    # beside the grainline (right, else left), moving along it and shrinking a little if need be:
    # a label written over the grainline is hard to read
    sizes = (size0, 0.8 * size0, 0.6 * size0, 0.45 * size0, max(0.3, 0.35 * size0))
    steps = (0, -1.5, 1.5, -3, 3, -6, 6, -9, 9, -12, 12)
    # level with the piece's pole first, then with the grainline's middle (a neck facing's pole lies
    # on one arm of its U, its grainline at the centre front)
    gy = float(g[:, 1].mean())
    tries = [(s, y0 + dy, left) for y0 in (c.y, gy) for s in sizes for dy in steps for left in ("r", "l")]
    for s, y, side in tries:
        width = 0.6 * s * 1.2 * max(len(t) for t in lines)  # Helvetica averages ~0.55 em per character
        height = len(lines) * s * 1.4
        left = gx + 0.6 if side == "r" else gx - 0.6 - width
        if shape.contains(Polygon([(left, y - height / 2), (left + width, y - height / 2),
                                   (left + width, y + height / 2), (left, y + height / 2)])):
            size, x, cy, anchor = s, left, y, "start"
            break
    out = []
    for k, text in enumerate(lines):
        y = cy + (len(lines) / 2 - k - 0.5) * size * 1.4
        out.append(Prim("label", np.array([[x, y]]), text=text, size=size * (1.2 if k == 0 else 1.0),
                        piece=pl.piece.name, anchor=anchor))
    return out
