"""Physical drape with Blender cloth: sewing springs close the seams, then gravity settles.

The garment object starts from the wrap (so sleeves are already tubes) with the seam pairs as
loose edges. The cloth's rest lengths must be the flat pattern's, not the wrap's. A spring rests at
its length in the shape the cloth starts from, times the cloth's per-vertex shrink (rest_scale), and
no per-vertex scale undoes a wrap that stretches a piece one way and squeezes it the other: with it
alone the springs rested 4-6 % off their cut lengths and hoodie, jumpsuit and flared dress settled
5-7 % stretched. So the cloth starts from the wrap relaxed to the cut lengths, its seams a few cm
open for the sewing springs to close (core.assembly.rest); what is held there (pinned cloth, collars,
cuffs, sleeves and legs: their squeeze along the limb pushes the cloth into the break above a cuff
or hem) starts as wrapped and is scaled. A
rest shape key does not do it in bpy 5.0.1: at value 0 it changes nothing (a 2x key left a patch
unchanged), at 1 it is where the cloth starts and where pinned vertices are held. Phase 1 (no gravity) closes seams,
phase 2 adds gravity and runs until the cloth is at rest. Self-collision keeps overlapping layers
(fronts, pockets, folds) apart; the collider is the mannequin as shown. Every frame is stepped with
frame_set (jumping to the last frame gives garbage).
"""

from __future__ import annotations

import bpy
import numpy as np

from .scene import CM

# m: the cloth's collision distance, and the collider's outer thickness too (blender adds the two: the
# draped cloth's closest 1 % lies 7.4 mm off the exported mannequin, hoodie and jacket M)
COLLISION_DISTANCE = 0.004
SEWING_FORCE_MAX = 25.0  # finite: an unbounded pull crushes the panels
SEAM_FRAMES = 12  # frames without gravity while the sewing springs close the seams
GRAVITY_RAMP = 6  # frames over which gravity comes on (a jump shakes the cloth)
MIN_SETTLE = 12  # frames with full gravity before the cloth may be called at rest
REST_SPEED = 0.05  # m/s: the cloth is at rest when no vertex moves faster (net, over REST_WINDOW)
# frames: speeds are net moves over this many frames, so collision jitter in place cancels. Over 4, an
# underarm jittering against a sleeve kept the GarmentCode dress 'moving' to the cap on 2 of 12 starts
# (51-151 frames); over 8 all 13 rest at 51-66 frames, and the 52-case sweep stops 9 % sooner, same metrics
REST_WINDOW = 8
FRAME_CAP = 150  # frames: a drape that never settles (a flapping hem) stops here
AIR_DAMPING = 5.0  # slows the fall and the hem's swing (not where it comes to rest): fewer frames to rest
QUALITY = 5  # solver steps per frame (Blender's Cotton preset; Costumy drapes with 5 too)
COLLISION_QUALITY = 2
COLLIDER_FACES = 6000
CLOSURE_REACH_CM = 1.5  # a buttoned stand's layers lie 0.8 cm apart in the wrap
# the buttoned layers' springs (cloth tension 15): 100 / 150 / 200 gave button-down XL front_hem_rise
# -1.39 / -1.40 / -1.62, XXL -0.08 / 0.19 / 1.06 (1000: the lower front twisted up, XL +2.26)
CLOSURE_STIFFNESS = 150.0
SELF_DISTANCE_MIN = 0.003  # m: the least gap kept between two layers of cloth


def add_collider(mannequin, body=None):
    """A hidden collision object made from the shown mannequin's mesh, decimated to about
    COLLIDER_FACES faces (the collision test is most of a frame's time and grows with them; the
    decimation moves the surface by less than the collision distance, and what is left inside the
    shown body afterwards is pushed out against the full mesh). Given the core ``body`` the mesh is
    attached to, the collider's bust and seat are bridged first (surface.BodySurface.bridged): the body
    as worn under clothes, in a bra and underwear; the shown and exported mannequin keeps its own shape. Bridged
    after the decimation, the few vertices it left in the cleavage (4 cm apart, female M) cut the
    convex front short: 0.76 cm behind the apex line at the bust line, 0.21 bridged first (female M)."""
    from .scene import coords, link, set_coords

    collider = link(bpy.data.objects.new("GS_Collider", mannequin.data.copy()))
    if body is not None and body.surface is not None:
        set_coords(collider, body.surface.bridged(coords(collider), body.landmarks))
    faces = len(mannequin.data.polygons)
    if faces > COLLIDER_FACES:  # applied once: left as a modifier it would run every frame
        dec = collider.modifiers.new("Decimate", "DECIMATE")
        dec.ratio = COLLIDER_FACES / faces
        dg = bpy.context.evaluated_depsgraph_get()
        full = collider.data
        collider.data = bpy.data.meshes.new_from_object(collider.evaluated_get(dg), depsgraph=dg)
        collider.modifiers.remove(dec)
        bpy.data.meshes.remove(full)
    c = _collides(collider)
    c.thickness_inner = 0.02
    c.damping = 0.5
    return collider


def _collides(obj):
    """Make ``obj`` a hidden collider the cloth keeps COLLISION_DISTANCE from, with friction; returns
    its collision settings."""
    obj.hide_render = True
    obj.hide_set(True)
    obj.modifiers.new("Collision", "COLLISION")
    c = obj.collision
    c.thickness_outer = COLLISION_DISTANCE
    c.cloth_friction = 5.0
    return c


def add_floor():
    """A hidden collision plane at the mannequin's soles (z = 0): trousers and long skirts rest on
    it instead of falling through the ground (loose jumpsuit XXL: the legs' hems hung 5 cm below
    the feet, folded through themselves there)."""
    from .scene import link

    me = bpy.data.meshes.new("GS_Floor")
    r = FLOOR_HALF_SIZE
    me.from_pydata([(-r, -r, 0.0), (r, -r, 0.0), (r, r, 0.0), (-r, r, 0.0)], [], [(0, 1, 2, 3)])
    floor = link(bpy.data.objects.new("GS_Floor", me))
    _collides(floor)
    return floor


FLOOR_HALF_SIZE = 2.0  # m


def add_layer_collider(garment):
    """An earlier garment of the outfit as a collider, so the new one drapes over it."""
    from .scene import link

    collider = link(bpy.data.objects.new(f"GS_Collider_{garment.name}", garment.data))
    collider.matrix_world = garment.matrix_world
    c = _collides(collider)
    c.thickness_inner = 0.002  # a sheet, not a solid: nothing to push through from inside
    c.use_culling = False
    return collider


def rest_scale(pos_cm: np.ndarray, flat_cm: np.ndarray, faces: np.ndarray,
               along: np.ndarray | None = None) -> np.ndarray:
    """Per-vertex factor (flat length / wrapped length, geometric mean over its triangle edges). A
    vertex on ``along`` ((k, 2) steps of free edges: rest.run_segments of rest.squeezed_runs) takes the
    mean over those steps where that is less: nothing holds a free edge out, so resting longer than it
    lies it can only buckle. Over all its edges, the hood's face edge (its triangles squeezed across it
    round a head smaller than the hood) rested up to 8 % longer than it started, 13 % over its cut, at
    the crown, and buckled there (hoodie M, its start evened)."""
    def log_ratio(e):
        l3 = np.linalg.norm(pos_cm[e[:, 0]] - pos_cm[e[:, 1]], axis=1)
        l2 = np.linalg.norm(flat_cm[e[:, 0]] - flat_cm[e[:, 1]], axis=1)
        return np.log(np.clip(l2 / np.maximum(l3, 1e-9), 0.6, 1.6))

    def vertex_mean(e):
        n, lr = len(pos_cm), log_ratio(e)
        acc = np.bincount(e[:, 0], lr, n) + np.bincount(e[:, 1], lr, n)
        cnt = np.bincount(e[:, 0], minlength=n) + np.bincount(e[:, 1], minlength=n)
        return acc / np.maximum(cnt, 1), cnt > 0

    out, _ = vertex_mean(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]))
    if along is not None and len(along):
        edge_mean, on = vertex_mean(np.asarray(along))
        out[on] = np.minimum(out[on], edge_mean[on])
    return np.exp(out)


ISOLATION = "GS_Cloth_Only"  # collections that limit our cloth to our colliders and no force fields


def isolate(mod, colliders) -> None:
    """Let the cloth see only our colliders and no force field, whatever is in the user's scene."""
    cols = bpy.data.collections
    only = cols.get(f"{ISOLATION}_colliders") or cols.new(f"{ISOLATION}_colliders")
    for collider in colliders:
        if collider.name not in only.objects:
            only.objects.link(collider)
    mod.collision_settings.collection = only
    mod.settings.effector_weights.collection = cols.get(f"{ISOLATION}_fields") or cols.new(f"{ISOLATION}_fields")


def remove_isolation() -> None:
    for suffix in ("_colliders", "_fields"):
        col = bpy.data.collections.get(ISOLATION + suffix)
        if col is not None:
            bpy.data.collections.remove(col)


def setup_cloth(garment, scale: np.ndarray, fabric: dict, pin=None, frame_cap: int = FRAME_CAP, closure=None):
    """Cloth modifier with sewing springs and self-collision, at rest as the garment is placed (start
    it from core.assembly.rest.rest_shape) times ``scale`` (rest_scale, per vertex; 1: as placed);
    ``fabric``: core.fabric.solver_settings
    (mass, tension, compression, shear, bending, damping, thickness_mm); ``pin``: per-vertex pin
    weights in [0, 1] (1: held in place,
    e.g. a waistband: nothing else keeps trousers up; between: pulled softly back to the start) or
    vertex indices to hold; ``closure``: mask of layers buttoned together (_closure_springs)."""
    mod = garment.modifiers.new("Cloth", "CLOTH")
    s = mod.settings
    s.quality = QUALITY
    s.mass = fabric["mass"]
    s.air_damping = AIR_DAMPING
    s.tension_stiffness = fabric["tension"]
    s.compression_stiffness = fabric["compression"]
    s.shear_stiffness = fabric["shear"]
    s.bending_stiffness = fabric["bending"]
    s.tension_damping = s.compression_damping = s.shear_damping = fabric["damping"]
    s.bending_damping = 0.5
    s.use_sewing_springs = True
    s.sewing_force_max = SEWING_FORCE_MAX
    _rest_lengths(garment, s, scale)
    s.use_pressure = False
    weights = pin_weights(pin, len(scale))
    if weights.any():
        vg = garment.vertex_groups.new(name="GS_Pin")
        for value in np.unique(np.round(weights[weights > 0], 2)):
            vg.add(np.nonzero(np.isclose(np.round(weights, 2), value))[0].tolist(), float(value), "REPLACE")
        s.vertex_group_mass = vg.name
        s.pin_stiffness = 1.0
    if closure is not None and np.any(closure):
        _closure_springs(garment, s, closure)
    cs = mod.collision_settings
    cs.distance_min = COLLISION_DISTANCE
    cs.collision_quality = COLLISION_QUALITY
    cs.use_self_collision = True
    cs.self_distance_min = max(SELF_DISTANCE_MIN, fabric["thickness_mm"] / 1000.0)
    cs.self_friction = 5.0
    pc = mod.point_cache
    pc.frame_start, pc.frame_end = 1, frame_cap + 1
    # gravity off while the seams close, then on (keyed, so the cache is not reset mid-run)
    ew = s.effector_weights
    ew.gravity = 0.0
    ew.keyframe_insert("gravity", frame=1)
    ew.keyframe_insert("gravity", frame=SEAM_FRAMES)
    ew.gravity = 1.0
    ew.keyframe_insert("gravity", frame=SEAM_FRAMES + GRAVITY_RAMP)
    return mod


def _closure_springs(garment, s, closure: np.ndarray) -> None:
    """Blender's internal springs across the gap between two layers buttoned together: from each
    vertex of ``closure`` straight in along its normal to the layer under it within CLOSURE_REACH_CM,
    resting at the gap they start at, so the layers hold together and apart and move as one. The
    stiffness runs from 0 (vertex group weight 0: the rest of the cloth, whose rays find the body or
    nothing) to CLOSURE_STIFFNESS at the closure's vertices."""
    vg = garment.vertex_groups.new(name="GS_Closure")
    vg.add(np.nonzero(closure)[0].tolist(), 1.0, "REPLACE")
    s.use_internal_springs = True
    s.internal_spring_normal_check = False  # the layers face the same way
    s.internal_spring_max_diversion = 0.0
    s.internal_spring_max_length = CLOSURE_REACH_CM * CM
    s.internal_tension_stiffness = s.internal_compression_stiffness = 0.0
    s.internal_tension_stiffness_max = s.internal_compression_stiffness_max = CLOSURE_STIFFNESS
    s.vertex_group_intern = vg.name


def _rest_lengths(garment, s, scale: np.ndarray) -> None:
    """Spring rest length = wrapped length * (1 - shrink); shrink runs from shrink_min (weight 0) to
    shrink_max (weight 1), and Blender keeps shrink_max >= shrink_min: weight 0 = largest scale."""
    lo, hi = float(scale.min()), float(scale.max())
    if hi - lo <= 1e-4:
        s.shrink_min = 1.0 - lo
        return
    vg = garment.vertex_groups.new(name="GS_Rest")
    w = (hi - scale) / (hi - lo)
    for value in np.unique(np.round(w, 2)):
        idx = np.nonzero(np.isclose(np.round(w, 2), value))[0]
        vg.add(idx.tolist(), float(value), "REPLACE")
    s.vertex_group_shrink = vg.name
    s.shrink_min, s.shrink_max = 1.0 - hi, 1.0 - lo


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


def simulate_steps(scene, garment, frame_cap: int = FRAME_CAP, progress=None, stats: dict | None = None):
    """Step frame by frame until the cloth is at rest (no vertex faster than REST_SPEED once gravity
    has been on MIN_SETTLE frames) or ``frame_cap``; yields after each frame and returns the final
    vertex positions (cm). ``stats`` receives frames run and the last frame's top speed (m/s)."""
    from .scene import CM, coords

    saved = scene.frame_start, scene.frame_end, scene.frame_current
    scene.frame_start, scene.frame_end = 1, frame_cap + 1
    settled_from = SEAM_FRAMES + GRAVITY_RAMP + MIN_SETTLE
    fps = scene.render.fps / scene.render.fps_base
    window: list[np.ndarray] = []
    speed, f, history = float("inf"), 0, []
    try:
        for f in range(1, frame_cap + 2):
            scene.frame_set(f)
            window = (window + [coords(garment, evaluated=True)])[-(REST_WINDOW + 1):]
            if len(window) > REST_WINDOW:  # net move over the window: a vertex jittering in place is at rest
                step = np.linalg.norm(window[-1] - window[0], axis=1) * CM * fps / REST_WINDOW
                speed = float(step.max())
                history.append(round(speed, 3))
            if progress is not None:
                progress(f / (frame_cap + 1), f"drape frame {f}/{frame_cap + 1} (or at rest)")
            yield
            if f >= settled_from and speed < REST_SPEED:
                break
        return window[-1]
    finally:  # the user's timeline is theirs
        scene.frame_start, scene.frame_end = saved[0], saved[1]
        scene.frame_set(saved[2])
        if stats is not None:
            stats.update(frames=f, rest_speed=speed, speeds=history)


def bake_and_weld(garment, pos_cm: np.ndarray, seam_pairs: np.ndarray, weld_distance_cm: float) -> None:
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
