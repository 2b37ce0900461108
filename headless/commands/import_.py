"""`import`: a GarmentCode specification JSON -> OUT/pattern.json + OUT/pattern.svg."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path, read_garmentcode
from garment_addon.core.interop.garmentcode import seam_table
from garment_addon.jobs import DRAFT_FILES, pattern_to_folder

from ._common import add_command


def register(sub) -> None:
    p = add_command(sub, "import",
                    "import a GarmentCode (or legacy) specification: OUT/pattern.json + pattern.svg",
                    "python -m headless import tshirt_specification.json -o out/")
    p.add_argument("spec", help="GarmentCode specification JSON")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=run)


def run(args) -> int:
    out = check_output_path(args.output, [args.spec], "dir", DRAFT_FILES)
    pattern = read_garmentcode(args.spec)
    pattern_to_folder(pattern, out)
    rows = seam_table(pattern)
    off = [r for r in rows if not r["ok"]]
    print(f"wrote {out / 'pattern.json'} and {out / 'pattern.svg'}: {len(pattern.pieces)} pieces, "
          f"{len(pattern.seams)} seams")
    if off:
        worst = max(off, key=lambda r: abs(r["difference"]))
        print(f"note: {len(off)} stitched edge pairs differ by more than 0.3 cm in the source "
              f"(worst {worst['a']} ~ {worst['b']}: {worst['difference']:+.2f} cm); "
              f"see `python -m headless check {out / 'pattern.json'}`")
    return 0
