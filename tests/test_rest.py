"""The drape's rest shape (core.assembly.rest): the cloth starts with every edge at its cut length."""

import numpy as np
import pytest

from garment_addon.core.assembly import wrap
from garment_addon.core.assembly.rest import length_error, rest_shape
from garment_addon.core.body import body_for_spec
from garment_addon.core.mesh import mesh_pattern
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.spec import make_spec


@pytest.mark.parametrize("spec", [{"garment_type": "hoodie"}, {"garment_type": "dress", "measurements": {"flare": 40}},
                                  {"garment_type": "jumpsuit"}], ids=["hoodie", "dress_flared", "jumpsuit"])
def test_the_drape_starts_with_its_edges_at_their_cut_lengths(spec):
    spec = make_spec(spec)
    pattern = draft_pattern(spec)
    mesh = mesh_pattern(pattern, 2.0)  # the drape's mesh
    pos = wrap(pattern, mesh, body_for_spec(spec))
    edges = mesh.edges()
    wrapped = length_error(pos, mesh.verts2d, edges)
    # the wrap stretches a piece one way and squeezes it the other: no per-vertex scale of it (the
    # drape's rest lengths before) gives each edge its cut length, and the cloth settled 5-7 % stretched
    assert np.abs(wrapped).mean() > 0.04 and (wrapped > 0.05).any() and (wrapped < -0.05).any()
    held = mesh.piece_of == 0
    rest = rest_shape(pos, mesh.verts2d, edges, held=held)
    free = ~held[edges[:, 0]]
    assert np.abs(length_error(rest, mesh.verts2d, edges))[free].mean() < 0.015
    assert np.array_equal(rest[held], pos[held])  # pinned cloth stays where the wrap put it
    assert np.linalg.norm(rest - pos, axis=1).max() < 10.0  # near the wrap: its curvature, not the flat pattern's
