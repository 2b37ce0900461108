"""Operators: one click for each thing the CLI does, calling the same core and pipeline functions.

The heavy modules (pipeline, vision, language, export) are imported inside
execute() so the add-on registers even while one of them is missing, and so
enabling it stays fast. Errors reach the user as one line via self.report.
"""

from __future__ import annotations

import inspect
import logging
import os
import tempfile
import traceback
from pathlib import Path

import bpy
from bpy.props import BoolProperty, EnumProperty, StringProperty

from ..core.errors import UserError
from ..core.progress import Cancelled, Progress
from . import convert, preferences, scene_objects
from .properties import METHODS

log = logging.getLogger(__name__)
PREVIEW_IMAGE = "Garment Preview"
PATTERN_FORMATS = {".svg": "svg", ".pdf": "pdf", ".dxf": "dxf", ".json": "json"}
GARMENT_FORMATS = (".glb", ".obj", ".fbx")

# The last assembly per scene: SceneResult holds live objects, so it is only reused while they exist.
_RESULTS: dict[str, object] = {}


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def call(fn, *args, **optional):
    """fn(*args, **the optional keywords fn accepts): lets us code against contracts as they grow."""
    params = inspect.signature(fn).parameters
    takes_all = any(p.kind is p.VAR_KEYWORD for p in params.values())
    return fn(*args, **{k: v for k, v in optional.items() if takes_all or k in params})


def report_exception(op, what: str, exc: BaseException) -> None:
    """One line for the user; the console log keeps the traceback of unexpected failures."""
    if isinstance(exc, UserError):
        op.report({"ERROR"}, one_line(exc))
    elif isinstance(exc, Cancelled):
        op.report({"WARNING"}, f"{what}: cancelled")
    elif isinstance(exc, ImportError | NotImplementedError):
        op.report({"ERROR"}, f"{what}: not available in this build ({one_line(exc)})")
    else:
        op.report({"ERROR"}, f"{what} failed: {exc.__class__.__name__}: {one_line(exc)}")
        log.warning("%s failed:\n%s", what, "".join(traceback.format_exception(exc)))


def guarded(op, what: str, fn) -> set[str]:
    """Run fn(); turn every failure into one reported line instead of a traceback."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - reported as one line
        report_exception(op, what, exc)
        return {"CANCELLED"}
    return {"FINISHED"}


def wm_progress(context) -> Progress:
    wm = context.window_manager

    def report(fraction: float, message: str) -> None:
        wm.progress_update(int(fraction * 100))

    return Progress(report)


def has_garment(context) -> bool:
    return context.scene is not None and getattr(context.scene, "garment", None) is not None


def current_result(context):
    """The scene's last assembly if its objects still exist (undo or reload drop them)."""
    result = _RESULTS.get(context.scene.name)
    try:
        if result is not None and result.garment.name and result.mannequin.name:
            return result
    except (ReferenceError, AttributeError):
        pass
    _RESULTS.pop(context.scene.name, None)
    return None


def assemble(context, method: str, progress=None):
    """props -> spec -> pattern -> build_scene; tags and remembers the result."""
    from ..blender import pipeline
    from ..core.pattern import draft_pattern

    props = context.scene.garment
    pattern = draft_pattern(convert.props_to_spec(props))
    scene_objects.remove_owned("assembly")
    result = pipeline.build_scene(pattern, method=method.lower(), progress=progress)
    for obj in (result.garment, result.mannequin, getattr(result, "rig", None)):
        if obj is not None:
            obj[scene_objects.TAG] = "assembly"
    _RESULTS[context.scene.name] = result
    return result


def ensure_result(context, progress=None):
    """The last assembly while it still shows the current settings; else assemble again."""
    result = current_result(context)
    spec = convert.props_to_spec(context.scene.garment).to_dict()
    made_from = dict(getattr(result.pattern, "spec", None) or {}) if result is not None else {}
    same = all(made_from.get(k) == spec[k] for k in ("garment_type", "size", "measurements", "features"))
    preset = (made_from.get("metadata") or {}).get("body_preset") == spec["metadata"].get("body_preset")
    if result is not None and same and preset:
        return result
    method = result.method if result is not None else context.scene.garment.render.method
    return assemble(context, method, progress)


def backend_client(context, backend: str):
    return preferences.vlm_client(context) if backend in ("vlm", "auto") else None


def text_backend(backend: str) -> str:
    """core.language calls the model backend "llm"; the panel has one backend choice for all inputs."""
    return "llm" if backend == "vlm" else backend


class _GarmentOperator:
    @classmethod
    def poll(cls, context):
        return has_garment(context)


class GARMENT_OT_apply_preset(_GarmentOperator, bpy.types.Operator):
    """Fill the garment settings from the chosen preset (type or alias) at the current size"""

    bl_idname = "garment.apply_preset"
    bl_label = "Apply Preset"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context):
        from ..core.spec import make_spec

        props = context.scene.garment
        return guarded(self, "Preset", lambda: convert.spec_to_props(
            make_spec({}, garment_type=props.inputs.preset, size=props.size), props))


class GARMENT_OT_draft_pattern(_GarmentOperator, bpy.types.Operator):
    """Draft the sewing pattern and lay its flat pieces on a table beside the mannequin"""

    bl_idname = "garment.draft_pattern"
    bl_label = "Draft Pattern"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context):
        def run():
            from ..core.pattern import draft_pattern

            pattern = draft_pattern(convert.props_to_spec(context.scene.garment))
            objs = scene_objects.build_pattern_table(context.scene, pattern)
            self.report({"INFO"}, f"Drafted {len(objs) - 1} pieces")

        return guarded(self, "Draft", run)


class GARMENT_OT_assemble(_GarmentOperator, bpy.types.Operator):
    """Build the mannequin and sew the pieces into a 3D garment around it"""

    bl_idname = "garment.assemble"
    bl_label = "Assemble"
    bl_options = {"REGISTER", "UNDO"}

    method: EnumProperty(name="Method", items=METHODS, default="WRAP")

    def execute(self, context):
        wm = context.window_manager

        def run():
            wm.progress_begin(0, 100)
            try:
                result = assemble(context, self.method, wm_progress(context))
            finally:
                wm.progress_end()
            inside = result.metrics.get("inside_fraction", result.metrics.get("inside"))
            extra = f", {inside:.1%} inside the body" if isinstance(inside, float) else ""
            self.report({"INFO"}, f"Assembled ({self.method.lower()}){extra}")

        return guarded(self, "Assemble", run)


def show_image(context, image) -> None:
    """Show the image in any open Image Editor (the user can always pick it there)."""
    for window in getattr(context.window_manager, "windows", []):
        for area in window.screen.areas:
            if area.type == "IMAGE_EDITOR":
                area.spaces.active.image = image


class GARMENT_OT_render_preview(_GarmentOperator, bpy.types.Operator):
    """Render the garment with Eevee into the image 'Garment Preview' (open it in the Image Editor)"""

    bl_idname = "garment.render_preview"
    bl_label = "Render Preview"
    bl_options = {"REGISTER"}

    def execute(self, context):
        def run():
            from ..blender import pipeline

            props = context.scene.garment
            prefs = preferences.get(context)
            profile = prefs.render_profile if prefs else "preview"
            result = ensure_result(context)
            with tempfile.TemporaryDirectory(prefix="garment-preview-") as tmp:
                png = Path(tmp) / "preview.png"
                pipeline.render_scene(result, png, None, profile=profile, size=props.render.size)
                old = bpy.data.images.get(PREVIEW_IMAGE)
                if old is not None:
                    bpy.data.images.remove(old)
                image = bpy.data.images.load(str(png), check_existing=False)
                image.name = PREVIEW_IMAGE
                image.pack()  # the temp file goes away; the pixels stay in the .blend
                image.filepath = ""
            show_image(context, image)
            w, h = image.size
            self.report({"INFO"}, f"Rendered {profile} {w}x{h} into '{PREVIEW_IMAGE}'")

        return guarded(self, "Render", run)


class GARMENT_OT_analyze_image(_GarmentOperator, bpy.types.Operator):
    """Read the garment type, size and lengths off the photo into the garment settings"""

    bl_idname = "garment.analyze_image"
    bl_label = "Analyze Photo"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return has_garment(context) and bool(context.scene.garment.inputs.image_path)

    def execute(self, context):
        def run():
            from ..core.vision import analyze_image

            inputs = context.scene.garment.inputs
            path = bpy.path.abspath(inputs.image_path)
            if not os.path.isfile(path):
                raise UserError(f"inputs.image_path: file not found: {path}")
            wm = context.window_manager
            wm.progress_begin(0, 100)
            try:
                spec = call(analyze_image, path, backend=inputs.backend, progress=wm_progress(context),
                            client=backend_client(context, inputs.backend))
            finally:
                wm.progress_end()
            convert.spec_to_props(spec, context.scene.garment)
            self.report({"INFO"}, f"Photo looks like a {spec.garment_type}, size {spec.size}")

        return guarded(self, "Analyze", run)


class GARMENT_OT_text_to_spec(_GarmentOperator, bpy.types.Operator):
    """Set the garment from the description in words"""

    bl_idname = "garment.text_to_spec"
    bl_label = "Text to Garment"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return has_garment(context) and bool(context.scene.garment.inputs.text.strip())

    def execute(self, context):
        def run():
            from ..core.language import parse_text

            inputs = context.scene.garment.inputs
            spec = call(parse_text, inputs.text, backend=text_backend(inputs.backend),
                        client=backend_client(context, inputs.backend))
            convert.spec_to_props(spec, context.scene.garment)
            self.report({"INFO"}, f"Garment set to a {spec.garment_type}")

        return guarded(self, "Text", run)


class GARMENT_OT_edit_spec(_GarmentOperator, bpy.types.Operator):
    """Change the current garment as the instruction in words says"""

    bl_idname = "garment.edit_spec"
    bl_label = "Apply Edit"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return has_garment(context) and bool(context.scene.garment.inputs.instruction.strip())

    def execute(self, context):
        def run():
            from ..core.language import edit_spec

            props = context.scene.garment
            before = convert.props_measurements(props)
            spec = call(edit_spec, convert.props_to_spec(props), props.inputs.instruction,
                        backend=text_backend(props.inputs.backend),
                        client=backend_client(context, props.inputs.backend))
            convert.spec_to_props(spec, props)
            changed = [k for k, v in convert.props_measurements(props).items() if abs(v - before[k]) > 0.05]
            self.report({"INFO"}, f"Changed: {', '.join(changed) or 'features/type only'}")

        return guarded(self, "Edit", run)


def _default_path(stem: str, ext: str) -> str:
    folder = bpy.path.abspath("//") if bpy.data.filepath else tempfile.gettempdir()
    return str(Path(folder) / f"{stem}{ext}")


class _ExportOperator(_GarmentOperator):
    def invoke(self, context, event):
        if not self.filepath:
            self.filepath = _default_path(self.default_stem, self.default_ext)
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}


class GARMENT_OT_export_pattern(_ExportOperator, bpy.types.Operator):
    """Write the sewing pattern: the file extension picks the format (.svg .pdf .dxf .json)"""

    bl_idname = "garment.export_pattern"
    bl_label = "Export Pattern"
    bl_options = {"REGISTER"}
    default_stem, default_ext = "garment_pattern", ".pdf"

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default="*.svg;*.pdf;*.dxf;*.json", options={"HIDDEN"})
    tiled: BoolProperty(name="Tiled PDF", default=True,
                        description="PDF on printable pages with overlap marks instead of one big sheet")
    paper: EnumProperty(name="Paper", items=[("a4", "A4", ""), ("letter", "Letter", "")], default="a4")
    seam_allowance: BoolProperty(name="Seam allowance", default=True)

    def execute(self, context):
        def run():
            from ..core.export import export_pattern
            from ..core.pattern import draft_pattern

            path = Path(bpy.path.abspath(self.filepath))
            ext = path.suffix.lower()
            if ext not in PATTERN_FORMATS:
                raise UserError(f"filepath: extension must be one of {', '.join(PATTERN_FORMATS)} "
                                f"(got {ext!r})")
            # None: the core picks from the name (.json may be GarmentCode's *_specification.json)
            fmt = "pdf-tiled" if ext == ".pdf" and self.tiled else None
            pattern = draft_pattern(convert.props_to_spec(context.scene.garment))
            call(export_pattern, pattern, path, fmt, paper=self.paper, seam_allowance=self.seam_allowance,
                 progress=wm_progress(context))
            self.report({"INFO"}, f"Wrote {path}")

        return guarded(self, "Export pattern", run)


class GARMENT_OT_export_garment(_ExportOperator, bpy.types.Operator):
    """Write the 3D garment and mannequin: the file extension picks the format (.glb .obj .fbx)"""

    bl_idname = "garment.export_garment"
    bl_label = "Export Garment"
    bl_options = {"REGISTER"}
    default_stem, default_ext = "garment", ".glb"

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default="*.glb;*.obj;*.fbx", options={"HIDDEN"})

    def execute(self, context):
        def run():
            from ..blender import pipeline

            path = Path(bpy.path.abspath(self.filepath))
            if path.suffix.lower() not in GARMENT_FORMATS:
                raise UserError(f"filepath: extension must be one of {', '.join(GARMENT_FORMATS)} "
                                f"(got {path.suffix.lower()!r})")
            pipeline.export_garment(ensure_result(context), path)
            self.report({"INFO"}, f"Wrote {path}")

        return guarded(self, "Export garment", run)


CLASSES = (GARMENT_OT_apply_preset, GARMENT_OT_draft_pattern, GARMENT_OT_assemble, GARMENT_OT_render_preview,
           GARMENT_OT_analyze_image, GARMENT_OT_text_to_spec, GARMENT_OT_edit_spec, GARMENT_OT_export_pattern,
           GARMENT_OT_export_garment)


def register() -> None:
    for cls in CLASSES:
        bpy.utils.register_class(cls)


def unregister() -> None:
    _RESULTS.clear()
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
