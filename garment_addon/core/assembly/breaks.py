"""How far a long sleeve or trouser leg breaks above its cuff or hem.

A sleeve cut past the wrist, or a trouser leg past the top of the foot, cannot hang straight: the
cuff rests on the hand, the hem on the instep, and the cloth above folds into a "break". A tube
that hangs straight (or stands off the limb, inflated) has no break. Measured on the pieces as
cut and worn: the flat band BAND_CM above the piece's bottom edge (hem, or the seam to a cuff)
against the 3D distance between that edge's centroid and the centroid of the band's top ring,
over every piece of the limb. 1.0: the band hangs at its cut length; 1.1: a tenth of it is taken
up by folds; below 1: stretched.
"""

from __future__ import annotations

import numpy as np

BAND_CM = 15.0  # the band above the cuff or hem that a break folds into
RING_CM = 1.5  # how close to the band's top a vertex lies to count in its ring (2 cm cloth mesh)
LIMBS = {"arm": "sleeve_break", "leg": "leg_break"}


def _bottom_edges(piece) -> list[np.ndarray]:
    """Vertices of the piece's hem, each part in order (a shirt sleeve's hem is split at its placket
    slit), or else of its lowest edge (a sleeve's seam to its cuff)."""
    hem = [v for e, v in piece.edge_verts.items() if e == "hem" or e.startswith("hem_")]
    if hem:
        return hem
    return [piece.edge_verts[min(piece.edge_verts, key=lambda e: float(piece.verts[piece.edge_verts[e], 1].mean()))]]


def _distance_to_polyline(p: np.ndarray, line: np.ndarray) -> np.ndarray:
    return distance_to_segments(p, line[:-1], line[1:])


def distance_to_segments(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance of each point ``p`` to the nearest of the segments ``a``-``b``."""
    ab = b - a
    t = np.clip(((p[:, None] - a[None]) * ab[None]).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0, 1)
    return np.linalg.norm(p[:, None] - (a[None] + t[..., None] * ab[None]), axis=-1).min(1)


def limb_breaks(pattern, mesh, pos: np.ndarray) -> dict[str, float]:
    """``sleeve_break`` and ``leg_break``: the mean over the long sleeves (legs) of the flat band
    length over its 3D length (see the module docstring); a key is absent when no sleeve (leg) is
    long enough to hold the band twice over."""
    limbs: dict[str, list[int]] = {}
    for i, p in enumerate(pattern.pieces):
        kind, _, side = p.body_region.partition("_")
        if kind in LIMBS and side:
            limbs.setdefault(f"{kind}_{side.split('_')[0]}", []).append(i)
    out: dict[str, list[float]] = {}
    for limb, idx in limbs.items():
        if any(np.ptp(mesh.pieces[i].verts[:, 1]) < 2 * BAND_CM for i in idx):
            continue  # a short sleeve or shorts: no band to fold
        hem, ring, flat = [], [], []
        for i in idx:
            pm, off = mesh.pieces[i], mesh.offsets[i]
            parts = _bottom_edges(pm)
            edge = np.unique(np.concatenate(parts))
            d = np.min([_distance_to_polyline(pm.verts, pm.verts[v]) for v in parts], axis=0)
            top = np.abs(d - BAND_CM) <= RING_CM
            hem.append(pos[edge + off])
            ring.append(pos[np.nonzero(top)[0] + off])
            flat.append(d[top])
        span = np.linalg.norm(np.concatenate(ring).mean(0) - np.concatenate(hem).mean(0))
        key = LIMBS[limb.split("_")[0]]
        out.setdefault(key, []).append(float(np.concatenate(flat).mean()) / max(float(span), 1e-6))
    return {k: float(np.mean(v)) for k, v in out.items()}
