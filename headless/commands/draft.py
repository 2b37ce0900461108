"""`draft`: spec -> pattern.json + pattern.svg."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path, read_spec
from garment_addon.jobs import DRAFT_FILES, draft_to_folder

from ._common import add_command


def register(sub) -> None:
    p = add_command(sub, "draft", "draft the sewing pattern of a spec: OUT/pattern.json and OUT/pattern.svg",
                    "python -m headless draft spec.json -o out/")
    p.add_argument("spec", help="garment spec JSON (see `spec`)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=run)


def run(args) -> int:
    check_output_path(args.output, [args.spec], "dir", DRAFT_FILES)
    out = draft_to_folder(read_spec(args.spec), args.output)
    print(f"wrote {out / 'pattern.json'} and {out / 'pattern.svg'}")
    return 0
