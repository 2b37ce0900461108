"""Choose analyze.HEAD_SURE on TRAIN data (never validation): when the classifier's sleeve / trouser-length
head replaces the class the silhouette measured on a garment without a person.

`python tools/fit_heads.py` runs the analyzer with the heads switched off on the calibration slice of
train/ (the photos train_vision.py holds out) whose class implies a sleeve or length class (t-shirt:
short, longsleeve and outwear: long, pants: ankle, shorts: mini), and on our product-shot renders of
seeds 3 and 5 (their true classes). Per (head, context) it prints the accuracy of "the head where it
is at least this sure, else the silhouette" on each source and picks the threshold of the best mean
over the sources present (real photos and renders count alike: renders stand for product shots on
white, real photos for everything else), the highest within half a point of it (leaning on the
measurement); where fewer than MIN_REAL real photos say anything, never. It prints the table; copy
the choice into analyze.HEAD_SURE.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from garment_addon.core.imageio import as_rgb_array  # noqa: E402
from garment_addon.core.vision import analyze as A  # noqa: E402
from garment_addon.core.vision import classifier as C  # noqa: E402
from tools import train_vision as T  # noqa: E402

GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1.01)  # 1.01: never the head
MIN_REAL = 20  # real photos of a (head, context) below which the measurement keeps its say (trousers on
# an exact outline: 6 calibration photos, against our renders whose capri lengths the head calls full)


def observe(image: np.ndarray, truth: dict[str, str], source: str) -> list[dict]:
    """One row per head the truth names: context, silhouette class, head probabilities, truth."""
    a = A.analyze_array(image[..., :3], image[..., 3] if image.shape[-1] == 4 else None)
    if a.refusal or a.measured is None:
        return []
    return [dict(head=h, context=A.silhouette_context(a), source=source, type=a.garment_type,
                 measured=a.attributes.get(h), probs=a.classifier[f"{h}_p"], truth=truth[h])
            for h in A.heads_for(a.garment_type) if truth.get(h)]


def answer(r: dict, sure: float) -> str | None:
    key = (r["head"], r["context"])
    return A.head_class(r["measured"], r["probs"], sure, A.KEEP_MEASURED.get(key, ()), A.HEAD_OVERRULES.get(key, ()))


def main() -> int:
    from bench.synth import expected_attributes, product_cases

    A.HEAD_SURE = {}  # the silhouette's own classes
    rows = []
    for cls, path in T.calibration_photos():
        truth = {h: C.IMPLIED[h].get(cls) for h in ("sleeves", "length")}
        if any(truth.values()):
            rgb, alpha = as_rgb_array(path)
            rows += observe(rgb if alpha is None else np.dstack([rgb, alpha]), truth, "real")
    for seed in (3, 5):
        for spec, img in product_cases(seed, 8):
            exp = expected_attributes(spec)
            image = img.rgb if img.alpha is None else np.dstack([img.rgb, img.alpha])
            rows += [r for r in observe(image, exp, "renders") if r["type"] == spec.garment_type]
    groups = defaultdict(list)
    for r in rows:
        groups[r["head"], r["context"]].append(r)
    for key, rs in sorted(groups.items()):
        sources = sorted({r["source"] for r in rs})
        means = []
        for sure in GRID:
            acc = {s: np.mean([answer(r, sure) == r["truth"] for r in rs if r["source"] == s]) for s in sources}
            means.append(float(np.mean(list(acc.values()))))
            counts = ", ".join(f"{s} {acc[s]:.3f} of {sum(r['source'] == s for r in rs)}" for s in sources)
            print(f"{key[0]:<8} {key[1]:<9} head from {sure:.2f}: {counts}")
        best = max(means)
        chosen = max(s for s, m in zip(GRID, means, strict=True) if m >= best - 0.005)
        if sum(r["source"] == "real" for r in rs) < MIN_REAL:
            chosen = GRID[-1]  # too few real photos to overrule the measurement on

        print(f"{key[0]:<8} {key[1]:<9} -> {chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
