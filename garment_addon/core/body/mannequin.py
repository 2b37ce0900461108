"""Mannequin geometry from body measurements, in pure numpy (cm, z up, facing -y).

The body is a few closed manifold parts that overlap (torso with neck, head, two arms in an
A-pose, two separated legs), like a dress form with limbs. Each part is a loft of rings, so its
surface, an inside test and a push-out are all analytic: wrap and the metrics use those instead of
a mesh query. Torso rings are superellipses whose size is solved so the ring's perimeter (which is
its convex-hull perimeter: the rings are convex) equals the requested bust / waist / hip girth.

Frame: x to the mannequin's left (the viewer's right from the front camera), y toward its back,
z up from the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.interpolate import PchipInterpolator

from ..proportions import ARM_LENGTH

PART_NAMES = ("torso", "head", "arm_left", "arm_right", "leg_left", "leg_right")  # Body.parts() order
RING = 48  # vertices per torso ring; limbs use LIMB_RING
LIMB_RING = 24
EXPONENT = 2.4  # torso superellipse exponent: between an ellipse (2) and a box

# Proportions of standing height (female / male presets); z of each landmark above the floor.
PRESETS = {
    "female": dict(waist=0.615, hip=0.505, knee=0.285, ankle=0.045, bust_frac=0.45, arm_angle=38.0,
                   shoulder_drop=4.0, bust_aspect=1.32, waist_aspect=1.38, hip_aspect=1.30, bust_fwd=1.5),
    "male": dict(waist=0.60, hip=0.49, knee=0.285, ankle=0.045, bust_frac=0.45, arm_angle=36.0,
                 shoulder_drop=5.0, bust_aspect=1.45, waist_aspect=1.30, hip_aspect=1.25, bust_fwd=0.5),
}


# the analytic shoulder point stays this far under the neck base (a size XXL given 2 cm would put it
# 1.4 cm over; its skin there rose to 0.3 cm under)
MIN_SHOULDER_DROP = 1.0
SHOULDER_POINT = 0.93 * 0.93  # of the half shoulder width: the analytic shoulder point's x
OUTLINE_POINTS = 257  # points round a torso outline, the centre front first and last


def _unit_outline() -> tuple[np.ndarray, np.ndarray]:
    """x and y factors of the torso superellipse, OUTLINE_POINTS points from the centre front."""
    theta = np.linspace(-np.pi / 2, 3 * np.pi / 2, OUTLINE_POINTS)
    co, si = np.cos(theta), np.sin(theta)
    return np.sign(co) * np.abs(co) ** (2 / EXPONENT), np.sign(si) * np.abs(si) ** (2 / EXPONENT)


def superellipse(n_pts: int, a: float, b: float, n: float = EXPONENT) -> np.ndarray:
    """(n_pts, 2) CCW points of |x/a|^n + |y/b|^n = 1, starting at +x."""
    t = np.linspace(0, 2 * np.pi, n_pts, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    return np.stack([a * np.sign(c) * np.abs(c) ** (2 / n), b * np.sign(s) * np.abs(s) ** (2 / n)], axis=1)


def polygon_perimeter(pts: np.ndarray) -> float:
    return float(np.linalg.norm(pts - np.roll(pts, -1, axis=0), axis=1).sum())


def solve_section(girth: float, aspect: float, n_pts: int = RING) -> tuple[float, float]:
    """Half width a and half depth b (a = aspect * b) whose n_pts-gon perimeter is ``girth``."""
    unit = polygon_perimeter(superellipse(n_pts, aspect, 1.0))
    b = girth / unit
    return aspect * b, b


UNIT_OUTLINE = _unit_outline()


@dataclass
class Part:
    """A closed loft: rings of points (n_rings, k, 3) closed by a pole vertex at each end."""

    name: str
    rings: np.ndarray
    bottom: np.ndarray  # pole below/before the first ring
    top: np.ndarray  # pole after the last ring

    def mesh(self) -> tuple[np.ndarray, np.ndarray]:
        """(verts, triangles) of the closed surface, outward normals."""
        nr, k, _ = self.rings.shape
        verts = np.concatenate([self.rings.reshape(-1, 3), self.bottom[None], self.top[None]])
        ib, it = nr * k, nr * k + 1
        faces = []
        j = np.arange(k)
        jn = (j + 1) % k
        for r in range(nr - 1):
            a, b = r * k + j, r * k + jn
            c, d = (r + 1) * k + jn, (r + 1) * k + j
            faces.append(np.stack([a, b, c], 1))
            faces.append(np.stack([a, c, d], 1))
        faces.append(np.stack([np.full(k, ib), jn, j], 1))
        last = (nr - 1) * k
        faces.append(np.stack([np.full(k, it), last + j, last + jn], 1))
        return verts, np.concatenate(faces).astype(np.int64)


@dataclass
class Tube:
    """A limb: circular sections of radius r(t) along a straight axis p0 + t * d (t in cm)."""

    name: str
    p0: np.ndarray
    d: np.ndarray  # unit axis direction
    t: np.ndarray  # profile stations along the axis
    r: np.ndarray  # radius at each station

    def radius(self, t: np.ndarray) -> np.ndarray:
        return np.interp(t, self.t, self.r, left=0.0, right=0.0)

    def frame(self) -> tuple[np.ndarray, np.ndarray]:
        """Two unit vectors across the axis: u toward the front (-y side), v completing it."""
        ref = np.array([0.0, -1.0, 0.0])
        u = ref - self.d * (ref @ self.d)
        u /= np.linalg.norm(u)
        return u, np.cross(self.d, u)

    def local(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t along the axis, distance from the axis, radial unit vectors) for points (N, 3)."""
        rel = p - self.p0
        t = rel @ self.d
        radial = rel - t[:, None] * self.d
        dist = np.linalg.norm(radial, axis=1)
        u, _ = self.frame()
        safe = np.where(dist[:, None] > 1e-9, radial / np.maximum(dist, 1e-9)[:, None], u)
        return t, dist, safe

    def part(self, k: int = LIMB_RING, cap_rings: int = 4) -> Part:
        # Rounded ends: quarter-circle rings closing onto the poles.
        u, v = self.frame()
        ang = np.linspace(0, 2 * np.pi, k, endpoint=False)
        circle = np.cos(ang)[:, None] * u + np.sin(ang)[:, None] * v
        ts, rs = list(self.t), list(self.r)
        r0, r1 = rs[0], rs[-1]
        cap = np.linspace(0, np.pi / 2, cap_rings + 1)[1:-1]
        head = [(ts[0] - r0 * 0.6 * np.cos(a), r0 * np.sin(a)) for a in cap]
        tail = [(ts[-1] + r1 * 0.6 * np.cos(a), r1 * np.sin(a)) for a in cap[::-1]]
        prof = head + list(zip(ts, rs, strict=True)) + tail
        rings = np.array([self.p0 + ti * self.d + ri * circle for ti, ri in prof])
        return Part(self.name, rings, self.p0 + (ts[0] - r0 * 0.6) * self.d, self.p0 + (ts[-1] + r1 * 0.6) * self.d)


@dataclass
class Body:
    """Mannequin: measurements, landmarks (cm above the floor and axis points), parts."""

    measurements: dict[str, float]
    preset: str
    landmarks: dict[str, float]  # heights (cm)
    points: dict[str, list[float]]  # 3D landmark points (cm)
    torso_z: np.ndarray  # torso station heights
    torso_a: np.ndarray  # half widths
    torso_b: np.ndarray  # half depths
    torso_cy: np.ndarray  # centre y offsets
    arms: dict[str, Tube] = field(default_factory=dict)  # "left"/"right"
    legs: dict[str, Tube] = field(default_factory=dict)
    head_center: np.ndarray = field(default_factory=lambda: np.zeros(3))
    head_axes: np.ndarray = field(default_factory=lambda: np.ones(3))
    _interp: tuple | None = None
    # the shown mannequin once makehuman.attach_human ran: a surface.BodySurface (the skin, with the
    # torso's tape-measure outline) that the inside test and the push-out use instead of the
    # analytic parts, and the makehuman.HumanBody
    surface: Any = None
    human: Any = None
    # the shown torso's tape-measure outlines once attached (makehuman.torso_outlines): heights (m,),
    # OUTLINE_POINTS points from the centre front round each (m, OUTLINE_POINTS, 2), local to the
    # centre at x = 0, y = outline_cy (m,); the wrap lays torso rings over them
    outline_z: np.ndarray | None = None
    outline_pts: np.ndarray | None = None
    outline_cy: np.ndarray | None = None

    # --- torso sections -------------------------------------------------------------------
    def section(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, cy) of the torso superellipse at heights z (clamped to the torso's range)."""
        if self._interp is None:
            self._interp = tuple(PchipInterpolator(self.torso_z, v) for v in
                                 (self.torso_a, self.torso_b, self.torso_cy))
        zc = np.clip(z, self.torso_z[0], self.torso_z[-1])
        return tuple(f(zc) for f in self._interp)

    def section_points(self, z: float, n_pts: int = RING) -> np.ndarray:
        a, b, cy = (float(v[0]) for v in self.section(np.array([z])))
        pts = superellipse(n_pts, a, b)
        pts[:, 1] += cy
        return pts

    def outline(self, z: np.ndarray, shown: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(points (n, OUTLINE_POINTS, 2) from the centre front counter-clockwise seen from above,
        closed, local to the centre; centre y (n,)) of the torso's convex section at heights z: the
        shown body's once attached (its bust reaches 3-8 cm further forward than the superellipse
        of the same girth), the analytic superellipse otherwise, outside the shown stack or with
        ``shown`` False."""
        z = np.atleast_1d(np.asarray(z, float))
        a, b, cy = self.section(z)
        pts = np.stack([a[:, None] * UNIT_OUTLINE[0], b[:, None] * UNIT_OUTLINE[1]], axis=-1)
        if self.outline_z is None or not shown:
            return pts, cy
        zs = self.outline_z
        use = (z >= zs[0]) & (z <= zs[-1])
        hi = np.clip(np.searchsorted(zs, z[use]), 1, len(zs) - 1)
        t = np.clip((z[use] - zs[hi - 1]) / (zs[hi] - zs[hi - 1]), 0.0, 1.0)
        pts[use] = (1 - t)[:, None, None] * self.outline_pts[hi - 1] + t[:, None, None] * self.outline_pts[hi]
        cy = cy.copy()
        cy[use] = (1 - t) * self.outline_cy[hi - 1] + t * self.outline_cy[hi]
        return pts, cy

    def girth(self, z: float) -> float:
        """Tape-measure girth of the torso at height z: perimeter of the convex section."""
        return polygon_perimeter(self.section_points(z))

    # --- parts and mesh ---------------------------------------------------------------------
    def torso_part(self, step: float = 2.0) -> Part:
        z0, z1 = self.torso_z[0], self.torso_z[-1]
        keep = [self.landmarks[k] for k in ("bust", "waist", "hip")]
        grid = np.concatenate([np.arange(z0, z1, step), [z1]])
        # rings exactly at the landmarks, so a slice there is the measured section
        grid = grid[np.min(np.abs(grid[:, None] - np.array(keep)[None]), axis=1) > 0.4]
        zs = np.unique(np.concatenate([grid, keep]))
        rings = []
        for z in zs:
            pts = self.section_points(z)
            rings.append(np.column_stack([pts, np.full(len(pts), z)]))
        a0, b0, cy0 = (float(v[0]) for v in self.section(np.array([z0])))
        return Part("torso", np.array(rings), np.array([0, cy0, z0 - 0.15 * b0]),
                    np.array([0, float(self.section(np.array([z1]))[2][0]), z1 + 1.0]))

    def head_part(self, k: int = 32, n_rings: int = 14) -> Part:
        a = np.linspace(0, np.pi, n_rings + 2)[1:-1]
        ang = np.linspace(0, 2 * np.pi, k, endpoint=False)
        ax = self.head_axes
        rings = np.array([self.head_center + np.column_stack([
            ax[0] * np.sin(p) * np.cos(ang), ax[1] * np.sin(p) * np.sin(ang),
            np.full(k, -ax[2] * np.cos(p))]) for p in a])
        return Part("head", rings, self.head_center - [0, 0, ax[2]], self.head_center + [0, 0, ax[2]])

    def parts(self) -> list[Part]:
        out = [self.torso_part(), self.head_part()]
        out += [t.part() for t in self.arms.values()] + [t.part() for t in self.legs.values()]
        return out

    def mesh(self) -> tuple[np.ndarray, np.ndarray, list[tuple[str, int, int]]]:
        """(verts (cm), triangles, [(part name, first vertex, vertex count)]) of all parts."""
        verts, faces, spans, off = [], [], [], 0
        for p in self.parts():
            v, f = p.mesh()
            verts.append(v)
            faces.append(f + off)
            spans.append((p.name, off, len(v)))
            off += len(v)
        return np.concatenate(verts), np.concatenate(faces), spans

    # --- inside test and push-out (analytic) -----------------------------------------------
    def _torso_level(self, p: np.ndarray) -> np.ndarray:
        """Superellipse level (<1 inside) of points against the torso section at their height."""
        a, b, cy = self.section(p[:, 2])
        lvl = (np.abs(p[:, 0] / a) ** EXPONENT + np.abs((p[:, 1] - cy) / b) ** EXPONENT) ** (1 / EXPONENT)
        out = (p[:, 2] < self.torso_z[0]) | (p[:, 2] > self.torso_z[-1])
        return np.where(out, np.inf, lvl)

    def inside(self, p: np.ndarray, margin: float = 0.0) -> np.ndarray:
        """Bool per point: inside the body grown by ``margin`` cm (negative: shrunk)."""
        p = np.atleast_2d(np.asarray(p, float))
        if self.surface is not None:
            return self.surface.inside(p, margin)
        a, b, _ = self.section(p[:, 2])
        scale = 1.0 + margin / np.maximum(np.minimum(a, b), 1.0)
        res = self._torso_level(p) < scale
        for tube in list(self.arms.values()) + list(self.legs.values()):
            t, dist, _ = tube.local(p)
            res |= dist < tube.radius(t) + margin
        q = (p - self.head_center) / (self.head_axes + margin)
        res |= (q ** 2).sum(1) < 1.0
        return res

    def push_out(self, p: np.ndarray, margin: float = 0.5, iterations: int = 3) -> np.ndarray:
        """Move points inside the body (grown by ``margin``) radially out to its surface."""
        p = np.array(p, float)
        if self.surface is not None:
            return self.surface.push_out(p, margin, iterations)
        for _ in range(iterations):
            a, b, cy = self.section(p[:, 2])
            lvl = self._torso_level(p)
            target = 1.0 + margin / np.maximum(np.minimum(a, b), 1.0)
            m = lvl < target
            if m.any():
                p[m, 0] *= target[m] / np.maximum(lvl[m], 1e-6)
                p[m, 1] = cy[m] + (p[m, 1] - cy[m]) * target[m] / np.maximum(lvl[m], 1e-6)
            for tube in list(self.arms.values()) + list(self.legs.values()):
                t, dist, radial = tube.local(p)
                r = tube.radius(t)
                m = (r > 0) & (dist < r + margin)
                if m.any():
                    p[m] += radial[m] * (r[m] + margin - dist[m])[:, None]
            rel = (p - self.head_center) / (self.head_axes + margin)
            n = np.linalg.norm(rel, axis=1)
            m = n < 1.0
            if m.any():
                p[m] = self.head_center + rel[m] / np.maximum(n[m], 1e-6)[:, None] * (self.head_axes + margin)
        return p

    def part_of(self, p: np.ndarray) -> np.ndarray:
        """Index into ``PART_NAMES`` of the part each point (N, 3) lies deepest in or nearest to
        (signed clearance: distance outside the surface, negative inside)."""
        p = np.atleast_2d(np.asarray(p, float))
        a, b, cy = self.section(p[:, 2])  # clamped to the torso's height range
        lvl = (np.abs(p[:, 0] / a) ** EXPONENT + np.abs((p[:, 1] - cy) / b) ** EXPONENT) ** (1 / EXPONENT)
        beyond = np.abs(p[:, 2] - np.clip(p[:, 2], self.torso_z[0], self.torso_z[-1]))
        clear = [(lvl - 1.0) * np.minimum(a, b) + beyond]
        q = (p - self.head_center) / self.head_axes
        clear.append((np.linalg.norm(q, axis=1) - 1.0) * self.head_axes.min())
        for tube in (self.arms["left"], self.arms["right"], self.legs["left"], self.legs["right"]):
            t, dist, _ = tube.local(p)
            tc = np.clip(t, tube.t[0], tube.t[-1])
            r = np.maximum(tube.radius(tc), tube.r[tube.r > 0].min())  # end stations may be 0
            clear.append(dist - r + np.abs(t - tc))
        return np.argmin(np.stack(clear, axis=1), axis=1)

    def info(self) -> dict:
        """{height_cm, landmarks_cm, girths_cm} for reports."""
        girths = {k: round(self.girth(self.landmarks[k]), 2) for k in ("bust", "waist", "hip")}
        return {"height_cm": round(self.landmarks["height"], 2),
                "landmarks_cm": {k: round(v, 2) for k, v in self.landmarks.items()},
                "girths_cm": girths, "preset": self.preset}


def smoothstep(t) -> np.ndarray:
    """0 below 0, 1 above 1, 3t^2 - 2t^3 between."""
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3 - 2 * t)


def shoulder_share(x, neck_x: float, shoulder_x: float):
    """How much of a shoulder's lift (makehuman.lift_shoulders) the skin at x cm from the centre line
    takes: 0 from 1 cm inside the side-neck point in, 1 from the shoulder point out, smooth between
    (here, not in makehuman, which imports this module)."""
    return smoothstep((np.asarray(x, float) - (neck_x - 1.0)) / (shoulder_x - neck_x + 1.0))


def shoulder_drop(meas: dict[str, float], preset: str) -> float:
    """Neck base to the analytic shoulder point (``points["shoulder_left"]``, where the arm's length is
    measured from), cm: the preset's shoulder_drop, moved by what the shown body's skin there takes
    (shoulder_share, 0.89 at size M) of a given shoulder slope's difference from the
    size's own (spec.shoulder_slope), so the arm reaches as far from the reshaped shoulder. Not the
    slope itself: the drop is taken from the neck's base on the centre line to a point 0.87 of the
    half shoulder width out, the slope from the side-neck point to the shoulder point; at the sizes'
    own slopes that point lies 1.0 cm under (female M) to 0.6 cm over (female XXL) the shown skin.
    ``landmarks["shoulder"]`` keeps the preset's drop: the wrap ends the torso's rings 3 cm under it
    and rolls the bodice over the shoulder from there; moved too, a shirt / T-shirt / vest given 8
    cm (size M) wrapped with 13 / 21 / 9 self-crossings at the back neck (0 unmoved)."""
    from ..spec import shoulder_slope, side_neck_x

    drop = PRESETS[preset]["shoulder_drop"]
    if "shoulder_slope" in meas:
        sw = float(meas["shoulder_width"])
        share = shoulder_share(SHOULDER_POINT * sw / 2, side_neck_x(float(meas["neck"]), sw), sw / 2)
        drop += float(share) * (float(meas["shoulder_slope"]) - shoulder_slope(float(meas["bust"]), preset))
    return max(MIN_SHOULDER_DROP, drop)


def build_body(meas: dict[str, float], preset: str = "female") -> Body:
    """Mannequin for ``core.spec.body_measurements(spec)``-style measurements (cm)."""
    if preset not in PRESETS:
        from ..errors import UserError

        raise UserError(f"body.preset: must be one of {', '.join(PRESETS)} (got {preset!r})")
    P = PRESETS[preset]
    H = float(meas["height"])
    bust, waist, hip = float(meas["bust"]), float(meas["waist"]), float(meas["hip"])
    sw, neck = float(meas["shoulder_width"]), float(meas["neck"])
    bwl = float(meas.get("back_waist_length", 0.245 * H))
    waist_z = P["waist"] * H
    # back_waist_length runs along the body, over the shoulder blades and the top of the shoulder
    neck_z = waist_z + 0.86 * bwl
    shoulder_z = neck_z - P["shoulder_drop"]
    bust_z = waist_z + P["bust_frac"] * bwl
    underarm_z = bust_z + 0.35 * (shoulder_z - bust_z)
    hip_z = P["hip"] * H
    crotch_z = float(meas.get("inseam", 0.46 * H))
    crotch_z = min(crotch_z, hip_z - 4.0)
    head_h = H - neck_z - 2.0
    neck_top = neck_z + 0.45 * head_h

    ba, bb = solve_section(bust, P["bust_aspect"])
    wa, wb = solve_section(waist, P["waist_aspect"])
    ha, hb = solve_section(hip, P["hip_aspect"])
    na, nb = solve_section(neck, 1.05)
    half_sw = sw / 2 * 0.93  # the tape goes over the shoulder curve: the chord is shorter
    thigh_r = float(meas["thigh"]) / (2 * np.pi)
    leg_x = thigh_r + 0.8  # leg axes at the top: the thighs just apart
    # Torso stations from the crotch up through the neck; a, b, centre y (negative = forward).
    # Below the hip the torso narrows into the two thigh tops, so its bottom hides inside the legs
    # instead of showing as a rounded blob (a "diaper") where the legs join.
    st = [
        (crotch_z + 1.0, leg_x + 0.2 * thigh_r, 0.78 * thigh_r, 0.4),
        (0.5 * (crotch_z + hip_z), 0.97 * ha, 0.85 * hb, 0.35),
        (hip_z, ha, hb, 0.3),
        (waist_z, wa, wb, 0.0),
        (bust_z, ba, bb, -P["bust_fwd"]),
        (underarm_z, 0.5 * (ba + half_sw * 0.95), bb * 0.92, -0.5 * P["bust_fwd"]),
        (shoulder_z - 3.0, half_sw, bb * 0.62, 0.3),
        (shoulder_z, half_sw * 0.93, bb * 0.45, 0.5),
        (neck_z, na * 1.15, nb * 1.1, 1.0),
        (neck_z + 3.0, na, nb, 1.2),
        (neck_top, na * 0.95, nb * 0.95, 1.2),
    ]
    z, a, b, cy = (np.array(c, float) for c in zip(*st, strict=True))

    bicep_r = float(meas["bicep"]) / (2 * np.pi)
    wrist_r = float(meas["wrist"]) / (2 * np.pi)
    arm_len = float(meas.get("arm_length", ARM_LENGTH * H))
    ang = math.radians(P["arm_angle"])
    arms = {}
    for side, sx in (("left", 1.0), ("right", -1.0)):
        # Axis from inside the shoulder joint; t=0 at the shoulder point's height.
        d = np.array([sx * math.sin(ang), 0.0, -math.cos(ang)])
        p0 = np.array([sx * (half_sw - bicep_r * 0.9), 0.8, shoulder_z - bicep_r * 0.9])
        ts = np.array([0.0, 0.12, 0.3, 0.5, 0.75, 1.0, 1.12, 1.3]) * arm_len
        rs = np.array([1.15, 1.08, 1.0, 0.82, 0.78, 0.0, 0.0, 0.0]) * bicep_r
        rs[5], rs[6], rs[7] = wrist_r, wrist_r * 1.25, wrist_r * 0.9
        arms[side] = Tube(f"arm_{side}", p0, d, ts, rs)

    knee_r = float(meas["knee"]) / (2 * np.pi)
    ankle_r = float(meas["ankle"]) / (2 * np.pi)
    knee_z, ankle_z = P["knee"] * H, P["ankle"] * H
    legs = {}
    # the thigh top stays inside the hip's outline; the tube starts above the hip, inside the torso,
    # so it grows out of the pelvis rather than being stuck onto it
    top_r = min(0.95 * thigh_r, ha - leg_x - 0.3)
    for side, sx in (("left", 1.0), ("right", -1.0)):
        top = np.array([sx * leg_x, 0.4, hip_z])
        bottom = np.array([sx * (thigh_r + 2.5), 0.8, ankle_r * 0.6])
        d = (bottom - top) / np.linalg.norm(bottom - top)
        heights = np.array([hip_z + 0.3 * (waist_z - hip_z), hip_z, crotch_z, 0.5 * (crotch_z + knee_z), knee_z,
                            0.5 * (knee_z + ankle_z) + 4, ankle_z, ankle_r * 0.6])
        ts = (hip_z - heights) / -d[2]  # t along the axis at each height
        rs = np.array([0.7 * top_r, top_r, thigh_r, 0.5 * (thigh_r + knee_r), knee_r,
                       knee_r * 0.93, ankle_r, ankle_r * 0.9])
        legs[side] = Tube(f"leg_{side}", top, d, ts, rs)

    head_axes = np.array([0.075 * H * 0.92, 0.1 * H * 0.62, head_h / 2])
    head_center = np.array([0.0, 0.5, H - head_h / 2])
    landmarks = dict(height=H, head_top=H, neck_base=neck_z, shoulder=shoulder_z, underarm=underarm_z,
                     bust=bust_z, waist=waist_z, hip=hip_z, crotch=crotch_z, knee=knee_z, ankle=ankle_z)
    body = Body(dict(meas), preset, landmarks, {}, z, a, b, cy, arms, legs, head_center, head_axes)
    point_z = neck_z - shoulder_drop(meas, preset)
    pts = {"shoulder_left": [SHOULDER_POINT * sw / 2, 0.5, point_z],
           "shoulder_right": [-SHOULDER_POINT * sw / 2, 0.5, point_z]}
    for side, tube in arms.items():
        pts[f"wrist_{side}"] = (tube.p0 + arm_len * tube.d).tolist()
        pts[f"arm_axis_{side}"] = [tube.p0.tolist(), tube.d.tolist()]
    for side, tube in legs.items():
        pts[f"ankle_{side}"] = (tube.p0 + tube.t[6] * tube.d).tolist()
        pts[f"leg_axis_{side}"] = [tube.p0.tolist(), tube.d.tolist()]
    pts["neck_base_front"] = [0.0, -nb * 1.1 + 1.0, neck_z]
    pts["neck_base_back"] = [0.0, nb * 1.1 + 1.0, neck_z]
    body.points = {k: [float(x) for x in np.ravel(v)] if k.endswith(("left", "right")) and "axis" not in k
                   else v for k, v in pts.items()}
    return body


def body_for_spec(spec, preset: str | None = None) -> Body:
    """Mannequin for a GarmentSpec or spec dict (any missing measurement from its size); the preset is
    the spec's own (metadata.body_preset, female when unset) unless one is given: a male spec drafted
    for the male body is measured against that body."""
    from ..spec import GarmentSpec, body_measurements, make_spec

    if not isinstance(spec, GarmentSpec):
        spec = make_spec(spec or {"garment_type": "dress"})
    if preset is None:
        preset = str((spec.metadata or {}).get("body_preset", "female"))
    return build_body(body_measurements(spec), preset if preset in PRESETS else "female")


def body_for_pattern(pattern, preset: str | None = None) -> Body:
    """Mannequin for a Pattern's spec; the size's default body when the spec is missing or foreign
    (e.g. a GarmentCode import). ``spec.metadata.body_preset`` picks female / male."""
    from ..errors import UserError
    from ..spec import SIZES, make_spec

    spec_d = dict(pattern.spec or {})
    preset = preset or str((spec_d.get("metadata") or {}).get("body_preset", "female"))
    try:
        spec = make_spec({k: v for k, v in spec_d.items() if k != "schema"})
    except UserError:
        spec = make_spec({"garment_type": "dress"}, size=spec_d.get("size") if spec_d.get("size") in SIZES else "M")
    return body_for_spec(spec, preset)
