"""Every operator leaves the user's scene as it found it: render settings, colour management, world,
active camera, collections, timeline, selection (a before/after snapshot around each one); and the
3D side's outfit, garment-only and FBX options."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.blender, pytest.mark.slow, pytest.mark.xdist_group("scene_hygiene")]  # one add-on

bpy = pytest.importorskip("bpy")

from tests.test_extension_draft import registered_addon  # noqa: E402

TAG = "garment_studio"


@pytest.fixture(scope="module")
def addon():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    yield from registered_addon()


def user_scene(scene) -> None:
    """A scene a user has set up: not the factory settings anywhere we might touch."""
    r = scene.render
    r.resolution_x, r.resolution_y, r.resolution_percentage = 1920, 1080, 50
    r.filepath = "//renders/shot_"
    r.use_compositing, r.film_transparent = True, True
    r.image_settings.file_format = "OPEN_EXR"
    vs = scene.view_settings
    vs.view_transform, vs.exposure, vs.gamma = "Filmic", 0.7, 1.2
    world = bpy.data.worlds.new("User World")
    if world.node_tree is None:  # Blender < 5 makes node-less worlds; 5.x deprecates use_nodes
        world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.1, 0.2, 0.3, 1.0)
    world.node_tree.nodes["Background"].inputs["Strength"].default_value = 2.5
    scene.world = world
    props = bpy.data.collections.new("Props")
    scene.collection.children.link(props)
    cam = bpy.data.objects.new("User Camera", bpy.data.cameras.new("User Camera"))
    cube = bpy.data.objects.new("User Cube", bpy.data.meshes.new("User Cube"))
    for o in (cam, cube):
        props.objects.link(o)
    scene.camera = cam
    scene.frame_start, scene.frame_end = 10, 77
    scene.frame_set(23)
    cube.select_set(True)
    bpy.context.view_layer.objects.active = cube


def snapshot(scene) -> dict:
    r, vs = scene.render, scene.view_settings
    bg = scene.world.node_tree.nodes["Background"] if scene.world else None
    layer = bpy.context.view_layer
    return {
        "render": (r.engine, r.resolution_x, r.resolution_y, r.resolution_percentage, r.filepath,
                   r.use_compositing, r.use_sequencer, r.film_transparent, r.image_settings.file_format,
                   r.image_settings.color_mode, r.fps, scene.eevee.taa_render_samples),
        "colour": (vs.view_transform, vs.look, round(vs.exposure, 4), round(vs.gamma, 4),
                   scene.display_settings.display_device),
        "camera": scene.camera.name if scene.camera else None,
        "world": (scene.world.name, tuple(bg.inputs["Color"].default_value), bg.inputs["Strength"].default_value)
        if scene.world else None,
        "collections": sorted(c.name for c in scene.collection.children if c.name != "Garment"),
        "objects": sorted((o.name, o.hide_render, o.hide_viewport, tuple(o.location))
                          for o in scene.objects if TAG not in o),
        "timeline": (scene.frame_start, scene.frame_end, scene.frame_current, tuple(scene.gravity)),
        "selection": (sorted(o.name for o in layer.objects if o.select_get() and TAG not in o),
                      layer.objects.active.name if layer.objects.active else None),
        "scenes": sorted(s.name for s in bpy.data.scenes),
        "worlds": sorted(w.name for w in bpy.data.worlds),
    }


def test_every_operator_leaves_the_users_scene_as_it_was(addon, tmp_path):
    scene = bpy.context.scene
    user_scene(scene)
    addon.garment_type = "skirt"
    addon.render.size = 32
    before = snapshot(scene)
    calls = [
        ("draft_pattern", {}),
        ("assemble", {"method": "WRAP"}),
        ("render_preview", {"profile": "preview"}),
        ("render_preview", {"profile": "final"}),
        ("export_garment", {"filepath": str(tmp_path / "g.glb")}),
        ("export_garment", {"filepath": str(tmp_path / "g.fbx"), "garment_only": True}),
        ("export_pattern", {"filepath": str(tmp_path / "p.svg")}),
        ("check_seams", {}),
        ("save_spec", {"filepath": str(tmp_path / "s.json")}),
        ("assemble", {"method": "DRAPE"}),
        ("render_preview", {"profile": "preview"}),
    ]
    for name, kwargs in calls:
        assert getattr(bpy.ops.garment, name)(**kwargs) == {"FINISHED"}, name
        after = snapshot(scene)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert not changed, f"{name} changed the user's scene: {changed}"


def test_a_second_garment_layers_over_the_first(addon):
    from garment_addon.blender.pipeline import worn_garments
    from garment_addon.core.assembly.quality import self_crossings
    from garment_addon.ui import operators

    addon.imported_pattern = ""
    addon.cloth.layer = False
    addon.garment_type = "shirt"
    assert bpy.ops.garment.assemble(method="WRAP") == {"FINISHED"}
    shirt = operators.current_result(bpy.context).garment
    addon.cloth.layer = True
    addon.garment_type = "jacket"
    try:
        assert bpy.ops.garment.assemble(method="WRAP") == {"FINISHED"}
    finally:
        addon.cloth.layer = False
    result = operators.current_result(bpy.context)
    worn = worn_garments()
    assert [g["garment_studio_type"] for g in worn] == ["shirt", "jacket"]
    assert result.layers == [shirt] and shirt.name in bpy.data.objects
    # the jacket sits outside the shirt: no jacket edge passes through the shirt
    import numpy as np

    from garment_addon.blender.pipeline import _mesh_arrays

    vs, fs = _mesh_arrays(shirt)
    vj, fj = _mesh_arrays(result.garment)
    both_v, both_f = np.concatenate([vs, vj]), np.concatenate([fs, fj + len(vs)])
    alone = self_crossings(vs, fs) + self_crossings(vj, fj)
    assert self_crossings(both_v, both_f) - alone <= 0.01 * len(fj)


def test_fbx_arrives_with_identity_transforms_in_metres(addon, tmp_path):
    from io_scene_fbx import parse_fbx

    addon.garment_type = "skirt"
    assert bpy.ops.garment.assemble(method="WRAP") == {"FINISHED"}
    path = tmp_path / "g.fbx"
    assert bpy.ops.garment.export_garment(filepath=str(path)) == {"FINISHED"}
    root, _ = parse_fbx.parse(str(path))
    models = [c for c in next(e for e in root.elems if e.id == b"Objects").elems if c.id == b"Model"]
    assert len(models) >= 2

    def prop(model, name):
        props = next(e for e in model.elems if e.id == b"Properties70")
        p = next((e for e in props.elems if e.props[0] == name), None)
        return tuple(p.props[4:7]) if p is not None else None

    for m in models:
        assert prop(m, b"Lcl Rotation") in (None, (0.0, 0.0, 0.0))
        assert prop(m, b"Lcl Scaling") in (None, (1.0, 1.0, 1.0))
    settings = next(e for e in root.elems if e.id == b"GlobalSettings")
    props = next(e for e in settings.elems if e.id == b"Properties70")
    unit = next(e for e in props.elems if e.props[0] == b"UnitScaleFactor").props[4]
    assert unit == pytest.approx(100.0)  # centimetres per unit: one engine unit is a metre
