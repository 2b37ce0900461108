"""Garment assembly in numpy: wrap pieces around the mannequin, snap seams, metrics."""

from .wrap import OFFSET, assembly_metrics, finish, relax, smooth_noise, snap_seams, wrap

__all__ = ["OFFSET", "assembly_metrics", "finish", "relax", "smooth_noise", "snap_seams", "wrap"]
