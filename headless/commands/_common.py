"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from garment_addon.core.errors import UserError


def add_command(sub, name: str, help: str, example: str) -> argparse.ArgumentParser:
    """A sub-parser whose --help ends with a worked example."""
    return sub.add_parser(name, help=help, description=help,
                          epilog=f"example:\n  {example}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def read_json(path: str, what: str) -> Any:
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{what}: file not found: {path}")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{what}: {path} is not valid JSON ({exc.__class__.__name__})") from None


def load_spec_or_pattern(path: str):
    """(spec, pattern) from a spec JSON or a pattern JSON; the other is derived."""
    from garment_addon.core.pattern import SCHEMA, Pattern, draft_pattern
    from garment_addon.core.spec import make_spec

    data = read_json(path, "input")
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        pattern = Pattern.from_dict(data)
        return pattern.spec, pattern
    spec = make_spec(data)
    return spec.to_dict(), draft_pattern(spec)


@contextmanager
def progress_bar(desc: str):
    """A tqdm bar on stderr driving a core.progress.Progress; Ctrl-C cancels the work.

    Shown on a terminal only (tqdm's disable=None), so logs and pipes get just the result lines.
    """
    from tqdm import tqdm

    from garment_addon.core.progress import Progress

    bar = tqdm(total=100, desc=desc, unit="%", file=sys.stderr, leave=False, disable=None,
               bar_format="{desc} {percentage:3.0f}%|{bar}|")

    def report(f: float, msg: str) -> None:
        bar.n = round(100 * f)
        bar.set_description_str(f"{desc}: {msg}", refresh=False)  # tqdm's postfix would read ", msg"
        bar.refresh()

    try:
        yield Progress(report)
    finally:
        bar.close()
