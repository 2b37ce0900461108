"""garment.refine: the core.refine loop, one iteration per window-manager timer tick.

Invoked from the panel it is modal: each tick runs Refiner.step() (one render),
logs the score, updates the progress bar; Esc stops and keeps the best spec.
Executed directly (scripts, background mode) it runs the same steps to the end.
"""

from __future__ import annotations

import os

import bpy
from bpy.props import IntProperty

from ..core.errors import UserError
from . import convert, operators, scene_objects, session


def render_fn_for(context, method: str, backend: str, size: int = 256):
    """render_fn(spec) -> (rgb, garment_mask, person_mask): the same Blender renderer `fit` uses.

    Offline scoring reads only the masks, so Eevee runs only when a VLM critic needs to see the render.
    """
    from ..jobs import render_fn

    _, render = render_fn("blender", method, size, rgb=backend != "offline")

    def tagged(spec):
        with scene_objects.cli_sim_settings(context.scene):  # a drape here must match `fit`'s too
            out = render(spec)
        result = render.state["result"]
        for obj in (result.garment, result.mannequin):
            obj[scene_objects.TAG] = "assembly"
        session.remember_result(context.scene.name, result)  # so Render/Export use the refined garment
        return out

    return tagged


class GARMENT_OT_refine(operators._GarmentOperator, bpy.types.Operator):
    """Render, compare with the photo and adjust the garment until they match (Esc stops, keeps the best)"""

    bl_idname = "garment.refine"
    bl_label = "Refine to Photo"
    bl_options = {"REGISTER", "UNDO"}

    interval_ms: IntProperty(name="Timer (ms)", default=50, min=1, max=5000, options={"SKIP_SAVE"})

    _refiner = None
    _timer = None

    @classmethod
    def poll(cls, context):
        return operators.ready(context) and bool(context.scene.garment.inputs.image_path)

    def _start(self, context) -> bool:
        from ..core.refine.loop import Refiner, make_critic
        from ..core.refine.photo import read_photo

        props = context.scene.garment
        refine = props.refine
        if props.imported_pattern:  # the loop adjusts a spec; an imported pattern has none to adjust
            raise UserError(f"imported_pattern: refinement adjusts the garment settings, not "
                            f"{props.imported_name}; press 'Use Garment Settings' first")
        photo = bpy.path.abspath(props.inputs.image_path)
        if not os.path.isfile(photo):
            raise UserError(f"inputs.image_path: file not found: {photo}")
        critic = make_critic(refine.backend, client=operators.backend_client(context, refine.backend))
        method = refine.method.lower()
        render_fn = render_fn_for(context, method, refine.backend, refine.size)
        # the photo is read and checked as `analyze` does it (same refusals) before any render
        start, target = read_photo(photo, start=convert.props_to_spec(props))
        self._refiner = Refiner(target, start, render_fn,
                                backend=refine.backend, max_iters=refine.max_iterations,
                                threshold=refine.threshold, method=method, critic=critic)
        session.set_refining(context.scene.name, True)
        refine.log.clear()
        refine.running, refine.score, refine.best_score, refine.progress = True, 0.0, 0.0, 0.0
        refine.status = "running"
        context.window_manager.progress_begin(0, refine.max_iterations)
        return True

    def _step(self, context) -> None:
        refine = context.scene.garment.refine
        rec = self._refiner.step()
        item = refine.log.add()
        item.index, item.score, item.decision = rec.index, float(rec.scores["score"]), rec.decision[:60]
        refine.score, refine.best_score = item.score, rec.best_score
        refine.progress = 100.0 * len(self._refiner.records) / self._refiner.max_iters
        context.window_manager.progress_update(len(self._refiner.records))
        self.report({"INFO"}, f"Refine iteration {rec.index}: score {item.score:.3f}, "
                              f"best {rec.best_score:.3f} ({rec.decision[:40]})")

    def _finish(self, context, reason: str) -> set[str]:
        props = context.scene.garment
        refine = props.refine
        wm = context.window_manager
        if self._timer is not None:
            wm.event_timer_remove(self._timer)
            self._timer = None
        wm.progress_end()
        session.set_refining(context.scene.name, False)
        refine.running = False
        refine.status = reason
        best = self._refiner.best if self._refiner else None
        if best is not None:
            convert.spec_to_props(best.spec, props)
            try:  # the scene shows the last candidate: put the best garment on the mannequin
                operators.ensure_result(context)
            except Exception as exc:  # noqa: BLE001 - the spec is kept; only the redraw failed
                operators.report_exception(self, "Refine", exc)
            self.report({"INFO"}, f"Refinement {reason}: best score {best.score:.3f} after "
                                  f"{len(self._refiner.records)} iterations")
        self._refiner = None
        return {"FINISHED"} if best is not None else {"CANCELLED"}

    def _fail(self, context, exc: Exception) -> set[str]:
        operators.report_exception(self, "Refine", exc)
        return self._finish(context, f"failed: {operators.one_line(exc)}")

    def execute(self, context):
        try:
            self._start(context)
            while not self._refiner.done:
                self._step(context)
        except Exception as exc:  # noqa: BLE001 - reported as one line by _fail
            if self._refiner is None:
                operators.report_exception(self, "Refine", exc)
                return {"CANCELLED"}
            return self._fail(context, exc)
        return self._finish(context, self._refiner.stop_reason)

    def invoke(self, context, event):
        try:
            self._start(context)
        except Exception as exc:  # noqa: BLE001
            context.scene.garment.refine.running = False
            session.set_refining(context.scene.name, False)
            operators.report_exception(self, "Refine", exc)
            return {"CANCELLED"}
        wm = context.window_manager
        self._timer = wm.event_timer_add(self.interval_ms / 1000, window=context.window)
        wm.modal_handler_add(self)
        return {"RUNNING_MODAL"}

    def modal(self, context, event):
        if event.type == "ESC":
            return self._finish(context, "cancelled")
        if event.type != "TIMER":
            return {"PASS_THROUGH"}
        try:
            self._step(context)
        except Exception as exc:  # noqa: BLE001
            return self._fail(context, exc)
        for area in context.screen.areas if context.screen else []:
            if area.type == "VIEW_3D":
                area.tag_redraw()
        if self._refiner.done:
            return self._finish(context, self._refiner.stop_reason)
        return {"RUNNING_MODAL"}

    def cancel(self, context):
        if self._refiner is not None:
            self._finish(context, "cancelled")


CLASSES = (GARMENT_OT_refine,)


register, unregister = bpy.utils.register_classes_factory(CLASSES)
