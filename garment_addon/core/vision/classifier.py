"""Learned garment classifier for real photos, run with numpy only (no torch at run time).

An ensemble of small ResNets trained from scratch on the CC0 clothing-dataset-small
(tools/train_vision.py, `make train-vision`); their weights (BatchNorm folded into the
convolutions), training log and validation figures live beside each other in model/. Three
heads: the dataset's 10 classes plus "background" (our type probabilities are sums over the
classes that map to a type; hat + shoes + background = not a garment we draft), sleeve class
and length class. The members' logits are averaged; probabilities are temperature-scaled with
temperatures (and the refusal threshold) fitted on a held-out slice of the training photos.

The classifier cannot see hoodies or vests as such (the dataset has no such class): it
decides the garment family and the silhouette analyzer refines within tops (analyze.py).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..categories import LENGTHS, SLEEVES

# the dataset's 10 classes, then "background": photos with no garment at all (floors, beds, gardens;
# corners of the dataset photos and procedural scenes at training time)
CLASSES = ("t-shirt", "shirt", "longsleeve", "outwear", "pants", "shorts", "dress", "skirt", "hat", "shoes",
           "background")
NOT_GARMENT = "none"  # hat, shoes or no garment at all: nothing we draft
CLASS_TYPE = {
    "t-shirt": "shirt",
    "shirt": "shirt",
    "longsleeve": "shirt",
    "outwear": "jacket",
    "pants": "pants",
    "shorts": "pants",
    "dress": "dress",
    "skirt": "skirt",
    "hat": NOT_GARMENT,
    "shoes": NOT_GARMENT,
    "background": NOT_GARMENT,
}
HEADS = {"cls": CLASSES, "sleeves": SLEEVES, "length": LENGTHS}
# Which sleeve / length class a dataset class implies (the other photos train neither head).
IMPLIED = {
    "sleeves": {"t-shirt": "short", "longsleeve": "long", "outwear": "long"},
    "length": {"pants": "ankle", "shorts": "mini"},
}
SIZE = 128  # photos are squashed to SIZE x SIZE, the same resize training cached
# Most training photos are 3:4 portraits (72 %), so the members learnt garment shapes squashed from
# 3:4. A 9:16 phone photo squashed the same way comes out a third wider: on the calibration slice
# of train those read right 0.72 of the time against 0.95 for 3:4 ones (dresses read as t-shirts).
# Narrower photos are first widened to 3:4 by repeating their side columns (slice 0.920 -> 0.931,
# the narrow ones 0.72 -> 0.89; widening landscape photos too lowered it to 0.913).
PORTRAIT = 0.75
NARROWEST = 0.73  # width / height below which a photo is widened
INPUT = "w34"  # names this input preparation in the training caches (a change must not reuse them)
MEAN = (0.55, 0.52, 0.50)
STD = (0.25, 0.25, 0.25)
WEIGHTS = "garment_cnn.npz"
MODEL_DIR = Path(__file__).parent / "model"
# Refuse when "not a garment" reaches this probability (not only when it wins). The shipped weights
# carry their own (config "refuse_at"), chosen on the calibration slice of TRAIN by the training
# script; this is the fallback for weights without one.
REFUSE_AT = 0.4


def preprocess(image) -> np.ndarray:
    """SIZE x SIZE x 3 uint8 of a path, PIL image or array; transparency is composited on white,
    photos narrower than 3:4 are widened to it first."""
    from PIL import Image

    from ..imageio import as_rgb_array

    rgb, alpha = as_rgb_array(image)
    if alpha is not None:
        a = alpha[..., None].astype(np.float32) / 255.0
        rgb = (rgb * a + 255.0 * (1 - a)).round().astype(np.uint8)
    return np.asarray(Image.fromarray(widen_to_portrait(rgb)).resize((SIZE, SIZE), Image.BILINEAR))


def widen_to_portrait(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` widened to 3:4 by repeating its outermost columns, if narrower than NARROWEST."""
    h, w = rgb.shape[:2]
    if w >= NARROWEST * h:
        return rgb
    extra = int(round(PORTRAIT * h)) - w
    return np.pad(rgb, ((0, 0), (extra // 2, extra - extra // 2), (0, 0)), mode="edge")


def _conv(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int) -> np.ndarray:
    """2-D convolution of H x W x C by O x C x k x k with 'same' padding k // 2 (im2col + one matmul)."""
    k = w.shape[-1]
    p = k // 2
    if p:
        x = np.pad(x, ((p, p), (p, p), (0, 0)))
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(0, 1))[::stride, ::stride]
    h, wd = win.shape[:2]
    cols = win.reshape(h * wd, -1)  # (H'W', C*k*k), the order of w.reshape(O, -1)
    return (cols @ w.reshape(w.shape[0], -1).T + b).reshape(h, wd, -1)


def type_sums(classes: dict[str, float]) -> dict[str, float]:
    """Per type (and NOT_GARMENT): the sum of its dataset classes' probabilities."""
    out: dict[str, float] = {}
    for cls, p in classes.items():
        out[CLASS_TYPE[cls]] = out.get(CLASS_TYPE[cls], 0.0) + p
    return out


@dataclass
class Prediction:
    logits: dict[str, np.ndarray]
    probs: dict[str, np.ndarray]  # temperature-scaled, per head
    refuse_at: float = REFUSE_AT

    @property
    def classes(self) -> dict[str, float]:
        return dict(zip(CLASSES, map(float, self.probs["cls"]), strict=True))

    @property
    def types(self) -> dict[str, float]:
        """Probability of each of our types (and NOT_GARMENT), summed over the dataset classes."""
        return type_sums(self.classes)

    @property
    def best(self) -> tuple[str, float]:
        """The decision: (NOT_GARMENT, its p) when that reaches REFUSE_AT, else the likeliest type."""
        t = self.types
        if t.get(NOT_GARMENT, 0.0) >= self.refuse_at:
            return NOT_GARMENT, t[NOT_GARMENT]
        k = max((k for k in t if k != NOT_GARMENT), key=t.get)
        return k, t[k]

    @property
    def not_garment_class(self) -> tuple[str, float]:
        """The non-garment class that looks most like the photo (hat, shoes or background) and its probability."""
        c = self.classes
        k = max((k for k, t in CLASS_TYPE.items() if t == NOT_GARMENT), key=c.get)
        return k, c[k]

    def head(self, name: str) -> dict[str, float]:
        return dict(zip(HEADS[name], map(float, self.probs[name]), strict=True))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


class Classifier:
    """The exported ensemble; ``predict(image)`` -> Prediction (logits averaged over the members, each
    over the photo and its mirror; temperatures fitted on those averages)."""

    def __init__(self, path: str | os.PathLike = MODEL_DIR / WEIGHTS):
        with np.load(path) as z:
            self.w = {k: z[k] for k in z.files if k != "config"}
            self.config = json.loads(str(z["config"]))
        self.mean = np.array(self.config["mean"], np.float32)
        self.std = np.array(self.config["std"], np.float32)
        self.members = [f"m{k}." for k in range(self.config.get("members", 1))]
        self.blocks = []
        cin, i = self.config["widths"][0], 0
        for s, (w, d) in enumerate(zip(self.config["widths"], self.config["depths"], strict=True)):
            for j in range(d):
                stride = 2 if (j == 0 and s > 0) else 1
                self.blocks.append((f"blocks.{i}", stride, stride != 1 or cin != w))
                cin, i = w, i + 1

    def _features(self, x: np.ndarray, m: str) -> np.ndarray:
        w = self.w
        x = np.maximum(_conv(x, w[f"{m}stem.w"], w[f"{m}stem.b"], 2), 0)
        for name, stride, short in self.blocks:
            name = m + name
            y = np.maximum(_conv(x, w[f"{name}.a.w"], w[f"{name}.a.b"], stride), 0)
            y = _conv(y, w[f"{name}.b.w"], w[f"{name}.b.b"], 1)
            x = np.maximum(y + (_conv(x, w[f"{name}.short.w"], w[f"{name}.short.b"], stride) if short else x), 0)
        return x.mean((0, 1))

    def predict_array(self, small: np.ndarray) -> Prediction:
        """Prediction for an already preprocessed SIZE x SIZE x 3 uint8 photo."""
        x = ((small.astype(np.float32) / 255.0) - self.mean) / self.std
        logits = {h: 0.0 for h in HEADS}
        for m in self.members:
            feats = (self._features(x, m) + self._features(x[:, ::-1], m)) / 2  # heads are linear
            for h in HEADS:
                logits[h] = logits[h] + (self.w[f"{m}heads.{h}.w"] @ feats + self.w[f"{m}heads.{h}.b"])
        logits = {h: v / len(self.members) for h, v in logits.items()}
        temps = self.config["temperatures"]
        return Prediction(logits, {h: _softmax(logits[h] / temps[h]) for h in HEADS},
                          self.config.get("refuse_at", REFUSE_AT))

    def predict(self, image) -> Prediction:
        return self.predict_array(preprocess(image))


UNSURE = 0.5  # below this the answer stands but comes with a warning naming the runners-up
CANNOT_SEE = ("hoodie", "vest")  # no dataset class: the silhouette's hood / sleeveless reading decides
# the dataset classes each of those is photographed as (hoodies and sweatshirts: long sleeves or
# outerwear; vests: tops of any sleeve, outerwear)
HIDES_IN = {"hoodie": ("longsleeve", "outwear"), "vest": ("t-shirt", "shirt", "longsleeve", "outwear")}


@dataclass
class Decision:
    garment_type: str
    p: float
    types: dict[str, float]  # our seven types after combining with the silhouette
    not_garment: tuple[str, float]  # (hat or shoes, total probability of not a garment)
    refusal: str | None = None  # the UserError line when not a garment wins
    warning: str | None = None

    def metadata(self, pred: Prediction) -> dict:
        top = sorted(self.types.items(), key=lambda kv: -kv[1])[:3]
        return {
            "top_types": [{"type": t, "p": round(p, 3)} for t, p in top],
            "not_garment": {"looks_like": self.not_garment[0], "p": round(self.not_garment[1], 3)},
            "sleeves_p": {k: round(v, 3) for k, v in pred.head("sleeves").items()},
            "length_p": {k: round(v, 3) for k, v in pred.head("length").items()},
        }


# Where the silhouette read the photo: on a person wearing the garment (a body frame was found), on
# one object cut out exactly (a transparent PNG or a plain backdrop: "outline"), or on a garment
# found lying on a floor, bed or hanger ("laid-out"). Its readings are trustworthy in the first two
# on our renders and mostly wrong on home photos, so how much a reading says depends on both.
CONTEXTS = ("worn", "outline", "laid-out")
CLEAN_MASKS = ("alpha", "plain")  # segment methods that cut one object out exactly
VOTES = "silhouette_votes.json"


@dataclass
class Votes:
    """What a silhouette reading says about the true type, fitted by tools/fit_analyze.py on TRAIN
    data (the calibration slice) and our renders of the calibration seeds. Per context:
    ``likelihood[context][s][t]`` = P(the silhouette reads s | the garment is t), raised to
    ``weight[context]``; ``hidden_share[context]`` = the share of the classes in HIDES_IN a hoodie or
    a vest starts with (no dataset class has them); ``temperature[context]`` rescales the product
    so the confidence of the answer matches how often such answers are right."""

    likelihood: dict[str, dict[str, dict[str, float]]]
    weight: dict[str, float]
    hidden_share: dict[str, float]
    temperature: dict[str, float]

    @classmethod
    def uniform(cls) -> Votes:
        """No say at all (weights without a fitted table): the classifier's answer stands."""
        return cls({}, {}, {}, {})

    def of(self, context: str, reading: str, t: str) -> float:
        return self.likelihood.get(context, {}).get(reading, {}).get(t, 1.0)


@functools.cache
def shipped_votes() -> Votes:
    path = MODEL_DIR / VOTES
    if not path.exists():
        return Votes.uniform()
    d = json.loads(path.read_text())
    return Votes(d["likelihood"], d["weight"], d["hidden_share"], d["temperature"])


def decide(pred: Prediction, silhouette_type: str, context: str, outline: bool = False,
           votes: Votes | None = None) -> Decision:
    """The classifier's type probabilities times the likelihood of the silhouette's reading in its
    ``context`` (``votes``, the shipped table by default). Hoodies and vests (no dataset class) first
    take their fitted share of the classes such a garment is photographed as (HIDES_IN), which the
    silhouette's reading then confirms or takes back. ``outline``: the silhouette cut one object out
    exactly, so "background" (a photo of no object) is ruled out and its share spread over the rest;
    a hat or shoes still refuse."""
    from ..garments import PHOTO_TYPES

    if context not in CONTEXTS:
        raise ValueError(f"context: {context!r} is not one of {', '.join(CONTEXTS)}")
    votes = votes or shipped_votes()
    classes = pred.classes
    looks = pred.not_garment_class[0]
    if outline:
        rest = max(1.0 - classes["background"], 1e-6)
        classes = {k: 0.0 if k == "background" else v / rest for k, v in classes.items()}
        looks = max(("hat", "shoes"), key=classes.get)
    t = type_sums(classes)
    types = {k: t.get(k, 0.0) for k in PHOTO_TYPES}
    for hidden, sources in HIDES_IN.items():
        for cls in sources:
            moved = classes[cls] * votes.hidden_share.get(context, 0.0)
            types[CLASS_TYPE[cls]] -= moved
            types[hidden] += moved
    # the silhouette measures whichever garment it finds: it has no say on "not a garment"
    weight = votes.weight.get(context, 0.0)
    types = {k: max(v, 0.0) * votes.of(context, silhouette_type, k) ** weight for k, v in types.items()}
    soft = {k: v ** (1 / votes.temperature.get(context, 1.0)) for k, v in types.items()}
    total = sum(soft.values()) or 1.0
    types = {k: v / total for k, v in soft.items()}
    none_p = t.get(NOT_GARMENT, 0.0)  # the classifier's own: the silhouette has no say on it
    best = max(types, key=types.get)
    d = Decision(best, types[best], types, (looks, none_p))
    if none_p >= pred.refuse_at:
        d.refusal = f"image: no garment found (looks like: {looks}, {none_p:.2f})"
    elif types[best] < UNSURE:
        others = ", ".join(f"{k} {v:.2f}" for k, v in sorted(types.items(), key=lambda kv: -kv[1])[:3])
        d.warning = f"garment type uncertain ({others}); pick another type if it is wrong"
    return d


@functools.cache
def shipped() -> Classifier | None:
    """The classifier shipped in model/, or None when its weights are missing (a stripped install)."""
    path = MODEL_DIR / WEIGHTS
    return Classifier(path) if path.exists() else None


# -- figures (training script and bench) ----------------------------------------------------------
def ece(conf: np.ndarray, correct: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error: sum over equal-width confidence bins of |accuracy - confidence| x share."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def evaluate(preds: list[Prediction], truth: list[str]) -> dict:
    """Validation figures of predictions against dataset class names."""
    want = [CLASS_TYPE[c] for c in truth]
    got = [p.best for p in preds]
    garment = np.array([w != NOT_GARMENT for w in want])
    refused = np.array([g[0] == NOT_GARMENT for g in got])
    correct = np.array([g[0] == w for g, w in zip(got, want, strict=True)])
    conf = np.array([g[1] for g in got])
    cls_pred = np.array([p.probs["cls"].argmax() for p in preds])
    cls_true = np.array([CLASSES.index(c) for c in truth])
    cols = sorted({t for t in CLASS_TYPE.values() if t != NOT_GARMENT}) + [NOT_GARMENT]
    confusion = {c: {k: 0 for k in cols} for c in CLASSES if c in truth}
    for c, g in zip(truth, got, strict=True):
        confusion[c][g[0]] += 1
    out = {
        "photos": len(truth),
        "type_accuracy": float(correct[garment].mean()),
        "not_garment_refused": float(refused[~garment].mean()) if (~garment).any() else float("nan"),
        "garments_refused": float(refused[garment].mean()),
        # calibration of the type probabilities (their argmax, not-a-garment included); the decision
        # refuses below the argmax (REFUSE_AT), so its own confidences are reported apart
        "ece_type": ece(np.array([max(p.types.values()) for p in preds]),
                        np.array([max(p.types, key=p.types.get) == w for p, w in zip(preds, want, strict=True)])),
        "ece_decision": ece(conf, correct),
        "class_accuracy": float((cls_pred == cls_true).mean()),
        "ece_class": ece(np.array([p.probs["cls"].max() for p in preds]), cls_pred == cls_true),
        "confusion_class_by_type": confusion,
    }
    for head, table in IMPLIED.items():
        sel = [i for i, c in enumerate(truth) if c in table]
        hits = [HEADS[head][int(preds[i].probs[head].argmax())] == table[truth[i]] for i in sel]
        out[f"{head}_accuracy"] = float(np.mean(hits)) if hits else float("nan")
    return out
