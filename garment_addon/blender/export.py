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
    from .quiet import quiet_stdout

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
        # identity transforms on every object and the armature (no -90 degree X turn, no x100 scale):
        # the file keeps Blender's Z-up axes and says so in its GlobalSettings, with metres as its
        # unit (UnitScaleFactor 100); Unity and Unreal convert both on import. Baking a Y-up turn into
        # the data (bake_space_transform) would leave the armature turned.
        bpy.ops.export_scene.fbx(filepath=str(path), use_selection=True, add_leaf_bones=False,
                                 bake_anim=False, use_mesh_modifiers=False, apply_scale_options="FBX_SCALE_ALL",
                                 apply_unit_scale=True, axis_forward="Y", axis_up="Z")
