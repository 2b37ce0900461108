"""Build pieces edge by edge, and seams between them by matching point tags.

A draft function adds a piece's edges in order around the outline, each edge a
polyline with the semantic names (tags) of its two end points. The builder makes
the outline counter-clockwise whatever order it was drawn in, computes the cut
outline from per-edge allowances, and a seam's ``reversed`` flag follows from the
tags: two edges sew start-to-start when their start tags agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from shapely.geometry import LineString, Point, Polygon

from . import geometry as g
from .model import WHOLE_ON_FOLD, Edge, EdgeRef, Pattern, Piece, Seam

DEFAULT_ALLOWANCE = {"seam": 1.0, "hem": 2.5, "neckline": 1.0, "armhole": 1.0, "waist": 1.0,
                     "opening": 1.5, "fold": 0.0, "face": 1.0, "free": 1.0}


def swap_sides(name: str) -> str:
    """'left' <-> 'right' inside a name (the wearer's sides of a mirrored piece)."""
    return name.replace("left", "\0").replace("right", "left").replace("\0", "right")


@dataclass
class _E:
    name: str
    pts: np.ndarray
    role: str
    tags: tuple[str, str]
    allowance: float


@dataclass
class PieceDraft:
    name: str
    body_region: str
    cut_group: str = ""
    on_fold: bool = False
    edges: list[_E] = field(default_factory=list)
    landmarks: dict[str, np.ndarray] = field(default_factory=dict)
    # edge, distance from start tag, count[, mark: what the notch tells the sewist, e.g. "zip: open to here"]
    notches: list[tuple] = field(default_factory=list)
    grain: tuple[float, float, float] | None = None  # vertical grainline: x, y0, y1
    grain_along_x: bool = False  # bands are cut lengthwise: the grainline runs along x
    placement: dict = field(default_factory=dict)  # e.g. a pocket's {"attach_to", "at"}
    markings: list[dict] = field(default_factory=list)  # see model.MARKING_KINDS
    material: str = ""  # when not the main fabric (a rib band: "rib knit")
    _ccw: tuple | None = field(default=None, repr=False, compare=False)  # (outline key, counter-clockwise)

    def mark(self, kind: str, points, text: str = "") -> None:
        """A marking inside the piece (piece coordinates): a point, a line or a closed polygon."""
        pts = [[float(x), float(y)] for x, y in np.atleast_2d(np.asarray(points, float))]
        self.markings.append({"kind": kind, "points": pts} | ({"text": text} if text else {}))

    def edge(self, name: str, pts, role: str, tags: tuple[str, str], allowance: float | None = None) -> None:
        pts = np.asarray(pts, float)
        if self.edges and np.abs(self.edges[-1].pts[-1] - pts[0]).max() > 1e-5:
            raise ValueError(f"{self.name}.{name} does not start where {self.edges[-1].name} ends")
        a = DEFAULT_ALLOWANCE[role] if allowance is None else allowance
        self.edges.append(_E(name, pts, role, tags, a))

    def split_edge(self, name: str, from_tag: str, dist: float, tag: str, first_name: str) -> None:
        """Cut edge ``name`` ``dist`` cm from its end ``from_tag`` at a new point tagged ``tag``: the part
        at ``from_tag`` becomes ``first_name``, the rest keeps the name."""
        i = next(k for k, e in enumerate(self.edges) if e.name == name)
        e = self.edges[i]
        d = dist if e.tags[0] == from_tag else g.length(e.pts) - dist
        seg = np.linalg.norm(np.diff(e.pts, axis=0), axis=1)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        k = int(np.clip(np.searchsorted(cum, d), 1, len(e.pts) - 1))
        q = g.point_at(e.pts, d)
        a, b = np.vstack([e.pts[:k], q]), np.vstack([q, e.pts[k:]])
        na, nb = (first_name, name) if e.tags[0] == from_tag else (name, first_name)
        self.edges[i:i + 1] = [_E(na, a, e.role, (e.tags[0], tag), e.allowance),
                               _E(nb, b, e.role, (tag, e.tags[1]), e.allowance)]

    def get(self, name: str) -> _E:
        return next(e for e in self.edges if e.name == name)

    def set_role(self, name: str, role: str, allowance: float | None = None) -> None:
        e = self.get(name)
        e.role = role
        e.allowance = DEFAULT_ALLOWANCE[role] if allowance is None else allowance

    def mirrored(self, name: str, body_region: str, swap: bool = True) -> PieceDraft:
        """The mirror twin (x -> -x); ``swap``: the wearer's left and right swap in names and tags."""
        sw = swap_sides if swap else (lambda s: s)
        twin = PieceDraft(name, body_region, self.cut_group, self.on_fold)
        for e in self.edges:
            twin.edges.append(_E(sw(e.name), g.mirror_x(e.pts), e.role, (sw(e.tags[0]), sw(e.tags[1])),
                                 e.allowance))
        twin.landmarks = {sw(k): np.array([-v[0], v[1]]) for k, v in self.landmarks.items()}
        twin.notches = [(sw(e), *rest) for e, *rest in self.notches]
        twin.placement = dict(self.placement)
        twin.markings = [{**mk, "points": [[-x, y] for x, y in mk["points"]]} for mk in self.markings]
        twin.grain_along_x = self.grain_along_x
        twin.material = self.material
        if self.grain:
            twin.grain = (-self.grain[0], self.grain[1], self.grain[2])
        return twin

    def ccw_edges(self) -> list[_E]:
        """The edges as they will be built: counter-clockwise, reversed (with their tags) if drawn clockwise."""
        key = tuple(id(e.pts) for e in self.edges)  # bands ask often: the orientation, once per outline
        if self._ccw is None or self._ccw[0] != key:
            if np.abs(self.edges[-1].pts[-1] - self.edges[0].pts[0]).max() > 1e-5:
                raise ValueError(f"{self.name}: outline is not closed")
            self._ccw = (key, g.signed_area(np.vstack([e.pts[:-1] for e in self.edges])) > 0)
        if self._ccw[1]:
            return self.edges
        return [_E(e.name, e.pts[::-1], e.role, (e.tags[1], e.tags[0]), e.allowance) for e in self.edges[::-1]]

    def build(self, label_prefix: list[str], cuts: dict | None = None) -> Piece:
        """The finished piece; ``cuts``: cut lines already computed for this garment, by outline (a
        mirrored twin's or an identical pocket's cut line is the first one's, mirrored)."""
        edges = self.ccw_edges()
        outline, model_edges, start = [], [], 0
        for e in edges:
            outline.append(e.pts[:-1])
            model_edges.append(Edge(e.name, start, start + len(e.pts) - 1, e.role, e.allowance, e.tags))
            start += len(e.pts) - 1
        model_edges[-1].end = 0
        outline = np.vstack(outline)
        piece = Piece(self.name, outline, model_edges, cut_group=self.cut_group or self.name,
                      on_fold=self.on_fold, body_region=self.body_region,
                      landmarks={k: [float(v[0]), float(v[1])] for k, v in self.landmarks.items()},
                      placement=dict(self.placement), markings=[dict(mk) for mk in self.markings],
                      material=self.material)
        piece.cut_outline = _cut_line(edges, cuts if cuts is not None else {})
        piece.markings += _dart_drills(edges)
        for edge_name, dist, count, *mark in self.notches:
            e = next(x for x in edges if x.name == edge_name)
            d = dist if e is self.get(edge_name) else g.length(e.pts) - dist
            notch = {"edge": edge_name, "position": g.point_at(e.pts, d).tolist(), "count": count,
                     "distance": round(float(d), 3)}
            piece.notches.append(notch | ({"mark": mark[0]} if mark else {}))
        lo, hi = outline.min(axis=0), outline.max(axis=0)
        if self.grain:
            x, y0, y1 = self.grain
        else:
            x, y0, y1 = (lo[0] + hi[0]) / 2, lo[1] + 0.2 * (hi[1] - lo[1]), lo[1] + 0.8 * (hi[1] - lo[1])
        if self.grain and not _inside(outline, [(x, y0), (x, y1)]):
            x, y0, y1 = _vertical_grain(outline)
        if self.grain_along_x:  # through the middle of the piece's height at its middle (a bent band's too)
            span, xm = min(10.0, (hi[0] - lo[0]) / 4), (lo[0] + hi[0]) / 2
            ys = g.crossings(outline, xm, axis=0)
            ym = float((ys.min() + ys.max()) / 2) if len(ys) else float(outline[:, 1].mean())
            while span > 0.5 and not _inside(outline, [(xm - span, ym), (xm + span, ym)]):
                span /= 2  # a bent band's piece off the bend's middle slants: a shorter line stays on it
            piece.grainline = [[xm - span, ym], [xm + span, ym]]
        else:
            piece.grainline = [[x, y0], [x, y1]]
        piece.label = [self.name, *label_prefix]
        return piece



def _outline_key(pts: np.ndarray, attrs: np.ndarray) -> bytes:
    """The closed outline and its per-segment attributes from a fixed start (its lowest-left point)."""
    k = int(np.lexsort((pts[:, 1], pts[:, 0]))[0])
    return g.roll(pts + 0.0, -k).tobytes() + g.roll(attrs, -k).tobytes()


def _cut_line(edges: list[_E], cuts: dict) -> np.ndarray:
    """The cut line with dart caps; reused (mirrored) for a piece whose outline mirrors one already cut.

    A twin drawn as the mirror image and turned counter-clockwise is the first piece reversed and
    mirrored: the same segments with the same allowances, so the cut line is the mirror of its cut line.
    """
    pts = np.vstack([e.pts[:-1] for e in edges])
    attrs = np.repeat([(e.allowance, e.role == "fold", "dart" in e.name) for e in edges],
                      [len(e.pts) - 1 for e in edges], axis=0).astype(float)
    key = _outline_key(pts, attrs)
    if key in cuts:
        return cuts[key]
    back = _outline_key(g.mirror_x(pts[::-1]), g.roll(attrs[::-1], -1))
    if back in cuts:
        cut = g.mirror_x(cuts[back])[::-1].copy()
    else:
        cut = _dart_caps(g.cut_outline(_unfolded(edges)), edges)
    cuts[key] = cut
    return cut


def _inside(outline: np.ndarray, pts) -> bool:
    poly = Polygon(outline)
    return all(poly.contains(Point(p)) for p in pts)


def _vertical_grain(outline: np.ndarray) -> tuple[float, float, float]:
    """A vertical grainline through the piece's interior, over 60% of the chord it lies on."""
    poly = Polygon(outline)
    c = poly.representative_point()
    lo, hi = outline.min(axis=0), outline.max(axis=0)
    chord = poly.intersection(LineString([(c.x, lo[1] - 1), (c.x, hi[1] + 1)]))
    parts = getattr(chord, "geoms", [chord])
    seg = min(parts, key=lambda gm: gm.distance(c))
    ys = [q[1] for q in seg.coords]
    a, b = min(ys), max(ys)
    return c.x, a + 0.2 * (b - a), a + 0.8 * (b - a)


def _unfolded(edges: list[_E]) -> list[tuple[np.ndarray, float]]:
    """(points, allowance) around the piece as cut: a fold edge is opened out."""
    folds = [i for i, e in enumerate(edges) if e.role == "fold"]
    if not folds:
        return [(e.pts, e.allowance) for e in edges]
    f = folds[0]
    fold = edges[f]
    a, b = fold.pts[0], fold.pts[-1]
    d = (b - a) / np.linalg.norm(b - a)

    def mirror(p: np.ndarray) -> np.ndarray:
        rel = p - a
        along = rel @ d
        return a + 2 * np.outer(along, d) - rel

    path = edges[f + 1:] + edges[:f]
    out = [(e.pts, e.allowance) for e in path]
    out += [(mirror(e.pts[::-1]), e.allowance) for e in path[::-1]]
    return out


def readable(name: str) -> str:
    """'left_front_leg' -> 'Left front leg': what a sewist reads on the piece."""
    return name.replace("_", " ").capitalize()


def v_dart_legs(edges) -> list[int]:
    """Index i of each V dart's first leg on a closed outline (edges i and i + 1 are its legs, tagged
    ``*_base``/``*_tip``); ``edges`` are a draft's or a drafted piece's (both have name and tags)."""
    n = len(edges)
    return [i for i, e in enumerate(edges)
            if "dart" in e.name and e.tags[1].endswith("_tip") and edges[(i + 1) % n].tags[0] == e.tags[1]]


def v_darts(pc: Piece) -> list[np.ndarray]:
    """(base, tip, base) of each V dart on a drafted piece's outline."""
    n, m = len(pc.edges), len(pc.outline)
    return [np.asarray([pc.outline[pc.edges[i].start], pc.outline[pc.edges[i].end],
                        pc.outline[pc.edges[(i + 1) % n].end % m]], float) for i in v_dart_legs(pc.edges)]


def _dart_legs(edges: list[_E]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    """(base a, tip, base b, allowance beside the mouth) of every V dart on an outline."""
    n = len(edges)
    return [(edges[i].pts[0], edges[i].pts[-1], edges[(i + 1) % n].pts[-1],
             min(edges[i - 1].allowance, edges[(i + 2) % n].allowance)) for i in v_dart_legs(edges)]


def _dart_caps(cut: np.ndarray, edges: list[_E]) -> np.ndarray:
    """The cut line across each dart's mouth as a cap (the allowance as it lies with the dart folded)
    instead of a V cut into the allowance: the peak lies on the dart's centre line."""
    legs = _dart_legs(edges)
    if not legs:
        return cut
    shape = Polygon(cut)
    for a, tip, b, allow in legs:
        mid = (a + b) / 2
        u = (mid - tip) / (np.linalg.norm(mid - tip) or 1.0)
        half = np.arctan2(np.linalg.norm(b - a) / 2, np.linalg.norm(mid - tip))
        peak = mid + u * allow / max(np.cos(half), 0.5)
        # the mouth's outward side, squared off to the allowance on both legs' neighbours
        shape = shape.union(Polygon([a, a + u * allow, peak, b + u * allow, b, tip]).buffer(0))
    if shape.geom_type != "Polygon":
        return cut
    ring = np.asarray(shape.simplify(0.01).exterior.coords)[:-1]
    return ring if g.signed_area(ring) > 0 else ring[::-1]


def _dart_drills(edges: list[_E]) -> list[dict]:
    """A drill hole 1 cm inside each dart's tip, on its centre line: where the stitching ends."""
    out = []
    for a, tip, b, _ in _dart_legs(edges):
        u = (a + b) / 2 - tip
        at = tip + u / (np.linalg.norm(u) or 1.0) * 1.0
        out.append({"kind": "drill", "points": [[float(at[0]), float(at[1])]], "text": "dart point"})
    return out


def _mark_pocket(pocket: Piece, pieces: dict[str, Piece]) -> None:
    """A patch pocket's seam line and drill holes at its top corners, drawn on the piece it goes on."""
    host = pieces.get(pocket.placement.get("attach_to", ""))
    at = pocket.placement.get("at")
    if host is None or at is None:
        return
    ring = pocket.on_host(pocket.outline)
    host.markings.append({"kind": "pocket", "points": ring.tolist(), "text": f"{readable(pocket.name)}"})
    top = pocket.outline[:, 1].max()
    xs = pocket.outline[pocket.outline[:, 1] > top - 0.05, 0]  # the top's corners (a kangaroo's top is narrower)
    for x in (xs.min() + 0.5, xs.max() - 0.5):  # drill holes 0.5 cm inside the top corners
        at = pocket.on_host([[x, top - 0.5]])[0]
        host.markings.append({"kind": "drill", "points": [[float(at[0]), float(at[1])]]})


def _one_side_pockets(by_name: dict[str, Piece], members: dict[str, list[str]]) -> None:
    """A pocket marked on one of a mirror pair printed once (a bib's pocket on the left front) says
    which piece takes it: cut from the one print, the other would get it too."""
    for p in by_name.values():
        twins = [by_name[n] for n in members[p.cut_group] if n != p.name]
        if not twins or any(any(m["kind"] == "pocket" for m in t.markings) for t in twins):
            continue
        for m in p.markings:
            if m["kind"] == "pocket":
                m["text"] = f"{m.get('text', 'Pocket')}: {readable(p.name).lower()} only"


class PatternDraft:
    """Pieces and seams of one garment while it is being drafted."""

    def __init__(self, spec_dict: dict, label_prefix: list[str]):
        self.spec = spec_dict
        self.label_prefix = label_prefix
        self.pieces: list[PieceDraft] = []
        self.seams: list[tuple[str, str, str, str, float]] = []
        self.pair_notches: list[tuple] = []  # seam index, distance from a's first tag, count, mark
        self.warnings: list[str] = []
        self.closures: dict[int, dict] = {}  # seam index -> zip / button opening

    def add(self, *pieces: PieceDraft) -> None:
        self.pieces.extend(pieces)

    def piece(self, name: str) -> PieceDraft:
        return next(p for p in self.pieces if p.name == name)

    def sew(self, pa: str, ea: str, pb: str, eb: str, ease: float = 0.0, closure: dict | None = None) -> int:
        """Seam between two edges; ``ease``: b is longer by this much on purpose (sleeve cap)."""
        self.seams.append((pa, ea, pb, eb, ease))
        if closure:
            self.closures[len(self.seams) - 1] = closure
        return len(self.seams) - 1

    def find_seam(self, piece: str, edge: str) -> int:
        return next(i for i, (pa, ea, pb, eb, _) in enumerate(self.seams)
                    if (pa, ea) == (piece, edge) or (pb, eb) == (piece, edge))

    def opening(self, seam: int, kind: str, length: float, from_tag: str, stop: bool = True) -> None:
        """Leave ``length`` cm of a seam open from its end ``from_tag`` for a zip or buttons.

        The opening's far end gets matching notches so the sewist knows where to stop; ``stop``
        False: the whole seam is open (a zip running on across the next seam) and has none.
        """
        pa, ea, *_ = self.seams[seam]
        a = self.piece(pa).get(ea)
        la = g.length(a.pts)
        length = min(length, la - 1.0) if stop else la
        self.closures[seam] = {"type": kind, "length_cm": round(length, 2), "from": from_tag}
        if stop:
                self.notch_pair(seam, length if a.tags[0] == from_tag else la - length, 1,
                            f"{kind}: open to here ({length:.1f} cm)")

    def notch_pair(self, seam: int, dist: float, count: int = 1, mark: str = "") -> None:
        """Matching notches on both edges of a seam, ``dist`` cm from a's start tag (``mark``: printed beside)."""
        self.pair_notches.append((seam, dist, count, *([mark] if mark else [])))

    def build(self) -> Pattern:
        built = {p.name: p for p in self.pieces}
        for seam_i, dist, count, *mark in self.pair_notches:
            pa, ea, pb, eb, _ = self.seams[seam_i]
            a, b = built[pa].get(ea), built[pb].get(eb)
            la, lb = g.length(a.pts), g.length(b.pts)
            built[pa].notches.append((ea, dist, count, *mark))
            db = dist * lb / la  # eased seams spread the ease evenly
            same = a.tags[0] == b.tags[0]
            built[pb].notches.append((eb, db if same else lb - db, count, *mark))
        cuts: dict = {}
        pieces = [p.build(self.label_prefix, cuts) for p in self.pieces]
        groups: dict[str, int] = {}
        for p in pieces:
            groups[p.cut_group] = groups.get(p.cut_group, 0) + 1
        numbers = {grp: k + 1 for k, grp in enumerate(groups)}  # one number per printed piece
        members = {grp: [p.name for p in pieces if p.cut_group == grp] for grp in groups}
        by_name = {p.name: p for p in pieces}
        for p in pieces:
            _mark_pocket(p, by_name)
        _one_side_pockets(by_name, members)
        for p in pieces:
            p.cut_count = groups[p.cut_group]
            p.label[0] = f"{numbers[p.cut_group]} " + " / ".join(readable(m) for m in members[p.cut_group])
            p.label.append(f"cut {p.cut_count}" + (" (mirror pair)" if p.cut_count > 1 else ""))
            if p.on_fold:
                p.label.append(WHOLE_ON_FOLD)
        seams = []
        for i, (pa, ea, pb, eb, ease) in enumerate(self.seams):
            ta, tb = by_name[pa].edge(ea).tags, by_name[pb].edge(eb).tags
            if pb != pa and swap_sides(pa) == pb and swap_sides(ea) == eb:
                tb = (swap_sides(tb[0]), swap_sides(tb[1]))  # an edge to its mirror twin's (a CF zip)
            if ta == tb:
                rev = False
            elif ta == (tb[1], tb[0]):
                rev = True
            else:
                raise ValueError(f"seam {pa}.{ea} ~ {pb}.{eb}: end tags {ta} and {tb} do not match")
            seams.append(Seam(EdgeRef(pa, ea), EdgeRef(pb, eb), rev, ease, self.closures.get(i)))
        meta = {"warnings": self.warnings} if self.warnings else {}
        return Pattern(pieces, seams, self.spec, meta)


def _right_part(e: _E, eps: float = 1e-6) -> np.ndarray | None:
    """The part of an edge at x >= 0 (None: it lies at x <= 0), cut where it crosses x = 0."""
    pts = e.pts
    if pts[:, 0].min() >= -eps:
        return pts
    if pts[:, 0].max() <= eps:
        return None
    keep, prev = [], None
    for p in pts:
        # crossing x = 0 strictly between prev and p (a vertex on the line is kept as it is)
        if prev is not None and (prev[0] < -eps and p[0] > eps or prev[0] > eps and p[0] < -eps):
            t = prev[0] / (prev[0] - p[0])
            keep.append(prev + t * (p - prev))
        if p[0] >= -eps:
            keep.append(p)
        prev = p
    out = np.asarray(keep, float)
    out[np.abs(out[:, 0]) <= eps, 0] = 0.0
    return out


def split_centre(draft: PatternDraft, names: list[str]) -> None:
    """Cut whole symmetric pieces (drafted on the fold) along their centre line x = 0 into the
    wearer's right half ``right_<name>`` (x >= 0, as a back is seen from outside) and its mirror twin
    ``left_<name>``, joined by a centre seam on the edge ``centre``; seams, notches and closures are
    re-routed. An edge crossing the centre (a hem, a waist) becomes ``<edge>_right`` / ``<edge>_left``
    and its seam is split with it (two pieces split together keep their seam's sides); the new point
    on the centre line is tagged ``cb_<edge>``."""
    crossing: dict[str, set[str]] = {}
    olds = {}
    for name in names:
        pd = draft.piece(name)
        olds[name] = pd
        half, crossing[name] = _half(pd, f"right_{name}")
        i = draft.pieces.index(pd)
        draft.pieces[i:i + 1] = [half.mirrored(f"left_{name}", pd.body_region), half]

    def where(piece: str, edge: str, side: str) -> tuple[tuple[str, str], bool]:
        if piece not in olds:
            return (piece, edge), False
        if edge in crossing[piece]:
            return (f"{side}_{piece}", f"{edge}_{side}"), True
        x = olds[piece].get(edge).pts[:, 0].mean()
        return (f"{'right' if x > 0 else 'left'}_{piece}", edge), False

    seams = []
    for k, (pa, ea, pb, eb, ease) in enumerate(draft.seams):
        for side in ("right", "left"):
            (a, cut_a), (b, cut_b) = where(pa, ea, side), where(pb, eb, side)
            seams.append((k, (*a, *b, ease)))
            if not (cut_a or cut_b):
                break
    first = {k: i for i, (k, _) in reversed(list(enumerate(seams)))}  # an old seam index -> its first new one
    draft.seams = [s for _, s in seams]
    draft.closures = {first[k]: c for k, c in draft.closures.items()}
    draft.pair_notches = [(first[k], *rest) for k, *rest in draft.pair_notches]
    for name in names:
        draft.sew(f"right_{name}", "centre", f"left_{name}", "centre")


def _half(pd: PieceDraft, right: str) -> tuple[PieceDraft, set[str]]:
    """The x >= 0 half of a symmetric piece, closed by a ``centre`` edge; and the edges it cut."""
    edges = pd.ccw_edges()
    parts = [_right_part(e) for e in edges]
    crossing = {e.name for e, p in zip(edges, parts, strict=True) if p is not None and p is not e.pts}
    n = len(edges)
    # the half's boundary starts where the outline enters x >= 0 (after an edge wholly at x < 0)
    first = next(i for i in range(n) if parts[i] is not None and (parts[i - 1] is None or edges[i].name in crossing))
    half = PieceDraft(right, pd.body_region, pd.cut_group or pd.name)
    for k in range(n):
        e, p = edges[(first + k) % n], parts[(first + k) % n]
        if p is None:
            break
        if e.name in crossing:
            tags = (f"cb_{e.name}", e.tags[1]) if e.pts[0, 0] < 0 else (e.tags[0], f"cb_{e.name}")
            half.edge(f"{e.name}_right", p, e.role, tags, e.allowance)
        else:
            half.edge(e.name, p, e.role, e.tags, e.allowance)
    top, bottom = half.edges[-1], half.edges[0]
    half.edge("centre", g.line(top.pts[-1], bottom.pts[0]), "seam", (top.tags[1], bottom.tags[0]))
    half.landmarks = {k: v.copy() for k, v in pd.landmarks.items()}
    names = {x.name for x in half.edges}
    half.notches = [nt for nt in pd.notches if nt[0] in names]
    half.markings = [mk for mk in pd.markings if mk["kind"] not in ("centre_back", "centre_front")
                     and min(x for x, _ in mk["points"]) >= -1e-6]
    if pd.grain:
        xs = np.vstack([x.pts for x in half.edges])
        half.grain = (float(xs[:, 0].max()) * 0.45, pd.grain[1], pd.grain[2])
    return half, crossing
