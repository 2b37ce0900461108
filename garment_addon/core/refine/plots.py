"""fit_progress.png (score per iteration) and fit_compare.png (photo | best render | overlay), Pillow only."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .metrics import crop, window_of

PANEL = 320


def progress_image(records, threshold: float, width: int = 640, height: int = 360) -> Image.Image:
    """Score of every iteration (dots: blue accepted, grey rejected) and the running best (line)."""
    im = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(im)
    left, right, top, bottom = 48, width - 16, 16, height - 36
    n = max(1, len(records) - 1)

    def xy(i, s):
        return left + (right - left) * i / n, bottom - (bottom - top) * max(0.0, min(1.0, s))

    for v in (0, 0.25, 0.5, 0.75, 1.0):
        y = xy(0, v)[1]
        d.line([(left, y), (right, y)], fill=(225, 225, 225))
        d.text((6, y - 6), f"{v:.2f}", fill="black")
    ty = xy(0, threshold)[1]
    d.line([(left, ty), (right, ty)], fill=(60, 170, 60), width=1)
    d.text((right - 90, ty - 14), f"threshold {threshold:.2f}", fill=(60, 140, 60))
    best = [xy(r.index, r.best_score) for r in records]
    if len(best) > 1:
        d.line(best, fill=(30, 80, 200), width=2)
    for r in records:
        x, y = xy(r.index, float(r.scores.get("score", 0)))
        col = (30, 80, 200) if r.accepted else (150, 150, 150)
        d.ellipse((x - 4, y - 4, x + 4, y + 4), fill=col)
    d.text((left, bottom + 10), f"iteration (0..{len(records) - 1})   line: best score   dots: each render",
           fill="black")
    return im


def _panel(rgb: np.ndarray, ref_mask: np.ndarray) -> np.ndarray:
    """The picture cropped to the square around ``ref_mask`` (what the metrics compare)."""
    win = window_of(ref_mask)
    white = 255 - crop(255 - rgb.astype(np.float32), win, PANEL)  # outside the picture reads white
    return np.clip(white, 0, 255).astype(np.uint8)


def compare_image(photo_rgb, photo_garment, photo_body, render_rgb, render_garment,
                  render_body, boxes=None) -> Image.Image:
    """photo | best render | overlay (photo garment red, render garment blue, both purple).

    ``boxes`` (the garment frame's (photo box, render box), frame.boxes): the overlay shows the two
    garments in the frame the scores compared them in (lengths in cm, widths in anchor widths)."""
    use_body = photo_body is not None and render_body is not None
    pref = photo_body if use_body else photo_garment
    rref = render_body if use_body else render_garment
    a = _panel(photo_rgb, pref)
    b = _panel(render_rgb, rref)
    pwin, rwin = boxes if boxes is not None else (window_of(pref), window_of(rref))
    ma = crop(photo_garment.astype(np.float32), pwin, PANEL) > 0.5
    mb = crop(render_garment.astype(np.float32), rwin, PANEL) > 0.5
    over = np.full((PANEL, PANEL, 3), 255, np.uint8)
    if use_body:  # the photo's person in light grey, for orientation
        over[crop(photo_body.astype(np.float32), window_of(pref), PANEL) > 0.5] = (215, 215, 215)
    over[ma] = (230, 70, 70)
    over[mb] = (70, 110, 230)
    over[ma & mb] = (150, 80, 190)
    strip = np.concatenate([a, np.full((PANEL, 6, 3), 255, np.uint8), b,
                            np.full((PANEL, 6, 3), 255, np.uint8), over], axis=1)
    im = Image.new("RGB", (strip.shape[1], PANEL + 22), "white")
    im.paste(Image.fromarray(strip), (0, 22))
    d = ImageDraw.Draw(im)
    for i, label in enumerate(("photo", "best render", "overlay: red photo, blue render")):
        d.text((i * (PANEL + 6) + 6, 5), label, fill="black")
    return im
