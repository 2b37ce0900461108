"""How alike a render and a photo are, comparing the garment (foreground), never the background.

The seed compared whole images: two different garments on white scored ~0.95 because the white
dominated. Here both sides are reduced to their garment masks first:

1. Frame: each image is cropped to a square window around its reference box (the body's box when
   both sides have a body mask, so garment lengths stay relative to the body; else the garment's
   own box) and resized to ``SIZE`` x ``SIZE``. Scale and position in the frame no longer matter.
   Product shots and cut-outs pass ``boxes`` instead: the garment frame with lengths scaled by the
   garment itself (frame.py).
2. Scores on that window:
   - ``iou``: intersection over union of the two garment masks;
   - ``ssim``: structural similarity (skimage) of the masks, blurred (BLUR_PX) so a shift of
     a few pixels is not punished like a different shape;
   - ``edge_ssim``: structural similarity of their Sobel edge magnitudes (the outlines);
   both SSIMs are averaged over the union of the two garments grown by REGION_PX, never over
   the empty rest of the window (the seed's failure again, in small);
   - ``score`` = 0.6 iou + 0.2 ssim + 0.2 edge_ssim, each clipped to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.metrics import structural_similarity

SIZE = 128
WEIGHTS = {"iou": 0.6, "ssim": 0.2, "edge_ssim": 0.2}
MARGIN = 1.08  # window side = this x the reference box's longer side
REGION_PX = 4  # SSIMs are averaged over the garments' union grown by this many pixels
BLUR_PX = 3.0  # masks and edge maps are blurred first: a 2-3 px shift is not a different shape


@dataclass(frozen=True)
class Window:
    """A square crop (row/col of its centre, side in px) in the source image."""

    cy: float
    cx: float
    side: float


def bbox(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(row0, col0, row1, col1) exclusive, or None for an empty mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def window_of(mask: np.ndarray) -> Window:
    box = bbox(mask)
    if box is None:
        h, w = mask.shape
        return Window(h / 2, w / 2, max(h, w))
    r0, c0, r1, c1 = box
    return Window((r0 + r1) / 2, (c0 + c1) / 2, max(r1 - r0, c1 - c0) * MARGIN)


def crop(image: np.ndarray, win: Window | tuple, size: int = SIZE) -> np.ndarray:
    """Resample ``image`` (HxW float or HxWx3) inside ``win`` (or a box (x0, y0, x1, y1)) to
    size x size; outside reads 0."""
    img = np.asarray(image, np.float32)
    if isinstance(win, Window):
        half = win.side / 2
        box = (win.cx - half, win.cy - half, win.cx + half, win.cy + half)
    else:
        box = tuple(float(v) for v in win)
    chans = [img] if img.ndim == 2 else [img[..., i] for i in range(img.shape[2])]
    out = [np.asarray(Image.fromarray(ch, mode="F").transform((size, size), Image.Transform.EXTENT, box,
                                                              Image.Resampling.BILINEAR))
           for ch in chans]
    return out[0] if img.ndim == 2 else np.stack(out, axis=-1)


def normalised_mask(mask: np.ndarray, ref: np.ndarray | None = None, size: int = SIZE) -> np.ndarray:
    """The garment mask as float [0, 1] in the window of ``ref`` (default: its own box)."""
    m = np.asarray(mask, bool)
    return np.clip(crop(m.astype(np.float32), window_of(m if ref is None else ref), size), 0, 1)


def _ssim(a: np.ndarray, b: np.ndarray, region: np.ndarray) -> float:
    """Mean SSIM over ``region`` only: empty background would otherwise count as a perfect match."""
    rng = max(float(a.max() - a.min()), float(b.max() - b.min()), 1e-6)
    _, full = structural_similarity(a, b, data_range=rng, gaussian_weights=True, sigma=1.5, full=True)
    return float(full[region].mean()) if region.any() else 1.0


def _edges(m: np.ndarray) -> np.ndarray:
    return np.hypot(ndimage.sobel(m, axis=0), ndimage.sobel(m, axis=1))


def _pair(photo_mask, render_mask, photo_body, render_body, size, boxes):
    """Both masks in one normalised frame: ``boxes`` (photo box, render box) when given (the scaled
    garment frame, frame.py), else the bodies' boxes when both sides have one, else each garment's."""
    if boxes is not None:
        return (np.clip(crop(np.asarray(m, np.float32), box, size), 0, 1)
                for m, box in zip((photo_mask, render_mask), boxes, strict=True)), "garment"
    use_body = photo_body is not None and render_body is not None and photo_body.any() and render_body.any()
    a = normalised_mask(photo_mask, photo_body if use_body else None, size)
    b = normalised_mask(render_mask, render_body if use_body else None, size)
    return (a, b), "body" if use_body else "garment"


def compare_masks(photo_mask: np.ndarray, render_mask: np.ndarray, photo_body: np.ndarray | None = None,
                  render_body: np.ndarray | None = None, size: int = SIZE, boxes=None) -> dict[str, float]:
    """Scores (iou, ssim, edge_ssim, score) of two garment masks; see the module doc."""
    (a, b), frame = _pair(photo_mask, render_mask, photo_body, render_body, size, boxes)
    return score_normalised(a, b) | {"frame": frame}


def score_normalised(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Scores of two masks already in the same normalised frame."""
    ab, bb = a > 0.5, b > 0.5
    union = np.logical_or(ab, bb).sum()
    iou = float(np.logical_and(ab, bb).sum() / union) if union else 1.0
    region = ndimage.binary_dilation(ab | bb, iterations=REGION_PX)
    sa, sb = ndimage.gaussian_filter(a, BLUR_PX), ndimage.gaussian_filter(b, BLUR_PX)
    ssim = _ssim(sa, sb, region)
    ea, eb = ndimage.gaussian_filter(_edges(a), BLUR_PX), ndimage.gaussian_filter(_edges(b), BLUR_PX)
    edge = _ssim(ea, eb, region)
    parts = {"iou": iou, "ssim": max(0.0, ssim), "edge_ssim": max(0.0, edge)}
    score = sum(WEIGHTS[k] * parts[k] for k in WEIGHTS)
    return {k: round(v, 5) for k, v in parts.items()} | {"score": round(score, 5)}


def residual(photo_mask: np.ndarray, render_mask: np.ndarray, photo_body=None, render_body=None,
             size: int = 48, blur: float = 3, boxes=None) -> np.ndarray:
    """Blurred mask difference on a coarse grid: a smooth vector the offline optimiser minimises."""
    (a, b), _ = _pair(photo_mask, render_mask, photo_body, render_body, size, boxes)
    return (ndimage.gaussian_filter(b, blur) - ndimage.gaussian_filter(a, blur)).ravel()
