"""`text`: a garment description -> garment spec."""

from __future__ import annotations

import contextlib
import json
import sys

from garment_addon.core.io import write_text

from ._common import add_command


@contextlib.contextmanager
def progress_bar(desc: str):
    """A tqdm bar on stderr driving a core Progress (Ctrl-C cancels between steps)."""
    from tqdm import tqdm

    from garment_addon.core.progress import Progress

    with tqdm(
        total=100,
        desc=desc,
        file=sys.stderr,
        leave=False,
        disable=None,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}",
    ) as bar:

        def report(f: float, msg: str) -> None:
            bar.n = int(f * 100)
            bar.set_postfix_str(msg, refresh=True)

        yield Progress(report)


def register(sub) -> None:
    p = add_command(
        sub,
        "text",
        "garment description -> garment spec (offline parser or an LLM)",
        'python -m headless text "a knee-length A-line dress with short sleeves" -o spec.json',
    )
    p.add_argument("description", help='e.g. "red wide-leg trousers, waist 72 cm, 100 cm long"')
    p.add_argument(
        "--backend",
        choices=("offline", "llm", "auto"),
        default="offline",
        help="offline (default), llm (GARMENT_VLM_* settings) or auto",
    )
    p.add_argument("-o", "--output", required=True, help="spec JSON to write")
    p.set_defaults(func=run)


def run(args) -> int:
    from garment_addon.core.language import parse_text

    spec = parse_text(args.description, backend=args.backend)
    write_text(args.output, json.dumps(spec.to_dict(), indent=2) + "\n")
    attrs = ", ".join(f"{k} {v}" for k, v in spec.metadata.get("attributes", {}).items())
    print(f"wrote {args.output} ({spec.garment_type}{': ' + attrs if attrs else ''})")
    for w in spec.metadata.get("warnings", []):
        print(f"warning: {w}")
    return 0
