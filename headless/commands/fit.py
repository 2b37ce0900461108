"""`fit`: photo -> spec that matches it -> pattern, 3D garment, render and a report (the main job)."""

from __future__ import annotations

from pathlib import Path

from garment_addon.core.errors import UserError
from garment_addon.core.inputs import check_output_path, read_spec
from garment_addon.jobs import FIT_FILES, RENDERERS, run_fit

from ._common import add_command


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


def run(args) -> int:
    check_output_path(args.output, [args.image, args.start], "dir", FIT_FILES)
    start = read_spec(args.start).to_dict() if args.start else None
    if not Path(args.image).is_file():
        raise UserError(f"image: file not found: {args.image}")
    s = run_fit(args.image, args.output, backend=args.backend, max_iters=args.max_iters,
                threshold=args.threshold, drape=args.drape, size=args.size, renderer=args.renderer,
                start=start)
    print(f"fit: {s['garment_type']} score {s['best_score']:.3f} after {s['iterations']} iterations "
          f"({s['stop_reason']}, {s['seconds']:.1f} s) -> {s['output']}/: {', '.join(s['files'])}")
    for w in s["warnings"]:  # e.g. auto fell back to the offline analyzer, as `analyze` says it
        print(f"warning: {w}")
    return 0
