"""Train the garment photo classifier from scratch: `make train-vision` / `python tools/train_vision.py`.

Data: the CC0 clothing-dataset-small (10 classes; see its README). ``train/`` is split once
(fixed seed) into a training part and a calibration slice (temperature scaling);
``validation/`` is only used for reporting. Photos are decoded once and cached as
SIZE x SIZE RGB (squashed, the same resize the runtime does) under .cache/vision/.

Model: a small ResNet (BatchNorm, ~1M parameters) with three heads: the 10 dataset
classes, sleeve class and length class (the last two trained only on photos whose class
implies them: masked loss). Augmentation runs on whole batches with one affine warp per
photo (random resized crop, flip, rotation) plus colour jitter, so an epoch costs about
as much as its forward/backward passes.

Writes into garment_addon/core/vision/model/: garment_cnn.npz (BatchNorm folded into the
convolutions, float32; read by core/vision/classifier.py with numpy only), train_log.txt,
metrics.json (validation figures) and reference.json (torch logits of the committed test
photos, so the numpy forward can be tested without torch). Needs the ``train`` extra
(torch, CPU wheel).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from garment_addon.core.vision import classifier as C  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "clothing-dataset-small"
CACHE = ROOT / ".cache" / "vision"
OUT = ROOT / "garment_addon" / "core" / "vision" / "model"
FIXTURES = ROOT / "tests" / "data" / "photos"


# -- data -----------------------------------------------------------------------------------------
def load_split(split: str, data: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(N x S x S x 3 uint8, labels, file names) of one split, decoded once and cached."""
    cache = CACHE / f"{split}_{C.SIZE}.npz"
    if cache.exists():
        z = np.load(cache)
        return z["x"], z["y"], list(z["names"])
    xs, ys, names = [], [], []
    for label, cls in enumerate(C.CLASSES):
        for p in sorted((data / split / cls).glob("*.jpg")):
            xs.append(C.preprocess(p))
            ys.append(label)
            names.append(f"{cls}/{p.name}")
    x, y = np.stack(xs), np.array(ys, np.int64)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, y=y, names=np.array(names))
    return x, y, names


def synthetic_class(spec, attrs: dict[str, str]) -> str:
    """The dataset class our own render of ``spec`` belongs to (hoodies pass as longsleeve, vests as
    sleeveless outwear: the silhouette tells those apart at run time)."""
    t = spec.garment_type
    if t == "shirt":
        return "longsleeve" if attrs["sleeves"] == "long" else "t-shirt"
    if t == "pants":
        return "shorts" if attrs["length"] in ("mini", "knee") else "pants"
    return {"jacket": "outwear", "vest": "outwear", "hoodie": "longsleeve"}.get(t, t)


def load_synthetic(per_type: int, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Our own renders of people wearing each type (bench/synth.py), with per-head targets
    (-1 where a head has no label): the dataset has few worn photos."""
    cache = CACHE / f"synthetic_{per_type}_{seed}_{C.SIZE}.npz"
    if cache.exists():
        z = np.load(cache)
        return z["x"], {k: z[k] for k in C.HEADS}
    from bench.synth import expected_attributes, photo_cases

    xs, tg = [], {k: [] for k in C.HEADS}
    for spec, img in photo_cases(per_type, seed):
        attrs = expected_attributes(spec)
        xs.append(C.preprocess(img.rgb if img.alpha is None else np.dstack([img.rgb, img.alpha])))
        tg["cls"].append(C.CLASSES.index(synthetic_class(spec, attrs)))
        for head in ("sleeves", "length"):
            v = attrs.get(head)
            tg[head].append(C.HEADS[head].index(v) if v in C.HEADS[head] else -1)
    x, tg = np.stack(xs), {k: np.array(v, np.int64) for k, v in tg.items()}
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, **tg)
    return x, tg


def calibration_split(y: np.ndarray, frac: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified (train, calibration) indices."""
    rng = np.random.default_rng(seed)
    cal = []
    for c in range(len(C.CLASSES)):
        idx = rng.permutation(np.nonzero(y == c)[0])
        cal += list(idx[: max(3, int(round(frac * len(idx))))])
    cal = np.array(sorted(cal))
    return np.setdiff1d(np.arange(len(y)), cal), cal


# -- model ----------------------------------------------------------------------------------------
def build_model(widths, depths, drop: float):
    import torch.nn as nn

    def conv_bn(cin, cout, k, s):
        return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm2d(cout))

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.a = conv_bn(cin, cout, 3, stride)
            self.b = conv_bn(cout, cout, 3, 1)
            self.short = conv_bn(cin, cout, 1, stride) if (stride != 1 or cin != cout) else None

        def forward(self, x):
            y = self.b(self.a(x).relu())
            return (y + (x if self.short is None else self.short(x))).relu()

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = conv_bn(3, widths[0], 3, 2)
            blocks, cin = [], widths[0]
            for i, (w, d) in enumerate(zip(widths, depths, strict=True)):
                for j in range(d):
                    blocks.append(Block(cin, w, 2 if (j == 0 and i > 0) else 1))
                    cin = w
            self.blocks = nn.Sequential(*blocks)
            self.drop = nn.Dropout(drop)
            self.heads = nn.ModuleDict(
                {name: nn.Linear(cin, len(labels)) for name, labels in C.HEADS.items()}
            )

        def forward(self, x):
            x = self.blocks(self.stem(x).relu()).mean((2, 3))
            x = self.drop(x)
            return {name: head(x) for name, head in self.heads.items()}

    return Net()


def augment(x, rng, torch, out: int, strong: bool = True):
    """Random resized crop + flip + rotation (one affine warp per photo) and colour jitter."""
    import torch.nn.functional as F

    n = x.shape[0]
    g = torch.Generator().manual_seed(int(rng.integers(2**31)))

    def u(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=g)

    area = u(0.35 if strong else 0.6, 1.0)
    logr = u(math.log(3 / 4), math.log(4 / 3))
    sx = torch.sqrt(area * torch.exp(logr)).clamp(max=1.0)
    sy = torch.sqrt(area / torch.exp(logr)).clamp(max=1.0)
    tx = (1 - sx) * u(-1, 1)
    ty = (1 - sy) * u(-1, 1)
    ang = u(-15, 15) * math.pi / 180
    flip = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(ang), torch.sin(ang)
    theta = torch.stack(
        [torch.stack([sx * cos * flip, -sy * sin, tx], 1), torch.stack([sx * sin * flip, sy * cos, ty], 1)], 1
    )
    grid = F.affine_grid(theta, (n, 3, out, out), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    # colour: brightness, contrast, saturation, a little hue-ish channel gain; 10 % greyscale
    b = u(0.7, 1.3)[:, None, None, None]
    c = u(0.7, 1.3)[:, None, None, None]
    s = u(0.6, 1.4)[:, None, None, None]
    gain = (1 + 0.08 * (torch.rand(n, 3, generator=g) * 2 - 1))[:, :, None, None]
    grey = x.mean(1, keepdim=True)
    x = grey + (x - grey) * s
    x = (x - x.mean((1, 2, 3), keepdim=True)) * c + x.mean((1, 2, 3), keepdim=True)
    x = x * b * gain
    drop_colour = (torch.rand(n, generator=g) < 0.1)[:, None, None, None]
    x = torch.where(drop_colour, x.mean(1, keepdim=True).expand_as(x), x)
    return x.clamp(0, 1)


def to_tensor(x_uint8, torch):
    return torch.from_numpy(np.ascontiguousarray(x_uint8).copy()).permute(0, 3, 1, 2).float().div_(255.0)


def normalise(x, torch):
    mean = torch.tensor(C.MEAN, dtype=torch.float32)[None, :, None, None]
    std = torch.tensor(C.STD, dtype=torch.float32)[None, :, None, None]
    return (x - mean) / std


def masked_targets(y: np.ndarray) -> dict[str, np.ndarray]:
    """Per head: the target index of each photo, -1 where its class implies nothing."""
    out = {"cls": y.copy()}
    for head, table in C.IMPLIED.items():
        labels = C.HEADS[head]
        out[head] = np.array([labels.index(table[C.CLASSES[i]]) if C.CLASSES[i] in table else -1 for i in y])
    return out


def predict(model, x_uint8, torch, size: int, batch: int = 128, tta: bool = True) -> dict[str, np.ndarray]:
    """Logits per head (mean over the photo and its mirror when tta)."""
    import torch.nn.functional as F

    model.eval()
    outs: dict[str, list] = {k: [] for k in C.HEADS}
    with torch.no_grad():
        for i in range(0, len(x_uint8), batch):
            x = to_tensor(x_uint8[i : i + batch], torch)
            if x.shape[-1] != size:
                x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=True)
            x = normalise(x, torch)
            o = model(x)
            if tta:
                o2 = model(x.flip(3))
                o = {k: (o[k] + o2[k]) / 2 for k in o}
            for k in o:
                outs[k].append(o[k].numpy())
    return {k: np.concatenate(v) for k, v in outs.items()}


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood (grid + golden refinement)."""
    keep = y >= 0
    logits, y = logits[keep], y[keep]
    if len(y) == 0:
        return 1.0

    def nll(t):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        return float(-(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(1))).mean())

    grid = np.exp(np.linspace(math.log(0.3), math.log(5.0), 200))
    return float(grid[int(np.argmin([nll(t) for t in grid]))])


# -- export ---------------------------------------------------------------------------------------
def fold(model) -> dict[str, np.ndarray]:
    """Conv weights with BatchNorm folded in: {name.w, name.b} per conv, {head.w, head.b} per head."""
    import torch.nn as nn

    out: dict[str, np.ndarray] = {}
    for name, mod in model.named_modules():
        if isinstance(mod, nn.Sequential) and len(mod) == 2 and isinstance(mod[0], nn.Conv2d):
            conv, bn = mod[0], mod[1]
            scale = (bn.weight / (bn.running_var + bn.eps).sqrt()).detach()
            out[f"{name}.w"] = (conv.weight.detach() * scale[:, None, None, None]).numpy().astype(np.float32)
            out[f"{name}.b"] = (bn.bias.detach() - bn.running_mean * scale).numpy().astype(np.float32)
    for head, lin in model.heads.items():
        out[f"heads.{head}.w"] = lin.weight.detach().numpy().astype(np.float32)
        out[f"heads.{head}.b"] = lin.bias.detach().numpy().astype(np.float32)
    return out


def write_atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    tmp.replace(path)


def write_reference(model, torch, out: Path) -> None:
    """Torch logits of the committed test photos (the exact runtime input: preprocess() of the file)."""
    ref = {}
    for p in sorted(FIXTURES.glob("*.jpg")):
        lg = predict(model, C.preprocess(p)[None], torch, C.SIZE)
        ref[p.name] = {k: [round(float(v), 5) for v in lg[k][0]] for k in C.HEADS}
    write_atomic(out / "reference.json", lambda p: p.write_text(json.dumps(ref, indent=1) + "\n"))


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=45)
    ap.add_argument("--widths", default="20,40,80,160")
    ap.add_argument("--depths", default="1,1,2,1")
    ap.add_argument("--train-size", type=int, default=96, help="crop size during training")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--smoothing", type=float, default=0.1)
    ap.add_argument("--drop", type=float, default=0.2)
    ap.add_argument("--balance", type=float, default=0.3,
                    help="class weights (count)^-balance in the loss: 0 = plain, 0.5 = inverse square root")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--synthetic", type=int, default=60, help="own renders per garment type added to training")
    ap.add_argument("--threads", type=int, default=2, help="the shipped weights used 2; 1 is faster on a busy machine")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=OUT, help="where weights, log and metrics go")
    ap.add_argument("--reference-only", action="store_true",
                    help="only rewrite reference.json from the last run's torch state (after changing test photos)")
    ap.add_argument("--metrics-only", action="store_true",
                    help="only re-evaluate the weights in --out on validation (after changing the decision rule)")
    ap.add_argument("--limit-minutes", type=float, default=0, help="stop early after this many minutes (0: never)")
    args = ap.parse_args(argv)

    if args.metrics_only:
        x_val, y_val, _ = load_split("validation", args.data)
        old = json.loads((args.out / "metrics.json").read_text())
        clf = C.Classifier(args.out / C.WEIGHTS)
        new = C.evaluate([clf.predict_array(x) for x in x_val], [C.CLASSES[i] for i in y_val])
        write_atomic(args.out / "metrics.json", lambda p: p.write_text(json.dumps({**old, **new}, indent=1) + "\n"))
        return 0

    import torch
    import torch.nn.functional as F

    torch.manual_seed(args.seed)
    if args.reference_only:
        state = torch.load(CACHE / "torch_state.pt")
        model = build_model(state["widths"], state["depths"], args.drop)
        model.load_state_dict(state["state"])
        write_reference(model, torch, args.out)
        return 0
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    log_lines: list[str] = []

    def log(msg: str) -> None:
        print(msg, flush=True)
        log_lines.append(msg)

    t0 = time.time()
    x_all, y_all, _ = load_split("train", args.data)
    x_val, y_val, val_names = load_split("validation", args.data)
    tr, cal = calibration_split(y_all, 0.1, args.seed)
    log(f"data: train {len(tr)}, calibration {len(cal)}, validation {len(y_val)} "
        f"(decoded/cached in {time.time() - t0:.0f} s)")
    real_targets = masked_targets(y_all)
    x_train = x_all
    if args.synthetic:
        x_syn, syn_targets = load_synthetic(args.synthetic, args.seed + 1000)
        # synthetic photos are appended after the real ones and always train (never calibrate)
        tr = np.concatenate([tr, len(y_all) + np.arange(len(x_syn))])
        x_train = np.concatenate([x_all, x_syn])
        real_targets = {k: np.concatenate([v, syn_targets[k]]) for k, v in real_targets.items()}
        log(f"synthetic: {len(x_syn)} own renders ({args.synthetic} per type) added to training")
    targets = {k: torch.from_numpy(v) for k, v in real_targets.items()}
    x_train = to_tensor(x_train, torch)

    widths = [int(v) for v in args.widths.split(",")]
    depths = [int(v) for v in args.depths.split(",")]
    model = build_model(widths, depths, args.drop)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model: widths {widths}, depths {depths}, {n_params / 1e6:.2f} M parameters; {vars(args)}")
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd}, {"params": no_decay, "weight_decay": 0}],
                            lr=args.lr)
    steps_per_epoch = len(tr) // args.batch
    total = args.epochs * steps_per_epoch
    warm = steps_per_epoch * 2

    def lr_at(step):
        if step < warm:
            return args.lr * (step + 1) / warm
        return args.lr * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(total - warm, 1)))

    counts = np.bincount(real_targets["cls"][tr], minlength=len(C.CLASSES)).astype(np.float64)
    cls_weight = counts ** -args.balance
    cls_weight = torch.tensor(cls_weight / (cls_weight * counts).sum() * counts.sum(), dtype=torch.float32)
    step = 0
    for epoch in range(args.epochs):
        model.train()
        perm = torch.from_numpy(rng.permutation(tr))
        run_loss, n_seen, te = 0.0, 0, time.time()
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch : (i + 1) * args.batch]
            x = normalise(augment(x_train[idx], rng, torch, args.train_size), torch)
            out = model(x)
            loss = F.cross_entropy(out["cls"], targets["cls"][idx], weight=cls_weight,
                                   label_smoothing=args.smoothing)
            for head in C.IMPLIED:
                t = targets[head][idx]
                if (t >= 0).any():
                    loss = loss + 0.5 * F.cross_entropy(out[head], t, ignore_index=-1,
                                                        label_smoothing=args.smoothing)
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            run_loss += loss.item() * len(idx)
            n_seen += len(idx)
        msg = f"epoch {epoch + 1:3d}/{args.epochs} loss {run_loss / n_seen:.3f} ({time.time() - te:.0f} s)"
        if (epoch + 1) % 5 == 0 or epoch + 1 == args.epochs:
            lc = predict(model, x_all[cal], torch, C.SIZE, tta=False)
            msg += f"  calibration-slice acc {float((lc['cls'].argmax(1) == y_all[cal]).mean()):.3f}"
        log(msg)
        if args.limit_minutes and time.time() - t0 > 60 * args.limit_minutes:
            log(f"stopped after {epoch + 1} epochs: --limit-minutes {args.limit_minutes}")
            break

    # temperatures from the calibration slice (TRAIN), figures on validation
    cal_logits = predict(model, x_all[cal], torch, C.SIZE)
    cal_targets = {k: v[cal] for k, v in masked_targets(y_all).items()}
    temps = {head: fit_temperature(cal_logits[head], cal_targets[head]) for head in C.HEADS}
    log(f"temperatures (calibration slice of train): {temps}")

    CACHE.mkdir(parents=True, exist_ok=True)
    torch.save({"state": model.state_dict(), "widths": widths, "depths": depths}, CACHE / "torch_state.pt")
    weights = fold(model)
    config = dict(widths=widths, depths=depths, size=C.SIZE, temperatures=temps, classes=list(C.CLASSES),
                  heads={k: list(v) for k, v in C.HEADS.items()}, mean=list(C.MEAN), std=list(C.STD))
    write_atomic(args.out / C.WEIGHTS, lambda p: np.savez_compressed(
        p.open("wb"), config=np.array(json.dumps(config)), **weights))
    clf = C.Classifier(args.out / C.WEIGHTS)

    # validation figures with the numpy runtime (what users get), torch only as a cross-check
    t1 = time.time()
    val_probs = [clf.predict_array(x) for x in x_val]
    per_photo = (time.time() - t1) / len(x_val)
    metrics = C.evaluate(val_probs, [C.CLASSES[i] for i in y_val])
    metrics["numpy_seconds_per_cached_photo"] = round(per_photo, 4)
    torch_val = predict(model, x_val, torch, C.SIZE)
    np_cls = np.array([p.logits["cls"] for p in val_probs])
    metrics["numpy_vs_torch_max_logit_diff"] = float(np.abs(np_cls - torch_val["cls"]).max())
    metrics["epochs_run"] = epoch + 1
    metrics["train_minutes"] = round((time.time() - t0) / 60, 1)
    metrics["parameters"] = int(n_params)
    metrics["seed"] = args.seed
    log("validation: " + json.dumps({k: v for k, v in metrics.items() if not isinstance(v, dict | list)}))
    write_atomic(args.out / "metrics.json", lambda p: p.write_text(json.dumps(metrics, indent=1) + "\n"))

    write_reference(model, torch, args.out)
    write_atomic(args.out / "train_log.txt", lambda p: p.write_text("\n".join(log_lines) + "\n"))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
