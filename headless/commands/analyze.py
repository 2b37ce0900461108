"""`analyze`: photo -> garment spec (offline analyzer, or a VLM when configured)."""

from __future__ import annotations

import json

from garment_addon.core.io import write_text

from ._common import add_command
from .text import progress_bar


def register(sub) -> None:
    p = add_command(
        sub,
        "analyze",
        "photo -> garment spec: type, attributes, measurements, confidences",
        "python -m headless analyze photo.jpg --backend auto -o spec.json",
    )
    p.add_argument("image", help="photo or render (PNG, JPEG, WebP, ...; transparent PNGs welcome)")
    p.add_argument(
        "--backend",
        choices=("offline", "vlm", "auto"),
        default="offline",
        help="offline (default, no network), vlm (GARMENT_VLM_* settings) or auto (VLM, else offline)",
    )
    p.add_argument("-o", "--output", required=True, help="spec JSON to write")
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.core.vision import analyze_image

    with progress_bar("analyze") as progress:
        spec = analyze_image(args.image, backend=args.backend, progress=progress)
    write_text(args.output, json.dumps(spec.to_dict(), indent=2) + "\n")
    meta = spec.metadata
    conf = meta.get("confidence", {}).get("garment_type", 0)
    others = f", also: {', '.join(meta['others'])}" if meta.get("others") else ""
    print(f"wrote {args.output} ({spec.garment_type}, confidence {conf:.2f}, {meta.get('backend')}{others})")
    for w in meta.get("warnings", []):
        print(f"warning: {w}")
    return 0
