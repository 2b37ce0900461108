"""`draft`: spec -> pattern.json + pattern.svg."""

from __future__ import annotations

from pathlib import Path

from garment_addon.core.inputs import check_output_path, read_spec
from garment_addon.core.io import atomic_dir
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.spec import make_spec

from ._common import add_command


def register(sub) -> None:
    p = add_command(sub, "draft", "draft the sewing pattern of a spec: OUT/pattern.json and OUT/pattern.svg",
                    "python -m headless draft spec.json -o out/")
    p.add_argument("spec", help="garment spec JSON (see `spec`)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=run)


FILES = ("pattern.json", "pattern.svg")


def draft_to_folder(spec_data, out: str | Path) -> Path:
    """Draft a spec (GarmentSpec or dict) and write pattern.json + pattern.svg into ``out`` (atomically)."""
    from garment_addon.core.export import write_svg

    pattern = draft_pattern(make_spec(spec_data) if isinstance(spec_data, dict) else spec_data)
    with atomic_dir(out) as stage:
        (stage / "pattern.json").write_text(pattern.to_json(), encoding="utf-8")
        write_svg(pattern, stage / "pattern.svg")
    return Path(out)


def run(args) -> int:
    check_output_path(args.output, [args.spec], "dir", FILES)
    out = draft_to_folder(read_spec(args.spec), args.output)
    print(f"wrote {out / 'pattern.json'} and {out / 'pattern.svg'}")
    return 0
