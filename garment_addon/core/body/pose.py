"""Poses a fit render can take: the A-pose the garment is built in, or the arms hanging down.

A garment on a hanger, laid flat with its sleeves down or worn with the arms at the sides shows
its sleeves along its body; our mannequin holds its arms out at the A-pose's ~37 degrees. Scoring
one against the other rewards a garment without sleeves. ``hang_arms`` turns both arms (and
whatever follows them: sleeves, cuffs) down about the shoulder joints, for the comparison only;
the garment is built, draped and exported in the A-pose.

Pure numpy (cm, z up, x to the figure's left: the frame of makehuman.py). Each point follows the
arm by the skin weight of its nearest body vertex (linear blend skinning with one rotation per
arm), so a sleeve turns with the arm inside it and the bodice stays where it is.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

A_POSE = "a-pose"
ARMS_DOWN = "arms-down"
POSES = (A_POSE, ARMS_DOWN)
ARMS_DOWN_DEG = 10.0  # from the vertical: the arms clear the hips of a heavy body


def check_pose(pose: str) -> str:
    if pose not in POSES:
        raise ValueError(f"pose: must be one of {', '.join(POSES)} (got {pose!r})")
    return pose


def _arm_weight(human, side: str) -> np.ndarray:
    """Per body vertex: the share of its skin carried by the arm of ``side`` (upper arm, forearm, hand)."""
    cols = [i for i, b in enumerate(human.bones)
            if b.split(":")[-1].startswith(side) and ("Arm" in b or "Hand" in b)]
    return human.weights[:, cols].sum(1)


def _turn(shoulder: np.ndarray, wrist: np.ndarray, degrees: float, sx: float) -> np.ndarray:
    """The rotation (3x3) taking the arm's direction to ``degrees`` from the vertical in the frontal plane."""
    a = (wrist - shoulder) / np.linalg.norm(wrist - shoulder)
    t = np.radians(degrees)
    b = np.array([sx * np.sin(t), a[1], -np.cos(t)])
    b /= np.linalg.norm(b)
    axis = np.cross(a, b)
    s = float(np.linalg.norm(axis))
    if s < 1e-9:
        return np.eye(3)
    k = axis / s
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    angle = float(np.arctan2(s, a @ b))
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * (K @ K)


def hang_arms(human, points: np.ndarray, degrees: float = ARMS_DOWN_DEG, tree: cKDTree | None = None) -> np.ndarray:
    """``points`` (n, 3) cm with both arms of ``human`` (makehuman.HumanBody) turned down to
    ``degrees`` from the vertical; ``tree``: a cKDTree over human.verts to reuse between calls."""
    pts = np.asarray(points, float)
    tree = tree or cKDTree(human.verts)
    _, nearest = tree.query(pts)
    out = pts.copy()
    for side, sx in (("Left", 1.0), ("Right", -1.0)):
        shoulder = human.joints[f"mixamorig:{side}Arm"][0]
        wrist = human.joints[f"mixamorig:{side}Hand"][0]
        R = _turn(shoulder, wrist, degrees, sx)
        w = _arm_weight(human, side)[nearest][:, None]
        out += w * ((pts - shoulder) @ R.T + shoulder - pts)
    return out
