"""`render`: spec or pattern -> front render.png + garment mask.png (+ render.json legend; other views on request)."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path
from garment_addon.jobs import RENDER_FILES, load_input

from ._common import add_command, progress_bar
from .assemble import add_input_and_method, add_look, look_from


def _size(text: str) -> int:
    import argparse

    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer in 16..4096 (got {text!r})") from None
    if not 16 <= v <= 4096:
        raise argparse.ArgumentTypeError(f"must be an integer in 16..4096 (got {v})")
    return v


def register(sub) -> None:
    p = add_command(sub, "render",
                    "render the garment on the mannequin: OUT/render.png, OUT/mask.png (garment white on "
                    "black, same camera) and OUT/render.json (colour legend, timings)",
                    "python -m headless render spec.json --profile preview --size 512 -o out/\n"
                    "  python -m headless render assembled/ --profile final --size 1024 -o assembled/  "
                    "# an `assemble` folder, as assembled")
    add_input_and_method(p)
    add_look(p)
    p.add_argument("--profile", choices=("preview", "final"), default="preview",
                   help="preview: Eevee, 1 sample, no shadows (fast); final: Eevee with shadows, 8 samples, AgX")
    p.add_argument("--size", type=_size, default=512, help="image width and height in pixels (default 512)")
    p.add_argument("--views", type=_views, default=(),
                   help="more camera angles beside the front, comma-separated: three_quarter, side, back "
                        "(OUT/render_<view>.png; same light, turned with the camera)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=run)


def _views(text: str) -> tuple[str, ...]:
    import argparse

    from garment_addon.core.views import VIEWS

    views = tuple(v.strip() for v in text.split(",") if v.strip())
    if not views or any(v not in VIEWS for v in views):
        raise argparse.ArgumentTypeError(f"must be among {', '.join(VIEWS)}, comma-separated (got {text!r})")
    return views


def run(args) -> int:
    from pathlib import Path

    from garment_addon.jobs import render_to_folder

    # an `assemble` output folder is rendered as it was assembled (no second drape); its own files
    # are the inputs the output must not overwrite
    folder = Path(args.input).is_dir()
    inputs = [Path(args.input) / n for n in ("scene.blend", "assembly.json")] if folder else [args.input]
    check_output_path(args.output, inputs, "dir", RENDER_FILES)
    source = args.input if folder else load_input(args.input)[1]
    look = look_from(args)
    with progress_bar("render") as progress:
        info = render_to_folder(source, args.output, args.method, args.profile, args.size, progress,
                                fabric=args.fabric, look=look, views=args.views)
    more = "".join(f", {name}" for view, name in info["views"].items() if view != "front")
    print(f"wrote {args.output}/render.png{more}, mask.png, render.json ({info['seconds']:.1f} s render, "
          f"{info['garment_pixels']} garment pixels)")
    return 0
