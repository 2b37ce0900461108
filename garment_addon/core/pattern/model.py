"""Pattern: flat pieces, their edges and the seams between them, in cm.

This is the one data structure every later stage reads (exports, meshing,
assembly). Its JSON form is documented in docs/pattern-format.md
(schema ``garment-studio/pattern@1``).

Piece coordinates: x runs around the body, y runs up toward the head (for a
sleeve: along the arm toward the shoulder; for a pant leg: up the leg). A piece
is seen from its right side (the outside of the garment), outline counter-
clockwise, last point not repeated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UserError

SCHEMA = "garment-studio/pattern@1"
FREE_ROLES = ("hem", "neckline", "armhole", "waist", "opening", "fold", "face", "free")
ROLES = ("seam",) + FREE_ROLES
# the label of a symmetric (on_fold) piece: exports print it whole, so "on fold" alone would double it
WHOLE_ON_FOLD = "whole; or half on a fold"
# Piece markings: a point (pocket corner, button, buttonhole, drill hole) or a line (fold, centre front/back,
# a dart's stitching lines; "dart" is an internal dart as a closed polygon sewn shut; "slit" is cut open; "zip"
# where a zip is set into a seam; "roll_line" where a lapel or collar turns over; "pleat" two points on an edge,
# the first folded onto the second; "stitch" a line stitched through the layers, e.g. a pocket's division).
MARKING_KINDS = ("pocket", "button", "buttonhole", "drill", "fold", "centre_front", "centre_back", "dart", "slit",
                 "zip", "roll_line", "pleat", "stitch")


class PatternError(UserError):
    """A pattern file that is not a valid garment-studio pattern."""


@dataclass
class Edge:
    name: str
    start: int  # index into the outline
    end: int  # index into the outline (wraps: end may be < start, end == 0 closes it)
    role: str
    allowance: float = 1.0  # seam allowance in cm for the cut outline
    tags: tuple[str, str] = ("", "")  # semantic names of the start and end points

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end, "role": self.role,
                "allowance": round(self.allowance, 3), "tags": list(self.tags)}


@dataclass
class Piece:
    name: str
    outline: np.ndarray  # (N, 2) seam line, CCW, not closed
    edges: list[Edge]
    cut_outline: np.ndarray | None = None
    cut_group: str = ""
    cut_count: int = 1
    on_fold: bool = False
    grainline: list[list[float]] = field(default_factory=list)
    notches: list[dict[str, Any]] = field(default_factory=list)
    body_region: str = ""
    label: list[str] = field(default_factory=list)
    landmarks: dict[str, list[float]] = field(default_factory=dict)
    placement: dict[str, Any] = field(default_factory=dict)  # 3D hint: translation/rotation
    # what is drawn inside the piece: {"kind": one of MARKING_KINDS, "points": [[x, y], ...], "text"?}
    markings: list[dict[str, Any]] = field(default_factory=list)
    material: str = ""  # what it is cut from when not the main fabric, e.g. "self + fusible interfacing"

    def on_host(self, pts) -> np.ndarray:
        """Flat points of this patch (a pocket) where they lie on the piece it is sewn onto: its
        centre at ``placement["at"]``, turned ``placement["angle"]`` degrees (counter-clockwise)."""
        centre = np.asarray(self.landmarks.get("center", self.outline.mean(axis=0)), float)
        a = np.radians(self.placement.get("angle", 0.0))
        turn = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        return (np.asarray(pts, float) - centre) @ turn.T + np.asarray(self.placement["at"], float)

    def edge(self, name: str) -> Edge:
        for e in self.edges:
            if e.name == name:
                return e
        raise KeyError(f"piece {self.name!r} has no edge {name!r}")

    def edge_points(self, name: str | Edge) -> np.ndarray:
        """The edge's polyline, start to end, following the outline."""
        e = name if isinstance(name, Edge) else self.edge(name)
        n = len(self.outline)
        end = e.end if e.end > e.start else e.end + n
        idx = [i % n for i in range(e.start, end + 1)]
        return self.outline[idx]

    def edge_length(self, name: str | Edge) -> float:
        return polyline_length(self.edge_points(name))

    def area(self) -> float:
        x, y = self.outline[:, 0], self.outline[:, 1]
        return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))

    def to_dict(self) -> dict[str, Any]:
        r = lambda a: np.round(np.asarray(a, float), 4).tolist()  # noqa: E731
        d = {
            "name": self.name,
            "outline": r(self.outline),
            "edges": [e.to_dict() for e in self.edges],
            "cut_outline": r(self.cut_outline) if self.cut_outline is not None else None,
            "cut_group": self.cut_group or self.name,
            "cut_count": self.cut_count,
            "on_fold": self.on_fold,
            "grainline": r(self.grainline),
            "notches": [{**n, "position": r(n["position"])} for n in self.notches],
            "body_region": self.body_region,
            "label": list(self.label),
            "landmarks": {k: r(v) for k, v in self.landmarks.items()},
        }
        if self.placement:
            d["placement"] = self.placement
        if self.markings:
            d["markings"] = [{**mk, "points": r(mk["points"])} for mk in self.markings]
        if self.material:
            d["material"] = self.material
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Piece:
        edges = [Edge(e["name"], int(e["start"]), int(e["end"]), e["role"],
                      float(e.get("allowance", 1.0)), tuple(e.get("tags", ("", "")))) for e in d["edges"]]
        cut = d.get("cut_outline")
        return cls(
            name=d["name"], outline=np.asarray(d["outline"], float), edges=edges,
            cut_outline=np.asarray(cut, float) if cut is not None else None,
            cut_group=d.get("cut_group", d["name"]), cut_count=int(d.get("cut_count", 1)),
            on_fold=bool(d.get("on_fold", False)), grainline=d.get("grainline", []),
            notches=list(d.get("notches", [])), body_region=d.get("body_region", ""),
            label=list(d.get("label", [])), landmarks=dict(d.get("landmarks", {})),
            placement=dict(d.get("placement", {})),
            markings=[dict(mk) for mk in d.get("markings", [])],  # absent in files before markings
            material=str(d.get("material", "")),
        )


@dataclass
class EdgeRef:
    piece: str
    edge: str

    def to_dict(self) -> dict[str, str]:
        return {"piece": self.piece, "edge": self.edge}


@dataclass
class Seam:
    a: EdgeRef
    b: EdgeRef
    reversed: bool  # True: a.start is sewn to b.end
    ease_cm: float = 0.0  # declared length difference (b may be longer by this, e.g. sleeve cap)
    # A part left open to get dressed, closed by a zip or buttons: {"type", "length_cm", "from"}
    # where "from" names the end (a point tag of edge a) the opening starts at. Assembly sews it shut.
    closure: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"a": self.a.to_dict(), "b": self.b.to_dict(), "reversed": self.reversed,
             "ease_cm": round(self.ease_cm, 3)}
        if self.closure:
            d["closure"] = dict(self.closure)
        return d


@dataclass
class Pattern:
    pieces: list[Piece]
    seams: list[Seam]
    spec: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    # cut and sewn inside the garment but not part of its outer shell (facings, fly shield, neckband):
    # printed and counted for cutting, not meshed in 3D nor exported to GarmentCode
    construction: list[Piece] = field(default_factory=list)

    def piece(self, name: str) -> Piece:
        for p in self.pieces:
            if p.name == name:
                return p
        raise KeyError(f"no piece {name!r}")

    def seam_lengths(self, seam: Seam) -> tuple[float, float]:
        return (self.piece(seam.a.piece).edge_length(seam.a.edge),
                self.piece(seam.b.piece).edge_length(seam.b.edge))

    def to_dict(self) -> dict[str, Any]:
        d = {"schema": SCHEMA, "units": "cm", "spec": self.spec,
             "pieces": [p.to_dict() for p in self.pieces],
             "seams": [s.to_dict() for s in self.seams]}
        if self.metadata:
            d["metadata"] = self.metadata
        if self.construction:
            d["construction"] = [p.to_dict() for p in self.construction]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_dict(cls, d: Any) -> Pattern:
        if not isinstance(d, dict) or d.get("schema") != SCHEMA:
            raise PatternError(f"pattern: not a garment-studio pattern (expected schema {SCHEMA!r})")
        try:
            pieces = [Piece.from_dict(p) for p in d["pieces"]]
            construction = [Piece.from_dict(p) for p in d.get("construction", [])]
            seams = [Seam(EdgeRef(**s["a"]), EdgeRef(**s["b"]), bool(s["reversed"]),
                          float(s.get("ease_cm", 0.0)), s.get("closure")) for s in d["seams"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise PatternError(f"pattern: malformed ({exc})") from None
        return cls(pieces, seams, d.get("spec", {}), d.get("metadata", {}), construction)


def polyline_length(pts: np.ndarray) -> float:
    pts = np.asarray(pts, float)
    return float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum()) if len(pts) > 1 else 0.0


def load_pattern(path) -> Pattern:
    """Read pattern.json; PatternError (one line) for anything that is not one."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise PatternError(f"pattern: file not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PatternError(f"pattern: {path} is not JSON ({exc.__class__.__name__})") from None
    return Pattern.from_dict(data)
