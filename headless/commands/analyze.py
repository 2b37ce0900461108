"""`analyze`: photo -> garment spec (offline analyzer, or a VLM when configured)."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path

from ._common import add_command, progress_bar
from ._spec_io import add_backend_and_output, write_spec


def register(sub) -> None:
    p = add_command(
        sub,
        "analyze",
        "photo -> garment spec: type, attributes, measurements, confidences",
        "python -m headless analyze photo.jpg --backend auto -o spec.json",
    )
    p.add_argument("image", help="photo or render (PNG, JPEG, WebP, ...; transparent PNGs welcome)")
    add_backend_and_output(
        p,
        ("offline", "vlm", "auto"),
        "offline (default, no network), vlm (GARMENT_VLM_* settings) or auto (VLM, else offline)",
        "spec JSON to write",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.core.vision import analyze_image

    check_output_path(args.output, [args.image])
    with progress_bar("analyze") as progress:
        spec = analyze_image(args.image, backend=args.backend, progress=progress)
    meta = spec.metadata
    conf = meta.get("confidence", {}).get("garment_type", 0)
    others = f", also: {', '.join(meta['others'])}" if meta.get("others") else ""
    others += f", color {spec.color}" if spec.color else ""
    write_spec(
        args.output,
        spec,
        f"wrote {args.output} ({spec.garment_type}, confidence {conf:.2f}, {meta.get('backend')}{others})",
    )
    return 0
