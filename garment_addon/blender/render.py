"""Render the front view (Eevee) and flat masks (Workbench, object colours) with bpy."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import bpy
import numpy as np

from ..core.errors import UserError

PROFILES = ("preview", "final")
FINAL_SAMPLES = 12
FINAL_PIXEL_FILTER = 2.0  # px
PREVIEW_PIXEL_FILTER = 1.5  # px: Blender's default


def eevee_engine() -> str:
    """'BLENDER_EEVEE' in Blender 5.x, 'BLENDER_EEVEE_NEXT' in 4.2-4.5."""
    items = bpy.types.RenderSettings.bl_rna.properties["engine"].enum_items.keys()
    return "BLENDER_EEVEE_NEXT" if "BLENDER_EEVEE_NEXT" in items else "BLENDER_EEVEE"


def _setup(scene, size: int) -> None:
    r = scene.render
    r.resolution_x = r.resolution_y = int(size)
    r.resolution_percentage = 100
    r.image_settings.file_format = "PNG"
    r.image_settings.color_mode = "RGBA"
    r.use_compositing = False
    r.use_sequencer = False


def configure_eevee(scene, profile: str) -> None:
    if profile not in PROFILES:
        raise UserError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")
    from .look import color_management

    scene.render.engine = eevee_engine()
    scene.render.film_transparent = False
    color_management(scene, profile)
    ee = scene.eevee
    if profile == "preview":
        ee.taa_render_samples = 1
        scene.render.filter_size = PREVIEW_PIXEL_FILTER
        _set(ee, "use_shadows", False)
        _set(ee, "use_raytracing", False)
    else:
        # 12 samples and a 2 px pixel filter (Blender's default 1.5): the penumbra a hem casts on the
        # thighs rendered as a stipple at 8 samples, the lapels' on the chest in a jacket's V still at 10
        # (jacket M 1024²: rms of the V's high-passed difference to a 64-sample render 2.30 at 10, 1.50 at
        # 12, 1.12 at 14; the whole jacket 0.94 -> 0.72); 12 cost 1.34x the CPU time of 10 (dress M), 14
        # 1.54x, over the 30 s budget. An OIDN Denoise node in the compositor (with albedo and normal
        # passes) ran but left this speckle as it was (V 2.29) for ~1.6x the time: it is correlated over
        # the pixel filter's few pixels, not the per-pixel noise OIDN is trained on
        ee.taa_render_samples = FINAL_SAMPLES
        scene.render.filter_size = FINAL_PIXEL_FILTER
        _set(ee, "use_shadows", True)
        _set(ee, "use_raytracing", False)
        # soft shadows are traced through the shadow maps: 1 ray of 4 steps per sample left a fine
        # speckle in the penumbrae (upper sleeves, thighs under a hem) at 8 samples; 2 rays of 6 steps
        # smooth the sleeves at the same CPU time (10.8 vs 11.9 s at 512², load 9-12; 3 rays: 25 s)
        _set(ee, "shadow_ray_count", 2)
        _set(ee, "shadow_step_count", 6)
        from .scene import light_shadows

        for light in {o.data for o in scene.objects if o.type == "LIGHT"}:
            light_shadows(light)


def _set(obj, name: str, value) -> None:
    if hasattr(obj, name):
        setattr(obj, name, value)


def _render_to(scene, path: Path) -> None:
    from .quiet import quiet_stdout

    scene.render.filepath = str(path)
    with quiet_stdout(filter_stderr=True):  # Blender's "Saved: ..." and GPU-less EGL noise
        bpy.ops.render.render(write_still=True, scene=scene.name)


def _read_png(path: Path) -> np.ndarray:
    from ..core.imageio import load_image

    return np.asarray(load_image(path, "render", min_side=1).convert("RGBA"))


def render_rgb(scene, path: Path, profile: str, size: int) -> float:
    """Eevee render of the scene camera to ``path`` (PNG); returns seconds."""
    t = time.perf_counter()
    _setup(scene, size)
    configure_eevee(scene, profile)
    _render_to(scene, path)
    return time.perf_counter() - t


def render_masks(scene, garment, mannequin, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(garment_mask, body_mask) bool HxW of visible pixels, from a flat Workbench render. Subdivision
    modifiers are off for it: smoothing moves the outline by under a pixel and made each mask of the
    fit loop ~2 s instead of ~0.3 s."""
    _setup(scene, size)
    vs = scene.view_settings
    prev = (scene.render.engine, scene.render.film_transparent, vs.view_transform, vs.exposure)
    vs.exposure = 0.0
    scene.render.engine = "BLENDER_WORKBENCH"
    scene.render.film_transparent = True
    scene.view_settings.view_transform = "Standard"
    shading = scene.display.shading
    shading.light = "FLAT"
    shading.color_type = "OBJECT"
    _set(scene.display, "render_aa", "OFF")
    others = [o for o in scene.objects if o.type == "MESH" and o not in (garment, mannequin)]
    saved = [(o, o.hide_render) for o in others]
    for o in others:
        o.hide_render = True
    smooth = [m for m in garment.modifiers if m.type == "SUBSURF" and m.show_render]
    for m in smooth:
        m.show_render = False
    cols = (tuple(garment.color), tuple(mannequin.color))
    garment.color = (1.0, 0.0, 0.0, 1.0)
    mannequin.color = (0.0, 1.0, 0.0, 1.0)
    fd, tmp = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    try:
        _render_to(scene, Path(tmp))
        px = _read_png(Path(tmp))
    finally:
        os.unlink(tmp)
        garment.color, mannequin.color = cols
        for m in smooth:
            m.show_render = True
        for o, h in saved:
            o.hide_render = h
        scene.render.engine, scene.render.film_transparent, vs.view_transform, vs.exposure = prev
    alpha = px[..., 3] > 127
    return alpha & (px[..., 0] > 127) & (px[..., 1] < 128), alpha & (px[..., 1] > 127) & (px[..., 0] < 128)


def mask_png(mask: np.ndarray) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray((mask * 255).astype(np.uint8), "L").save(buf, format="PNG")
    return buf.getvalue()


def render_arrays(scene, garment, mannequin, profile: str, size: int):
    """(rgb uint8 HxWx3, garment_mask, body_mask) without leaving files behind."""
    fd, tmp = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    try:
        render_rgb(scene, Path(tmp), profile, size)
        rgb = _read_png(Path(tmp))[..., :3].copy()
    finally:
        os.unlink(tmp)
    gm, bm = render_masks(scene, garment, mannequin, size)
    return rgb, gm, bm
