"""Buttons as geometry: a small domed disc per button (core.assembly.trims places them), joined into
the garment mesh in a material slot of their own, so they move with it when posed, take the rig's
weights with it and go out with it in every export."""

from __future__ import annotations

import numpy as np

from ..core.assembly.trims import SEGMENTS, disc
from .scene import CM


def add_buttons(garment, buttons, material) -> int:
    """Append a disc per button (core.assembly.trims.Button) to ``garment``'s mesh, in a new material
    slot holding ``material``, each UV'd to its marking's pattern point. Returns how many."""
    if not buttons:
        return 0
    me = garment.data
    parts = [disc(b.center, b.normal, b.diameter) for b in buttons]
    v0, l0, p0 = len(me.vertices), len(me.loops), len(me.polygons)
    verts = np.vstack([p[0] for p in parts])
    tris = np.vstack([p[1] + v0 + k * (SEGMENTS + 1) for k, p in enumerate(parts)])
    me.vertices.add(len(verts))
    co = np.zeros(len(me.vertices) * 3, np.float32)
    me.vertices.foreach_get("co", co)
    co[3 * v0:] = (verts * CM).astype(np.float32).ravel()
    me.vertices.foreach_set("co", co)
    me.loops.add(tris.size)
    idx = np.zeros(len(me.loops), np.int32)
    me.loops.foreach_get("vertex_index", idx)
    idx[l0:] = tris.ravel()
    me.loops.foreach_set("vertex_index", idx)
    me.polygons.add(len(tris))
    starts = np.zeros(len(me.polygons), np.int32)
    me.polygons.foreach_get("loop_start", starts)
    starts[p0:] = l0 + 3 * np.arange(len(tris))
    me.polygons.foreach_set("loop_start", starts)
    me.update(calc_edges=True)
    slot = len(me.materials)
    me.materials.append(material)
    mat = np.zeros(len(me.polygons), np.int32)
    me.polygons.foreach_get("material_index", mat)
    mat[p0:] = slot
    me.polygons.foreach_set("material_index", mat)
    smooth = np.zeros(len(me.polygons), bool)
    me.polygons.foreach_get("use_smooth", smooth)
    smooth[p0:] = True
    me.polygons.foreach_set("use_smooth", smooth)
    for layer in me.uv_layers:
        uv = np.zeros(len(me.loops) * 2, np.float32)
        layer.data.foreach_get("uv", uv)
        uv[2 * l0:] = np.repeat([b.uv for b in buttons], 3 * SEGMENTS, axis=0).astype(np.float32).ravel()
        layer.data.foreach_set("uv", uv)
    me.validate(clean_customdata=False)
    return len(buttons)
