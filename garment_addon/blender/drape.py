"""Physical drape with Blender cloth: sewing springs close the seams, then gravity settles.

The garment object starts from the wrap (so sleeves are already tubes) with the seam pairs as
loose edges. The cloth's rest lengths must be the flat pattern's, not the wrap's: a rest shape key
had no effect in bpy 5.0.1 (measured: a 2x key left a patch unchanged), so each vertex gets a
shrink weight (the cloth's per-vertex shrinking, which does work, also for growth) that scales its
springs from their wrapped length back to the pattern length. Phase 1 (no gravity) closes seams,
phase 2 adds gravity. Every frame is stepped with frame_set (jumping to the last frame gives garbage).
"""

from __future__ import annotations

import bpy
import numpy as np

from ..core.progress import run_steps
from .scene import CM

COLLISION_DISTANCE = 0.004  # m: 4 mm between cloth and body
SEWING_FORCE_MAX = 25.0  # finite: an unbounded pull crushes the panels


def add_collider(body):
    """A hidden collision object for the cloth: the body's raw overlapping parts (7.5k triangles).
    The displayed mannequin is their smoothed union, 3x the faces and ~1.5x the drape time as a
    collider; the two differ by millimetres, in the crevices only."""
    from .scene import mesh_object

    verts, faces, _ = body.mesh()
    collider = mesh_object("GS_Collider", verts, faces)
    collider.hide_render = True
    collider.hide_set(True)
    collider.modifiers.new("Collision", "COLLISION")
    c = collider.collision
    c.thickness_outer = COLLISION_DISTANCE
    c.thickness_inner = 0.02
    c.cloth_friction = 5.0
    c.damping = 0.5
    return collider


def rest_scale(pos_cm: np.ndarray, flat_cm: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Per-vertex factor (flat length / wrapped length, geometric mean over its triangle edges)."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    l3 = np.linalg.norm(pos_cm[e[:, 0]] - pos_cm[e[:, 1]], axis=1)
    l2 = np.linalg.norm(flat_cm[e[:, 0]] - flat_cm[e[:, 1]], axis=1)
    lr = np.log(np.clip(l2 / np.maximum(l3, 1e-9), 0.6, 1.6))
    n = len(pos_cm)
    acc = np.bincount(e[:, 0], lr, n) + np.bincount(e[:, 1], lr, n)
    cnt = np.bincount(e[:, 0], minlength=n) + np.bincount(e[:, 1], minlength=n)
    return np.exp(acc / np.maximum(cnt, 1))


ISOLATION = "GS_Cloth_Only"  # collections that limit our cloth to our collider and no force fields


def isolate(mod, collider) -> None:
    """Let the cloth see only our collider and no force field, whatever is in the user's scene."""
    cols = bpy.data.collections
    only = cols.get(f"{ISOLATION}_colliders") or cols.new(f"{ISOLATION}_colliders")
    if collider.name not in only.objects:
        only.objects.link(collider)
    mod.collision_settings.collection = only
    mod.settings.effector_weights.collection = cols.get(f"{ISOLATION}_fields") or cols.new(f"{ISOLATION}_fields")


def remove_isolation() -> None:
    for suffix in ("_colliders", "_fields"):
        col = bpy.data.collections.get(ISOLATION + suffix)
        if col is not None:
            bpy.data.collections.remove(col)


def setup_cloth(garment, scale: np.ndarray, frames: tuple[int, int], quality: int = 10, pin=None):
    """Cloth modifier with sewing springs; ``scale`` (from rest_scale) restores the pattern's rest
    lengths; ``pin``: per-vertex pin weights in [0, 1] (1: held in place, e.g. a waistband: nothing
    else keeps trousers up; between: pulled softly back to the start) or vertex indices to hold."""
    mod = garment.modifiers.new("Cloth", "CLOTH")
    s = mod.settings
    s.quality = quality
    s.mass = 0.15
    s.air_damping = 1.0
    s.tension_stiffness = s.compression_stiffness = 15.0
    s.shear_stiffness = 5.0
    s.bending_stiffness = 0.05
    s.use_sewing_springs = True
    s.sewing_force_max = SEWING_FORCE_MAX
    lo, hi = float(scale.min()), float(scale.max())
    if hi - lo > 1e-4:
        # spring rest length = wrapped length * (1 - shrink); shrink runs from shrink_min (weight 0)
        # to shrink_max (weight 1), and Blender keeps shrink_max >= shrink_min: weight 0 = largest scale
        vg = garment.vertex_groups.new(name="GS_Rest")
        w = (hi - scale) / (hi - lo)
        for value in np.unique(np.round(w, 2)):
            idx = np.nonzero(np.isclose(np.round(w, 2), value))[0]
            vg.add(idx.tolist(), float(value), "REPLACE")
        s.vertex_group_shrink = vg.name
        s.shrink_min, s.shrink_max = 1.0 - hi, 1.0 - lo
    else:
        s.shrink_min = 1.0 - lo
    s.use_pressure = False
    weights = pin_weights(pin, len(scale))
    if weights.any():
        vg = garment.vertex_groups.new(name="GS_Pin")
        for value in np.unique(np.round(weights[weights > 0], 2)):
            vg.add(np.nonzero(np.isclose(np.round(weights, 2), value))[0].tolist(), float(value), "REPLACE")
        s.vertex_group_mass = vg.name
        s.pin_stiffness = 1.0
    cs = mod.collision_settings
    cs.distance_min = COLLISION_DISTANCE
    cs.collision_quality = 1  # 2-3 triple the drape time for no visible gain here
    cs.use_self_collision = False
    pc = mod.point_cache
    pc.frame_start, pc.frame_end = 1, frames[0] + frames[1] + 1
    # gravity off while the seams close, then on (keyed, so the cache is not reset mid-run)
    ew = s.effector_weights
    ew.gravity = 0.0
    ew.keyframe_insert("gravity", frame=1)
    ew.keyframe_insert("gravity", frame=frames[0])
    ew.gravity = 1.0
    ew.keyframe_insert("gravity", frame=frames[0] + 6)
    return mod


def pin_weights(pin, n: int) -> np.ndarray:
    """(n,) weights from per-vertex weights, vertex indices (weight 1) or None."""
    if pin is None or len(pin) == 0:
        return np.zeros(n)
    pin = np.asarray(pin)
    if pin.dtype.kind == "f" and len(pin) == n:
        return np.clip(pin, 0.0, 1.0)
    w = np.zeros(n)
    w[pin.astype(np.int64)] = 1.0
    return w


def simulate_steps(scene, garment, frames: tuple[int, int], progress=None):
    """Step frame by frame, yielding after each; returns the final vertex positions (cm)."""
    from .scene import coords

    total = frames[0] + frames[1]
    saved = scene.frame_start, scene.frame_end, scene.frame_current
    scene.frame_start, scene.frame_end = 1, total + 1
    try:
        for f in range(1, total + 2):
            scene.frame_set(f)
            if progress is not None:
                progress(f / (total + 1), f"drape frame {f}/{total + 1}")
            yield
        return coords(garment, evaluated=True)
    finally:  # the user's timeline is theirs
        scene.frame_start, scene.frame_end = saved[0], saved[1]


def simulate(scene, garment, frames: tuple[int, int], progress=None) -> np.ndarray:
    """simulate_steps run through."""
    return run_steps(simulate_steps(scene, garment, frames, progress))


def bake_and_weld(garment, pos_cm: np.ndarray, seam_pairs: np.ndarray, weld_distance_cm: float = 0.6) -> None:
    """Freeze the simulated shape into the mesh and weld sewn vertices (Weld, CONNECTED mode)."""
    from .scene import set_coords

    for m in list(garment.modifiers):
        garment.modifiers.remove(m)
    if garment.data.shape_keys is not None:
        garment.shape_key_clear()
    for name in ("GS_Pin", "GS_Rest"):
        if name in garment.vertex_groups:
            garment.vertex_groups.remove(garment.vertex_groups[name])
    set_coords(garment, pos_cm)
    weld(garment, seam_pairs, weld_distance_cm)


def weld(garment, seam_pairs: np.ndarray, distance_cm: float) -> None:
    """Merge sewn vertex pairs (loose edges between them) with a Weld modifier in CONNECTED mode,
    applied; loose edges left over (seams that stayed open) are removed."""
    import bmesh

    me = garment.data
    if len(seam_pairs):
        existing = {tuple(sorted(e.vertices)) for e in me.edges}
        add = [tuple(p) for p in np.sort(seam_pairs, axis=1).tolist() if tuple(p) not in existing]
        if add:
            n0 = len(me.edges)
            me.edges.add(len(add))
            me.edges.foreach_set("vertices", _edge_buffer(me, n0, add))
            me.update(calc_edges_loose=True)
    mod = garment.modifiers.new("Weld", "WELD")
    mod.mode = "CONNECTED"
    mod.merge_threshold = distance_cm * CM
    dg = bpy.context.evaluated_depsgraph_get()
    new = bpy.data.meshes.new_from_object(garment.evaluated_get(dg), preserve_all_data_layers=True,
                                          depsgraph=dg)
    garment.modifiers.remove(mod)
    old = garment.data
    garment.data = new
    bpy.data.meshes.remove(old)
    new.name = garment.name
    bm = bmesh.new()
    bm.from_mesh(new)
    loose = [e for e in bm.edges if not e.link_faces]
    bmesh.ops.delete(bm, geom=loose, context="EDGES")
    bm.to_mesh(new)
    bm.free()
    new.update()


def _edge_buffer(me, n0: int, add: list) -> np.ndarray:
    buf = np.zeros(len(me.edges) * 2, np.int32)
    me.edges.foreach_get("vertices", buf)
    buf[2 * n0:] = np.asarray(add, np.int32).ravel()
    return buf
