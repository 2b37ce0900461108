"""`spec`: write a complete garment spec for a type and size."""

from __future__ import annotations

import json

from garment_addon.core.inputs import check_output_path
from garment_addon.core.io import write_text
from garment_addon.core.spec import ALIASES, GARMENT_TYPES, SIZES, make_spec

from ._common import add_command


def register(sub) -> None:
    p = add_command(sub, "spec", "write a complete garment spec (every measurement filled in)",
                    "python -m headless spec --type dress --size M -o spec.json")
    p.add_argument("--type", dest="garment_type", required=True,
                   help=f"{', '.join(GARMENT_TYPES)} (or an alias: {', '.join(ALIASES)})")
    p.add_argument("--size", default=None, type=str.upper, choices=SIZES, help="size (default M)")
    p.add_argument("-o", "--output", required=True, help="spec JSON to write")
    p.set_defaults(func=run)


def run(args) -> int:
    check_output_path(args.output)
    spec = make_spec({}, garment_type=args.garment_type, size=args.size)
    write_text(args.output, json.dumps(spec.to_dict(), indent=2) + "\n")
    print(f"wrote {args.output} ({spec.garment_type}, size {spec.size})")
    return 0
