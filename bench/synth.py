"""A pure-Python synthetic photo renderer: a front-view person wearing the garment of a spec.

Used for the analyzer's accuracy tests and benchmark (and as synthetic targets for the
refinement loop). Silhouettes come from the spec's measurements: bodice width from the
bust, sleeve length along the arm, skirt length and flare, pant legs, hood, V openings.
The person stands in a slight A-pose on a cluttered, plain, white or transparent
background, with noise, scale, shift and crop changes. No bpy, no model download.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from garment_addon.core.proportions import ARM_LENGTH, BODY
from garment_addon.core.spec import SIZE_TABLE, GarmentSpec, body_measurements, make_spec

LINING = (28, 28, 32)  # what a product shot shows through a jacket's or vest's front opening
SKINS = [(236, 198, 170), (224, 172, 138), (198, 140, 100), (160, 105, 72), (110, 72, 50)]
HAIRS = [(30, 24, 20), (70, 45, 25), (120, 85, 50), (200, 170, 110)]
# Garment colours: saturated or clearly non-skin, so colour clustering can separate them
PALETTE = [
    (200, 30, 40),
    (30, 60, 170),
    (30, 140, 70),
    (240, 200, 40),
    (130, 40, 150),
    (20, 150, 170),
    (230, 110, 20),
    (40, 40, 45),
    (90, 110, 140),
    (170, 20, 90),
    (110, 140, 30),
    (60, 180, 230),
    (250, 130, 170),
    (20, 80, 90),
]


@dataclass
class SynthImage:
    rgb: np.ndarray  # HxWx3 uint8
    alpha: np.ndarray | None  # HxW uint8 for transparent PNGs
    garment_mask: np.ndarray  # HxW bool: the spec's garment
    person_mask: np.ndarray  # HxW bool
    truth: dict[str, Any] = field(default_factory=dict)

    def rgba(self) -> np.ndarray:
        a = self.alpha if self.alpha is not None else np.full(self.rgb.shape[:2], 255, np.uint8)
        return np.dstack([self.rgb, a])


def _lab_dist(c1, c2) -> float:
    a = cv2.cvtColor(np.uint8([[c1, c2]]), cv2.COLOR_RGB2LAB).astype(float)[0]
    return float(np.linalg.norm(a[0] - a[1]))


def _pick(rng, options, avoid=(), min_dist=45.0, border=None):
    """A colour at least min_dist (Lab) from ``avoid`` and rare among the ``border`` Lab pixels."""
    opts = list(options)
    rng.shuffle(opts)

    def stands_out(c) -> bool:
        if border is None:
            return True
        lab = cv2.cvtColor(np.uint8([[c]]), cv2.COLOR_RGB2LAB).astype(np.float32)[0, 0]
        return float((np.linalg.norm(border - lab, axis=1) < 30).mean()) < 0.03

    for need_border in (True, False):
        for c in opts:
            if all(_lab_dist(c, a) >= min_dist for a in avoid) and (stands_out(c) or not need_border):
                return tuple(int(v) for v in c)
    return tuple(int(v) for v in opts[0])


class _Canvas:
    """Body-frame drawing: y as a fraction of height from the top of the head, x in cm from centre."""

    def __init__(self, h: int, w: int, cx: float, top: float, px_height: float, height_cm: float, aa: int):
        self.cx, self.top, self.hp, self.s = cx, top, px_height, px_height / height_cm
        self.aa = aa
        self.img = np.zeros((h * aa, w * aa, 3), np.uint8)
        self.garment = np.zeros((h * aa, w * aa), np.uint8)
        self.person = np.zeros((h * aa, w * aa), np.uint8)

    def pt(self, x_cm: float, f: float) -> tuple[float, float]:
        return ((self.cx + x_cm * self.s) * self.aa, (self.top + f * self.hp) * self.aa)

    def poly(self, pts, colour, garment: bool | None = False, person: bool = True) -> None:
        p = np.round(np.asarray(pts, float)).astype(np.int32)
        cv2.fillPoly(self.img, [p], colour)
        if person:
            cv2.fillPoly(self.person, [p], 1)
        if garment is not None:
            cv2.fillPoly(self.garment, [p], 1 if garment else 0)

    def ellipse(self, x_cm, f, rx_cm, ry_cm, colour, garment: bool | None = False) -> None:
        c = self.pt(x_cm, f)
        axes = (int(rx_cm * self.s * self.aa), int(ry_cm * self.s * self.aa))
        ctr = (int(c[0]), int(c[1]))
        cv2.ellipse(self.img, ctr, axes, 0, 0, 360, colour, -1)
        cv2.ellipse(self.person, ctr, axes, 0, 0, 360, 1, -1)
        if garment is not None:
            cv2.ellipse(self.garment, ctr, axes, 0, 0, 360, 1 if garment else 0, -1)

    def limb(self, p0, p1, w0_cm, w1_cm, t0, t1, colour, garment: bool | None = False) -> None:
        """A tapered quad along the segment p0->p1 (pixel points) between fractions t0..t1."""
        p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
        d = p1 - p0
        n = np.array([-d[1], d[0]]) / (np.linalg.norm(d) + 1e-9)
        a, b = p0 + d * t0, p0 + d * t1
        wa = (w0_cm + (w1_cm - w0_cm) * t0) * self.s * self.aa / 2
        wb = (w0_cm + (w1_cm - w0_cm) * t1) * self.s * self.aa / 2
        self.poly([a + n * wa, b + n * wb, b - n * wb, a - n * wa], colour, garment)


def _shade(colour, k: float) -> tuple[int, int, int]:
    return tuple(int(np.clip(c * k, 0, 255)) for c in colour)


def _background(rng, h: int, w: int, kind: str) -> np.ndarray:
    if kind == "white":
        return np.full((h, w, 3), rng.integers(242, 256), np.uint8)
    if kind == "studio":
        base = rng.integers(60, 220, 3)
        grad = np.linspace(0.85, 1.1, h)[:, None, None]
        return np.clip(base[None, None, :] * grad * np.ones((h, w, 1)), 0, 255).astype(np.uint8)
    # cluttered room: a gradient wall with wallpaper stripes, a floor, furniture, shelves,
    # lamps and cables. Objects reach the frame edge, as furniture does in a photo: the light
    # segmentation models the background from the border (a colour seen only behind the
    # person is the case MediaPipe is for).
    img = np.zeros((h, w, 3), np.float32)
    c0, c1 = rng.integers(70, 220, 3), rng.integers(40, 200, 3)
    t = np.linspace(0, 1, h)[:, None, None]
    img[:] = c0 * (1 - t) + c1 * t
    if rng.random() < 0.5:
        period = int(rng.integers(8, 30))
        img[:, (np.arange(w) // period) % 2 == 0] *= rng.uniform(0.85, 0.95)
    floor = int(h * rng.uniform(0.7, 0.9))
    img[floor:] = rng.integers(50, 180, 3)

    def muted():
        return tuple(float(v) for v in (rng.integers(30, 230, 3) * 0.6 + rng.integers(60, 200) * 0.4))

    for _ in range(int(rng.integers(6, 14))):
        col = muted()
        kind_s = rng.integers(0, 4)
        bw, bh = int(rng.integers(w // 8, w // 2)), int(rng.integers(h // 8, h // 2))
        if kind_s == 0:  # furniture standing on the floor at a side
            x0 = 0 if rng.random() < 0.5 else w - bw
            y1 = int(rng.integers(floor, h))
            cv2.rectangle(img, (x0, y1 - bh), (x0 + bw, h), col, -1)
        elif kind_s == 1:  # a shelf or window from a side wall
            x0 = 0 if rng.random() < 0.5 else w - bw
            y0 = int(rng.integers(0, floor))
            cv2.rectangle(img, (x0, y0), (x0 + bw, y0 + bh // 2), col, -1)
        elif kind_s == 2:  # a lamp or plant cut by the top or bottom edge
            cx0 = int(rng.choice([rng.integers(0, w // 5), rng.integers(4 * w // 5, w)]))
            cv2.circle(img, (cx0, int(rng.choice([0, h]))), int(rng.integers(w // 10, w // 4)), col, -1)
        else:  # cables and frames crossing the whole picture
            cv2.line(
                img, (0, int(rng.integers(0, h))), (w, int(rng.integers(0, h))), col, int(rng.integers(1, 5))
            )
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.6, 1.5)))  # a little depth of field
    return np.clip(img, 0, 255).astype(np.uint8)


def render_spec(
    spec: GarmentSpec | dict,
    *,
    rng: np.random.Generator | int | None = None,
    size=(384, 288),
    background: str = "clutter",
    scale: float = 1.0,
    shift=(0.0, 0.0),
    noise: float = 4.0,
    crop: float = 0.0,
    colour=None,
    companion: str | None = None,
    skin=None,
    mannequin: bool = True,
    arm_angle: float | None = None,
    long_hair: bool = False,
    hair=None,
    stripes=None,
) -> SynthImage:
    """Draw ``spec`` worn by a person. ``background``: clutter, studio, white or transparent.

    ``scale`` multiplies the person's height (0.82 of the image at 1.0), ``shift`` moves it by a
    fraction of the image, ``crop`` cuts that fraction off a random side (never the head),
    ``companion`` adds a second garment ("shirt" top or "skirt"/"pants" bottom) in another colour.
    ``arm_angle`` (degrees from vertical, default 18-30: a relaxed A-pose) sets the arms.
    ``long_hair`` lets hair fall over the shoulders; ``hair`` sets its colour.
    ``stripes`` (an RGB colour) prints the spec's garment with stripes of that colour (a printed
    garment: colour clustering sees two colours).
    ``mannequin=False`` makes a product shot: the garment alone (an invisible "ghost mannequin"
    holds its shape; openings show the lining), filling the frame.
    """
    spec = spec if isinstance(spec, GarmentSpec) else make_spec(spec)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    h, w = size
    aa = 2  # draw at 2x and downsample: soft, anti-aliased edges like a photo
    body = body_measurements(spec)
    m = spec.measurements
    hcm = body["height"]
    px_h = 0.82 * h * scale
    cx = w / 2 + shift[0] * w
    top = (h - px_h) / 2 + shift[1] * h
    cv = _Canvas(h, w, cx, top, px_h, hcm, aa)
    bg = _background(rng, h * aa, w * aa, "white" if background == "transparent" else background)
    # colours that stand out from the background seen at the frame's edge (see _background)
    small = cv2.resize(bg, (w, h), interpolation=cv2.INTER_AREA)
    edge = np.concatenate(
        [
            small[:6].reshape(-1, 3),
            small[-6:].reshape(-1, 3),
            small[:, :6].reshape(-1, 3),
            small[:, -6:].reshape(-1, 3),
        ]
    )
    edge = cv2.cvtColor(edge[None], cv2.COLOR_RGB2LAB)[0].astype(np.float32)
    skin = tuple(skin) if skin is not None else _pick(rng, SKINS, [], 0, edge)
    hair = tuple(hair) if hair is not None else _pick(rng, HAIRS, [skin], 30)
    colour = tuple(colour) if colour is not None else _pick(rng, PALETTE, [skin, hair], 40, edge)
    other = _pick(rng, PALETTE, [skin, hair, colour], 55, edge)

    fit_ease = {"fitted": 1.0, "regular": 1.08, "loose": 1.2}[spec.fit]
    sw = body["shoulder_width"] * 0.92
    bust_w, waist_w, hip_w = body["bust"] * 0.32, body["waist"] * 0.32, body["hip"] * 0.34
    F = BODY
    t = spec.garment_type

    # -- body -------------------------------------------------------------------------------------
    stance = rng.uniform(4.0, 8.0)
    arm_deg = rng.uniform(18, 30) if arm_angle is None else arm_angle  # degrees from vertical
    legs = []
    for side in (-1, 1):
        hip_j = cv.pt(side * hip_w / 4.2, F["hip"] + 0.01)
        ankle = cv.pt(side * (hip_w / 4.2 + stance), F["ankle"])
        legs.append((hip_j, ankle))
        cv.limb(hip_j, ankle, body["thigh"] / math.pi * 1.05, body["ankle"] / math.pi, -0.05, 1.0, skin)
        fx, fy = cv.pt(side * (hip_w / 4.2 + stance + 2), F["ankle"] + 0.025)
        cv.ellipse((fx / aa - cx) / cv.s, (fy / aa - top) / px_h, 5, 4, _shade(skin, 0.9))
    arm_len_px = 0.33 * hcm * cv.s * aa
    arms = []
    for side in (-1, 1):
        sh = np.array(cv.pt(side * (sw / 2 - 2.5), F["shoulder"] + 0.012))
        ang = math.radians(arm_deg)
        wr = sh + arm_len_px * np.array([side * math.sin(ang), math.cos(ang)])
        arms.append((sh, wr))
        cv.limb(sh, wr, body["bicep"] / math.pi * 1.15, body["wrist"] / math.pi * 1.1, 0.0, 1.0, skin)
        hand = wr + (wr - sh) * 0.3
        cv.limb(wr, hand, body["wrist"] / math.pi * 1.3, body["wrist"] / math.pi * 0.9, 0, 1, skin)
    nk = body["neck"] / 2 / math.pi * 0.95  # half width, narrowest half-way down the neck
    cv.poly(
        [
            cv.pt(-nk * 1.1, F["chin"] - 0.01),
            cv.pt(nk * 1.1, F["chin"] - 0.01),
            cv.pt(nk, F["neck"]),
            cv.pt(nk * 1.4, F["shoulder"]),
            cv.pt(-nk * 1.4, F["shoulder"]),
            cv.pt(-nk, F["neck"]),
        ],
        skin,
    )
    torso = [
        cv.pt(-sw / 2, F["shoulder"]),
        cv.pt(sw / 2, F["shoulder"]),
        cv.pt(bust_w / 2, F["bust"]),
        cv.pt(waist_w / 2, F["waist"]),
        cv.pt(hip_w / 2, F["hip"]),
        cv.pt(hip_w / 2.2, F["crotch"]),
        cv.pt(-hip_w / 2.2, F["crotch"]),
        cv.pt(-hip_w / 2, F["hip"]),
        cv.pt(-waist_w / 2, F["waist"]),
        cv.pt(-bust_w / 2, F["bust"]),
    ]
    cv.poly(torso, _shade(skin, 0.97))

    # -- garments ---------------------------------------------------------------------------------
    def bottoms(kind: str, col, length_cm: float, flare: float, ankle_g: float, garment: bool) -> None:
        hem_f = min(F["waist"] + length_cm / hcm, 0.985)
        if kind == "pants":
            hem_f = min(hem_f, F["ankle"] + 0.01)
            cv.poly(
                [
                    cv.pt(-waist_w / 2 * 1.04, F["waist"]),
                    cv.pt(waist_w / 2 * 1.04, F["waist"]),
                    cv.pt(hip_w / 2 * 1.05, F["hip"]),
                    cv.pt(hip_w / 2.15, F["crotch"] + 0.01),
                    cv.pt(-hip_w / 2.15, F["crotch"] + 0.01),
                    cv.pt(-hip_w / 2 * 1.05, F["hip"]),
                ],
                col,
                garment,
            )
            for side, (hip_j, ankle) in zip((-1, 1), legs, strict=True):
                tt = (hem_f - F["hip"] - 0.01) / (F["ankle"] - F["hip"] - 0.01)
                top_j = np.asarray(hip_j) + np.array([side * 1.2 * cv.s * aa, 0])  # the crotch opens a gap
                cv.limb(
                    top_j,
                    ankle,
                    hip_w / 2 * (0.9 + 0.2 * (fit_ease - 1)),
                    max(ankle_g, body["ankle"] * 1.2) / math.pi * 1.1,
                    -0.1,
                    tt,
                    col,
                    garment,
                )
            return
        hem_half = hip_w / 2 * 1.03 * (1 + 4 * flare / body["hip"])
        hem_half = max(hem_half, hip_w / 2 * 1.03 if hem_f > F["hip"] else 0)
        mid_f = max(F["hip"], F["waist"] + 0.04) if hem_f > F["hip"] else hem_f
        mid_half = (
            hip_w / 2 * 1.04
            + (hem_half - hip_w / 2 * 1.03) * (mid_f - F["waist"]) / max(hem_f - F["waist"], 1e-3) * 0.5
        )
        cv.poly(
            [
                cv.pt(-waist_w / 2 * 1.04, F["waist"]),
                cv.pt(waist_w / 2 * 1.04, F["waist"]),
                cv.pt(mid_half, mid_f),
                cv.pt(hem_half, hem_f),
                cv.pt(-hem_half, hem_f),
                cv.pt(-mid_half, mid_f),
            ],
            col,
            garment,
        )

    def bodice(
        col, hem_f: float, sleeve_cm: float, neck_depth: float, v_neck: bool, garment: bool, inner=None
    ) -> None:
        ease = fit_ease * (1.06 if t in ("jacket", "hoodie") else 1.0)
        # sleeves first (the bodice covers their tops)
        if sleeve_cm > 0:
            frac = min(sleeve_cm / (ARM_LENGTH * hcm) * 1.04, 1.02)
            for sh, wr in arms:
                cv.limb(
                    sh,
                    wr,
                    body["bicep"] / math.pi * 1.45 * ease,
                    body["wrist"] / math.pi * 1.6 * ease,
                    0.0,
                    frac,
                    col,
                    garment,
                )
        hem_half = max(
            hip_w / 2 * ease * 1.03 if hem_f > F["hip"] - 0.03 else waist_w / 2 * ease * 1.05,
            waist_w / 2 * ease * 1.05,
        )
        waist_half = waist_w / 2 * (1.0 if spec.fit == "fitted" else 1.12) * ease
        pts = [
            cv.pt(-sw / 2 * 1.02, F["shoulder"]),
            cv.pt(sw / 2 * 1.02, F["shoulder"]),
            cv.pt(bust_w / 2 * ease * 1.04, F["bust"]),
            cv.pt(waist_half, F["waist"]),
        ]
        if hem_f > F["waist"] + 0.02:
            pts.append(cv.pt(hem_half, hem_f))
            pts.append(cv.pt(-hem_half, hem_f))
        else:
            pts[-1] = cv.pt(waist_half, hem_f)
            pts.append(cv.pt(-waist_half, hem_f))
        if hem_f > F["waist"] + 0.02:
            pts.append(cv.pt(-waist_half, F["waist"]))
        pts.append(cv.pt(-bust_w / 2 * ease * 1.04, F["bust"]))
        cv.poly(pts, col, garment)
        # neck opening, filled with skin or the inner garment
        nw = max(m["neckline_width"] * 0.9, 5.0)
        nf = F["shoulder"] - (0.025 if mannequin else 0.0)  # no neck above a product shot's opening
        depth = neck_depth / hcm
        # an inner layer (jacket) counts as another garment, not as this one
        fill = inner if inner is not None else _shade(skin, 0.95)
        if v_neck:
            cv.poly([cv.pt(-nw, nf), cv.pt(nw, nf), cv.pt(0, nf + depth)], fill, False)
        else:  # the lower half of an ellipse: a scoop cut into the bodice, not skin above it
            c = cv.pt(0, nf)
            half = cv2.ellipse2Poly(
                (int(c[0]), int(c[1])), (int(nw * cv.s * aa), int(neck_depth * cv.s * aa)), 0, 0, 180, 10
            )
            cv.poly(half, fill, False)

    truth: dict[str, Any] = {"garment_type": t, "others": []}
    comp = companion if mannequin else None
    if t in ("skirt", "pants"):
        length = m["skirt_length"] if t == "skirt" else m["pant_length"]
        if comp:
            truth["others"].append("shirt")
            bodice(other, F["waist"] + 0.02, 0.0, 7.0, False, False)
        bottoms(t, colour, length, m.get("flare", 0), m["ankle"], True)
    else:
        if comp and t != "dress":
            kind = comp if comp in ("skirt", "pants") else "skirt"
            truth["others"].append(kind)
            bottoms(kind, other, 32.0 if kind == "skirt" else 98.0, 6.0, body["ankle"] * 1.3, False)
        if t == "hoodie":
            cv.ellipse(0, 0.075, 11.5, 14.5, colour, True)
        if t == "dress":
            bottoms("skirt", colour, m["skirt_length"], m["flare"], 0, True)
            hem_f = F["waist"] + 0.01
        else:
            hem_f = min(F["neck"] + 0.01 + m["bodice_length"] / hcm, 0.8)
        inner = None
        if not mannequin and t in ("jacket", "vest"):
            inner = LINING
        elif t == "jacket":
            inner = _pick(
                rng, [(245, 245, 245), (30, 30, 30), (150, 150, 150)] + PALETTE, [colour, skin, other], 60
            )
            truth["others"].append("shirt")
        v = t in ("jacket", "vest") or m["neckline_depth"] > 15
        bodice(colour, hem_f, m["sleeve_length"], m["neckline_depth"], v, True, inner)
        if t in ("jacket", "hoodie") and spec.features.get("has_pockets"):
            for side in (-1, 1):  # pockets: a slightly darker patch, same garment
                cv.poly(
                    [
                        cv.pt(side * 4, hem_f - 0.07),
                        cv.pt(side * 12, hem_f - 0.07),
                        cv.pt(side * 12, hem_f - 0.03),
                        cv.pt(side * 4, hem_f - 0.03),
                    ],
                    _shade(colour, 0.85),
                    True,
                )

    # -- head (after the garments: a hood sits behind the face) ----------------------------------
    if t == "hoodie":
        cv.ellipse(0, 0.072, 7.0, 10.0, skin)
    else:
        cv.ellipse(0, 0.065, 8.0, 10.5, skin)
        cv.poly(
            [cv.pt(-7.8, 0.075), cv.pt(7.8, 0.075), cv.pt(nk * 1.1, F["chin"]), cv.pt(-nk * 1.1, F["chin"])],
            skin,
        )  # the jaw: as wide as the neck at the chin, so the neck is the narrowest row
        cv.poly(
            [
                cv.pt(-8.3, 0.062),
                cv.pt(-6, 0.012),
                cv.pt(0, -0.002),
                cv.pt(6, 0.012),
                cv.pt(8.3, 0.062),
                cv.pt(6, 0.035),
                cv.pt(-6, 0.035),
            ],
            hair,
        )
        if long_hair:  # strands falling over the shoulders, in front of the garment
            for side in (-1, 1):
                cv.poly(
                    [
                        cv.pt(side * 6.0, 0.03),
                        cv.pt(side * 8.6, 0.05),
                        cv.pt(side * 10.5, 0.26),
                        cv.pt(side * 6.5, 0.26),
                        cv.pt(side * 6.8, 0.1),
                    ],
                    hair,
                    False,
                )

    # -- composite, downsample, shading noise, crop ----------------------------------------------
    if not mannequin:  # product shot: keep the garment and its lining, then fill the frame with it
        cv.person = ((cv.garment > 0) | np.all(cv.img == LINING, axis=2)).astype(np.uint8)
        ys, xs = np.nonzero(cv.person)
        pad = int(0.1 * max(ys.ptp(), xs.ptp()))
        y0, y1, x0, x1 = ys.min() - pad, ys.max() + pad, xs.min() - pad, xs.max() + pad
        k = min(h * aa / (y1 - y0), w * aa / (x1 - x0))
        mat = np.float32([[k, 0, w * aa / 2 - k * (x0 + x1) / 2], [0, k, h * aa / 2 - k * (y0 + y1) / 2]])
        warp = dict(dsize=(w * aa, h * aa), flags=cv2.INTER_NEAREST)
        cv.img, cv.person, cv.garment = (
            cv2.warpAffine(a, mat, **warp) for a in (cv.img, cv.person, cv.garment)
        )
    if stripes is not None:  # horizontal bands, a fifth of a head apart, on the garment only
        period = max(4, int(0.026 * px_h * aa))
        rows = (np.arange(cv.img.shape[0]) // period) % 2 == 1
        cv.img[(cv.garment > 0) & rows[:, None]] = stripes
    person = cv.person > 0
    img = np.where(person[..., None], cv.img, bg)
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
    pm = cv2.resize(cv.person * 255, (w, h), interpolation=cv2.INTER_AREA)
    gm = cv2.resize(cv.garment * 255, (w, h), interpolation=cv2.INTER_AREA) > 127
    light = np.linspace(1.06, 0.92, w)[None, :, None] * rng.uniform(0.9, 1.05)
    img = img.astype(np.float32) * np.where(pm[..., None] > 0, light, 1.0)
    img += rng.normal(0, noise, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    alpha = pm.astype(np.uint8) if background == "transparent" else None
    if background == "transparent":
        img[pm == 0] = 0
    pmask = pm > 127
    if crop > 0:
        side = rng.integers(0, 3)  # left, right or bottom; never the head
        c = int(crop * (w if side < 2 else h))
        sl = (
            (slice(None), slice(c, None))
            if side == 0
            else ((slice(None), slice(0, w - c)) if side == 1 else (slice(0, h - c), slice(None)))
        )
        img, gm, pmask = img[sl], gm[sl], pmask[sl]
        alpha = alpha[sl] if alpha is not None else None
    truth.update(size=spec.size, height_cm=hcm, colour=colour, background=background)
    return SynthImage(np.ascontiguousarray(img), alpha, gm, pmask, truth)


def random_spec(garment_type: str, rng: np.random.Generator) -> GarmentSpec:
    """A random but plausible spec of a type (lengths, sleeves, flare and fit vary)."""
    from garment_addon.core.spec import SIZES

    size = str(rng.choice(SIZES[1:5]))
    meas: dict[str, float] = {}
    feats: dict[str, Any] = {"fit": str(rng.choice(["fitted", "regular", "loose"]))}
    t = garment_type
    if t in ("shirt", "jacket", "hoodie"):
        meas["sleeve_length"] = float(
            rng.choice([20.0, 35.0, 58.0, 60.0]) if t == "shirt" else rng.uniform(55, 62)
        )
    if t == "shirt":
        meas["bodice_length"] = float(rng.uniform(52, 68))
        meas["neckline_depth"] = float(rng.uniform(5, 11))
    if t == "jacket":
        meas["bodice_length"] = float(rng.uniform(62, 80))
        meas["neckline_depth"] = float(rng.uniform(19, 28))
    if t == "hoodie":
        meas["bodice_length"] = float(rng.uniform(58, 70))
    if t == "vest":
        meas["bodice_length"] = float(rng.uniform(52, 64))
        meas["neckline_depth"] = float(rng.uniform(18, 26))
    if t == "dress":
        meas["skirt_length"] = float(rng.uniform(42, 100))
        meas["sleeve_length"] = float(rng.choice([0.0, 20.0, 35.0, 58.0]))
        meas["flare"] = float(rng.choice([2.0, 8.0, 25.0]))
        meas["neckline_depth"] = float(rng.uniform(6, 12))
    if t == "skirt":
        meas["skirt_length"] = float(rng.uniform(35, 95))
        meas["flare"] = float(rng.choice([2.0, 8.0, 25.0]))
    if t == "pants":
        meas["pant_length"] = float(rng.uniform(55, 104))
        meas["ankle"] = float(rng.choice([24.0, 46.0]))
    return make_spec({"garment_type": t, "size": size, "measurements": meas, "features": feats})


def expected_attributes(spec: GarmentSpec) -> dict[str, str]:
    """The categorical attributes a perfect analyzer would report for ``render_spec(spec)``."""
    from garment_addon.core.categories import length_class, silhouette_class, sleeve_class

    m, t = spec.measurements, spec.garment_type
    hcm = body_measurements(spec)["height"]
    out: dict[str, str] = {}
    if t in ("dress", "skirt"):
        out["length"] = length_class(BODY["waist"] + m["skirt_length"] / hcm)
        out["silhouette"] = silhouette_class(1 + 4 * m["flare"] / m["hip"], t)
    if t == "pants":
        out["length"] = length_class(min(BODY["waist"] + m["pant_length"] / hcm, BODY["ankle"] + 0.01))
        out["silhouette"] = "wide-leg" if m["ankle"] > 1.5 * SIZE_TABLE[spec.size]["ankle"] else "fitted"
    if t not in ("skirt", "pants"):
        out["sleeves"] = sleeve_class(m["sleeve_length"] / (ARM_LENGTH * hcm))
    return out


PHOTO_BACKGROUNDS = ("clutter", "studio", "white", "transparent", "clutter")


def photo_cases(per_type: int, seed: int):
    """(spec, SynthImage) over every PHOTO_TYPES type: clutter, noise, scale, shift, crop, long hair and
    two-garment outfits (the accuracy test's and the benchmark's photo set)."""
    from garment_addon.core.garments import PHOTO_TYPES

    rng = np.random.default_rng(seed)
    for t in PHOTO_TYPES:
        for k in range(per_type):
            spec = random_spec(t, rng)
            img = render_spec(
                spec,
                rng=rng,
                background=PHOTO_BACKGROUNDS[k % 5],
                companion=(k % 3 == 1),
                scale=rng.uniform(0.8, 1.15),
                shift=(rng.uniform(-0.08, 0.08), rng.uniform(-0.04, 0.04)),
                noise=rng.uniform(2, 10),
                crop=float(rng.choice([0, 0, 0.06, 0.1])),
                long_hair=(k % 4 == 3),
            )
            yield spec, img


def product_cases(seed: int = 7, per_type: int = 6):
    """Garments alone (no person) on white, studio and transparent backgrounds."""
    from garment_addon.core.garments import PHOTO_TYPES

    rng = np.random.default_rng(seed)
    for t in PHOTO_TYPES:
        for k in range(per_type):
            spec = random_spec(t, rng)
            yield (
                spec,
                render_spec(
                    spec,
                    rng=rng,
                    background=["white", "studio", "transparent"][k % 3],
                    mannequin=False,
                    noise=rng.uniform(2, 8),
                ),
            )
