"""Safe image loading: every bad file becomes a one-line UserError before any work is done."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from .errors import UserError

MAX_PIXELS = 50_000_000  # larger images are refused (decompression bombs look like this)
MAX_BYTES = 200 * 1024 * 1024


def load_image(path: str | os.PathLike, field: str = "image"):
    """A PIL RGB or RGBA image, or UserError naming the file and the problem."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if p.is_dir():
        raise UserError(f"{field}: {path} is a folder; expected a PNG, JPEG, WebP, BMP or TIFF image file")
    if not p.is_file():
        raise UserError(f"{field}: file not found: {path}")
    size = p.stat().st_size
    if size == 0:
        raise UserError(f"{field}: {path} is empty (0 bytes); expected a PNG, JPEG, WebP, BMP or TIFF image")
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
                if w < 16 or h < 16:
                    raise UserError(f"{field}: {path} is {w}x{h}; at least 16x16 pixels needed")
                im.load()
                mode = "RGBA" if (im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info) else "RGB"
                return im.convert(mode)
    except UserError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        kind = "too large (decompression bomb)" if "bomb" in type(exc).__name__.lower() else "not an image"
        raise UserError(f"{field}: {path} is {kind}; expected a PNG, JPEG, WebP, BMP or TIFF image") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise UserError(f"{field}: {path} is corrupt or truncated ({exc.__class__.__name__})") from None


def load_rgba(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray | None]:
    """(HxWx3 uint8 RGB, HxW uint8 alpha or None when the image has no transparency)."""
    im = load_image(path)
    arr = np.asarray(im)
    if im.mode == "RGBA":
        alpha = arr[..., 3]
        return np.ascontiguousarray(arr[..., :3]), (alpha if alpha.min() < 250 else None)
    return np.ascontiguousarray(arr), None


def as_rgb_array(image) -> tuple[np.ndarray, np.ndarray | None]:
    """Accept a path, PIL image or array; return (RGB uint8, alpha or None)."""
    if isinstance(image, str | os.PathLike):
        return load_rgba(image)
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    if arr.shape[2] == 4:
        alpha = arr[..., 3]
        return np.ascontiguousarray(arr[..., :3]), (alpha if alpha.min() < 250 else None)
    return np.ascontiguousarray(arr[..., :3]), None
