"""Real photos: the learned classifier and the whole analyzer on clothing-dataset-small/validation.

341 CC0 home photos (10 classes; hat and shoes are "not a garment we draft"), never used for
training or calibration. Rows: type accuracy over the garment classes (a refusal counts as
wrong), refusal rate for hats/shoes and for garments, expected calibration error of the
type decision, sleeve/length accuracy where the class implies them (the classifier's heads; analyze's
answer, measured or from the heads, whatever type it gave), seconds per photo
(file decode included). The confusion matrix (dataset class x decided type) is printed and
written to bench/results/vision_real_confusion.json.

The ``analyze`` rows run analyze_image (silhouette + classifier, what `analyze` answers) and
accept the README's alternatives: longsleeve also as hoodie, outwear also as hoodie or vest,
shirt also as jacket. Set BENCH_VISION_REAL_ANALYZE=0 to skip them (they take minutes).
``sleeves_accuracy`` takes the class's sleeves for every photo (a vest among the outwear counts
right only when read "long"); ``sleeves_accuracy_labelled`` takes "none" for the photos listed in
data/sleeveless_photos.json (looked through by eye).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from garment_addon.core.errors import UserError
from garment_addon.core.vision import classifier as C

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "clothing-dataset-small" / "validation"
DATA = Path(os.environ.get("GARMENT_REAL_PHOTOS", DATA))
ALSO = {"longsleeve": {"hoodie"}, "outwear": {"hoodie", "vest"}, "shirt": {"jacket"}}
OUT = Path(__file__).parent / "results"
SLEEVELESS = Path(__file__).parent / "data" / "sleeveless_photos.json"


def sleeveless(split: str = "validation") -> set[str]:
    """Photo names (UUIDs) of ``split`` seen to be sleeveless, though their class implies sleeves."""
    d = json.loads(SLEEVELESS.read_text())
    return {name for key, names in d.items() if key.startswith(f"{split}/") for name in names}


def photos() -> list[tuple[str, Path]]:
    return [(c, p) for c in C.CLASSES for p in sorted((DATA / c).glob("*.jpg"))]


def _row(case, metric, value, target="", unit=""):
    return dict(case=case, metric=metric, value=float(value), unit=unit, target=target)


def _classifier_rows(items) -> tuple[list[dict], dict]:
    clf = C.shipped()
    preds, seconds = [], []
    for _, p in items:
        t0 = time.perf_counter()
        preds.append(clf.predict(p))
        seconds.append(time.perf_counter() - t0)
    m = C.evaluate(preds, [c for c, _ in items])
    case = f"classifier {len(items)} photos"
    rows = [
        _row(case, "type_accuracy", m["type_accuracy"], ">= 0.90"),
        _row(case, "hats_shoes_refused", m["not_garment_refused"], ">= 0.90"),
        _row(case, "garments_refused", m["garments_refused"], "<= 0.03"),
        _row(case, "ece_type", m["ece_type"], "<= 0.05"),
        _row(case, "ece_decision", m["ece_decision"]),
        _row(case, "class_accuracy_10", m["class_accuracy"]),
        _row(case, "ece_class_10", m["ece_class"]),
        _row(case, "sleeves_accuracy", m["sleeves_accuracy"]),
        _row(case, "length_accuracy", m["length_accuracy"]),
        _row(case, "seconds_per_photo", np.median(seconds), "<= 0.5 (2-core CPU)", "s"),
    ]
    return rows, m["confusion_class_by_type"]


def _analyze_rows(items) -> tuple[list[dict], dict]:
    from garment_addon.core.vision import analyze_image

    ok = garments = refused_ng = ng = refused_g = 0
    seconds, answered = [], []  # answered: (confidence of the type, right) for garments answered
    heads: dict[str, list[bool]] = {"sleeves": [], "length": [], "labelled": []}  # the class the photo's class implies
    bare = sleeveless()
    confusion: dict[str, dict[str, int]] = {c: {} for c in C.CLASSES}
    for cls, p in items:
        t0 = time.perf_counter()
        try:
            spec = analyze_image(p)
            got, conf = spec.garment_type, spec.metadata["confidence"]["garment_type"]
            got_sleeves = spec.metadata["attributes"].get("sleeves")
            for head in ("sleeves", "length"):
                if C.IMPLIED[head].get(cls):
                    heads[head].append(spec.metadata["attributes"].get(head) == C.IMPLIED[head][cls])
            if C.IMPLIED["sleeves"].get(cls):
                heads["labelled"].append(got_sleeves == ("none" if p.stem in bare else C.IMPLIED["sleeves"][cls]))
        except UserError:
            got, conf = C.NOT_GARMENT, None
        seconds.append(time.perf_counter() - t0)
        confusion[cls][got] = confusion[cls].get(got, 0) + 1
        want = C.CLASS_TYPE[cls]
        if want == C.NOT_GARMENT:
            ng += 1
            refused_ng += got == C.NOT_GARMENT
        else:
            garments += 1
            hit = got == want or got in ALSO.get(cls, ())
            ok += hit
            refused_g += got == C.NOT_GARMENT
            if conf is not None:
                answered.append((conf, hit))
    case = f"analyze {len(items)} photos"
    rows = [
        _row(case, "type_accuracy", ok / garments, ">= 0.90"),
        _row(case, "hats_shoes_refused", refused_ng / max(ng, 1), ">= 0.90"),
        _row(case, "garments_refused", refused_g / garments, "<= 0.03"),
        _row(case, "ece_type_answered", C.ece(*map(np.array, zip(*answered, strict=True))), "<= 0.05"),
        _row(case, "sleeves_accuracy", np.mean(heads["sleeves"])),
        _row(case, "sleeves_accuracy_labelled", np.mean(heads["labelled"])),
        _row(case, "length_accuracy", np.mean(heads["length"])),
        _row(case, "seconds_per_photo", np.median(seconds), "<= 0.5 (2-core CPU)", "s"),
        _row(case, "seconds_p90", np.percentile(seconds, 90), "", "s"),
    ]
    return rows, confusion


def _print_confusion(title: str, confusion: dict[str, dict[str, int]]) -> None:
    cols = sorted({k for row in confusion.values() for k in row} | {"none"}, key=lambda k: (k == "none", k))
    print(f"   {title}: dataset class (rows) x decided type (columns)")
    print("   " + f"{'':<11}" + "".join(f"{c:>8}" for c in cols))
    for cls, row in confusion.items():
        if not row:  # a class without photos here (background: only at training time)
            continue
        print("   " + f"{cls:<11}" + "".join(f"{row.get(c, 0):>8}" for c in cols))


def run() -> list[dict]:
    items = photos()
    if not items or C.shipped() is None:
        print(f"   skipped: no photos under {DATA} or no classifier weights")
        return []
    rows, confusion = _classifier_rows(items)
    _print_confusion("classifier", confusion)
    out = {"classifier": confusion}
    if os.environ.get("BENCH_VISION_REAL_ANALYZE", "1") != "0":
        more, conf2 = _analyze_rows(items)
        rows += more
        out["analyze"] = conf2
        _print_confusion("analyze", conf2)
    OUT.mkdir(exist_ok=True)
    (OUT / "vision_real_confusion.json").write_text(json.dumps(out, indent=1))
    return rows
