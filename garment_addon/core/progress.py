"""Progress reporting and cancellation shared by the CLI, Blender and batch front ends.

Long functions take ``progress: Progress | None``; they call ``progress(fraction, message)``
and that call raises Cancelled when the user asked to stop (Esc in Blender, Ctrl-C).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any


class Cancelled(Exception):
    """The user cancelled a long operation; partial results were not written."""


class Progress:
    def __init__(self, report: Callable[[float, str], None] | None = None,
                 should_cancel: Callable[[], bool] | None = None):
        self._report = report
        self._should_cancel = should_cancel

    def __call__(self, fraction: float, message: str = "") -> None:
        if self._should_cancel and self._should_cancel():
            raise Cancelled(message or "cancelled")
        if self._report:
            self._report(max(0.0, min(1.0, fraction)), message)

    def sub(self, lo: float, hi: float) -> Progress:
        """A progress for a sub-task mapped onto [lo, hi] of this one."""
        return Progress(lambda f, m: self(lo + (hi - lo) * f, m), None)


NULL = Progress()


def run_steps(steps: Generator[None, None, Any]) -> Any:
    """Drive a step generator (one that yields between slices of work) to its end; its result.

    Long Blender work is written as such generators so a modal operator can run a slice per
    timer tick and stop between slices (``steps.close()`` runs its clean-up), while scripts and
    the CLI call the plain function that runs it through.
    """
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
