"""The refinement loop's render function on Blender (owned by the refinement engineer).

``make_blender_render_fn(method, size, rgb)`` returns ``render(spec, pose) -> (rgb, garment_mask, person_mask)``
for core.refine.Refiner: it drafts the spec, builds the scene once and afterwards only replaces the
garment (pipeline.update_scene). The person mask is garment | visible mannequin, the same thing a
photo's person segmentation gives. The offline optimiser needs only the masks: with ``rgb=False``
the Eevee render (~3 s here) is skipped and the flat Workbench masks (~0.05 s) are drawn as a
two-colour picture; the VLM critic needs ``rgb=True``.
"""

from __future__ import annotations

import numpy as np

from .quiet import quiet_stdout

GARMENT_RGB = (90, 120, 210)
BODY_RGB = (150, 150, 150)
BACKGROUND_RGB = (255, 255, 255)


def flat_picture(garment: np.ndarray, person: np.ndarray) -> np.ndarray:
    rgb = np.empty(garment.shape + (3,), np.uint8)
    rgb[:] = BACKGROUND_RGB
    rgb[person] = BODY_RGB
    rgb[garment] = GARMENT_RGB
    return rgb


def make_blender_render_fn(method: str = "wrap", size: int = 256, profile: str = "preview", rgb: bool = True):
    from ..core.body.pose import A_POSE, POSES
    from ..core.pattern import draft_pattern
    from . import pipeline

    state = {"result": None}

    def render(spec, pose: str = A_POSE):
        pattern = draft_pattern(spec)
        with quiet_stdout(filter_stderr=True):
            if state["result"] is None:
                state["result"] = pipeline.build_scene(pattern, method)
            else:
                state["result"] = pipeline.update_scene(state["result"], pattern)
            with pipeline.posed(state["result"], pose) as result:
                if rgb:
                    picture, garment, body = pipeline.render_arrays(result, profile, size)
                    return picture, garment, body | garment
                garment, body = pipeline.render_masks(result, size)
        return flat_picture(garment, body | garment), garment, body | garment

    render.state = state  # the last SceneResult, for exporting the final garment
    render.poses = POSES  # the loop may ask for the arms hanging down (pipeline.posed)
    return render
