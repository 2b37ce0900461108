"""Segments and lines through triangles, row-wise (Möller–Trumbore): what the quality measures, the
wrap's trims and the body's bridged bust cast. Here, under both core.body and core.assembly, so either
may use it."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


def line_fraction(p0, d, tri) -> np.ndarray:
    """Möller–Trumbore, row-wise (rows broadcast): the t at which the line p0 + t d passes through
    triangle tri (3 points), from either side; inf where it does not."""
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    h = np.cross(d, e2)
    a = (e1 * h).sum(1)
    ok = np.abs(a) > 1e-12
    f = np.where(ok, 1.0 / np.where(ok, a, 1.0), 0.0)
    s = p0 - tri[:, 0]
    u = f * (s * h).sum(1)
    q = np.cross(s, e1)
    v = f * (d * q).sum(1)
    t = f * (e2 * q).sum(1)
    return np.where(ok & (u >= 0) & (v >= 0) & (u + v <= 1), t, np.inf)


def segment_fraction(p0, p1, tri) -> np.ndarray:
    """How far along segment p0-p1 (0..1) it passes through triangle tri; inf where it does not."""
    t = line_fraction(p0, p1 - p0, tri)
    return np.where((t >= 0) & (t <= 1), t, np.inf)


def segment_hits(starts: np.ndarray, ends: np.ndarray, verts: np.ndarray, faces: np.ndarray,
                 half: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(segment, triangle, fraction of the way along it) of every triangle of ``verts`` / ``faces`` each
    segment ``starts[i]``-``ends[i]`` passes through; ``half``: the longest segment's half length."""
    tri = verts[faces]
    centre = tri.mean(axis=1)
    radius = float(np.linalg.norm(tri - centre[:, None], axis=-1).max())
    cand = cKDTree(centre).query_ball_point((starts + ends) / 2, half + radius)
    pi = np.repeat(np.arange(len(starts)), [len(c) for c in cand])
    fi = np.fromiter((j for c in cand for j in c), np.int64, count=len(pi))
    t = segment_fraction(starts[pi], ends[pi], tri[fi])
    hit = np.isfinite(t)
    return pi[hit], fi[hit], t[hit]
