"""3D export of the garment (and mannequin) with bpy: .glb, .obj, .fbx, .blend."""

from __future__ import annotations

import contextlib
from pathlib import Path

import bpy

from ..core.errors import UserError

FORMATS = (".glb", ".gltf", ".obj", ".fbx", ".blend")


@contextlib.contextmanager
def _selected(objects):
    """Select exactly ``objects`` (the exporters write the selection), then give the user back
    their selection and active object."""
    layer = bpy.context.view_layer
    before = [o for o in layer.objects if o.select_get()]
    active = layer.objects.active
    for o in layer.objects:
        o.select_set(False)
    for o in objects:
        o.select_set(True)
    layer.objects.active = objects[0]
    try:
        yield
    finally:
        for o in layer.objects:
            o.select_set(o in before)
        layer.objects.active = active


def export_objects(objects, path) -> str:
    """Write ``objects`` to ``path``; the format follows the extension. Blender's own messages
    ("Info: Saved ...", the glTF exporter's log) are silenced: callers report what they wrote."""
    from .refine_render import quiet_stdout

    path = Path(path)
    ext = path.suffix.lower()
    objects = [o for o in objects if o is not None]
    if ext not in FORMATS:
        raise UserError(f"export path: extension must be one of {', '.join(FORMATS)} (got {ext or 'none'!r})")
    with quiet_stdout():
        return _write(objects, path, ext)


def _write(objects, path: Path, ext: str) -> str:
    if ext == ".blend":
        bpy.ops.wm.save_as_mainfile(filepath=str(path), copy=True, check_existing=False)
        return str(path)
    with _selected(objects):
        _write_selected(path, ext)
    return str(path)


# FBX for game engines: metres as engine units (scale applied: 1, not Blender's default 100 cm
# units), Y up / -Z forward baked into the mesh data (bake_space_transform), so every object
# arrives with identity rotation and unit scale, as Unity and Unreal expect.
FBX_OPTIONS = dict(apply_unit_scale=True, apply_scale_options="FBX_SCALE_ALL", global_scale=1.0,
                   axis_forward="-Z", axis_up="Y", bake_space_transform=True, add_leaf_bones=False,
                   bake_anim=False, use_mesh_modifiers=False, mesh_smooth_type="FACE")


def _write_selected(path: Path, ext: str) -> None:
    if ext in (".glb", ".gltf"):
        bpy.ops.export_scene.gltf(filepath=str(path), use_selection=True,
                                  export_format="GLB" if ext == ".glb" else "GLTF_SEPARATE",
                                  export_texcoords=True, export_normals=True, export_materials="EXPORT",
                                  export_skins=True, export_apply=False, export_animations=False)
    elif ext == ".obj":
        bpy.ops.wm.obj_export(filepath=str(path), export_selected_objects=True, export_uv=True,
                              export_normals=True, export_materials=True, export_triangulated_mesh=False,
                              apply_modifiers=False, export_animation=False)
    else:
        bpy.ops.export_scene.fbx(filepath=str(path), use_selection=True, **FBX_OPTIONS)
