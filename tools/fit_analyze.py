"""Choose analyze's silhouette vote weight and combined temperature on TRAIN data (never validation).

`python tools/fit_analyze.py` runs the silhouette analyzer and the shipped classifier once on
the calibration slice of train/ (the photos train_vision.py holds out; the originals, as
`analyze` reads them) and on our synthetic renders of seed 7 (not the bench's 2024), then
replays classifier.decide over a grid of SILHOUETTE_WEIGHT (photos without an exact outline)
and COMBINED_TEMPERATURE. It prints type accuracy (garments; a refusal is wrong), ECE and
negative log-likelihood of the answered type per setting; the constants in classifier.py are
set from this table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_vision_real import ALSO  # noqa: E402  (the alternatives the bench accepts)
from garment_addon.core.imageio import as_rgb_array  # noqa: E402
from garment_addon.core.vision import classifier as C  # noqa: E402
from garment_addon.core.vision.analyze import analyze_array  # noqa: E402
from tools import train_vision as T  # noqa: E402


def observe(rgb, alpha, clf) -> tuple:
    a = analyze_array(rgb, alpha, learned=False)
    pred = clf.predict(rgb if alpha is None else np.dstack([rgb, alpha]))
    clean = a.method.split("+")[0] in C.CLEAN_MASKS
    return pred, a.garment_type, a.confidence.get("garment_type", 0.5), clean


def cases(clf, seed: int, synthetic: int, limit: int = 0) -> tuple[list, list]:
    """(accepted types, observation) of the calibration slice's photos, and of the synthetic renders."""
    from bench.synth import photo_cases

    _, y, names = T.load_split("train", T.DATA)
    _, cal = T.calibration_split(y, 0.1, seed)
    real = []
    for i in cal[:: max(1, len(cal) // limit)] if limit else cal:
        cls = names[i].split("/")[0]
        real.append(({C.CLASS_TYPE[cls]} | ALSO.get(cls, set()),
                     observe(*as_rgb_array(T.DATA / "train" / names[i]), clf)))
    synth = [({spec.garment_type}, observe(img.rgb, img.alpha, clf)) for spec, img in photo_cases(synthetic, 7)]
    return real, synth


def score(obs, weight: float, temperature: float) -> dict:
    hits, conf, nll = [], [], []
    for want, (pred, sil_type, sil_conf, clean) in obs:
        if C.NOT_GARMENT in want:
            continue
        d = C.decide(pred, sil_type, sil_conf, C.CLEAN_MASK_WEIGHT if clean else weight, temperature)
        hit = d.refusal is None and d.garment_type in want
        hits.append(hit)
        if d.refusal is None:
            conf.append((d.p, hit))
            nll.append(-np.log(max(sum(d.types.get(t, 0.0) for t in want), 1e-6)))
    c = np.array(conf)
    return {"accuracy": float(np.mean(hits)), "ece": C.ece(c[:, 0], c[:, 1].astype(bool)), "nll": float(np.mean(nll))}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", type=Path, default=C.MODEL_DIR / C.WEIGHTS)
    ap.add_argument("--synthetic", type=int, default=6, help="renders per type (seed 7)")
    ap.add_argument("--limit", type=int, default=0, help="about this many calibration photos (0: all; a quick look)")
    args = ap.parse_args(argv)
    real, synth = cases(C.Classifier(args.weights), 11, args.synthetic, args.limit)
    print(f"calibration slice: {len(real)} photos; synthetic renders (seed 7): {len(synth)}")
    for weight in (0.0, 0.25, 0.5, 1.0):
        for temperature in (1.0, 1.25, 1.5):
            r, s = score(real, weight, temperature), score(synth, weight, temperature)
            print(f"weight {weight:4.2f} temperature {temperature:4.2f}: calibration slice accuracy "
                  f"{r['accuracy']:.3f} ece {r['ece']:.3f} nll {r['nll']:.3f}; synthetic accuracy "
                  f"{s['accuracy']:.3f} ece {s['ece']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
