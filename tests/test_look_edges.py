"""What a final render shows of the cloth's edges: the distances the shader draws seams and topstitching
from, the render-only thickness, the shadow settings (needs bpy)."""

import numpy as np
import pytest

bpy = pytest.importorskip("bpy")

from garment_addon.blender import pipeline as pl  # noqa: E402
from garment_addon.blender.look import CORNER_ATTRIBUTE, EDGE_ATTRIBUTES  # noqa: E402
from garment_addon.core.mesh import mesh_pattern  # noqa: E402
from garment_addon.core.pattern import draft_pattern  # noqa: E402
from garment_addon.core.spec import make_spec  # noqa: E402

pytestmark = pytest.mark.blender
SHIRT = {"garment_type": "shirt", "size": "M", "features": {"has_collar": True, "has_cuffs": True, "has_pockets": True}}


def _glb_json(path):
    import json
    import struct

    data = path.read_bytes()
    length, _ = struct.unpack("<I4s", data[12:20])
    return json.loads(data[20:20 + length])


def _piece(pattern, mesh, name):
    i = next(i for i, p in enumerate(pattern.pieces) if p.name == name)
    return mesh.pieces[i], slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))


def test_edge_distances_of_a_shirts_pocket_sleeve_and_front():
    """A patch pocket is sewn by no seam: its whole outline is unsewn (topstitched), each vertex's
    distance that to the pocket's outline on the flat piece; a sleeve sewn all round (armhole, cuff,
    its underarm) has no unsewn edge; a front's edge (the opening) and hem are unsewn, its side not."""
    from shapely.geometry import Point, Polygon

    pattern = draft_pattern(make_spec(SHIRT))
    mesh = mesh_pattern(pattern, pl.DRAPE_EDGE)
    edge, free = pl.edge_distances(mesh)
    pm, at = _piece(pattern, mesh, "chest_pocket")
    ring = Polygon(pm.verts[pm.boundary]).exterior
    want = np.array([ring.distance(Point(v)) for v in pm.verts])
    assert edge[at] == pytest.approx(want, abs=1e-6) and free[at] == pytest.approx(want, abs=1e-6)
    assert want.max() > 3.0  # the pocket has a middle
    _, at = _piece(pattern, mesh, "left_sleeve")
    assert (free[at] >= 1e3).all() and edge[at].max() > 10.0
    pm, at = _piece(pattern, mesh, "left_front")
    on_hem = pm.edge_verts["hem"]
    assert free[at][on_hem] == pytest.approx(0.0, abs=1e-9)
    # a vertex the sewing left out of a seam (the underarm) is a gap, not a hem: no stitched loop round it
    sewn = np.zeros(len(mesh.verts2d), bool)
    sewn[mesh.seam_pairs.ravel()] = True
    gap = [v for v in pm.boundary if not sewn[at.start + v] and free[at][v] > 5.0]
    assert gap and all(edge[at][v] == 0.0 for v in gap)
    side = [e for e in pm.edge_verts if "side" in e][0]
    inner = pm.edge_verts[side][1:-1]
    assert (free[at][inner] > 0.5).all() and edge[at][inner] == pytest.approx(0.0, abs=1e-9)


def test_a_dress_darts_corner_triangles_shade_by_their_distance_to_the_outline():
    """A triangle with all three corners on the outline (a dart's mouth: its leg and the waist seam
    meet square) has a per-vertex distance of 0 all over, and rendered as one dark patch: a 3 cm
    diamond on the waist seam at each of a dress's darts. Its corners carry the distance to its
    outline edges (pipeline.corner_distances): at its centroid what the shader takes is the true
    distance there, past the edge's dark band; every other triangle carries 0 (the per-vertex one)."""
    from shapely.geometry import Point, Polygon

    from garment_addon.blender.look import EDGE_CM
    from garment_addon.core.mesh.triangulate import face_edges

    pattern = draft_pattern(make_spec({"garment_type": "dress", "size": "M"}))
    mesh = mesh_pattern(pattern, pl.DRAPE_EDGE)
    edge, _ = pl.edge_distances(mesh)
    corner = pl.corner_distances(mesh.verts2d, mesh.faces, edge)
    assert corner.shape == (len(mesh.faces), 3, 3)
    on = edge[mesh.faces] < 1e-9
    ear = on.all(axis=1)
    assert (corner[on.sum(axis=1) < 2] == 0).all()
    pm, at = _piece(pattern, mesh, "front_bodice")
    ring = Polygon(pm.verts[pm.boundary]).exterior
    mine = np.nonzero(ear & (mesh.piece_of[mesh.faces[:, 0]] == mesh.piece_of[at.start]))[0]
    cen = mesh.verts2d[mesh.faces[mine]].mean(axis=1)
    darts = mine[cen[:, 1] < 1.5]  # at the waist seam, y = 0: the darts' mouths
    assert len(darts) >= 4
    for f, c in zip(darts, cen[cen[:, 1] < 1.5], strict=True):
        shown = max(edge[mesh.faces[f]].mean(), corner[f].mean(axis=0).min())  # linear: the centroid's
        assert shown > EDGE_CM and shown == pytest.approx(ring.distance(Point(c)), rel=0.02)
        # the triangle across its chord (the edge inside the piece) was dark along the chord too
        both = [(va, vb, np.nonzero((mesh.faces == va).any(axis=1) & (mesh.faces == vb).any(axis=1))[0])
                for va, vb in zip(mesh.faces[f], np.roll(mesh.faces[f], -1), strict=True)]
        va, vb, pair = next(x for x in both if len(x[2]) == 2)  # the chord: an edge of two triangles
        g = pair[pair != f][0]
        ja, jb = (list(mesh.faces[g]).index(v) for v in (va, vb))
        mid = 0.5 * (corner[g][ja] + corner[g][jb])  # the chord's middle, seen from the other triangle
        assert max(edge[va], edge[vb], mid.min()) > EDGE_CM
    # a strip two rows wide (a collar stand) lies on the outline all round: left per vertex (dark all over)
    shirt = draft_pattern(make_spec(SHIRT))
    mesh = mesh_pattern(shirt, pl.DRAPE_EDGE)
    corner = pl.corner_distances(mesh.verts2d, mesh.faces, pl.edge_distances(mesh)[0])
    _, at = _piece(shirt, mesh, "collar_stand")
    uniq, fe = face_edges(mesh.faces)
    one = (np.bincount(fe.ravel(), minlength=len(uniq)) == 1)[fe].sum(axis=1) == 1  # one outline edge
    edge = pl.edge_distances(mesh)[0]
    strip = (mesh.piece_of[mesh.faces[:, 0]] == mesh.piece_of[at.start]) & (edge[mesh.faces] < 1e-9).all(axis=1) & one
    assert strip.sum() >= 25 and (corner[strip] == 0).all()


def test_edges_are_drawn_while_rendering_and_taken_out_afterwards(tmp_path):
    """While a final render runs the fabric material draws its edges and topstitching from the
    garment's attributes (through its texture, if any); afterwards it is the plain Principled BSDF
    again, the glb's garment keeping its colour (a linked Base Color exported none)."""
    from PIL import Image

    from garment_addon.blender.look import Look, fabric_material, render_edges

    bpy.ops.wm.read_factory_settings(use_empty=True)
    Image.new("RGB", (4, 4), (200, 10, 10)).save(tmp_path / "t.png")
    me = bpy.data.meshes.new("G")
    me.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    g = bpy.data.objects.new("G", me)
    for look in (Look(), Look(texture=str(tmp_path / "t.png"))):
        mat = fabric_material("denim", look)
        me.materials.clear()
        me.materials.append(mat)
        nodes, bsdf = mat.node_tree.nodes, mat.node_tree.nodes["Principled BSDF"]
        plain = {n.name for n in nodes}
        linked = bsdf.inputs["Base Color"].is_linked
        assert linked == bool(look.texture) and not any(n.type == "ATTRIBUTE" for n in nodes)
        with render_edges([g]):
            names = {n.attribute_name for n in nodes if n.type == "ATTRIBUTE"}
            assert names == {*EDGE_ATTRIBUTES, CORNER_ATTRIBUTE}
            assert bsdf.inputs["Base Color"].is_linked and bsdf.inputs["Normal"].is_linked
            if look.texture:
                assert any(n.type == "TEX_IMAGE" and n.outputs["Color"].is_linked for n in nodes)
        assert {n.name for n in nodes} == plain and not bsdf.inputs["Normal"].is_linked
        assert bsdf.inputs["Base Color"].is_linked == linked
        if look.texture:
            assert bsdf.inputs["Base Color"].links[0].from_node.type == "TEX_IMAGE"


def test_a_final_renders_shading_normals_do_not_face_away_from_the_camera():
    """While rendering, the fabric's shading normal is lifted toward the camera by what its cosine to it
    lacks of FACING_MIN (a silhouette's smooth normals face away from it, triangle by triangle, and the
    sheen drew a dotted light line down every side seam seen edge-on); evaluated here as the node tree
    computes it, for a normal 100 degrees off the view, one at grazing and one facing the camera."""
    from garment_addon.blender.look import FACING_MIN, Look, fabric_material, render_edges

    bpy.ops.wm.read_factory_settings(use_empty=True)
    mat = fabric_material("cotton_shirting", Look())
    me = bpy.data.meshes.new("G")
    me.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    me.materials.append(mat)
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    with render_edges([bpy.data.objects.new("G", me)]):
        socket = bsdf.inputs["Normal"].links[0].from_socket
        assert socket.node.type == "VECT_MATH" and socket.node.operation == "NORMALIZE"
        toward = np.array([0.0, -1.0, 0.0])
        for angle in (100.0, 90.0, 30.0):
            a = np.radians(angle)
            n = np.array([np.sin(a), -np.cos(a), 0.0])
            out = _evaluate(socket, n, toward)
            assert abs(np.linalg.norm(out) - 1) < 1e-6
            assert out @ toward > 0.75 * FACING_MIN  # normalised after the lift
            if angle == 30.0:
                assert np.allclose(out, n)


def _evaluate(socket, normal, toward):
    """The vector a (small) tree of vector math and math nodes gives at ``socket``, with the Bump's
    normal and the Geometry's Incoming given."""
    node = socket.node
    if node.type == "BUMP":
        return normal
    if node.type == "NEW_GEOMETRY":
        return toward

    def value(i):
        sock = node.inputs[i]
        return _evaluate(sock.links[0].from_socket, normal, toward) if sock.is_linked else sock.default_value

    if node.type == "VECT_MATH":
        op, a = node.operation, np.asarray(value(0), float)
        return {"NORMALIZE": lambda: a / np.linalg.norm(a), "ADD": lambda: a + np.asarray(value(1), float),
                "DOT_PRODUCT": lambda: float(a @ np.asarray(value(1), float)),
                "SCALE": lambda: a * float(value("Scale"))}[op]()
    a, b = float(value(0)), float(value(1))
    return {"SUBTRACT": a - b, "MAXIMUM": max(a, b)}[node.operation]


def test_final_render_thickens_the_cloth_in_the_render_only(tmp_path, monkeypatch):
    """A final render gives the garment a little thickness (a Solidify before its smoothing), shown
    while it renders and gone afterwards; a preview keeps the sheet; the glb written afterwards has
    the same vertices as before and no attribute of the render's."""
    from garment_addon.blender import render as rd
    from garment_addon.blender.look import RENDER_THICKNESS, RENDER_THICKNESS_MM

    bpy.ops.wm.read_factory_settings(use_empty=True)
    r = pl.build_scene(draft_pattern(make_spec(SHIRT)), "wrap")
    assert {a.name for a in r.garment.data.attributes} >= set(EDGE_ATTRIBUTES)
    corner = r.garment.data.attributes[CORNER_ATTRIBUTE]  # kept through the weld, per face corner
    vec = np.zeros(3 * len(corner.data))
    corner.data.foreach_get("vector", vec)
    assert corner.domain == "CORNER" and (vec > 0).any()
    seen = []

    def fake_render(scene, path, profile, size):
        mods = [(m.type, m.name, m.show_render, m.show_viewport, getattr(m, "thickness", None),
                 getattr(m, "use_even_offset", None), getattr(m, "use_rim", None)) for m in r.garment.modifiers]
        seen.append((profile, mods))
        from PIL import Image

        Image.new("RGB", (size, size)).save(path)
        return 0.0

    monkeypatch.setattr(rd, "render_rgb", fake_render)
    pl.export_garment(r, tmp_path / "before.glb", include_mannequin=False)
    for profile in ("final", "preview"):
        pl.render_scene(r, tmp_path / f"{profile}.png", profile=profile, size=32)
    (_, final), (_, preview) = seen
    assert final[-1][:4] == ("SOLIDIFY", RENDER_THICKNESS, True, False)
    assert final[-1][4] == pytest.approx(RENDER_THICKNESS_MM / 1000.0)
    assert final[-1][5] is False  # even offset threw spikes at a folded cuff
    assert final[-1][6] is False  # a smooth-shaded rim drew a sawtooth along every edge
    assert final[-2][0] == "SUBSURF"  # thickened after the smoothing: stitch lines stay straight
    assert all(m[0] != "SOLIDIFY" for m in preview)
    assert all(m.type != "SOLIDIFY" for m in r.garment.modifiers)
    pl.export_garment(r, tmp_path / "after.glb", include_mannequin=False)
    assert (tmp_path / "after.glb").read_bytes() == (tmp_path / "before.glb").read_bytes()
    assert b"gs_edge" not in (tmp_path / "after.glb").read_bytes()
    assert CORNER_ATTRIBUTE.encode() not in (tmp_path / "after.glb").read_bytes()
    gl = _glb_json(tmp_path / "after.glb")
    fabric = next(m for m in gl["materials"] if m["name"].startswith("GS_Fabric"))
    assert len(fabric["pbrMetallicRoughness"]["baseColorFactor"]) == 4  # the cloth's colour


def test_final_profile_shadows_are_jittered_and_unfiltered():
    """The final profile sets the studio's shadow settings on the lights it renders, those of an
    assembly saved before too (its key light filtered 3 texels): filtering drew a hairy black line
    where an edge lies a few mm over the cloth or skin under it (a shirt's front edge, a pocket's)."""
    from garment_addon.blender import render as rd
    from garment_addon.blender.scene import LIGHT_SHADOWS

    scene = bpy.data.scenes.new("GS_Test_Shadows")
    light = bpy.data.lights.new("GS_Test_Key", "AREA")
    light.shadow_filter_radius, light.use_shadow_jitter = 3.0, False
    obj = bpy.data.objects.new("GS_Test_Key", light)
    scene.collection.objects.link(obj)
    try:
        rd.configure_eevee(scene, "final")
        assert LIGHT_SHADOWS["shadow_filter_radius"] == 0.0 and LIGHT_SHADOWS["use_shadow_jitter"]
        assert light.shadow_filter_radius == 0.0 and light.use_shadow_jitter
    finally:
        bpy.data.objects.remove(obj)
        bpy.data.lights.remove(light)
        bpy.data.scenes.remove(scene)


def test_final_profile_traces_each_jittered_shadow_over_little_of_the_light():
    """Each jittered sample's shadow is traced over less of the light than Blender's 10 % (which stippled
    the edge of the shadow a fold's crest casts into its trough), on an assembly's older lights too; not
    0 (the shadow maps broke into large dark triangles)."""
    from garment_addon.blender import render as rd

    scene = bpy.data.scenes.new("GS_Test_Overblur")
    light = bpy.data.lights.new("GS_Test_Key", "AREA")
    assert light.shadow_jitter_overblur == 10.0  # an assembly's light made before
    obj = bpy.data.objects.new("GS_Test_Key", light)
    scene.collection.objects.link(obj)
    try:
        rd.configure_eevee(scene, "final")
        assert 0.0 < light.shadow_jitter_overblur < 10.0
    finally:
        bpy.data.objects.remove(obj)
        bpy.data.lights.remove(light)
        bpy.data.scenes.remove(scene)


def _stitch_lines(mat) -> list[float]:
    """cm in from the unsewn edge of each stitch line the material draws while rendering."""
    return sorted(n.inputs[1].default_value for n in mat.node_tree.nodes
                  if n.type == "MATH" and n.operation == "SUBTRACT" and n.inputs[0].is_linked
                  and n.inputs[0].links[0].from_node.type == "ATTRIBUTE")


def test_a_knits_hems_are_coverstitched_and_its_rib_bands_not_stitched():
    """A hoodie (jersey) is sewn as knits are: two parallel lines in from its hems (a twin needle over
    a turned hem), nothing on its rib cuffs and hem band (their folded edge is not sewn down); a woven
    shirt keeps one topstitch line by its edges. Was: every garment one woven line, round the ribs too."""
    from garment_addon.blender.look import COVERSTITCH_CM, STITCH_CM, render_edges

    bpy.ops.wm.read_factory_settings(use_empty=True)
    pattern = draft_pattern(make_spec({"garment_type": "hoodie", "size": "M"}))
    mesh = mesh_pattern(pattern, pl.DRAPE_EDGE)
    flat = np.column_stack([mesh.verts2d, np.zeros(len(mesh.verts2d))])
    obj, _ = pl._make_garment(pattern, mesh, flat, with_seams=False)  # unwelded: mesh's vertex order
    free = np.zeros(len(obj.data.vertices))
    obj.data.attributes[EDGE_ATTRIBUTES[1]].data.foreach_get("value", free)
    for name in ("left_cuff", "hem_band"):
        _, at = _piece(pattern, mesh, name)
        assert (free[at] >= 1e3).all()
    for name in ("kangaroo_pocket", "hood_left"):  # the pocket's edges and the face opening are stitched
        _, at = _piece(pattern, mesh, name)
        assert free[at].min() == pytest.approx(0.0, abs=1e-9)
    hoodie = pl.build_scene(pattern, "wrap")
    assert hoodie.metrics["fabric"] in ("jersey", "fleece")
    mat = hoodie.garment.data.materials[0]
    with render_edges([hoodie.garment]):
        assert _stitch_lines(mat) == pytest.approx(sorted(COVERSTITCH_CM))
    assert not _stitch_lines(mat)
    shirt = pl.build_scene(draft_pattern(make_spec(SHIRT)), "wrap")
    with render_edges([shirt.garment]):
        assert _stitch_lines(shirt.garment.data.materials[0]) == pytest.approx([STITCH_CM])


def test_an_outfits_garments_keep_their_own_colours():
    """A red shirt under a navy jacket stays red: each garment type has its own fabric material (one
    shared material took the last garment's colour for every layer)."""
    from garment_addon.blender.look import parse_color

    def spec(kind, color):
        return draft_pattern(make_spec({"garment_type": kind, "size": "M", "features": {"color": color}}))

    bpy.ops.wm.read_factory_settings(use_empty=True)
    pl.build_scene(spec("shirt", "#aa2222"), "wrap")
    pl.build_scene(spec("jacket", "#223355"), "wrap", layer=True)
    colours = {}
    for g in pl.worn_garments():
        mat = g.data.materials[0]
        colours[g[pl.LAYER_KEY]] = tuple(mat.node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value)[:3]
    assert colours["shirt"] == pytest.approx(parse_color("#aa2222"), abs=1e-5)
    assert colours["jacket"] == pytest.approx(parse_color("#223355"), abs=1e-5)


def test_a_sewn_fisheye_dart_shows_as_a_seam():
    """A fitted shirt's fish-eye darts, cut out of the mesh and sewn leg to leg, are drawn as the seam
    they are sewn into: the edge shade runs down both legs (distance 0 there, growing away from the
    hole as from the outline), with no topstitching (it is sewn, not a hem). Was: the shade ran round
    the outline only and a sewn dart left no line."""
    pattern = draft_pattern(make_spec({"garment_type": "shirt", "size": "M", "features": {"fit": "fitted"}}))
    mesh = mesh_pattern(pattern, pl.DRAPE_EDGE)
    edge, free = pl.edge_distances(mesh)
    pm, at = _piece(pattern, mesh, "front_bodice")
    legs = pm.dart_pairs.ravel()
    assert len(legs) > 8
    assert edge[at][legs] == pytest.approx(0.0, abs=1e-9) and (free[at][legs] > 1.0).all()
    beside = np.linalg.norm(pm.verts[:, None] - pm.verts[legs][None], axis=2).min(axis=1)
    near = (beside > 0.5) & (beside < 1.5)
    assert near.any() and (edge[at][near] <= beside[near] + 1e-9).all()


def test_each_final_render_compiles_its_materials_shaders_anew():
    """While a final render runs, the fabric's and the mannequin's materials read an attribute of a name
    no earlier render used (Eevee on llvmpipe ran shaders compiled by an earlier render ~1.3x slower),
    times 0 onto their own roughness; afterwards they are as they were."""
    from types import SimpleNamespace

    from garment_addon.blender.look import NONCE_ATTRIBUTE, Look, fabric_material
    from garment_addon.blender.scene import material

    bpy.ops.wm.read_factory_settings(use_empty=True)
    objs = []
    for name, mat in (("G", fabric_material("denim", Look())), ("M", material("GS_Mannequin", (0.5, 0.5, 0.5)))):
        me = bpy.data.meshes.new(name)
        me.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
        me.materials.append(mat)
        objs.append(bpy.data.objects.new(name, me))
    mats = [o.data.materials[0] for o in objs]

    def state():
        out = []
        for m in mats:
            rough = m.node_tree.nodes["Principled BSDF"].inputs["Roughness"]
            out.append(({n.name for n in m.node_tree.nodes}, rough.is_linked, rough.default_value))
        return out

    result = SimpleNamespace(layers=[], garment=objs[0], mannequin=objs[1], metrics={})
    before, seen = state(), set()
    with pl._fresh_shaders(result, "preview"):
        assert state() == before
    for i in range(2):  # two renders, or two views of one
        with pl._fresh_shaders(result, "final"):
            for m in mats:
                rough = m.node_tree.nodes["Principled BSDF"].inputs["Roughness"]
                add = rough.links[0].from_node
                attr = add.inputs[0].links[0].from_node
                assert attr.attribute_name.startswith(NONCE_ATTRIBUTE) and add.inputs[1].default_value == 0.0
                assert add.inputs[2].default_value == pytest.approx(rough.default_value)
                seen.add(attr.attribute_name)
        assert len(seen) == 1 + i  # one name per render, shared by its materials
    assert state() == before and not before[0][1]
