"""`assemble`: spec or pattern -> 3D garment on the mannequin (glb, fbx, obj, blend, assembly.json)."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path
from garment_addon.jobs import ASSEMBLE_FILES, load_input

from ._common import add_command, progress_bar


def register(sub) -> None:
    p = add_command(sub, "assemble",
                    "assemble the 3D garment on a mannequin: OUT/garment.glb, garment.fbx, garment.obj, "
                    "mannequin.obj, scene.blend, pattern.json, assembly.json",
                    "python -m headless assemble spec.json --method drape --fabric denim -o out/\n"
                    "  python -m headless assemble jacket.json --method drape --over out/ -o outfit/")
    add_input_and_method(p)
    add_look(p)
    p.add_argument("--rig", action="store_true", help="add an armature with skin weights (exported in the glb)")
    p.add_argument("--garment-only", action="store_true",
                   help="garment.glb / garment.fbx without the mannequin (mannequin.obj is still written)")
    p.add_argument("--thickness", type=float, metavar="MM",
                   help="cloth thickness of the glb / fbx garment, 0..10 mm (default: the fabric's; 0: a sheet)")
    p.add_argument("--subdivisions", type=int, default=0, metavar="N",
                   help="subdivision levels of the glb / fbx garment, 0..3 (default 0; each level ~4x the vertices)")
    p.add_argument("--over", metavar="FOLDER",
                   help="an assemble output folder whose garments this one is dressed over (an outfit: a jacket "
                        "over a shirt; another garment type, the same body); the outputs hold the whole outfit")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.set_defaults(func=run)


def add_input_and_method(p) -> None:
    """The arguments assemble and render share: the input file and the assembly method."""
    from garment_addon.core.fabric import PRESETS

    p.add_argument("input", help="garment spec JSON or pattern.json (render: also an assemble output folder)")
    p.add_argument("--method", choices=("wrap", "drape"), default="wrap",
                   help="wrap: instant projection; drape: Blender cloth simulation (default wrap)")
    p.add_argument("--fabric", choices=tuple(PRESETS),
                   help="cloth preset for the drape and the shader (default: the spec's features.material, "
                        "else from features.fabric and the type)")


def add_look(p) -> None:
    p.add_argument("--color", help="garment colour as #rrggbb (sRGB) or a colour word "
                   "(default: the spec's features.color, else the fabric's own)")
    p.add_argument("--texture", help="image file mapped on the garment's UVs (overrides --color)")
    p.add_argument("--piece-colors", action="store_true", help="one debug colour per pattern piece")


def look_from(args):
    """blender.look.Look from the --color / --texture / --piece-colors arguments (None: all default)."""
    from pathlib import Path

    from garment_addon.blender.look import Look, parse_color
    from garment_addon.core.errors import UserError

    if not (args.color or args.texture or args.piece_colors):
        return None
    if args.texture and not Path(args.texture).is_file():
        raise UserError(f"texture: file not found: {args.texture}")
    return Look(parse_color(args.color) if args.color else None,
                str(Path(args.texture).resolve()) if args.texture else None, args.piece_colors)


def run(args) -> int:
    import json

    from garment_addon.jobs import assemble_to_folder

    check_output_path(args.output, [args.input, args.over], "dir", ASSEMBLE_FILES)
    _, pattern = load_input(args.input)
    look = look_from(args)
    with progress_bar("assemble") as progress:
        report = assemble_to_folder(pattern, args.output, args.method, args.rig, progress,
                                    fabric=args.fabric, look=look, garment_only=args.garment_only,
                                    thickness_mm=args.thickness, subdivisions=args.subdivisions, over=args.over)
    m = report["metrics"]
    print(f"wrote {args.output}/garment.glb, garment.fbx, garment.obj, mannequin.obj, scene.blend, "
          "pattern.json, assembly.json")
    keys = ("inside_fraction", "max_depth_mm", "self_crossings", "max_seam_gap_cm", "mean_stretch", "fabric")
    print(json.dumps({k: m[k] for k in keys if k in m}))
    return 0
