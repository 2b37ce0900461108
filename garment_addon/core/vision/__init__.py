"""Photo -> GarmentSpec: offline analyzer (OpenCV/scikit-image, MediaPipe when installed) or a VLM."""

from __future__ import annotations


def analyze_image(path, backend: str = "offline", progress=None, client=None):
    """See analyze.analyze_image (imported lazily: cv2 loads only when a photo is analysed)."""
    from .analyze import analyze_image as _analyze

    return _analyze(path, backend=backend, progress=progress, client=client)


def analyze_photo(path, backend: str = "offline", progress=None, client=None, **options):
    """(spec, photo masks or None); see analyze.analyze_photo (options: garment_type, decoded)."""
    from .analyze import analyze_photo as _analyze

    return _analyze(path, backend=backend, progress=progress, client=client, **options)


def segment_garment(image, garment_type=None):
    """(garment_mask, person_mask) of a photo or array; see analyze.segment_garment."""
    from .analyze import segment_garment as _seg

    return _seg(image, garment_type)


def photo_masks(image, garment_type=None, decoded=None):
    """(garment_mask, person_mask, worn) of a photo or array; see analyze.photo_masks."""
    from .analyze import photo_masks as _masks

    return _masks(image, garment_type, decoded)


__all__ = ["analyze_image", "analyze_photo", "photo_masks", "segment_garment"]
