"""The application layer: each job a front end runs, written once.

The CLI commands (headless/commands/*) are thin argparse adapters over these functions, the batch
runner (headless/batch.py) calls them per job, and the panel's operators (ui/) call the ones that
fit inside Blender. Each takes plain values, raises core.errors.UserError for bad input and writes
its outputs atomically. bpy is imported only by the jobs that need Blender, inside them, so this
module imports anywhere the core does.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

from .core.errors import UserError
from .core.inputs import check_output_path, read_spec_or_pattern, spec_from_data
from .core.io import atomic_dir
from .core.pattern import Pattern, draft_pattern
from .core.spec import GarmentSpec
from .core.views import VIEWS, view_png

RENDERERS = ("auto", "blender", "silhouette")
FIT_OPTIONS = ("backend", "max_iters", "threshold", "drape", "size", "renderer")  # run_fit's keywords
# what each job may write into its output folder: an input with one of these names there is refused
DRAFT_FILES = ("pattern.json", "pattern.svg")
ASSEMBLE_FILES = ("garment.glb", "garment.fbx", "garment.obj", "garment.mtl", "mannequin.obj", "mannequin.mtl",
                  "scene.blend", "pattern.json", "assembly.json")
RENDER_FILES = ("mask.png", "render.json", *(view_png(v) for v in VIEWS))  # render.png and `render --views`
FIT_FILES = ("spec.json", "pattern.json", "pattern.svg", "pattern.pdf", "garment.glb", "render.png", "mask.png",
             "fit_report.json", "fit_progress.png", "fit_compare.png")


def have_blender() -> bool:
    return importlib.util.find_spec("bpy") is not None


def load_input(path) -> tuple[dict, Pattern]:
    """(spec dict, pattern) of a spec JSON or a pattern JSON file; the other is derived."""
    return read_spec_or_pattern(path)


def spec_from(data: GarmentSpec | dict | str, backend: str = "offline") -> GarmentSpec:
    """A spec from a GarmentSpec, a spec dict, or a description in words (``parse_text``)."""
    if isinstance(data, GarmentSpec):
        return data
    if isinstance(data, str):
        from .core.language import parse_text

        return parse_text(data, backend={"vlm": "llm", "auto": "auto"}.get(backend, "offline"))
    return spec_from_data(data, "spec")  # any shape of dict: a one-line UserError, never a TypeError


def draft_to_folder(spec: GarmentSpec | dict, out) -> Path:
    """Draft and write pattern.json + pattern.svg into ``out`` (atomically)."""
    return pattern_to_folder(draft_pattern(spec_from(spec)), out)


def pattern_to_folder(pattern: Pattern, out) -> Path:
    """pattern.json + the 1:1 pattern.svg of ``pattern`` into ``out`` (atomically)."""
    from .core.export import write_svg

    with atomic_dir(out) as stage:
        (stage / "pattern.json").write_text(pattern.to_json(), encoding="utf-8")
        write_svg(pattern, stage / "pattern.svg")
    return Path(out)


def assemble_to_folder(spec_or_pattern, out, method: str = "wrap", rig: bool = False, progress=None,
                       **options) -> dict:
    """garment.glb, garment.fbx, garment.obj, mannequin.obj, scene.blend, pattern.json and assembly.json
    in a fresh Blender scene (``over``: an assemble folder's, its garments worn under this one); ``options``:
    fabric, look, garment_only, thickness_mm, subdivisions, over (blender.pipeline.run_assemble)."""
    from .blender.pipeline import run_assemble

    return run_assemble(spec_or_pattern, out, method, rig, progress, fresh=True, **options)


def render_to_folder(spec_or_pattern, out, method: str = "wrap", profile: str = "preview", size: int = 512,
                     progress=None, **options) -> dict:
    """render.png, mask.png and render.json in a fresh Blender scene (an `assemble` folder: of its
    scene.blend, as assembled); ``options``: fabric, look (blender.pipeline.run_render)."""
    from .blender.pipeline import run_render

    return run_render(spec_or_pattern, out, method, profile, size, progress, fresh=True, **options)


def analyze_to_file(image, out_file, backend: str = "offline") -> GarmentSpec:
    """photo -> spec JSON file."""
    from .core.io import write_text
    from .core.vision import analyze_image

    spec = analyze_image(image, backend=backend)
    write_text(out_file, json.dumps(spec.to_dict(), indent=1))
    return spec


def render_fn(renderer: str, method: str, size: int, rgb: bool = False):
    """(renderer used, ``render(spec) -> (rgb, garment_mask, person_mask)``) for the refinement loop."""
    if renderer not in RENDERERS:
        raise UserError(f"renderer: must be one of {', '.join(RENDERERS)} (got {renderer!r})")
    if renderer == "auto":
        renderer = "blender" if have_blender() else "silhouette"
    if renderer == "blender":
        if not have_blender():
            raise UserError("renderer: blender needs bpy (pip install '.[blender]'); choose renderer silhouette")
        from .blender.refine_render import make_blender_render_fn

        return renderer, make_blender_render_fn(method, size, rgb=rgb)
    from .core.body.pose import A_POSE, POSES
    from .core.refine.silhouette import render_silhouette

    def render(spec, pose: str = A_POSE):
        return render_silhouette(spec, size, pose)

    render.poses = POSES
    return renderer, render


def run_fit(image, out, *, backend: str = "offline", max_iters: int = 15, threshold: float = 0.92,
            drape: bool = False, size: int = 256, renderer: str = "auto", start=None,
            show_progress: bool = True) -> dict:
    """The main job: photo -> analysed start -> refinement loop -> every output in ``out`` (atomically).

    Returns a summary dict (output, files, best_score, iterations, stop_reason, garment_type, seconds).
    """
    from tqdm import tqdm

    from .core.refine.loop import Refiner
    from .core.refine.photo import read_photo

    if not 64 <= int(size) <= 1024:
        raise UserError(f"size: must be 64..1024 px (got {size!r})")
    check_output_path(out, [image] if isinstance(image, str | Path) else [], "dir", FIT_FILES)
    t0 = time.perf_counter()
    start_spec, target = read_photo(image, backend=backend, start=start)  # analyze's refusals come first
    # the offline optimiser reads only masks; a VLM critic looks at real renders
    method = "drape" if drape else "wrap"
    renderer, render = render_fn(renderer, method, int(size), rgb=backend != "offline")
    refiner = Refiner(target, start_spec, render, backend=backend, max_iters=max_iters,
                      threshold=threshold, method=method)
    bar = tqdm(total=refiner.max_iters, desc="fit", unit="render", file=sys.stderr,
               disable=None if show_progress else True, dynamic_ncols=True)  # None: a terminal only, logs stay clean
    with bar:
        while not refiner.done:
            rec = refiner.step()
            bar.update(1)
            bar.set_postfix(best=f"{rec.best_score:.3f}", last=rec.decision[:18])
    result = refiner.result()
    with atomic_dir(out) as stage:
        extra = {"image": str(image), "renderer": renderer, "start_spec": start_spec.to_dict(),
                 "loop_size": int(size)}
        files = write_fit_outputs(stage, result, drape=drape, threshold=threshold, extra=extra)
    return {"output": str(out), "files": files, "best_score": result.best.score,
            "iterations": len(result.records), "stop_reason": result.stop_reason,
            "garment_type": result.best.spec.garment_type, "seconds": round(time.perf_counter() - t0, 2),
            "warnings": list(start_spec.metadata.get("warnings", []))}


def write_fit_outputs(stage: Path, result, *, drape: bool, threshold: float, extra: dict[str, Any]) -> list[str]:
    """spec, pattern (json/svg/tiled pdf), garment.glb + render.png (Blender), report and pictures."""
    from PIL import Image

    from .core.export import export_pattern
    from .core.imageio import load_image
    from .core.refine.plots import compare_image, progress_image

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

        from .blender import pipeline
        from .blender.quiet import quiet_stdout
        from .core.body.pose import A_POSE

        with quiet_stdout(filter_stderr=True):
            scene = pipeline.build_scene(pattern, final["method"])
            pipeline.export_garment(scene, stage / "garment.glb")
            info = pipeline.render_scene(scene, stage / "render.png", stage / "mask.png", profile="preview",
                                         size=512)
            garment, body = pipeline.render_masks(scene, 512)
            picture = np.asarray(load_image(stage / "render.png", "render", min_side=1).convert("RGB"))
            if result.pose != A_POSE:  # the comparison in the pose the fit chose; render.png as exported
                with pipeline.posed(scene, result.pose):
                    picture, garment, body = pipeline.render_arrays(scene, "preview", 512)
        shown = picture, garment, body | garment
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
