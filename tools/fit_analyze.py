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
import json
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


def observe(rgb, alpha) -> tuple[dict, np.ndarray]:
    """The silhouette's reading (independent of the classifier weights) and the classifier's input."""
    a = analyze_array(rgb, alpha, learned=False)
    clean = a.method.split("+")[0] in C.CLEAN_MASKS
    small = C.preprocess(rgb if alpha is None else np.dstack([rgb, alpha]))
    return {"type": a.garment_type, "conf": a.confidence.get("garment_type", 0.5), "clean": clean}, small


def silhouettes(seed: int, synthetic: int, limit: int = 0) -> tuple[list[dict], np.ndarray]:
    """Per photo of the calibration slice, then per synthetic render: accepted types ("want"), the
    silhouette's reading, and the classifier inputs; cached (the silhouette does not change with
    the weights, and it is the slow part)."""
    from bench.synth import photo_cases

    cache = T.CACHE / f"silhouettes_{seed}_{synthetic}_{limit}.npz"
    if cache.exists():
        z = np.load(cache)
        return json.loads(str(z["obs"])), z["x"]
    _, y, names = T.load_split("train", T.DATA)
    _, cal = T.calibration_split(y, 0.1, seed)
    obs, xs = [], []
    for i in cal[:: max(1, len(cal) // limit)] if limit else cal:
        cls = names[i].split("/")[0]
        o, x = observe(*as_rgb_array(T.DATA / "train" / names[i]))
        obs.append({**o, "want": sorted({C.CLASS_TYPE[cls]} | ALSO.get(cls, set())), "real": True})
        xs.append(x)
    for spec, img in photo_cases(synthetic, 7):
        o, x = observe(img.rgb, img.alpha)
        obs.append({**o, "want": [spec.garment_type], "real": False})
        xs.append(x)
    T.CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cache, obs=np.array(json.dumps(obs)), x=np.stack(xs))
    return obs, np.stack(xs)


def score(obs, weight: float, temperature: float) -> dict:
    hits, conf, nll = [], [], []
    for o, pred in obs:
        want = set(o["want"])
        if C.NOT_GARMENT in want:
            continue
        d = C.decide(pred, o["type"], o["conf"], C.CLEAN_MASK_WEIGHT if o["clean"] else weight, temperature,
                     outline=o["clean"])
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
    ap.add_argument("--silhouettes-only", action="store_true", help="only cache the silhouette readings")
    args = ap.parse_args(argv)
    obs, x = silhouettes(11, args.synthetic, args.limit)
    if args.silhouettes_only:
        return 0
    clf = C.Classifier(args.weights)
    preds = [clf.predict_array(v) for v in x]
    real = [(o, p) for o, p in zip(obs, preds, strict=True) if o["real"]]
    synth = [(o, p) for o, p in zip(obs, preds, strict=True) if not o["real"]]
    print(f"calibration slice: {len(real)} photos; synthetic renders (seed 7): {len(synth)}")
    table = {}
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
        for temperature in (1.0, 1.25, 1.5, 1.75, 2.0):
            r, s = score(real, weight, temperature), score(synth, weight, temperature)
            table[weight, temperature] = r, s
            print(f"weight {weight:4.2f} temperature {temperature:4.2f}: calibration slice accuracy "
                  f"{r['accuracy']:.3f} ece {r['ece']:.3f} nll {r['nll']:.3f}; synthetic accuracy "
                  f"{s['accuracy']:.3f} ece {s['ece']:.3f}")
    # the rule: the weight with the best home-photo accuracy that keeps our renders typed (>= 0.95;
    # the temperature does not change answers), then the temperature of least home-photo NLL
    keep = [k for k, (r, s) in table.items() if s["accuracy"] >= 0.95] or list(table)
    best_acc = max(table[k][0]["accuracy"] for k in keep)
    weight = min(k[0] for k in keep if table[k][0]["accuracy"] == best_acc)
    temperature = min((k[1] for k in keep if k[0] == weight), key=lambda t: table[weight, t][0]["nll"])
    print(f"chosen: SILHOUETTE_WEIGHT = {weight}, COMBINED_TEMPERATURE = {temperature}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
