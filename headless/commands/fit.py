"""`fit`: photo -> spec that matches it -> pattern, 3D garment, render and a report (the main job)."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

from garment_addon.core.errors import UserError
from garment_addon.core.io import atomic_dir

from ._common import add_command, read_json
from ._output import writable_folder

RENDERERS = ("auto", "blender", "silhouette")


def register(sub) -> None:
    p = add_command(sub, "fit", "fit a garment to a photo: analyse, then render/compare/adjust until the "
                    "3D garment matches; writes spec, pattern (json/svg/tiled pdf), garment.glb, render, "
                    "report",
                    "python -m headless fit photo.jpg -o out/ --max-iters 10")
    p.add_argument("image", help="garment photo (png/jpg; transparent PNG renders work too)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--backend", default="offline", choices=("offline", "vlm", "auto"),
                   help="analyser and critic: offline (default), vlm (needs GARMENT_VLM_API_KEY), "
                        "auto (vlm when configured)")
    p.add_argument("--max-iters", type=int, default=15, help="most renders in the loop (1..200, default 15)")
    p.add_argument("--threshold", type=float, default=0.92, help="stop at this score (0..1, default 0.92)")
    p.add_argument("--drape", action="store_true",
                   help="assemble with cloth physics instead of the instant wrap (~8 s per render instead "
                        "of ~0.3 s)")
    p.add_argument("--size", type=int, default=256, help="loop render size in px (64..1024, default 256)")
    p.add_argument("--renderer", default="auto", choices=RENDERERS,
                   help="loop renderer: blender (Eevee), silhouette (fast 2D stand-in), auto (default)")
    p.add_argument("--start", help="start from this spec JSON instead of the analyser's")
    p.set_defaults(func=run)


def have_blender() -> bool:
    return importlib.util.find_spec("bpy") is not None


def _render_fn(renderer: str, method: str, size: int, rgb: bool = False):
    if renderer == "auto":
        renderer = "blender" if have_blender() else "silhouette"
    if renderer == "blender":
        if not have_blender():
            raise UserError("renderer: blender needs bpy (pip install '.[blender]'); "
                            "use --renderer silhouette")
        from garment_addon.blender.refine_render import make_blender_render_fn

        return renderer, make_blender_render_fn(method, size, rgb=rgb)
    from garment_addon.core.refine.silhouette import render_silhouette

    return renderer, lambda spec: render_silhouette(spec, size)


def run_fit(image, out, *, backend: str = "offline", max_iters: int = 15, threshold: float = 0.92,
            drape: bool = False, size: int = 256, renderer: str = "auto", start=None,
            show_progress: bool = True) -> dict:
    """The whole job; every file lands in ``out`` atomically. Returns a summary dict."""
    from tqdm import tqdm

    from garment_addon.core.refine.loop import Refiner
    from garment_addon.core.refine.photo import read_photo

    if not 64 <= int(size) <= 1024:
        raise UserError(f"size: must be 64..1024 px (got {size!r})")
    if renderer not in RENDERERS:
        raise UserError(f"renderer: must be one of {', '.join(RENDERERS)} (got {renderer!r})")
    writable_folder(out)
    t0 = time.perf_counter()
    start_spec, target = read_photo(image, backend=backend, start=start)  # analyze's refusals come first
    # the offline optimiser reads only masks; a VLM critic looks at real renders
    method = "drape" if drape else "wrap"
    renderer, render_fn = _render_fn(renderer, method, int(size), rgb=backend != "offline")
    refiner = Refiner(target, start_spec, render_fn, backend=backend, max_iters=max_iters,
                      threshold=threshold, method=method)
    bar = tqdm(total=refiner.max_iters, desc="fit", unit="render", file=sys.stderr, disable=not show_progress,
               dynamic_ncols=True)
    with bar:
        while not refiner.done:
            rec = refiner.step()
            bar.update(1)
            bar.set_postfix(best=f"{rec.best_score:.3f}", last=rec.decision[:18])
    result = refiner.result()
    with atomic_dir(out) as stage:
        extra = {"image": str(image), "renderer": renderer, "start_spec": start_spec.to_dict(),
                 "loop_size": int(size)}
        files = write_outputs(stage, result, drape=drape, threshold=threshold, extra=extra)
    return {"output": str(out), "files": files, "best_score": result.best.score,
            "iterations": len(result.records), "stop_reason": result.stop_reason,
            "garment_type": result.best.spec.garment_type, "seconds": round(time.perf_counter() - t0, 2)}


def write_outputs(stage: Path, result, *, drape: bool, threshold: float, extra: dict) -> list[str]:
    """spec, pattern (json/svg/tiled pdf), garment.glb + render.png (Blender), report and pictures."""
    from PIL import Image

    from garment_addon.core.export import export_pattern
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.refine.plots import compare_image, progress_image
    from garment_addon.core.vision.imageio import load_image

    best = result.best
    warnings: list[str] = []
    (stage / "spec.json").write_text(json.dumps(best.spec.to_dict(), indent=1), encoding="utf-8")
    pattern = draft_pattern(best.spec)
    (stage / "pattern.json").write_text(pattern.to_json(), encoding="utf-8")
    export_pattern(pattern, stage / "pattern.svg", "svg")
    export_pattern(pattern, stage / "pattern.pdf", "pdf-tiled")
    final = {"method": "drape" if drape else "wrap"}
    shown = best.rgb, best.mask, best.body  # what fit_compare.png shows as the best render
    if have_blender():
        import numpy as np

        from garment_addon.blender import pipeline
        from garment_addon.blender.refine_render import quiet_stdout, render_masks

        with quiet_stdout(filter_stderr=True):
            scene = pipeline.build_scene(pattern, final["method"])
            pipeline.export_garment(scene, stage / "garment.glb")
            info = pipeline.render_scene(scene, stage / "render.png", stage / "mask.png", profile="preview",
                                         size=512)
            garment, body = render_masks(scene, 512)
        picture = load_image(stage / "render.png", "render", min_side=1).convert("RGB")
        shown = np.asarray(picture), garment, body | garment
        final.update(metrics=scene.metrics, render_seconds=info.get("seconds"))
    else:
        warnings.append("bpy is not installed: no garment.glb; render.png is the 2D silhouette preview")
        Image.fromarray(best.rgb).save(stage / "render.png")
    report = result.report() | {"final": final, "warnings": warnings, "threshold": threshold} | extra
    (stage / "fit_report.json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    progress_image(result.records, threshold).save(stage / "fit_progress.png")
    t = result.target
    compare_image(t.rgb, t.garment, t.body, *shown, boxes=result.boxes(*shown[1:])).save(stage / "fit_compare.png")
    return sorted(p.name for p in stage.iterdir())


def run(args) -> int:
    start = read_json(args.start, "start") if args.start else None
    if not Path(args.image).is_file():
        raise UserError(f"image: file not found: {args.image}")
    s = run_fit(args.image, args.output, backend=args.backend, max_iters=args.max_iters,
                threshold=args.threshold, drape=args.drape, size=args.size, renderer=args.renderer,
                start=start)
    print(f"fit: {s['garment_type']} score {s['best_score']:.3f} after {s['iterations']} iterations "
          f"({s['stop_reason']}, {s['seconds']:.1f} s) -> {s['output']}/: {', '.join(s['files'])}")
    return 0
