"""The `Garment` tab in the 3D viewport sidebar: Input, Garment, Body, Actions, Refinement, Export."""

from __future__ import annotations

import json

import bpy

from ..core.garments import GARMENT_TYPES, uses
from ..core.spec import FEATURES, body_measurements
from . import convert, session


def used_fields(garment_type: str) -> list[str]:
    """The measurements the Garment panel shows for a type (the others are kept but unused)."""
    return [k for k in convert.GARMENT_FIELDS if k in uses(garment_type)]


def photo_top_types(props) -> list[dict]:
    """The analysed photo's three likeliest types (spec metadata "top_types"); [] without one."""
    try:
        meta = json.loads(getattr(props, "metadata_json", "") or "{}")
    except ValueError:
        return []
    return [t for t in meta.get("top_types", []) if isinstance(t, dict) and t.get("type") in GARMENT_TYPES]


class _GarmentPanel:
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Garment"

    @classmethod
    def poll(cls, context):
        return context.scene is not None and getattr(context.scene, "garment", None) is not None


class GARMENT_PT_input(_GarmentPanel, bpy.types.Panel):
    bl_label = "Input"
    bl_order = 0

    def draw(self, context):
        inputs = context.scene.garment.inputs
        col = self.layout.column()
        col.prop(inputs, "backend")
        col.separator()
        col.prop(inputs, "image_path")
        col.operator("garment.analyze_image", icon="IMAGE_DATA")
        col.separator()
        col.prop(inputs, "text")
        col.operator("garment.text_to_spec", icon="TEXT")
        col.prop(inputs, "instruction")
        col.operator("garment.edit_spec", icon="GREASEPENCIL")
        col.separator()
        row = col.row(align=True)
        row.prop(inputs, "preset", text="")
        row.operator("garment.apply_preset", text="Apply")
        col.separator()
        row = col.row(align=True)
        row.operator("garment.load_spec", icon="FILE_FOLDER")
        row.operator("garment.save_spec", icon="FILE_TICK")
        col.operator("garment.import_garmentcode", icon="IMPORT")
        props = context.scene.garment
        if props.imported_pattern:  # the operators use this pattern instead of the settings below
            box = col.box()
            box.label(text=f"Using imported {props.imported_name}", icon="INFO")
            box.operator("garment.clear_import", icon="X")


class GARMENT_PT_garment(_GarmentPanel, bpy.types.Panel):
    bl_label = "Garment"
    bl_order = 1

    def draw(self, context):
        props = context.scene.garment
        col = self.layout.column()
        col.use_property_split = True
        col.prop(props, "garment_type")
        top = photo_top_types(props)
        if top:  # the classifier's runners-up, one click away
            row = col.row(align=True)
            row.label(text="Photo")
            for t in top:
                row.prop_enum(props, "garment_type", t["type"], text=f"{t['type']} {t['p']:.2f}")
        col.prop(props, "size")
        col.separator()
        for name in used_fields(props.garment_type):
            col.prop(props, name)
        col.separator()
        for name in FEATURES:
            col.prop(props, name)


class GARMENT_PT_body(_GarmentPanel, bpy.types.Panel):
    bl_label = "Body"
    bl_order = 2

    def draw(self, context):
        props = context.scene.garment
        col = self.layout.column()
        col.use_property_split = True
        col.prop(props.body, "preset")
        for name in convert.BODY_FIELDS:
            col.prop(props, name)
        try:
            height = body_measurements(convert.props_to_spec(props))["height"]
            col.label(text=f"Mannequin height {height:.0f} cm (from the back waist length)")
        except ValueError as exc:  # an invalid combination: say which field, like the operators do
            col.label(text=str(exc), icon="ERROR")


class GARMENT_PT_actions(_GarmentPanel, bpy.types.Panel):
    bl_label = "Actions"
    bl_order = 3

    def draw(self, context):
        props = context.scene.garment
        col = self.layout.column(align=True)
        render = props.render
        col.operator("garment.draft_pattern", icon="MESH_GRID")
        row = col.row(align=True)
        for method, icon in (("WRAP", "MOD_SHRINKWRAP"), ("DRAPE", "MOD_CLOTH")):
            op = row.operator("garment.assemble", text=method.title(), icon=icon)
            op.method, op.rig = method, render.rig
        col.prop(render, "rig")
        draw_cloth(col, props.cloth)
        col.separator()
        row = col.row(align=True)
        row.prop(render, "method", text="")
        row.prop(render, "size", text="")
        col.prop(render, "view")
        row = col.row(align=True)
        row.operator("garment.render_preview", text="Render Preview", icon="RENDER_STILL").profile = "preview"
        row.operator("garment.render_preview", text="Final", icon="RENDER_RESULT").profile = "final"
        draw_legend(col, session.current_result(context))


def draw_cloth(layout, cloth) -> None:
    """Fabric preset and its solver values (editable), outfit layering, and the garment's look."""
    box = layout.box()
    box.prop(cloth, "preset")
    box.prop(cloth, "custom")
    if cloth.custom:
        sub = box.column(align=True)
        for key in ("mass", "tension", "compression", "shear", "bending", "damping", "thickness_mm"):
            sub.prop(cloth, key)
    box.prop(cloth, "layer")
    row = box.row(align=True)
    row.prop(cloth, "use_color")
    if cloth.use_color:
        row.prop(cloth, "color", text="")
    box.prop(cloth, "texture")
    box.prop(cloth, "piece_colors")


def draw_legend(layout, result) -> None:
    """Piece colours of the assembled garment (its materials), so a render can be read piece by piece."""
    legend = getattr(result, "legend", None) or []
    box = layout.box() if legend else None
    if box:
        box.label(text="Piece colours")
    for entry in legend:
        mat = bpy.data.materials.get(f"GS_{entry['piece']}")
        row = box.row()
        if mat is not None:
            row.prop(mat, "diffuse_color", text="")
        row.label(text=f"{entry['piece']} ({entry.get('body_region') or '-'})")


class GARMENT_PT_refine(_GarmentPanel, bpy.types.Panel):
    bl_label = "Refinement"
    bl_order = 4

    def draw(self, context):
        refine = context.scene.garment.refine
        col = self.layout.column()
        col.use_property_split = True
        col.prop(refine, "backend")
        col.prop(refine, "method")
        col.prop(refine, "max_iterations")
        col.prop(refine, "size")
        col.prop(refine, "threshold")
        if refine.running and session.is_running(context.scene):
            col.label(text=f"Iteration {len(refine.log)}: score {refine.score:.3f}, "
                           f"best {refine.best_score:.3f}")
            col.prop(refine, "progress", slider=True)
            col.label(text="Esc stops and keeps the best", icon="CANCEL")
        else:
            col.operator("garment.refine", icon="PLAY")
            if len(refine.log):
                col.label(text=f"Best score {refine.best_score:.3f} ({refine.status})")
        box = col.box() if len(refine.log) else None
        for item in list(refine.log)[-8:] if box else []:
            box.label(text=f"{item.index:>2}  {item.score:.3f}  {item.decision}")


class GARMENT_PT_export(_GarmentPanel, bpy.types.Panel):
    bl_label = "Export"
    bl_order = 5

    def draw(self, context):
        export = context.scene.garment.export
        col = self.layout.column()
        col.prop(export, "tiled_pdf")
        col.prop(export, "paper")
        col.prop(export, "seam_allowance")
        op = col.operator("garment.export_pattern", text="Export Pattern (.svg .pdf .dxf .json)",
                          icon="EXPORT")
        op.tiled, op.paper, op.seam_allowance = export.tiled_pdf, export.paper, export.seam_allowance
        col.prop(export, "garment_only")
        col.prop(export, "fabric_thickness")
        sub = col.row()
        sub.enabled = not export.fabric_thickness
        sub.prop(export, "thickness")
        col.prop(export, "subdivisions")
        op = col.operator("garment.export_garment", text="Export Garment (.glb .obj .fbx)", icon="EXPORT")
        for key in ("garment_only", "fabric_thickness", "thickness", "subdivisions"):
            setattr(op, key, getattr(export, key))
        col.separator()
        col.operator("garment.check_seams", icon="CHECKMARK")
        box = col.box() if len(export.seams) else None
        for row in export.seams if box else []:
            opening = f", open: {row.opening}" if row.opening else ""
            box.label(text=f"{row.a} ~ {row.b}: {row.difference:+.2f} cm (ease {row.ease:.2f}{opening})",
                      icon="CHECKMARK" if row.ok else "ERROR")


CLASSES = (GARMENT_PT_input, GARMENT_PT_garment, GARMENT_PT_body, GARMENT_PT_actions, GARMENT_PT_refine,
           GARMENT_PT_export)

register, unregister = bpy.utils.register_classes_factory(CLASSES)
