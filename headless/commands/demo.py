"""`demo` (make demo): the main job on the bundled example photo, offline, then where to look."""

from __future__ import annotations

from pathlib import Path

from ._common import add_command

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "garmentcode_shirt.png"
DEMO_ITERS = 30  # the bundled shirt plateaus after about 28 renders (~11 s); bounded well under 5 minutes
DEMO_SIZE = 256


def register(sub) -> None:
    p = add_command(sub, "demo", "fit the bundled example photo offline (examples/garmentcode_shirt.png) and "
                    "write pattern PDF/SVG, garment.glb, render, fit report and pictures",
                    "python -m headless demo -o out")
    p.add_argument("-o", "--output", default="out", help="output folder (default out)")
    p.add_argument("--max-iters", type=int, default=DEMO_ITERS, help=f"loop renders (default {DEMO_ITERS})")
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.jobs import run_fit

    print(f"demo: fitting {EXAMPLE.relative_to(EXAMPLE.parents[1])} offline "
          f"({args.max_iters} renders at most) ...", flush=True)
    s = run_fit(EXAMPLE, args.output, backend="offline", max_iters=args.max_iters, size=DEMO_SIZE)
    out = Path(args.output)
    print(f"\ndemo: {s['garment_type']} fitted, score {s['best_score']:.3f} after {s['iterations']} renders "
          f"({s['stop_reason']}, {s['seconds']:.0f} s). Look at:")
    notes = {"fit_compare.png": "photo | best render | overlay", "fit_progress.png": "score per iteration",
             "render.png": "the 3D garment on the mannequin", "garment.glb": "3D garment + mannequin (glTF)",
             "pattern.pdf": "the sewing pattern, tiled on A4 to print", "pattern.svg": "the pattern, 1:1",
             "spec.json": "the fitted measurements", "fit_report.json": "every iteration's spec and scores"}
    for name, what in notes.items():
        if (out / name).exists():
            print(f"  {out / name}  - {what}")
    return 0
