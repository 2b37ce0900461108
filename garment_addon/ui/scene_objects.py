"""The add-on's own objects: the `Garment` collection, and the flat pattern on its table.

Every object an operator makes is tagged ``obj["garment_studio"] = <role>`` and
lives under the collection `Garment`; re-running an operator removes only the
objects of its role, never anything the user made.
"""

from __future__ import annotations

from contextlib import contextmanager

import bpy
import numpy as np

from ..blender.scene import material, palette
from . import convert

COLLECTION = "Garment"
PATTERN_COLLECTION = "Garment Pattern"
TAG = "garment_studio"
TABLE_X = 0.7  # m: the pattern table starts this far right of the mannequin (which stands at the origin)
TABLE_Z = 0.75  # m: table height
TABLE_MARGIN = 0.05  # m


def collection(scene, name: str = COLLECTION, parent=None):
    """The named collection, created (and linked under ``parent`` or the scene) when missing."""
    coll = bpy.data.collections.get(name)
    if coll is None:
        coll = bpy.data.collections.new(name)
    parent = parent or scene.collection
    if coll.name not in parent.children:
        parent.children.link(coll)
    return coll


def owned(role: str | None = None) -> list:
    return [o for o in bpy.data.objects if TAG in o and (role is None or o[TAG] == role)]


def remove_owned(role: str, keep=()) -> int:
    """Delete this add-on's objects of one role (and their orphaned meshes), except those in ``keep``."""
    gone = [o for o in owned(role) if o not in keep]
    for obj in gone:
        data = obj.data
        bpy.data.objects.remove(obj, do_unlink=True)
        if isinstance(data, bpy.types.Mesh) and data.users == 0:
            bpy.data.meshes.remove(data)
    return len(gone)


def _layout(pattern):
    """[(piece name, verts (N,2) cm on the pattern sheet, triangles, uv)] from the core mesher.

    The mesher makes near-uniform triangles with UVs = (piece coordinates + sheet offset) / sheet
    size, so the flat pieces lie on the table exactly as on the printed sheet.
    """
    from ..core.mesh import mesh_pattern

    gm = mesh_pattern(pattern)
    # recover the sheet size from the widest piece: its uv span times the size is its cm span
    widest = max(gm.pieces, key=lambda pm: float(np.ptp(pm.uv[:, 0])))
    sheet = float(np.ptp(widest.verts[:, 0]) / np.ptp(widest.uv[:, 0]))
    return [(pm.name, pm.uv * sheet, pm.faces, pm.uv) for pm in gm.pieces]


def build_pattern_table(scene, pattern) -> list:
    """Flat piece meshes (UVs = sheet layout) on a table beside the mannequin; replaces the old ones."""
    remove_owned("pattern")
    parent = collection(scene)
    coll = collection(scene, PATTERN_COLLECTION, parent)
    layout = _layout(pattern)
    height = max(float(v[:, 1].max()) for _, v, _, _ in layout) * convert.CM
    width = max(float(v[:, 0].max()) for _, v, _, _ in layout) * convert.CM
    origin = np.array([TABLE_X + TABLE_MARGIN, -height / 2])
    objs = [_table(coll, width, height)]
    # the 3D garment's palette and materials, so a flat piece has the colour of its 3D panel
    colors = palette(len(layout))
    for (name, verts, faces, uv), color in zip(layout, colors, strict=True):
        xy = np.asarray(verts, float) * convert.CM + origin
        co = np.column_stack([xy, np.full(len(xy), TABLE_Z + 0.001)])
        mesh = bpy.data.meshes.new(f"GS pattern {name}")
        mesh.from_pydata(co.tolist(), [], [list(map(int, f)) for f in faces])
        layer = mesh.uv_layers.new(name="UVMap")
        loop_vert = np.empty(len(mesh.loops), np.int64)
        mesh.loops.foreach_get("vertex_index", loop_vert)
        layer.data.foreach_set("uv", np.asarray(uv, np.float32)[loop_vert].ravel())
        mesh.validate()
        obj = bpy.data.objects.new(f"GS {name}", mesh)
        obj[TAG] = "pattern"
        obj["piece"] = name
        mesh.materials.append(material(f"GS_{name}", color))
        obj.color = (*color, 1.0)
        coll.objects.link(obj)
        objs.append(obj)
    return objs


def _table(coll, width: float, height: float):
    x0, x1 = TABLE_X, TABLE_X + width + 2 * TABLE_MARGIN
    y0, y1 = -height / 2 - TABLE_MARGIN, height / 2 + TABLE_MARGIN
    mesh = bpy.data.meshes.new("GS pattern table")
    mesh.from_pydata([(x0, y0, TABLE_Z), (x1, y0, TABLE_Z), (x1, y1, TABLE_Z), (x0, y1, TABLE_Z)], [],
                     [(0, 1, 2, 3)])
    obj = bpy.data.objects.new("GS Pattern Table", mesh)
    obj[TAG] = "pattern"
    obj.color = (0.85, 0.82, 0.75, 1.0)
    obj.hide_select = True
    coll.objects.link(obj)
    return obj


# What the CLI's empty factory scene has: the cloth's time step and pull follow these scene settings.
_SIM_SETTINGS = {"render.fps": 24, "render.fps_base": 1.0, "gravity": (0.0, 0.0, -9.81), "use_gravity": True}
_KEEP = ("frame_start", "frame_end", "frame_current")  # the drape steps the scene's frames


def _affects_cloth(obj) -> bool:
    """The user's colliders and force fields: a cloth with no collection set feels every one in the scene."""
    field = getattr(obj, "field", None)
    return TAG not in obj and (any(m.type == "COLLISION" for m in obj.modifiers)
                               or (field is not None and field.type != "NONE"))


@contextmanager
def cli_sim_settings(scene):
    """Assemble in the user's scene as the CLI does in its empty one: factory frame rate and gravity,
    the user's colliders and force fields switched off; everything put back afterwards."""
    saved = {k: _get(scene, k) for k in (*_SIM_SETTINGS, *_KEEP)}
    muted = [o for o in scene.objects if _affects_cloth(o) and not o.hide_viewport]
    try:
        for key, value in _SIM_SETTINGS.items():
            _set(scene, key, value)
        for obj in muted:
            obj.hide_viewport = True  # out of the depsgraph, so out of the simulation
        yield
    finally:
        for obj in muted:
            obj.hide_viewport = False
        for key, value in saved.items():
            if key != "frame_current":
                _set(scene, key, value)
        scene.frame_set(saved["frame_current"])


def _get(scene, dotted: str):
    owner, _, name = dotted.rpartition(".")
    value = getattr(scene.render if owner else scene, name)
    return tuple(value) if hasattr(value, "__len__") else value


def _set(scene, dotted: str, value) -> None:
    owner, _, name = dotted.rpartition(".")
    setattr(scene.render if owner else scene, name, value)
