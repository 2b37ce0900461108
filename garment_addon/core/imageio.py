"""The one image loader: every photo any command reads comes through here.

Decoding (``load_image``): 8- and 16-bit, greyscale, palette, CMYK, with or without alpha, turned
upright by its EXIF orientation (phone photos are stored sideways with a tag saying so). Every bad
file becomes a one-line ``UserError`` naming the file before any work is done, so ``analyze``,
``fit``, ``batch`` and the Blender panel refuse it with the same words.

Photos (``load_rgba`` / ``as_rgb_array`` on a path) are also checked for content: a fully
transparent or single-colour image has no garment to read. Transparent pixels are composited on
white; the alpha channel is kept and, where it cuts anything out, is the cut-out mask
(``cutout``) for both the analyzer and the refinement loop.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from .errors import UserError

MAX_PIXELS = 50_000_000  # larger images are refused (decompression bombs look like this)
MAX_BYTES = 200 * 1024 * 1024
MIN_SIDE = 64  # px: below this a garment's outline is a few blocks (a 32x32 icon read as a skirt)
ALPHA_CUT = 128  # alpha >= this is the cut-out (the analyzer and the loop agree on it)
OPAQUE = 250  # an alpha channel whose every pixel is at least this cuts nothing out
BLANK_RANGE = 8  # a photo whose every channel spans fewer levels than this is one colour
KINDS = "a PNG, JPEG, WebP, BMP or TIFF image"
# greyscale with more than 8 bits: PIL's convert("RGB") clips it to 255 (a 16-bit PNG read all white)
WIDE_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")


def _eight_bit(im):
    """A PIL image in a mode PIL converts to RGB(A) without clipping: wide greyscale rescaled to 8 bits."""
    from PIL import Image

    if im.mode not in WIDE_GREY:
        return im
    a = np.asarray(im, np.float64)
    hi = float(a.max())
    if im.mode.startswith("I;16"):
        top = 65535.0
    else:  # "I" (32-bit) and "F" (float) say nothing of their range: take it from the values
        top = 1.0 if im.mode == "F" and hi <= 1.0 else 255.0 if hi <= 255 else 65535.0 if hi <= 65535 else hi
    return Image.fromarray(np.clip(np.rint(a * (255.0 / top)), 0, 255).astype(np.uint8), "L")


def load_image(path: str | os.PathLike, field: str = "image", min_side: int = MIN_SIDE):
    """A PIL RGB or RGBA image, upright, or UserError naming the file and the problem.

    ``min_side`` is for photos; our own renders read back (any size) pass 1."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    p = Path(path)
    if p.is_dir():
        raise UserError(f"{field}: {path} is a folder; expected {KINDS} file")
    if not p.is_file():
        raise UserError(f"{field}: file not found: {path}")
    size = p.stat().st_size
    if size == 0:
        raise UserError(f"{field}: {path} is empty (0 bytes); expected {KINDS}")
    if size > MAX_BYTES:
        raise UserError(
            f"{field}: {path} is {size / 2**20:.0f} MiB; at most {MAX_BYTES // 2**20} MiB allowed"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise UserError(
                        f"{field}: {path} is {w}x{h} = {w * h / 1e6:.0f} megapixels; "
                        f"at most {MAX_PIXELS / 1e6:.0f} megapixels allowed"
                    )
                if w < min_side or h < min_side:
                    raise UserError(f"{field}: {path} is {w}x{h} pixels; at least {min_side}x{min_side} needed")
                im.load()
                has_alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
                im = _eight_bit(ImageOps.exif_transpose(im))
                return im.convert("RGBA" if has_alpha else "RGB")
    except UserError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        kind = "too large (decompression bomb)" if "bomb" in type(exc).__name__.lower() else "not an image"
        raise UserError(f"{field}: {path} is {kind}; expected {KINDS}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UserError(f"{field}: {path} is corrupt or truncated ({exc.__class__.__name__})") from None


def split_alpha(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(RGB composited on white, alpha or None when nothing is cut out) of an HxWx4 uint8 array."""
    alpha = arr[..., 3]
    if alpha.min() >= OPAQUE:
        return np.ascontiguousarray(arr[..., :3]), None
    a = alpha[..., None].astype(np.float32) / 255.0
    rgb = np.rint(arr[..., :3] * a + 255.0 * (1.0 - a)).astype(np.uint8)
    return rgb, np.ascontiguousarray(alpha)


def cutout(alpha: np.ndarray) -> np.ndarray:
    """The cut-out mask of an alpha channel (bool HxW)."""
    return np.asarray(alpha) >= ALPHA_CUT


def check_content(rgb: np.ndarray, alpha: np.ndarray | None, path) -> None:
    """UserError for a photo with nothing to read: fully transparent, or a single colour."""
    if alpha is not None and cutout(alpha).mean() < 0.002:
        raise UserError(f"image: {path} is fully transparent; expected a photo or cut-out of a garment")
    if alpha is None and int(np.ptp(rgb.reshape(-1, 3), axis=0).max()) < BLANK_RANGE:
        raise UserError(f"image: {path} is blank (a single colour); expected a photo of a garment")


def load_rgba(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray | None]:
    """A photo: (HxWx3 uint8 RGB, HxW uint8 alpha or None when nothing is transparent).

    Refuses files that are not images (see ``load_image``) and images with nothing in them."""
    im = load_image(path)
    arr = np.asarray(im)
    rgb, alpha = split_alpha(arr) if im.mode == "RGBA" else (np.ascontiguousarray(arr), None)
    check_content(rgb, alpha, path)
    return rgb, alpha


def as_rgb_array(image) -> tuple[np.ndarray, np.ndarray | None]:
    """Accept a path, PIL image or array; return (RGB uint8, alpha or None)."""
    if isinstance(image, str | os.PathLike):
        return load_rgba(image)
    arr = np.asarray(image)
    if arr.dtype == np.uint16:  # 16-bit: keep the top byte (clipping would read it all white)
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype != np.uint8:
        arr = np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    if arr.shape[2] == 4:
        return split_alpha(arr)
    return np.ascontiguousarray(arr[..., :3]), None
