"""The refinement loop's render function on Blender (owned by the refinement engineer).

``make_blender_render_fn(method, size, rgb)`` returns ``render(spec) -> (rgb, garment_mask, person_mask)``
for core.refine.Refiner: it drafts the spec, builds the scene once and afterwards only replaces the
garment (pipeline.update_scene). The person mask is garment | visible mannequin, the same thing a
photo's person segmentation gives. The offline optimiser needs only the masks: with ``rgb=False``
the Eevee render (~3 s here) is skipped and the flat Workbench masks (~0.05 s) are drawn as a
two-colour picture; the VLM critic needs ``rgb=True``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

import numpy as np

GARMENT_RGB = (90, 120, 210)
BODY_RGB = (150, 150, 150)
BACKGROUND_RGB = (255, 255, 255)


NOISE = ("EGL Error",)  # stderr lines of a GPU-less Eevee start-up: harmless, alarming to read


@contextlib.contextmanager
def quiet_stdout(filter_stderr: bool = False):
    """Silence Blender's C-level "Saved: ..." lines so the progress bar stays readable; with
    ``filter_stderr`` also drop its GPU-less EGL noise from stderr (every other line is kept)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1)
    saved_err = os.dup(2) if filter_stderr else None
    err = tempfile.TemporaryFile("w+b") if filter_stderr else None
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            if err is not None:
                os.dup2(err.fileno(), 2)
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved, 1)
        os.close(saved)
        if err is not None:
            os.dup2(saved_err, 2)
            os.close(saved_err)
            err.seek(0)
            kept = [ln for ln in err.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if ln.strip() and not ln.startswith(NOISE)]
            err.close()
            sys.stderr.write("".join(kept))


def render_masks(result, size: int):
    """(garment_mask, visible_body_mask) of a SceneResult: a flat Workbench render, no Eevee."""
    from . import pipeline

    if hasattr(pipeline, "render_masks"):  # public once the pipeline offers it
        return pipeline.render_masks(result, size)
    from . import render as rd

    with pipeline._RenderIsolation(result) as scene:  # same camera/isolation as render_arrays
        return rd.render_masks(scene, result.garment, result.mannequin, size)


def flat_picture(garment: np.ndarray, person: np.ndarray) -> np.ndarray:
    rgb = np.empty(garment.shape + (3,), np.uint8)
    rgb[:] = BACKGROUND_RGB
    rgb[person] = BODY_RGB
    rgb[garment] = GARMENT_RGB
    return rgb


def make_blender_render_fn(method: str = "wrap", size: int = 256, profile: str = "preview", rgb: bool = True):
    from ..core.pattern import draft_pattern
    from . import pipeline

    state = {"result": None}

    def render(spec):
        pattern = draft_pattern(spec)
        with quiet_stdout(filter_stderr=True):
            if state["result"] is None:
                state["result"] = pipeline.build_scene(pattern, method)
            else:
                state["result"] = pipeline.update_scene(state["result"], pattern)
            if rgb:
                picture, garment, body = pipeline.render_arrays(state["result"], profile, size)
                return picture, garment, body | garment
            garment, body = render_masks(state["result"], size)
        return flat_picture(garment, body | garment), garment, body | garment

    render.state = state  # the last SceneResult, for exporting the final garment
    return render
