"""`edit`: apply a chat-style instruction to a spec."""

from __future__ import annotations

import json

from garment_addon.core.io import write_text

from ._common import add_command, read_json


def register(sub) -> None:
    p = add_command(
        sub,
        "edit",
        "edit a spec in words: longer/shorter, add/remove features, fit, type",
        'python -m headless edit spec.json "make the sleeves 5 cm longer" -o spec.json',
    )
    p.add_argument("spec", help="garment spec JSON")
    p.add_argument("instruction", help='e.g. "10 cm shorter", "add a hood", "make it sleeveless"')
    p.add_argument(
        "--backend",
        choices=("offline", "llm", "auto"),
        default="offline",
        help="offline rules (default); llm/auto ask the configured LLM when the rules do not apply",
    )
    p.add_argument("-o", "--output", required=True, help="spec JSON to write (may be the input)")
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.core.language import edit_spec
    from garment_addon.core.spec import make_spec

    spec = edit_spec(make_spec(read_json(args.spec, "spec")), args.instruction, backend=args.backend)
    write_text(args.output, json.dumps(spec.to_dict(), indent=2) + "\n")
    print(f"wrote {args.output}: " + "; ".join(spec.metadata["edits"][-1]["changes"]))
    return 0
