"""bpy glue: the ``Garment`` collection, mesh objects from numpy arrays, materials, camera, lights.

Blender works in metres (cloth gravity and collision distances assume it); the core works in cm.
"""

from __future__ import annotations

import colorsys

import bpy
import numpy as np

COLLECTION = "Garment"
CM = 0.01  # metres per cm


def collection() -> bpy.types.Collection:
    """The ``Garment`` collection, linked to the scene (created on first use)."""
    col = bpy.data.collections.get(COLLECTION)
    if col is None:
        col = bpy.data.collections.new(COLLECTION)
    scene = bpy.context.scene
    if col.name not in scene.collection.children:
        scene.collection.children.link(col)
    return col


OWNER_KEY = "garment_studio"  # custom property on every object we create; the UI uses it too


def link(obj: bpy.types.Object) -> bpy.types.Object:
    """Put a new object of ours into the ``Garment`` collection, tagged so clear() knows it is ours."""
    obj[OWNER_KEY] = obj.get(OWNER_KEY, "pipeline")
    collection().objects.link(obj)
    return obj


def clear(keep: tuple[str, ...] = ()) -> None:
    """Remove our objects (tagged, in the ``Garment`` collection) and their orphaned data.

    Objects a user put into the collection themselves are left alone.
    """
    col = bpy.data.collections.get(COLLECTION)
    if col is None:
        return
    for obj in list(col.objects):
        if obj.name not in keep and OWNER_KEY in obj:
            remove_object(obj)


def remove_object(obj) -> None:
    """Delete ``obj`` and its data when nothing else uses it."""
    data = obj.data
    bpy.data.objects.remove(obj, do_unlink=True)
    if data is None or data.users:
        return
    for coll in (bpy.data.meshes, bpy.data.cameras, bpy.data.lights, bpy.data.armatures):
        if coll.get(data.name) == data:
            coll.remove(data)
            break


def mesh_object(name: str, verts_cm: np.ndarray, faces: np.ndarray, edges: np.ndarray | None = None,
                uv: np.ndarray | None = None, material_index: np.ndarray | None = None) -> bpy.types.Object:
    """A mesh object in the Garment collection from numpy arrays (vertices in cm)."""
    me = bpy.data.meshes.new(name)
    v = np.asarray(verts_cm, float) * CM
    f = np.asarray(faces, np.int64)
    e = np.zeros((0, 2), np.int64) if edges is None else np.asarray(edges, np.int64)
    me.vertices.add(len(v))
    me.vertices.foreach_set("co", v.astype(np.float32).ravel())
    me.loops.add(f.size)
    me.loops.foreach_set("vertex_index", f.astype(np.int32).ravel())
    me.polygons.add(len(f))
    me.polygons.foreach_set("loop_start", (np.arange(len(f)) * 3).astype(np.int32))
    if len(e):
        me.edges.add(len(e))
        me.edges.foreach_set("vertices", e.astype(np.int32).ravel())
    me.update(calc_edges=True, calc_edges_loose=True)
    if uv is not None:
        layer = me.uv_layers.new(name="UVMap")
        layer.data.foreach_set("uv", np.asarray(uv, np.float32)[f.ravel()].ravel())
    if material_index is not None:
        me.polygons.foreach_set("material_index", np.asarray(material_index, np.int32))
    me.validate(clean_customdata=False)
    return link(bpy.data.objects.new(name, me))


def coords(obj, evaluated: bool = False) -> np.ndarray:
    """(N, 3) vertex positions in cm (of the evaluated mesh when asked)."""
    if evaluated:
        dg = bpy.context.evaluated_depsgraph_get()
        ev = obj.evaluated_get(dg)
        me = ev.to_mesh()
        out = np.zeros(len(me.vertices) * 3, np.float32)
        me.vertices.foreach_get("co", out)
        ev.to_mesh_clear()
    else:
        out = np.zeros(len(obj.data.vertices) * 3, np.float32)
        obj.data.vertices.foreach_get("co", out)
    return out.reshape(-1, 3).astype(float) / CM


def set_coords(obj, verts_cm: np.ndarray) -> None:
    obj.data.vertices.foreach_set("co", (np.asarray(verts_cm, float) * CM).astype(np.float32).ravel())
    obj.data.update()


def palette(n: int) -> list[tuple[float, float, float]]:
    """n distinct saturated colours (golden-ratio hues)."""
    return [colorsys.hsv_to_rgb((0.07 + i * 0.618034) % 1.0, 0.65, 0.9) for i in range(n)]


def hex_color(c) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, x)) * 255):02x}" for x in c[:3])


def material(name: str, color, roughness: float = 0.8) -> bpy.types.Material:
    mat = bpy.data.materials.get(name) or bpy.data.materials.new(name)
    mat.diffuse_color = (*color[:3], 1.0)
    if mat.node_tree is None:  # Blender < 5 makes node-less materials by default
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes.get("Principled BSDF")
    if bsdf is not None:
        bsdf.inputs["Base Color"].default_value = (*color[:3], 1.0)
        bsdf.inputs["Roughness"].default_value = roughness
    return mat


def camera_and_lights(height_cm: float) -> bpy.types.Object:
    """Front camera framing a standing mannequin of the given height; a three-point studio: a large
    soft key high at the left front, a dimmer fill at the right, a rim light behind for the
    silhouette. Neither the scene's active camera nor its world is changed (renders use their own)."""
    cam_data = bpy.data.cameras.new("GarmentCamera")
    cam_data.lens = 50.0
    cam_data.sensor_width = 36.0
    cam_data.sensor_fit = "AUTO"
    cam = link(bpy.data.objects.new("GarmentCamera", cam_data))
    h = height_cm * CM
    half = 0.56 * h  # half the framed height, with a margin above the head and below the feet
    dist = half / np.tan(np.arctan(18.0 / 50.0))
    cam.location = (0.0, -dist, h / 2)
    cam.rotation_euler = (np.pi / 2, 0.0, 0.0)
    for name, loc, energy, size in LIGHTS:
        ld = bpy.data.lights.new(name, "AREA")
        ld.energy = energy
        ld.size = size
        light_shadows(ld)
        lo = bpy.data.objects.new(name, ld)
        lo.location = (loc[0], loc[1], loc[2] * h)
        target = np.array([0.0, 0.0, 0.55 * h]) - np.array(lo.location)
        lo.rotation_euler = _look_rotation(target)
        link(lo)
    return cam


# soft shadows accumulated over the samples (jitter): without it the penumbrae between cloth and body
# (underarm, below the hem) render as speckle. No filtering on top (Blender's default 1, ours was 3):
# its per-pixel random lookups drew a hairy black line wherever an edge lies a few mm over a surface
# (a shirt's front edge over the other front, a pocket's, a hem's shadow on the crotch); unfiltered
# the line is clean and thin, as 40 samples draw it (1024² close-up of a button-down; same render time).
# Each jittered sample's shadow traced with an overblur of 5 % (Blender's 10 %): at 10 the shadow a fold's
# crest casts into its trough had a stippled, ragged edge. Dress M flare 40, 1024² final, the
# shadow's penumbrae high-passed along the folds (x 1000): 6.2 at 10, 5.3 at 5, 4.9 at 3, 4.7 at 1 (48
# samples at 10: 4.1, 3.5x the time; traced wider it is noisier, 8.7 at 30); at 0 the shadow maps broke
# into large dark triangles, and at 3 a wide penumbra (a hem's on the thighs) showed the 12 samples' hard
# shadows as bands. The same render time.
LIGHT_SHADOWS = {"use_shadow_jitter": True, "shadow_filter_radius": 0.0, "shadow_jitter_overblur": 5.0}


def light_shadows(light) -> None:
    """Our studio's shadow settings on ``light`` (light data): at its making and before each final
    render (an assembly saved before keeps its lights)."""
    for key, value in LIGHT_SHADOWS.items():
        setattr(light, key, value)


# (name, location (x m, y m, z as a fraction of the body height), watts, size m). The key stands 32°
# off the camera, the fill at a quarter of its light: from 53° with a fill of 1/13 the bust and the
# cloth's own folds shadowed the far half of the garment (a navy jacket's left front black to the
# hem, its pocket gone; far / near half's mean luminance 0.46 -> 0.80 in a close-up of its drape)
LIGHTS = (("GarmentKey", (-1.6, -2.6, 1.3), 260.0, 1.2),
          ("GarmentFill", (2.4, -2.0, 0.6), 60.0, 3.0),
          ("GarmentRim", (1.2, 2.4, 1.4), 220.0, 1.0))


def _look_rotation(direction) -> tuple[float, float, float]:
    from mathutils import Vector

    return Vector(direction).to_track_quat("-Z", "Y").to_euler()
