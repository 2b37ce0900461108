"""How level a worn top's front hangs: its centre front's hem against its side seam's, its pockets.

A front too short for the bust it covers rides up at the centre front (the hem swings up from the
side seams, the pockets on it tilt toward the centre); one drafted with the bust's length over the
apex (the full-bust adjustment) hangs level. Measured on the placed (wrapped or draped) mesh, on
the wearer's right front (or a front cut whole), cm; positive: the centre front higher.
"""

from __future__ import annotations

import numpy as np

FRONTS = ("right_front", "front_bodice")


def placed(mesh, pos: np.ndarray, piece: str, flat) -> np.ndarray:
    """Where the vertex of ``piece`` nearest the flat point ``flat`` was placed."""
    i = mesh.index(piece)
    return pos[mesh.offsets[i] + int(np.argmin(np.linalg.norm(mesh.pieces[i].verts - np.asarray(flat), axis=1)))]


def front_level(pattern, mesh, pos: np.ndarray) -> dict[str, float]:
    """``front_hem_rise``: the centre front's hem corner above the side seam's (cm), for a top whose
    front has a hem; ``pocket_tilt``: the largest height difference across a patch pocket's top
    (cm), with pockets. Absent keys: no such front or pocket."""
    out: dict[str, float] = {}
    front = next((p for p in pattern.pieces if p.name in FRONTS), None)
    if front is not None and "hem_center" in front.landmarks and any(e.name == "hem" for e in front.edges):
        hem = front.edge_points("hem")
        cf = placed(mesh, pos, front.name, front.landmarks["hem_center"])
        side = placed(mesh, pos, front.name, hem[np.argmin(hem[:, 0])])
        out["front_hem_rise"] = float(cf[2] - side[2])
    tilts = []
    for p in pattern.pieces:
        if (p.body_region or "").startswith("pocket") and any(e.name == "top" for e in p.edges):
            top = p.edge_points("top")
            tilts.append(abs(float(placed(mesh, pos, p.name, top[0])[2] - placed(mesh, pos, p.name, top[-1])[2])))
    if tilts:
        out["pocket_tilt"] = max(tilts)
    return out
