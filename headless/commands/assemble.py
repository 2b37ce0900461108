"""`assemble`: spec or pattern -> 3D garment on the mannequin (glb, obj, blend, assembly.json)."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path
from garment_addon.jobs import ASSEMBLE_FILES, load_input

from ._common import add_command, progress_bar


def register(sub) -> None:
    p = add_command(sub, "assemble",
                    "assemble the 3D garment on a mannequin: OUT/garment.glb, garment.obj, mannequin.obj, "
                    "scene.blend, assembly.json",
                    "python -m headless assemble spec.json --method drape -o out/")
    add_input_and_method(p)
    p.add_argument("--rig", action="store_true", help="add an armature with skin weights (exported in the glb)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=run)


def add_input_and_method(p) -> None:
    """The arguments assemble and render share: the input file and the assembly method."""
    p.add_argument("input", help="garment spec JSON or pattern.json")
    p.add_argument("--method", choices=("wrap", "drape"), default="wrap",
                   help="wrap: instant projection; drape: Blender cloth simulation (default wrap)")


def run(args) -> int:
    import json

    from garment_addon.jobs import assemble_to_folder

    check_output_path(args.output, [args.input], "dir", ASSEMBLE_FILES)
    _, pattern = load_input(args.input)
    with progress_bar("assemble") as progress:
        report = assemble_to_folder(pattern, args.output, args.method, args.rig, progress)
    m = report["metrics"]
    print(f"wrote {args.output}/garment.glb, garment.obj, mannequin.obj, scene.blend, assembly.json")
    print(json.dumps({k: m[k] for k in ("inside_fraction", "max_seam_gap_cm", "mean_stretch") if k in m}))
    return 0
