"""`export`: pattern.json -> svg / pdf / pdf-tiled / dxf / garmentcode / json."""

from __future__ import annotations

import argparse

from garment_addon.core.export import FORMATS, export_pattern
from garment_addon.core.inputs import check_output_path, read_pattern

from ._common import add_command, progress_bar


def register(sub) -> None:
    p = add_command(sub, "export", "export a pattern for printing, plotting, cutting software or GarmentCode",
                    "python -m headless export out/pattern.json --format pdf-tiled --paper letter "
                    "-o out/pattern_letter.pdf")
    p.add_argument("pattern", help="pattern.json (from `draft` or `import`), or a GarmentCode specification")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="output format (default: from the extension; *_specification.json = garmentcode)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4",
                   help="page size for pdf-tiled (default a4)")
    p.add_argument("--seam-allowance", action=argparse.BooleanOptionalAction, default=True,
                   help="svg/pdf/dxf: cut line with seam allowance (default) or cut on the seam line")
    p.add_argument("--half-on-fold", action="store_true",
                   help="svg/pdf/dxf: print symmetric on-fold pieces as their half with a fold line (less paper)")
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.set_defaults(func=run)


def run(args) -> int:
    check_output_path(args.output, [args.pattern])
    pattern = read_pattern(args.pattern)
    if args.format == "pdf-tiled":  # the only export long enough to show progress
        with progress_bar("pages") as progress:
            out = export_pattern(pattern, args.output, args.format, args.paper, args.seam_allowance, progress,
                                 half_on_fold=args.half_on_fold)
    else:
        out = export_pattern(pattern, args.output, args.format, args.paper, args.seam_allowance,
                             half_on_fold=args.half_on_fold)
    print(f"wrote {out}")
    return 0
