"""Blender pipeline: pattern -> mannequin + 3D garment -> render / export.

The entry points other front ends call (CLI, operators, batch runner, refinement loop).
All objects live in the collection ``Garment``; rebuilding replaces only that collection's objects.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.body.mannequin import body_for_pattern
from ..core.errors import UserError
from ..core.progress import NULL, Progress, run_steps

METHODS = ("wrap", "drape")
DRAPE_FRAMES = (15, 30)  # seam-closing frames without gravity, then settling frames with gravity
DRAPE_EDGE = 2.5  # cm: target triangle edge for the cloth mesh (the wrap uses 1.5)
HOOD_PIN_POWER = 1.0  # hood pin weight = (height above the neck base / hood height) ** power


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


def _make_garment(pattern, mesh, pos_cm, with_seams: bool):
    from . import scene as sc

    colors = sc.palette(len(mesh.pieces))
    face_piece = mesh.piece_of[mesh.faces[:, 0]]
    obj = sc.mesh_object("Garment", pos_cm, mesh.faces, edges=mesh.seam_pairs if with_seams else None,
                         uv=mesh.uv, material_index=face_piece)
    legend = []
    for pm, c, piece in zip(mesh.pieces, colors, pattern.pieces, strict=True):
        obj.data.materials.append(sc.material(f"GS_{pm.name}", c))
        legend.append({"piece": pm.name, "color": sc.hex_color(c), "body_region": piece.body_region})
    obj.data.polygons.foreach_set("use_smooth", np.ones(len(mesh.faces), bool))
    return obj, legend


def _garment_stage(result: SceneResult, pattern, method: str, progress: Progress, edge_cm: float | None):
    """Mesh, wrap (and drape) the pattern onto result.body_model; sets garment, metrics, timings."""
    run_steps(_garment_steps(result, pattern, method, progress, edge_cm))


def _garment_steps(result: SceneResult, pattern, method: str, progress: Progress, edge_cm: float | None):
    """_garment_stage as steps: yields between drape frames. Stopped early (closed, cancelled, an
    error) it removes the half-made garment, the collider and the cloth's collections."""
    import bpy

    from ..core.assembly import assembly_metrics, finish, snap_seams, wrap
    from ..core.mesh import mesh_pattern
    from . import drape as dr
    from . import scene as sc
    from .scene import CM

    body, timings = result.body_model, result.timings
    t = time.perf_counter()
    mesh = mesh_pattern(pattern, edge_cm or (DRAPE_EDGE if method == "drape" else 1.5))
    timings["meshing"] = time.perf_counter() - t
    progress(0.25, "wrap")
    t = time.perf_counter()
    pos = wrap(pattern, mesh, body)
    timings["wrap"] = time.perf_counter() - t
    metrics = {f"wrap_{k}": v for k, v in assembly_metrics(mesh, pos, body).items()}
    garment, legend = _make_garment(pattern, mesh, pos, with_seams=method == "drape")
    if method == "drape":
        t = time.perf_counter()
        scene = bpy.context.scene
        collider = dr.add_collider(body)
        try:
            flat = np.column_stack([mesh.verts2d, np.zeros(len(mesh.verts2d))])
            scale = dr.rest_scale(pos, flat, mesh.faces)
            cloth = dr.setup_cloth(garment, scale, DRAPE_FRAMES, pin=_pin_weights(pattern, mesh, pos, body))
            dr.isolate(cloth, collider)
            raw = yield from dr.simulate_steps(scene, garment, DRAPE_FRAMES, progress.sub(0.3, 0.9))
        except BaseException:
            scene.frame_set(1)
            dr.remove_isolation()
            sc.remove_object(collider)
            sc.remove_object(garment)
            raise
        scene.frame_set(1)
        metrics.update({f"sim_{k}": v for k, v in assembly_metrics(mesh, raw, body).items()
                        if k in ("inside_fraction", "max_seam_gap_cm", "mean_stretch")})
        # where the cloth left a seam open (crowded junctions: underarm, crotch) close it exactly,
        # spreading the move smoothly, then relax toward the pattern's lengths as the wrap does
        gap_cm = dr.COLLISION_DISTANCE / CM
        pos = finish(pattern, mesh, body.push_out(snap_seams(mesh, raw), gap_cm), body, gap_cm)
        timings["drape"] = time.perf_counter() - t
        metrics.update(assembly_metrics(mesh, pos, body))
    else:
        metrics.update(assembly_metrics(mesh, pos, body))
    from .drape import bake_and_weld

    bake_and_weld(garment, pos, mesh.seam_pairs, weld_distance_cm=0.6)
    if method == "drape":
        dr.remove_isolation()
        sc.remove_object(collider)
    metrics["welded_vertices"] = len(garment.data.vertices)
    result.garment, result.legend, result.mesh, result.positions_cm = garment, legend, mesh, pos
    result.metrics = metrics


def _pin_weights(pattern, mesh, pos_cm: np.ndarray, body) -> np.ndarray:
    """Per-vertex pin weight for the drape (0 free, 1 held at its wrapped place): waistbands and waist
    edges (a waistband's grip holds a skirt up), pockets, and a hood, held softly from its neck edge
    (free) up to its crown (pinned), as a head inside it would, so gravity cannot pull it back into a
    heap behind the neck."""
    from ..core.assembly.wrap import is_patch

    w = np.zeros(len(pos_cm))
    neck = body.landmarks["neck_base"]
    for piece, pm, o in zip(pattern.pieces, mesh.pieces, mesh.offsets, strict=True):
        idx = np.arange(len(pm.verts)) + o
        region = piece.body_region or ""
        # pockets too: sewn onto a face, not an edge, nothing else holds them in the cloth sim
        if region == "waistband" or is_patch(piece, mesh):
            w[idx] = 1.0
        elif region.startswith("hood"):
            z = pos_cm[idx, 2]
            w[idx] = np.clip((z - neck) / max(z.max() - neck, 1.0), 0.0, 1.0) ** HOOD_PIN_POWER
        for e in piece.edges:
            if e.role == "waist":
                w[pm.edge_verts[e.name] + o] = 1.0
    return w


def build_scene(pattern, method: str = "wrap", rig: bool = False, progress=None,
                edge_cm: float | None = None) -> SceneResult:
    """Build mannequin + garment for ``pattern``: build_scene_steps run through (see there)."""
    return run_steps(build_scene_steps(pattern, method, rig, progress, edge_cm))


def build_scene_steps(pattern, method: str = "wrap", rig: bool = False, progress=None,
                      edge_cm: float | None = None):
    """Build mannequin + garment for ``pattern`` (a Pattern) in collection ``Garment``.

    method: "wrap" (numpy projection onto the body, instant) or "drape" (Blender cloth from the wrap).
    rig: add an armature with skin weights on the mannequin and transfer them to the garment.
    progress: core.progress.Progress or None; raises Cancelled when the user stops.
    edge_cm: target triangle edge length (default 1.5 cm for wrap, 2 cm for drape).
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
    sc.clear()
    from .mannequin import make_mannequin

    mannequin, spans = make_mannequin(body)
    timings["mannequin"] = time.perf_counter() - t
    result = SceneResult(None, mannequin, {}, timings, body.info() | {"mannequin": body.human.report()},
                         method, [], pattern,
                         body_model=body, spans=spans)
    try:
        yield from _garment_steps(result, pattern, method, progress, edge_cm)
    except BaseException:  # stopped: leave no half-built scene (clear() above left only ours)
        sc.clear()
        raise
    result.camera = sc.camera_and_lights(body.landmarks["height"])
    if rig:
        from .rig import add_rig

        t = time.perf_counter()
        result.rig = add_rig(body, mannequin, spans, result.garment)
        timings["rig"] = time.perf_counter() - t
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
    return result


class _RenderIsolation:
    """Only our objects render, through our camera; the user's scene is restored afterwards."""

    def __init__(self, result: SceneResult):
        import bpy

        self.scene = bpy.context.scene
        self.result = result

    def __enter__(self):
        import bpy

        from .scene import COLLECTION

        ours = set(bpy.data.collections[COLLECTION].objects)
        self.saved = [(o, o.hide_render) for o in self.scene.objects if o not in ours]
        for o, _ in self.saved:
            o.hide_render = True
        self.camera = self.scene.camera
        self.scene.camera = self.result.camera
        return self.scene

    def __exit__(self, *exc):
        for o, h in self.saved:
            o.hide_render = h
        self.scene.camera = self.camera


def render_scene(result: SceneResult, png_path, mask_path=None, profile: str = "preview",
                 size: int = 512) -> dict:
    """Render the front view to ``png_path`` (and the flat garment mask to ``mask_path``).

    Returns {"png", "mask", "profile", "size", "seconds", "legend": [{piece, color}], ...}.
    """
    from ..core.io import atomic_path, write_bytes
    from . import render as rd

    _check_size(size)
    with _RenderIsolation(result) as scene:
        with atomic_path(png_path) as tmp:
            out = tmp.with_suffix(".png")  # Blender insists on the extension
            try:
                seconds = rd.render_rgb(scene, out, profile, size)
                out.replace(tmp)
            finally:
                out.unlink(missing_ok=True)
        info = {"png": str(png_path), "profile": profile, "size": size, "engine": rd.eevee_engine(),
                "seconds": round(seconds, 3), "legend": result.legend}
        if mask_path is not None:
            t = time.perf_counter()
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


def render_masks(result: SceneResult, size: int = 256):
    """Masks only (one flat Workbench render, ~0.1 s): (garment_mask, body_mask) bool HxW."""
    from . import render as rd

    _check_size(size)
    with _RenderIsolation(result) as scene:
        return rd.render_masks(scene, result.garment, result.mannequin, size)


def export_garment(result: SceneResult, path, include_mannequin: bool = True) -> str:
    """Write the garment (+ mannequin, + rig) as .glb, .obj, .fbx or .blend chosen by the extension."""
    from .export import export_objects

    objs = [result.garment] + ([result.mannequin] if include_mannequin else []) + [result.rig]
    return export_objects(objs, path)


def _fresh_scene() -> None:
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)


def assembly_report(result: SceneResult) -> dict:
    return {"method": result.method,
            "metrics": {k: (round(v, 5) if isinstance(v, float) else v) for k, v in result.metrics.items()},
            "timings_s": {k: round(v, 4) for k, v in result.timings.items()},
            "body": result.body, "legend": result.legend}


def _run_build(spec_or_pattern, method: str, rig: bool, progress, fresh: bool, share: float):
    """Checked input -> (SceneResult, progress); the build takes the first ``share`` of the bar."""
    _check_method(method)
    _, pattern = as_spec_and_pattern(spec_or_pattern)
    progress = progress or NULL
    if fresh:
        _fresh_scene()
    return build_scene(pattern, method, rig, progress.sub(0.0, share)), progress


def run_assemble(spec_or_pattern, out_dir, method: str = "wrap", rig: bool = False, progress=None,
                 fresh: bool = False) -> dict:
    """Pattern (or spec) -> OUT/garment.glb, garment.obj, mannequin.obj, scene.blend, assembly.json.

    fresh: start from an empty Blender scene (the CLI and batch runner; never inside a user's file).
    """
    from ..core.io import atomic_dir
    from .export import export_objects

    result, progress = _run_build(spec_or_pattern, method, rig, progress, fresh, 0.85)
    progress(0.9, "export")
    t = time.perf_counter()
    with atomic_dir(out_dir) as stage:
        export_garment(result, stage / "garment.glb")
        export_objects([result.garment], stage / "garment.obj")
        export_objects([result.mannequin], stage / "mannequin.obj")
        export_objects([result.garment], stage / "scene.blend")
        result.timings["export"] = time.perf_counter() - t
        report = assembly_report(result)
        (stage / "assembly.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    progress(1.0, "done")
    return report


def run_render(spec_or_pattern, out_dir, method: str = "wrap", profile: str = "preview", size: int = 512,
               progress=None, fresh: bool = False) -> dict:
    """Pattern (or spec) -> OUT/render.png, OUT/mask.png, OUT/render.json (colour legend)."""
    from ..core.io import atomic_dir
    from .render import PROFILES

    _check_size(size)
    if profile not in PROFILES:
        raise UserError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")
    result, progress = _run_build(spec_or_pattern, method, False, progress, fresh, 0.7)
    progress(0.75, "render")
    with atomic_dir(out_dir) as stage:
        info = render_scene(result, stage / "render.png", stage / "mask.png", profile, size)
        info.update(png="render.png", mask="mask.png", method=method,
                    timings_s={k: round(v, 4) for k, v in result.timings.items()},
                    metrics=assembly_report(result)["metrics"])
        (stage / "render.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    progress(1.0, "done")
    return info
