"""What to try next: the offline optimiser and the VLM critic.

Both return a ``Proposal`` (suggested measurements and, rarely, a categorical switch); the loop
damps the continuous part (new = old + 0.7 (suggested - old)) and renders it.

Offline (``OfflineProposer``), over the type's continuous parameters normalised to [0, 1]
(``ParamSpace``):

1. probe: one finite-difference step per parameter gives the Jacobian of the blurred
   mask residual (metrics.residual) with respect to the parameters;
2. step: Levenberg-Marquardt steps on that residual, the Jacobian kept current with Broyden
   updates (one render per step); a failed step raises the damping factor lambda;
3. when steps stall: the nearby categorical alternatives (sleeve class, fit, garment type),
   each tried once; a winner restarts from 1 with its own parameters. Another type wins only by
   TYPE_MARGIN, and none is tried against a type the classifier is sure of (``beats``);
4. then coordinate pattern search (+/- step per parameter, halving on failure).

VLM (``VLMProposer``): sends [photo, best render] to a critic returning
``{differences, adjustments, confidence, converged}``; adjustments are applied all-or-nothing
and bounded to MAX_VLM_STEP of each parameter's range; anything unusable falls back to offline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..categories import SLEEVE_EDGES, SLEEVES
from ..errors import UserError
from ..garments import TYPES
from ..proportions import ARM_LENGTH
from ..spec import FEATURES, FITS, MEASUREMENTS, SIZE_TABLE, GarmentSpec, clamp_relations, make_spec

# Search range (cm) per parameter: the plausible span, narrower than the validation range.
RANGES: dict[str, tuple[float, float]] = {
    "bodice_length": (34, 95), "sleeve_length": (0, 66), "skirt_length": (25, 120), "flare": (0, 60),
    "pant_length": (40, 115), "bust": (70, 130), "waist": (55, 120), "hip": (75, 135),
    "ankle": (18, 50), "neckline_depth": (2, 25), "rise": (20, 36), "neckline_width": (5, 14),
}
SLEEVE_CLASSES = {"none": 0.0, "short": 20.0, "elbow": 36.0, "long": 58.0}
PROBE_STEP = 0.1
MAX_STEP = 0.35  # largest change of one normalised parameter in one optimiser step
MAX_VLM_STEP = 0.15  # largest VLM change, as a fraction of the parameter's range
STALL_FAILS = 2
EARLY_ALTERNATIVES_BELOW = 0.55  # a start this far off: try other types / sleeve classes first
# Another garment type replaces the best only when it scores clearly higher: at the scores of a poor
# match, noise (0.105 -> 0.109) used to be enough to turn a dress into trousers.
TYPE_MARGIN = 0.03
SURE_TYPE = 0.8  # the classifier's probability from which its type is kept whatever the masks say


@dataclass
class Proposal:
    measurements: dict[str, float]  # suggested values (cm) for the parameters that change
    decision: str  # start | probe:<param> | step | alternative:<what> | coord:<param> | vlm
    garment_type: str | None = None  # categorical switch (not damped)
    features: dict[str, Any] = field(default_factory=dict)
    explore: bool = False  # probes and alternatives: not counted by the plateau rule
    damp: bool = True  # categorical alternatives are applied whole
    note: dict[str, Any] = field(default_factory=dict)  # VLM differences, confidence, converged


def build_spec(base: GarmentSpec, measurements: dict[str, float], garment_type: str | None = None,
               features: dict[str, Any] | None = None) -> GarmentSpec:
    """``base`` with some measurements/features/type changed, kept valid (core.spec.clamp_relations)."""
    d = base.to_dict()
    t = garment_type or base.garment_type
    m = dict(d["measurements"])
    m.update({k: float(v) for k, v in measurements.items()})
    m.pop("inseam", None)  # derived: pant_length - rise
    m = clamp_relations(m)
    if t != base.garment_type and "jacket" in (t, base.garment_type):
        # a jacket's neckline_depth is its break point (just above the waist), a top's its neckline:
        # neither carries over (a shirt became a jacket buttoned to 7 cm under the neck, a jacket a
        # shirt with a 40 cm V); the new type's default applies
        m.pop("neckline_depth", None)
    feats = dict(d["features"]) | dict(features or {})
    if t != base.garment_type:
        feats.pop("has_hood", None)  # let the new type choose its default
    meta = dict(d.get("metadata") or {})
    meta.pop("confidence", None) if t != base.garment_type else None
    return make_spec({"garment_type": t, "size": d["size"], "measurements": m, "features": feats,
                      "metadata": meta})


def sure_type(spec: GarmentSpec) -> str | None:
    """The type the photo classifier gave at least SURE_TYPE (``metadata["top_types"]``), else None."""
    tops = (spec.metadata or {}).get("top_types") or []
    try:
        best = max(tops, key=lambda d: float(d["p"]))
        return str(best["type"]) if float(best["p"]) >= SURE_TYPE else None
    except (TypeError, KeyError, ValueError):
        return None


def sure_sleeves(spec: GarmentSpec) -> str | None:
    """The sleeve class the photo classifier's sleeve head gave at least SURE_TYPE, when the analyser
    settled on it too (``metadata["sleeves_p"]`` and ``attributes["sleeves"]``), else None. A jacket
    on a hanger has its sleeves hanging down its sides: its outline is a sleeveless one, and the mask
    score alone took such a jacket's sleeves off (0.47 -> 0.75) while the head said long at 0.999."""
    meta = spec.metadata or {}
    probs, said = meta.get("sleeves_p") or {}, (meta.get("attributes") or {}).get("sleeves")
    try:
        cls = max(probs, key=lambda k: float(probs[k]))
        return cls if cls == said and float(probs[cls]) >= SURE_TYPE else None
    except (TypeError, ValueError):
        return None


def sleeve_band(spec: GarmentSpec, cls: str) -> tuple[float, float]:
    """Sleeve lengths (cm) of a sleeve class on the spec's size: the class edges over the arm."""
    arm = ARM_LENGTH * SIZE_TABLE[spec.size]["height"]
    i = SLEEVES.index(cls)
    edges = (0.0, *SLEEVE_EDGES, RANGES["sleeve_length"][1] / arm)
    return (0.0, 0.0) if cls == "none" else (edges[i] * arm, edges[i + 1] * arm)


def beats(spec: GarmentSpec, score: float, best: GarmentSpec | None, best_score: float,
          sure: str | None = None) -> bool:
    """Does the candidate replace the best? Same type: any gain. Another type: a gain of TYPE_MARGIN,
    and never away from the type the classifier is sure of."""
    if best is None:
        return True
    if spec.garment_type == best.garment_type:
        return score > best_score
    return best.garment_type != sure and score >= best_score + TYPE_MARGIN


class ParamSpace:
    """The continuous parameters of one garment type, mapped to [0, 1]."""

    def __init__(self, garment_type: str, late: bool = False, frozen: tuple[str, ...] = ()):
        gt = TYPES[garment_type]
        self.names = tuple(n for n in gt.params + (gt.late_params if late else ()) if n not in frozen)

    def encode(self, spec: GarmentSpec) -> np.ndarray:
        return np.array([(spec.m[n] - RANGES[n][0]) / (RANGES[n][1] - RANGES[n][0]) for n in self.names])

    def decode(self, x: np.ndarray) -> dict[str, float]:
        x = np.clip(x, 0, 1)
        lo_hi = [RANGES[n] for n in self.names]
        return {n: lo + float(v) * (hi - lo) for n, v, (lo, hi) in zip(self.names, x, lo_hi, strict=True)}


class OfflineProposer:
    """Probe -> Levenberg-Marquardt with Broyden updates -> categorical alternatives -> coordinate search."""

    def __init__(self, sure: str | None = None, frozen: dict[str, tuple[str, ...]] | None = None):
        self.sure = sure  # a type the classifier is sure of: no switching away from it
        self.frozen = frozen or {}  # type -> parameters held (the garment frame's scale girth)
        self.best: GarmentSpec | None = None
        self.best_r: np.ndarray | None = None
        self.best_score = -1.0
        self._reset(None)
        self._tried_alts: set[str] = set()
        self._early_done = False

    def _reset(self, spec: GarmentSpec | None) -> None:
        self.space = ParamSpace(spec.garment_type, frozen=self.frozen.get(spec.garment_type, ())) if spec else None
        n = len(self.space.names) if self.space else 0
        self.jac: np.ndarray | None = None
        self.probes = list(range(n))
        self.lam = 0.05
        self.fails = 0
        self.alts: list[Proposal] | None = None
        self.coord_step = np.full(n, 0.06)
        self.coord_queue: list[tuple[int, float]] = []

    # -- asking ---------------------------------------------------------------------------------
    def ask(self, best: GarmentSpec) -> Proposal:
        if self.space is None:
            return Proposal({}, "start")
        x = self.space.encode(best)
        if not self._early_done:
            self._early_done = True
            if self.best_score < EARLY_ALTERNATIVES_BELOW:
                self.alts = self._alternatives(best, early=True)
        if self.alts and self.alts[0].note.get("early"):
            return self.alts.pop(0)
        if self.probes:
            i = self.probes.pop(0)
            h = PROBE_STEP if x[i] + PROBE_STEP <= 1 else -PROBE_STEP
            return self._move(x, i, h, f"probe:{self.space.names[i]}", explore=True)
        if self.fails < STALL_FAILS and self.jac is not None:
            return Proposal(self.space.decode(x + self._lm_step()), "step")
        if self._add_late_params(best):
            return self.ask(best)
        if self.alts is None:
            self.alts = self._alternatives(best)
        if self.alts:
            return self.alts.pop(0)
        return self._coord(x)

    def stalled(self, best: GarmentSpec) -> bool:
        """The loop's plateau rule fired: go to the categorical alternatives now if some are untried
        (True), rather than stop before ever trying them (False: nothing left, stop)."""
        if self.space is None:
            return False
        if self._add_late_params(best):
            return True
        if self.alts is None:
            self.alts = self._alternatives(best)
        self.probes = []
        self.fails = STALL_FAILS
        return bool(self.alts)

    def _add_late_params(self, best: GarmentSpec) -> bool:
        """Stalled for the first time: add the type's late_params and probe them (True if any)."""
        late = ParamSpace(best.garment_type, late=True, frozen=self.frozen.get(best.garment_type, ()))
        n = len(self.space.names)
        if len(late.names) <= n:
            return False
        self.space = late
        self.probes = list(range(n, len(late.names)))
        self.coord_step = np.concatenate([self.coord_step, np.full(len(late.names) - n, 0.06)])
        if self.jac is not None:
            self.jac = np.hstack([self.jac, np.zeros((len(self.jac), len(late.names) - n))])
        self.fails = 0
        return True

    def _move(self, x, i, h, decision, explore=False) -> Proposal:
        y = x.copy()
        y[i] = np.clip(y[i] + h, 0, 1)
        name = self.space.names[i]
        return Proposal({name: self.space.decode(y)[name]}, decision, explore=explore)

    def _lm_step(self) -> np.ndarray:
        j, r = self.jac, self.best_r
        a = j.T @ j
        a += self.lam * (np.diag(np.diag(a)) + 1e-6 * np.eye(len(a)))
        dx = -np.linalg.solve(a, j.T @ r)
        return np.clip(dx, -MAX_STEP, MAX_STEP)

    def _coord(self, x) -> Proposal:
        if not self.coord_queue:
            for i in range(len(x)):
                self.coord_queue += [(i, self.coord_step[i]), (i, -self.coord_step[i])]
        i, h = self.coord_queue.pop(0)
        return self._move(x, i, h, f"coord:{self.space.names[i]}")

    def _alternatives(self, best: GarmentSpec, early: bool = False) -> list[Proposal]:
        """Nearby categorical choices; early (a poor start): other types, then sleeve classes."""
        out: list[Proposal] = []
        t = best.garment_type
        types = () if t == self.sure else TYPES[t].neighbours
        if early:
            out += [Proposal({}, f"alternative:type={o}", garment_type=o, explore=True, damp=False)
                    for o in types]
        if "sleeve_length" in TYPES[t].params and not sure_sleeves(best):
            now = best.m["sleeve_length"]
            for cls, length in SLEEVE_CLASSES.items():
                if abs(length - now) > 8:
                    out.append(Proposal({"sleeve_length": length}, f"alternative:sleeve={cls}", explore=True,
                                        damp=False))
        for fit in FITS if not early else ():
            if fit != best.fit:
                out.append(Proposal({}, f"alternative:fit={fit}", features={"fit": fit}, explore=True,
                                    damp=False))
        for other in types if not early else ():
            out.append(Proposal({}, f"alternative:type={other}", garment_type=other, explore=True,
                                    damp=False))
        key = lambda p: f"{t}|{p.decision}"  # noqa: E731
        fresh = [p for p in out if key(p) not in self._tried_alts]
        self._tried_alts.update(key(p) for p in fresh)
        for p in fresh:
            p.note = {"early": True} if early else {}
        return fresh

    # -- learning -------------------------------------------------------------------------------
    def restart(self, spec: GarmentSpec, score: float, r: np.ndarray, rgb=None) -> None:
        """The same best spec scored anew (the renders changed pose): start again from it."""
        self._reset(spec)
        self.best, self.best_r, self.best_score = spec, r, score

    def tell(self, proposal: Proposal, spec: GarmentSpec, score: float, r: np.ndarray) -> None:
        """The evaluated (damped) candidate and its score/residual."""
        if self.best is None or spec.garment_type != self.best.garment_type and beats(
                spec, score, self.best, self.best_score, self.sure):
            self._reset(spec)
            self.best, self.best_r, self.best_score = spec, r, score
            return
        if spec.garment_type != self.best.garment_type:
            return  # a losing type alternative says nothing about this type's Jacobian
        dx = self.space.encode(spec) - self.space.encode(self.best)
        self._update_jacobian(proposal, dx, r)
        improved = score > self.best_score
        if proposal.decision == "step":
            self.lam = self.lam / 3 if improved else self.lam * 4
            self.fails = 0 if improved else self.fails + 1
        if proposal.decision.startswith("coord:"):
            i = self.space.names.index(proposal.decision[6:])
            if not improved and not any(q[0] == i for q in self.coord_queue):
                self.coord_step[i] /= 2
            if improved:  # go on from the new point
                self.coord_queue = [(i, float(np.sign(dx[i]) * self.coord_step[i]))]
        if improved:
            if proposal.decision.startswith("alternative:"):
                self.alts = None  # new structure: look at its neighbours again later
                self.fails = 0
            self.best, self.best_r, self.best_score = spec, r, score

    def _update_jacobian(self, proposal: Proposal, dx: np.ndarray, r: np.ndarray) -> None:
        n2 = float(dx @ dx)
        if n2 < 1e-10:
            return
        if self.jac is None:
            self.jac = np.zeros((len(r), len(dx)))
        if proposal.decision.startswith("probe:"):
            i = int(np.argmax(np.abs(dx)))
            self.jac[:, i] = (r - self.best_r) / dx[i]
        else:  # Broyden: the smallest change that explains the new residual
            self.jac += np.outer(r - self.best_r - self.jac @ dx, dx) / n2


class VLMProposer:
    """Asks a critic ``critic(photo_rgb, render_rgb, spec_dict) -> dict``; offline when unusable."""

    def __init__(self, critic: Callable[..., dict], photo_rgb: np.ndarray,
                 fallback: OfflineProposer | None = None):
        self.critic = critic
        self.photo_rgb = photo_rgb
        self.fallback = fallback or OfflineProposer()
        self.best_rgb: np.ndarray | None = None
        self.errors: list[str] = []

    def ask(self, best: GarmentSpec) -> Proposal:
        if self.best_rgb is None:
            return self.fallback.ask(best)
        try:
            answer = self.critic(self.photo_rgb, self.best_rgb, best.to_dict())
            proposal = parse_critique(answer, best)
        except (UserError, ValueError, TypeError, KeyError, OSError, RuntimeError) as exc:
            self.errors.append(f"{exc.__class__.__name__}: {exc}")
            proposal = None
        if proposal is None:
            p = self.fallback.ask(best)
            p.decision = f"{p.decision} (vlm unusable)"
            return p
        if proposal.garment_type and best.garment_type == self.fallback.sure:  # the loop would refuse it
            proposal.garment_type, proposal.damp = None, True
            proposal.note["kept_type"] = best.garment_type
        return proposal

    def restart(self, spec: GarmentSpec, score: float, r: np.ndarray, rgb=None) -> None:
        self.fallback.restart(spec, score, r)
        self.best_rgb = rgb

    def tell(self, proposal: Proposal, spec: GarmentSpec, score: float, r: np.ndarray,
             rgb: np.ndarray | None = None) -> None:
        self.fallback.tell(proposal, spec, score, r)
        if rgb is not None and (self.best_rgb is None or self.fallback.best is spec):
            self.best_rgb = rgb


def parse_critique(answer: Any, best: GarmentSpec) -> Proposal | None:
    """A bounded Proposal from the critic's JSON, or None if any adjustment is unusable (all-or-nothing).

    ``adjustments`` is core.vlm.critique's ``{name: new value}`` (a measurement in cm, a feature,
    or garment_type), or a list of ``{"field", "value"}`` / ``{"field", "delta_cm"}``.
    """
    if not isinstance(answer, dict):
        return None
    conf = float(answer.get("confidence", 0.5))
    note = {"differences": answer.get("differences", []), "confidence": conf,
            "converged": bool(answer.get("converged", False))}
    adj = answer.get("adjustments") or {}
    if isinstance(adj, dict):
        adj = [{"field": k, "value": v} for k, v in adj.items()]
    meas: dict[str, float] = {}
    feats: dict[str, Any] = {}
    gtype = None
    for a in adj:
        name = str(a.get("field", "")).removeprefix("measurements.").removeprefix("features.")
        if name == "garment_type":
            gtype = str(a.get("value"))
        elif name in FEATURES:
            feats[name] = a.get("value")
        elif name in MEASUREMENTS:
            lo, hi = RANGES.get(name, (MEASUREMENTS[name].lo, MEASUREMENTS[name].hi))
            now = best.m[name]
            # a value already past the search span (a jacket's 40 cm neckline: its break point at the
            # waist) is nudged from where it is, not dragged into the span
            lo, hi = min(lo, now), max(hi, now)
            want = float(a["value"]) if "value" in a else now + float(a.get("delta_cm", 0))
            bound = MAX_VLM_STEP * (hi - lo)
            meas[name] = float(np.clip(np.clip(want, now - bound, now + bound), lo, hi))
        else:
            return None
    proposal = Proposal(meas, "vlm", garment_type=gtype, features=feats, note=note, damp=not gtype)
    try:
        build_spec(best, meas, gtype, feats)
    except UserError:
        return None
    return proposal
