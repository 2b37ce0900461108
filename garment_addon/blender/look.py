"""What a render looks like: a fabric shader on the garment, a studio world, the colour pipeline.

The garment gets one fabric material (Principled BSDF with sheen: the soft rim light cloth fibres
scatter) in the user's colour (the look's, else the spec's features.color, else the fabric's own)
or an image texture on its UVs; the per-piece pastel materials stay
on the object's slots' names for the legend and come back with ``piece_colors`` (a debug view).
Nothing here touches the user's scene: the world is built for the temporary render scene only.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass

import bpy

from ..core.errors import UserError
from ..core.fabric import check_color, material_fabric, srgb_to_linear
from .export import outward_thickness

# per fabric preset: (default colour (linear RGB), roughness, sheen weight, sheen roughness)
FABRIC_SHADING = {
    "cotton_shirting": ((0.16, 0.27, 0.55), 0.85, 0.35, 0.5),  # a mid blue: apart from the grey body
    "denim": ((0.06, 0.10, 0.22), 0.9, 0.25, 0.4),
    # knits in a teal and an olive (#1f5c66, #4a5a3a): their old light greys rendered as the
    # mannequin's own grey (a default hoodie or tee read as bare body)
    "jersey": ((0.014, 0.107, 0.133), 0.9, 0.4, 0.5),
    "fleece": ((0.068, 0.102, 0.042), 0.95, 0.8, 0.3),
    "silk": ((0.45, 0.05, 0.08), 0.5, 0.6, 0.2),  # 0.35 read as PVC on a red dress (final, AgX)
    "wool_suiting": ((0.07, 0.08, 0.11), 0.8, 0.6, 0.4),
}


@dataclass
class Look:
    """How the garment is shaded: colour (linear RGB 0..1) or None for the spec's or the fabric's, an image
    texture on the UVs (overrides the colour), or the pieces' debug colours."""

    color: tuple[float, float, float] | None = None
    texture: str | None = None
    piece_colors: bool = False


def parse_color(text: str) -> tuple[float, float, float]:
    """'#rrggbb' (sRGB, as colour pickers give it) -> linear RGB."""
    return srgb_to_linear(check_color(text, "color"))


def garment_color(fabric: str, look: Look, spec: dict | None = None) -> tuple[float, float, float]:
    """Linear RGB the garment is shaded in: the look's colour (--color, the panel's own colour), else
    the spec's features.color (sRGB hex: what the text or the photo asked for), else the fabric's."""
    if look.color is not None:
        return tuple(look.color)
    hex_color = ((spec or {}).get("features") or {}).get("color")
    if hex_color:
        return parse_color(hex_color)
    return FABRIC_SHADING.get(fabric, FABRIC_SHADING["cotton_shirting"])[0]


def fabric_material(fabric: str, look: Look, spec: dict | None = None) -> bpy.types.Material:
    """The garment's fabric material, recreated with the look asked for: one per garment type, as an
    outfit holds one garment of each (shared, a red shirt under a navy jacket rendered navy)."""
    _, roughness, sheen, sheen_rough = FABRIC_SHADING.get(fabric, FABRIC_SHADING["cotton_shirting"])
    name = f"GS_Fabric_{(spec or {}).get('garment_type') or 'garment'}"
    old = bpy.data.materials.get(name)
    if old is not None and old.users == 0:
        bpy.data.materials.remove(old)
        old = None
    mat = old or bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    mat[KNIT_KEY] = material_fabric(fabric) == "knit"  # its hems are coverstitched (render_edges)
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    for n in [n for n in nodes if n.type == "TEX_IMAGE"]:
        nodes.remove(n)
    bsdf = nodes.get("Principled BSDF")
    color = garment_color(fabric, look, spec)
    mat.diffuse_color = (*color, 1.0)
    bsdf.inputs["Base Color"].default_value = (*color, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Sheen Weight"].default_value = sheen
    bsdf.inputs["Sheen Roughness"].default_value = sheen_rough
    bsdf.inputs["Sheen Tint"].default_value = (1.0, 1.0, 1.0, 1.0)
    if look.texture:
        try:
            image = bpy.data.images.load(look.texture, check_existing=True)
        except RuntimeError:
            raise UserError(f"texture: cannot read image {look.texture!r}") from None
        tex = nodes.new("ShaderNodeTexImage")
        tex.image = image
        links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
    return mat


# Edges and topstitching, drawn from the cloth's distances to its pieces' outlines (cm on the flat
# pattern: EDGE_ATTRIBUTES): a patch pocket lies flush in the cloth's own colour and was
# invisible in final renders; a garment shows it, its hems and its seams by their stitching and the
# turned edge's roll. The cloth within EDGE_CM of an outline darkens toward it (to EDGE_SHADE) and
# rolls over (a bump); a stitch line STITCH_CM in from every unsewn edge (hems, openings, a pocket's
# sides), STITCH_HALF_CM wide each side, STITCH_MIX of the way to the thread: the cloth's own colour
# THREAD_LIFT of the way to white (tonal, as a shirt or a suit is sewn; a fixed bone thread drew white
# piping round a navy jacket's lapels and pockets). A knit's hems are coverstitched instead: two
# parallel lines COVERSTITCH_CM in from the edge (a twin needle over a turned hem, as a tee or a
# hoodie is sewn); its rib bands are not stitched at all (pipeline.edge_distances).
# per-vertex attributes (pipeline.edge_distances): cm on the flat pattern to the piece's outline, and
# to its unsewn outline (hems, openings, a pocket's edges), where the topstitching runs
EDGE_ATTRIBUTES = ("gs_edge_cm", "gs_hem_cm")
# per face corner (pipeline.corner_distances): the distance to the outline across a triangle whose
# corners all lie on it, where the per-vertex one is 0 all over
CORNER_ATTRIBUTE = "gs_corner_cm"
EDGE_CM = 0.35
EDGE_SHADE = 0.72
STITCH_CM = 0.6
COVERSTITCH_CM = (1.5, 2.1)  # a 6 mm twin needle over a 2.5 cm turned hem
KNIT_KEY = "gs_knit"  # fabric material custom property: a knit's material (coverstitched hems)
STITCH_HALF_CM = 0.06
STITCH_MIX = 0.28
THREAD_LIFT = 0.2
EDGE_BUMP = 0.5  # bump strength of the roll (Bump node, distance 1 mm)
# A smooth-shaded silhouette's shading normals turn to or past the camera's grazing line, triangle by
# triangle (a triangle that still faces the camera can carry a normal that points away from it: 13-16 % of
# the corners by a seam, where two panels meet at ~15 degrees, 0.6 % elsewhere), and the sheen, brightest
# at grazing, drew a dotted light line down every side seam seen edge-on (the seam's roll tilts them
# further). The shader lifts each normal toward the camera by what its cosine to it lacks of FACING_MIN
# (~73 degrees; normalised after, a normal at grazing ends at 0.29). Dress M's right side seam, 1024²
# final: the line over the cloth 39 -> -5 (luminance x 1000; at 0.2 13), its dots (high-passed rms along
# it) 18.2 -> 8.5 (0.2: 12.2; a shirt sleeve's underside kept a trace); a sheen weight of 0 gives 7 / 15.0
# but dulls the whole fabric, the roll's bump off 26 / 16.7.
FACING_MIN = 0.3


def _edges(tree, bsdf, lines: tuple[float, ...] = (STITCH_CM,)) -> list:
    """Edge shade, roll and topstitching into ``bsdf``'s colour (its texture's, else its own), a stitch
    line at each of ``lines`` (cm in from the unsewn edges), and its normal kept facing the camera
    (FACING_MIN); returns the nodes added."""
    nodes, links = tree.nodes, tree.links
    before = set(nodes)
    color = bsdf.inputs["Base Color"]
    base = color.links[0].from_socket if color.is_linked else tuple(color.default_value)

    def attribute(name):
        a = nodes.new("ShaderNodeAttribute")
        a.attribute_type, a.attribute_name = "GEOMETRY", name
        return a.outputs["Factor"]

    def map_range(value, lo, hi, to_lo, to_hi, smooth=False):
        m = nodes.new("ShaderNodeMapRange")
        m.clamp, m.interpolation_type = True, "SMOOTHSTEP" if smooth else "LINEAR"
        links.new(value, m.inputs["Value"])
        for key, v in zip(("From Min", "From Max", "To Min", "To Max"), (lo, hi, to_lo, to_hi), strict=True):
            m.inputs[key].default_value = v
        return m.outputs["Result"]

    def feed(sock, v):
        """A node input from another node's output (a socket) or a constant."""
        if isinstance(v, bpy.types.NodeSocket):
            links.new(v, sock)
        else:
            sock.default_value = v

    def mix(factor, a, b, blend="MIX"):
        m = nodes.new("ShaderNodeMix")
        m.data_type, m.blend_type = "RGBA", blend
        for sock, v in ((m.inputs["Factor"], factor), (m.inputs[6], a), (m.inputs[7], b)):
            feed(sock, v)
        return m.outputs[2]

    def math(op, a, b=None):
        m = nodes.new("ShaderNodeMath")
        m.operation = op
        feed(m.inputs[0], a)
        if b is not None:  # a unary op (ABSOLUTE) leaves its second input
            feed(m.inputs[1], b)
        return m.outputs[0]

    edge_cm, hem_cm = (attribute(n) for n in EDGE_ATTRIBUTES)
    corner = nodes.new("ShaderNodeAttribute")
    corner.attribute_type, corner.attribute_name = "GEOMETRY", CORNER_ATTRIBUTE
    xyz = nodes.new("ShaderNodeSeparateXYZ")
    links.new(corner.outputs["Vector"], xyz.inputs[0])
    # 0 off the outline's corner triangles (and on an assembly made before it): the per-vertex distance
    edge_cm = math("MAXIMUM", edge_cm, math("MINIMUM", math("MINIMUM", xyz.outputs[0], xyz.outputs[1]), xyz.outputs[2]))
    off = None  # cm to the nearest stitch line
    for line in lines:
        d = math("ABSOLUTE", math("SUBTRACT", hem_cm, line))
        off = d if off is None else math("MINIMUM", off, d)
    stitch = map_range(off, STITCH_HALF_CM, 2 * STITCH_HALF_CM, STITCH_MIX, 0.0)
    shade = map_range(edge_cm, 0.0, EDGE_CM, EDGE_SHADE, 1.0, smooth=True)
    thread = mix(THREAD_LIFT, base, (1.0, 1.0, 1.0, 1.0))
    links.new(mix(stitch, mix(1.0, base, shade, "MULTIPLY"), thread), color)
    bump = nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = EDGE_BUMP
    bump.inputs["Distance"].default_value = 0.001
    links.new(map_range(edge_cm, 0.0, EDGE_CM, 0.0, 1.0, smooth=True), bump.inputs["Height"])
    # the shading normal turned toward the camera where it faces (nearly) away from it (FACING_MIN)
    geometry = nodes.new("ShaderNodeNewGeometry")
    toward = geometry.outputs["Incoming"]  # unit vector to the camera

    def vector(op, a, b=None):
        m = nodes.new("ShaderNodeVectorMath")
        m.operation = op
        links.new(a, m.inputs[0])
        if b is not None:
            feed(m.inputs["Scale"] if op == "SCALE" else m.inputs[1], b)
        return m.outputs["Value" if op == "DOT_PRODUCT" else "Vector"]

    normal = bump.outputs["Normal"]
    short = math("MAXIMUM", math("SUBTRACT", FACING_MIN, vector("DOT_PRODUCT", normal, toward)), 0.0)
    links.new(vector("NORMALIZE", vector("ADD", normal, vector("SCALE", toward, short))), bsdf.inputs["Normal"])
    return [n for n in nodes if n not in before]


@contextlib.contextmanager
def render_edges(garments):
    """While rendering: the garments' fabric materials draw their edges and topstitching (_edges),
    taken out afterwards: the material the scene keeps and the exports write is the plain Principled
    BSDF (a linked Base Color left a glb's garment without its colour)."""
    added = []
    try:
        mats = {m for g in garments for m in g.data.materials if m is not None and m.name.startswith("GS_Fabric")}
        for mat in mats:
            bsdf = mat.node_tree.nodes.get("Principled BSDF") if mat.node_tree else None
            if bsdf is None or bsdf.inputs["Normal"].is_linked:
                continue
            color = bsdf.inputs["Base Color"]
            texture = color.links[0].from_socket if color.is_linked else None
            lines = COVERSTITCH_CM if mat.get(KNIT_KEY) else (STITCH_CM,)
            added.append((mat, bsdf, texture, _edges(mat.node_tree, bsdf, lines)))
        yield
    finally:
        for mat, bsdf, texture, nodes in added:
            for n in nodes:
                mat.node_tree.nodes.remove(n)
            if texture is not None:
                mat.node_tree.links.new(texture, bsdf.inputs["Base Color"])


# Eevee on llvmpipe (bpy 5.0.1) ran a final render ~1.3x slower when its materials' shaders had been
# compiled by an earlier render in the same process (a dress's final 1024² after a shirt's: 32 -> 43 s
# CPU, the same pixels; the extra time all in the compute threads, only with shadows on); shaders
# compiled for the render ran as fast as a fresh process's first render. Each final render's materials
# read an attribute of a name never used before (nothing has it: 0, times 0 onto their roughness), so
# Blender compiles their shaders anew, ~0.5 s CPU.
NONCE_ATTRIBUTE = "gs_render_nonce_"
_nonce = itertools.count()


@contextlib.contextmanager
def fresh_shaders(objects):
    """While rendering: the objects' node materials compile new shaders (NONCE_ATTRIBUTE), taken out
    afterwards. A material whose roughness is linked is left as it is."""
    added, name = [], f"{NONCE_ATTRIBUTE}{next(_nonce)}"
    try:
        mats = {m for o in objects for m in o.data.materials if m is not None and m.node_tree is not None}
        for mat in mats:
            nodes, links = mat.node_tree.nodes, mat.node_tree.links
            bsdf = nodes.get("Principled BSDF")
            if bsdf is None or bsdf.inputs["Roughness"].is_linked:
                continue
            attr = nodes.new("ShaderNodeAttribute")
            attr.attribute_type, attr.attribute_name = "GEOMETRY", name
            add = nodes.new("ShaderNodeMath")
            add.operation = "MULTIPLY_ADD"
            links.new(attr.outputs["Fac"], add.inputs[0])
            add.inputs[1].default_value = 0.0
            add.inputs[2].default_value = bsdf.inputs["Roughness"].default_value
            links.new(add.outputs[0], bsdf.inputs["Roughness"])
            added.append((mat, (attr, add)))
        yield
    finally:
        for mat, nodes in added:
            for n in nodes:
                mat.node_tree.nodes.remove(n)


def apply_look(garment, legend: list[dict], fabric: str, look: Look | None = None, spec: dict | None = None) -> None:
    """Every material slot of the garment: the fabric material (``spec``: the pattern's spec dict,
    for its colour), or with ``piece_colors`` each piece's own pastel (the legend's materials, GS_<piece>);
    the buttons' slot after the pieces' (blender.buttons), a colour that stands off the cloth's."""
    look = look or Look()
    fabric_mat = None if look.piece_colors else fabric_material(fabric, look, spec)
    me = garment.data
    for i, entry in enumerate(legend[:len(me.materials)]):
        me.materials[i] = _piece_material(entry) if look.piece_colors else fabric_mat
    if len(me.materials) > len(legend):
        me.materials[len(legend)] = button_material(garment_color(fabric, look, spec))


def _piece_material(entry: dict) -> bpy.types.Material:
    """The piece's debug material, made again from the legend where it is gone: a saved assembly's
    scene.blend keeps only the materials in use (`render OUT/ --piece-colors` rendered it white)."""
    from .scene import material

    name, c = f"GS_{entry['piece']}", entry["color"]
    return bpy.data.materials.get(name) or material(name, tuple(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))


BUTTON_PALE = (0.55, 0.50, 0.40)  # bone: what buttons on dark cloth lean toward
BUTTON_SWITCH = 0.12  # linear luminance under which cloth counts as dark
BUTTON_SHADE = 0.35  # on lighter cloth a button is the cloth's colour this much as bright


def button_material(cloth: tuple[float, float, float]) -> bpy.types.Material:
    """Glossy buttons tone on tone: a darker shade of light cloth, half way to bone on dark cloth (a
    navy jacket's darker buttons vanished; black ones on a pale shirt read as holes)."""
    luminance = 0.2126 * cloth[0] + 0.7152 * cloth[1] + 0.0722 * cloth[2]
    if luminance > BUTTON_SWITCH:
        color = tuple(BUTTON_SHADE * c for c in cloth)
    else:
        color = tuple(0.5 * (c + p) for c, p in zip(cloth, BUTTON_PALE, strict=True))
    name = "GS_Button_" + "".join(f"{round(255 * c):02x}" for c in color)  # per colour: an outfit's layers differ
    mat = bpy.data.materials.get(name) or bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes.get("Principled BSDF")
    mat.diffuse_color = (*color, 1.0)
    bsdf.inputs["Base Color"].default_value = (*color, 1.0)
    bsdf.inputs["Roughness"].default_value = 0.3
    return mat


def studio_world() -> bpy.types.World:
    """A soft grey studio: a little ambient light so shadows keep detail (our own world datablock)."""
    world = bpy.data.worlds.new("GS_Studio")
    if world.node_tree is None:
        world.use_nodes = True
    bg = world.node_tree.nodes.get("Background")
    bg.inputs["Color"].default_value = (0.36, 0.37, 0.40, 1.0)
    bg.inputs["Strength"].default_value = 0.15
    return world


def color_management(scene, profile: str) -> None:
    """AgX with a touch of contrast for the final look; the preview keeps Standard (fast, flat)."""
    vs = scene.view_settings
    if profile == "final":
        vs.view_transform = "AgX"
        vs.look = "AgX - Medium High Contrast"
        vs.exposure = -0.6  # the key light is strong for modelling; this keeps light fabrics off white
    else:
        vs.view_transform = "Standard"
        vs.look = "None"
        vs.exposure = 0.0


# A final render's cloth has a little thickness: a single sheet a few mm over the cloth or the skin
# under it (a shirt's front edge over the other front, a pocket, a hem over the thighs) cast a
# hairy shadow there (the shadow map leaks light round a surface with no thickness), and its edges
# showed no edge. Thicker fabrics keep their own.
RENDER_THICKNESS_MM = 1.5
RENDER_THICKNESS = "GS_Render_Thickness"


@contextlib.contextmanager
def render_thickness(garments, fabric_mm: float = 0.0):
    """While rendering: each garment given max(RENDER_THICKNESS_MM, ``fabric_mm``) of cloth grown
    outward (a Solidify after its other modifiers), shown in renders only and removed afterwards: the
    scene, its measures and the exports keep the simulated sheet."""
    added = []
    try:
        for g in garments:
            # no rim: smooth shaded, its quads bent the cloth's normals along every hem, pocket and
            # lapel edge, a dark sawtooth one base edge long (jacket M final; the export keeps its rim)
            mod = outward_thickness(g, RENDER_THICKNESS, max(RENDER_THICKNESS_MM, fabric_mm), rim=False)
            mod.show_viewport = False  # last, after the smoothing: before it, its edges were rounded too,
            # and drew every stitch line along a hem or a pocket wavy (a 1 cm zigzag)
            added.append((g, mod))
        yield
    finally:
        for g, mod in added:
            g.modifiers.remove(mod)
