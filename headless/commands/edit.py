"""`edit`: apply a chat-style instruction to a spec."""

from __future__ import annotations

from garment_addon.core.inputs import check_output_path, read_spec

from ._common import add_command
from ._spec_io import add_backend_and_output, write_spec


def register(sub) -> None:
    p = add_command(
        sub,
        "edit",
        "edit a spec in words: longer/shorter, add/remove features, fit, type",
        'python -m headless edit spec.json "make the sleeves 5 cm longer" -o spec.json',
    )
    p.add_argument("spec", help="garment spec JSON")
    p.add_argument("instruction", help='e.g. "10 cm shorter", "add a hood", "make it sleeveless"')
    add_backend_and_output(
        p,
        ("offline", "llm", "auto"),
        "offline rules (default); llm/auto ask the configured LLM when the rules do not apply",
        "spec JSON to write (may be the input)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.core.language import edit_spec

    check_output_path(args.output)  # the input itself is allowed: an in-place edit is replaced atomically
    spec = edit_spec(read_spec(args.spec), args.instruction, backend=args.backend)
    changes = "; ".join(spec.metadata["edits"][-1]["changes"])
    write_spec(args.output, spec, f"wrote {args.output}: {changes}", warnings=False)  # old ones: the input's
    return 0
