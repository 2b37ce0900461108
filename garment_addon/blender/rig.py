"""Armature with skin weights for the mannequin; weights move to the garment by Data Transfer."""

from __future__ import annotations

import bpy
import numpy as np

from ..core.body.mannequin import Body
from .scene import CM, link

BONES = ("pelvis", "spine", "chest", "neck", "head", "upper_arm.L", "forearm.L", "upper_arm.R",
         "forearm.R", "thigh.L", "shin.L", "thigh.R", "shin.R")


def bone_segments(body: Body) -> dict[str, tuple[np.ndarray, np.ndarray, str | None]]:
    """name -> (head, tail, parent) in cm."""
    L = body.landmarks
    c = lambda z: np.array([0.0, 0.5, z])  # noqa: E731 - a point on the centre line
    out: dict[str, tuple[np.ndarray, np.ndarray, str | None]] = {
        "pelvis": (c(L["crotch"]), c(L["waist"]), None),
        "spine": (c(L["waist"]), c(L["bust"]), "pelvis"),
        "chest": (c(L["bust"]), c(L["neck_base"]), "spine"),
        "neck": (c(L["neck_base"]), c(L["neck_base"] + 8), "chest"),
        "head": (c(L["neck_base"] + 8), c(L["height"]), "neck"),
    }
    for side, s in (("left", "L"), ("right", "R")):
        a = body.arms[side]
        ln = float(body.arms[side].t[5])
        out[f"upper_arm.{s}"] = (a.p0, a.p0 + 0.5 * ln * a.d, "chest")
        out[f"forearm.{s}"] = (a.p0 + 0.5 * ln * a.d, a.p0 + 1.2 * ln * a.d, f"upper_arm.{s}")
        g = body.legs[side]
        knee_t = float(g.t[3])
        out[f"thigh.{s}"] = (g.p0, g.p0 + knee_t * g.d, "pelvis")
        out[f"shin.{s}"] = (g.p0 + knee_t * g.d, g.p0 + float(g.t[-1]) * g.d, f"thigh.{s}")
    return out


def _segment_weights(p: np.ndarray, segs: dict, names: list[str]) -> np.ndarray:
    """Inverse-square distance to each bone segment, normalised, over the bones ``names``."""
    w = np.zeros((len(p), len(names)))
    for j, n in enumerate(names):
        a, b, _ = segs[n]
        ab = b - a
        t = np.clip(((p - a) @ ab) / max(ab @ ab, 1e-9), 0, 1)
        d = np.linalg.norm(p - (a + t[:, None] * ab), axis=1)
        w[:, j] = 1.0 / (d + 1.0) ** 4
    return w / w.sum(1, keepdims=True)


def skin_weights(body: Body, verts_cm: np.ndarray, spans: list[tuple]) -> dict[str, np.ndarray]:
    """Per-bone weights for the mannequin's vertices; each part only uses its own bones.
    ``spans``: [(part name, first vertex, count)] or [(part name, vertex indices)]."""
    segs = bone_segments(body)
    out = {n: np.zeros(len(verts_cm)) for n in BONES}
    for part, *where in spans:
        idx = np.arange(where[0], where[0] + where[1]) if len(where) == 2 else np.asarray(where[0])
        p = verts_cm[idx]
        if part == "torso":
            names = ["pelvis", "spine", "chest", "neck"]
        elif part == "head":
            names = ["head"]
        else:
            kind, side = part.split("_")
            s = "L" if side == "left" else "R"
            names = [f"upper_arm.{s}", f"forearm.{s}"] if kind == "arm" else [f"thigh.{s}", f"shin.{s}"]
        w = _segment_weights(p, segs, names)
        for j, name in enumerate(names):
            out[name][idx] = w[:, j]
    return out


def add_rig(body: Body, mannequin, spans, garment=None):
    """Armature object parenting the mannequin (and garment, weights transferred)."""
    arm_data = bpy.data.armatures.new("GarmentRig")
    rig = bpy.data.objects.new("GarmentRig", arm_data)
    link(rig)
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    segs = bone_segments(body)
    for name in BONES:
        head, tail, parent = segs[name]
        b = arm_data.edit_bones.new(name)
        b.head, b.tail = tuple(head * CM), tuple(tail * CM)
        if parent:
            b.parent = arm_data.edit_bones[parent]
    bpy.ops.object.mode_set(mode="OBJECT")
    from .scene import coords

    weights = skin_weights(body, coords(mannequin), spans)
    for name, w in weights.items():
        vg = mannequin.vertex_groups.new(name=name)
        for value in np.unique(np.round(w[w > 1e-3], 3)):
            idx = np.nonzero(np.isclose(np.round(w, 3), value) & (w > 1e-3))[0].tolist()
            vg.add(idx, float(value), "REPLACE")
    _bind(mannequin, rig)
    if garment is not None:
        transfer_weights(mannequin, garment)
        _bind(garment, rig)
    return rig


def _bind(obj, rig) -> None:
    obj.parent = rig
    mod = obj.modifiers.new("Armature", "ARMATURE")
    mod.object = rig


def transfer_weights(source, target) -> None:
    """Copy vertex-group weights from the nearest body surface (Data Transfer modifier, applied)."""
    for vg in source.vertex_groups:
        if vg.name not in target.vertex_groups:
            target.vertex_groups.new(name=vg.name)
    mod = target.modifiers.new("WeightTransfer", "DATA_TRANSFER")
    mod.object = source
    mod.use_vert_data = True
    mod.data_types_verts = {"VGROUP_WEIGHTS"}
    mod.vert_mapping = "POLYINTERP_NEAREST"
    mod.layers_vgroup_select_src = "ALL"
    mod.layers_vgroup_select_dst = "NAME"
    bpy.context.view_layer.objects.active = target
    with bpy.context.temp_override(object=target, active_object=target):
        bpy.ops.object.modifier_apply(modifier=mod.name)
