"""Springs across layers, as the drape's solver will make them: aimed before the mesh is handed over.

Blender's internal springs (the drape's closure of a buttoned stand: blender/drape._closure_springs)
join each vertex to a corner of the first triangle straight in along its normal. Which corner is up
to the triangle: Blender's cloth.cc (find_internal_spring_target_vertex) means to pick the one
nearest the hit, but measures the same length (start to hit) for all three, so it keeps the
triangle's first corner. Wherever the triangulation put that corner, a spring ran up to a mesh edge
(2 cm) sideways, up or down, and the two layers could slide along each other that far: the men's
button-down XL (its upper front the wearer's left) hung its centre front 4.0 cm above the side seams
with its fronts crossed between the buttons, the same shirt lapped the women's way -1.4 cm.
"""

from __future__ import annotations

import numpy as np

from .quality import segment_hits, vertex_normals


def aim_inward_springs(faces: np.ndarray, pos: np.ndarray, sources: np.ndarray, reach: float,
                       piece_of: np.ndarray) -> np.ndarray:
    """``faces`` with every triangle that an inward ray hits first (from a vertex of the mask
    ``sources``, against its vertex normal, within ``reach``) turned so its first corner is the one
    nearest the hit, where that triangle is another piece's within ``sources`` (the other layer of a
    closure; a ray from a jacket's stand into its own lapel or the collar is left as it was: aimed
    there too, the collar's end was held into the lapel, 4 crossings at jacket M). Only the order of
    corners changes: the same triangles, wound the same way."""
    faces = np.array(faces, np.int64)
    src = np.nonzero(sources)[0]
    if not len(src) or not len(faces):
        return faces
    pos = np.asarray(pos, float)
    origin, direction = pos[src], -vertex_normals(pos, faces)[src]
    ray, face, t = segment_hits(origin, origin + reach * direction, pos, faces, reach / 2)
    keep = ~(faces[face] == src[ray][:, None]).any(axis=1) & (t > 0)  # not a triangle of its own
    ray, face, t = ray[keep], face[keep], t[keep] * reach
    if not len(ray):  # no other layer within reach (the overalls' buttoned band)
        return faces
    first = np.lexsort((t, ray))  # nearest hit per ray first
    ray, face, t = ray[first], face[first], t[first]
    lead = np.r_[True, ray[1:] != ray[:-1]]
    ray, face, t = ray[lead], face[lead], t[lead]
    other = np.asarray(sources, bool)[faces[face]].all(axis=1) & (piece_of[faces[face, 0]] != piece_of[src[ray]])
    ray, face, t = ray[other], face[other], t[other]
    at = origin[ray] + t[:, None] * direction[ray]
    corner = np.linalg.norm(pos[faces[face]] - at[:, None], axis=-1).argmin(axis=1)
    faces[face] = np.take_along_axis(faces[face], (corner[:, None] + np.arange(3)) % 3, axis=1)
    return faces

