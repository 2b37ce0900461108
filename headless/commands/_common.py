"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager


def add_command(sub, name: str, help: str, example: str) -> argparse.ArgumentParser:
    """A sub-parser whose --help ends with a worked example."""
    return sub.add_parser(name, help=help, description=help,
                          epilog=f"example:\n  {example}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


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
