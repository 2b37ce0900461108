"""The refinement loop's render function on Blender (owned by the refinement engineer).

``make_blender_render_fn(method, size)`` returns ``render(spec) -> (rgb, garment_mask, person_mask)``
for core.refine.Refiner: it drafts the spec, builds the scene once and afterwards only replaces the
garment (pipeline.update_scene), then renders in memory (pipeline.render_arrays). The person mask is
garment | visible mannequin, the same thing a photo's person segmentation gives.
"""

from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def quiet_stdout():
    """Silence Blender's C-level "Saved: ..." lines so the progress bar stays readable."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def make_blender_render_fn(method: str = "wrap", size: int = 256, profile: str = "preview"):
    from ..core.pattern import draft_pattern
    from . import pipeline

    state = {"result": None}

    def render(spec):
        pattern = draft_pattern(spec)
        with quiet_stdout():
            if state["result"] is None:
                state["result"] = pipeline.build_scene(pattern, method)
            else:
                state["result"] = pipeline.update_scene(state["result"], pattern)
            rgb, garment, body = pipeline.render_arrays(state["result"], profile, size)
        return rgb, garment, body | garment

    render.state = state  # the last SceneResult, for exporting the final garment
    return render
