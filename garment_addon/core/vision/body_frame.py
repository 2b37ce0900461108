"""The body frame of a figure mask: image rows <-> fractions of standing height.

Its own module so the analyzer and the laid-out garment test (laid_out.py) share it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..proportions import BODY


@dataclass
class Frame:
    """Body frame: image row <-> fraction of standing height from the top of the head."""

    top: float
    height: float  # pixels
    cx: float
    cut_bottom: bool = False
    has_head: bool = True

    def y(self, f: float) -> int:
        return int(round(self.top + f * self.height))

    def f(self, y: np.ndarray | float):
        return (np.asarray(y, float) - self.top) / self.height



def _widths(mask: np.ndarray) -> np.ndarray:
    return mask.sum(axis=1).astype(float)


def body_frame(person: np.ndarray, band: int) -> Frame | None:
    ys, xs = np.nonzero(person)
    if len(ys) < 200:
        return None
    h = person.shape[0]
    top, bottom = int(np.percentile(ys, 0.05)), int(np.percentile(ys, 99.95))
    span = max(bottom - top, 1)
    cut_bottom = bottom >= h - band - 3
    cut_top = top <= band + 1
    widths = _widths(person)
    # neck: the narrowest row below the head's widest row and above the shoulders
    seg = widths[top : top + int(0.3 * span)]
    has_head = False
    neck = None
    if len(seg) > 10:
        head_w = int(np.argmax(seg[: max(3, int(0.15 * span))]))
        rest = seg[head_w:]
        if len(rest) > 3:
            nk = head_w + int(np.argmin(rest[: max(3, int(0.2 * span))]))
            below = seg[nk:]
            has_head = bool(
                below.size and below.max() > 1.6 * max(seg[nk], 1) and seg[head_w] < 0.6 * below.max()
            )
            neck = top + nk if has_head else None
    height = float(span)
    if cut_bottom and neck is not None:
        height = max(height, (neck - top) / BODY["neck"])
    cols = np.nonzero(person[top : top + int(0.5 * span)])[1]
    cx = float(np.median(cols)) if cols.size else person.shape[1] / 2
    return Frame(float(top), height, cx, cut_bottom, has_head and not cut_top)
