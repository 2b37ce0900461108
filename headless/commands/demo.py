"""`demo`: the main job on a bundled example, offline (stub: drafts the seed dress)."""

from __future__ import annotations

from ._common import add_command

SEED_DRESS = {
    "garment_type": "dress",
    "measurements": {"bust": 90, "waist": 72, "hip": 96, "shoulder_width": 40, "bodice_length": 42,
                     "sleeve_length": 25, "skirt_length": 55, "neckline_depth": 12, "neckline_width": 8,
                     "bicep": 28, "wrist": 17, "cap_height": 12, "flare": 8},
    "features": {"has_collar": False, "has_cuffs": False, "has_pockets": False, "has_hood": False,
                 "fit": "fitted"},
}


def register(sub) -> None:
    p = add_command(sub, "demo", "run the main job on the bundled example, offline",
                    "python -m headless demo -o out")
    p.add_argument("-o", "--output", default="out", help="output folder (default out)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .draft import draft_to_folder

    out = draft_to_folder(SEED_DRESS, args.output)
    print(f"demo: drafted the example dress -> {out}/pattern.json, {out}/pattern.svg")
    return 0
