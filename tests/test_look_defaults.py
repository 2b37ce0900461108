"""Every fabric's own colour stands apart from the mannequin's grey (needs bpy: blender.look)."""

import numpy as np
import pytest

pytest.importorskip("bpy")

from garment_addon.blender.look import FABRIC_SHADING  # noqa: E402
from garment_addon.blender.mannequin import SKIN  # noqa: E402


@pytest.mark.blender
def test_each_fabrics_own_colour_is_not_the_mannequins_grey():
    """A default hoodie (fleece) and tee (jersey) rendered in light greys a few per cent off the
    mannequin's: in the render the garment read as bare body. Each default now differs from the skin
    by a third of its value at least (linear RGB distance)."""
    skin = np.asarray(SKIN)
    for name, (rgb, *_) in FABRIC_SHADING.items():
        assert np.linalg.norm(np.asarray(rgb) - skin) > 0.33 * np.linalg.norm(skin), name
