"""`text`: a garment description -> garment spec."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path

from ._common import add_command
from ._spec_io import add_backend_and_output, write_spec


def register(sub) -> None:
    p = add_command(
        sub,
        "text",
        "garment description -> garment spec (offline parser or an LLM)",
        'python -m headless text "a knee-length A-line dress with short sleeves" -o spec.json',
    )
    p.add_argument("description", help='e.g. "red wide-leg trousers, waist 72 cm, 100 cm long"')
    add_backend_and_output(
        p, ("offline", "llm", "auto"), "offline (default), llm (GARMENT_VLM_* settings) or auto",
        "spec JSON to write",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.core.language import parse_text

    check_output_path(args.output)
    spec = parse_text(args.description, backend=args.backend)
    attrs = ", ".join([f"{k} {v}" for k, v in spec.metadata.get("attributes", {}).items()]
                      + [f"{k} {spec.features[k]}" for k in ("material", "color") if k in spec.features])
    write_spec(args.output, spec, f"wrote {args.output} ({spec.garment_type}{': ' + attrs if attrs else ''})")
    return 0
