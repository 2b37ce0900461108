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


SUBDIVISIONS = 0  # default subdivision levels of an exported garment (1 made the shirt glb 10x: 4.9k -> 48k vertices)
MAX_SUBDIVISIONS = 3
MAX_THICKNESS_MM = 10.0


def check_shell(thickness_mm, subdivisions) -> None:
    """The export's shell options, checked before anything is built (UserError names the field)."""
    if thickness_mm is not None and (isinstance(thickness_mm, bool) or not isinstance(thickness_mm, int | float)
                                     or not 0.0 <= thickness_mm <= MAX_THICKNESS_MM):
        raise UserError(f"thickness: must be a number in 0..{MAX_THICKNESS_MM:g} mm (got {thickness_mm!r})")
    if isinstance(subdivisions, bool) or not isinstance(subdivisions, int) or not 0 <= subdivisions <= MAX_SUBDIVISIONS:
        raise UserError(f"subdivisions: must be an integer in 0..{MAX_SUBDIVISIONS} (got {subdivisions!r})")


def outward_thickness(obj, name: str, thickness_mm: float, rim: bool = True):
    """A Solidify on ``obj`` that grows ``thickness_mm`` of cloth outward (the garment's normals face
    away from the body: nothing new sinks into it), its edges closed by a rim unless ``rim`` is False;
    returns the modifier.
    No even offset: it scales the offset by each corner's angle, and at a draped shirt's folded cuff
    it threw a spike 15 cm past the hand (a hoodie M's exported glb reached 5 cm past its obj)."""
    mod = obj.modifiers.new(name, "SOLIDIFY")
    mod.thickness = thickness_mm / 1000.0
    mod.offset = 1.0
    mod.use_rim = rim
    return mod


@contextlib.contextmanager
def garment_shell(garments, thickness_mm: float, subdivisions: int):
    """While exporting: each garment smoothed by ``subdivisions`` Catmull-Clark levels (UV islands
    kept where they are: the pattern's layout) and given ``thickness_mm`` of cloth, grown outward
    from the simulated surface (away from the body, so nothing new sinks into it). Modifiers only,
    removed afterwards: the scene keeps the simulated mesh."""
    added = []
    try:
        for g in garments:
            if subdivisions:
                sub = g.modifiers.new("GS_Export_Subdivision", "SUBSURF")
                sub.levels = sub.render_levels = subdivisions
                sub.uv_smooth = "PRESERVE_BOUNDARIES"
                added.append((g, sub))
            if thickness_mm > 0:
                added.append((g, outward_thickness(g, "GS_Export_Thickness", thickness_mm)))
        yield bool(added)
    finally:
        for g, mod in added:
            g.modifiers.remove(mod)


def export_objects(objects, path, apply_modifiers: bool = False) -> str:
    """Write ``objects`` to ``path``; the format follows the extension. Blender's own messages
    ("Info: Saved ...", the glTF exporter's log) are silenced: callers report what they wrote.
    apply_modifiers: write meshes as their modifiers make them (not the armature: that stays a skin)."""
    from .quiet import quiet_stdout

    path = Path(path)
    ext = path.suffix.lower()
    objects = [o for o in objects if o is not None]
    if ext not in FORMATS:
        raise UserError(f"export path: extension must be one of {', '.join(FORMATS)} (got {ext or 'none'!r})")
    with quiet_stdout():
        return _write(objects, path, ext, apply_modifiers)


def _write(objects, path: Path, ext: str, apply_modifiers: bool = False) -> str:
    if ext == ".blend":
        bpy.ops.wm.save_as_mainfile(filepath=str(path), copy=True, check_existing=False)
        return str(path)
    with _selected(objects):
        _write_selected(path, ext, apply_modifiers)
    return str(path)


def _write_selected(path: Path, ext: str, apply_modifiers: bool = False) -> None:
    if ext in (".glb", ".gltf"):
        bpy.ops.export_scene.gltf(filepath=str(path), use_selection=True,
                                  export_format="GLB" if ext == ".glb" else "GLTF_SEPARATE",
                                  export_texcoords=True, export_normals=True, export_materials="EXPORT",
                                  export_skins=True, export_apply=apply_modifiers, export_animations=False)
    elif ext == ".obj":
        bpy.ops.wm.obj_export(filepath=str(path), export_selected_objects=True, export_uv=True,
                              export_normals=True, export_materials=True, export_triangulated_mesh=False,
                              apply_modifiers=apply_modifiers, export_animation=False)
    else:
        # identity transforms on every object and the armature (no -90 degree X turn, no x100 scale):
        # the file keeps Blender's Z-up axes and says so in its GlobalSettings, with metres as its
        # unit (UnitScaleFactor 100); Unity and Unreal convert both on import. Baking a Y-up turn into
        # the data (bake_space_transform) would leave the armature turned.
        bpy.ops.export_scene.fbx(filepath=str(path), use_selection=True, add_leaf_bones=False,
                                 bake_anim=False, use_mesh_modifiers=apply_modifiers,
                                 apply_scale_options="FBX_SCALE_ALL",
                                 apply_unit_scale=True, axis_forward="Y", axis_up="Z")
