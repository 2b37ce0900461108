"""The refinement loop: render -> score -> propose -> damp -> render ..., keeping the best.

``Refiner.step()`` does one iteration (one render) so the Blender modal operator can run one per
timer tick; ``fit()`` / ``Refiner.run()`` go to the end. Rendering is injected:
``render_fn(spec) -> (rgb uint8 HxWx3, garment_mask bool HxW[, body_mask bool HxW])`` keeps this
module free of bpy (headless: garment_addon.blender.refine_render; tests: silhouette.render_silhouette).

Stop reasons: ``threshold`` (best score >= threshold), ``vlm_converged``, ``vlm_low_confidence``
(critic confidence < 0.2), ``plateau`` (best improved < 0.002 over the last 3 counted
iterations; probes and categorical alternatives are exploration and not counted), ``max_iters``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..body.pose import A_POSE, ARMS_DOWN
from ..errors import UserError
from ..progress import Progress
from ..spec import GarmentSpec, make_spec
from . import frame as frame_mod
from .metrics import compare_masks, residual
from .photo import Target, load_target
from .proposer import OfflineProposer, Proposal, VLMProposer, beats, build_spec, sleeve_band, sure_sleeves, sure_type

DAMPING = 0.7
PLATEAU_EPS = 0.002
PLATEAU_WINDOW = 3
LOW_CONFIDENCE = 0.2
# the arms-down pose replaces the A-pose for the rest of the fit when it scores this much higher
POSE_MARGIN = 0.005
BACKENDS = ("offline", "vlm", "auto")


@dataclass
class IterationRecord:
    index: int
    spec: dict[str, Any]
    scores: dict[str, Any]
    decision: str
    seconds: float
    accepted: bool  # became the new best
    best_score: float
    note: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"index": self.index, "spec": self.spec, "scores": self.scores, "decision": self.decision,
             "seconds": round(self.seconds, 4), "accepted": self.accepted, "best_score": self.best_score}
        return d | ({"note": self.note} if self.note else {})


@dataclass
class Best:
    spec: GarmentSpec
    scores: dict[str, Any]
    rgb: np.ndarray
    mask: np.ndarray
    body: np.ndarray | None
    index: int

    @property
    def score(self) -> float:
        return float(self.scores["score"])


@dataclass
class FitResult:
    best: Best
    records: list[IterationRecord]
    stop_reason: str
    target: Target
    backend: str
    method: str
    frame: dict[str, Any] = field(default_factory=dict)  # which frame and scale the scores used
    scale: frame_mod.GarmentScale | None = None  # the garment frame's photo scale (None: body frame)
    pose: str = A_POSE  # the mannequin's pose in the renders the scores compared (body.pose.POSES)

    def boxes(self, mask: np.ndarray, body: np.ndarray | None):
        """The garment frame's (photo box, render box) for a render of the best spec, else None."""
        if self.scale is None:
            return None
        return frame_mod.boxes(self.target.garment, self.scale, mask, body, self.best.spec)

    def report(self) -> dict[str, Any]:
        """fit_report.json: iterations, best, stop_reason, frame."""
        return {"frame": self.frame, "pose": self.pose, "iterations": [r.to_dict() for r in self.records],
                "best": {"iteration": self.best.index, "spec": self.best.spec.to_dict(),
                         "scores": self.best.scores},
                "stop_reason": self.stop_reason, "backend": self.backend, "method": self.method,
                "seconds": round(sum(r.seconds for r in self.records), 3)}


def make_critic(backend: str, client=None) -> Callable | None:
    """The VLM critic for ``backend`` (None = offline). vlm without a configured client is a UserError."""
    if backend not in BACKENDS:
        raise UserError(f"backend: must be one of {', '.join(BACKENDS)} (got {backend!r})")
    if backend == "offline":
        return None
    from ..vlm import VLMClient, critique

    client = client or VLMClient.from_env()
    if not client.configured:
        if backend == "vlm":
            raise UserError("backend: vlm needs GARMENT_VLM_API_KEY (or HF_TOKEN / OPENAI_API_KEY); "
                            "choose backend offline or auto")
        return None
    return lambda photo, render, spec: critique(photo, render, spec, client)


class Refiner:
    """One photo, one start spec, one render function; ``step()`` until ``done``."""

    def __init__(self, photo, start_spec, render_fn: Callable, backend: str = "offline", max_iters: int = 15,
                 threshold: float = 0.92, method: str = "wrap", progress: Progress | None = None,
                 critic: Callable | None = None, damping: float = DAMPING):
        if not 1 <= int(max_iters) <= 200:
            raise UserError(f"max_iters: must be 1..200 (got {max_iters!r})")
        if not 0 < float(threshold) <= 1:
            raise UserError(f"threshold: must be in (0, 1] (got {threshold!r})")
        self.target = load_target(photo)
        if not self.target.garment.any():
            raise UserError("image: no garment found in the photo (empty segmentation)")
        self.start = start_spec if isinstance(start_spec, GarmentSpec) else make_spec(start_spec)
        # a garment on its own (no body in the photo): the garment frame, scaled by the garment's
        # length when the analyser measured it here (set at the start render), else by its width
        garment_frame = self.target.body is None
        self._length_scale = garment_frame and frame_mod.analyser_measured(self.start)
        self.scale = None
        if garment_frame and not self._length_scale:
            self.scale = frame_mod.photo_scale(self.target.garment, self.start)
        self.sure = sure_type(self.start)
        # the sleeve class the classifier is sure of stays: sleeve lengths are held in its band
        sleeves = sure_sleeves(self.start)
        self.sleeve_band = sleeve_band(self.start, sleeves) if sleeves else None
        self.render_fn = render_fn
        # a renderer that can hang the arms down (its ``poses``) is asked once, after the start, whether
        # the photo's garment matches better that way (sleeves down a hanger or a wearer's sides)
        self.pose = A_POSE
        self._pose_probe = ARMS_DOWN in getattr(render_fn, "poses", ())
        self.max_iters = int(max_iters)
        self.threshold = float(threshold)
        self.method = method
        self.progress = progress
        self.damping = damping
        critic = critic if critic is not None else make_critic(backend)
        self.backend = "vlm" if critic else "offline"
        # the garment frame's scale girth sets the photo's px/cm: moving it would only rescale the photo
        scaled = self.scale is not None or self._length_scale
        frozen = frame_mod.anchor_girths() if scaled else None
        offline = OfflineProposer(self.sure, frozen)
        self.proposer = VLMProposer(critic, self.target.rgb, offline) if critic else offline
        self.records: list[IterationRecord] = []
        self.best: Best | None = None
        self.stop_reason: str | None = None
        self._counted: list[float] = []  # best score after each non-exploring iteration

    @property
    def done(self) -> bool:
        return self.stop_reason is not None

    def _candidate(self, proposal: Proposal) -> GarmentSpec:
        if self.best is None:
            return self.start
        old = self.best.spec.m
        k = self.damping if proposal.damp else 1.0
        meas = {n: old[n] + k * (v - old[n]) for n, v in proposal.measurements.items()}
        if self.sleeve_band and "sleeve_length" in meas:
            meas["sleeve_length"] = float(np.clip(meas["sleeve_length"], *self.sleeve_band))
        return build_spec(self.best.spec, meas, proposal.garment_type, proposal.features)

    def _render(self, spec: GarmentSpec, pose: str | None = None):
        pose = pose or self.pose
        out = self.render_fn(spec, pose=pose) if pose != A_POSE else self.render_fn(spec)
        rgb, mask = np.asarray(out[0], np.uint8), np.asarray(out[1], bool)
        body = np.asarray(out[2], bool) if len(out) > 2 and out[2] is not None else None
        return rgb, mask, body

    def step(self) -> IterationRecord:
        """Render and score one candidate; updates ``best``/``stop_reason``."""
        if self.done:
            raise RuntimeError(f"refinement already stopped ({self.stop_reason})")
        t0 = time.perf_counter()
        if self.best is not None and self._pose_probe:
            return self._probe_pose(t0)
        proposal = self.proposer.ask(self.best.spec) if self.best else Proposal({}, "start")
        try:
            spec = self._candidate(proposal)
        except UserError as exc:  # an invalid combination: record it, spend the iteration
            return self._record(proposal, self.best.spec, {"score": 0.0, "error": str(exc)}, False, t0)
        rgb, mask, body = self._render(spec)
        tgt = self.target
        if self._length_scale and self.best is None:  # the start render: the photo takes its length
            self.scale = frame_mod.start_scale(tgt.garment, mask, body, spec)
        scores, r = self._score(spec, mask, body)
        if isinstance(self.proposer, VLMProposer):
            self.proposer.tell(proposal, spec, scores["score"], r, rgb)
        else:
            self.proposer.tell(proposal, spec, scores["score"], r)
        accepted = beats(spec, scores["score"], self.best and self.best.spec, self.best and self.best.score,
                         self.sure)
        if accepted:
            self.best = Best(spec, scores, rgb, mask, body, len(self.records))
        return self._record(proposal, spec, scores, accepted, t0)

    def _score(self, spec: GarmentSpec, mask: np.ndarray, body: np.ndarray | None) -> tuple[dict, np.ndarray]:
        tgt = self.target
        boxes = frame_mod.boxes(tgt.garment, self.scale, mask, body, spec) if self.scale else None
        return (compare_masks(tgt.garment, mask, tgt.body, body, boxes=boxes),
                residual(tgt.garment, mask, tgt.body, body, boxes=boxes))

    def _probe_pose(self, t0: float) -> IterationRecord:
        """The best spec again with the arms hanging down; that pose stays when it scores clearly
        higher, and the proposer starts afresh from it (its Jacobian was of the other pose's masks)."""
        self._pose_probe = False
        spec = self.best.spec
        rgb, mask, body = self._render(spec, ARMS_DOWN)
        scores, r = self._score(spec, mask, body)
        proposal = Proposal({}, f"pose:{ARMS_DOWN}", explore=True)
        accepted = scores["score"] > self.best.score + POSE_MARGIN
        if accepted:
            self.pose = ARMS_DOWN
            self.best = Best(spec, scores, rgb, mask, body, len(self.records))
            self.proposer.restart(spec, scores["score"], r, rgb)
        return self._record(proposal, spec, scores, accepted, t0)

    def _record(self, proposal: Proposal, spec: GarmentSpec, scores: dict, accepted: bool,
                t0: float) -> IterationRecord:
        rec = IterationRecord(len(self.records), spec.to_dict(), scores, proposal.decision,
                              time.perf_counter() - t0, accepted, self.best.score, dict(proposal.note))
        self.records.append(rec)
        if not proposal.explore:
            self._counted.append(self.best.score)
        self.stop_reason = self._stop(proposal)
        if self.progress:
            self.progress(len(self.records) / self.max_iters,
                          f"iteration {rec.index}: {proposal.decision} score {scores['score']:.3f} "
                          f"(best {self.best.score:.3f})")
        return rec

    def _stop(self, proposal: Proposal) -> str | None:
        if self.best.score >= self.threshold:
            return "threshold"
        if proposal.note.get("converged"):
            return "vlm_converged"
        if "confidence" in proposal.note and proposal.note["confidence"] < LOW_CONFIDENCE:
            return "vlm_low_confidence"
        c = self._counted
        if len(c) > PLATEAU_WINDOW and c[-1] - c[-1 - PLATEAU_WINDOW] < PLATEAU_EPS:
            offline = self.proposer.fallback if isinstance(self.proposer, VLMProposer) else self.proposer
            if not offline.stalled(self.best.spec):
                return "plateau"
            c.clear()  # the alternatives (and what follows a winner) get a fresh window
        if len(self.records) >= self.max_iters:
            return "max_iters"
        return None

    def run(self) -> FitResult:
        while not self.done:
            self.step()
        return self.result()

    def result(self) -> FitResult:
        if self.best is None:
            raise RuntimeError("no iteration has run")
        return FitResult(self.best, self.records, self.stop_reason or "running", self.target, self.backend,
                         self.method, self.frame_info(), self.scale, self.pose)

    def frame_info(self) -> dict[str, Any]:
        """fit_report.json's "frame": body or garment, and where the lengths' scale came from."""
        if self.target.body is not None:
            return {"frame": "body", "scale": "the body in the photo against the mannequin"}
        if self.scale is None:
            return {"frame": "garment", "scale": None,
                    "note": "no anchor width found: each garment in its own box, lengths not scaled"}
        info = {"frame": "garment", "scale": self.scale.to_dict()}
        note = frame_mod.cut_off_note(self.target.garment, self.scale)
        if note:
            info["cut_off"] = note
        return info


def fit(photo, start_spec, render_fn: Callable, **kwargs) -> FitResult:
    """Run a Refiner to the end (same arguments as Refiner)."""
    return Refiner(photo, start_spec, render_fn, **kwargs).run()
