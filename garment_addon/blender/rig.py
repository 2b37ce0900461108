"""The production rig: MakeHuman's Mixamo skeleton (52 bones: hips, spine chain, neck, head,
clavicles, arms, hands with three-joint fingers, legs, feet, toes) in the mannequin's A-pose, with the
asset's skin weights; the garment's weights come from the nearest body surface (Data Transfer).

Bone names are Mixamo's ("mixamorig:Hips", "mixamorig:LeftShoulder", ...), which Unity's Humanoid
importer, Unreal's IK retargeter presets and Mixamo itself map without a manual bone table.
The meshes are not parented to the armature (an Armature modifier binds them), so glTF puts the
skinned meshes at the scene root as the spec asks (no NODE_SKINNED_MESH_NON_ROOT).
"""

from __future__ import annotations

import bpy
import numpy as np
from mathutils import Matrix

from .scene import CM, link

RIG_NAME = "GarmentRig"


def add_rig(body, mannequin, spans=None, garment=None):
    """Armature object binding the mannequin (and the garment, weights transferred) to the rig of
    ``body.human`` (set by blender.mannequin.make_mannequin). ``spans`` is accepted for callers of
    the old analytic rig and unused: the asset's own weights are exact."""
    human = body.human
    arm_data = bpy.data.armatures.new(RIG_NAME)
    rig = bpy.data.objects.new(RIG_NAME, arm_data)
    link(rig)
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    for name in human.bones:  # parent first
        build_bone(arm_data, human, name)
    bpy.ops.object.mode_set(mode="OBJECT")
    set_weights(mannequin, human.bones, human.weights)
    bind(mannequin, rig)
    if garment is not None:
        transfer_weights(mannequin, garment)
        bind(garment, rig)
    return rig


def build_bone(arm_data, human, name: str) -> None:
    """One edit bone: the base-pose bone (head, tail, MakeHuman's roll) turned by the A-pose rotation
    of the bone and moved to the posed joints, so the local axes are the asset's own."""
    eb = arm_data.edit_bones.new(name)
    head, tail = human.rest_joints[name]
    eb.head, eb.tail = tuple(head * CM), tuple(tail * CM)
    eb.roll = human.rolls[name]
    R = np.asarray(human.pose[name])
    m = np.array(eb.matrix)
    m[:3, :3] = R @ m[:3, :3]
    posed_head, posed_tail = human.joints[name]
    m[:3, 3] = posed_head * CM
    eb.matrix = Matrix(m.tolist())
    eb.tail = tuple(posed_tail * CM)
    parent = human.parents[name]
    if parent:
        eb.parent = arm_data.edit_bones[parent]
        eb.use_connect = False


def set_weights(obj, bones, weights: np.ndarray, threshold: float = 1e-3) -> None:
    """One vertex group per bone with the (n, bones) weights above ``threshold``."""
    for j, name in enumerate(bones):
        vg = obj.vertex_groups.new(name=name)
        w = weights[:, j]
        idx = np.nonzero(w > threshold)[0]
        if not len(idx):
            continue
        rounded = np.round(w[idx], 3)
        for value in np.unique(rounded):  # one call per distinct weight: fast for 13k vertices
            vg.add(idx[rounded == value].tolist(), float(value), "REPLACE")


def bind(obj, rig) -> None:
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
