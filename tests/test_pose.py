"""Hanging the arms down for a fit render (core.body.pose) and the loop's one-off pose probe."""

from __future__ import annotations

import numpy as np
import pytest

from garment_addon.core.body.makehuman import human_for_body
from garment_addon.core.body.mannequin import body_for_spec
from garment_addon.core.body.pose import A_POSE, ARMS_DOWN, ARMS_DOWN_DEG, POSES, check_pose, hang_arms
from garment_addon.core.refine.loop import Refiner
from garment_addon.core.refine.silhouette import as_photo, render_silhouette
from garment_addon.core.spec import make_spec


def shirt(sleeve_length=58.0):
    return make_spec({"garment_type": "shirt", "measurements": {"sleeve_length": sleeve_length}})


@pytest.fixture(scope="module")
def human():
    return human_for_body(body_for_spec(shirt()))


def _angle_from_vertical(v: np.ndarray) -> float:
    return float(np.degrees(np.arctan2(abs(v[0]), -v[2])))


def test_the_arms_hang_down_and_the_torso_stays(human):
    posed = hang_arms(human, human.verts)
    for side in ("Left", "Right"):
        shoulder = human.joints[f"mixamorig:{side}Arm"][0]
        wrist = human.joints[f"mixamorig:{side}Hand"][0]
        assert _angle_from_vertical(wrist - shoulder) > 30  # the A-pose it starts from
        i = int(np.argmin(np.linalg.norm(human.verts - wrist, axis=1)))  # the skin at the wrist
        assert abs(_angle_from_vertical(posed[i] - shoulder) - ARMS_DOWN_DEG) < 4
    # the chest and belly do not move; the figure is half as wide with its arms at its sides
    torso = (np.abs(human.verts[:, 0]) < 8) & (human.verts[:, 2] < human.joints["mixamorig:LeftArm"][0][2] - 10)
    assert np.abs(posed[torso] - human.verts[torso]).max() < 1.0
    assert np.ptp(posed[:, 0]) < 0.6 * np.ptp(human.verts[:, 0])


def test_a_point_off_the_skin_follows_the_arm_it_is_nearest(human):
    """A sleeve around the forearm turns with the arm inside it."""
    wrist = human.joints["mixamorig:LeftHand"][0]
    elbow = human.joints["mixamorig:LeftForeArm"][0]
    cuff = wrist + np.array([0.0, -4.0, 0.0])  # 4 cm in front of the wrist joint: outside the skin
    shoulder = human.joints["mixamorig:LeftArm"][0]
    moved = hang_arms(human, np.array([cuff, elbow]))
    assert _angle_from_vertical(moved[0] - shoulder) < 15
    assert moved[1][0] < elbow[0] - 5  # the elbow swings in toward the body


def test_an_unknown_pose_is_refused():
    assert check_pose(ARMS_DOWN) == ARMS_DOWN
    with pytest.raises(ValueError, match="pose: must be one of a-pose, arms-down"):
        check_pose("t-pose")


def posable(size=160):
    def render(spec, pose=A_POSE):
        return render_silhouette(spec, size, pose)

    render.poses = POSES
    return render


def test_the_loop_hangs_the_arms_when_the_photo_shows_sleeves_down():
    target = as_photo(render_silhouette(shirt(58), 160, ARMS_DOWN))
    ref = Refiner(target, shirt(50), posable(), max_iters=6)
    res = ref.run()
    assert res.pose == ARMS_DOWN and res.report()["pose"] == ARMS_DOWN
    probe = res.records[1]
    assert probe.decision == "pose:arms-down" and probe.accepted
    assert probe.scores["score"] > res.records[0].scores["score"] + 0.05
    assert res.best.score > 0.9


def test_the_loop_keeps_the_a_pose_for_a_photo_in_it():
    target = as_photo(render_silhouette(shirt(58), 160, A_POSE))
    res = Refiner(target, shirt(50), posable(), max_iters=4, threshold=1.0).run()
    assert res.records[1].decision == "pose:arms-down" and not res.records[1].accepted
    assert res.pose == A_POSE


def test_a_renderer_without_poses_is_never_asked_for_one():
    target = as_photo(render_silhouette(shirt(58), 160, ARMS_DOWN))
    res = Refiner(target, shirt(50), lambda s: render_silhouette(s, 160), max_iters=3).run()
    assert res.pose == A_POSE and all(not r.decision.startswith("pose:") for r in res.records)
