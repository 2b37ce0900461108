"""Operators: one click for each thing the CLI does, calling the same core and pipeline functions.

The heavy modules (pipeline, vision, language, export) are imported inside
execute() so the add-on registers even while one of them is missing, and so
enabling it stays fast. Errors reach the user as one line via self.report.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import os
import tempfile
import time
import traceback
from pathlib import Path

import bpy
from bpy.props import BoolProperty, EnumProperty, StringProperty

from ..core import errors
from ..core.errors import Failure, UserError
from ..core.export import EXTENSIONS, file_filter
from ..core.inputs import read_json
from ..core.progress import Cancelled, Progress
from . import convert, preferences, scene_objects, session
from .properties import METHODS, PAPERS, PROFILES, fabric_thickness_prop, subdivisions_prop, thickness_prop
from .session import current_result

log = logging.getLogger(__name__)
PREVIEW_IMAGE = "Garment Preview"
GARMENT_FORMATS = (".glb", ".obj", ".fbx")


def one_line(exc: BaseException) -> str:
    return errors.one_line(exc) or exc.__class__.__name__


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
    elif isinstance(exc, Failure):  # a full disk, a VLM that does not answer: the line says what to check
        op.report({"ERROR"}, f"{what} failed: {one_line(exc)}")
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


def current_pattern(context):
    """The pattern every operator works on: the imported GarmentCode pattern while one is loaded,
    else the one drafted from the settings (the same draft_pattern the CLI's `draft` calls)."""
    props = context.scene.garment
    if props.imported_pattern:
        from ..core.pattern import Pattern

        return Pattern.from_dict(json.loads(props.imported_pattern))
    from ..core.pattern import draft_pattern

    return draft_pattern(convert.props_to_spec(props))


def assemble(context, method: str, rig: bool = False, progress=None):
    """current pattern -> build_scene (as `assemble`); tags and remembers the result."""
    job = AssembleJob(context, method, rig, progress)
    job.step(float("inf"))
    return job.result


class AssembleJob:
    """assemble() a slice at a time: the modal Assemble runs one per timer tick, so Esc can stop a drape.

    step() runs for about ``budget_s`` seconds and says whether it finished; cancel() stops between
    drape frames, removes what was half built and gives the user's scene settings back.
    """

    def __init__(self, context, method: str, rig: bool = False, progress=None):
        from ..blender import pipeline

        self.scene_name = context.scene.name
        self.fraction, self.message, self.result, self.finished = 0.0, "", None, False
        outer = progress or Progress()

        def report(fraction: float, message: str) -> None:
            self.fraction, self.message = fraction, message
            outer(fraction, message)

        pattern = current_pattern(context)
        cloth = context.scene.garment.cloth
        gtype = (pattern.spec or {}).get("garment_type")
        worn = [g for g in pipeline.worn_garments() if g[pipeline.LAYER_KEY] != gtype] if cloth.layer else []
        scene_objects.remove_owned("assembly", keep=worn)
        self._settings = contextlib.ExitStack()
        self._settings.enter_context(scene_objects.cli_sim_settings(context.scene))
        self._steps = pipeline.build_scene_steps(pattern, method=method.lower(), rig=rig,
                                                 progress=Progress(report), fabric=convert.cloth_fabric(cloth),
                                                 layer=cloth.layer)
        self._look = convert.cloth_look(cloth)
        session.start_assembling(self.scene_name, self)

    def step(self, budget_s: float = 0.1) -> bool:
        t0 = time.perf_counter()
        try:
            next(self._steps)  # at least one slice, however small the budget
            while time.perf_counter() - t0 < budget_s:
                next(self._steps)
        except StopIteration as done:
            self.finished = True
            self._settings.close()
            self.result = done.value
            from ..blender import pipeline
            from ..blender.look import Look

            self.result.look = Look(**self._look)
            if self.result.look != Look():
                pipeline.shade(self.result, self.result.look)
            for obj in (self.result.garment, self.result.mannequin, getattr(self.result, "rig", None)):
                if obj is not None:
                    obj[scene_objects.TAG] = "assembly"
            session.remember_result(self.scene_name, self.result)
            return True
        except BaseException:
            self.finished = True
            self._settings.close()
            raise
        return False

    def cancel(self) -> None:
        self.finished = True
        try:
            self._steps.close()
        finally:
            self._settings.close()


def ensure_result(context, progress=None):
    """The last assembly while it still shows the current pattern; else assemble again."""
    result = current_result(context)
    if result is not None and result.pattern.to_json() == current_pattern(context).to_json():
        return result
    if result is not None:
        return assemble(context, result.method, result.rig is not None, progress)
    return assemble(context, context.scene.garment.render.method, context.scene.garment.render.rig, progress)


def backend_client(context, backend: str):
    return preferences.vlm_client(context) if backend in ("vlm", "auto") else None


def text_backend(backend: str) -> str:
    """core.language calls the model backend "llm"; the panel has one backend choice for all inputs."""
    return "llm" if backend == "vlm" else backend


def ready(context) -> bool:
    """The garment operators' common poll: the add-on's settings exist and no drape or refinement is
    half way (either would lose the scene it is working on)."""
    scene = context.scene
    return has_garment(context) and not session.assembling(scene) and not session.is_running(scene)


class _GarmentOperator:
    @classmethod
    def poll(cls, context):
        return ready(context)


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
            objs = scene_objects.build_pattern_table(context.scene, current_pattern(context))
            self.report({"INFO"}, f"Drafted {len(objs) - 1} pieces")

        return guarded(self, "Draft", run)


class GARMENT_OT_assemble(_GarmentOperator, bpy.types.Operator):
    """Build the mannequin and sew the pieces into a 3D garment around it (Esc stops a drape)"""

    bl_idname = "garment.assemble"
    bl_label = "Assemble"
    bl_options = {"REGISTER", "UNDO"}

    method: EnumProperty(name="Method", items=METHODS, default="WRAP")
    rig: BoolProperty(name="Rig", default=False, description="Add an armature with skin weights")

    _job = None
    _timer = None

    def execute(self, context):
        wm = context.window_manager

        def run():
            wm.progress_begin(0, 100)
            try:
                self._report_done(assemble(context, self.method, self.rig, wm_progress(context)))
            finally:
                wm.progress_end()

        return guarded(self, "Assemble", run)

    def invoke(self, context, event):
        if self.method != "DRAPE" or context.window is None:
            return self.execute(context)  # a wrap takes a fraction of a second
        try:
            self._job = AssembleJob(context, self.method, self.rig)
        except Exception as exc:  # noqa: BLE001 - reported as one line
            report_exception(self, "Assemble", exc)
            return {"CANCELLED"}
        wm = context.window_manager
        wm.progress_begin(0, 100)
        self._timer = wm.event_timer_add(0.01, window=context.window)
        wm.modal_handler_add(self)
        return {"RUNNING_MODAL"}

    def modal(self, context, event):
        if event.type == "ESC":
            self._stop(context)
            self.report({"WARNING"}, "Assemble cancelled: the half-built garment was removed")
            return {"CANCELLED"}
        if event.type != "TIMER":
            return {"PASS_THROUGH"}
        try:
            done = self._job.step(0.1)  # a few drape frames, then the window gets its events
        except Exception as exc:  # noqa: BLE001 - reported as one line
            self._stop(context, cancel=False)
            report_exception(self, "Assemble", exc)
            return {"CANCELLED"}
        context.window_manager.progress_update(int(self._job.fraction * 100))
        if context.workspace is not None:
            context.workspace.status_text_set(f"Assemble: {self._job.message} (Esc to stop)")
        if not done:
            return {"RUNNING_MODAL"}
        self._stop(context, cancel=False)
        self._report_done(self._job.result)
        return {"FINISHED"}

    def _stop(self, context, cancel: bool = True) -> None:
        wm = context.window_manager
        if cancel:
            self._job.cancel()
        wm.event_timer_remove(self._timer)
        wm.progress_end()
        if context.workspace is not None:
            context.workspace.status_text_set(None)

    def _report_done(self, result) -> None:
        m = result.metrics
        self.report({"INFO"}, f"Assembled ({self.method.lower()}{', rigged' if self.rig else ''}): "
                              f"{m.get('inside_fraction', 0.0):.1%} inside the body, "
                              f"seam gap {m.get('max_seam_gap_cm', 0.0):.2f} cm")


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

    profile: EnumProperty(name="Profile", default="PREFS", items=[
        ("PREFS", "Default", "The render profile set in the add-on preferences"), *PROFILES])

    def execute(self, context):
        def run():
            from ..blender import pipeline

            props = context.scene.garment
            prefs = preferences.get(context)
            profile = self.profile if self.profile != "PREFS" else prefs.render_profile if prefs else "preview"
            result = ensure_result(context)
            with tempfile.TemporaryDirectory(prefix="garment-preview-") as tmp:
                png = Path(tmp) / "preview.png"
                from ..blender.look import Look

                pipeline.render_scene(result, png, None, profile=profile, size=props.render.size,
                                      look=Look(**convert.cloth_look(props.cloth)), view=props.render.view.lower())
                old = bpy.data.images.get(PREVIEW_IMAGE)
                if old is not None:
                    bpy.data.images.remove(old)
                image = bpy.data.images.load(str(png), check_existing=False)
                image.name = PREVIEW_IMAGE
                image.pack()  # the temp file goes away; the pixels stay in the .blend
                image.filepath = ""
            show_image(context, image)
            w, h = image.size
            view = props.render.view.lower().replace("_", "-")
            self.report({"INFO"}, f"Rendered {profile} {w}x{h}, {view} view, into '{PREVIEW_IMAGE}'")

        return guarded(self, "Render", run)


class GARMENT_OT_analyze_image(_GarmentOperator, bpy.types.Operator):
    """Read the garment type, size and lengths off the photo into the garment settings"""

    bl_idname = "garment.analyze_image"
    bl_label = "Analyze Photo"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return ready(context) and bool(context.scene.garment.inputs.image_path)

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


def _default_path(stem: str, ext: str) -> str:
    folder = bpy.path.abspath("//") if bpy.data.filepath else tempfile.gettempdir()
    return str(Path(folder) / f"{stem}{ext}")


class _FileOperator(_GarmentOperator):
    """Opens the file browser (at <blend folder or temp>/<default_stem><default_ext> when saving)."""

    default_stem, default_ext = "", ""

    def invoke(self, context, event):
        if not self.filepath and self.default_stem:
            self.filepath = _default_path(self.default_stem, self.default_ext)
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}


class _WriteOperator(_FileOperator):
    """Writes one file whose extension (one of ``extensions``) picks the format; reports where."""

    extensions: tuple[str, ...] = ()

    def execute(self, context):
        def run():
            path = Path(bpy.path.abspath(self.filepath))
            if path.suffix.lower() not in self.extensions:
                raise UserError(f"filepath: extension must be one of {', '.join(self.extensions)} "
                                f"(got {path.suffix.lower()!r})")
            self.write(context, path)
            self.report({"INFO"}, f"Wrote {path}")

        return guarded(self, self.bl_label, run)


class _ReadOperator(_FileOperator):
    """Reads one JSON file; ``load(context, path, data)`` applies it and says what it did."""

    def execute(self, context):
        def run():
            path, data = read_json_file(self.filepath)
            self.report({"INFO"}, self.load(context, path, data))

        return guarded(self, self.bl_label, run)


def use_pattern(context, pattern, name: str) -> str:
    """Make ``pattern`` the one every operator uses (instead of drafting) and lay it on the table."""
    props = context.scene.garment
    props.imported_pattern, props.imported_name = pattern.to_json(), name
    scene_objects.build_pattern_table(context.scene, pattern)
    return f"Using {name}: {len(pattern.pieces)} pieces, {len(pattern.seams)} seams"


def read_json_file(filepath: str) -> tuple[Path, object]:
    """The JSON object in a chosen file, through the same input layer as the command line."""
    path = Path(bpy.path.abspath(filepath))
    return path, read_json(path, "filepath")


class GARMENT_OT_load_spec(_ReadOperator, bpy.types.Operator):
    """Load a garment spec JSON (as `spec` writes) into the settings, or a pattern.json as the pattern to use"""

    bl_idname = "garment.load_spec"
    bl_label = "Load Spec"
    bl_options = {"REGISTER", "UNDO"}

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})

    def load(self, context, path: Path, data) -> str:
        from ..core.inputs import pattern_from_data, spec_from_data
        from ..core.pattern import SCHEMA

        if data.get("schema") == SCHEMA:  # as the CLI's spec-or-pattern inputs
            return use_pattern(context, pattern_from_data(data, path.name), path.name)
        spec = spec_from_data(data, path.name)
        props = context.scene.garment
        props.imported_pattern = props.imported_name = ""
        convert.spec_to_props(spec, props)
        return f"Loaded a {spec.garment_type}, size {spec.size}"


class GARMENT_OT_save_spec(_WriteOperator, bpy.types.Operator):
    """Write the garment settings as a spec JSON (the input of every CLI command)"""

    bl_idname = "garment.save_spec"
    bl_label = "Save Spec"
    bl_options = {"REGISTER"}
    default_stem, default_ext, extensions = "garment_spec", ".json", (".json",)

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})

    def write(self, context, path: Path) -> None:
        from ..core.io import write_text

        write_text(path, json.dumps(convert.props_to_spec(context.scene.garment).to_dict(), indent=2) + "\n")


class _WordsOperator(_GarmentOperator):
    """Base of the operators driven by a sentence in `scene.garment.inputs.<words>`."""

    words = ""

    @classmethod
    def poll(cls, context):
        return ready(context) and bool(getattr(context.scene.garment.inputs, cls.words).strip())

    def execute(self, context):
        props = context.scene.garment
        backend = props.inputs.backend
        client = backend_client(context, backend)
        return guarded(self, self.bl_label, lambda: self.apply(props, text_backend(backend), client))


class GARMENT_OT_text_to_spec(_WordsOperator, bpy.types.Operator):
    """Set the garment from the description in words"""

    bl_idname = "garment.text_to_spec"
    bl_label = "Text to Garment"
    bl_options = {"REGISTER", "UNDO"}
    words = "text"

    def apply(self, props, backend, client):
        from ..core.language import parse_text

        spec = call(parse_text, props.inputs.text, backend=backend, client=client)
        convert.spec_to_props(spec, props)
        self.report({"INFO"}, f"Garment set to a {spec.garment_type}")


class GARMENT_OT_edit_spec(_WordsOperator, bpy.types.Operator):
    """Change the current garment as the instruction in words says"""

    bl_idname = "garment.edit_spec"
    bl_label = "Apply Edit"
    bl_options = {"REGISTER", "UNDO"}
    words = "instruction"

    def apply(self, props, backend, client):
        from ..core.language import edit_spec

        before = convert.props_measurements(props)
        spec = call(edit_spec, convert.props_to_spec(props), props.inputs.instruction, backend=backend,
                    client=client)
        convert.spec_to_props(spec, props)
        changed = [k for k, v in convert.props_measurements(props).items() if abs(v - before[k]) > 0.05]
        self.report({"INFO"}, f"Changed: {', '.join(changed) or 'features/type only'}")


class GARMENT_OT_import_garmentcode(_ReadOperator, bpy.types.Operator):
    """Load a GarmentCode specification (*_specification.json) as the pattern to lay out, assemble and export"""

    bl_idname = "garment.import_garmentcode"
    bl_label = "Import GarmentCode"
    bl_options = {"REGISTER", "UNDO"}

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})

    def load(self, context, path: Path, data) -> str:
        from ..core.interop.garmentcode import from_garmentcode

        return use_pattern(context, from_garmentcode(data), path.name)  # as `python -m headless import`


class GARMENT_OT_clear_import(_GarmentOperator, bpy.types.Operator):
    """Forget the imported pattern: draft from the garment settings again"""

    bl_idname = "garment.clear_import"
    bl_label = "Use Garment Settings"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context):
        return ready(context) and bool(context.scene.garment.imported_pattern)

    def execute(self, context):
        props = context.scene.garment
        props.imported_pattern = props.imported_name = ""
        return {"FINISHED"}


class GARMENT_OT_check_seams(_GarmentOperator, bpy.types.Operator):
    """Measure both edges of every seam (as `python -m headless check`): the table shows in the Export panel"""

    bl_idname = "garment.check_seams"
    bl_label = "Check Seams"
    bl_options = {"REGISTER"}

    def execute(self, context):
        def run():
            from ..core.interop.garmentcode import SEAM_TOL, seam_table

            rows = seam_table(current_pattern(context))
            table = context.scene.garment.export.seams
            table.clear()
            for row in rows:
                item = table.add()
                for key, value in row.items():
                    setattr(item, key, value)
            bad = sum(not r["ok"] for r in rows)
            self.report({"WARNING"} if bad else {"INFO"},
                        f"{len(rows)} seams, {bad} outside {SEAM_TOL:g} cm")

        return guarded(self, "Check", run)


class GARMENT_OT_export_pattern(_WriteOperator, bpy.types.Operator):
    """Write the sewing pattern: the file extension picks the format (core.export.WRITERS)"""

    bl_idname = "garment.export_pattern"
    bl_label = "Export Pattern"
    bl_options = {"REGISTER"}
    default_stem, default_ext, extensions = "garment_pattern", ".pdf", EXTENSIONS

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default=file_filter(), options={"HIDDEN"})
    tiled: BoolProperty(name="Tiled PDF", default=True,
                        description="PDF on printable pages with overlap marks instead of one big sheet")
    paper: EnumProperty(name="Paper", items=PAPERS, default="a4")
    seam_allowance: BoolProperty(name="Seam allowance", default=True,
                                 description="Draw the cutting line (the seam allowance) around each piece")

    def write(self, context, path: Path) -> None:
        from ..core.export import export_pattern

        # None: the core picks from the name (.json may be GarmentCode's *_specification.json)
        fmt = "pdf-tiled" if path.suffix.lower() == ".pdf" and self.tiled else None
        call(export_pattern, current_pattern(context), path, fmt, paper=self.paper,
             seam_allowance=self.seam_allowance, progress=wm_progress(context))


class GARMENT_OT_export_garment(_WriteOperator, bpy.types.Operator):
    """Write the 3D garment and mannequin: the file extension picks the format (.glb .obj .fbx)"""

    bl_idname = "garment.export_garment"
    bl_label = "Export Garment"
    bl_options = {"REGISTER"}
    default_stem, default_ext, extensions = "garment", ".glb", GARMENT_FORMATS

    filepath: StringProperty(name="File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_glob: StringProperty(default="*.glb;*.obj;*.fbx", options={"HIDDEN"})
    garment_only: BoolProperty(name="Garment only", default=False,
                               description="Leave the mannequin and rig out (as `assemble --garment-only`)")
    fabric_thickness: fabric_thickness_prop()
    thickness: thickness_prop()
    subdivisions: subdivisions_prop()

    def write(self, context, path: Path) -> None:
        from ..blender import pipeline

        pipeline.export_garment(ensure_result(context), path, include_mannequin=not self.garment_only,
                                thickness_mm=None if self.fabric_thickness else self.thickness,
                                subdivisions=self.subdivisions)


CLASSES = (GARMENT_OT_apply_preset, GARMENT_OT_draft_pattern, GARMENT_OT_assemble, GARMENT_OT_render_preview,
           GARMENT_OT_analyze_image, GARMENT_OT_text_to_spec, GARMENT_OT_edit_spec, GARMENT_OT_load_spec,
           GARMENT_OT_save_spec, GARMENT_OT_import_garmentcode,
           GARMENT_OT_clear_import, GARMENT_OT_check_seams, GARMENT_OT_export_pattern, GARMENT_OT_export_garment)

register, _unregister_classes = bpy.utils.register_classes_factory(CLASSES)


def unregister() -> None:
    session.clear()
    _unregister_classes()
