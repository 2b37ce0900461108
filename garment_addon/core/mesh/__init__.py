"""Pattern pieces -> triangle meshes (pure numpy): see triangulate.py."""

from .triangulate import (
    DEFAULT_EDGE,
    GarmentMesh,
    PieceMesh,
    edge_length_stats,
    mesh_pattern,
    mesh_piece,
    resample,
    segment_counts,
)

__all__ = ["DEFAULT_EDGE", "GarmentMesh", "PieceMesh", "edge_length_stats", "mesh_pattern", "mesh_piece",
           "resample", "segment_counts"]
