"""Where buttons sit on a placed garment (core.assembly.trims): on top of what buttons over them,
left out under cloth without buttonholes."""

from types import SimpleNamespace

import numpy as np
import pytest

from garment_addon.core.assembly.trims import CLEAR_CM, button_diameter, button_places


def _square(name, z, markings, offset):
    """A flat 10 x 10 cm piece (two triangles, CCW: normal +z) lying at height z."""
    verts = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    piece = SimpleNamespace(name=name, verts=verts, faces=np.array([[0, 1, 2], [0, 2, 3]]))
    pos = np.column_stack([verts, np.full(4, z)])
    return piece, pos, SimpleNamespace(name=name, markings=markings)


def _stack(over_marks):
    """A piece with a button at (5, 5) and another piece 0.5 cm over it carrying ``over_marks``."""
    a, pa, qa = _square("left_front", 0.0, [{"kind": "button", "points": [[5.0, 5.0]], "text": "button 1.2 cm"}], 0)
    b, pb, qb = _square("over", 0.5, over_marks, 4)
    mesh = SimpleNamespace(pieces=[a, b], offsets=[0, 4], piece_of=np.repeat([0, 1], 4),
                           faces=np.vstack([a.faces, b.faces + 4]), uv=np.vstack([a.verts, b.verts]) / 10.0)
    pattern = SimpleNamespace(piece={"left_front": qa, "over": qb}.__getitem__)
    return pattern, mesh, np.vstack([pa, pb])


def test_a_button_sits_on_the_layer_buttoned_over_it():
    buttons = button_places(*_stack([{"kind": "buttonhole", "points": [[5.0, 4.0], [5.0, 6.0]]}]))
    assert len(buttons) == 1
    b = buttons[0]
    assert b.piece == "left_front" and b.diameter == 1.2
    np.testing.assert_allclose(b.normal, [0.0, 0.0, 1.0], atol=1e-9)
    np.testing.assert_allclose(b.center, [5.0, 5.0, 0.5 + CLEAR_CM], atol=1e-9)
    np.testing.assert_allclose(b.uv, [0.5, 0.5], atol=1e-9)


def test_a_button_under_cloth_without_buttonholes_is_hidden():
    assert button_places(*_stack([])) == []


def test_a_marking_for_the_other_front_is_left_out():
    pattern, mesh, pos = _stack([{"kind": "buttonhole", "points": [[5.0, 4.0], [5.0, 6.0]]}])
    pattern.piece("left_front").markings[0]["text"] = "button 1.2 cm: right front"
    assert button_places(pattern, mesh, pos) == []


def test_button_diameter_from_the_label():
    assert button_diameter("button 2 cm: left front") == 2.0
    assert button_diameter("button 1.1 cm") == 1.1
    assert button_diameter("button") == pytest.approx(1.5)


@pytest.mark.parametrize(("preset", "under", "upper"), [("female", "left", "right"), ("male", "right", "left")])
def test_a_jackets_buttons_go_on_the_under_front_and_show_on_the_cloth_over_them(preset, under, upper):
    """Printed once for both fronts, the buttons go on the under front only (women's right over left,
    men's left over right) and each shows just outside the outermost front over it as wrapped."""
    from garment_addon.core.assembly.trims import _ray_hits
    from garment_addon.core.assembly.wrap import wrap
    from garment_addon.core.body.makehuman import attach_human
    from garment_addon.core.body.mannequin import body_for_pattern
    from garment_addon.core.mesh import mesh_pattern
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import make_spec

    pattern = draft_pattern(make_spec({"garment_type": "jacket", "metadata": {"body_preset": preset}}))
    marks = pattern.piece("left_front").markings
    assert {m["text"] for m in marks if m["kind"] == "button"} == {f"button 2 cm: {under} front"}
    assert {m["text"] for m in marks if m["kind"] == "buttonhole"} == {f"buttonhole: {upper} front"}
    mesh = mesh_pattern(pattern, 1.5)
    body = body_for_pattern(pattern)
    attach_human(body)
    pos = wrap(pattern, mesh, body)
    buttons = button_places(pattern, mesh, pos)
    assert len(buttons) == sum(m["kind"] == "button" for m in marks) >= 2
    fronts = [mesh.index("left_front"), mesh.index("right_front")]
    faces = mesh.faces[np.isin(mesh.piece_of[mesh.faces[:, 0]], fronts)]
    for b in buttons:
        assert b.piece == f"{under}_front" and b.diameter == 2.0
        assert b.normal[1] < -0.8  # out of the front of the body (-y)
        t, _ = _ray_hits(b.center - 3.0 * b.normal, b.normal, pos[faces])
        assert len(t) >= 2 and 0.0 < 3.0 - t.max() < 0.5  # both fronts under it, the button just over them


def test_a_button_crossing_a_fold_that_stands_beside_it_is_left_out():
    """A fold standing edge-on beside a button (no ray along its normal meets it, no vertex of it over
    the disc) still runs through the disc's rim: the button goes out in steps and, still crossing
    1 cm out, is left out; with the fold lower it sits over it."""
    a, pa, qa = _square("left_front", 0.0, [{"kind": "button", "points": [[5.0, 5.0]], "text": "button 1.2 cm"}], 0)

    def with_wall(top):
        wall = SimpleNamespace(name="wall", verts=np.array([[0.0, 0.0], [20.0, 0.0], [10.0, 5.0]]),
                               faces=np.array([[0, 1, 2]]))
        pw = np.array([[5.4, -5.0, -1.0], [5.4, 15.0, -1.0], [5.4, 5.0, top]])
        mesh = SimpleNamespace(pieces=[a, wall], offsets=[0, 4], piece_of=np.repeat([0, 1], [4, 3]),
                               faces=np.vstack([a.faces, wall.faces + 4]), uv=np.zeros((7, 2)))
        qw = SimpleNamespace(name="wall", markings=[])
        pattern = SimpleNamespace(piece={"left_front": qa, "wall": qw}.__getitem__)
        return button_places(pattern, mesh, np.vstack([pa, pw]))

    assert with_wall(3.5) == []
    low = with_wall(-0.5)  # the wall stays under the cloth: nothing to clear
    assert len(low) == 1 and low[0].center[2] == pytest.approx(CLEAR_CM)
