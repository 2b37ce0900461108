"""A fast 2D front-view renderer: spec -> (rgb, garment mask, body mask), pure numpy + Pillow.

It is the stand-in for Blender wherever speed matters more than fidelity: unit tests of the
refinement loop, the synthetic targets of bench_refine, and a preview when bpy is missing.
It draws the mannequin (from ``body_measurements``) in an A-pose and the garment's outline
from the spec's lengths and girths, so every parameter the proposer moves changes the picture
the way it changes a real render (longer skirt -> lower hem, flare -> wider hem, ...).
World units are cm, y up from the floor, x to the viewer's right.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from ..body.pose import A_POSE, ARMS_DOWN_DEG, check_pose
from ..garments import TYPES, has_part
from ..pattern.drafting.ease import spec_ease
from ..spec import GarmentSpec, body_measurements, shoulder_slope

SHOULDER_DROP = 3.0  # cm, the drawn shoulder's drop at the body's own slope
ARM_ANGLE = math.radians(38)  # A-pose: arms this far from vertical
BODY_RGB = (62, 62, 68)
PART_RGB = {"bodice": (120, 96, 200), "sleeve": (220, 120, 120), "skirt": (90, 160, 200),
            "pants": (80, 130, 90), "hood": (200, 170, 90)}


def shoulder_drop(spec: GarmentSpec, b: dict[str, float]) -> float:
    """Neck to shoulder point (cm) of the drawn mannequin and bodice: SHOULDER_DROP at the body's own
    slope (spec.shoulder_slope for its bust and preset), moved by as much as the spec's slope differs
    from that (as the shown body is reshaped, body.makehuman.lift_shoulders). The same quantity as the
    slope, but drawn at the slope itself (4.8 cm for the default size M, not 3) two flat-lay fits of
    tests/test_refine_frame.py took another path and ended 24 / 5.4 cm off the photo's skirt length
    (their scores along the length within 0.003 of the 3 cm picture's)."""
    own = shoulder_slope(b["bust"], str((spec.metadata or {}).get("body_preset", "female")))
    return max(0.0, SHOULDER_DROP + b["shoulder_slope"] - own)


def _half(girth: float) -> float:
    """Front half-width of a roughly elliptic cross-section of this girth."""
    return girth * 0.183


class _Canvas:
    def __init__(self, size: int, height_cm: float):
        self.size = size
        self.scale = size * 0.9 / height_cm  # px per cm: the mannequin fills 90 % of the frame
        self.height = height_cm
        self.body = Image.new("L", (size, size), 0)
        self.garment = Image.new("L", (size, size), 0)
        self.rgb = Image.new("RGB", (size, size), (255, 255, 255))

    def px(self, pts) -> list[tuple[float, float]]:
        s, n = self.scale, self.size
        top = (n - self.height * s) / 2 + self.height * s  # floor row
        return [(n / 2 + x * s, top - y * s) for x, y in pts]

    def poly(self, pts, layer: str, rgb) -> None:
        p = self.px(pts)
        ImageDraw.Draw(self.body if layer == "body" else self.garment).polygon(p, fill=255)
        ImageDraw.Draw(self.rgb).polygon(p, fill=rgb)

    def erase_garment(self, pts, rgb) -> None:
        p = self.px(pts)
        ImageDraw.Draw(self.garment).polygon(p, fill=0)
        ImageDraw.Draw(self.rgb).polygon(p, fill=rgb)

    def ellipse(self, cx, cy, rx, ry, layer: str, rgb) -> None:
        (x0, y0), (x1, y1) = self.px([(cx - rx, cy + ry), (cx + rx, cy - ry)])
        ImageDraw.Draw(self.body if layer == "body" else self.garment).ellipse((x0, y0, x1, y1), fill=255)
        ImageDraw.Draw(self.rgb).ellipse((x0, y0, x1, y1), fill=rgb)


def _limb(p0, direction, length, w0, w1) -> list[tuple[float, float]]:
    """A tapered quad from p0 along a unit direction: widths w0 at p0, w1 at the far end."""
    d = np.asarray(direction, float)
    n = np.array([-d[1], d[0]])
    a = np.asarray(p0, float)
    b = a + d * length
    return [tuple(a + n * w0 / 2), tuple(b + n * w1 / 2), tuple(b - n * w1 / 2), tuple(a - n * w0 / 2)]


def as_photo(rendered):
    """A rendered triple as a photo would be segmented: the person mask includes the garment."""
    rgb, garment, body = rendered
    return rgb, garment, body | garment


def _mirror(pts) -> list[tuple[float, float]]:
    return [(-x, y) for x, y in pts]


def render_silhouette(spec: GarmentSpec, size: int = 256, pose: str = A_POSE):
    """(rgb uint8 HxWx3, garment_mask bool HxW, mannequin_mask bool HxW) of ``spec`` on its mannequin.

    The mannequin mask includes the parts the garment hides, so it frames the picture the same
    whatever the garment (as the render camera does); a photo's person mask is ``garment | mannequin``.
    pose: body.pose.POSES, the arms out (A-pose) or hanging down.
    """
    b = body_measurements(spec)
    m = spec.measurements
    h = b["height"]
    c = _Canvas(size, h)
    neck_y = 0.84 * h
    shoulder_y = neck_y - shoulder_drop(spec, b)
    waist_y = neck_y - b["back_waist_length"]
    bust_y = waist_y + 0.45 * (neck_y - waist_y)
    hip_y = waist_y - 20.0
    crotch_y = waist_y - m["rise"] if has_part(spec.garment_type, "pants") else hip_y - 7.0
    ankle_y = 0.05 * h
    sw = b["shoulder_width"] / 2
    angle = ARM_ANGLE if check_pose(pose) == A_POSE else math.radians(ARMS_DOWN_DEG)
    arm_dir = (math.sin(angle), -math.cos(angle))

    # Mannequin: head, torso, legs, arms (the garment is drawn over it).
    c.ellipse(0, h - 11.5, 9.5, 11.5, "body", BODY_RGB)
    neck_hw = b["neck"] / (2 * math.pi) + 0.5
    torso = [(neck_hw, h - 20), (neck_hw, neck_y), (sw, shoulder_y), (_half(b["bust"]), bust_y),
             (_half(b["waist"]), waist_y), (_half(b["hip"]), hip_y), (_half(b["hip"]) * 0.9, crotch_y)]
    c.poly(torso + _mirror(torso[::-1]), "body", BODY_RGB)
    for sgn in (1, -1):
        leg_x = sgn * _half(b["hip"]) * 0.5
        leg = _limb((leg_x, hip_y), (sgn * 0.04, -1), hip_y - ankle_y, _half(b["thigh"]) * 1.05,
                    _half(b["ankle"]) * 0.9)
        c.poly(leg, "body", BODY_RGB)
        c.ellipse(leg_x + sgn * 0.04 * (hip_y - ankle_y), ankle_y - 2, 5, 3, "body", BODY_RGB)
        arm = _limb((sgn * (sw - 2), shoulder_y - 2), (sgn * arm_dir[0], arm_dir[1]), b["arm_length"],
                    _half(b["bicep"]) * 1.1, _half(b["wrist"]) * 1.1)
        c.poly(arm, "body", BODY_RGB)

    ease = spec_ease(spec)  # the drafting's wearing ease: the silhouette is as wide as the pattern
    parts = TYPES[spec.garment_type].parts
    if "pants" in parts:
        _draw_pants(c, m, b, ease, waist_y, hip_y)
    if "skirt" in parts:
        _draw_skirt(c, m, ease, waist_y, hip_y)
    if "bodice" in parts:
        _draw_top(c, spec, b, ease, neck_y, shoulder_y, bust_y, waist_y, hip_y, arm_dir)
    rgb = np.asarray(c.rgb, np.uint8).copy()
    garment = np.asarray(c.garment) > 127
    return rgb, garment, np.asarray(c.body) > 127


def _draw_pants(c, m, b, ease: dict, waist_y, hip_y) -> None:
    hem_y = waist_y - m["pant_length"]
    crotch_y = waist_y - m["rise"]
    w_hw = _half(m["waist"] + ease["waist"])
    h_hw = _half(m["hip"] + ease["hip"])
    for sgn in (1, -1):
        hem_hw = _half(m["ankle"] + ease["ankle"]) * 0.55
        knee_hw = _half(m["knee"] + ease["knee"]) * 0.55
        axis = h_hw * 0.5
        frac = min(1.0, (crotch_y - hem_y) / max(1.0, crotch_y - 0.05 * c.height))
        knee_y = crotch_y - 0.5 * (crotch_y - hem_y)
        leg = [(0.0, waist_y), (w_hw, waist_y), (h_hw, hip_y), (axis + knee_hw, knee_y),
               (axis + hem_hw, hem_y), (axis - hem_hw, hem_y), (axis - knee_hw * (0.8 + 0.2 * frac), knee_y),
               (0.0, crotch_y)]
        c.poly(leg if sgn > 0 else _mirror(leg), "garment", PART_RGB["pants"])


def _draw_skirt(c, m, ease: dict, waist_y, hip_y) -> None:
    hem_y = waist_y - m["skirt_length"]
    w_hw = _half(m["waist"] + ease["waist"])
    h_hw = _half(m["hip"] + ease["hip"])
    hip_at = max(hem_y, hip_y)
    hem_hw = h_hw + m["flare"] * 0.55 * min(1.0, m["skirt_length"] / 60)
    side = [(w_hw, waist_y + 0.5), (h_hw + (hem_hw - h_hw) * 0.15, hip_at), (hem_hw, hem_y)]
    c.poly(side + _mirror(side[::-1]), "garment", PART_RGB["skirt"])


def _draw_top(c, spec, b, ease, neck_y, shoulder_y, bust_y, waist_y, hip_y, arm_dir) -> None:
    m = spec.measurements
    t = spec.garment_type
    sw = b["shoulder_width"] / 2 + 0.8
    hem_y = waist_y if TYPES[t].region == "whole" else neck_y - m["bodice_length"]
    bust_hw = _half(m["bust"] + ease["bust"])
    fitted = 0.0 if spec.features.get("fit") == "loose" else 1.0
    waist_hw = _half(m["waist"] + ease["waist"]) * fitted + bust_hw * (1 - fitted)
    hip_hw = _half(m["hip"] + ease["hip"])

    def width_at(y: float) -> float:
        if y >= bust_y:
            return bust_hw
        if y >= waist_y:
            return waist_hw + (bust_hw - waist_hw) * (y - waist_y) / (bust_y - waist_y)
        return waist_hw + (hip_hw - waist_hw) * min(1.0, (waist_y - y) / (waist_y - hip_y))

    nw = m["neckline_width"]
    underarm_y = shoulder_y - (m["bust"] / 10 + 9)
    ys = [y for y in (bust_y, waist_y, hip_y) if hem_y < y < underarm_y]
    side = [(nw, neck_y), (sw, shoulder_y), (bust_hw, underarm_y)] + [(width_at(y), y) for y in ys]
    side.append((width_at(hem_y), hem_y))
    if m["sleeve_length"] > 0:
        top_w = _half(m["bicep"] + ease["bicep"]) * 1.25
        reach = min(1.0, m["sleeve_length"] / b["arm_length"])
        end_w = top_w + (_half(m["wrist"] + ease["wrist"]) * 1.2 - top_w) * reach
        for sgn in (1, -1):
            sl = _limb((sgn * (sw - 2.5), shoulder_y - 1.5), (sgn * arm_dir[0], arm_dir[1]),
                       m["sleeve_length"], top_w, end_w)
            c.poly(sl, "garment", PART_RGB["sleeve"])
    c.poly(side + _mirror(side[::-1]), "garment", PART_RGB["bodice"])
    if spec.features.get("has_hood"):
        c.ellipse(0, neck_y + 14, 13, 16, "garment", PART_RGB["hood"])
        c.erase_garment([(-8, neck_y + 3), (-9, neck_y + 22), (9, neck_y + 22), (8, neck_y + 3)], BODY_RGB)
    depth = m["neckline_depth"]
    c.erase_garment([(-nw, neck_y + 0.1), (-nw * 0.55, neck_y - depth * 0.7), (0, neck_y - depth),
                     (nw * 0.55, neck_y - depth * 0.7), (nw, neck_y + 0.1)], BODY_RGB)
