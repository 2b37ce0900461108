"""Quiet Blender's C-level output: stdout while it renders and saves, and its GPU-less EGL noise."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

NOISE = ("EGL Error",)  # stderr lines of a GPU-less Eevee start-up: harmless, alarming to read


@contextlib.contextmanager
def quiet_stdout(filter_stderr: bool = False):
    """Silence Blender's C-level "Saved: ..." lines so the progress bar stays readable; with
    ``filter_stderr`` also drop its GPU-less EGL noise from stderr (every other line is kept)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1)
    saved_err = os.dup(2) if filter_stderr else None
    err = tempfile.TemporaryFile("w+b") if filter_stderr else None
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            if err is not None:
                os.dup2(err.fileno(), 2)
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved, 1)
        os.close(saved)
        if err is not None:
            os.dup2(saved_err, 2)
            os.close(saved_err)
            err.seek(0)
            kept = [ln for ln in err.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if ln.strip() and not ln.startswith(NOISE)]
            err.close()
            sys.stderr.write("".join(kept))
