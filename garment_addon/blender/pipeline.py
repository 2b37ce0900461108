"""Blender pipeline: pattern -> mannequin + 3D garment -> render / export.

The entry points other front ends call (CLI, operators, batch runner, refinement loop).
All objects live in the collection ``Garment``; rebuilding replaces only that collection's objects.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.assembly import OFFSET
from ..core.body.mannequin import body_for_pattern
from ..core.errors import UserError
from ..core.progress import NULL, Progress, run_steps
from ..core.views import VIEWS, check_views, view_png

METHODS = ("wrap", "drape")
DRAPE_EDGE = 2.0  # cm: target triangle edge for the cloth mesh (the wrap uses 1.5)
LAYER_CM = 1.0  # cm further out per garment already worn (a jacket wrapped over a shirt)
HOOD_PIN_POWER = 1.0  # hood pin weight = (height above the neck base / hood height) ** power
# cm (flat) of a hood's face edge held where the wrap laid it round the face: its drawcord casing (the
# face edge's 2.5 cm turned back). Free, the face edge (cut 36 cm, 44 round the face) drew taut onto
# the jaw and shut the opening under the chin (hoodie M drape: 0.8 cm off the jaw, 10.9 cm wide there)
HOOD_CASING_CM = 2.5
# its pin weight at least: held fully (1.0: opening 8.6 / 12.6 / 14.0 / 15.3 cm at z 142..148), the
# hooded jacket M loose drape crossed the hood's halves at the back neck on 2 of 3 starts (2 each; 0.6 / 0.8: 0)
HOOD_CASING_W = 0.8
BUTTON_HOLD_CM = 2.5  # cm below the lowest button a buttoned front's stand is closed, below the top one pinned
BACK_NECK_HOLD_CM = 2.5  # cm of the back under a buttoned collar stand held with it


@dataclass
class SceneResult:
    """What build_scene made: Blender objects plus the numbers describing them."""

    garment: Any  # bpy.types.Object: the joined garment mesh
    mannequin: Any  # bpy.types.Object
    metrics: dict[str, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)  # {height_cm, landmarks_cm, girths_cm}
    method: str = "wrap"
    legend: list[dict[str, Any]] = field(default_factory=list)  # [{piece, color}] per garment piece
    pattern: Any = None
    rig: Any = None  # armature object when rig=True
    mesh: Any = None  # core.mesh.GarmentMesh
    body_model: Any = None  # core.body.Body
    positions_cm: Any = None  # (N, 3) garment vertices before welding
    camera: Any = None
    spans: list = field(default_factory=list)  # mannequin parts: [(name, first vertex, count)]
    layers: list = field(default_factory=list)  # garments worn under this one (an outfit), innermost first
    drape_speeds: list = field(default_factory=list)  # top vertex speed (m/s) per drape frame
    look: Any = None  # blender.look.Look: the garment's colour / texture / piece colours (None: the fabric's)
    fabric: Any = None  # what build_scene was given: a core.fabric preset name, settings dict or None


def as_spec_and_pattern(obj) -> tuple[dict, Any]:
    """(spec dict, Pattern) from a Pattern, GarmentSpec, spec/pattern dict or a JSON file path."""
    from ..core.inputs import pattern_from_data, read_spec_or_pattern, spec_from_data
    from ..core.pattern import SCHEMA, Pattern, draft_pattern
    from ..core.spec import GarmentSpec

    if isinstance(obj, Pattern):
        return obj.spec or {}, obj
    if isinstance(obj, GarmentSpec):
        return obj.to_dict(), draft_pattern(obj)
    if isinstance(obj, str | Path):
        spec, pat = read_spec_or_pattern(obj)
        return spec or {}, pat
    if isinstance(obj, dict) and obj.get("schema") == SCHEMA:
        pat = pattern_from_data(obj, "input")
        return pat.spec or {}, pat
    if isinstance(obj, dict):
        spec = spec_from_data(obj, "input")
        return spec.to_dict(), draft_pattern(spec)
    raise UserError(f"input: expected a spec or pattern (got {type(obj).__name__})")


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise UserError(f"method: must be one of {', '.join(METHODS)} (got {method!r})")


def _make_garment(pattern, mesh, pos_cm, with_seams: bool, faces=None):
    """The garment object: ``faces`` are mesh.faces, their corners perhaps turned (springs.aim_inward_springs)."""
    from . import scene as sc

    faces = mesh.faces if faces is None else faces
    colors = sc.palette(len(mesh.pieces))
    face_piece = mesh.piece_of[faces[:, 0]]
    obj = sc.mesh_object("Garment", pos_cm, faces, edges=mesh.seam_pairs if with_seams else None,
                         uv=mesh.uv, material_index=face_piece)
    legend = []
    for pm, c, piece in zip(mesh.pieces, colors, pattern.pieces, strict=True):
        obj.data.materials.append(sc.material(f"GS_{pm.name}", c))
        legend.append({"piece": pm.name, "color": sc.hex_color(c), "body_region": piece.body_region})
    obj.data.polygons.foreach_set("use_smooth", np.ones(len(mesh.faces), bool))
    _sharp_folds(obj.data, pattern, mesh)
    from ..core.assembly.wrap import rib_ratios
    from .look import CORNER_ATTRIBUTE, EDGE_ATTRIBUTES

    rib_names = rib_ratios(pattern)
    ribs = [i for i, p in enumerate(pattern.pieces) if p.name in rib_names]
    dists = edge_distances(mesh, unstitched=ribs)
    for name, d in zip(EDGE_ATTRIBUTES, dists, strict=True):
        obj.data.attributes.new(name, "FLOAT", "POINT").data.foreach_set("value", d.astype(np.float32))
    corner = corner_distances(mesh.verts2d, faces, dists[0])
    obj.data.attributes.new(CORNER_ATTRIBUTE, "FLOAT_VECTOR", "CORNER").data.foreach_set(
        "vector", corner.astype(np.float32).ravel())
    return obj, legend


def corner_distances(verts2d: np.ndarray, faces: np.ndarray, edge: np.ndarray) -> np.ndarray:
    """(F, 3 corners, 3) per face corner: for a triangle with all three corners on the outline and two
    outline edges (``edge``, edge_distances' first, is 0 at them), and the triangle across its third edge
    (a chord: inside the piece, both ends on the outline), component i is, linear
    over the triangle, the distance (cm, flat) to the line of its edge opposite corner i where that
    edge is outline, FAR_CM where it is not; 0 on every other triangle. The shader takes max(edge, min
    of the three). The per-vertex distance is 0 all along a chord: a triangle with all three corners
    on the outline (the 2 cm mesh cuts a corner of 90° or less with one) was dark all over, and the
    triangle across its chord dark along it. At a dart's mouth (its leg and the waist seam meeting
    square) these drew a dark diamond 3 cm wide on the waist seam of every dress (35 such corner
    triangles on dress M, at the darts, hem and sleeve corners, neck and armhole ends)."""
    from ..core.mesh.triangulate import face_edges

    faces = np.asarray(faces, np.int64)
    out = np.zeros((len(faces), 3, 3))
    uniq, corner = face_edges(faces)
    outline = np.bincount(corner.ravel(), minlength=len(uniq)) == 1  # an edge of one triangle: the outline
    on = np.asarray(edge) < 1e-9
    chord = on[uniq].all(axis=1) & ~outline  # both ends on the outline, itself inside: 0 all along it
    whole = on[faces].all(axis=1)
    corners = np.nonzero(whole & (outline[corner].sum(axis=1) >= 2))[0]  # two outline edges: a corner cut off
    # with the triangle across its chord, unless that lies on the outline all round too: a strip two rows
    # wide (a collar stand: 33 of its 52 triangles on the outline all round) stays dark all over, as before
    ear = np.zeros(len(faces), bool)
    for f in corners:
        other = np.nonzero(np.isin(corner, corner[f][chord[corner[f]]]).any(axis=1))[0]
        if not whole[other[other != f]].any():
            ear[other] = True
    tri = verts2d[faces[ear]]
    for i in range(3):
        a, b = tri[:, (i + 1) % 3], tri[:, (i + 2) % 3]
        ab, ap = b - a, tri[:, i] - a
        h = np.abs(ab[:, 0] * ap[:, 1] - ab[:, 1] * ap[:, 0]) / np.maximum(np.linalg.norm(ab, axis=1), 1e-12)
        on = outline[corner[ear, (i + 1) % 3]]  # face_edges' edge 1-2 is opposite corner 0, 2-0 corner 1, 0-1 corner 2
        col = np.where(on[:, None], 0.0, FAR_CM) * np.ones((1, 3))
        col[on, i] = h[on]
        out[ear, :, i] = col
    return out


FAR_CM = 1e3  # "no outline this side" in corner_distances
MIN_UNSEWN_CM = 6.0  # an unsewn stretch of outline shorter than this is not topstitched


def edge_distances(mesh, unstitched=()) -> tuple[np.ndarray, np.ndarray]:
    """(to the outline, to the unsewn outline) per vertex, cm on the flat piece: the shader draws a
    seam's edge and the topstitching from them (linear in a triangle along a straight edge, so the
    line keeps its distance between the 2 cm vertices). No unsewn edge on a piece, or one of the
    pieces ``unstitched`` (indices: rib bands, whose folded edge is not sewn down): a large number.
    A fish-eye dart's hole (its legs sewn) counts as outline: it shows as the seam it is sewn into."""
    from ..core.assembly.breaks import _distance_to_polyline, distance_to_segments
    from ..core.mesh.triangulate import face_edges

    sewn = np.zeros(len(mesh.verts2d), bool)
    sewn[mesh.seam_pairs.ravel()] = True
    edge = np.full(len(mesh.verts2d), 1e3)
    free = np.full(len(mesh.verts2d), 1e3)
    for i, (pm, off) in enumerate(zip(mesh.pieces, mesh.offsets, strict=True)):
        ring = np.append(pm.boundary, pm.boundary[0])
        n = len(pm.verts)
        edge[off:off + n] = _distance_to_polyline(pm.verts, pm.verts[ring])
        if len(pm.dart_pairs):  # the holes' edges: an edge of one triangle, off the outline
            uniq, corner = face_edges(pm.faces)
            hole = uniq[(np.bincount(corner.ravel(), minlength=len(uniq)) == 1)
                        & ~np.isin(uniq, pm.boundary).all(axis=1)]
            edge[off:off + n] = np.minimum(edge[off:off + n],
                                           distance_to_segments(pm.verts, pm.verts[hole[:, 0]], pm.verts[hole[:, 1]]))
        # runs of segments with an unsewn end, each a polyline (rolled to start at a sewn segment)
        loose = ~(sewn[off + ring[:-1]] & sewn[off + ring[1:]])
        if not loose.any() or i in unstitched:
            continue
        start = int(np.argmin(loose)) if not loose.all() else 0
        seg, loose = np.roll(ring[:-1], -start), np.roll(loose, -start)
        ends = np.roll(seg, -1)
        runs, cur = [], []
        for a, b, on in zip(seg, ends, loose, strict=True):
            if on:
                cur = cur or [a]
                cur.append(b)
            elif cur:
                runs.append(cur)
                cur = []
        runs += [cur] if cur else []
        # a short one is a gap in a seam (a vertex the sewing left out at the underarm), not a hem:
        # stitched round, it drew a small loop at each of a jacket's armholes
        runs = [r for r in runs if np.linalg.norm(np.diff(pm.verts[r], axis=0), axis=1).sum() >= MIN_UNSEWN_CM]
        if runs:
            free[off:off + n] = np.min([_distance_to_polyline(pm.verts, pm.verts[r]) for r in runs], axis=0)
    return edge, free


def _sharp_folds(me, pattern, mesh) -> None:
    """A turned lapel's roll line shaded as a sharp edge: the lapel is wound as cut (its normals face
    the body) and smoothed across the fold the two sides' normals cancelled, a dark seam down the
    lapel's edge in renders (wound to face out instead, main's body_through counted the fold as
    covered cloth). Shading only: the cloth, the measures and the exported geometry are unchanged."""
    from ..core.assembly.wrap import _turned

    on_roll = _turned(pattern, mesh, hinge=True) & ~_turned(pattern, mesh)
    if not on_roll.any():
        return
    keys = np.array(me.edge_keys, np.int64).reshape(-1, 2)
    me.edges.foreach_set("use_edge_sharp", on_roll[keys].all(axis=1))


def _crease_collar_folds(garment, pattern, mesh, pos_cm: np.ndarray) -> None:
    """A shirt collar's fold over its stand (its neck edge, welded to the stand's top) kept a crisp
    line where renders subdivide the cloth (edge crease): smoothed, the turn of 180 degrees over one
    2 cm row scalloped the collar's top (button-down, from behind: a wave every 2 cm)."""
    from scipy.spatial import cKDTree

    from ..core.pattern.drafting.shirt_collar import COLLAR_FALL

    fold = [pm.edge_verts["neck"] + o for p, pm, o in zip(pattern.pieces, mesh.pieces, mesh.offsets, strict=True)
            if p.body_region == COLLAR_FALL]
    if not fold:
        return
    v, _ = _mesh_arrays(garment)
    on = np.isfinite(cKDTree(pos_cm[np.concatenate(fold)]).query(v, distance_upper_bound=1e-3)[0])
    me = garment.data
    keys = np.array(me.edge_keys, np.int64).reshape(-1, 2)
    crease = me.attributes.get("crease_edge") or me.attributes.new("crease_edge", "FLOAT", "EDGE")
    crease.data.foreach_set("value", on[keys].all(axis=1).astype(np.float32))


def _garment_stage(result: SceneResult, pattern, method: str, progress: Progress, edge_cm: float | None):
    """Mesh, wrap (and drape) the pattern onto result.body_model; sets garment, metrics, timings."""
    run_steps(_garment_steps(result, pattern, method, progress, edge_cm, result.fabric, result.layers))


def _garment_steps(result: SceneResult, pattern, method: str, progress: Progress, edge_cm: float | None,
                   fabric=None, under=()):
    """_garment_stage as steps: yields between drape frames. Stopped early (closed, cancelled, an
    error) it removes the half-made garment, the colliders and the cloth's collections.
    fabric: a core.fabric preset name, a dict of solver settings, or None (from the spec);
    under: garment objects already worn (an outfit): the drape collides with them, the wrap sits
    a layer further out."""
    import bpy

    from ..core.assembly import assembly_metrics, smooth_noise, snap_seams, wrap
    from ..core.assembly.breaks import limb_breaks
    from ..core.assembly.level import front_level
    from ..core.assembly.quality import clear_body, push_out, push_out_over, vertex_normals
    from ..core.assembly.rest import even_runs, rest_shape, run_segments, squeezed_runs
    from ..core.assembly.springs import aim_inward_springs
    from ..core.assembly.wrap import WELD_CM, unfold_armholes, unfold_sleeves, untangle_extensions, untangle_fronts
    from ..core.mesh import mesh_pattern
    from . import drape as dr
    from . import scene as sc
    from .look import apply_look
    from .scene import CM

    body, timings = result.body_model, result.timings
    t = time.perf_counter()
    mesh = mesh_pattern(pattern, edge_cm or (DRAPE_EDGE if method == "drape" else 1.5))
    timings["meshing"] = time.perf_counter() - t
    progress(0.25, "wrap")
    t = time.perf_counter()
    pos = wrap(pattern, mesh, body, OFFSET + LAYER_CM * len(under))
    # nothing below the floor the mannequin stands on: full-length legs' hems reached 1-2 cm under it
    pos[:, 2] = np.maximum(pos[:, 2], FLOOR_CLEAR_CM)
    for g in under:  # an outfit: outside every garment worn under it, not only outside the body
        pos = push_out_over(pos, *_mesh_arrays(g), LAYER_CM, reach=3 * LAYER_CM)
    timings["wrap"] = time.perf_counter() - t
    metrics = {f"wrap_{k}": v for k, v in assembly_metrics(mesh, pos, body, pattern).items()}
    closure = _closure(pattern, mesh) if method == "drape" else None
    # the closure's springs join the layers where they lie, not up to a mesh edge along them
    faces = None if closure is None else aim_inward_springs(mesh.faces, pos, closure, dr.CLOSURE_REACH_CM,
                                                            mesh.piece_of)
    garment, legend = _make_garment(pattern, mesh, pos, with_seams=method == "drape", faces=faces)
    settings = fabric_settings(pattern, fabric)
    apply_look(garment, legend, settings["name"], result.look, pattern.spec)
    fabric_name = settings["name"]
    if method == "drape":
        t, cpu = time.perf_counter(), time.process_time()
        scene = bpy.context.scene
        colliders = [dr.add_collider(result.mannequin, body), dr.add_floor()]
        colliders += [dr.add_layer_collider(g) for g in under]
        stats: dict = {}
        try:
            pin = _pin_weights(pattern, mesh, pos, body)
            # the cloth starts at rest (its springs' rest lengths): the wrap relaxed to the cut lengths,
            # what is pinned, even softly, held where the wrap put it (a hood held toward a start with its
            # seams open jittered there: 141 frames, not 38), and so are collars and cuffs (_folded_on)
            limbs = _limbs(pattern, mesh)
            # the closure starts as wrapped too: the layers' gap is the springs' rest
            folded = _folded_on(pattern, mesh)
            held = (np.round(pin, 2) > 0.0) | closure | folded | limbs | _imported(pattern, mesh)
            ribs = _rib_cuffs(pattern, mesh)
            # kept out of the body: free in space, a front cut for a full bust relaxed straight through
            # it, and the cloth started inside the collider stayed there (jumpsuit XXL: breasts out);
            # and its bodice sewn: with its seams open the sewing springs dragged the back over the
            # shoulders to the held front (vest XL front_hem_rise -2.6, core.assembly.rest)
            start = rest_shape(pos, mesh.verts2d, mesh.edges(), held=held,
                               keep_out=lambda p: body.push_out(p, dr.COLLISION_DISTANCE / CM),
                               seams=_start_seams(pattern, mesh, ribs))
            # a held edge spaced as cut, so it cannot buckle; not a collar's or cuff's: moved along, a fold
            # slides over the cloth it lies on (jacket M: 2 crossings at the collar's end)
            squeezed = squeezed_runs(mesh, start, held & ~folded)
            start = even_runs(mesh, start, squeezed)
            # the shown body poking out between the start's vertices (a thumb under a loose sleeve's
            # hem, pierced by 1.2 cm in the wrap) is cleared first: the solver keeps cloth on the side
            # it starts on, and the thumb went on through by 2.6 cm (jacket S loose: 1.1 % through)
            bverts, bfaces = _mesh_arrays(result.mannequin)
            start = clear_body(start, mesh.faces, bverts, vertex_normals(bverts, bfaces),
                               0.5 * dr.COLLISION_DISTANCE / CM)
            sc.set_coords(garment, start)
            # what is held starts as wrapped and is scaled per vertex toward its cut lengths, as before:
            # sleeves and legs, squeezed along the limb, push out against the cuff or hem and fold above
            # it (relaxed, they hung straight); the hood, scaled, 0.093 -> ~0.07 stretch
            flat = np.column_stack([mesh.verts2d, np.zeros(len(mesh.verts2d))])
            # a rib cuff too: closed, it starts round the arm 1.2x its cut length (_start_seams) and rests
            # 1.11x round, 0.93x along; at its start's lengths it gripped less and the sleeve broke less above it
            # (hoodie XXL sleeve_break 1.11..1.14 -> 1.08..1.10)
            scale = np.where(held | ribs, dr.rest_scale(start, flat, mesh.faces, run_segments(squeezed)), 1.0)
            cloth = dr.setup_cloth(garment, scale, settings, pin=pin, closure=closure)
            dr.isolate(cloth, colliders)
            raw = yield from dr.simulate_steps(scene, garment, dr.FRAME_CAP, progress.sub(0.3, 0.9), stats)
        except BaseException:
            _drop_cloth(colliders)
            sc.remove_object(garment)
            raise
        metrics.update({f"sim_{k}": v for k, v in assembly_metrics(mesh, raw, body, pattern).items()
                        if k in ("max_seam_gap_cm", "mean_stretch")})
        # a seam the cloth left open at a crowded junction (underarm, crotch) is closed exactly, the
        # move spread smoothly; then what the solver let sink into the body comes out. No relax
        # toward flat lengths afterwards: that would iron out the folds gravity made.
        gap = 0.5 * dr.COLLISION_DISTANCE / CM
        # the snap can fold the cloth beside an underarm junction as the wrap's did: unfolded the same way
        # the solver's mesh-scale dimples filtered out (wrap.smooth_noise) before the push out of the body
        pos = push_out(smooth_noise(mesh, snap_seams(mesh, raw)), bverts, bfaces, gap)
        for g in under:  # and out of what is worn under it (the shirt's shoulder came through a jacket's)
            pos = push_out_over(pos, *_mesh_arrays(g), gap, reach=3 * LAYER_CM)
        pos = unfold_armholes(pattern, mesh, pos, body, gap)
        pos = unfold_sleeves(pattern, mesh, pos, body, gap)  # a fold at the elbow through a sleeve seam
        pos = untangle_fronts(pattern, mesh, pos)  # a buttoned stand's edge through the other front's
        pos = untangle_extensions(pattern, mesh, pos)  # a cuff's extension through its other end
        # nothing under the floor, as in the wrap: a hem stacked on the foot was pushed through it
        pos[:, 2] = np.maximum(pos[:, 2], FLOOR_CLEAR_CM)
        timings["drape"] = time.perf_counter() - t
        timings["drape_cpu"] = time.process_time() - cpu  # all threads: comparable on a loaded machine
        result.drape_speeds = stats.get("speeds", [])
        metrics.update(drape_frames=stats.get("frames", 0), drape_rest_speed=stats.get("rest_speed", 0.0))
    metrics.update(assembly_metrics(mesh, pos, body, pattern), **limb_breaks(pattern, mesh, pos),
                   **front_level(pattern, mesh, pos), **_cleavage(mesh, pos, body), **_seat_groove(mesh, pos, body),
                   fabric=fabric_name)
    dr.bake_and_weld(garment, pos, mesh.seam_pairs, weld_distance_cm=WELD_CM)
    _crease_collar_folds(garment, pattern, mesh, pos)
    if method == "drape":
        _drop_cloth(colliders)
        t, cpu = time.perf_counter(), time.process_time()
        pos, lift = _clear_body(garment, result.mannequin, pos, 0.5 * dr.COLLISION_DISTANCE / CM)
        metrics.update(body_lifted_vertices=int((lift > 0).sum()), body_lift_max_mm=10.0 * float(lift.max(initial=0)))
        timings["drape"] += time.perf_counter() - t
        timings["drape_cpu"] += time.process_time() - cpu
        metrics.update(mesh_quality(garment, result.mannequin))
    metrics["welded_vertices"] = len(garment.data.vertices)
    metrics["buttons"] = _add_buttons(garment, pattern, mesh, pos, fabric_name, result.look)
    result.garment, result.legend, result.mesh, result.positions_cm = garment, legend, mesh, pos
    result.metrics = metrics


def _cleavage(mesh, pos_cm: np.ndarray, body) -> dict[str, float]:
    """``cleavage_depth_cm``: how far the centre front lies behind the line between the cloth over the
    two apices at the body's bust line (core.assembly.quality.cleavage_depth); absent where the garment
    does not reach round the bust there (skirts, trousers)."""
    from ..core.assembly.quality import cleavage_depth

    depth = cleavage_depth(pos_cm, mesh.faces, float(body.landmarks["bust"]))
    return {"cleavage_depth_cm": depth} if np.isfinite(depth) else {}


def _seat_groove(mesh, pos_cm: np.ndarray, body) -> dict[str, float]:
    """``seat_groove_cm``: how deep the centre back sinks in front of the line between the cloth over
    the buttocks, the most from just over the crotch to above the hip (core.assembly.quality.seat_groove);
    absent where nothing of the garment is cut there (short tops)."""
    from ..core.assembly.quality import seat_groove

    lm = body.landmarks
    depth = seat_groove(pos_cm, mesh.faces, float(lm["crotch"]), float(lm["hip"]), float(lm["waist"]))
    return {"seat_groove_cm": depth} if np.isfinite(depth) else {}


def _start_seams(pattern, mesh, ribs: np.ndarray) -> np.ndarray:
    """The seam pairs sewn in the drape's start: the bodice's (_bodice_seams) and each rib cuff's own
    seam (``ribs``: _rib_cuffs), which closes it into a tube. Left open, the cuff relaxed as a strip to
    its cut length, 0.6 of the sleeve hem it is sewn to and shorter than round the arm: its ends drew
    back from each other round the arm (4.4 cm apart) and from the hem (2.7 cm, 35 degrees round), and
    the sewing springs twisted it back, shearing the sleeve's last rows over the seam (hoodie XXL: 4-5
    crossings there on 2 of 6 starts)."""
    pairs = mesh.seam_pairs
    return np.concatenate([_bodice_seams(pattern, mesh), pairs[ribs[pairs].all(axis=1)]])


def _rib_cuffs(pattern, mesh) -> np.ndarray:
    """Mask of the rib cuffs' vertices (cut shorter than the sleeve hem they are stretched onto)."""
    from ..core.assembly.wrap import rib_ratios

    rib = rib_ratios(pattern)
    return _on_pieces(pattern, mesh, lambda p: p.name in rib and (p.body_region or "").startswith("cuff"))


def _bodice_seams(pattern, mesh) -> np.ndarray:
    """The seam pairs (mesh.seam_pairs) between torso pieces (shoulders, sides, darts): what a top hangs
    from, sewn in the drape's start. A band, sleeve or hood sewn there too was pulled onto its seam in
    the relax (a rib hem band 15 % shorter than the hem it gathers: hoodie M drape mean stretch 0.041
    -> 0.046) and keeps the open relax, the sim's sewing springs closing it. A one-piece with legs
    (jumpsuit, overalls) keeps it too: it hangs from its crotch as well as its shoulders, and the
    jumpsuit XXL drape sewn so crossed itself at the front crotch on 2 of 3 starts (6 / 2 / 0; open:
    0 / 0, level -0.57 / -0.51)."""
    pairs = mesh.seam_pairs
    if any((p.body_region or "").startswith("leg_") for p in pattern.pieces):
        return pairs[:0]
    torso = np.array([(p.body_region or "").startswith("torso") for p in pattern.pieces])
    return pairs[torso[mesh.piece_of[pairs[:, 0]]] & torso[mesh.piece_of[pairs[:, 1]]]]


def _add_buttons(garment, pattern, mesh, pos_cm: np.ndarray, fabric: str, look) -> int:
    """The pattern's buttons as geometry on the garment where it was placed (after the measures: they
    are the cloth's), shaded to stand off its colour."""
    from ..core.assembly.trims import button_places
    from .buttons import add_buttons
    from .look import Look, button_material, garment_color

    cloth = garment_color(fabric, look or Look(), pattern.spec)
    return add_buttons(garment, button_places(pattern, mesh, pos_cm), button_material(cloth))


RENDER_SUBDIVISIONS = 1  # the 2 cm cloth mesh smoothed to ~1 cm where it shows (renders)


def _smooth_in_renders(garment) -> None:
    """A finer surface where it shows, at no simulation cost: the garment is subdivided in renders
    (Catmull-Clark, UV islands kept), not in the viewport, the exports or the measures, which keep the
    simulated mesh (a 1.5 cm cloth mesh doubled the drape: shirt 8.2 -> 17 s CPU). The outline's corners
    stay corners (a collar's points, a pocket's): smoothed with the rest, a shirt collar rendered round."""
    mod = garment.modifiers.new("GS_Smooth", "SUBSURF")
    mod.levels, mod.render_levels = 0, RENDER_SUBDIVISIONS
    # the step's own positions: pushing them on to the limit surface (Blender's default) took 2.9 s
    # of every render of a shirt (0.09 s without; a 512² preview 3.8 -> 1.0 s, the dress's final
    # 1024² 26 -> 14 s at load ~7) and changes no pixel by more than 8 levels but 0.15 % of them
    mod.use_limit_surface = False
    mod.uv_smooth = "PRESERVE_BOUNDARIES"
    mod.boundary_smooth = "PRESERVE_CORNERS"


FLOOR_CLEAR_CM = 0.5  # the floor's collision distance and a little


def _drop_cloth(colliders) -> None:
    from . import drape as dr
    from . import scene as sc

    dr.remove_isolation()
    for c in colliders:
        sc.remove_object(c)


def fabric_settings(pattern, fabric=None) -> dict:
    """Solver settings for the drape: a preset name, a dict of settings (a "preset" key names the
    base, the others override it) or None (the preset features.fabric and the type call for)."""
    from ..core.fabric import fabric_for, solver_settings

    spec = pattern.spec or {}
    if isinstance(fabric, dict):
        base = fabric_for(spec, fabric.get("preset"))
        out = solver_settings(base, {k: v for k, v in fabric.items() if k != "preset"})
    else:
        base = fabric_for(spec, fabric)
        out = solver_settings(base)
    out["name"] = base.name
    return out


def _mesh_arrays(obj) -> tuple[np.ndarray, np.ndarray]:
    """(vertices in cm, world space; triangles) of a mesh object as it is exported."""
    from .scene import CM, coords

    me = obj.data
    me.calc_loop_triangles()
    tris = np.zeros(len(me.loop_triangles) * 3, np.int32)
    me.loop_triangles.foreach_get("vertices", tris)
    m = np.array(obj.matrix_world)
    v = coords(obj) @ m[:3, :3].T + m[:3, 3] / CM
    return v, tris.reshape(-1, 3).astype(np.int64)


def mesh_quality(garment, mannequin) -> dict[str, float]:
    """Penetration into the shown mannequin, self-crossings and hem gathering of the garment mesh
    as exported (after welding); body points out through the garment, on the simulated mesh and
    on the surface renders show (core.mesh.subdivide, the same as GS_Smooth's)."""
    from ..core.assembly.quality import drape_quality

    q = drape_quality(*_mesh_arrays(garment), *_mesh_arrays(mannequin))
    return {"inside_fraction": q["inside_fraction"], "max_depth_mm": 10.0 * q["max_depth"],
            "body_through_fraction": q["body_through_fraction"],
            "body_through_max_mm": 10.0 * q["body_through_max"],
            "render_body_through_fraction": q["render_body_through_fraction"],
            "render_body_through_max_mm": 10.0 * q["render_body_through_max"],
            "self_crossings": q["self_crossings"], "hem_gathering": q["hem_gathering"],
            "hem_flute_share": q["hem_flute_share"], "surface_noise_mm": 10.0 * q["surface_noise"],
            "outline_jag_mm": 10.0 * q["outline_jag"]}


def _clear_body(garment, mannequin, pos_cm: np.ndarray, gap_cm: float) -> tuple[np.ndarray, np.ndarray]:
    """The welded garment lifted where the shown body would poke out through it between its
    vertices, in the mesh or in renders (core.assembly.quality.clear_body: a bust apex under a
    stretched front); returns pos_cm (unwelded) moved with it and how far each welded vertex moved."""
    from scipy.spatial import cKDTree

    from ..core.assembly.quality import clear_body, vertex_normals
    from .scene import set_coords

    v, f = _mesh_arrays(garment)
    bv, bf = _mesh_arrays(mannequin)
    moved = clear_body(v, f, bv, vertex_normals(bv, bf), gap_cm)
    # never down through the floor: a hem folded over the foot, its normals turned down, was pushed
    # off the foot's top along them, 4 cm under the floor (overalls XXL)
    moved[:, 2] = np.maximum(moved[:, 2], np.minimum(v[:, 2], FLOOR_CLEAR_CM))
    lift = np.linalg.norm(moved - v, axis=1)
    if not lift.any():
        return pos_cm, lift
    set_coords(garment, moved)  # the garment object sits at the origin: world = local coordinates
    return pos_cm + (moved - v)[cKDTree(v).query(pos_cm)[1]], lift


def _on_pieces(pattern, mesh, keep) -> np.ndarray:
    """Mask of the vertices of the pieces ``keep(piece)`` is true of."""
    return np.isin(mesh.piece_of, [i for i, p in enumerate(pattern.pieces) if keep(p)])


def _imported(pattern, mesh) -> np.ndarray:
    """Mask of the pieces laid by their own placement (GarmentCode imports): they start as wrapped.
    Relaxed to their cut lengths, the GarmentCode dress's fluted skirt and bodice passed through each
    other (drape: 0 -> 115 self-crossings, not at rest by the frame cap)."""
    from ..core.assembly.wrap import _uses_placement

    return _on_pieces(pattern, mesh, _uses_placement)


def _limbs(pattern, mesh) -> np.ndarray:
    """Mask of the sleeves' and trouser legs' vertices."""
    return _on_pieces(pattern, mesh, lambda p: (p.body_region or "").startswith(("arm_", "leg_")))


def _folded_on(pattern, mesh) -> np.ndarray:
    """Mask of the pieces the wrap folds onto other cloth: collars (turned over their stand or roll
    line) and cuffs other than rib bands (lapped round the wrist). Relaxed on their own to their cut
    lengths they passed through what they lie on (button-down drape: 39 self-crossings, 0 held)."""
    from ..core.assembly.wrap import rib_ratios
    from ..core.pattern.drafting.shirt_collar import COLLAR_FALL

    rib = rib_ratios(pattern)
    return _on_pieces(pattern, mesh, lambda p: p.name not in rib and (
        p.body_region in ("collar", COLLAR_FALL) or (p.body_region or "").startswith("cuff")))


def _pin_weights(pattern, mesh, pos_cm: np.ndarray, body) -> np.ndarray:
    """Per-vertex pin weight for the drape (0 free, 1 held at its wrapped place): waistbands and waist
    edges (a waistband's grip holds a skirt up), pockets and the cloth under them, the buttons of a
    buttoned front, and a hood, held softly from its neck edge
    (free) up to its crown (pinned), as a head inside it would, so gravity cannot pull it back into a
    heap behind the neck, and along its face edge's casing (HOOD_CASING_CM), which frames the face."""
    from ..core.assembly.wrap import is_patch
    from ..core.pattern.drafting.parts import is_shawl, is_tailored

    w = np.zeros(len(pos_cm))
    neck = body.landmarks["neck_base"]
    bib = bool(((pattern.spec or {}).get("features") or {}).get("has_bib"))
    for piece, pm, o in zip(pattern.pieces, mesh.pieces, mesh.offsets, strict=True):
        idx = np.arange(len(pm.verts)) + o
        region = piece.body_region or ""
        # pockets too: sewn onto a face, not an edge, nothing else holds them in the cloth sim
        if region == "waistband" or is_patch(piece, mesh):
            w[idx] = 1.0
        elif region.startswith("hood"):
            z = pos_cm[idx, 2]
            w[idx] = np.clip((z - neck) / max(z.max() - neck, 1.0), 0.0, 1.0) ** HOOD_PIN_POWER
            if "face" in pm.edge_verts:
                c = idx[_near_edges(pm, ["face"], HOOD_CASING_CM)]
                w[c] = np.maximum(w[c], HOOD_CASING_W)
        for e in piece.edges:
            if e.role == "waist":
                w[pm.edge_verts[e.name] + o] = 1.0
        if region.startswith("torso_front"):
            stand = _button_stand(piece, pm.verts, top=True)  # below the top button: _closure
            w[idx[stand | _zipped(piece, pm.verts) | _bib_facing(piece, pm.verts)]] = 1.0
            w[idx[_lapel_and_under(piece, pm.verts, pos_cm[idx])]] = 1.0
        if bib and region.startswith("torso"):
            w[idx[_strap_ends(piece, pm)]] = 1.0
        if region == "collar" and any(m.get("kind") == "button" for m in piece.markings):
            # a shirt's collar stand, interfaced and buttoned, keeps the shape the wrap gave it round the
            # neck: its free ends, the under one sprang out through the upper one (button-down drape M: 14
            # self-crossings; held at its lapped ends alone, XXL: the collar folded through itself at a side
            # neck, 2); and the collar over it and the back under it with it: with the fronts' stands
            # free to rise (_closure) the back neck and the collar folded through each other (XL 8, XXL 7)
            w[idx] = 1.0
            w[_collar_and_back_neck(pattern, mesh)] = 1.0
        elif region == "collar" and (is_shawl(piece) or is_tailored(piece)):
            # a tailored or shawl collar, interfaced and pressed, keeps its turn as the wrap laid it:
            # free, its fall sprang back up round the neck and crumpled by the side necks (jacket M)
            w[_collar_and_host(pattern, mesh, piece)] = 1.0
    _hold_bare_waist(pattern, mesh, pos_cm, w)
    return _hold_under_patches(pattern, mesh, pos_cm, w)


def _collar_and_host(pattern, mesh, collar) -> np.ndarray:
    """Mask of ``collar`` and of the cloth it is sewn to within BACK_NECK_HOLD_CM of that seam (the
    back's and the fronts' necklines, the lapels' gorges): held with it, so the neckline it turns down
    over cannot sag through it."""
    out = np.zeros(len(mesh.verts2d), bool)
    i = mesh.index(collar.name)
    out[mesh.offsets[i]:mesh.offsets[i] + len(mesh.pieces[i].verts)] = True
    for s in pattern.seams:
        for mine, host in ((s.a, s.b), (s.b, s.a)):
            if mine.piece != collar.name or host.piece == collar.name:
                continue
            h = mesh.index(host.piece)
            pm, o = mesh.pieces[h], mesh.offsets[h]
            out[o:o + len(pm.verts)] |= _near_edges(pm, [host.edge])
    return out


def _near_edges(pm, names, cm: float = BACK_NECK_HOLD_CM) -> np.ndarray:
    """Mask of the piece mesh ``pm``'s vertices within ``cm`` (flat) of its edges ``names``."""
    seam = pm.verts[np.concatenate([pm.edge_verts[n] for n in names])]
    return np.linalg.norm(pm.verts[:, None] - seam[None], axis=2).min(axis=1) < cm


def _hold_bare_waist(pattern, mesh, pos_cm: np.ndarray, w: np.ndarray) -> None:
    """An imported skirt or trousers with no waistband and no edge marked waist (a legacy GarmentCode
    skirt) is held at its top row, as the body's waist holds it: free, the 2-panel skirt slid down
    to the feet."""
    from ..core.assembly.wrap import _uses_placement

    lower = _on_pieces(pattern, mesh, lambda p: (p.body_region or "").startswith(("skirt", "leg"))
                       and _uses_placement(p))
    if not lower.any() or any(p.body_region == "waistband" or any(e.role == "waist" for e in p.edges)
                              for p in pattern.pieces):
        return
    w[lower & (pos_cm[:, 2] > pos_cm[lower, 2].max() - WAIST_ROW_CM)] = 1.0


WAIST_ROW_CM = 1.5  # the top row of a bare-waisted import held


PATCH_HOLD_CM = 2.0  # cloth this close under a pocket is held with it


def _collar_and_back_neck(pattern, mesh) -> np.ndarray:
    """Mask of the collar (the fall, on a collar stand) and the back within BACK_NECK_HOLD_CM of its
    neckline."""
    out = np.zeros(len(mesh.verts2d), bool)
    for piece, pm, o in zip(pattern.pieces, mesh.pieces, mesh.offsets, strict=True):
        region = piece.body_region or ""
        if region == "collar_fall":
            out[o:o + len(pm.verts)] = True
        elif region.startswith("torso_back"):
            neck = [e.name for e in piece.edges if e.name.startswith("neckline")]
            if neck:
                out[o:o + len(pm.verts)] = _near_edges(pm, neck)
    return out


def _closure(pattern, mesh) -> np.ndarray:
    """Mask of the buttoned fronts' stands, both layers: held together in the drape by springs across
    the gap the wrap left between them (drape.setup_cloth's closure), so the closed stand rises with
    the fronts. Pinned where the wrap laid them, the centre front stayed there while the sides rose:
    front_hem_rise button-down XL / XXL -2.30 / -1.76; pinned above the top button alone the fronts fell
    10-14 cm open; joined by sewing springs (zero length) the layers were pulled through each other
    (7-87 self-crossings)."""
    out = np.zeros(len(mesh.verts2d), bool)
    for piece, pm, o in zip(pattern.pieces, mesh.pieces, mesh.offsets, strict=True):
        if (piece.body_region or "").startswith("torso_front"):
            out[o:o + len(pm.verts)] = _button_stand(piece, pm.verts)
    return out


def _button_stand(piece, verts2d: np.ndarray, top: bool = False) -> np.ndarray:
    """Mask of a buttoned front's stand: where the two fronts overlap (from the button line out to
    the front edge, as far in on the other side, plus 1 cm) from BUTTON_HOLD_CM under the lowest
    button (``top``: the top one) up to the neckline. The part from the top button up is pinned where
    the wrap laid the fronts one over the other: held at the buttons alone, the fronts above the top
    one slid through each other under the collar (jacket: 29 self-crossings, 22 between the fronts;
    held along the stand: 20, at the collar's ends); the rest is closed by springs (_closure)."""
    buttons = np.array([m["points"][0] for m in piece.markings if m.get("kind") == "button"], float)
    if not len(buttons):
        return np.zeros(len(verts2d), bool)
    x = float(np.median(buttons[:, 0]))
    overlap = min(x - float(verts2d[:, 0].min()), float(verts2d[:, 0].max()) - x)  # button line to front edge
    low = (buttons[:, 1].max() if top else buttons[:, 1].min()) - BUTTON_HOLD_CM
    return (np.abs(verts2d[:, 0] - x) < overlap + 1.0) & (verts2d[:, 1] > low)


def _bib_facing(piece, verts2d: np.ndarray) -> np.ndarray:
    """Mask of a bib's faced top between its straps (BIB_FACING_CM deep), held where the wrap laid
    it across the chest: a facing keeps the top edge's line; free, the top sagged into a V between
    the straps (overalls M drape, cotton and denim alike)."""
    top = (piece.landmarks or {}).get("bib_top")
    if top is None:
        return np.zeros(len(verts2d), bool)
    return (np.abs(verts2d[:, 0]) <= abs(float(top[0]))) & (verts2d[:, 1] >= float(top[1]) - BIB_FACING_CM)


BIB_FACING_CM = 3.0


def _strap_ends(piece, pm) -> np.ndarray:
    """Mask of a bib's or low back's straps within STRAP_HOLD_CM of their shoulder seams: held on the
    shoulders where the wrap laid them, as a strap's friction holds it (free, denim's weight slid them
    out over the shoulders' slope: overalls XXL drape, the strap's top 6 cm out, 58 self-crossings)."""
    from scipy.spatial import cKDTree

    ends = [pm.edge_verts[e.name] for e in piece.edges if e.name.startswith("shoulder") and e.name in pm.edge_verts]
    if not ends:
        return np.zeros(len(pm.verts), bool)
    return cKDTree(pm.verts[np.concatenate(ends)]).query(pm.verts)[0] < STRAP_HOLD_CM


STRAP_HOLD_CM = 3.0
ZIP_HOLD_CM = 1.0  # cm either side of a front's zip line held closed


def _zipped(piece, verts2d: np.ndarray) -> np.ndarray:
    """Mask of an edge-to-edge front's vertices along its zip (a jumpsuit's centre front), held
    where the wrap laid the two fronts edge to edge, zipped up: left free, the fronts fell open in a
    V from the neck to the underbust."""
    lines = [np.asarray(m["points"], float) for m in piece.markings if m.get("kind") == "zip"]
    held = np.zeros(len(verts2d), bool)
    for z in lines:
        lo, hi = z[:, 1].min(), z[:, 1].max()
        held |= (np.abs(verts2d[:, 0] - float(z[:, 0].mean())) < ZIP_HOLD_CM) & (verts2d[:, 1] >= lo) \
            & (verts2d[:, 1] <= hi)
    return held


def _lapel_and_under(piece, verts2d: np.ndarray, pos_cm: np.ndarray) -> np.ndarray:
    """Mask of a front's turned-back lapel and the front under it (within PATCH_HOLD_CM): held where
    the wrap laid the lapel on the front, pressed as a lapel is; left free, the front under it sagged
    through it (jacket: 30 self-crossings)."""
    from scipy.spatial import cKDTree

    from ..core.assembly.wrap import fold_lapel

    turned = fold_lapel(piece, verts2d)[1]
    if not turned.any():
        return turned
    near = cKDTree(pos_cm[turned]).query(pos_cm, distance_upper_bound=PATCH_HOLD_CM)[0]
    return turned | np.isfinite(near)


def _hold_under_patches(pattern, mesh, pos_cm: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A pocket is stitched onto the cloth under it; the sim has no stitch across a face, so the
    cloth under a (pinned) pocket is held too: left free it sagged through the pocket (jacket: 27
    of 29 self-crossings at its two pockets)."""
    from scipy.spatial import cKDTree

    from ..core.assembly.wrap import is_patch

    patches = [i for i, p in enumerate(pattern.pieces) if is_patch(p, mesh)]
    if not patches:
        return w
    on = np.isin(mesh.piece_of, patches)
    near = cKDTree(pos_cm[on]).query(pos_cm[~on], distance_upper_bound=PATCH_HOLD_CM)[0]
    held = np.nonzero(~on)[0][np.isfinite(near)]
    w[held] = 1.0
    return w


def build_scene(pattern, method: str = "wrap", rig: bool = False, progress=None,
                edge_cm: float | None = None, fabric=None, layer: bool = False) -> SceneResult:
    """Build mannequin + garment for ``pattern``: build_scene_steps run through (see there)."""
    return run_steps(build_scene_steps(pattern, method, rig, progress, edge_cm, fabric, layer))


LAYER_KEY = "garment_studio_type"  # custom property: the garment type of each garment object


def worn_garments() -> list:
    """Our garment objects in the scene, first worn first (an outfit's layers)."""
    import bpy

    from .scene import COLLECTION, OWNER_KEY

    col = bpy.data.collections.get(COLLECTION)
    objs = [o for o in (col.objects if col else []) if OWNER_KEY in o and LAYER_KEY in o]
    return sorted(objs, key=lambda o: o.get("garment_studio_layer", 0))


def build_scene_steps(pattern, method: str = "wrap", rig: bool = False, progress=None,
                      edge_cm: float | None = None, fabric=None, layer: bool = False):
    """Build mannequin + garment for ``pattern`` (a Pattern) in collection ``Garment``.

    method: "wrap" (numpy projection onto the body, instant) or "drape" (Blender cloth from the wrap).
    rig: add an armature with skin weights on the mannequin and transfer them to the garment.
    progress: core.progress.Progress or None; raises Cancelled when the user stops.
    edge_cm: target triangle edge length (default 1.5 cm for wrap, 2 cm for drape).
    fabric: core.fabric preset name or solver-settings dict (see fabric_settings); None: from the spec.
    layer: keep the garments already built (of other types) and dress this one over them, an outfit
    (a shirt, then a jacket over it); False replaces everything of ours.
    A generator: it yields between drape frames and returns the SceneResult, so a modal operator
    can run it a slice at a time and stop it (``close()`` removes what it had built).
    """
    from . import scene as sc

    _check_method(method)
    _, pattern = as_spec_and_pattern(pattern)
    progress = progress or NULL
    progress(0.0, "mannequin")
    timings: dict[str, float] = {}
    t = time.perf_counter()
    body = body_for_pattern(pattern)
    gtype = (pattern.spec or {}).get("garment_type", "garment")
    under = [g for g in worn_garments() if g[LAYER_KEY] != gtype] if layer else []
    sc.clear(keep=tuple(g.name for g in under))
    from .mannequin import make_mannequin

    mannequin, spans = make_mannequin(body)
    timings["mannequin"] = time.perf_counter() - t
    result = SceneResult(None, mannequin, {}, timings, body.info() | {"mannequin": body.human.report()},
                         method, [], pattern,
                         body_model=body, spans=spans, layers=under, fabric=fabric)
    try:
        yield from _garment_steps(result, pattern, method, progress, edge_cm, fabric, under)
    except BaseException:  # stopped: leave no half-built scene (clear() above left only ours)
        sc.clear(keep=tuple(g.name for g in under))
        raise
    result.garment[LAYER_KEY] = gtype
    result.garment["garment_studio_layer"] = len(under)
    result.camera = sc.camera_and_lights(body.landmarks["height"])
    if rig:
        from .rig import add_rig

        t = time.perf_counter()
        result.rig = add_rig(body, mannequin, spans, result.garment)
        timings["rig"] = time.perf_counter() - t
    _smooth_in_renders(result.garment)  # last: after the armature has deformed the cloth
    progress(1.0, "done")
    return result


def update_scene(result: SceneResult, pattern, progress=None) -> SceneResult:
    """Rebuild only the garment for a new pattern, keeping mannequin, camera and lights when the body
    is unchanged (the refinement loop calls this every iteration)."""
    import bpy

    _, pattern = as_spec_and_pattern(pattern)
    body = body_for_pattern(pattern)
    old_body = result.body_model
    if result.rig is not None or (body.measurements, body.preset) != (old_body.measurements, old_body.preset):
        return build_scene(pattern, result.method, rig=result.rig is not None, progress=progress)
    old = result.garment
    if old is not None:
        data = old.data
        bpy.data.objects.remove(old, do_unlink=True)
        if data.users == 0:
            bpy.data.meshes.remove(data)
    result.timings = {"mannequin": 0.0}
    result.pattern = pattern
    _garment_stage(result, pattern, result.method, progress or NULL, None)
    result.garment[LAYER_KEY] = (pattern.spec or {}).get("garment_type", "garment")
    _smooth_in_renders(result.garment)
    return result


class _RenderIsolation:
    """Render in a temporary scene of our own: it shows only our collection (not the flat pattern
    table in its sub-collections), through our camera, with our world and render settings. The
    user's scene, its render settings, world, camera and collections are never touched; the
    temporary scene and world are removed afterwards."""

    def __init__(self, result: SceneResult):
        self.result = result

    def __enter__(self):
        import bpy

        from .look import studio_world
        from .scene import COLLECTION

        self.scene = bpy.data.scenes.new("GS_Render")
        ours = bpy.data.collections[COLLECTION]
        self.scene.collection.children.link(ours)
        for layer in self.scene.view_layers[0].layer_collection.children[ours.name].children:
            layer.exclude = True
        self.scene.camera = self.result.camera
        self.world = self.scene.world = studio_world()
        return self.scene

    def __exit__(self, *exc):
        import bpy

        bpy.data.scenes.remove(self.scene)
        bpy.data.worlds.remove(self.world)


@contextlib.contextmanager
def _turned(result: SceneResult, view: str):
    """The camera and the studio lights swung together round the body's vertical axis to ``view``
    (the garment keeps its light from the camera's side), put back afterwards."""
    import math

    import bpy
    from mathutils import Matrix

    from .scene import COLLECTION

    rig = [result.camera] + [o for o in bpy.data.collections[COLLECTION].objects if o.type == "LIGHT"]
    # location and Euler angles, not matrix_world: that is stale until the depsgraph next updates
    saved = [(o.location.copy(), o.rotation_euler.copy()) for o in rig]
    angle = math.radians(VIEWS[view])
    turn = Matrix.Rotation(angle, 3, "Z")
    try:
        for o in rig:  # unparented, XYZ Euler (scene.py): a turn about the world Z adds to the Z angle
            o.location = turn @ o.location
            o.rotation_euler.z += angle
        yield
    finally:
        for o, (loc, rot) in zip(rig, saved, strict=True):
            o.location, o.rotation_euler = loc, rot


def _render_png(scene, result: SceneResult, png_path, profile: str, size: int, view: str = "front") -> float:
    from ..core.io import atomic_path
    from . import render as rd

    with _turned(result, view), _fresh_shaders(result, profile), atomic_path(png_path) as tmp:
        out = tmp.with_suffix(".png")  # Blender insists on the extension
        try:
            seconds = rd.render_rgb(scene, out, profile, size)
            out.replace(tmp)
        finally:
            out.unlink(missing_ok=True)
    return seconds


@contextlib.contextmanager
def _final_look(result: SceneResult, profile: str):
    """A final render's cloth: a little thickness, its edges and topstitching (blender.look), for the
    render only."""
    from .look import render_edges, render_thickness

    final = [*result.layers, result.garment] if profile == "final" else []
    with render_thickness(final, _fabric_thickness(result)), render_edges(final):
        yield


def _fresh_shaders(result: SceneResult, profile: str):
    """Each final render (each view of it) with its materials' shaders compiled for it: Eevee ran
    shaders an earlier render had compiled slower (look.fresh_shaders)."""
    from .look import fresh_shaders

    final = [*result.layers, result.garment, result.mannequin] if profile == "final" else []
    return fresh_shaders([o for o in final if o is not None])


def shade(result: SceneResult, look) -> None:
    """Shade the garment with ``look`` (blender.look.Look) from now on: its colour, else the spec's
    features.color, else the fabric's own; its texture; or the pieces' debug colours."""
    from .look import apply_look

    result.look = look
    apply_look(result.garment, result.legend, result.metrics.get("fabric", "cotton_shirting"), look,
               result.pattern.spec if result.pattern is not None else None)


def render_scene(result: SceneResult, png_path, mask_path=None, profile: str = "preview",
                 size: int = 512, look=None, views: tuple[str, ...] = (), view: str = "front") -> dict:
    """Render ``view`` (the front unless told) to ``png_path`` (and the flat garment mask, same camera,
    to ``mask_path``), and each other of ``views`` (VIEWS) beside it as render_<view>.png.

    look: blender.look.Look to shade the garment with from now on (None: keep its current look).
    Returns {"png", "mask", "profile", "size", "seconds", "cpu_seconds" (the front view's, all threads),
    "legend": [{piece, color}], "views", ...}.
    """
    from ..core.io import write_bytes
    from . import render as rd

    _check_size(size)
    check_views((view,))
    extra = [v for v in check_views(views) if v != view]
    if look is not None:
        shade(result, look)
    with _RenderIsolation(result) as scene:
        with _final_look(result, profile):
            cpu = time.process_time()  # all threads (llvmpipe's too): comparable on a loaded machine
            seconds = _render_png(scene, result, png_path, profile, size, view)
            cpu = time.process_time() - cpu
            for v in extra:
                _render_png(scene, result, Path(png_path).with_name(view_png(v)), profile, size, v)
        info = {"png": str(png_path), "profile": profile, "size": size, "engine": rd.eevee_engine(),
                "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "legend": result.legend,
                "views": {view: Path(png_path).name} | {v: view_png(v) for v in extra}}
        if mask_path is not None:
            t = time.perf_counter()
            with _turned(result, view):
                gm, bm = rd.render_masks(scene, result.garment, result.mannequin, size)
            write_bytes(mask_path, rd.mask_png(gm))
            info.update(mask=str(mask_path), mask_seconds=round(time.perf_counter() - t, 3),
                        garment_pixels=int(gm.sum()), body_pixels=int(bm.sum()))
    return info


def _check_size(size) -> None:
    if not isinstance(size, int) or not 16 <= size <= 4096:
        raise UserError(f"size: must be an integer in 16..4096 pixels (got {size!r})")


def render_arrays(result: SceneResult, profile: str = "preview", size: int = 256):
    """In-memory render: (rgb uint8 HxWx3, garment_mask bool HxW, body_mask bool HxW)."""
    from . import render as rd

    _check_size(size)
    with _RenderIsolation(result) as scene:
        return rd.render_arrays(scene, result.garment, result.mannequin, profile, size)


@contextlib.contextmanager
def posed(result: SceneResult, pose: str):
    """Inside: the mannequin and our garments with the arms in ``pose`` (core.body.pose.POSES; a fit
    render's comparison with a photo of sleeves hanging down). Their A-pose vertices, which the
    drape, the exports and the rig use, come back on the way out. Our objects sit at the origin
    unrotated, so object and body coordinates are the same."""
    from scipy.spatial import cKDTree

    from ..core.body.pose import A_POSE, check_pose, hang_arms
    from .scene import coords, set_coords

    if check_pose(pose) == A_POSE:
        yield result
        return
    human = result.body_model.human
    saved = [(o, coords(o)) for o in (result.mannequin, result.garment, *result.layers) if o is not None]
    tree = cKDTree(human.verts)
    try:
        for obj, v in saved:
            set_coords(obj, hang_arms(human, v, tree=tree))
        yield result
    finally:
        for obj, v in saved:
            set_coords(obj, v)


def render_masks(result: SceneResult, size: int = 256):
    """Masks only (one flat Workbench render, ~0.1 s): (garment_mask, body_mask) bool HxW."""
    from . import render as rd

    _check_size(size)
    with _RenderIsolation(result) as scene:
        return rd.render_masks(scene, result.garment, result.mannequin, size)


def export_garment(result: SceneResult, path, include_mannequin: bool = True, thickness_mm: float | None = None,
                   subdivisions: int | None = None) -> str:
    """Write the garment (+ mannequin, + rig) as .glb, .obj, .fbx or .blend chosen by the extension.
    .glb / .fbx: the garment (and worn layers) subdivided (default export.SUBDIVISIONS) and given
    ``thickness_mm`` of cloth (default: its fabric's), UVs as the pattern lays them out; .obj and
    .blend: the simulated surface as it is."""
    from .export import SUBDIVISIONS, check_shell, export_objects, garment_shell

    subdivisions = SUBDIVISIONS if subdivisions is None else subdivisions
    check_shell(thickness_mm, subdivisions)
    objs = [*result.layers, result.garment] + ([result.mannequin, result.rig] if include_mannequin else [])
    if Path(path).suffix.lower() not in (".glb", ".gltf", ".fbx"):
        return export_objects(objs, path)
    thickness = _fabric_thickness(result) if thickness_mm is None else float(thickness_mm)
    with garment_shell([*result.layers, result.garment], thickness, subdivisions) as shelled:
        return export_objects(objs, path, apply_modifiers=shelled)


def _fabric_thickness(result: SceneResult) -> float:
    from ..core.fabric import PRESETS

    preset = PRESETS.get(str(result.metrics.get("fabric", "")))
    return preset.thickness_mm if preset is not None else 0.0


def _fresh_scene() -> None:
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)


def assembly_report(result: SceneResult) -> dict:
    return {"method": result.method,
            "metrics": {k: (round(v, 5) if isinstance(v, float) else v) for k, v in result.metrics.items()},
            "timings_s": {k: round(v, 4) for k, v in result.timings.items()},
            "body": result.body, "legend": result.legend,
            # an outfit's garments under this one, first worn first
            "worn_under": [str(g.get(LAYER_KEY, "garment")) for g in result.layers]}


def _run_build(spec_or_pattern, method: str, rig: bool, progress, fresh: bool, share: float, fabric=None,
               look=None, over=None):
    """Checked input -> (SceneResult, progress); the build takes the first ``share`` of the bar.
    ``over``: an `assemble` output folder opened first (in place of a fresh scene), its garments worn under
    this one (check_over)."""
    _check_method(method)
    _, pattern = as_spec_and_pattern(spec_or_pattern)
    fabric_settings(pattern, fabric)  # a bad fabric is the user's error before anything is built
    progress = progress or NULL
    if over is not None:
        if not (Path(over) / "scene.blend").is_file() or not (Path(over) / "assembly.json").is_file():
            raise UserError(f"over: {over} is not an assemble output folder (needs scene.blend and assembly.json)")
        check_over(pattern, load_assembly(over), over, rig)
    elif fresh:
        _fresh_scene()
    steps = build_scene_steps(pattern, method, rig, progress.sub(0.0, share), None, fabric, layer=over is not None)
    result = run_steps(steps)
    if look is not None:
        shade(result, look)
    return result, progress


OVER_BODY_TOLERANCE_CM = 0.5  # height and girths: a layer is dressed on the body the worn garments were


def check_over(pattern, worn: SceneResult, folder, rig: bool) -> None:
    """A garment dressed over an `assemble` folder's garments (``worn``, load_assembly) must be another
    type, on the same body (its height, bust, waist and hip within OVER_BODY_TOLERANCE_CM), and not
    rigged (the worn layers carry no skin weights)."""
    gtype = (pattern.spec or {}).get("garment_type", "garment")
    types = [g[LAYER_KEY] for g in (*worn.layers, worn.garment)]
    if gtype in types:
        raise UserError(f"over: {folder} already has a {gtype}; a layer must be another garment type "
                        f"(worn: {', '.join(types)})")
    if rig:
        raise UserError("rig: not with --over (the worn garments carry no skin weights); assemble the outfit unrigged")
    new, old = body_for_pattern(pattern).info(), worn.body
    pairs = [("height", new["height_cm"], old.get("height_cm"))]
    pairs += [(k, new["girths_cm"][k], (old.get("girths_cm") or {}).get(k)) for k in ("bust", "waist", "hip")]
    if new["preset"] != old.get("preset"):
        raise UserError(f"over: {folder} was assembled on the {old.get('preset')} body, this garment needs "
                        f"the {new['preset']}; use the same body (size and measurements)")
    for name, a, b in pairs:
        if b is None or abs(a - b) > OVER_BODY_TOLERANCE_CM:
            raise UserError(f"over: {folder} was assembled on another body ({name} {b} cm, this garment's "
                            f"{a:.1f} cm); use the same size and measurements")


def run_assemble(spec_or_pattern, out_dir, method: str = "wrap", rig: bool = False, progress=None,
                 fresh: bool = False, fabric=None, look=None, garment_only: bool = False,
                 thickness_mm: float | None = None, subdivisions: int | None = None, over=None) -> dict:
    """Pattern (or spec) -> OUT/garment.glb, garment.obj, mannequin.obj, garment.fbx, scene.blend,
    pattern.json, assembly.json.

    fresh: start from an empty Blender scene (the CLI and batch runner; never inside a user's file).
    over: an `assemble` output folder whose garments this one is dressed over (an outfit, as the panel's
    "Layer over worn garments"): its scene.blend is opened as the current file (the CLI's fresh process
    only, as ``fresh``); every export then holds the outfit.
    garment_only: garment.glb / .fbx without the mannequin and rig (mannequin.obj is still written).
    thickness_mm, subdivisions: the glb / fbx garment's shell (see export_garment; default: the
    fabric's thickness, no subdivision); garment.obj stays the simulated surface.
    `render` given this folder renders scene.blend as it is, without assembling again.
    """
    from ..core.io import atomic_dir
    from .export import check_shell, export_objects

    check_shell(thickness_mm, 0 if subdivisions is None else subdivisions)  # before the build
    result, progress = _run_build(spec_or_pattern, method, rig, progress, fresh, 0.85, fabric, look, over)
    progress(0.9, "export")
    t = time.perf_counter()
    with atomic_dir(out_dir) as stage:
        for name in ("garment.glb", "garment.fbx"):
            export_garment(result, stage / name, not garment_only, thickness_mm, subdivisions)
        export_objects([*result.layers, result.garment], stage / "garment.obj")
        export_objects([result.mannequin], stage / "mannequin.obj")
        export_objects([result.garment], stage / "scene.blend")
        (stage / "pattern.json").write_text(result.pattern.to_json(), encoding="utf-8")
        result.timings["export"] = time.perf_counter() - t
        report = assembly_report(result)
        (stage / "assembly.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    progress(1.0, "done")
    return report


def load_assembly(folder) -> SceneResult:
    """The SceneResult of an `assemble` output folder, from its scene.blend (opened as the current
    file: the CLI's fresh process, never a user's session): the very objects the glb was written from."""
    import bpy

    from ..core.pattern import load_pattern
    from .scene import COLLECTION

    folder = Path(folder)
    blend, report = folder / "scene.blend", folder / "assembly.json"
    if not blend.is_file() or not report.is_file():
        raise UserError(f"input: {folder} is not an assemble output folder (needs scene.blend and assembly.json)")
    from .quiet import quiet_stdout

    info = json.loads(report.read_text(encoding="utf-8"))
    with quiet_stdout():  # Blender's "Read blend: ..." line
        bpy.ops.wm.open_mainfile(filepath=str(blend), load_ui=False)
    objs = bpy.data.collections[COLLECTION].objects
    garments = sorted((o for o in objs if LAYER_KEY in o), key=lambda o: o.get("garment_studio_layer", 0))
    pattern = load_pattern(folder / "pattern.json") if (folder / "pattern.json").is_file() else None
    return SceneResult(garments[-1], objs["Mannequin"], info.get("metrics", {}), info.get("timings_s", {}),
                       info.get("body", {}), info.get("method", "wrap"), info.get("legend", []), pattern,
                       rig=next((o for o in objs if o.type == "ARMATURE"), None),
                       camera=objs["GarmentCamera"], layers=garments[:-1])


def run_render(spec_or_pattern, out_dir, method: str = "wrap", profile: str = "preview", size: int = 512,
               progress=None, fresh: bool = False, fabric=None, look=None, views: tuple[str, ...] = ()) -> dict:
    """Pattern, spec or `assemble` output folder -> OUT/render.png, OUT/mask.png, OUT/render.json (and
    OUT/render_<view>.png for each other of ``views``: side, back, three_quarter). An assemble folder
    is rendered as assembled (no second simulation: the PNG shows the glb)."""
    from ..core.io import atomic_dir
    from .render import PROFILES

    _check_size(size)
    views = check_views(views)
    if profile not in PROFILES:
        raise UserError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")
    if isinstance(spec_or_pattern, str | Path) and Path(spec_or_pattern).is_dir():
        progress = progress or NULL
        result = load_assembly(spec_or_pattern)
        method = result.method
    else:
        result, progress = _run_build(spec_or_pattern, method, False, progress, fresh, 0.7, fabric)
    progress(0.75, "render")
    with atomic_dir(out_dir) as stage:
        info = render_scene(result, stage / "render.png", stage / "mask.png", profile, size, look, views)
        info.update(png="render.png", mask="mask.png", method=method,
                    timings_s={k: round(v, 4) for k, v in result.timings.items()},
                    metrics=assembly_report(result)["metrics"])
        (stage / "render.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    progress(1.0, "done")
    return info
