"""The photo side of the comparison: RGB plus garment (and, when visible, body) masks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..imageio import as_rgb_array, cutout
from ..spec import GarmentSpec, make_spec


@dataclass
class Target:
    rgb: np.ndarray  # uint8 HxWx3
    garment: np.ndarray  # bool HxW
    body: np.ndarray | None = None  # bool HxW: person/mannequin incl. garment, when visible


def _largest(mask: np.ndarray, keep_frac: float = 0.05) -> np.ndarray:
    """Drop specks: keep components with at least keep_frac of the largest one's area."""
    lab, n = ndimage.label(mask)
    if n <= 1:
        return mask
    sizes = ndimage.sum(mask, lab, range(1, n + 1))
    keep = np.flatnonzero(sizes >= keep_frac * sizes.max()) + 1
    return np.isin(lab, keep)


def segment(rgb: np.ndarray, alpha: np.ndarray | None = None) -> Target:
    """Foreground from alpha or from distance to the border colour; garment = its coloured part.

    A plain, dependency-free segmentation that suits renders (ours or GarmentCode's: grey/dark
    mannequin, coloured garment) and product shots on a plain background. When the foreground is
    all one kind (no grey body to separate), the whole foreground is the garment and body is None.
    """
    img = rgb.astype(np.float32)
    if alpha is not None:
        fg = cutout(alpha)
    else:
        border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
        bg = np.median(border, axis=0)
        fg = np.linalg.norm(img - bg, axis=-1) > 40
        fg = ndimage.binary_opening(fg, iterations=1)
    fg = _largest(ndimage.binary_fill_holes(fg))
    mx, mn = img.max(-1), img.min(-1)
    sat = (mx - mn) / np.maximum(mx, 1)
    coloured = fg & (sat > 0.1) & (mx > 60)
    coloured = _largest(ndimage.binary_opening(ndimage.binary_closing(coloured, iterations=2), iterations=1))
    frac = coloured.sum() / max(1, fg.sum())
    if frac < 0.03 or frac > 0.9:
        return Target(rgb, fg, None)
    return Target(rgb, coloured, fg)


def load_target(photo, masks=None, decoded=None) -> Target:
    """A Target from a path, an RGB array, or (rgb, garment_mask[, body_mask]); ``masks`` is the
    photo's photo_masks when an analysis already made them, ``decoded`` its (rgb, alpha) when the
    photo was already loaded."""
    if isinstance(photo, Target):
        return photo
    if isinstance(photo, tuple):
        rgb, garment, *rest = photo
        return Target(np.asarray(rgb, np.uint8), np.asarray(garment, bool),
                      np.asarray(rest[0], bool) if rest and rest[0] is not None else None)
    if isinstance(photo, np.ndarray):
        return segment(photo[..., :3].astype(np.uint8))
    # the one loader: bad, blank or transparent files refused alike
    rgb, alpha = decoded if decoded is not None else as_rgb_array(photo)
    if masks is None:
        try:  # the vision engineer's segmentation (GrabCut / MediaPipe) when it is there
            from ..vision import photo_masks
        except ImportError:
            return segment(rgb, alpha)
        masks = photo_masks(photo, decoded=(rgb, alpha))
    garment, person, worn = masks
    garment, person = np.asarray(garment, bool), np.asarray(person, bool)
    if garment.shape != rgb.shape[:2] or not garment.any():
        return segment(rgb, alpha)
    if not worn:  # a garment on its own: its outline is the garment, and there is no body to frame it
        return Target(rgb, _largest(person | garment), None)
    return Target(rgb, garment, _symmetric_body(person | garment, garment) if person.any() else None)


def read_photo(image, backend: str = "offline", start=None, client=None) -> tuple[GarmentSpec, Target]:
    """A fit's first step, before anything is rendered: (start spec, Target).

    The photo goes through the analyzer first, the same call `analyze` makes, so `fit`, `batch`
    and the panel refuse what `analyze` refuses (unreadable, blank, transparent or tiny files; no
    garment we draft) with the same one line. ``start`` (a spec or spec dict) replaces the
    analysis's spec but not its refusal; the check then runs offline (no VLM call for it)."""
    from ..vision import analyze_photo

    decoded = as_rgb_array(image)  # once: the analysis and the target share the decoded photo
    given = None if start is None else start if isinstance(start, GarmentSpec) else make_spec(start)
    # the given type's garment is the target (the trousers of a photo whose shirt is larger)
    spec, masks = analyze_photo(image, backend="offline" if given is not None else backend, client=client,
                                decoded=decoded, garment_type=given.garment_type if given else None)
    return given or spec, load_target(image, masks, decoded)


def _symmetric_body(body: np.ndarray, garment: np.ndarray) -> np.ndarray:
    """The body mask kept where its mirror about the figure's axis is (nearly) body too.

    The body's box frames the comparison; segmentation that leaked into clutter beside the figure
    would widen and shift it. A frontal figure is near-symmetric; clutter is not. The axis is the
    median of the rows' midpoints (head, torso, legs), which a leak in some rows does not move.
    The renders' mannequin stands symmetric too, so the trimmed box stays comparable."""
    rows = np.flatnonzero(body.any(axis=1))
    first = body[rows].argmax(axis=1)
    last = body.shape[1] - 1 - body[rows, ::-1].argmax(axis=1)
    centre2 = int(round(np.median(first + last)))  # twice the axis column: x mirrors to centre2 - x
    x = np.arange(body.shape[1])
    mx = centre2 - x
    ok = (mx >= 0) & (mx < body.shape[1])
    mirror = np.zeros_like(body)
    mirror[:, ok] = body[:, mx[ok]]
    sym = (body & mirror) | garment
    # a side view or a raised arm is not a leak: only trim a figure that is mostly symmetric
    if sym.sum() < 0.6 * body.sum():
        return body
    # a figure is only nearly symmetric (a foot turned out, an elbow bent): allow that much slack
    slack = max(1, int(0.03 * len(rows)))
    return (body & ndimage.binary_dilation(mirror, iterations=slack)) | garment
