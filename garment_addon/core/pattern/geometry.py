"""Small 2D geometry used by the drafting: curves, lengths, offsets, solving."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

Pt = Sequence[float]

CURVE_STEP = 0.75  # cm between points on drafted curves: fine enough to sew and to print


def P(x: float, y: float) -> np.ndarray:
    return np.array([float(x), float(y)])


def _count(length: float, step: float = CURVE_STEP) -> int:
    return max(2, int(np.ceil(length / step)) + 1)


def line(a: Pt, b: Pt) -> np.ndarray:
    """A straight edge as a two-point polyline (meshing resamples it)."""
    return np.array([a, b], float)


def cubic(p0: Pt, c1: Pt, c2: Pt, p3: Pt, n: int | None = None) -> np.ndarray:
    p = np.array([p0, c1, c2, p3], float)
    if n is None:
        n = _count(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())
    t = np.linspace(0.0, 1.0, n)[:, None]
    mt = 1 - t
    return mt**3 * p[0] + 3 * mt**2 * t * p[1] + 3 * mt * t**2 * p[2] + t**3 * p[3]


def quad(p0: Pt, c: Pt, p2: Pt, n: int | None = None) -> np.ndarray:
    p0, c, p2 = (np.asarray(v, float) for v in (p0, c, p2))
    return cubic(p0, p0 + 2 / 3 * (c - p0), p2 + 2 / 3 * (c - p2), p2, n)


def smooth(points: Sequence[Pt], tension: float = 0.5) -> np.ndarray:
    """A C1 curve through the points (Catmull-Rom as cubic Béziers)."""
    p = np.asarray(points, float)
    if len(p) == 2:
        return line(p[0], p[1])
    out = [p[:1]]
    for i in range(len(p) - 1):
        prev = p[i - 1] if i > 0 else p[i] - (p[i + 1] - p[i])
        nxt = p[i + 2] if i + 2 < len(p) else p[i + 1] + (p[i + 1] - p[i])
        c1 = p[i] + (p[i + 1] - prev) * tension / 3
        c2 = p[i + 1] - (nxt - p[i]) * tension / 3
        out.append(cubic(p[i], c1, c2, p[i + 1])[1:])
    return np.vstack(out)


def join(*parts: np.ndarray) -> np.ndarray:
    """Concatenate polylines that share end/start points."""
    out = [np.asarray(parts[0], float)]
    for part in parts[1:]:
        part = np.asarray(part, float)
        out.append(part[1:] if np.allclose(out[-1][-1], part[0], atol=1e-6) else part)
    return np.vstack(out)


def length(pts: np.ndarray) -> float:
    pts = np.asarray(pts, float)
    return float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())


def point_at(pts: np.ndarray, dist: float) -> np.ndarray:
    """The point ``dist`` cm along a polyline (clamped to its ends)."""
    pts = np.asarray(pts, float)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    dist = float(np.clip(dist, 0.0, cum[-1]))
    i = min(int(np.searchsorted(cum, dist, side="right")) - 1, len(seg) - 1)
    t = 0.0 if seg[i] == 0 else (dist - cum[i]) / seg[i]
    return pts[i] + t * (pts[i + 1] - pts[i])


def split_at(pts: np.ndarray, dist: float) -> tuple[np.ndarray, np.ndarray]:
    """Split a polyline ``dist`` cm from its start into two polylines sharing the cut point."""
    pts = np.asarray(pts, float)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    cut = point_at(pts, dist)
    i = int(np.searchsorted(cum, dist, side="right"))
    a = np.vstack([pts[:i], cut])
    b = np.vstack([cut, pts[i:]])
    # drop zero-length duplicates at the cut
    if len(a) > 2 and np.allclose(a[-1], a[-2]):
        a = np.delete(a, -2, axis=0)
    if len(b) > 2 and np.allclose(b[0], b[1]):
        b = np.delete(b, 1, axis=0)
    return a, b


def mirror_x(pts: np.ndarray, x0: float = 0.0) -> np.ndarray:
    p = np.array(pts, float)
    p[:, 0] = 2 * x0 - p[:, 0]
    return p


def signed_area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def bisect(f: Callable[[float], float], lo: float, hi: float, tol: float = 1e-4, it: int = 60) -> float:
    """Root of a monotonic f on [lo, hi] (the closer end when there is no sign change)."""
    flo, fhi = f(lo), f(hi)
    if flo * fhi > 0:
        return lo if abs(flo) < abs(fhi) else hi
    for _ in range(it):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if abs(fm) < tol:
            return mid
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _outward_normal(d: np.ndarray) -> np.ndarray:
    # For a CCW outline the outside is on the right of the direction of travel.
    n = np.array([d[1], -d[0]])
    return n / (np.linalg.norm(n) or 1.0)


def _corner_fill(corner: np.ndarray, d_in: np.ndarray, a_in: float, d_out: np.ndarray, a_out: float):
    """Mitred filler between the allowance strips of two edges meeting at a convex corner."""
    n1, n2 = _outward_normal(d_in), _outward_normal(d_out)
    if np.cross(d_in, d_out) > 0 and a_in > 0 and a_out > 0:  # convex for CCW (left turn)
        p1, p2 = corner + n1 * a_in, corner + n2 * a_out
        m = np.array([d_in, -d_out]).T
        if abs(np.linalg.det(m)) > 1e-9:
            s = np.linalg.solve(m, p2 - p1)[0]
            miter = p1 + s * d_in
            if np.linalg.norm(miter - corner) <= 3 * max(a_in, a_out):
                return Polygon([corner, p1, miter, p2]).buffer(0)
        return Polygon([corner, p1, p2]).buffer(0)
    return None


def cut_outline(edges: list[tuple[np.ndarray, float]]) -> np.ndarray:
    """Cut line around a closed CCW seam line given as (edge points, allowance) in order.

    Each edge gets a strip as wide as its own allowance; convex corners are mitred
    (squared off), so a hem allowance of 3 cm meets a 1 cm side seam cleanly.
    """
    seam = Polygon(np.vstack([e[0][:-1] for e in edges]))
    parts = [seam.buffer(0)]
    for k, (pts, a) in enumerate(edges):
        if a > 0:
            parts.append(LineString(pts).buffer(a, cap_style="flat", join_style="mitre", mitre_limit=3))
        nxt_pts, nxt_a = edges[(k + 1) % len(edges)]
        d_in = pts[-1] - pts[-2]
        d_out = nxt_pts[1] - nxt_pts[0]
        d_in, d_out = d_in / (np.linalg.norm(d_in) or 1), d_out / (np.linalg.norm(d_out) or 1)
        fill = _corner_fill(pts[-1], d_in, a, d_out, nxt_a)
        if fill is not None:
            parts.append(fill)
    shape = unary_union(parts)
    if shape.geom_type != "Polygon":
        shape = max(shape.geoms, key=lambda g: g.area)
    ring = np.asarray(shape.exterior.coords)[:-1]
    ring = ring if signed_area(ring) > 0 else ring[::-1]
    return _simplify(ring)


def _simplify(ring: np.ndarray, tol: float = 0.01) -> np.ndarray:
    poly = Polygon(ring).simplify(tol, preserve_topology=True)
    out = np.asarray(poly.exterior.coords)[:-1]
    return out if signed_area(out) > 0 else out[::-1]
