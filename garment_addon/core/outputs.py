"""Fail fast on an output the user cannot write: exit 2 before minutes of work, not a traceback after."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError


def writable_folder(path, what: str = "output") -> Path:
    """``path`` as a Path when it is, or can become, a folder we may write in."""
    p = Path(path)
    probe = p
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise UserError(f"{what}: cannot make folder {path}: {probe} is a file")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"{what}: cannot write in {probe} (permission denied)")
    return p


def writable_file(path, what: str = "output") -> Path:
    """``path`` as a Path when a file may be written there."""
    p = Path(path)
    if p.is_dir() or str(path).endswith(("/", os.sep)):
        raise UserError(f"{what}: {path} is a folder; give a file name such as {p / 'pattern.pdf'}")
    writable_folder(p.parent, what)
    return p
