"""The shown mannequin in Blender: the MakeHuman body (core.body.makehuman) as an all-quad mesh with
MakeHuman's UV layout."""

from __future__ import annotations

import bpy
import numpy as np

from ..core.body.makehuman import attach_human, load_asset
from ..core.body.mannequin import PART_NAMES
from . import scene as sc

SKIN = (0.36, 0.35, 0.34)  # a mid grey: the garment, not the body, should carry the picture


def part_of_vertices(human) -> np.ndarray:
    """Index into PART_NAMES per vertex: the body part whose bones carry most of its skin weight."""
    cols = {name: [] for name in PART_NAMES}
    for i, b in enumerate(human.bones):
        short = b.split(":")[-1]
        side = "left" if short.startswith("Left") else "right"
        if short == "Head":
            cols["head"].append(i)
        elif "Arm" in short or "Hand" in short:
            cols[f"arm_{side}"].append(i)
        elif any(k in short for k in ("UpLeg", "Leg", "Foot", "Toe")):
            cols[f"leg_{side}"].append(i)
        else:
            cols["torso"].append(i)
    share = np.stack([human.weights[:, c].sum(1) for c in cols.values()], axis=1)
    return np.argmax(share, axis=1)


def make_mannequin(body):
    """The MakeHuman mannequin for ``body`` (a core.body.Body, which it ties to the shown skin: see
    makehuman.attach_human) as object "Mannequin". Returns the object and [(part name, vertex
    indices)] for each of PART_NAMES."""
    human = attach_human(body)
    me = bpy.data.meshes.new("Mannequin")
    v = (human.verts * sc.CM).astype(np.float32)
    q = human.quads.astype(np.int32)
    me.vertices.add(len(v))
    me.vertices.foreach_set("co", v.ravel())
    me.loops.add(q.size)
    me.loops.foreach_set("vertex_index", q.ravel())
    me.polygons.add(len(q))
    me.polygons.foreach_set("loop_start", (np.arange(len(q)) * 4).astype(np.int32))
    me.update(calc_edges=True)
    asset = load_asset()
    me.uv_layers.new(name="UVMap").data.foreach_set("uv", asset.uv[asset.uv_quads.ravel()].astype(np.float32).ravel())
    me.validate(clean_customdata=False)
    me.polygons.foreach_set("use_smooth", np.ones(len(q), bool))
    obj = sc.link(bpy.data.objects.new("Mannequin", me))
    obj.data.materials.append(sc.material("GS_Mannequin", SKIN, roughness=0.6))
    part = part_of_vertices(human)
    return obj, [(name, np.nonzero(part == i)[0]) for i, name in enumerate(PART_NAMES)]
