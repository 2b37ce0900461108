"""The shown and exported mannequin: the MakeHuman hm08 body (CC0, data/) shaped to the measurements.

Pure numpy (cm, z up, facing -y, x to the figure's left, the frame of mannequin.py).

1. Macro targets (young adult, gender from the preset): muscle, weight, proportions and (female)
   breast cup are solved so the posed body's bust, waist, hip, thigh and neck girths come closest to
   the measurements; the height slider stays in the middle (the remap sets the stature).
2. A smooth vertical remap puts the body's knee, crotch, bust point and neck base at the heights the
   analytic mannequin (mannequin.py) and the wrap use, and the crown at the requested height.
3. Linear blend skinning with the asset's Mixamo rig weights turns the base pose (arms 47 degrees
   down, elbows bent) into the analytic mannequin's A-pose (straight arms at its arm angle, wider
   where a heavy body's arms would touch its sides), so sleeves wrap around the arms shown.
4. What the targets leave over (0-14 % over the size table) is taken up by a smooth radial scale around the torso and
   leg axes, peaked at each measurement height, so every girth lands within 2 %; a female bust more
   than MAX_CUP_DIFFERENCE over the high bust gives the rest to the rib cage (size XXL).
5. A given shoulder slope the body misses by more than SLOPE_TOLERANCE is made its own: the base-pose
   shoulders are lifted or lowered (lift_shoulders) before 3-4, by a lift found on the posed body.

Girths are tape measurements: the convex hull of the body's cross-section at the landmark height
(the torso's piece; for the thigh the left leg's piece just below the crotch).
"""

from __future__ import annotations

import io
import lzma
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.interpolate import PchipInterpolator
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull

from ..mesh.triangulate import face_edges
from .mannequin import shoulder_share, smoothstep

DATA = Path(__file__).with_name("data") / "makehuman.npz.xz"
GIRTHS = ("bust", "waist", "hip", "thigh", "neck")
THIGH_BELOW_CROTCH = 2.5  # cm: the thigh girth is taken just below the crotch
NECK_ABOVE_BASE = 1.0  # cm: a collar sits at the neck base; the tape goes just above it
DELTA_UNIT = 0.002  # cm per stored delta step (tools/extract_makehuman.py)
ARM_BONES = ("Arm", "Hand")  # name parts of the bones that carry an arm (LeftArm, LeftForeArm, LeftHand*)
LEG_BONES = ("UpLeg", "Leg", "Foot", "ToeBase")
ARMPIT_BELOW_BUST = 2.0  # cm: the arms must hang clear of the torso up to this far under the bust line
# the arms hang at least ARM_CLEARANCE apart from the torso ARMPIT_DROP below the armpit (the
# highest section showing them apart): at 38 degrees a size XXL body's arms lay against its sides
# for ~6 cm under the armpit (0.1-0.7 cm apart 0-3 cm down, where sizes S..XL are 2.2-4.4 apart) and
# the wrapped sleeves and bodice ran through each other there (wrap: 80-180 self-crossings)
ARM_CLEARANCE = 2.5
ARMPIT_DROP = 3.0
MAX_ARM_ANGLE = 60.0  # degrees from the vertical: the widest A-pose tried for a heavy body
# landmarks the vertical remap aligns. Not the waist: the asset's natural waist sits 0.03 of the
# stature above the analytic one, and pulling it down would stretch the midriff by 30 %; crotch to
# bust point is within 1 % of the analytic length, so the body keeps its proportions.
REMAP_KEYS = ("knee", "crotch", "bust", "neck_base", "height")
# a given shoulder slope (spec shoulder_slope) the body's own misses by more than this is made its
# own (lift_shoulders); nearer, the body is left as it is: every size's default slope (the table's,
# to 0.1 cm) lies within 0.2 cm of its body's, so a body drafted with the default slope is unchanged
SLOPE_TOLERANCE = 0.25
SLOPE_FIT = 0.1  # cm: how near the reshaped body's slope comes to the given one
# A female body's full bust less its high bust (the tape 3 cm over the underarm, in the armpits'
# hollow: spec.SIZE_TABLE) is held to MAX_CUP_DIFFERENCE, a real plus-size block's 8-12 cm. The
# macro targets put a size XXL's (118 cm) bust mostly into the breasts and the radial correction,
# peaked at the bust line, grew them further: 22 cm over a 96 cm high bust and a 93 cm underbust
# (the jumpsuit's bodice shaped over two cups). Past the cap the rib cage takes the rest: one
# factor at the high bust and UNDERBUST_BELOW_BUST under the bust line (under the breasts' fold),
# solved with the girths so the high bust is the bust less the cap (XXL: 107 / 99 cm).
HIGH_BUST_ABOVE_UNDERARM = 3.0  # cm
MAX_CUP_DIFFERENCE = 11.0  # cm
UNDERBUST_BELOW_BUST = 6.0  # cm
SLOPE_SMOOTHING = 30  # rounds of neighbour averaging of the shoulder's lift (skin edges are 1-2 cm)


@dataclass(frozen=True)
class Asset:
    base: np.ndarray  # (n_mesh + 2 * bones, 3) cm: mesh vertices, then each bone's head and tail
    quads: np.ndarray  # (F, 4) mesh faces (skin, then the eyes)
    n_mesh: int
    eye_first: int  # first eye vertex (the eyes follow the skin)
    bones: tuple[str, ...]  # parent first
    parents: tuple[str, ...]
    rolls: np.ndarray  # Blender edit-bone roll (radians) of each bone in the base pose
    weights: np.ndarray  # (n_mesh, bones) skin weights, rows sum to 1
    targets: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]]  # gender -> name -> (rows, deltas cm)
    uv: np.ndarray  # (k, 2) MakeHuman's texture coordinates
    uv_quads: np.ndarray  # (F, 4) index into uv per face corner

    def head(self, verts: np.ndarray, bone: str) -> np.ndarray:
        return verts[self.n_mesh + 2 * self.bones.index(bone)]

    def chain_weight(self, parts: tuple[str, ...]) -> np.ndarray:
        cols = [i for i, b in enumerate(self.bones) if any(p in b.split(":")[-1] for p in parts)]
        return self.weights[:, cols].sum(1)

    def side_weight(self, parts: tuple[str, ...], side: str) -> np.ndarray:
        return side_weight(self.bones, self.weights, parts, side)


def side_weight(bones, weights: np.ndarray, parts: tuple[str, ...], side: str) -> np.ndarray:
    """Per vertex: the share of its skin carried by the bones of ``side`` ("Left"/"Right") whose names
    hold one of ``parts`` (ARM_BONES: upper arm, forearm, hand)."""
    cols = [i for i, b in enumerate(bones) if b.split(":")[-1].startswith(side) and any(p in b for p in parts)]
    return weights[:, cols].sum(1)



@lru_cache(maxsize=1)
def load_asset() -> Asset:
    d = np.load(io.BytesIO(lzma.decompress(DATA.read_bytes())))
    n_mesh, bones = int(d["n_mesh"]), tuple(str(b) for b in d["bones"])
    w = np.zeros((n_mesh, len(bones)))
    np.add.at(w, (d["w_vert"].astype(np.int64), d["w_bone"].astype(np.int64)), d["w_val"])
    eye0 = int(d["eye_first"])
    w[eye0:] = 0.0
    w[eye0:, bones.index("mixamorig:Head")] = 1.0
    s = w.sum(1, keepdims=True)
    w = np.where(s > 0, w / np.maximum(s, 1e-9), 0.0)
    targets = {}
    for g in ("female", "male"):
        ptr, steps = d[f"{g}_ptr"], d[f"{g}_steps"].astype(np.int64)
        delta = d[f"{g}_delta"].T.astype(float) * DELTA_UNIT
        # row steps restart at 0 for each target
        targets[g] = {str(name): (np.cumsum(steps[ptr[k]:ptr[k + 1]]), delta[ptr[k]:ptr[k + 1]])
                      for k, name in enumerate(d[f"{g}_names"])}
    return Asset(d["base"].astype(float), d["quads"].astype(np.int64), n_mesh, eye0, bones,
                 tuple(str(p) for p in d["parents"]), d["rolls"].astype(float), w, targets,
                 d["uv"].astype(float), d["uv_quads"].astype(np.int64))


# --- macro targets ------------------------------------------------------------------------------
LEVELS = ("min", "average", "max")


def _levels(x: float) -> dict[str, float]:
    """MakeHuman's macro slider split: 0 -> min, 0.5 -> average, 1 -> max, linear between."""
    x = float(np.clip(x, 0.0, 1.0))
    return {"min": max(0.0, 1 - 2 * x), "average": 1 - abs(2 * x - 1), "max": max(0.0, 2 * x - 1)}


def macro_weights(gender: str, muscle: float = 0.5, weight: float = 0.5, height: float = 0.5,
                  proportions: float = 0.5, cup: float = 0.5) -> dict[str, float]:
    """Target name -> weight for a young adult of ``gender`` (MakeHuman's macro modifier rules)."""
    out = {"race": 1.0}
    ends = {"height": {"min": max(0.0, 1 - 2 * height), "max": max(0.0, 2 * height - 1)},
            "proportions": {"uncommon": max(0.0, 1 - 2 * proportions), "ideal": max(0.0, 2 * proportions - 1)},
            "breast": {"min": max(0.0, 1 - 2 * cup), "max": max(0.0, 2 * cup - 1)}}
    for m, wm in _levels(muscle).items():
        for w, ww in _levels(weight).items():
            k = wm * ww
            if k == 0:
                continue
            mw = f"{m}muscle-{w}weight"
            if (m, w) != ("average", "average"):
                out[f"universal/{mw}"] = k
            for group, split in ends.items():
                if group == "breast" and gender != "female":
                    continue
                for end, we in split.items():
                    if we > 0:
                        out[f"{group}/{mw}/{end}"] = k * we
    return out


def shaped(asset: Asset, gender: str, **sliders: float) -> np.ndarray:
    """Base-pose vertices (mesh, then bone ends) for the macro sliders."""
    v = asset.base.copy()
    tg = asset.targets[gender]
    for name, w in macro_weights(gender, **sliders).items():
        rows, delta = tg[name]
        v[rows] += w * delta
    v[:, 2] -= v[: asset.n_mesh, 2].min()  # soles on the floor
    return v


# --- sections and girths ------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _edge_tables(tris_key: bytes, n_tris: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unique edges (E, 2), each triangle's three edge ids (T, 3), each edge's triangles (E, 2),
    -1 where an edge has one) of a triangle list."""
    edges, tri_edges = face_edges(np.frombuffer(tris_key, np.int64).reshape(n_tris, 3))
    edge_tris = np.full((len(edges), 2), -1)
    order = np.argsort(tri_edges.ravel(), kind="stable")
    first = np.r_[True, np.diff(tri_edges.ravel()[order]) != 0]
    edge_tris[tri_edges.ravel()[order], np.where(first, 0, 1)] = order // 3
    return edges, tri_edges, edge_tris


def slice_loops(verts: np.ndarray, tris: np.ndarray, z: float, values: np.ndarray | None = None) -> list:
    """Cross-section of a triangle mesh at height z: one (k, 2) point set per connected piece; with
    per-vertex ``values``, (points, values interpolated at them) per piece."""
    return slice_stack(verts, tris, [z], values)[0]


def slice_stack(verts: np.ndarray, tris: np.ndarray, zs, values: np.ndarray | None = None) -> list[list]:
    """slice_loops at each height of ``zs``, all at once (a torso's 60 sections: one pass over the
    mesh and one connected-components call, not 60): each section's pieces and their points in
    the same order as alone."""
    if tris is skin_triangles():  # the usual mesh: its tables without hashing it again (0.16 ms a call)
        edges, tri_edges, edge_tris = _skin_edge_tables()
    else:
        tris = np.ascontiguousarray(tris, np.int64)
        edges, tri_edges, edge_tris = _edge_tables(tris.tobytes(), len(tris))
    zs = np.asarray(zs, float)
    va, vb = verts[edges[:, 0], 2], verts[edges[:, 1], 2]
    # an edge is cut at z where exactly one end lies below it (va - z < 0 exactly where va < z)
    edge, level = np.nonzero((va[:, None] < zs) != (vb[:, None] < zs))
    order = np.lexsort((edge, level))  # by section, then by edge: each section's points as alone
    edge, level = edge[order], level[order]
    za, zb = va[edge] - zs[level], vb[edge] - zs[level]
    t = (za / (za - zb))[:, None]
    e = edges[edge]
    point = verts[e[:, 0], :2] + t * (verts[e[:, 1], :2] - verts[e[:, 0], :2])
    # a triangle cut by a plane has two cut edges: neighbours on that section's loop
    tri = edge_tris[edge]
    node = np.repeat(np.arange(len(edge)), 2)[tri.ravel() >= 0]
    key = (np.repeat(level, 2) * len(tri_edges) + tri.ravel())[tri.ravel() >= 0]
    key_order = np.argsort(key, kind="stable")
    key, node = key[key_order], node[key_order]
    run_start = np.ones(len(key), bool)
    run_start[1:] = key[1:] != key[:-1]
    run_id = np.cumsum(run_start) - 1
    twice = np.bincount(run_id)[run_id] == 2
    pairs = node[twice].reshape(-1, 2)
    n = len(edge)
    label = connected_components(coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)),
                                 directed=False)[1] if n else np.zeros(0, int)
    val = None if values is None else values[e[:, 0]] + t[:, 0] * (values[e[:, 1]] - values[e[:, 0]])
    bounds = np.searchsorted(level, np.arange(len(zs) + 1))
    out = []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if lo == hi:
            out.append([])
            continue
        # components never span sections: a section's are numbered on from the one before's
        lab = label[lo:hi] - label[lo:hi].min()
        pts = point[lo:hi]
        if val is None:
            out.append([pts[lab == k] for k in range(lab.max() + 1)])
        else:
            out.append([(pts[lab == k], val[lo:hi][lab == k]) for k in range(lab.max() + 1)])
    return out


def shoulder_slope(verts: np.ndarray, neck_x: float, shoulder_x: float, neck_base: float) -> float:
    """A tailor's shoulder slope (cm) of the skin: its top in the plane x = neck_x (the side-neck
    point) less its top in the plane x = shoulder_x (the shoulder point), both sides averaged; tops
    between 15 cm under and 3 cm over the neck base (the head left out). Sections, not vertices: the
    skin's quads are 1-2 cm wide, and the nearest vertex's height jumped 1-2 cm at the shoulder's
    round-off."""
    drops = []
    for side in (1.0, -1.0):
        v = (verts * (side, 1.0, 1.0))[:, [1, 2, 0]]  # sectioned across x: (y, z) points
        tops = []
        for pieces in slice_stack(v, skin_triangles(), [neck_x, shoulder_x]):
            z = np.concatenate(pieces)[:, 1]
            tops.append(float(z[(z > neck_base - 15.0) & (z < neck_base + 3.0)].max()))
        drops.append(tops[0] - tops[1])
    return float(np.mean(drops))


def hull_perimeter(pts: np.ndarray) -> float:
    """Tape-measure girth of a section piece: its convex hull's perimeter."""
    if len(pts) < 3:
        return 0.0
    return float(ConvexHull(pts).area)  # in 2D, "area" is the perimeter


def girth_at(verts: np.ndarray, tris: np.ndarray, z: float, near: tuple[float, float] = (0.0, 0.0),
             arm: np.ndarray | None = None) -> float:
    """Girth of the section piece at height z whose centre is nearest ``near`` (x, y). With per-vertex
    arm weights ``arm``, section points on an arm (weight over 0.5) are left out: the tape goes
    round the torso under arms that touch it."""
    return _girth(slice_loops(verts, tris, z, arm), near, arm is not None)


def _girth(pieces: list, near: tuple[float, float], arm: bool) -> float:
    """girth_at for a section's ``pieces`` (slice_loops; with ``arm``, (points, arm weights) each)."""
    if arm:
        loops = [p[w < 0.5] for p, w in pieces]
        loops = [p for p in loops if len(p) >= 3]
    else:
        loops = [p for p in pieces if len(p) >= 3]
    if not loops:
        return 0.0
    best = min(loops, key=lambda p: np.linalg.norm(p.mean(0) - np.asarray(near)))
    return hull_perimeter(best)


def measure_heights(landmarks: dict[str, float]) -> dict[str, float]:
    """The height (cm) at which each girth in GIRTHS is measured, from mannequin.py's landmarks."""
    return {"bust": landmarks["bust"], "waist": landmarks["waist"], "hip": landmarks["hip"],
            "thigh": landmarks["crotch"] - THIGH_BELOW_CROTCH, "neck": landmarks["neck_base"] + NECK_ABOVE_BASE}


def measure(asset: Asset, verts: np.ndarray, heights: dict[str, float], tris: np.ndarray | None = None
            ) -> dict[str, float]:
    """{girth name: cm} of the skin (or of ``tris``) at the given heights (thigh: the left leg)."""
    tris = skin_triangles() if tris is None else tris
    arm = np.zeros(len(verts))
    arm[: asset.n_mesh] = _arm_weight() if asset is load_asset() else asset.chain_weight(ARM_BONES)
    out = {}
    sections = slice_stack(verts, tris, list(heights.values()), arm)  # every height at once
    for k, pieces in zip(heights, sections, strict=True):
        if k == "thigh":
            out[k] = _girth([p for p, _ in pieces], (_leg_x(asset, verts), 0.0), False)
        else:
            out[k] = _girth(pieces, (0.0, 0.0), True)
    return out


@lru_cache(maxsize=1)
def skin_triangles() -> np.ndarray:
    """Triangles of the skin (the eyes left out): what sections and the push-out see. Read only:
    shared by every caller."""
    a = load_asset()
    q = a.quads[(a.quads < a.eye_first).all(1)]
    tris = np.ascontiguousarray(np.concatenate([q[:, [0, 1, 2]], q[:, [0, 2, 3]]]), np.int64)
    tris.setflags(write=False)
    return tris


@lru_cache(maxsize=1)
def _arm_weight() -> np.ndarray:
    """The asset's arm weight per mesh vertex (every measure wants it; read only)."""
    w = load_asset().chain_weight(ARM_BONES)
    w.setflags(write=False)
    return w


@lru_cache(maxsize=1)
def _skin_edge_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tris = skin_triangles()
    return _edge_tables(tris.tobytes(), len(tris))


def _leg_x(asset: Asset, verts: np.ndarray) -> float:
    return float(0.5 * (asset.head(verts, "mixamorig:LeftUpLeg")[0] + asset.head(verts, "mixamorig:LeftLeg")[0]))


# --- landmarks and the vertical remap ------------------------------------------------------------
def natural_landmarks(asset: Asset, verts: np.ndarray) -> dict[str, float]:
    """Heights (cm) of the knee, crotch, bust point, neck base and crown of a base-pose body."""
    skin = verts[: asset.eye_first]
    knee = 0.5 * (asset.head(verts, "mixamorig:LeftLeg")[2] + asset.head(verts, "mixamorig:RightLeg")[2])
    neck = float(asset.head(verts, "mixamorig:Neck")[2])
    top = float(skin[:, 2].max())
    mid = skin[(np.abs(skin[:, 0]) < 0.6) & (skin[:, 2] > knee) & (skin[:, 2] < neck)]
    crotch = float(mid[:, 2].min())  # the lowest skin on the centre line between the knees and the neck
    chest = skin[(np.abs(skin[:, 0]) < 12.0) & (skin[:, 2] > crotch + 0.5 * (neck - crotch)) & (skin[:, 2] < neck)]
    bust = float(chest[np.argmin(chest[:, 1]), 2])  # the most forward point of the chest
    return {"knee": float(knee), "crotch": crotch, "bust": bust, "neck_base": neck, "height": top}


def remap_heights(verts: np.ndarray, src: dict[str, float], dst: dict[str, float]) -> np.ndarray:
    """Move every vertex's z by the smooth monotone map taking the ``src`` landmarks to ``dst``."""
    keys = REMAP_KEYS
    x = np.array([0.0] + [src[k] for k in keys])
    y = np.array([0.0] + [dst[k] for k in keys])
    f = PchipInterpolator(x, y, extrapolate=True)
    out = verts.copy()
    out[:, 2] = f(verts[:, 2])
    return out


# --- posing -------------------------------------------------------------------------------------
def _rot(axis: np.ndarray, angle: float) -> np.ndarray:
    axis = axis / np.linalg.norm(axis)
    x, y, z = axis
    c, s = np.cos(angle), np.sin(angle)
    K = np.array([[0, -z, y], [z, 0, -x], [-y, x, 0]])
    return np.eye(3) + s * K + (1 - c) * K @ K


def pose_transforms(asset: Asset, verts: np.ndarray, local: dict[str, np.ndarray],
                    stretch: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(bones, 4, 4) rest -> posed world transforms and their rotations alone; ``local``: bone ->
    rotation about its head; ``stretch``: bone -> factor that lengthens it along its own axis (its
    children are carried out to its new tail, not stretched: a longer forearm, the same hand)."""
    G = np.zeros((len(asset.bones), 4, 4))
    rigid = np.zeros_like(G)  # what children inherit: the rotations, and the stretch as a shift
    stretch = stretch or {}
    for i, (b, p) in enumerate(zip(asset.bones, asset.parents, strict=True)):
        parent = rigid[asset.bones.index(p)] if p else np.eye(4)
        R, k = local.get(b), stretch.get(b, 1.0)
        if R is None and k == 1.0:
            G[i] = rigid[i] = parent
            continue
        h = asset.head(verts, b)
        R = np.eye(3) if R is None else R
        M = np.eye(4)
        M[:3, :3] = R
        M[:3, 3] = h - R @ h
        rigid[i] = G[i] = parent @ M
        if k != 1.0:
            bone = _child_head(asset, verts, b) - h
            u = bone / np.linalg.norm(bone)
            S = np.eye(4)
            S[:3, :3] += (k - 1.0) * np.outer(u, u)
            S[:3, 3] = h - S[:3, :3] @ h
            G[i] = G[i] @ S
            shift = np.eye(4)
            shift[:3, 3] = (k - 1.0) * bone
            rigid[i] = rigid[i] @ shift
    return G, rigid


def _child_head(asset: Asset, verts: np.ndarray, bone: str) -> np.ndarray:
    """Where the bone's (first) child starts: its joint at the far end (the elbow for the upper arm)."""
    child = asset.bones[asset.parents.index(bone)]
    return asset.head(verts, child)


def skin(asset: Asset, verts: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Linear blend skinning of the mesh; each bone's head by its parent, tail by itself. Only the
    bones that move are evaluated (the A-pose turns the arms alone)."""
    n = asset.n_mesh
    h = np.column_stack([verts, np.ones(len(verts))])
    out = verts.copy()
    # np.allclose to the identity, all bones at once (bone by bone it was a third of a posing)
    moving = np.nonzero(~np.all(np.abs(G - np.eye(4)) <= 1e-8 + 1e-5 * np.eye(4), axis=(1, 2)))[0].tolist()
    if moving:
        w = asset.weights[:, moving]
        rows = np.nonzero(w.sum(1) > 0)[0]
        posed = np.einsum("bij,nj->nbi", G[moving, :3, :], h[rows])  # (rows, moving, 3)
        out[rows] += np.einsum("nb,nbi->ni", w[rows], posed - verts[rows, None, :])
    for i, p in enumerate(asset.parents):
        Gp = G[asset.bones.index(p)] if p else np.eye(4)
        out[n + 2 * i] = (Gp @ h[n + 2 * i])[:3]
        out[n + 2 * i + 1] = (G[i] @ h[n + 2 * i + 1])[:3]
    return out


def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction a to direction b."""
    a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    axis = np.cross(a, b)
    s = np.linalg.norm(axis)
    if s < 1e-9:
        return np.eye(3)
    return _rot(axis, float(np.arctan2(s, a @ b)))


def a_pose(asset: Asset, verts: np.ndarray, arm_angle_deg: float,
           reach: tuple[np.ndarray, float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(posed vertices, transforms, their rotations): each arm straightened and hung in the frontal
    plane at ``arm_angle_deg`` from the vertical (the analytic mannequin's arm angle). The base mesh
    holds its arms 47 degrees down with the elbows bent and the hands 13 cm forward.
    reach: (left shoulder point, arm length): upper arm and forearm lengthen alike so the wrist lies
    that far from the shoulder point (mirrored for the right arm). The asset's arms are ~20 % shorter
    than tailoring's arm length (shoulder point to wrist, 0.345 of the stature): a sleeve cut to it
    would end over the fingers."""
    local, stretch = {}, {}
    a = np.radians(arm_angle_deg)
    for side, sx in (("Left", 1.0), ("Right", -1.0)):
        target = np.array([sx * np.sin(a), 0.0, -np.cos(a)])
        sh, el, wr = (asset.head(verts, f"mixamorig:{side}{b}") for b in ("Arm", "ForeArm", "Hand"))
        R_upper = _rotation_between(el - sh, target)
        local[f"mixamorig:{side}Arm"] = R_upper
        # the forearm's rotation is applied before its parent's: aim it at the target seen from there
        local[f"mixamorig:{side}ForeArm"] = _rotation_between(wr - el, R_upper.T @ target)
        if reach is not None:
            point = np.asarray(reach[0], float) * [sx, 1.0, 1.0]
            k = _arm_stretch(sh, target, float(np.linalg.norm(el - sh) + np.linalg.norm(wr - el)), point,
                             float(reach[1]))
            stretch[f"mixamorig:{side}Arm"] = stretch[f"mixamorig:{side}ForeArm"] = k
    G, rigid = pose_transforms(asset, verts, local, stretch)
    return skin(asset, verts, G), G, rigid


def _arm_stretch(shoulder: np.ndarray, direction: np.ndarray, length: float, point: np.ndarray,
                 reach: float) -> float:
    """Factor k (at least 1) putting the straight arm's wrist, shoulder + k * length * direction,
    ``reach`` from ``point``: the larger root of |shoulder - point + k length d|^2 = reach^2."""
    o = shoulder - point
    b, c = float(o @ direction) * length, float(o @ o) - reach**2
    disc = b * b - length**2 * c
    if disc <= 0:
        return 1.0
    return max(1.0, (-b + np.sqrt(disc)) / length**2)


def _factor(zs: list[float], ss: list[float], z: np.ndarray) -> np.ndarray:
    """Smooth scale factor through the stations (z, s); 1 outside them."""
    order = np.argsort(zs)
    zz, sv = np.asarray(zs, float)[order], np.asarray(ss, float)[order]
    keep = np.concatenate([[True], np.diff(zz) > 0.5])
    f = PchipInterpolator(zz[keep], sv[keep], extrapolate=False)(z)
    return np.where(np.isnan(f), 1.0, f)


def radial_correction(asset: Asset, verts: np.ndarray, heights: dict[str, float],
                      scale: dict[str, float], landmarks: dict[str, float]) -> np.ndarray:
    """Scale sections about the torso axis by a smooth factor that is ``scale[k]`` at each torso girth's
    height and 1 at the crown and below the crotch; then the thighs about their own axes (1 at the hip
    and the knee). The arms follow the shoulder they hang from (moved, not scaled); the bone ends
    move with the skin they carry."""
    n = asset.n_mesh
    top = landmarks["height"]
    zt = [heights["thigh"] - 4.0, heights["hip"], heights["waist"], heights["bust"], heights["neck"], top - 12.0]
    st = [1.0, scale["hip"], scale["waist"], scale["bust"], scale["neck"], 1.0]
    if "high_bust" in scale:  # the rib cage's own factor over and under the bust (MAX_CUP_DIFFERENCE)
        zt += [heights["high_bust"], heights["bust"] - UNDERBUST_BELOW_BUST]
        st += [scale["high_bust"], scale["high_bust"]]
    hips, neck = asset.head(verts, "mixamorig:Hips"), asset.head(verts, "mixamorig:Neck")

    def torso(p: np.ndarray) -> np.ndarray:
        f = _factor(zt, st, p[:, 2])
        cy = np.interp(p[:, 2], [hips[2], neck[2]], [hips[1], neck[1]])
        out = p.copy()
        out[:, 0] *= f
        out[:, 1] = cy + (p[:, 1] - cy) * f
        return out

    moved = torso(verts[:n])
    zl, sl = [landmarks["knee"], heights["thigh"], heights["hip"]], [1.0, scale["thigh"], 1.0]
    for side, sx in (("Left", 1.0), ("Right", -1.0)):
        hip_j, knee_j = torso(asset.head(verts, f"mixamorig:{side}UpLeg")[None])[0], asset.head(
            verts, f"mixamorig:{side}Leg")
        t = np.clip((moved[:, 2] - hip_j[2]) / (knee_j[2] - hip_j[2]), -1.0, 1.0)
        c = hip_j[:2] + t[:, None] * (knee_j[:2] - hip_j[:2])
        f = _factor(zl, sl, moved[:, 2])
        leg = moved.copy()
        leg[:, :2] = c + (moved[:, :2] - c) * f[:, None]
        w = asset.side_weight(LEG_BONES, side)
        moved += w[:, None] * (leg - moved)
        sh = asset.head(verts, f"mixamorig:{side}Arm")
        shift = torso(sh[None])[0] - sh
        # only the arm proper moves rigidly: the chest and the armpit carry some arm weight too,
        # and keeping them out of the torso's scale creased the chest along that weight's edge
        w = np.clip(2.0 * asset.side_weight(ARM_BONES, side) - 1.0, 0.0, 1.0)
        arm = w * w * (3 - 2 * w) * (np.sign(verts[:n, 0]) == sx)
        moved += arm[:, None] * (verts[:n] + shift - moved)
    out = verts.copy()
    out[:n] = moved
    # each bone end moves as the skin it carries does (weighted mean displacement)
    disp = moved - verts[:n]
    wsum = asset.weights.sum(0)
    bone_disp = (asset.weights.T @ disp) / np.maximum(wsum, 1e-9)[:, None]
    out[n::2] += bone_disp
    out[n + 1::2] += bone_disp
    return out


# --- the shoulder slope -------------------------------------------------------------------------
def lift_shoulders(asset: Asset, verts: np.ndarray, lift: float, neck_x: float, shoulder_x: float,
                   landmarks: dict[str, float]) -> np.ndarray:
    """Raise (lift > 0; lower, lift < 0) the shoulders of a base-pose body by ``lift`` cm at the
    shoulder point, the neck where it is: a vertical shift, smooth across the shoulder from 1 cm inside
    the side-neck point x = ``neck_x`` (0) to the shoulder point x = ``shoulder_x`` or the shoulder
    joint, the further out (1, and 1 beyond), and up the body from the bust line (0) to the shoulder
    joint (1) and from 2 to 8 cm over the neck base (1) to 0 (the head stays). The arms move whole,
    by ``lift``, with their joints: moved as the skin at their joints (0.4 of the lift at size XXL,
    whose joint is 8 cm inside its shoulder point) the shoulder's top rose off the arm under it into
    horns at a 2 cm slope; ramped to the joint instead, a square shoulder stood 4 cm over the neck.
    The shift is then smoothed (SLOPE_SMOOTHING rounds of neighbour averaging) from the arms over the
    torso's side, where the armpit's skin passes from torso to arm weight in a few centimetres: at
    size XXL's front a 2 cm slope creased it. Bone ends move with the skin they carry, the arms' with
    the arm."""
    n = asset.n_mesh
    nb, bust = landmarks["neck_base"], landmarks["bust"]
    joint_z = float(asset.head(verts, "mixamorig:LeftArm")[2])
    out_x = max(float(asset.head(verts, "mixamorig:LeftArm")[0]), shoulder_x)
    p = verts[:n]
    across = shoulder_share(np.abs(p[:, 0]), neck_x, out_x)
    up = smoothstep((p[:, 2] - bust) / (joint_z - bust)) * (1.0 - smoothstep((p[:, 2] - nb - 2.0) / 6.0))
    dz = lift * across * up
    arm = smoothstep(2.0 * asset.chain_weight(ARM_BONES) - 1.0)
    dz += arm * (lift - dz)
    # smoothed from the arm over the torso's side; the neck's side held: smoothed too, the lifted
    # trapezius reached the neck girth's section and its correction pulled size XXL's shoulders in
    # to 12 cm apart
    torso = (np.abs(p[:, 0]) > neck_x + 2.0) & (p[:, 2] > bust) & (p[:, 2] < nb)
    held = (arm > 0.99) | ((arm < 0.01) & ~torso)
    A = _skin_neighbours()
    for _ in range(SLOPE_SMOOTHING):
        dz = np.where(held, dz, A @ dz)
    out = verts.copy()
    out[:n, 2] += dz
    bone_dz = (asset.weights.T @ dz) / np.maximum(asset.weights.sum(0), 1e-9)
    moved_whole = [i for i, b in enumerate(asset.bones) if any(k in b.split(":")[-1] for k in ARM_BONES)]
    bone_dz[moved_whole] = lift
    out[n::2, 2] += bone_dz
    out[n + 1::2, 2] += bone_dz
    return out


@lru_cache(maxsize=1)
def _skin_neighbours():
    """(n_mesh, n_mesh) sparse matrix averaging each mesh vertex's skin neighbours (itself where it has
    none: the eyes)."""
    from scipy.sparse import csr_matrix, diags

    n = load_asset().n_mesh
    e, _, _ = _skin_edge_tables()
    rows, cols = np.concatenate([e[:, 0], e[:, 1]]), np.concatenate([e[:, 1], e[:, 0]])
    A = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    deg = np.asarray(A.sum(1)).ravel()
    return (diags(1.0 / np.maximum(deg, 1)) @ A + diags((deg == 0).astype(float))).tocsr()


# --- the whole build ----------------------------------------------------------------------------
@dataclass
class HumanBody:
    """The shaped, A-posed MakeHuman mannequin: mesh (cm), skeleton, skin weights, measurements."""

    verts: np.ndarray  # (n, 3) cm, the mesh (skin then eyes)
    quads: np.ndarray
    joints: dict[str, tuple[np.ndarray, np.ndarray]]  # bone -> (head, tail) cm, posed
    parents: dict[str, str]
    rolls: dict[str, float]  # base-pose edit-bone roll
    pose: dict[str, np.ndarray]  # bone -> (3, 3) rotation from the base pose to this A-pose
    weights: np.ndarray  # (n, bones)
    bones: tuple[str, ...]
    girths: dict[str, float]  # measured
    targets: dict[str, float]  # requested
    heights: dict[str, float]  # where each girth was measured
    sliders: dict[str, float] = field(default_factory=dict)  # the solved macro sliders (0..1)
    rest_joints: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # base pose
    correction: dict[str, float] = field(default_factory=dict)  # radial factor left to each girth
    arm_angle: float = 0.0  # degrees from the vertical

    @property
    def triangles(self) -> np.ndarray:
        q = self.quads
        return np.concatenate([q[:, [0, 1, 2]], q[:, [0, 2, 3]]])

    def report(self) -> dict:
        """For assembly.json: the asset, the solved sliders, measured girths and their errors."""
        return {"model": "MakeHuman hm08 (CC0), Mixamo rig",
                "sliders": {k: round(v, 3) for k, v in self.sliders.items()},
                "girths_cm": {k: round(v, 2) for k, v in self.girths.items()},
                "girth_errors_pct": {k: round(100 * v, 3) for k, v in self.errors().items()},
                "correction": {k: round(v, 4) for k, v in self.correction.items()}, "bones": len(self.bones),
                "arm_angle_deg": self.arm_angle}

    def errors(self) -> dict[str, float]:
        """Relative girth error per measurement (measured / requested - 1), and the height's."""
        out = {k: self.girths[k] / self.targets[k] - 1.0 for k in GIRTHS}
        out["height"] = float(self.verts[:, 2].max() / self.targets["height"] - 1.0)
        return out


def arms_clear(asset: Asset, verts: np.ndarray, heights: dict[str, float]) -> bool:
    """True when sections from the waist up to 2 cm under the bust line show the torso and both arms
    apart (the armpit's crease is a few cm above the bust line), and ARMPIT_DROP under the armpit
    the arms hang at least ARM_CLEARANCE from the torso."""
    zs = np.linspace(heights["waist"], heights["bust"] - ARMPIT_BELOW_BUST, 5)
    if any(sum(len(p) >= 3 for p in loops) < 3 for loops in slice_stack(verts, skin_triangles(), zs)):
        return False
    return arm_gap(verts, armpit_height(verts, heights) - ARMPIT_DROP) >= ARM_CLEARANCE


def arm_gaps(verts: np.ndarray, z: float) -> tuple[float, float] | None:
    """(left, right) horizontal distance (cm) from each arm's section to the torso's at height z;
    None where an arm's section is not apart from the torso's there."""
    loops = [p for p in slice_loops(verts, skin_triangles(), z) if len(p) >= 3]
    if len(loops) < 3:
        return None
    torso = min(loops, key=lambda p: float(np.linalg.norm(p.mean(0))))
    out = []
    for sx in (1.0, -1.0):  # the section nearest the torso on that side: the arm (the hand hangs lower)
        side = [p for p in loops if p is not torso and sx * p.mean(0)[0] > 0]
        if not side:
            return None
        out.append(min(float(np.linalg.norm(p[:, None] - torso[None], axis=2).min()) for p in side))
    return out[0], out[1]


def arm_gap(verts: np.ndarray, z: float) -> float:
    """The smaller of the two arms' gaps to the torso at height z (0 where one touches it)."""
    g = arm_gaps(verts, z)
    return 0.0 if g is None else min(g)


def armpit_height(verts: np.ndarray, heights: dict[str, float], step: float = 0.5) -> float:
    """The highest height, going up from 2 cm under the bust line in ``step`` cm (at most to the
    first step past the neck), at which both arms' sections are still apart from the torso's: the
    armpit (where the arm joins the torso). Found by bisection over those steps: the sections are
    apart up to the armpit and fused from there to the neck (XS..XXL, female and male, at every arm
    angle build_human tries: the same height as a section every step up, with 6 sections, not 15-18)."""
    zs = [heights["bust"] - ARMPIT_BELOW_BUST]
    while zs[-1] < heights["neck"]:  # summed step by step, as a walk up them would
        zs.append(zs[-1] + step)
    apart, fused = 0, len(zs)  # the start counts as apart, past the last step as fused
    while fused - apart > 1:
        mid = (apart + fused) // 2
        if arm_gaps(verts, zs[mid]) is not None:
            apart = mid
        else:
            fused = mid
    return zs[apart]


def _log_errors(asset, verts, heights, target) -> np.ndarray:
    got = measure(asset, verts, heights)
    return np.array([np.log(max(got[k], 1.0) / target[k]) for k in GIRTHS])


def fit_sliders(residual, n: int, steps: int = 6, h: float = 0.1) -> np.ndarray:
    """Sliders in [0, 1] minimising |residual(x)|: damped Gauss-Newton from 0.5 on a finite-difference
    Jacobian kept up to date by Broyden's rule (n + 1 + steps evaluations, each a posed body and
    five sections: ~0.5 s instead of scipy's ~100 evaluations for the same few-% answer)."""
    x = np.full(n, 0.5)
    r = residual(x)
    J = np.column_stack([(residual(x + h * np.eye(n)[i]) - r) / h for i in range(n)])
    lam = 1e-3
    for _ in range(steps):
        dx = np.linalg.solve(J.T @ J + lam * np.eye(n), -J.T @ r)
        x_new = np.clip(x + dx, 0.0, 1.0)
        step = x_new - x
        if not step.any():
            break
        r_new = residual(x_new)
        J += np.outer(r_new - r - J @ step, step) / (step @ step)
        if r_new @ r_new < r @ r:
            x, r, lam = x_new, r_new, lam / 4
        else:
            lam *= 8
    return x


def build_human(meas: dict[str, float], landmarks: dict[str, float], preset: str = "female",
                arm_angle_deg: float = 38.0, iterations: int = 8, reach=None) -> HumanBody:
    """The MakeHuman mannequin for ``meas`` (core.spec.body_measurements) with its landmark heights
    at ``landmarks`` (mannequin.Body.landmarks) and the arms at ``arm_angle_deg`` from the vertical;
    reach: (left shoulder point, arm length) the arms are lengthened to (see a_pose)."""
    asset = load_asset()
    gender = "male" if preset == "male" else "female"
    target = {k: float(meas[k]) for k in GIRTHS} | {"height": float(meas["height"])}
    heights = measure_heights(landmarks)
    # where the tape goes round the high bust (spec.SIZE_TABLE): measured with the girths, a female
    # body's cup held to MAX_CUP_DIFFERENCE by it
    chest = heights | ({"high_bust": float(landmarks["underarm"]) + HIGH_BUST_ABOVE_UNDERARM}
                       if gender == "female" and "underarm" in landmarks else {})
    dst = {k: float(landmarks[k]) for k in REMAP_KEYS} | {"knee": float(landmarks["knee"])}

    names = ("muscle", "weight", "proportions", "cup")[: 4 if gender == "female" else 3]
    src = natural_landmarks(asset, shaped(asset, gender))

    def body_for(x: np.ndarray, src: dict[str, float]) -> np.ndarray:
        v = shaped(asset, gender, **dict(zip(names, x, strict=True)))
        return remap_heights(v, src, dst)

    # macro sliders: closest girths in the A-pose (in the base pose a heavy body's arms touch its
    # sides at the bust); the landmarks of the average body stand in for each trial's (they move little)
    x = fit_sliders(lambda x: _log_errors(asset, a_pose(asset, body_for(x, src), arm_angle_deg, reach)[0],
                                          heights, target), len(names))
    v = shaped(asset, gender, **dict(zip(names, x, strict=True)))
    v = remap_heights(v, natural_landmarks(asset, v), dst)

    def posed_body(v: np.ndarray, angle: float):
        """(body, rotations, girth factors, arm angle) of base-pose body v posed from ``angle`` up."""
        while True:  # the arms hang clear of the torso below the armpit, further out on a heavy body
            posed, G, rigid = a_pose(asset, v, angle, reach)
            scale = dict.fromkeys(GIRTHS, 1.0)
            out = posed
            for _ in range(iterations):  # fixed point: each factor by its girth's remaining ratio
                got = measure(asset, out, chest)
                if "high_bust" in got and "high_bust" not in scale and \
                        got["high_bust"] / got["bust"] < 1.0 - MAX_CUP_DIFFERENCE / target["bust"]:
                    # a cup past a real block's: the rib cage gets its own factor, starting from the
                    # curve's at the high bust
                    z = np.array([chest["high_bust"]])
                    scale["high_bust"] = float(_factor([heights["bust"], heights["neck"]],
                                                       [scale["bust"], scale["neck"]], z)[0])
                want = target | {"high_bust": target["bust"] - MAX_CUP_DIFFERENCE}
                if all(abs(got[k] / want[k] - 1) < 0.004 for k in scale):
                    break
                for k in scale:
                    scale[k] *= want[k] / max(got[k], 1.0)
                out = radial_correction(asset, posed, chest, scale, dst)
            if angle >= MAX_ARM_ANGLE or arms_clear(asset, out, heights):
                return out, rigid, scale, angle
            angle += 4.0

    out, rigid, scale, angle = posed_body(v, arm_angle_deg)
    if "shoulder_slope" in meas:
        v, (out, rigid, scale, angle) = _fit_slope(asset, v, (out, rigid, scale, angle), posed_body, meas,
                                                   landmarks)
    girths = measure(asset, out, heights)
    n = asset.n_mesh
    joints = {b: (out[n + 2 * i], out[n + 2 * i + 1]) for i, b in enumerate(asset.bones)}
    pose = {b: rigid[i, :3, :3] for i, b in enumerate(asset.bones)}
    rest = {b: (v[n + 2 * i], v[n + 2 * i + 1]) for i, b in enumerate(asset.bones)}
    return HumanBody(out[:n], asset.quads, joints, dict(zip(asset.bones, asset.parents, strict=True)),
                     dict(zip(asset.bones, asset.rolls.tolist(), strict=True)), pose, asset.weights,
                     asset.bones, girths, target, heights,
                     dict(zip(names, map(float, x), strict=True)), rest, scale, angle)


def body_slope(verts: np.ndarray, meas: dict[str, float], landmarks: dict[str, float]) -> float:
    """shoulder_slope of a built body for its measurements (side-neck point to shoulder point)."""
    from ..spec import side_neck_x

    sw = float(meas["shoulder_width"])
    return shoulder_slope(verts, side_neck_x(float(meas["neck"]), sw), sw / 2, float(landmarks["neck_base"]))


def _fit_slope(asset: Asset, v: np.ndarray, built: tuple, posed_body, meas: dict[str, float],
               landmarks: dict[str, float]) -> tuple[np.ndarray, tuple]:
    """(base-pose body, posed_body's answer) with the shoulder slope meas["shoulder_slope"]: the body's
    own where within SLOPE_TOLERANCE of it, else lift_shoulders by the lift found by the secant rule
    on the posed, girth-corrected body's slope (1-4 posings)."""
    from ..spec import side_neck_x

    want = float(meas["shoulder_slope"])
    sw = float(meas["shoulder_width"])
    neck_x = side_neck_x(float(meas["neck"]), sw)
    got = body_slope(built[0], meas, landmarks)
    if abs(got - want) <= SLOPE_TOLERANCE:
        return v, built
    lift0, got0 = 0.0, got
    lift = got - want
    best = (abs(got - want), v, built)
    for _ in range(4):
        v1 = lift_shoulders(asset, v, lift, neck_x, sw / 2, landmarks)
        b1 = posed_body(v1, built[3])
        got1 = body_slope(b1[0], meas, landmarks)
        if abs(got1 - want) < best[0]:
            best = (abs(got1 - want), v1, b1)
        if abs(got1 - want) <= SLOPE_FIT or abs(got1 - got0) < 1e-6:
            break
        lift0, got0, lift = lift, got1, lift + (got1 - want) * (lift - lift0) / (got0 - got1)
    return best[1], best[2]


# --- tying the analytic mannequin (wrap) to the shown one --------------------------------------
@lru_cache(maxsize=8)
def _human_cached(key: tuple, landmarks_key: tuple, preset: str, arm_angle: float, reach: tuple) -> HumanBody:
    return build_human(dict(key), dict(landmarks_key), preset, arm_angle, reach=(np.array(reach[0]), reach[1]))


def human_for_body(body) -> HumanBody:
    """The MakeHuman mannequin for a mannequin.Body (same measurements, landmarks, preset and arm
    angle); cached, so the refinement loop's rebuilds of one body cost nothing."""
    from ..proportions import ARM_LENGTH
    from .mannequin import PRESETS

    key = tuple(sorted((k, round(float(v), 3)) for k, v in body.measurements.items()))
    lm = tuple(sorted((k, round(float(v), 3)) for k, v in body.landmarks.items()))
    arm = body.measurements.get("arm_length", ARM_LENGTH * body.landmarks["height"])
    reach = (tuple(round(float(c), 3) for c in body.points["shoulder_left"]), round(float(arm), 3))
    return _human_cached(key, lm, body.preset, float(PRESETS[body.preset]["arm_angle"]), reach)


def attach_human(body, human: HumanBody | None = None) -> HumanBody:
    """Make ``body`` (a mannequin.Body) describe the shown MakeHuman mannequin where the wrap needs it:
    arm and leg axes through the rig's joints, the head ellipsoid around the real head, and the
    inside test / push-out against the real skin. The torso sections stay analytic (same girths)."""
    human = human or human_for_body(body)
    J = {b.split(":")[-1]: ht for b, ht in human.joints.items()}
    for side, s in (("left", "Left"), ("right", "Right")):
        arm = body.arms[side]
        sh, wr = J[f"{s}Arm"][0], J[f"{s}Hand"][0]
        length = float(np.linalg.norm(wr - sh))
        arm.t = arm.t * (length / float(arm.t[5]))  # station 5 is the wrist
        arm.p0, arm.d = sh.copy(), (wr - sh) / length
        body.points[f"wrist_{side}"] = wr.tolist()
        body.points[f"arm_axis_{side}"] = [arm.p0.tolist(), arm.d.tolist()]
        leg = body.legs[side]
        hip, ankle = J[f"{s}UpLeg"][0], J[f"{s}Foot"][0]
        d = (ankle - hip) / np.linalg.norm(ankle - hip)
        z_top = float(leg.p0[2])  # the analytic leg starts at the hip height; keep its stations' heights
        heights = z_top + leg.t * float(leg.d[2])
        leg.p0 = hip + d * ((z_top - hip[2]) / d[2])
        leg.d = d
        leg.t = (heights - z_top) / d[2]
        body.points[f"ankle_{side}"] = ankle.tolist()
        body.points[f"leg_axis_{side}"] = [leg.p0.tolist(), leg.d.tolist()]
    head = human.verts[human.weights[:, human.bones.index("mixamorig:Head")] > 0.99]
    head = head[head[:, 2] > J["Head"][0][2]]
    lo, hi = head.min(0), head.max(0)
    body.head_center = 0.5 * (lo + hi)
    body.head_axes = 0.5 * (hi - lo)
    zs, hulls = torso_hulls(human, body.landmarks["crotch"] + 2.0, body.landmarks["neck_base"])
    body.surface = body_surface(human, zs, hulls)
    body.outline_z = zs
    body.outline_pts, body.outline_cy = torso_outlines(hanging(zs, hulls, body.landmarks["waist"]))
    body.human = human
    return human


def torso_hulls(human: HumanBody, z0: float, z1: float, step: float = 1.0) -> tuple[np.ndarray, list[np.ndarray]]:
    """(heights, CCW convex outline of the torso's section at each), arms left out, from z0 to z1."""
    asset = load_asset()
    tris = skin_triangles()
    arm = asset.chain_weight(ARM_BONES)
    zs, hulls = [], []
    heights = np.arange(z0, z1 + 1e-6, step)
    for z, pieces in zip(heights, slice_stack(human.verts, tris, heights, arm), strict=True):
        loops = [p[w < 0.5] for p, w in pieces]
        loops = [p for p in loops if len(p) >= 3]
        if not loops:
            continue
        best = min(loops, key=lambda p: np.linalg.norm(p.mean(0)))
        # with the loops the breasts' undersides make on their own just under the bust (inside the
        # torso's width): left out, a size L section 1 cm under them was 15 cm shorter round and
        # 3 cm less deep than the one above, and cloth laid over it tucked in under the bust
        lo, hi = best[:, 0].min(), best[:, 0].max()
        pts = np.concatenate([p for p in loops if lo < p[:, 0].mean() < hi])
        h = ConvexHull(pts)
        zs.append(z)
        hulls.append(pts[h.vertices])
    return np.array(zs), hulls


def hanging(zs: np.ndarray, hulls: list[np.ndarray], waist: float) -> list[np.ndarray]:
    """The sections as cloth laid over the bust meets them: from the bust's most forward section
    down to the waist, each one widened to the straight line (per ray from the centre front round)
    from that section to the waist's, so the cloth falls from the apex instead of tucking in under
    it (the sections step 3 cm back within 2 cm under a size L bust)."""
    pts, cys = torso_outlines(hulls)
    front = pts[:, 0, 1] + cys
    rows = np.nonzero((zs > waist) & (zs < waist + 40.0))[0]
    w = int(np.argmin(np.abs(zs - waist)))
    if len(rows) == 0 or abs(zs[w] - waist) > 1.0:
        return hulls
    a = int(rows[np.argmin(front[rows])])
    out = list(hulls)
    for k in range(w + 1, a):
        t = (zs[a] - zs[k]) / (zs[a] - zs[w])
        line = (1 - t) * pts[a] + t * pts[w] + [0.0, (1 - t) * cys[a] + t * cys[w]]
        both = np.concatenate([hulls[k], line])
        out[k] = both[ConvexHull(both).vertices]
    return out


def torso_outlines(hulls: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each convex section sampled where the rays at OUTLINE_POINTS even angles from the centre
    front round (counter-clockwise seen from above) leave it, from a centre on the mid-plane
    (x = 0) half way between its front and back there: (points local to the centre (m, k, 2),
    centre y (m,)), what ``mannequin.Body.outline`` serves."""
    from .mannequin import OUTLINE_POINTS

    theta = np.linspace(-np.pi / 2, 3 * np.pi / 2, OUTLINE_POINTS)
    ray = np.column_stack([np.cos(theta), np.sin(theta)])
    pts, cys = [], []
    for h in hulls:
        nxt = np.roll(h, -1, axis=0)
        n = np.column_stack([nxt[:, 1] - h[:, 1], h[:, 0] - nxt[:, 0]])  # outward normals (CCW hull)
        # where the polygon crosses x = 0: its front and back there
        cross = (h[:, 0] <= 0) != (nxt[:, 0] <= 0)
        t = h[cross, 0] / np.where(cross, h[:, 0] - nxt[:, 0], 1.0)[cross]
        ys = h[cross, 1] + t * (nxt[cross, 1] - h[cross, 1])
        cy = 0.5 * (ys.min() + ys.max()) if len(ys) >= 2 else float(h[:, 1].mean())
        c = np.array([0.0, cy])
        # a convex polygon round c: along a ray it ends at the nearest edge line the ray faces
        reach = ((h - c) * n).sum(axis=1)
        facing = ray @ n.T
        dist = np.where(facing > 1e-12, reach[None] / np.maximum(facing, 1e-12), np.inf).min(axis=1)
        pts.append(ray * dist[:, None])
        cys.append(cy)
    return np.array(pts), np.array(cys)


def body_surface(human: HumanBody, zs: np.ndarray, hulls: list[np.ndarray]):
    """The skin with the torso's convex sections ``torso_hulls`` (from just above the crotch to the
    neck base)."""
    from .surface import BodySurface, HullStack, MeshSurface

    asset = load_asset()
    skin_tris = skin_triangles()
    skin = MeshSurface(human.verts[: asset.eye_first], skin_tris)
    limb = asset.chain_weight(ARM_BONES) + asset.chain_weight(LEG_BONES)
    return BodySurface(skin, HullStack(zs, hulls, skin, (limb < 0.5)[: asset.eye_first]))
