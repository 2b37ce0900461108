"""Optional MediaPipe path (pip extra ``vision``: mediapipe==0.10.21).

0.10.21 is the last release whose legacy ``solutions`` ship their models inside the wheel,
so pose (with a person segmentation mask) and selfie segmentation run fully offline. When
mediapipe is not importable (e.g. inside Blender) the light OpenCV path is used instead.
"""

from __future__ import annotations

import functools
import importlib.util

import numpy as np


@functools.cache
def available() -> bool:
    return importlib.util.find_spec("mediapipe") is not None


@functools.cache
def _pose():
    import mediapipe as mp

    return mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1, enable_segmentation=True)


@functools.cache
def _selfie():
    import mediapipe as mp

    return mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0)


def run_pose(rgb: np.ndarray) -> tuple[np.ndarray | None, dict[str, tuple[float, float, float]]]:
    """(person mask or None, {landmark name: (x px, y px, visibility)}) from MediaPipe Pose."""
    import mediapipe as mp

    res = _pose().process(np.ascontiguousarray(rgb))
    h, w = rgb.shape[:2]
    marks: dict[str, tuple[float, float, float]] = {}
    if res.pose_landmarks:
        for lm_id in mp.solutions.pose.PoseLandmark:
            lm = res.pose_landmarks.landmark[lm_id]
            marks[lm_id.name.lower()] = (lm.x * w, lm.y * h, lm.visibility)
    mask = res.segmentation_mask > 0.5 if res.segmentation_mask is not None else None
    return mask, marks


def person_mask(rgb: np.ndarray) -> np.ndarray | None:
    return segment(rgb)[0]


def segment(rgb: np.ndarray) -> tuple[np.ndarray | None, dict[str, tuple[float, float, float]]]:
    """Pose segmentation and landmarks when a pose is found, else selfie segmentation (crops
    without a head still segment)."""
    mask, marks = run_pose(rgb)
    if mask is None or mask.mean() < 0.02:
        res = _selfie().process(np.ascontiguousarray(rgb))
        mask = res.segmentation_mask > 0.5 if res.segmentation_mask is not None else None
    return mask, marks
