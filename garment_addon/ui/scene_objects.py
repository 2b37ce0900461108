"""The add-on's own objects: the `Garment` collection, and the flat pattern on its table.

Every object an operator makes is tagged ``obj["garment_studio"] = <role>`` and
lives under the collection `Garment`; re-running an operator removes only the
objects of its role, never anything the user made.
"""

from __future__ import annotations

import colorsys

import bpy
import numpy as np

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


def remove_owned(role: str) -> int:
    """Delete this add-on's objects of one role (and their orphaned meshes)."""
    gone = owned(role)
    for obj in gone:
        data = obj.data
        bpy.data.objects.remove(obj, do_unlink=True)
        if isinstance(data, bpy.types.Mesh) and data.users == 0:
            bpy.data.meshes.remove(data)
    return len(gone)


def piece_color(i: int, n: int) -> tuple[float, float, float, float]:
    r, g, b = colorsys.hsv_to_rgb((i / max(n, 1) + 0.05) % 1.0, 0.55, 0.9)
    return (r, g, b, 1.0)


def _layout(pattern):
    """[(piece name, verts (N,2) cm on the sheet, faces, uv)] and the sheet size in cm.

    Uses the core mesher (near-uniform triangles, UVs as on the pattern sheet); if it
    is unavailable each outline becomes one polygon, laid out in a row.
    """
    try:
        from ..core.mesh import mesh_pattern
    except ImportError:
        mesh_pattern = None
    if mesh_pattern is not None:
        gm = mesh_pattern(pattern)
        # uv = (verts + sheet offset) / sheet size: recover the size from the widest piece
        widest = max(gm.pieces, key=lambda pm: float(np.ptp(pm.uv[:, 0])))
        sheet = float(np.ptp(widest.verts[:, 0]) / np.ptp(widest.uv[:, 0]))
        return [(pm.name, pm.uv * sheet, pm.faces, pm.uv) for pm in gm.pieces], sheet
    out, x = [], 0.0
    for p in pattern.pieces:
        pts = np.asarray(p.outline, float)
        pts = pts - pts.min(axis=0) + [x, 0.0]
        x = float(pts[:, 0].max()) + 3.0
        out.append((p.name, pts, [list(range(len(pts)))], None))
    sheet = max(x, max(float(v[:, 1].max()) for _, v, _, _ in out))
    return [(n, v, f, uv if uv is not None else v / sheet) for n, v, f, uv in out], sheet


def build_pattern_table(scene, pattern) -> list:
    """Flat piece meshes (UVs = sheet layout) on a table beside the mannequin; replaces the old ones."""
    remove_owned("pattern")
    parent = collection(scene)
    coll = collection(scene, PATTERN_COLLECTION, parent)
    layout, _ = _layout(pattern)
    height = max(float(v[:, 1].max()) for _, v, _, _ in layout) * convert.CM
    width = max(float(v[:, 0].max()) for _, v, _, _ in layout) * convert.CM
    origin = np.array([TABLE_X + TABLE_MARGIN, -height / 2])
    objs = [_table(coll, width, height)]
    for i, (name, verts, faces, uv) in enumerate(layout):
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
        obj.color = piece_color(i, len(layout))
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
