"""What the spec-writing commands (analyze, text, edit) share: --backend and -o options, an early check
of the output path, the atomic write and the closing lines."""

from __future__ import annotations

import json

from garment_addon.core.io import write_text


def add_backend_and_output(p, choices: tuple[str, ...], backend_help: str, output_help: str) -> None:
    p.add_argument("--backend", choices=choices, default="offline", help=backend_help)
    p.add_argument("-o", "--output", required=True, help=output_help)


def write_spec(path, spec, summary: str, warnings: bool = True) -> None:
    """Write the spec atomically, then print ``summary`` and (when asked) the spec's warnings."""
    write_text(path, json.dumps(spec.to_dict(), indent=2) + "\n")
    print(summary)
    for w in spec.metadata.get("warnings", []) if warnings else []:
        print(f"warning: {w}")


