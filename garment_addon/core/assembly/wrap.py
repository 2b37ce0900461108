"""Wrap: place every meshed piece around the mannequin in numpy (instant, no physics).

Three steps:
1. Map each piece onto its body region: torso / skirt pieces onto rings around the torso (the
   piece's x becomes arc length around the body, y becomes height), sleeves and pant legs onto
   tubes around the limb axes, bands (collar, cuffs, waistband, hood) grown from the edge they
   are sewn to, GarmentCode pieces by their ``placement``.
2. Snap seams: every group of sewn vertices moves to its mean and the displacement spreads
   smoothly (harmonic) over each piece, so seams meet exactly.
3. Push out: vertices inside the body (grown by the offset) move radially to its surface.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, identity
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu
from scipy.spatial import ConvexHull, cKDTree

from ..body.mannequin import Body, polygon_perimeter, smoothstep, superellipse
from ..body.surface import row_norms
from ..interop.garmentcode import placed
from ..mesh.triangulate import GarmentMesh, face_edges, fisheye_darts, neighbour_sum, resample
from ..pattern.builder import v_darts
from ..pattern.drafting.parts import is_shawl, is_tailored
from ..pattern.drafting.shirt_collar import COLLAR_FALL
from ..pattern.geometry import crossings
from ..pattern.measure import front_edge_range
from .quality import crossing_edges, push_out

OFFSET = 1.0  # cm between body and garment after wrapping
RELAX_ITERATIONS = 30
# imports start further from their flat shape (placed roughly): 5-10 % stretch after 30, 2.5-7 % after 90
# (150 took it lower still, but the GarmentCode dress's drape then hit the frame cap: 122 -> 151 frames)
IMPORT_RELAX_ITERATIONS = 90
HOOD_AIR = 3.0  # cm between head and hood: the room a hood has
# cm off the skin (along the ray from the head's axis) that a hood's face edge lies, the cloth within
# HOOD_FACE_FADE cm (flat) of it drawn in toward that from the HOOD_AIR ring: the edge of a hood frames
# the face, the room is at the back of the head (at HOOD_AIR all round, the hoodie M drape's face edge
# stood 3.3 cm off the chin and 5.2-5.5 off the cheeks; 2.0 took the chin to 1.1 after the relax and the
# opening 13.2 -> 9.4 cm wide at the chin, 2.5: 1.7 / 10.0, 3.0: 2.2 / 10.6)
HOOD_FACE_AIR = 2.5
HOOD_FACE_FADE = 8.0
# degrees the hood's top is turned forward round the head's left-right axis (none at the head centre's
# height, in full at the crown): a hood sits on the crown and its crown seam runs over the top of the
# head to the forehead. Laid in level rings up to a point on the top, the face edge's top 2 cm (cut)
# crossed the crown ring 6.6 cm to that point and the edge lay 19 % longer than it is cut, the crown seam
# 7.5 % shorter (hoodie M; 20 / 30 / 35 / 50 degrees: face +13 / +2 / -1 / -5 %, crown -7 / -6 / -5 / +3 %)
HOOD_TILT = 30.0
# cm: an open front's hood, the upper half's front (_upper_side) over the other's where they cross past the
# centre (as _lift_front_overlap): 0.8 as the fronts, the hooded jacket M drape took them through each
# other there (9 crossings; 1.2: 0)
HOOD_OVERLAP_LIFT = 1.2
# cm of a V neckline's drop over which a hood's columns go from the ring round the head to lying on the
# neckline they are sewn to, and cm above the neck base over which they leave it for the ring: picked
# from the wrap sweep (female hooded jacket and parka XS..XXL x fit 58 + 67 crossings before, 6 + 5
# with 12 / 10, all at XS regular; 2 / 4 gave 84 over four cases; 14 / 14 0 at M..XXL, 9 a case at XS;
# 0 + 0 since _radially_onto takes the outermost crossing)
HOOD_DROP_FADE = 12.0
HOOD_BLEND = 10.0
# cm: an open front's overlap from which its ring leaves the overlap out (_place_ring): jackets (3) and
# vests (2). A shirt's 1.5 cm placket keeps it in: left out, the placket shirt XL's drape raised its
# front hem -0.12 / -0.09 / -0.27 -> 1.18 / 0.98 / -0.44 cm over 3 starts (button-down XXL -0.15 -> 0.65),
# its wrap's the same; not looked into
RING_LAP_MIN = 2.0
# cm over the fronts' break point (as _hung lays it flat: 1.0 / -1.2 cm from the waist at M / XL, the wrap
# takes it 1.5-6 over) from which the ring keeps the overlap (left out in full 2 cm lower): 4 left 3-6 % of
# the lapels' points inside their fronts (jacket M / XL on the analytic body), 2 the jacket XL's waist 3 cm
# over its sewn waist
BREAK_FADE = 3.0

HANG_WIDER = 1.1  # an imported skirt ring this much wider than the body hangs (in flutes) from there down
RELAX_OMEGA = 1.5  # over-relaxation: 1.5 converges faster than plain Jacobi (1.0), stays stable
EXTENSION_LIFT = 0.6  # cm: a band's button extension lies this far out over the end it overlaps

TORSO = ("torso", "skirt")
ARM = ("arm", "sleeve")


def _lm(piece, *names) -> np.ndarray | None:
    for n in names:
        if n in piece.landmarks:
            return np.asarray(piece.landmarks[n], float)
    return None


def _center_x(piece) -> float:
    """x of the piece's centre line (centre front/back, sleeve cap top, leg crease)."""
    if (piece.body_region or "").startswith("leg"):  # the crease line; the waist is off-centre
        c = _lm(piece, "knee_center", "hem_center", "crease")
    else:
        c = _lm(piece, "center", "centre", "waist_center", "hem_center", "hps", "cap_top", "crease")
    if c is not None:
        return float(c[0])
    if len(piece.grainline) == 2:
        return float(np.mean([piece.grainline[0][0], piece.grainline[1][0]]))
    xs = piece.outline[:, 0]
    return float((xs.min() + xs.max()) / 2)


def _side(region: str) -> str:
    return "right" if "right" in region else "left"


def _width_at(outline: np.ndarray, y: np.ndarray, keep=(-np.inf, np.inf)) -> np.ndarray:
    """Horizontal extent (max x - min x of the outline's crossings, within ``keep``) at each height y."""
    xmin, xmax = _x_span(outline, y, keep)
    w = xmax - xmin
    # above / below the piece: its top / bottom width
    return np.where(np.isfinite(w), w, 0.0)


def _x_span(outline: np.ndarray, y: np.ndarray, keep=(-np.inf, np.inf)) -> tuple[np.ndarray, np.ndarray]:
    """(min x, max x) of the outline's crossings (within ``keep``) at each height y; inf off the piece."""
    p, q = outline, np.roll(outline, -1, axis=0)
    lo, hi = np.minimum(p[:, 1], q[:, 1]), np.maximum(p[:, 1], q[:, 1])
    y = np.asarray(y, float)[:, None]
    hit = (y >= lo) & (y <= hi) & (hi > lo)
    t = np.where(hit, (y - p[:, 1]) / np.where(hi > lo, q[:, 1] - p[:, 1], 1), 0)
    x = p[:, 0] + t * (q[:, 0] - p[:, 0])
    return (np.maximum(np.where(hit, x, np.inf).min(axis=1), keep[0]),
            np.minimum(np.where(hit, x, -np.inf).max(axis=1), keep[1]))


def _width_fn(outline: np.ndarray, keep=(-np.inf, np.inf)):
    """Width as a function of y (within ``keep``), extended flat beyond the piece's ends."""
    ys = np.linspace(outline[:, 1].min() + 1e-6, outline[:, 1].max() - 1e-6, 64)
    ws = _width_at(outline, ys, keep)
    # a curved hem (flare) rises toward the sides: just above its lowest point the outline is only
    # crossed near the centre, so take the widest crossing a few cm up instead
    low = ys < ys[0] + 6.0
    ws[low] = [ws[(ys >= y) & (ys <= y + 6.0)].max() for y in ys[low]]
    return lambda y: np.interp(y, ys, ws)


def _anchor_z(piece, body: Body, kind: str) -> float:
    """Height offset: z = y + offset, from the piece's landmarks or its top edge."""
    L = body.landmarks
    if kind == "leg":  # front and back legs rise differently at the waist: align at the hip line
        for name, z in (("hip_level", L["hip"]), ("knee_center", L["knee"])):
            p = _lm(piece, name)
            if p is not None:
                return z - float(p[1])
    anchors = (("waist", L["waist"]), ("waist_center", L["waist"]), ("hps", L["neck_base"]), ("hip", L["hip"]),
               ("bust", L["bust"]), ("underarm", L["underarm"]), ("armpit", L["underarm"]), ("crotch", L["crotch"]))
    for name, z in anchors:
        p = _lm(piece, name)
        if p is not None:
            return z - float(p[1])
    top = float(piece.outline[:, 1].max())
    if kind == "skirt" or kind == "leg":
        return L["waist"] - top
    return L["neck_base"] + 1.0 - top  # bodice: the side-neck point sits at the neck base


def _circle_points(z: np.ndarray, s: np.ndarray, circ: np.ndarray, center: np.ndarray, radius: np.ndarray,
                   offset: float) -> np.ndarray:
    """Points at arc length s (from the front, counter-clockwise seen from above) on horizontal
    circles of circumference ``circ`` (at least the limb's radius + offset) around ``center``."""
    r = np.maximum(circ / (2 * np.pi), radius + offset)
    ang = -np.pi / 2 + s / r
    return np.column_stack([center[:, 0] + r * np.cos(ang), center[:, 1] + r * np.sin(ang), z])


def _torso_ring_fast(body: Body, z: np.ndarray, s: np.ndarray, circ: np.ndarray, offset: float,
                     hang: float | None = None, front: np.ndarray | None = None, shown: bool = False,
                     upto: float | None = None, since: float | None = None, crest: bool = False,
                     clear: bool = False) -> np.ndarray:
    """Vectorised _ring_points for the torso: one arc-length table per 1 cm height bin.

    hang: the height a flared skirt hangs from (its hip): below it a ring wider than a cone opening
    FLARE_CONE from there is not stood out to its full width (a lampshade, its panels stretched
    along the slant) but hangs in FLUTES folds round that cone, so every row keeps its flat length
    and the drape starts from the pattern's lengths (there the ring's length follows the height, so
    a bin is its height alone and each point keeps its share of the way round), its troughs no deeper
    than the cone's clearance over the section where ``clear``; ``crest``: a flute stands out at the centre
    front (_fluted).
    shown / upto / since: the body's section as _outline gives it."""
    out = np.zeros((len(z), 3))
    zb = np.round(z).astype(int)
    cb = np.round(circ).astype(int) if hang is None else np.zeros(len(z), int)
    keys, inv = np.unique(zb * 100000 + cb, return_inverse=True)
    s = np.asarray(s, float)
    # every bin's section and ring at once (a bin at a time, this was most of a wrap's time)
    n_bins = len(keys)
    count = np.bincount(inv, minlength=n_bins)
    zz = np.bincount(inv, z, n_bins) / count
    cc = np.bincount(inv, circ, n_bins) / count
    # below the hip a garment hangs straight from the hip instead of following the crotch in
    # the body's section there (the shown body's tape-measure outline once attached: on the
    # superellipse of the same girth the ring ran 4-7 cm inside the size L-XL bust, and the push-out
    # stretched the front over each apex 1.6-1.7x)
    pts, cy = _outline(body, np.maximum(zz, body.landmarks["hip"]), shown, upto, since)  # (bins, 257, 2)
    arc = np.concatenate([np.zeros((n_bins, 1)), np.cumsum(row_norms(np.diff(pts, axis=1)), axis=1)],
                         axis=1)
    body_ring = arc[:, -1]
    c = np.maximum(cc, body_ring + 2 * np.pi * offset)
    curves = [(pts[k], arc[k]) for k in range(n_bins)]  # each bin's outline and its arc length table
    fluted = np.zeros(n_bins, bool)
    if hang is not None:
        for k in range(n_bins):
            room = np.tan(np.radians(FLARE_CONE)) * max(hang - zz[k], 0.0)
            cone = body_ring[k] + 2 * np.pi * (offset + room)
            if c[k] > 1.02 * cone:
                pk = _fluted(pts[k] * (cone / arc[k][-1]), c[k], crest, room if clear else np.inf)
                curves[k] = pk, np.concatenate([[0], np.cumsum(row_norms(np.diff(pk, axis=0)))])
                fluted[k] = True
    # every bin's scale and every point's share round its ring at once (bin by bin, the shares took
    # as long as the look-ups in the outlines)
    length = np.array([a[-1] for _, a in curves])
    scale = c / length
    share = s if hang is None else s * c[inv] / np.maximum(circ, 1e-9)
    sm = np.mod(share, (length * scale)[inv])
    if front is not None:  # the side seams at the body's sides (see _place_ring)
        arms = _under_arms(body, pts, cy)
        for k in np.nonzero(fluted)[0]:
            arms[k] = _under_arms(body, curves[k][0][None], cy[k:k + 1])[0]
        ends = np.array([a[[64, 192]] for _, a in curves])
        at_arms = np.array([a[i] for (_, a), i in zip(curves, arms, strict=True)])
        side = ((ends + UNDER_ARM * (at_arms - ends)) * scale[:, None])[inv]
        ck = c[inv]
        hf = np.clip(front, 1.0, 0.5 * ck - 1.0)
        at_sides = np.where(sm <= hf, sm / hf * side[:, 0], np.where(
            sm >= ck - hf, ck - (ck - sm) / hf * (ck - side[:, 1]),
            side[:, 0] + (sm - hf) / np.maximum(ck - 2 * hf, 1e-9) * (side[:, 1] - side[:, 0])))
        # between the bust and the underarm (the armholes' bottoms), fading out by the waist
        # and the roll over the shoulder: all the way, the rings' shares were bent everywhere
        # (jacket mean stretch 0.05 -> 0.10) and the collar seam doubled back (28-64 crossings)
        L = body.landmarks
        top = L["shoulder"] - 3.0
        w = np.clip(np.minimum((zz - L["waist"]) / max(L["bust"] - L["waist"], 1.0),
                               (top - zz) / max(top - L["underarm"], 1.0)), 0.0, 1.0)
        sm = sm + w[inv] * (at_sides - sm)
    # each bin's points as a run of indices (ascending, as a mask would pick them)
    order = np.argsort(inv, kind="stable")
    stops = np.cumsum(count)
    for k in range(n_bins):
        m = order[stops[k] - count[k]:stops[k]]
        (pk, ak), sk = curves[k], scale[k]
        out[m, 0] = np.interp(sm[m], ak * sk, pk[:, 0] * sk)
        out[m, 1] = np.interp(sm[m], ak * sk, pk[:, 1] * sk) + cy[k]
    out[:, 2] = z
    return out


# how far from the body's widest point toward the point under the arm a front's side seam goes, from
# the bust up: at the widest point (0) a size XXL bust took the armholes' bottoms 6-8 cm forward of
# the arm (dress XXL sleeve 5x stretched under the arm); under the arm (1) the fronts, cut for a
# B cup, were stretched round the bust (apex-region stretch dress XL 1.22)
UNDER_ARM = 0.3
SIDE_CLEAR = 0.6  # the outer share of a front's half width over which its lift down the bust fades out
FLARE_CONE = 12.0  # degrees: how far out from the hip a flared skirt's wrap opens; the rest is folds
FLUTES = 12  # folds round a flared skirt's wrap


# cm over which a lapelled ring's section turns from the shown body's outline (up to the armholes'
# bottoms) into the analytic one: the lapels' tops, the gorge and the collar are laid out on the
# analytic upper chest, and on the shown one a lapel ran through its collar by the gorge (jacket
# S..XL 5-15 wrap crossings with the shown outline all the way up)
LAPEL_FADE = 10.0
# cm above the waist over which a jumpsuit's bodice ring turns from the analytic section (where its
# band meets the legs) into the shown body's outline (_place_ring)
SHOWN_FADE_IN = 10.0


def _shown_share(z: np.ndarray, upto: float | None, since: float | None = None) -> np.ndarray:
    """How much of the shown body's outline a ring takes at heights z: all of it without ``upto``,
    up to ``upto`` with a lapel, none LAPEL_FADE above it (smoothstep between); with ``since`` (a
    bodice over trouser legs) none up to ``since``, all of it SHOWN_FADE_IN above it."""
    z = np.asarray(z, float)
    out = np.ones(np.shape(z))
    if upto is not None:
        out *= smoothstep((upto + LAPEL_FADE - z) / LAPEL_FADE)
    if since is not None:
        out *= smoothstep((z - since) / SHOWN_FADE_IN)
    return out


def _outline(body: Body, z: np.ndarray, shown: bool, upto: float | None = None,
             since: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """body.outline(z, shown); with ``upto`` (a ring with a turned lapel) the shown outline only up to
    there, blended into the analytic section above it, with ``since`` only from there up, blended
    into the analytic section below it (_shown_share)."""
    pts, cy = body.outline(z, shown)
    if not shown or (upto is None and since is None):
        return pts, cy
    w = _shown_share(z, upto, since)
    flat, fcy = body.outline(z, False)
    return w[:, None, None] * pts + (1 - w)[:, None, None] * flat, w * cy + (1 - w) * fcy


def _fluted(pts: np.ndarray, length: float, crest: bool = False, room: float = np.inf) -> np.ndarray:
    """The closed curve ``pts`` (first point = last, the centre front) with FLUTES radial waves
    (a trough at the centre front, or with ``crest`` a crest) deep enough that it is ``length`` long.
    A spread panel is as full at the centre front as anywhere: a trough there hung between the legs
    (a flared maxi dress's front parted like trouser legs from the knee down).
    The troughs go in at most ``room`` (cm): waves deeper than that stand out from ``pts`` by the rest.
    All the way in, the troughs of the rows hung just below the hip ran into the hips and thighs (the
    cone clears the hip's section by little there): dress XS flare 40's, whose rows are fuller for
    its girth (1.89x the cone's length at the hem, M 1.76x), up to 5.3 cm at the crotch; pushed out,
    one folded through the flute beside it (2 wrap self-crossings, 4 / 4 / 4 over 3 drapes, all in
    front of the left thigh; 0 / 0 / 0 with ``room``)."""
    seg = row_norms(np.diff(pts, axis=0))
    u = np.concatenate([[0], np.cumsum(seg)]) / seg.sum()
    tangent = np.gradient(pts, axis=0)
    normal = np.column_stack([tangent[:, 1], -tangent[:, 0]])
    normal /= np.maximum(row_norms(normal), 1e-12)[:, None]
    if np.sum(normal * (pts - pts.mean(axis=0))) < 0:
        normal = -normal
    base = np.column_stack([np.interp(_FLUTE_SAMPLES, u, pts[:, k]) for k in range(2)])
    nrm = np.column_stack([np.interp(_FLUTE_SAMPLES, u, normal[:, k]) for k in range(2)])
    wave = (-1.0 if crest else 1.0) * _FLUTE_WAVE * nrm

    # the length grows with the amplitude: tabulated at once, read back (the ring is scaled to its
    # exact length afterwards)
    amps = np.linspace(0.0, seg.sum() / FLUTES, 24)
    lift = np.maximum(amps - room, 0.0)[:, None, None] * nrm[None]  # the troughs held ``room`` in
    lengths = row_norms(np.diff(base[None] + amps[:, None, None] * wave[None] + lift, axis=1)).sum(axis=1)
    amp = float(np.interp(length, lengths, amps))
    return base + amp * wave + max(amp - room, 0.0) * nrm


# enough samples per wave that the curve's length is measured, not cut short; the waves' shape there
_FLUTE_SAMPLES = np.linspace(0, 1, 12 * FLUTES + 1)
_FLUTE_WAVE = -np.cos(2 * np.pi * FLUTES * _FLUTE_SAMPLES)[:, None]


def _over_shoulder(body: Body, pts: np.ndarray, z: np.ndarray, top: np.ndarray | None = None) -> np.ndarray:
    """Roll the part of a bodice above the upper chest back over the shoulder toward the mid-plane,
    so front and back meet on top of the shoulder with their own length, not stretched.
    top: the height of each point's column's top (its piece's outline straight above it): a column
    longer above the roll's start than a quarter circle of its depth rolls over a quarter ellipse
    that tall instead of running straight up past it, where front and back stood back to back in a
    fin above the shoulder and the relax folded them through each other (sleeveless jumpsuit S /
    male M: 27 / 31 crossings)."""
    zb = body.landmarks["shoulder"] - 3.0
    e = np.maximum(z - zb, 0.0)
    cy = body.section(np.full(len(z), zb))[2]
    depth = pts[:, 1] - cy
    r = np.maximum(np.abs(depth), 1.0)
    a = np.minimum(e / r, np.pi / 2)
    out = pts.copy()
    out[:, 1] = cy + depth * np.cos(a)
    out[:, 2] = np.where(e > 0, zb + r * np.sin(a) + np.maximum(e - r * np.pi / 2, 0.0), z)
    if top is not None:
        top = np.maximum(top - zb, e)
        tall = (e > 0) & (top > r * np.pi / 2)
        if tall.any():
            b = _quarter_ellipse_height(r[tall], top[tall])
            a = np.pi / 2 * e[tall] / top[tall]
            out[tall, 1] = cy[tall] + depth[tall] * np.cos(a)
            out[tall, 2] = zb + b * np.sin(a)
    return out


def _quarter_ellipse_height(r: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The height b of the quarter ellipse (half widths r, b) that is ``length`` long (Ramanujan)."""
    lo, hi = r.copy(), np.maximum(length, r)
    for _ in range(30):
        b = 0.5 * (lo + hi)
        quarter = np.pi / 4 * (3 * (r + b) - np.sqrt((3 * r + b) * (r + 3 * b)))
        lo, hi = np.where(quarter < length, b, lo), np.where(quarter < length, hi, b)
    return 0.5 * (lo + hi)


def _uses_placement(piece) -> bool:
    """Imported pieces (GarmentCode) carry their own 3D placement and no landmarks: use it."""
    pl = piece.placement or {}
    return {"translation", "rotation"} <= set(pl) and (not piece.landmarks or not piece.body_region)


def _rings(pattern) -> dict[str, list]:
    """Pieces grouped into rings that together go once around a body part."""
    groups: dict[str, list] = {}
    for p in pattern.pieces:
        r = p.body_region or ""
        if r.startswith("torso"):
            key = "torso"
        elif r.startswith("skirt"):
            key = "skirt"
        elif r.startswith(("leg_left", "leg_right")):
            key = "leg_" + _side(r)
        else:
            continue
        groups.setdefault(key, []).append(p)
    return groups


def _is_back(piece) -> bool:
    r = piece.body_region
    return "back" in r or "back" in piece.name


def _blend_to_hips(body: Body, p, v: np.ndarray, z: np.ndarray, leg: np.ndarray, all_legs, offset: float):
    """Above the crotch a trouser piece leaves its leg tube for its quarter of a ring around the
    hips (centre front / back at the piece's waist_center), blending up to the hip line from the legs'
    own crotch where it is cut below the body's."""
    wc = _lm(p, "waist_center")
    L = body.landmarks
    if wc is None or L["hip"] <= L["crotch"]:
        return leg
    circ = np.zeros(len(v))
    for q in all_legs:
        circ += _width_fn(_flat_worn(q, q.outline))(z - _anchor_z(q, body, "leg"))
    zs = np.maximum(z, L["crotch"])
    circ = np.maximum(circ, _section_perimeter(body, zs, "torso") + 2 * np.pi * offset)
    s = (v[:, 0] - float(wc[0])) + (circ / 2 if _is_back(p) else 0.0)
    hips = _torso_ring_fast(body, zs, s, circ, offset)
    hips[:, 2] = z
    # trousers' crotch, cut CROTCH_DEPTH_EASE under the rise, lies under the body's: blended from the
    # body's, the front and back side seams crossed just above it (pants L..XXL loose: 20 wrap crossings;
    # a one-piece's legs, cut ONE_PIECE_CROTCH_EASE under it: overalls / loose jumpsuit XXL 6 / 2, 1.5 cm)
    lo = min([L["crotch"]] + [float(_lm(q, "crotch")[1]) + _anchor_z(q, body, "leg") for q in all_legs
                              if not _is_back(q) and _lm(q, "crotch") is not None])
    w = smoothstep((z - lo) / (L["hip"] - lo))[:, None]
    return (1 - w) * leg + w * hips


def lapel_side(piece, pts: np.ndarray) -> np.ndarray | None:
    """Signed distance (cm) of each point from a front's roll line, positive on the lapel's side
    (the side that turns back); None for a piece without a lapel."""
    a, b, tip = _lm(piece, "roll_start"), _lm(piece, "roll_end"), _lm(piece, "lapel_point")
    if a is None or b is None or tip is None:
        return None
    d = (b - a) / np.linalg.norm(b - a)
    rel = np.asarray(pts, float) - a
    side = rel[:, 0] * d[1] - rel[:, 1] * d[0]
    return side * np.sign((tip - a)[0] * d[1] - (tip - a)[1] * d[0])


ON_FOLD = 1e-6  # cm: a vertex this close to the roll line lies on the fold (the mesh has some there)


def fold_lapel(piece, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of a front as worn: its lapel (past the roll line, on the lapel point's side) turned back
    over the roll line. Returns (points, which were turned); a piece without a lapel is unchanged,
    points on the roll line stay where they are and count as not turned."""
    pts = np.asarray(pts, float)
    side = lapel_side(piece, pts)
    if side is None:
        return pts, np.zeros(len(pts), bool)
    a, b = _lm(piece, "roll_start"), _lm(piece, "roll_end")
    d = (b - a) / np.linalg.norm(b - a)
    turned = side > ON_FOLD
    rel = pts[turned] - a
    out = pts.copy()
    out[turned] = a + 2 * np.outer(rel @ d, d) - rel
    return out, turned


def _side_of(u: np.ndarray, origin: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Which side (+1 / -1) of the line through ``origin`` along ``u`` each point ``q`` lies on."""
    q = np.atleast_2d(q) - origin
    return np.sign(u[0] * q[:, 1] - u[1] * q[:, 0])


def waist_darts(piece) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(tip, base of the leg that stays, base of the leg closed onto it) of each dart cut into the
    piece's outline (two adjacent seam edges meeting at a ``*_tip`` point) that opens up or down,
    on a waist or hem: it takes width out. The leg on the side of the piece's anchor (its waist /
    hem centre, what _anchor_z aligns) stays. A side bust dart (opening sideways) takes length,
    which the front keeps over the bust: closed here too, the front's armhole, shoulder and gorge
    sheared down and the jacket's wrap crossed itself more at the underarms and the collar
    (S / M / L / XL: 24 / 2 / 5 / 0 -> 51 / 15 / 9 / 4): a front hangs from the shoulder with
    its side darts closed onto their upper legs instead (hung_from_shoulder)."""
    out = []
    anchor = _lm(piece, "waist_center", "waist", "hem_center", "hip_level", "center")
    anchor = piece.outline.mean(axis=0) if anchor is None else anchor
    for tip, ba, bb in _cut_darts(piece):
        u = 0.5 * (ba + bb) - tip
        if abs(u[1]) > abs(u[0]):
            out.append((tip, ba, bb) if _side_of(u, tip, ba) == _side_of(u, tip, anchor) else (tip, bb, ba))
    return out


def length_darts(piece) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(tip, base of the upper leg, base of the lower leg) of each dart cut into the piece's outline
    that opens sideways (a side bust dart): it takes length out at the side seam, which the front
    keeps over the bust."""
    out = []
    for tip, a, b in _cut_darts(piece):
        u = 0.5 * (a + b) - tip
        if abs(u[0]) >= abs(u[1]):
            out.append((tip, a, b) if a[1] > b[1] else (tip, b, a))
    return out


def _cut_darts(piece) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(tip, base, base) of each dart cut into the piece's outline: two adjacent seam edges meeting
    at a ``*_tip`` point."""
    n = len(piece.outline)
    return [(piece.outline[a.end % n], piece.outline[a.start % n], piece.outline[b.end % n])
            for a, b in zip(piece.edges, piece.edges[1:] + piece.edges[:1], strict=True)
            if a.role == "seam" and b.role == "seam" and a.tags[1].endswith("_tip") and a.end % n == b.start % n]


def hung_from_shoulder(piece, pts: np.ndarray) -> np.ndarray:
    """Heights to add to a front's flat points (``pts``, heights anchored at its waist as the back's)
    so it hangs from the shoulder seam, as a worn front does: all of it lower by its side bust
    darts' opening (the length the dart gives above it, so its shoulder meets the back's), the part
    under each dart lifted by the dart closed onto its upper leg, in full at the side seam, fading
    to nothing at its tip. Anchored at the waist, the dart's length went over the shoulder and the
    front over the shown bust hung as short as the back: its centre front rose 2.5-10 cm above the
    side seams' hem (shirt / jacket wraps, sizes S-XXL; the drafting's full-bust adjustment added
    length where it could not show)."""
    dz = np.zeros(len(pts))
    darts = length_darts(piece)
    if not darts:
        return dz
    dz -= max(float(up[1] - lo[1]) for _, up, lo in darts)
    for tip, up, lo in darts:
        u = 0.5 * (up + lo) - tip
        below = _side_of(u, tip, pts) == _side_of(u, tip, lo)
        dz += below * np.clip((pts - tip) @ u / (u @ u), 0.0, 1.0) * float(up[1] - lo[1])
    return dz


def _hung(piece, pts: np.ndarray, on: bool) -> np.ndarray:
    """``pts`` (flat, on ``piece``) with a front's heights as it hangs from the shoulder seam
    (hung_from_shoulder) when ``on``; a back's, or any with ``on`` False, as they are."""
    if not on or _is_back(piece):
        return pts
    out = np.array(pts, float)
    out[:, 1] += hung_from_shoulder(piece, out)
    return out


def close_darts(piece, pts: np.ndarray) -> np.ndarray:
    """``pts`` (flat, on ``piece``) with the piece's waist darts closed (those cut into its outline and
    its internal fish-eye darts, fisheye_darts): the side of each dart away from the anchor moves by
    the dart's opening, in full on its base line (a fish-eye's: at its height), fading to nothing at
    its tip. Left open, the dart's gap counted as width in the ring and the seam snap closed it by
    moving both legs half way; by the jumpsuit's back waist, where a leg's dart meets the waist
    band, the leg then ran through the band (the drape's 8 self-crossings there)."""
    out = np.array(pts, float)
    for tip, stay, move in waist_darts(piece):
        u = 0.5 * (stay + move) - tip
        moving = _side_of(u, tip, out) == _side_of(u, tip, move)
        out += (moving * np.clip((out - tip) @ u / (u @ u), 0.0, 1.0))[:, None] * (stay - move)
    anchor = _lm(piece, "waist_center", "hem_center", "center")
    anchor_x = float(piece.outline[:, 0].mean() if anchor is None else anchor[0])
    for foot, side, top, _ in fisheye_darts(piece):
        # the far side (from the anchor) moves in by the dart's width at its height: its far leg onto
        # its near one, a point in the dart (a dart the mesh left drawn only) in proportion. Left open
        # in the ring, a fitted shirt M's four 2 cm darts hung round its waist 7.8 cm over its sewn waist
        half = np.interp(out[:, 1], [foot[1], side[1], top[1]], [0.0, abs(side[0] - foot[0]), 0.0],
                         left=0.0, right=0.0)
        away = 1.0 if foot[0] >= anchor_x else -1.0
        out[:, 0] -= away * np.clip(away * (out[:, 0] - foot[0]) + half, 0.0, 2 * half)
    return out


def _flat_worn(piece, pts: np.ndarray) -> np.ndarray:
    """Flat points as the ring lays them: the lapel turned back, the waist darts closed, a spread
    skirt panel unbent (_unbent)."""
    return _unbent(piece, close_darts(piece, fold_lapel(piece, pts)[0]))


def _unbent(piece, pts: np.ndarray) -> np.ndarray:
    """``pts`` on a skirt panel slashed and spread round its ``flare_apex`` (a sector of an annulus:
    hem and waist arcs round it) as level rows: each point's height its radius below the apex, its x
    the arc length from the centre line. Laid by their flat heights, the sides of its waist and hip
    arcs hung 8-15 cm below their centres; its rows keep their lengths. Other pieces as they are."""
    apex = _lm(piece, "flare_apex")
    if apex is None:
        return pts
    d = np.asarray(pts, float) - apex
    rho = np.hypot(d[:, 0], d[:, 1])
    return np.column_stack([apex[0] + rho * np.arctan2(d[:, 0], -d[:, 1]), apex[1] - rho])


CROTCH_GAP = 1.0  # cm from the body's midline each leg's ring keeps under the crotch, at most ...
MIN_CROTCH_GAP = 0.5  # ... and at least, where the thighs meet (crotch_gap)
THIGH_BELOW_CROTCH = 3.0  # cm under the crotch where the thighs' inner sides bound the gap
THIGH_CLEARANCE = 0.15  # cm inside the thighs' tubes' inner side: the skin there (XXL 0.63 / 0.5)


def crotch_gap(body: Body) -> float:
    """cm from the midline each trouser leg keeps under the crotch: CROTCH_GAP, less where the thighs
    come closer to the midline THIGH_BELOW_CROTCH under the crotch (their tubes' inner sides), never
    under MIN_CROTCH_GAP. At 0.5 cm the front legs' crotch extensions were pressed into a 0.5 cm
    slab at the midline and folded in it (pants / jumpsuit XL wrap 7 self-crossings there, M 2; 0 at
    0.7-1 cm); at 1 cm on an XXL body (thighs' inner sides 0.6 cm out) the legs were held inside the
    thighs and folded (18), at 0.63 pants XXL had 0.34 % of its vertices inside the body (0.21 %)."""
    z = body.landmarks["crotch"] - THIGH_BELOW_CROTCH
    inner = []
    for tube in body.legs.values():
        t = np.clip((tube.p0[2] - z) / max(-float(tube.d[2]), 1e-6), 0.0, None)
        inner.append(abs(float((tube.p0 + t * tube.d)[0])) - float(tube.radius(np.array([t]))[0]))
    return float(np.clip(min(inner) - THIGH_CLEARANCE, MIN_CROTCH_GAP, CROTCH_GAP))


def _place_ring(body: Body, pieces, mesh: GarmentMesh, pos: np.ndarray, key: str, offset: float,
                all_legs=None) -> None:
    kind = "leg" if key.startswith("leg") else key
    # an open front counts as wide as it is up to its front edge's line, its turned lapel and the V
    # above the break point included: the fronts close over the body below the break and the V is an
    # opening in the ring, not a smaller ring (measured to the roll line, a break at the waist shrank
    # the ring at the bust by 8 cm and the bodice crossed itself at the underarms)
    # the shown body's outline for tops; a ring with a turned lapel only up to the armholes' bottoms
    # (LAPEL_FADE; on the superellipse all the way up, a jacket's front was stretched 1.3-1.7x over
    # each apex from size M on and the renders showed two cups); skirts and trousers stay on the
    # superellipse (round the shown hips the trousers' drape crossed itself 9 times). A jumpsuit's
    # bodice takes the shown outline from SHOWN_FADE_IN above the waist up (_shown_share's
    # ``since``), the superellipse at the waist, where its band meets the legs (shown all the way
    # down, the back legs met the bodice crossing): on the superellipse all the way up, its fronts
    # were pushed out onto the bust and stretched over each apex as a top's were (1.15 / 1.31 /
    # 1.63 / 1.72 / 1.51 for S..XXL, 1.3x at the bust line), the drape's rest kept that and the XXL
    # drape's front clung to each breast
    section = kind == "torso" and body.outline_z is not None
    since = body.landmarks["waist"] if section and all_legs else None
    # On every shown section the side seams go by the arms (``front`` below: shared evenly round
    # the shown bust, the loose jumpsuit L / XL sleeves folded under the arms, 27 / 10 wrap
    # crossings); a front hangs from its shoulder seam over the bust with its columns down the front
    # (_hung, _down_the_front) as a top's does when it has the side bust dart that gives it the
    # length to: one without (loose, the overalls' bib) stays anchored at the waist (laid down the
    # front, the XXL bib was stretched 1.36x across the bust)
    fronts = [p for p in pieces if not _is_back(p)]
    shown = section and (not all_legs or any(length_darts(p) for p in fronts))
    # there the fronts hang from the shoulder seam (_hung): their widths and heights as worn
    widths = [_width_fn(_hung(p, _unbent(p, close_darts(p, p.outline)), shown), front_edge_range(p)) for p in pieces]
    upto = body.landmarks["underarm"] if any(lapel_side(q, q.outline) is not None for q in pieces) else None
    for p, wfn in zip(pieces, widths, strict=True):
        i = mesh.index(p.name)
        sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
        v = _hung(p, _flat_worn(p, mesh.pieces[i].verts), shown)
        dz = _anchor_z(p, body, kind)
        z = v[:, 1] + dz
        # ring circumference at each height: the widths of every piece of the ring there
        circ = np.zeros(len(v))
        for q, qfn in zip(pieces, widths, strict=True):
            circ += qfn(z - _anchor_z(q, body, kind))
        if len(pieces) == 1 or (len(fronts) == len(pieces)):
            circ = np.maximum(circ, 2 * wfn(v[:, 1]))
        lap = _overlap(fronts) if kind == "torso" and len(fronts) > 1 else 0.0
        if lap >= RING_LAP_MIN:
            # an open front's halves lap over each other by the overlap below its break point: the ring is
            # as much shorter there. Counted as width, the ring was 6 cm longer than the cloth round it, the
            # side seams closed over the gap by stretching it (jacket M: waist hull 96.7 cm against 92.0
            # sewn). Above the break the V opens and the lapels turn back (shortened there too, 3-6 % of
            # the jacket M / XL lapels' points lay inside their own fronts)
            circ = circ - 2 * lap * _below_break(fronts, z, body, kind, shown)
        xc = _center_x(p)
        if kind == "leg":
            tube = body.legs[key.split("_")[1]]
            t = np.clip((tube.p0[2] - z) / max(-tube.d[2], 1e-6), 0, None)
            center = tube.p0 + t[:, None] * tube.d
            center[:, 2] = z
            radius = tube.radius(t)
            circ = np.maximum(circ, 2 * np.pi * (radius + offset))
            s = (v[:, 0] - xc) + (circ / 2 if _is_back(p) else 0.0)
            leg = _circle_points(z, s, circ, center, radius, offset)
            # a leg's ring wider than the way to the body's midline (the thighs meet under the crotch)
            # lies flat against the other leg's there instead of passing through it (pants wrap: 25
            # self-crossings under the crotch, the legs' rings 0.2 cm, their crotch extensions 1.5 cm
            # past the midline)
            inner = -1.0 if key == "leg_right" else 1.0
            leg[:, 0] = inner * np.maximum(inner * leg[:, 0], crotch_gap(body))
            pos[sl] = _blend_to_hips(body, p, v, z, leg, all_legs or pieces, offset)
            continue
        zs = np.minimum(z, body.landmarks["shoulder"] - 3.0) if kind == "torso" else z
        # the ring cannot be smaller than the body there: the back centre sits half way round it
        circ = np.maximum(circ, _section_perimeter(body, zs, kind, section, upto, since) + 2 * np.pi * offset)
        s = (v[:, 0] - xc) + (circ / 2 if _is_back(p) else 0.0)
        front = None
        if kind == "torso" and section:
            # the fronts' half of the ring (less an open front's overlap) round the shown body's
            # front to its sides: laid round the ring evenly, a full bust's front took the side
            # seams and the armholes' bottoms 6-8 cm forward of the arm (dress L: the sleeves dragged
            # in, 4.6x stretched under the arm). Above the armholes' bottoms the fronts' half width
            # narrows with the armholes' scoop: taken as it is there, every point of a front armhole
            # was mapped onto the side seam's place, the armhole rose straight up the side from its
            # bottom and the sleeve's cap sewn to it folded through the front's corner (hoodie M / L,
            # armholes' bottoms under the bust: drape 4 / 15 self-crossings). So the fronts keep
            # their half width at the armholes' bottoms (the scoop opens before the side seam's
            # place), short of the back's edge (the back's armhole stays behind it).
            flat = [z - _anchor_z(q, body, kind) for q in pieces]
            low = [_below_armhole(q, y, shown) for q, y in zip(pieces, flat, strict=True)]
            overlap = _overlap(fronts) if len(fronts) > 1 else 0.0
            edge = _half(pieces, widths, flat, back=False) - overlap
            front = np.clip(_half(pieces, widths, low, back=False) - overlap, edge,
                            np.maximum(edge, circ / 2 - _half(pieces, widths, flat, back=True)))
        if kind == "torso" and shown and not _is_back(p):
            # a lapelled front's columns down the body itself (as tight a ring as it allows: see there)
            z = _down_the_front(body, s, z, circ if upto is None else np.zeros_like(circ), offset,
                                body.landmarks["shoulder"] - 3.0, front)
            zs = np.minimum(z, body.landmarks["shoulder"] - 3.0)
        ring = _torso_ring_fast(body, zs, s, circ, offset, front=front, shown=section, upto=upto, since=since)
        # a jumpsuit's bodice whose fronts are not hung from the shoulder (anchored at the waist, its
        # band lifting it) rolls its tall columns over an ellipse; other tops, and a jumpsuit's with
        # hung fronts, over the circle (with the ellipse the vest XXL's back folded by its right
        # armhole, 0 -> 2 crossings, on the analytic body a jacket's lapels showed narrower, and the
        # jumpsuit XXL drape's back folded by its right armhole, 4 crossings)
        top = _shoulder_line(p, v[:, 0], shown) + dz if kind == "torso" and all_legs and not shown else None
        pos[sl] = _over_shoulder(body, ring, z, top) if kind == "torso" else ring
    if kind == "skirt":
        _hang_flare(body, pieces, mesh, pos, offset)


def _shoulder_line(piece, x: np.ndarray, shown: bool) -> np.ndarray:
    """Flat height (as the ring lays it) of the piece's shoulder seams straight above each x, held
    level past their ends (over the neckline, the armhole): where each column of the piece meets the
    other side over the shoulder. -inf for a piece without shoulder seams."""
    seams = [piece.edge_points(e) for e in piece.edges if e.name.startswith("shoulder")]
    if not seams:
        return np.full(len(x), -np.inf)
    pts = _hung(piece, _flat_worn(piece, np.concatenate(seams)), shown)
    order = np.argsort(pts[:, 0])
    # a back's two shoulders: between them (over its neckline) the line runs from one side neck to the other
    return np.interp(x, pts[order, 0], pts[order, 1])


def _below_break(fronts, z: np.ndarray, body: Body, kind: str, shown: bool) -> np.ndarray:
    """0 at heights ``z`` from BREAK_FADE over the fronts' break point (the lowest roll_start as the ring
    lays it), 1 from 2 cm lower down; 1 everywhere for fronts without one."""
    b = [_hung(q, _flat_worn(q, _lm(q, "roll_start")[None]), shown)[0, 1] + _anchor_z(q, body, kind)
         for q in fronts if _lm(q, "roll_start") is not None]
    return np.clip((min(b) + BREAK_FADE - z) / 2.0, 0.0, 1.0) if b else np.ones(len(z))


def _half(pieces, widths, ys, back: bool) -> np.ndarray:
    """Half the width of a ring's fronts (or backs) at each piece's flat heights ``ys``."""
    return sum(w(y) for q, w, y in zip(pieces, widths, ys, strict=True) if _is_back(q) == back) / 2


def _below_armhole(piece, y: np.ndarray, hung: bool = False) -> np.ndarray:
    """A bodice piece's flat heights ``y``, those above its armhole's bottom (underarm_level) at it
    (``hung``: heights as _hung gives them)."""
    u = _lm(piece, "underarm_level")
    return y if u is None else np.minimum(y, _hung(piece, u[None], hung)[0, 1])


def _overlap(fronts) -> float:
    """How far an open front's halves overlap (each front's opening edge past the centre line)."""
    return float(np.mean([min(p.outline[:, 0].max() - _center_x(p), _center_x(p) - p.outline[:, 0].min())
                          for p in fronts]))


def _under_arms(body: Body, pts: np.ndarray, cy: np.ndarray) -> np.ndarray:
    """Indices (bins, 2: left, right) of the outline points (``pts`` (bins, n, 2) local to centre y
    ``cy`` (bins,), from the centre front round) straight under each arm: on the body's left and
    right halves, where it is at least half its width out, the one nearest the arm axis' depth (by
    a size XL-XXL bust the widest point lies 5-8 cm forward of the arm)."""
    out = []
    n = pts.shape[1]
    for side, half in (("left", slice(0, n // 2 + 1)), ("right", slice(n // 2, n))):
        q = pts[:, half]
        wide = np.abs(q[..., 0]) >= 0.5 * np.abs(q[..., 0]).max(axis=1, keepdims=True)
        depth = np.abs(q[..., 1] + cy[:, None] - body.arms[side].p0[1])
        out.append(half.start + np.argmin(np.where(wide, depth, np.inf), axis=1))
    return np.stack(out, axis=1)


def _down_the_front(body: Body, s: np.ndarray, z: np.ndarray, circ: np.ndarray, offset: float,
                    top: float, front: np.ndarray | None = None, columns: int = 25) -> np.ndarray:
    """Heights for a front's points (arc length ``s`` round rings of length ``circ``, heights ``z``
    as the front hangs from the shoulder, _hung) so that each column keeps its flat length from
    ``top`` (where the roll over the shoulder starts) down over the bust: laid straight down, the
    rows over the upper chest's slope were stretched (size L shirt: 1.2-1.3x over the whole front's
    width above the apex) and the length the bust dart gives the front hung below the hem instead.
    The columns run down the shown body's outline also where a lapelled ring blends into the
    analytic section (_outline's ``upto``): the lapel's top lies there, not the front's centre,
    which hangs from its roll line; down the blend (its upper chest 2 cm further back) a jacket's
    centre front rose 1.0-1.6 cm more than a shirt's (size S..XL wrap). A lapelled front's ``circ``
    is 0 (the body's own outline): it hangs from its roll lines, over the upper chest and the bust
    apex beside its open centre, not out round its ease; on the jacket's ring (15-18 % over the
    bust) the columns' way over the upper chest and the bust was scaled out with it, 0.8 cm longer
    than a shirt's at size M, and its centre front's hem rose 1.8 cm over the side seams' (the drape
    kept 1.55), the pockets tilted 1.1 cm."""
    below = z < top
    if not below.any():
        return z
    zg = top - np.arange(0.0, top - float(z[below].min()) + 2.0, 1.0)  # top down, 1 cm rows
    order = np.argsort(z)
    cg = np.interp(zg, z[order], circ[order])  # a row's ring length is its height's
    sg = np.linspace(float(s.min()), float(s.max()), columns)
    fg = None if front is None else np.tile(np.interp(zg, z[order], front[order]), columns)
    grid = _torso_ring_fast(body, np.tile(zg, columns), np.repeat(sg, len(zg)), np.tile(cg, columns),
                            offset, front=fg, shown=True).reshape(columns, len(zg), 3)
    # below a column's most forward point (the bust apex) the front hangs straight down, as cloth does
    # (the drape's centre front, shirt XL, 2.8 / 4.1 cm in front of the body at the waist / hem): its
    # length is measured down that line, not into the hollow under the bust. Measured along the body,
    # the wrap took about twice the full-bust adjustment's length the drape did (docs/blender-log.md, Drape)
    grid[..., 1] = np.minimum.accumulate(grid[..., 1], axis=1)
    along = np.concatenate([np.zeros((columns, 1)), np.cumsum(np.linalg.norm(np.diff(grid, axis=1), axis=2), 1)], 1)
    depth = top - zg
    drop = np.stack([np.interp(top - z, a, depth) + np.maximum(top - z - a[-1], 0.0) for a in along])
    # between the two columns either side of each point
    f = np.interp(s, sg, np.arange(columns))
    j = np.clip(np.floor(f).astype(int), 0, columns - 2)
    t = f - j
    n = np.arange(len(z))
    lift = z - (top - ((1 - t) * drop[j, n] + t * drop[j + 1, n]))
    # under the bust the columns come back to the least lift (toward the side seams): each one
    # lifted by all of its own length over the bust, the hem rose 2-5 cm more at the centre front
    # than at the sides and the front sheared (jacket M: mean stretch 0.07 -> 0.16); the rest is
    # the waist and bust darts' to take up
    L = body.landmarks
    # (by where the point hangs, not by its height straight from the flat: a front hung from the
    # shoulder has its rows over the apex that far below the bust line, and faded there they stayed
    # under it, the apex rows stretched 1.2x down the front, jacket L)
    fade = np.clip((z - lift - L["waist"]) / max(L["bust"] - L["waist"], 1.0), 0.0, 1.0)
    least = z - (top - drop.max(axis=0))  # the column lifted least at each point's depth
    lift = least + fade * (lift - least)
    # none at the side seams: the side bust dart there takes the length (lifted with its front,
    # the dart's legs closed across each other and the sleeves' undersides: wrap self-crossings
    # shirt L / XL 10 / 26, dress L / XL 9 / 18 with no fade, 2 / 2 and 4 / 3 fading over the outer
    # 60 %)
    half = np.abs(front) if front is not None else np.full(len(z), np.abs(s).max())
    lift = lift * smoothstep((1.0 - np.abs(s) / np.maximum(half, 1.0)) / SIDE_CLEAR)
    return np.where(below, z - lift, z)


def _flare(p, body: Body) -> tuple[float, float, float, float] | None:
    """(hip height in the flat, the panel's width there, the flare's apex height above it, the angle
    the panel spans from it) of a skirt panel whose side seams open below the hip in straight lines;
    None when they do not (a straight or pencil skirt). Each side of the centre line counts alone: a
    half panel (a back cut in two at the centre back) spans its one side."""
    hip = _lm(p, "hip_center")
    rows = _lm(p, "flare_apex") is not None
    return None if hip is None else _outline_flare(_unbent(p, p.outline), float(hip[1]), _center_x(p), rows)


def _outline_flare(o: np.ndarray, y_hip: float, xc: float,
                   rows: bool = False) -> tuple[float, float, float, float] | None:
    """_flare of an outline (x, y) with its hip line at ``y_hip`` and its centre line at ``xc``; ``rows``:
    an unbent panel (_unbent), whose level rows grow by its width's growth per cm (not the angle)."""
    below = o[o[:, 1] < y_hip - 1.0]
    if not len(below):
        return None
    at_hip = crossings(o, y_hip) - xc
    if not len(at_hip):
        return None
    sides = []
    for sign in (1.0, -1.0):  # (hip extent, hem corner) on each side of the centre line
        ext = max(float((sign * at_hip).max()), 0.0)
        k = int(np.argmax(sign * (below[:, 0] - xc)))
        sides.append((ext, float(sign * (below[k, 0] - xc)), float(below[k, 1])))
    flaring = [sd for sd in sides if sd[1] >= sd[0] + 2.0 and y_hip - sd[2] >= 1.0]
    if not flaring:
        return None
    ext, corner_x, corner_y = max(flaring, key=lambda sd: sd[1])
    h0 = ext * (y_hip - corner_y) / (corner_x - ext)
    width = sum(sd[0] for sd in sides)
    if rows:
        return y_hip, width, h0, float(sum(sd[0] / h0 for sd in sides))
    return y_hip, width, h0, float(sum(np.arctan2(sd[0], h0) for sd in sides))


def _hang_flare(body: Body, pieces, mesh: GarmentMesh, pos: np.ndarray, offset: float) -> None:
    """Below the hip a flared skirt hangs from it: each line from the flare's apex through the hip
    line (the side seams are two) hangs down from where it crosses the hip, as long as it is flat,
    and the rows between them run round a ring whose length grows with the depth as the flat
    panels widen (not a lampshade standing out to the hem's full width: it stretched the panels
    along the slant by up to 1.75x). _torso_ring_fast lays that ring round a cone FLARE_CONE wide
    in FLUTES folds."""
    flares = [_flare(p, body) for p in pieces]
    if any(f is None for f in flares):
        return
    for p, f in zip(pieces, flares, strict=True):
        i = mesh.index(p.name)
        v = _unbent(p, mesh.pieces[i].verts)
        low = np.nonzero(v[:, 1] < f[0])[0]
        if len(low):
            pos[mesh.offsets[i] + low] = _flared_rows(body, flares, f, v[low, 0] - _center_x(p), v[low, 1],
                                                      f[0] + _anchor_z(p, body, "skirt"), _is_back(p), offset,
                                                      _lm(p, "flare_apex") is not None)


def _flared_rows(body: Body, flares, f, dx: np.ndarray, y: np.ndarray, z_hip: float, back: bool,
                 offset: float, rows: bool = False) -> np.ndarray:
    """Points (``dx`` from the centre line, flat height ``y`` below the hip) of one panel of a flared
    ring (``flares``: each panel's _flare; ``f`` this one's) hung from the hip at ``z_hip``; ``rows``: an
    unbent panel (_unbent), each of whose level rows is a row of the ring."""
    y_hip, _, h0, _ = f
    hip_ring = sum(g[1] for g in flares)  # the ring's length at the hip line
    spread = sum(g[3] for g in flares)  # and its growth per cm of depth
    dy = y_hip + h0 - y
    theta = np.arctan2(dx, dy)
    depth = y_hip - y if rows else np.hypot(dx, dy) - h0 / np.cos(theta)
    circ = np.maximum(hip_ring, _section_perimeter(body, np.full(len(y), z_hip), "skirt")
                      + 2 * np.pi * offset) + spread * depth
    s = (dx if rows else h0 * np.tan(theta) + depth * theta) + (circ / 2 if back else 0.0)
    # a long spread skirt's centre front as full as anywhere: with a trough there it hung between the
    # legs, parted like trouser legs from the knee down (a flared maxi dress); a short one's stays
    # troughed: with a crest, flare 40 dress XS drapes crossed 8 / 10 / 4 times while its troughs ran into
    # the thighs; with _fluted's room 0 / 0 / 0, but its hem_flute_share 0.67-0.70 -> 0.50-0.61
    L = body.landmarks
    crest = rows and z_hip - float(depth.max(initial=0.0)) < 0.5 * (L["knee"] + L["ankle"])
    # a spread panel's troughs kept out of the thighs (_fluted's room); an imported circle skirt's (rows as
    # placed) go all the way in: held out, the GarmentCode dress crept on to the frame cap (at rest at 113
    # frames before, 198 with a cap of 200)
    return _torso_ring_fast(body, z_hip - depth, s, circ, offset, hang=z_hip, crest=crest, clear=rows)


def _section_perimeter(body: Body, z: np.ndarray, kind: str, shown: bool = False,
                       upto: float | None = None, since: float | None = None) -> np.ndarray:
    """Perimeter of the torso section at heights z (below the hip: the hip's, as skirts hang);
    shown / upto / since as _outline (blended, the perimeters are)."""
    zz = np.maximum(z, body.landmarks["hip"]) if kind != "torso" else z
    a, b, _ = body.section(zz)
    out = b * np.interp(a / b, _RATIOS, _UNIT_PERIMETERS)
    if body.outline_z is not None and shown:  # the shown body's outline where it has one
        zs = body.outline_z
        per = np.linalg.norm(np.diff(body.outline_pts, axis=1), axis=2).sum(axis=1)
        use = (zz >= zs[0]) & (zz <= zs[-1])
        w = _shown_share(zz[use], upto, since)
        out[use] = w * np.interp(zz[use], zs, per) + (1 - w) * out[use]
    return out


_RATIOS = np.linspace(0.3, 4.0, 75)  # a / b of a torso section
_UNIT_PERIMETERS = np.array([polygon_perimeter(superellipse(128, r, 1.0)) for r in _RATIOS])  # b = 1


def _up_out(d: np.ndarray) -> np.ndarray:
    """Unit vector across an arm's axis ``d``, up and out from the body (where a sleeve's cap top lies)."""
    w = np.array([abs(d[2]) * np.sign(d[0]), 0.0, abs(d[0])])
    return w / np.linalg.norm(w)


def _place_sleeve(body: Body, p, mesh: GarmentMesh, pos: np.ndarray, offset: float, others=()) -> None:
    """A sleeve round its arm; with ``others`` (a two-piece sleeve's under sleeve) the circumference is
    their widths together and the under sleeve's centre (its old underarm seam) lies half way round."""
    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    v = mesh.pieces[i].verts
    side = _side(p.body_region or p.name)
    tube = body.arms[side]
    under = _lm(p, "underarm_seam")
    xc = float(under[0]) if under is not None else _center_x(p)
    top = next((t for t in (_lm(q, "cap_top", "shoulder") for q in (p, *others)) if t is not None), None)
    ytop = float(top[1]) if top is not None else float(v[:, 1].max())
    t = ytop - v[:, 1]
    circ = sum(_width_fn(q.outline)(v[:, 1]) for q in (p, *others))
    r = np.maximum(circ / (2 * np.pi), tube.radius(np.clip(t, 0, None)) + offset)
    d, w = tube.d, _up_out(tube.d)
    xdir = np.cross(-d, w)  # the piece's +x on the arm, seen from outside
    phi = (v[:, 0] - xc) / r + (np.pi if under is not None else 0.0)
    if under is not None and others:
        phi = phi + _under_sleeve_turn(p, others[0], v[:, 1], r, float(under[1]))
    axis = tube.p0 + t[:, None] * d
    pos[sl] = axis + r[:, None] * (np.cos(phi)[:, None] * w + np.sin(phi)[:, None] * xdir)
    hem = min(float(q.outline[:, 1].min()) for q in (p, *others))
    _round_the_hand(body, side, pos[sl], t, phi, circ, ytop - hem,
                    sum(_width_fn(q.outline)(np.array([hem + 1.0]))[0] for q in (p, *others)))


HAND_BLEND = 3.0  # cm above the wrist from which a sleeve's rows go round the hand's section, not a circle
HAND_CLEAR = 0.5  # cm: the least room a sleeve's ring past the wrist leaves round the hand's section
HAND_TAKE_UP = 20.0  # cm above the wrist from which a sleeve too narrow for the hand is taken up short of it
# the most taken up, as a share of the way from there to the hem; past it the hem stays on its ring round
# the hand: taken up in full, men's jacket XS / M sleeves folded through themselves above the wrist
# (1.5 cm wrap: 2 / 2 crossings; XS fitted 7)
HAND_TAKE_MAX = 0.1
HAND_RAMP = 0.4  # the share of the way from there to the hem over which the take-up fades in


def _round_the_hand(body: Body, side: str, pts: np.ndarray, t: np.ndarray, phi: np.ndarray, circ: np.ndarray,
                    t_hem: float, circ_hem: float) -> None:
    """A sleeve's points ``pts`` (at ``t`` down the arm, angle ``phi`` round it from its cap top's side,
    on rings ``circ`` long; its hem ``t_hem`` down, ``circ_hem`` round) past the wrist laid round the
    shown hand (its section's convex hull, HAND_CLEAR out at least) instead of a circle round the arm's
    axis, and a sleeve too narrow for the hand where its hem would lie taken up along the forearm
    toward where the hand still fits in it (HAND_TAKE_MAX at most). As a circle round the axis a loose
    jacket's sleeve, 6 cm past the wrist, ran through the thumb, which stands 9 cm off the axis (jacket
    S loose wrap: 1.1 % of the body under it through by 1.2 cm); the drape kept the thumb through on
    one start in three (0.69 %, 1 cm). In place."""
    human = getattr(body, "human", None)
    tube = body.arms[side]
    wrist = float(tube.t[5])
    if human is None or t_hem <= wrist - HAND_BLEND:
        return
    d, w = tube.d, _up_out(tube.d)
    xdir = np.cross(-d, w)
    name = "Left" if side == "left" else "Right"
    arm = [i for i, b in enumerate(human.bones) if b.split(":")[-1].startswith((f"{name}Hand", f"{name}ForeArm"))]
    skin = human.verts[human.weights[:, arm].sum(axis=1) > 0.5] - tube.p0
    st = skin @ d
    flat = np.column_stack([skin @ w, skin @ xdir])
    stations = np.arange(wrist - HAND_BLEND, t_hem + 2.0, 1.0)
    hulls = [flat[np.abs(st - s) < 1.0] for s in stations]
    hulls = [h[ConvexHull(h).vertices] if len(h) > 3 else None for h in hulls]
    per = np.array([polygon_perimeter(h) if h is not None else 0.0 for h in hulls])
    tight = np.nonzero((stations > wrist) & (per + 2 * np.pi * HAND_CLEAR > circ_hem))[0]
    tt = t.copy()
    if len(tight):
        k = tight[0]  # the first station past the wrist the hem's ring does not go round
        fit = float(np.interp(circ_hem - 2 * np.pi * HAND_CLEAR, per[k - 1:k + 1], stations[k - 1:k + 1]))
        if fit < t_hem:
            # evenly from HAND_RAMP of the way down, fading in above: taken up evenly from the start, a
            # man's jacket M's two-piece sleeve folded through itself at the kink (2 wrap crossings);
            # all toward the hem, an XS's folded there (7)
            u = np.clip((t - (wrist - HAND_TAKE_UP)) / (t_hem - (wrist - HAND_TAKE_UP)), 0.0, None)
            g = np.where(u < HAND_RAMP, u * u / (2 * HAND_RAMP), u - HAND_RAMP / 2) / (1 - HAND_RAMP / 2)
            tt = t - min(t_hem - fit, HAND_TAKE_MAX * (t_hem - wrist + HAND_TAKE_UP)) * g
            pts += (tt - t)[:, None] * d
    on = np.nonzero(tt > wrist - HAND_BLEND)[0]
    at = np.clip(np.rint(tt[on] - stations[0]).astype(int), 0, len(stations) - 1)
    for k in np.unique(at):
        if hulls[k] is None:
            continue
        sel = on[at == k]
        ring = _ring_round(hulls[k], float(np.median(circ[sel])))
        f = np.mod(phi[sel] / (2 * np.pi), 1.0)
        u = ring[np.minimum((f * len(ring)).astype(int), len(ring) - 1)]
        laid = tube.p0 + tt[sel, None] * d + u[:, :1] * w + u[:, 1:] * xdir
        b = smoothstep((tt[sel] - (wrist - HAND_BLEND)) / HAND_BLEND)[:, None]
        pts[sel] = b * laid + (1 - b) * pts[sel]


HAND_RING = 256  # points round a ring laid round the hand, evenly by length


def _ring_round(hull: np.ndarray, length: float) -> np.ndarray:
    """HAND_RING points evenly round the convex ``hull`` (2D, in order) grown by as much as makes it
    ``length`` long (HAND_CLEAR at least), from where it crosses the +x axis through the hull's
    middle, turning toward +y (as a sleeve's angle turns round the arm)."""
    grow = max((length - polygon_perimeter(hull)) / (2 * np.pi), HAND_CLEAR)
    a = np.linspace(0, 2 * np.pi, 32, endpoint=False)
    pts = (hull[:, None, :] + grow * np.stack([np.cos(a), np.sin(a)], axis=1)[None]).reshape(-1, 2)
    out = pts[ConvexHull(pts).vertices]  # counter-clockwise
    even = resample(np.vstack([out, out[:1]]), HAND_RING)[:-1]  # closed: the last point is the first
    rel = even - hull.mean(axis=0)
    start = np.argmin(np.abs(np.arctan2(rel[:, 1], rel[:, 0])))
    return np.roll(even, -start, axis=0)


# cm of a two-piece sleeve's seams missing each other round the arm that the seam snap closes by
# shearing the lower sleeve (the rest is turned away): turned all the way (each row's seams meeting),
# the lower sleeve hung as a straight tube and its drape broke less above the hand (jacket M
# sleeve_break 1.034 -> 1.026; 1.032 with 1 cm left); 3 cm left, L and XL kept 2 crossings each
SLEEVE_SHEAR = 1.0


def _under_sleeve_turn(p, top, y: np.ndarray, r: np.ndarray, y_under: float) -> np.ndarray:
    """How far (radians) an under sleeve ``p``'s rows at flat heights ``y`` (radius ``r``) turn round the
    arm from where its underarm point (at ``y_under``) puts them, half way round from its top sleeve's
    cap top: below the elbow toward the gap its top sleeve (x = 0 at angle 0) leaves round the arm,
    by as much as its seams miss that gap's edges past SLEEVE_SHEAR; fading in from the elbow half way
    to the hem (the cap stays where the armhole's bottom holds it: turned there too, the sleeve's back
    pinched at the armhole). By its underarm point alone, a jacket's sleeve, pitched forward toward
    the hem, had its under sleeve's back seam 4.5 cm over the top sleeve's at the wrist and a 7 cm gap
    at the front seam, which the seam snap closed by twisting them through each other (jacket wrap,
    1.5 cm: XL 4, XXL 35 crossings there)."""
    def span(piece):
        o = piece.outline
        lo, hi = _x_span(o, np.clip(y, o[:, 1].min() + 1e-6, o[:, 1].max() - 1e-6))
        return np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, 0.0)

    (tl, tr), (ul, ur) = span(top), span(p)
    under = _lm(p, "underarm_seam")
    centred = (0.5 * (tl + tr) - 0.5 * (ul + ur)) / r + np.pi  # x = 0's angle, each row centred
    by_underarm = np.pi - float(under[0]) / r
    elbow = _lm(top, "elbow")
    y_elbow = float(elbow[1]) if elbow is not None else 0.5 * y_under
    w = smoothstep((y_elbow - y) / max(0.5 * y_elbow, 1.0))
    off = (centred - by_underarm) * r  # cm round the arm the seams miss each other by
    turn = np.sign(off) * np.maximum(np.abs(off) - SLEEVE_SHEAR, 0.0)
    return w * turn / r


def _sleeves_to_armholes(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, placed: np.ndarray) -> np.ndarray:
    """Each side's sleeve pieces turned about the shoulder joint so the sleeve's underarm point (of
    its vertices sewn to the bodice, the one furthest down the arm) lies on the ray to the bodice's
    armhole bottom it is sewn to; the turn fades out down the upper arm (none from the elbow on).
    Laid round the arm, the eased sleeve's underside ran inside the eased bodice below the armhole's
    bottom (the arm hangs close to the torso there): the seam snap met them half way and the rows
    under the junction crossed (jacket L: 20-28 wrap crossings at the underarms, kept by the drape)."""
    label, sewn = _seam_groups(mesh)
    torso_ids = [mesh.index(p.name) for p in pattern.pieces if (p.body_region or "").startswith("torso")]
    torso = np.isin(mesh.piece_of, torso_ids) & placed & sewn
    out = pos.copy()
    for side, tube in body.arms.items():
        ids = [mesh.index(p.name) for p in pattern.pieces
               if (p.body_region or "").startswith("arm") and _side(p.body_region) == side]
        on = np.isin(mesh.piece_of, ids) & placed
        cand = np.nonzero(on & sewn & np.isin(label, label[torso]))[0]
        if not len(cand):
            continue
        t = (pos - tube.p0) @ tube.d
        k = cand[np.argmax(t[cand])]
        a = pos[k] - tube.p0
        b = pos[torso & (label == label[k])].mean(axis=0) - tube.p0
        axis = np.cross(a, b)
        size = float(np.linalg.norm(axis))
        # only ever away from the body: a sleeve lying out from the bodice already is met by the snap
        if size < 1e-9 or axis @ np.cross(tube.d, _up_out(tube.d)) <= 0:
            continue
        axis /= size
        angle = np.arctan2(size, float(a @ b))
        end = max(float(tube.t[3]), t[k] + 1.0)  # the elbow
        theta = angle * np.clip((end - t) / (end - t[k]), 0.0, 1.0)[on]
        rel = pos[on] - tube.p0
        c, s_ = np.cos(theta)[:, None], np.sin(theta)[:, None]
        out[on] = tube.p0 + rel * c + np.cross(axis, rel) * s_ + np.outer(rel @ axis, axis) * (1 - c)
    return out


def _placed_points(p, mesh: GarmentMesh) -> tuple[slice, np.ndarray]:
    """A piece's mesh vertices where its GarmentCode placement puts them (interop.garmentcode.placed),
    in our frame. Returns (vertex slice, points)."""
    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    return sl, _ours(placed(mesh.pieces[i].verts, p.placement))


def _ours(gc: np.ndarray) -> np.ndarray:
    """GarmentCode's frame (y up, z toward the viewer) to ours (z up, facing -y)."""
    return np.column_stack([gc[:, 0], -gc[:, 2], gc[:, 1]])


def _place_placement(p, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> None:
    sl, pts = _placed_points(p, mesh)
    pos[sl] = _onto_body(body, pts, p.body_region or "", offset)


def _ring_widths(placed: list[np.ndarray], z: np.ndarray, bin_cm: float = 2.0) -> np.ndarray:
    """Total horizontal extent of the placed panels of one ring at heights ``z``: the circumference
    they cover together when wrapped side by side."""
    zmin = min(float(q[:, 2].min()) for q in placed)
    nb = int((max(float(q[:, 2].max()) for q in placed) - zmin) / bin_cm) + 1
    total = np.zeros(nb)
    for q in placed:
        b = ((q[:, 2] - zmin) / bin_cm).astype(int)
        lo = np.full(nb, np.inf)
        hi = np.full(nb, -np.inf)
        np.minimum.at(lo, b, q[:, 0])
        np.maximum.at(hi, b, q[:, 0])
        total += np.where(hi > lo, hi - lo, 0.0)
    return np.interp(z, zmin + (np.arange(nb) + 0.5) * bin_cm, total)


def _place_placement_ring(pieces, mesh: GarmentMesh, pos: np.ndarray, body: Body, key: str, offset: float):
    """Imported torso or skirt panels of one ring, wrapped around the body keeping their
    widths: a panel's x becomes arc length from the centre front (front panels) or back, on a ring as
    long as all the ring's panels are wide at that height (never tighter than the body). A radial
    projection of the flat panels instead crushed them onto the body (10-15 % stretch)."""
    placed = [_placed_points(p, mesh) for p in pieces]
    out, back, widths, body_circ = _placed_ring(body, pieces, placed, offset, hips=key == "skirt")
    # a skirt flares out from where it first stands clear of the body: the hip, or up to the waist
    # (a circle skirt), and hangs from there as our own flared skirts hang from the hip
    z = out[:, 2]
    wide = z[widths > HANG_WIDER * body_circ]
    if key == "skirt" and len(wide):
        hang = float(np.clip(wide.max(), body.landmarks["hip"], body.landmarks["waist"]))
        _hang_placed_flare(body, pieces, placed, back, out, offset, hang)
    idx = np.concatenate([np.arange(sl.start, sl.stop) for sl, _ in placed])
    pos[idx] = out


def _placed_ring(body: Body, pieces, placed, offset: float, hips: bool):
    """Placed panels (``placed``: _placed_points of ``pieces``) round the body as one ring: each one's
    x is arc length from the centre front, or from the centre back for a back panel, on a ring as
    long as the panels are wide together at that height (never tighter than the body; below the hip
    the hip's, ``hips``). Returns (points, back mask, the panels' widths, the body's perimeter) per
    point."""
    pts = np.concatenate([q for _, q in placed])
    z = pts[:, 2]
    widths = _ring_widths([q for _, q in placed], z)
    back = np.concatenate([np.full(len(q), _is_back(p) or q[:, 1].mean() > 0) for p, (_, q) in
                           zip(pieces, placed, strict=True)])
    a, b, _ = body.section(np.maximum(z, body.landmarks["hip"]) if hips else z)
    body_circ = 2 * np.pi * np.sqrt(0.5 * (a * a + b * b))  # near the superellipse's perimeter
    circ = np.maximum(widths * 1.02, body_circ * 1.04)
    return _torso_ring_fast(body, z, np.where(back, 0.5 * circ - pts[:, 0], pts[:, 0]), circ, offset), back, \
        widths, body_circ


def _hang_placed_flare(body: Body, pieces, placed, back: np.ndarray, out: np.ndarray, offset: float,
                       y_hip: float) -> None:
    """An imported flared skirt hangs from the body's hip as ours do (_hang_flare), its panels' flat
    frame the placed one (x across, z up, the centre line at x = 0). Wrapped round a ring at full
    width it stood out as a lampshade; projected onto the body it folded through itself (GarmentCode
    dress: 1874 crossings, and the drape crumpled). ``y_hip``: the height it hangs from."""
    outlines = [_placed_outline(p) for p in pieces]
    flares = [_outline_flare(o, y_hip, 0.0) for o in outlines]
    if any(f is None for f in flares):
        return
    start = 0
    for (_, q), f in zip(placed, flares, strict=True):
        n = len(q)
        low = np.nonzero(q[:, 2] < y_hip)[0]
        b = bool(back[start])
        if len(low):
            dx = -q[low, 0] if b else q[low, 0]
            out[start + low] = _flared_rows(body, flares, f, dx, q[low, 2], y_hip, b, offset)
        start += n


def _placed_outline(p) -> np.ndarray:
    """A placed piece's outline as (x, z) in our frame (as _placed_points places its vertices)."""
    return placed(p.outline, p.placement)[:, :2]


def _place_placement_sleeve(pieces, mesh: GarmentMesh, pos: np.ndarray, tube, offset: float) -> bool:
    """Imported sleeve panels of one arm round its tube as a ring (_round_tube), across each flat
    panel (in its plane, square to the arm) arc length from the top of the arm. Projected radially
    onto the arm a flat panel was squeezed into its half (stretch 0.2-0.3 before the relax) and the
    relax folded it through itself (GarmentCode tshirt: 279 wrap crossings, 57 now). False (nothing
    placed) for a panel that does not run along the arm."""
    up = np.array([0.0, 0.0, 1.0]) - tube.d * tube.d[2]
    up /= np.linalg.norm(up)  # the top of the arm, square to it
    parts = []
    for p in pieces:
        sl, q = _placed_points(p, mesh)
        o, ex, ey = _ours(placed(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), p.placement))
        across = np.cross(np.cross(ex - o, ey - o), tube.d)  # in the panel, square to the arm (either way)
        if np.linalg.norm(across) < 0.3:
            return False
        across *= (1.0 if across @ up >= 0 else -1.0) / np.linalg.norm(across)
        parts.append((sl, q, q @ across))
    for (sl, _, _), out in zip(parts, _round_tube(tube, [(q, u) for _, q, u in parts], up, offset), strict=True):
        pos[sl] = out
    return True


def _round_tube(tube, parts, ref: np.ndarray, offset: float, lean: float = 0.0) -> list[np.ndarray]:
    """Flat panels of one limb laid round its tube as a ring, as a torso ring keeps its panels' widths:
    ``parts`` are (placed points, their coordinate across the panel, growing toward ``ref``, a
    direction square to the limb where the panels' seam runs: the top of an arm, the outside of a
    leg). Each point goes as far round from that seam as it lies across from its panel's edge there,
    forward for a panel in front of the limb and back for one behind, on a ring as long as the panels
    are wide together at that point of the limb (never tighter than the limb). A ring wider than
    the limb moves its centre by ``lean`` x the room it has toward ``ref``: a trouser leg's away
    from the other leg (centred, wide legs met at the midline; GarmentCode trousers 12 -> 0 crossings).
    Sleeves stay centred: hung from the top of the arm they crossed more (tshirt 57 -> 77)."""
    fwd = np.cross(tube.d, ref)
    fwd *= 1.0 if fwd[1] < 0 else -1.0  # toward the front (-y)
    rows = []
    for q, u in parts:
        # above the joint (a sleeve cap) too, at the joint's radius: clipped to the joint, the cap's rows
        # piled up on one ring (tshirt / dress / fitted shirt: 57 / 35 / 35 crossings there, now 14 / 6 / 10)
        t = (q - tube.p0) @ tube.d
        # the panel's extent across at each 2 cm of the limb: its width and its edge by the seam
        keys, inv = np.unique(np.floor(t / 2.0).astype(int), return_inverse=True)
        lo, hi = np.full(len(keys), np.inf), np.full(len(keys), -np.inf)
        np.minimum.at(lo, inv, u)
        np.maximum.at(hi, inv, u)
        rows.append((t, u, float(((q - tube.p0) @ fwd).mean()) > 0.0, 2.0 * keys + 1.0, hi - lo, hi))
    out = []
    for t, u, front, mid, _, edge in rows:
        circ = sum(np.interp(t, m, width) for _, _, _, m, width, _ in rows)
        snug = tube.radius(np.maximum(t, 0.0)) * 1.04 + offset
        r = np.maximum(circ / (2 * np.pi) + offset, snug)
        phi = 2 * np.pi * (np.interp(t, mid, edge) - u) / np.maximum(circ, 1e-6) * (1.0 if front else -1.0)
        centre = tube.p0 + t[:, None] * tube.d + (lean * (r - snug))[:, None] * ref
        out.append(centre + r[:, None] * (np.cos(phi)[:, None] * ref + np.sin(phi)[:, None] * fwd))
    return out


def _place_placement_legs(pieces, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> bool:
    """Imported trouser panels: below the crotch each leg's panels round its tube as a ring from the
    outseam (_round_tube), above the hip all of them round the hips as a torso ring (by arc length
    from the centre front / back), blended between the crotch and the hip line as ours are
    (_blend_to_hips). Projected radially onto the legs the flat panels crossed themselves 504 times
    (GarmentCode trousers). False (nothing placed) without a front and a back panel on each leg."""
    L = body.landmarks
    sides = {side: [p for p in pieces if _side(p.body_region) == side] for side in ("left", "right")}
    if any(len(ps) < 2 for ps in sides.values()):
        return False
    placed = [_placed_points(p, mesh) for p in pieces]
    hips = _placed_ring(body, pieces, placed, offset, hips=True)[0]
    z = hips[:, 2]
    legs = np.zeros_like(hips)
    starts = np.cumsum([0] + [len(q) for _, q in placed])
    for side, ps in sides.items():
        tube, sign = body.legs[side], 1.0 if side == "left" else -1.0
        out_ref = np.array([sign, 0.0, 0.0]) - tube.d * tube.d[0] * sign
        out_ref /= np.linalg.norm(out_ref)  # the outside of the leg, square to it
        ks = [pieces.index(p) for p in ps]
        rings = _round_tube(tube, [(placed[k][1], sign * placed[k][1][:, 0]) for k in ks], out_ref, offset, 1.0)
        for k, ring in zip(ks, rings, strict=True):
            legs[starts[k]:starts[k + 1]] = ring
    w = smoothstep((z - L["crotch"]) / max(L["hip"] - L["crotch"], 1.0))[:, None]
    for k, (sl, _) in enumerate(placed):
        pos[sl] = (1 - w[starts[k]:starts[k + 1]]) * legs[starts[k]:starts[k + 1]] + \
            w[starts[k]:starts[k + 1]] * hips[starts[k]:starts[k + 1]]
    return True


FOOT_ABOVE_ANKLE = 4.0  # cm over the ankle point up to which the shown skin counts as the foot's top
FOOT_REACH = 1.0  # cm across (x, y) within which the foot's skin lies under a hem vertex
FOOT_UP = 0.5  # the z of a skin normal that faces up: the foot's top, not the shin's front
# cm over the hem's lowest point over which its lift onto the instep fades out: more stretched the
# rows tilted round the leg over a longer way (mean stretch, XS..XXL: +0.003 at 20 cm, +0.007 at 30,
# +0.02 at 60; at 90 the lift reached the crotch: 16 crossings), less folded them (12 cm: pants XXL
# fitted 63 crossings)
HEM_BREAK = 20.0


def _foot_top(body: Body, xy: np.ndarray) -> np.ndarray:
    """Height of the shown foot's top skin under each point (x, y) (within FOOT_REACH), -inf where
    no foot lies under it; all -inf on a body without shown skin."""
    skin = getattr(body.surface, "skin", None)
    if skin is None:
        return np.full(len(xy), -np.inf)
    # the skin facing up (the instep's): within FOOT_REACH of a hem's point by the shin, the shin's
    # own skin up to the cut-off counted as the foot's top and tilted an XS fitted hem 69 degrees
    v = skin.verts[(skin.normals[:, 2] > FOOT_UP) & (skin.verts[:, 2] < body.landmarks["ankle"] + FOOT_ABOVE_ANKLE)]
    top = np.full(len(xy), -np.inf)
    for k, near in enumerate(cKDTree(v[:, :2]).query_ball_point(xy, FOOT_REACH)):
        if near:
            top[k] = v[near, 2].max()
    return top


def _hems_on_feet(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> np.ndarray:
    """A full-length trouser leg's hem rests on the top of the foot in front of the ankle, as a worn
    one does, rather than standing in it. Straight to the floor, the hem's front half lay inside
    the foot and the push-out sent it out through the sole, where the rows above it folded (pants /
    jumpsuit XXL fitted: 5 / 5 wrap self-crossings). Each leg's lower part is lifted in front of
    its ankle by a slope (cm up per cm forward) just steep enough to bring every hem vertex onto
    the foot's top (plus ``offset``), the lift fading out HEM_BREAK above the hem: a map of space
    that only moves points up and keeps their order up the leg, so the placed cloth cannot come to
    cross itself, and sewn vertices, sharing a place, move alike. The break it stands for is the
    drape's to fold; started from the foot, the overalls M drape left the toes through the front
    hem (0.54 % of its vertices with the body through them, 28 mm deep)."""
    out = pos.copy()
    for side, sign in (("left", 1.0), ("right", -1.0)):
        ankle = body.points.get(f"ankle_{side}")
        hems = []
        for p in pattern.pieces:
            i = mesh.index(p.name)
            mp = mesh.pieces[i]
            if (p.body_region or "").startswith(f"leg_{side}") and "hem" in mp.edge_verts:
                hems.append(mesh.offsets[i] + np.asarray(mp.edge_verts["hem"]))
        if ankle is None or not hems:
            continue
        q = pos[np.concatenate(hems)]
        ahead = ankle[1] - q[:, 1]  # cm in front of the ankle
        need = _foot_top(body, q[:, :2]) + offset - q[:, 2]
        ok = (ahead > 0.5) & (need > 0.0)
        if not ok.any():
            continue
        slope = float((need[ok] / ahead[ok]).max())
        low = float(q[:, 2].min())
        leg = sign * out[:, 0] > 0.0
        fade = np.clip(1.0 - (out[leg, 2] - low) / HEM_BREAK, 0.0, 1.0)
        # under HEM_BREAK, so that a point's height still grows with its height before
        lift = np.minimum(slope * np.maximum(ankle[1] - out[leg, 1], 0.0), 0.75 * HEM_BREAK)
        out[leg, 2] += lift * fade
    return out


def _onto_body(body: Body, pts: np.ndarray, region: str, offset: float, ease: float = 1.04) -> np.ndarray:
    """Project placed points radially onto the body part of their region (torso: from its centre
    line; limbs: from their axis), a little outside it. GarmentCode places flat panels in planes in
    front of / behind its own body; this curls them around ours."""
    out = pts.copy()
    if region.startswith(("torso", "skirt", "waistband", "collar")):
        zs = np.maximum(pts[:, 2], body.landmarks["hip"]) if region.startswith("skirt") else pts[:, 2]
        zs = np.clip(zs, body.torso_z[0], body.torso_z[-1])
        a, b, cy = body.section(zs)
        d = np.column_stack([pts[:, 0], pts[:, 1] - cy])
        n = np.maximum(np.linalg.norm(d, axis=1), 1e-9)
        d /= n[:, None]
        e = 2.4
        t = 1.0 / (np.abs(d[:, 0] / a) ** e + np.abs(d[:, 1] / b) ** e) ** (1 / e)
        r = t * ease + offset
        out[:, 0], out[:, 1] = d[:, 0] * r, cy + d[:, 1] * r
    elif region.startswith(("arm", "leg", "cuff")):
        side = "right" if "right" in region else "left"
        tube = (body.legs if region.startswith("leg") else body.arms)[side]
        t, dist, radial = tube.local(pts)
        r = tube.radius(np.clip(t, 0, tube.t[-1])) * ease + offset
        out = tube.p0 + np.clip(t, 0, None)[:, None] * tube.d + radial * r[:, None]
    return out


def _place_band(p, mesh: GarmentMesh, pos: np.ndarray, placed: np.ndarray, body: Body,
                clear: float | None = None) -> bool:
    """Grow a piece from its sewn edge: each vertex = its edge point (by x) + (y - y_edge) * up.
    ``clear``: up leans out where the band's top would be in the body, to that far outside it."""
    i = mesh.index(p.name)
    lo, n = mesh.offsets[i], len(mesh.pieces[i].verts)
    sp = mesh.seam_pairs
    own_a = (sp[:, 0] >= lo) & (sp[:, 0] < lo + n) & placed[sp[:, 1]]
    own_b = (sp[:, 1] >= lo) & (sp[:, 1] < lo + n) & placed[sp[:, 0]]
    mine = np.concatenate([sp[own_a, 0], sp[own_b, 1]]) - lo
    other = np.concatenate([sp[own_a, 1], sp[own_b, 0]])
    if len(mine) < 2:
        return False
    v = mesh.pieces[i].verts
    order = np.argsort(v[mine, 0])
    xs, targets = v[mine[order], 0], pos[other[order]]
    yedge = np.interp(v[:, 0], xs, v[mine[order], 1])
    base = np.column_stack([np.interp(v[:, 0], xs, targets[:, k]) for k in range(3)])
    # beyond the sewn stretch (a waistband's button extension) continue straight on
    for sel, i0, i1 in ((v[:, 0] < xs[0], 0, 1), (v[:, 0] > xs[-1], -1, -2)):
        if sel.any() and len(xs) > 1 and abs(xs[i1] - xs[i0]) > 1e-9:
            tangent = (targets[i1] - targets[i0]) / (xs[i1] - xs[i0])
            base[sel] = targets[i0] + (v[sel, 0] - xs[i0])[:, None] * tangent
    region = p.body_region or p.name
    if "cuff" in region:  # sewn to the sleeve hem, folded edge toward the hand
        up = body.arms[_side(region)].d
    elif "hem_band" in region:  # sewn to the hem, hanging below it
        up = np.array([0.0, 0.0, -1.0])
    else:
        up = np.array([0.0, 0.0, 1.0])
    h = v[:, 1] - yedge
    if clear is not None:  # each column leant out from the band's axis, as little as keeps its top out
        out = base - base.mean(axis=0)
        out[:, 2] = 0.0
        out /= np.maximum(np.linalg.norm(out, axis=1), 1e-9)[:, None]
        lean = np.zeros(n)
        tilted = lambda: up + lean[:, None] * out  # noqa: E731
        for _ in range(15):
            top = base + h.max() * tilted() / np.linalg.norm(tilted(), axis=1)[:, None]
            inside = body.inside(top, clear)
            if not inside.any():
                break
            lean[inside] += 0.1
        # as much as the most leant column within 3 cm: a buttoned band's two ends lie at one place
        # (leant one by one, the lower end leant 3.5 cm forward through the upper one, size XL)
        near = np.linalg.norm(base[:, None] - base[None], axis=2) < 3.0
        lean = np.where(near, lean[None, :], 0.0).max(axis=1)
        up = tilted() / np.linalg.norm(tilted(), axis=1)[:, None]
    pos[lo:lo + n] = base + h[:, None] * up
    return True


def _sewn_to(mesh: GarmentMesh, i: int) -> tuple[np.ndarray, np.ndarray]:
    """(vertices of piece ``i``, the vertices of other pieces each is sewn to), pair by pair."""
    sp = mesh.seam_pairs
    mine = mesh.piece_of[sp] == i
    cross = mine[:, 0] != mine[:, 1]
    own = np.where(mine[cross, 0], sp[cross, 0], sp[cross, 1])
    return own, np.where(mine[cross, 0], sp[cross, 1], sp[cross, 0])


def _waist_seam_bands(pattern, mesh: GarmentMesh, pieces) -> list:
    """Of ``pieces``, the bands sewn both to trouser legs and to a bodice (a jumpsuit's waist band)."""
    region = {mesh.index(q.name): q.body_region or "" for q in pattern.pieces}
    out = []
    for p in pieces:
        _, other = _sewn_to(mesh, mesh.index(p.name))
        kinds = {region[j].split("_")[0] for j in np.unique(mesh.piece_of[other]).tolist()}
        if {"leg", "torso"} <= kinds:
            out.append(p)
    return out


# the most a jumpsuit's bodice column is shortened by the lift onto its waist band (the rest of the
# column takes the lift): lifting the fronts' 5.7 cm over their 21 cm up to the armholes (27 %) the
# relax crumpled them under the bust (14 crossings), the back's 8.5 cm over 18.5 cm everywhere (225)
MAX_BLOUSE = 0.25


def _join_at_waist(pattern, p, mesh: GarmentMesh, pos: np.ndarray) -> None:
    """A band between trouser legs and a bodice (a jumpsuit's): grown up from the legs' waist (as a
    trouser waistband is), then the bodice's lower part lifted onto its top, the lift fading out by
    the armholes' bottoms (the bodice blouses over the band). The bodice is drafted to the waist and
    the legs from it, so the band's height (and the legs' waist above the body's at the hip line, the
    back's rise) lies between them: grown from both edges at once, the band ran from the legs' waist
    (105-107 cm) down to the bodice's bottom (103 cm), folded through the front legs and the
    fronts (wrap 184 self-crossings). Each bodice column is lifted in full at the band, less and less
    up to the armholes' bottoms or, where that would shorten it by more than MAX_BLOUSE, further up."""
    i = mesh.index(p.name)
    own, other = _sewn_to(mesh, i)
    lo, v = mesh.offsets[i], mesh.pieces[i].verts
    on_leg = _on_legs(pattern, mesh, other)
    # the ring's centre: an overall's front and back bands (buttoned at the sides) share one
    ring = np.vstack([pos[o[_on_legs(pattern, mesh, o)]] for q in pattern.pieces if q.body_region == p.body_region
                      for o in [_sewn_to(mesh, mesh.index(q.name))[1]]])
    pos[lo:lo + len(v)] = _band_on_legs(p, v, v[own[on_leg] - lo], pos[other[on_leg]], ring.mean(axis=0))
    for q in pattern.pieces:
        j = mesh.index(q.name)
        at = mesh.piece_of[other] == j
        if not (q.body_region or "").startswith("torso") or not at.any():
            continue
        lo, flat = mesh.offsets[j], mesh.pieces[j].verts
        seam = other[at] - lo
        order = np.argsort(flat[seam, 0])
        xs = flat[seam[order], 0]
        move = pos[own[at][order]] - pos[other[at][order]]
        y0 = np.interp(flat[:, 0], xs, flat[seam[order], 1])
        top = _lm(q, "underarm_level")
        move = np.column_stack([np.interp(flat[:, 0], xs, move[:, k]) for k in range(3)])
        reach = (float(top[1]) if top is not None else float(flat[:, 1].max())) - y0
        span = np.maximum(np.maximum(reach, np.abs(move[:, 2]) / MAX_BLOUSE), 1.0)
        t = np.clip((flat[:, 1] - y0) / span, 0.0, 1.0)
        pos[lo:lo + len(flat)] += (1.0 - t)[:, None] * move


def _on_legs(pattern, mesh: GarmentMesh, verts: np.ndarray) -> np.ndarray:
    """Which of the garment ``verts`` lie on trouser legs."""
    return np.array([(pattern.pieces[k].body_region or "").startswith("leg") for k in mesh.piece_of[verts]], bool)


def _straightened(p, pts: np.ndarray) -> np.ndarray:
    """Flat points of a band drafted bent round a circle (landmark ``bend_centre``, the circle's centre
    under the middle of its bottom edge: drafting.tailored.bent) laid out straight again, x along its
    bottom edge, y up from it; other pieces' points as they are."""
    c = _lm(p, "bend_centre")
    if c is None:
        return pts
    radius = -float(c[1])
    side = np.sign(radius)  # bent round a circle above it (radius < 0), the band's points lie below the centre
    d = (pts - c) * side
    return np.column_stack([c[0] + radius * np.arctan2(d[:, 0], d[:, 1]), side * np.linalg.norm(d, axis=1) - radius])


def _band_on_legs(p, v: np.ndarray, seam: np.ndarray, targets: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """3D points for a waist-seam band's flat vertices ``v``, its bottom (flat points ``seam``) sewn
    at ``targets``: each row laid along the bottom by its share of the band's width at its height
    (its top is longer: a bodice wider than the legs' waist eases onto it), straight up and out
    from the ring's ``centre`` by that width over the bottom's. Mapped by x instead, the top's ends
    reached past the centre front and the fronts sewn to them crossed there."""
    v, seam, outline = (_straightened(p, q) for q in (v, seam, p.outline))
    order = np.argsort(seam[:, 0])
    xs, targets = seam[order, 0], targets[order]
    y0 = float(seam[:, 1].mean())
    xmin, xmax = _x_span(outline, v[:, 1])
    xmin, xmax = np.where(np.isfinite(xmin), xmin, xs[0]), np.where(np.isfinite(xmax), xmax, xs[-1])
    share = np.clip((v[:, 0] - xmin) / np.maximum(xmax - xmin, 1e-9), 0.0, 1.0)
    base = np.column_stack([np.interp(xs[0] + share * (xs[-1] - xs[0]), xs, targets[:, k]) for k in range(3)])
    grow = ((xmax - xmin) / max(xs[-1] - xs[0], 1e-9))[:, None]
    c = _lm(p, "bend_centre")
    if c is not None:  # a bent band's rows, laid out straight, are as long as its bottom: bent, this much longer
        grow = grow * (1.0 + v[:, 1:2] / -float(c[1]))
    out = base.copy()
    out[:, :2] = centre[:2] + grow * (base[:, :2] - centre[:2])
    out[:, 2] += v[:, 1] - y0
    return out


def _place_hood(p, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float,
                placed: np.ndarray | None = None, upper: float = 1.0) -> None:
    """A hood half around its side of the head, HOOD_AIR cm clear of it (a hood has room inside; on
    the head it was a helmet, stretched 24 % to reach round the face): y runs up from the neckline to
    the crown, x forward from the back centre over the angle the pattern's width covers, so the face
    edge ends beside the face, not at the nose. Its rows rise from the height of the back neckline
    it is sewn to (where ``placed``; else the neck base), not from the body's neck base under it. Its
    top is turned forward over the head (HOOD_TILT) and the cloth by the face edge drawn in to
    HOOD_FACE_AIR off the face (_face_in): the room is at the back."""
    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    v = mesh.pieces[i].verts
    nf, nb, cr = _lm(p, "neck_front"), _lm(p, "neck_back"), _lm(p, "crown")
    x0 = float(nf[0]) if nf is not None else float(v[:, 0].min())
    x1 = float(nb[0]) if nb is not None else float(v[:, 0].max())
    ytop = float(cr[1]) if cr is not None else float(v[:, 1].max())
    # a row's share of the way round is measured to the crown seam, so the seam lies at the back centre
    # on every row. Measured to the neck's back point, where the seam bulges out past it round the
    # back of the head the bulge ran past the centre into the other half (hoodie wrap and drape, 2-3
    # crossings at the crown), and where it comes forward over the head (above the bulge) both
    # halves' seams ended short of the centre and the snap folded them together across the back of
    # the head (the hooded jumpsuit's hood, as deep at the neck as its 25 cm neck edge, bulges 2 cm:
    # XS / L 2-4 wrap crossings there)
    far = np.full(len(v), x1)
    crown = next((e for e in p.edges if e.name == "crown"), None)
    if crown is not None:
        c = p.outline[np.arange(crown.start, crown.end + 1) % len(p.outline)]
        c = c[np.argsort(c[:, 1])]
        far = np.interp(v[:, 1], c[:, 1], c[:, 0])
    span_x = np.where(np.abs(far - x0) > 1e-6, far - x0, 1.0)
    u = np.clip((v[:, 0] - x0) / span_x, -0.2, 1.2)
    sign = -1.0 if "right" in (p.body_region or p.name) else 1.0
    hc, ax = body.head_center, body.head_axes + offset + HOOD_AIR
    # the angle the half covers from the back centre: its width round the roomy head, at most a half turn
    width = float(np.ptp(v[:, 0]))
    span = float(np.clip(width / (0.5 * (ax[0] + ax[1])), 1.0, np.pi))
    phi = np.pi / 2 - sign * span * (1 - u)
    z0, z1 = body.landmarks["neck_base"], body.landmarks["head_top"] + offset + HOOD_AIR
    # the back, hung from its waist, reaches 0-1.7 cm (XS..XXL) above the neck base at the centre back;
    # from a ring there the seam snap (both halves and the back meet at that point: 2/3 of the way) took
    # the back's neckline down level with the row 1 cm under it (L), the push-out laid both on one
    # point of the neck and the relax re-opened that edge with the row above the seam: the back folded
    # under the hood's neck seam (hoodie L regular / fitted / loose: 12 / 2 / 2 wrap crossings). In full
    # at the centre back, fading to the neck base at the hood's front, where the fronts' neckline lies
    # under it (lifted all round, the hooded jacket's fronts crossed the hood 6 more times by the neck)
    under = _neckline_under(p, mesh, pos, placed)
    zn = _neckline_height(under, nb) if nb is not None else None
    zn = z0 if zn is None else z0 + (zn - z0) * np.clip(u, 0.0, 1.0)
    # down a V neckline's drop (an open front's hood has its neck edge traced off the front's neckline,
    # down to the opening) the columns rise from the placed neckline under them instead, by how far it
    # has dropped: from the neck base, the snap dragged the hood's front 20 cm down the V and the fronts
    # folded under it by the neck (hooded jacket XS..XXL: 58 wrap crossings)
    yn, drop = np.zeros(len(v)), np.zeros(len(v))
    if under is not None:
        xs, ys, seam3 = under
        yn = np.minimum(np.interp(v[:, 0], xs, ys), 0.0)
        seam = np.column_stack([np.interp(v[:, 0], xs, seam3[:, k]) for k in range(3)])
        drop = np.clip(-yn / HOOD_DROP_FADE, 0.0, 1.0)
    level = zn
    if under is not None:
        zn = zn + drop * (seam[:, 2] - zn)
    # above the neck point's level the rows rise from there to the crown, as a pullover's; below it, down
    # a V's drop, from the seam laid on the V up to that level. Risen from the V's bottom all the way, the
    # columns down the V took their whole flat height over the head's, the face edge above the chin lay
    # 16 % short (hooded jacket M loose: 28 cm cut over 23.6)
    z = np.where(v[:, 1] >= 0, level + (z1 - level) * np.clip(v[:, 1] / ytop, 0.0, None),
                 zn + (level - zn) * np.clip((v[:, 1] - yn) / np.maximum(-yn, 1e-6), 0.0, 1.0))
    neck_r = float(np.mean(body.section(np.array([z0]))[:2]))

    def ring(z):
        below = z < hc[2]
        f = np.clip((z - z0) / max(hc[2] - z0, 1e-6), 0, 1)
        ell = np.sqrt(np.clip(1 - ((z - hc[2]) / (ax[2] + 1.0)) ** 2, 0.05, 1))
        kx = np.where(below, (neck_r + 2) / ax[0] * (1 - f) + f, ell)
        ky = np.where(below, (neck_r + 2) / ax[1] * (1 - f) + f, ell)
        return np.column_stack([hc[0] + ax[0] * kx * np.cos(phi), hc[1] + ax[1] * ky * np.sin(phi), z])

    out = ring(z)
    tilt = np.radians(HOOD_TILT) * np.clip((out[:, 2] - hc[2]) / (z1 - hc[2]), 0.0, 1.0)
    dy, dz = out[:, 1] - hc[1], out[:, 2] - hc[2]
    out[:, 1] = hc[1] + dy * np.cos(tilt) - dz * np.sin(tilt)
    out[:, 2] = hc[2] + dy * np.sin(tilt) + dz * np.cos(tilt)
    lift, w = np.zeros(len(v)), np.zeros(len(v))
    if drop.any():
        # below the ring: up from the seam laid on the body (a V neckline's drop: the hood's front
        # lies in the opening over the chest and the neck, as the front it is sewn to; drawn in
        # toward the ring, its rows ran through the fronts beside the V), then over HOOD_BLEND above
        # the neck base into the ring round the head
        top = z0 + HOOD_BLEND
        w = drop * np.clip((top - z) / np.maximum(top - np.maximum(zn, z0), 1e-6), 0.0, 1.0)
        low = np.column_stack([seam[:, :2], z])
        # the other half's lowest point (the V's bottom; the halves are drawn mirrored, so it is not
        # the same end of the flat-x order on both), mirrored: past the centre?
        reach = -sign * float(seam3[np.argmin(seam3[:, 2]), 0])
        if sign == upper and reach > 0:
            # the half sewn to the front on top (``upper``: _upper_side) lies on the other half where
            # the two cross past the centre front, as the fronts do (_lift_front_overlap)
            lift = HOOD_OVERLAP_LIFT * np.clip((reach + 2.0 - sign * seam[:, 0]) / 2.0, 0, 1)
        on = drop > 0
        low[on] = _radially_onto(body, low[on], hc[:2], offset + lift[on])
        out[:, :2] += w[:, None] * (low[:, :2] - out[:, :2])
    _face_in(mesh.pieces[i], out, body, 1.0 - w)
    # below the head's centre the ring (round that centre) can lie inside the shown neck, which stands
    # behind it: there a point goes out along its ray to the skin, as the seam's share of a blended
    # point does. Left inside, the push-out moved it along the skin's normals: at the back neck down the
    # slope to the shoulders, under the back's neckline sewn to the hood's edge (the lowest 2 cm of a
    # hood's back lay up to 0.8 cm inside the skin; hooded vest XS..XXL x fit 145 wrap crossings there,
    # its 18 cm V neckline; a jacket's 20 cm V: 0, cut 18 cm deep: 15 at S / L), and under the jaw (the
    # male preset's front neck, blended points: male hooded jacket S / L 14, female XS 2)
    below = z < hc[2]
    if below.any():
        onto = _radially_onto(body, out[below], hc[:2], offset + lift[below])
        near = np.linalg.norm(out[below, :2] - hc[:2], axis=1) < np.linalg.norm(onto[:, :2] - hc[:2], axis=1)
        out[np.flatnonzero(below)[near]] = onto[near]
    pos[sl] = out


def _face_in(mp, out: np.ndarray, body: Body, share: np.ndarray) -> None:
    """A hood half's cloth by its face edge (``out``: the half's placed points, moved in place) drawn in
    toward HOOD_FACE_AIR off the skin: in full on the edge, fading over HOOD_FACE_FADE cm (flat) from it
    and over as many under the top of the head, times ``share`` (0 where the cloth lies on a V neckline); never out."""
    if "face" not in mp.edge_verts:
        return
    d = np.linalg.norm(mp.verts[:, None] - mp.verts[mp.edge_verts["face"]][None], axis=2).min(axis=1)
    # none over the top of the head: rays from its axis there graze the skull, and drawn in the halves' tips
    # crossed each other over the forehead (male hooded jacket L: 2 wrap crossings)
    top = np.clip((body.landmarks["head_top"] - out[:, 2]) / HOOD_FACE_FADE, 0.0, 1.0)
    wt = np.clip(1.0 - d / HOOD_FACE_FADE, 0.0, 1.0) * share * top
    k = np.flatnonzero(wt > 0)
    hc = body.head_center[:2]
    onto = _radially_onto(body, out[k], hc, HOOD_FACE_AIR, step=0.5, reach=1.0)  # inward only: no reach past
    inward = np.linalg.norm(onto[:, :2] - hc, axis=1) < np.linalg.norm(out[k, :2] - hc, axis=1)
    k, onto = k[inward], onto[inward]
    out[k] += wt[k, None] * (onto - out[k])


def _radially_onto(body: Body, pts: np.ndarray, axis: np.ndarray, offset, step: float = 0.25,
                   reach: float = 8.0) -> np.ndarray:
    """``pts`` moved horizontally, along the ray from ``axis`` (x, y), to ``offset`` cm outside the
    shown body's skin (unmoved without one, or where the ray never reaches that level): to its
    outermost crossing of that level, sampled every ``step`` cm from the axis to ``reach`` cm past
    the point. Under the male preset's jaw a horizontal ray passes the neck and then runs within
    ``offset`` of the jaw's underside up to the chin: stepped by the distance over the skin normal's
    share of the ray (the jaw's normals point down, the share clamped to 0.3), a point ran through
    the neck past the axis and out behind it, and the crossing nearest where each point started was
    the neck for some and the chin for their neighbours; either way the hood's front folded on
    itself by the neck (male hooded jacket S 8-10, M / L 2-3 wrap crossings)."""
    skin = getattr(getattr(body, "surface", None), "skin", None)
    if skin is None or not len(pts):
        return pts
    ray = pts[:, :2] - axis
    r0 = np.linalg.norm(ray, axis=1)
    ray /= np.maximum(r0, 1e-9)[:, None]
    k = int(np.ceil((r0.max() + reach) / step)) + 1
    s = np.arange(k) * step  # (k,) cm from the axis
    q = np.empty((len(pts), k, 3))
    q[..., :2] = axis + s[None, :, None] * ray[:, None, :]
    q[..., 2] = pts[:, 2:3]
    d = skin.signed_distance(q.reshape(-1, 3))[0].reshape(len(pts), k)
    d -= np.broadcast_to(np.asarray(offset, float), len(pts))[:, None]
    # the level crossed outward between samples j and j + 1, at most ``reach`` past where the point starts
    cross = (d[:, :-1] < 0) & (d[:, 1:] >= 0) & (s[None, 1:] <= r0[:, None] + reach)
    j = len(s) - 2 - np.argmax(cross[:, ::-1], axis=1)  # the outermost
    ok = cross[np.arange(len(pts)), j]
    a, b = d[np.arange(len(pts)), j], d[np.arange(len(pts)), j + 1]
    r = s[j] + step * a / np.where(a != b, a - b, 1.0)
    p = pts.copy()
    p[ok, :2] = axis + r[ok, None] * ray[ok]
    return p


def _neckline_under(p, mesh: GarmentMesh, pos: np.ndarray, placed: np.ndarray | None):
    """(flat x, flat y, placed 3D point) along a hood half's neck edge, sorted by x, of the placed
    neckline each neck-edge vertex is sewn to; None when none is placed."""
    if placed is None:
        return None
    i = mesh.index(p.name)
    mp = mesh.pieces[i]
    own, other = _sewn_to(mesh, i)
    ok = placed[other] & np.isin(own - mesh.offsets[i], _neck_verts(p, mp))
    ok &= ~np.isin(mesh.piece_of[other], [j for j, q in enumerate(mesh.pieces) if "hood" in q.name])
    if not ok.any():
        return None
    flat = mp.verts[own[ok] - mesh.offsets[i]]
    order = np.argsort(flat[:, 0], kind="stable")
    return flat[order, 0], flat[order, 1], pos[other[ok][order]]


def _neck_verts(p, mp) -> np.ndarray:
    """A piece mesh's vertex ids (its own) along the piece's neck edges; none when it has none."""
    neck = [mp.edge_verts[e.name] for e in p.edges if e.name.startswith("neck")]
    return np.concatenate(neck) if neck else np.zeros(0, int)


def _neckline_height(under, at: np.ndarray) -> float | None:
    """Height of the placed neckline that a hood's neck edge is sewn to (``under``: _neckline_under)
    at the neck-edge vertex nearest ``at`` (flat); None when no placed piece is sewn to its neck edges."""
    if under is None:
        return None
    k = int(np.argmin(np.hypot(under[0] - at[0], under[1] - at[1])))
    return float(under[2][k, 2])


def _place_on_host(pattern, p, mesh: GarmentMesh, pos: np.ndarray, placed: np.ndarray) -> bool:
    """A patch pocket where its pattern puts it: its centre at ``placement["at"]`` on the piece
    ``placement["attach_to"]`` (where the host's drill holes are), each vertex carried by the host
    triangle under it in the flat. Laid flat in front of the waist instead, the jacket's pockets sat
    3.5-3.8 cm from where they are drawn, over the fronts' overlap edge (a dark line at one side), and
    the jumpsuit's leg pockets on the torso."""
    host_name, at = (p.placement or {}).get("attach_to"), (p.placement or {}).get("at")
    names = [q.name for q in mesh.pieces]
    if host_name not in names or at is None:
        return False
    h = names.index(host_name)
    hv, hf, ho = mesh.pieces[h].verts, mesh.pieces[h].faces, mesh.offsets[h]
    if not placed[ho]:
        return False
    i = mesh.index(p.name)
    v = mesh.pieces[i].verts
    host = pattern.piece(host_name)

    def sewn(q):
        # over a dart (a trouser's back pocket over the back dart) the pocket lies on the sewn dart: drawn
        # across the open wedge, its points there were carried by the nearest triangle past one leg into
        # the other side's cloth and the pocket folded through itself (pants with pockets, 1.5 cm mesh:
        # 10 of 18 wraps, up to 14 crossings)
        for a, tip, b in v_darts(host):
            q = _round_dart(q, a, tip, b)
        for diamond in fisheye_darts(host):  # the same over a fish-eye dart's hole
            q = _round_fisheye(q, diamond)
        return q

    q = p.on_host(v)
    top = mesh.pieces[i].edge_verts.get("top")
    if top is not None and len(top) > 1:
        # levelled as drawn, then onto the sewn darts: moved after, its points moved back into a side
        # bust dart's wedge and the pocket folded there (shirt XXL fitted, 1.5 cm mesh: 4 crossings)
        q = _level_top(q, np.asarray(top), sewn, hv, hf, pos[ho:ho + len(hv)])
    pos[mesh.offsets[i]:mesh.offsets[i] + len(v)] = _carry(sewn(q), hv, hf, pos[ho:ho + len(hv)])
    return True


LEVEL_MAX = 3.0  # cm a patch's column moves up or down its host at most
LEVEL_STEPS = 25  # heights tried for each column over that range (0.25 cm apart)
# cm: a pocket's top as laid rising or falling less than this is left as drawn. Levelled by a few mm,
# the loose jumpsuit XXL's hip pockets (their tops 0.1-0.2 cm out) tipped its drape's crotch, where
# the four legs meet, into crossing itself (6 / 4 / 0 / 4 / 2 / 0 over 6 starts; 0 on all 6 unmoved)
LEVEL_TOL = 0.3


def _level_top(q: np.ndarray, top: np.ndarray, sewn: Callable, flat: np.ndarray, faces: np.ndarray,
               host: np.ndarray) -> np.ndarray:
    """A patch's flat points ``q`` on its host as drawn (``sewn``: where the host's sewn darts take
    them; ``flat`` / ``faces`` placed at ``host``) moved up or down the host's grain, column by column,
    so that its top edge (vertices ``top``) lies level on the standing body, as a pocket is placed,
    its top as high as drawn on the average. Carried by the host's
    triangles alone, a woman's shirt's chest pocket followed the front's cross grain over the bust,
    which the wrap leaves 1.4 cm high at the apex and 1.3 cm low toward the armhole: its top tilted
    by 1.4 cm (shirt M; 0.9 XXL; jacket M's hip pockets 0.7), and the drape, which holds a pocket
    where the wrap put it, kept it."""
    x = q[top, 0]
    steps = np.linspace(-LEVEL_MAX, LEVEL_MAX, LEVEL_STEPS)
    tried = np.stack([np.repeat(x, LEVEL_STEPS), (q[top, 1][:, None] + steps).ravel()], axis=1)
    z = _carry(sewn(tried), flat, faces, host)[:, 2].reshape(len(top), LEVEL_STEPS)
    mid = LEVEL_STEPS // 2  # no move
    if np.ptp(z[:, mid]) < LEVEL_TOL:
        return q
    z = np.maximum.accumulate(z, axis=1)  # up the grain is up the body (where it is not, no further)
    shift = np.array([np.interp(z[:, mid].mean(), zi, steps) for zi in z])
    order = np.argsort(x)
    out = q.copy()
    out[:, 1] += np.interp(q[:, 0], x[order], shift[order])
    return out


DART_SPREAD = np.radians(45.0)  # each side of a dart's wedge over which a patch drawn across it is spread


def _round_dart(q: np.ndarray, a: np.ndarray, tip: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Flat points ``q`` of a patch drawn across a dart's open wedge (straight legs from ``tip`` to the
    bases ``a`` and ``b``), moved off the wedge as the sewn dart takes them: round the tip, the wedge
    and DART_SPREAD either side of it close up to the cloth either side, evenly by angle (no point in
    the gap, none on top of another); farther round, nothing moves, and a patch clear of the wedge
    stays as drawn."""
    la, lb = np.linalg.norm(a - tip), np.linalg.norm(b - tip)
    half = 0.5 * np.arccos(np.clip(np.dot(a - tip, b - tip) / (la * lb), -1.0, 1.0))
    mid = (a - tip) / la + (b - tip) / lb
    mid /= np.linalg.norm(mid)
    d = q - tip
    phi = np.arctan2(mid[0] * d[:, 1] - mid[1] * d[:, 0], d @ mid)  # signed angle from the wedge's middle
    r = np.linalg.norm(d, axis=1)
    if not ((np.abs(phi) < half) & (r < min(la, lb))).any():
        return q  # clear of the wedge: the dart does not come between its points
    near = np.abs(phi) < half + DART_SPREAD
    to = np.where(near, np.sign(phi) * (half + np.abs(phi) * DART_SPREAD / (half + DART_SPREAD)), phi)
    c, s = np.cos(to), np.sin(to)
    turned = np.column_stack([c * mid[0] - s * mid[1], s * mid[0] + c * mid[1]])
    return np.where(near[:, None], tip + r[:, None] * turned, q)


FISHEYE_SPREAD = 3.0  # cm each side of a fish-eye dart's axis over which a patch drawn across it is spread


def _round_fisheye(q: np.ndarray, diamond: np.ndarray) -> np.ndarray:
    """Flat points ``q`` of a patch drawn across a fish-eye dart's hole (``diamond``: fisheye_darts)
    moved off it as the sewn dart takes them: within FISHEYE_SPREAD of its axis each side closes up
    to the leg on its side, evenly; farther out, and above or below the dart, nothing moves. Carried
    over the hole by the nearest triangle past one leg, a jacket M's pockets folded through themselves
    (3 wrap self-crossings each)."""
    foot, side, top, _ = diamond
    half = np.interp(q[:, 1], [foot[1], side[1], top[1]], [0.0, abs(side[0] - foot[0]), 0.0], left=0.0, right=0.0)
    d = q[:, 0] - foot[0]
    near = np.abs(d) < FISHEYE_SPREAD
    out = q.copy()
    out[near, 0] = foot[0] + np.where(d[near] >= 0, 1.0, -1.0) * (
        half[near] + np.abs(d[near]) * (FISHEYE_SPREAD - half[near]) / FISHEYE_SPREAD)
    return out


def _carry(q: np.ndarray, flat: np.ndarray, faces: np.ndarray, *placed: np.ndarray):
    """3D points for the flat points ``q`` on a piece (``flat`` vertices, ``faces``) placed at
    ``placed``: each carried by the triangle under it in the flat, the best-fitting one (least
    negative barycentric weight: inside, or nearest for a point off the outline). Several
    ``placed`` arrays (positions, normals) are carried by the same weights, a list of results."""
    corners, w = _carried_by(q, flat, faces)
    out = [np.einsum("nk,nkj->nj", w, x[corners]) for x in placed]
    return out[0] if len(out) == 1 else out


CARRY_TOL = 1e-6  # cm: a triangle's box grown by this still holds every point its weights call inside


def _carried_by(q: np.ndarray, flat: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(corner vertex ids (n, 3), barycentric weights (n, 3)) of the triangle each flat point ``q``
    is carried by (see _carry). Only the triangles whose box holds a point are weighed for it (a
    pocket's 132 points on a 1800-triangle front: 12 -> 2 ms); a point inside none of those (off the
    outline) is weighed against all. The same weights and the same triangle (the first of equals)
    as weighing every triangle for every point."""
    a, b, c = flat[faces[:, 0]], flat[faces[:, 1]], flat[faces[:, 2]]
    d = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    best = np.full(len(q), -1)
    if np.all(d != 0):  # a degenerate triangle's weights are NaN, which argmax picks: weigh all
        lo = np.minimum(np.minimum(a, b), c) - CARRY_TOL
        hi = np.maximum(np.maximum(a, b), c) + CARRY_TOL
        qi, fi = np.nonzero((q[:, None, 0] >= lo[:, 0]) & (q[:, None, 0] <= hi[:, 0])
                            & (q[:, None, 1] >= lo[:, 1]) & (q[:, None, 1] <= hi[:, 1]))
        w0, w1 = _weights(q[qi], a[fi], b[fi], c[fi], d[fi])
        worst = np.minimum(np.minimum(w0, w1), 1 - w0 - w1)
        order = np.lexsort((fi, -worst, qi))  # per point: the largest least weight, then the first face
        first = order[np.r_[True, qi[order][1:] != qi[order][:-1]]] if len(order) else order
        inside = worst[first] >= 0
        best[qi[first[inside]]] = fi[first[inside]]
    rest = np.nonzero(best < 0)[0]
    if len(rest):
        w0, w1 = _weights(q[rest, None], a, b, c, d)
        best[rest] = np.minimum(np.minimum(w0, w1), 1 - w0 - w1).argmax(axis=1)
    w0, w1 = _weights(q, a[best], b[best], c[best], d[best])
    return faces[best], np.stack([w0, w1, 1 - w0 - w1], axis=-1)


def _weights(q, a, b, c, d) -> tuple[np.ndarray, np.ndarray]:
    """The barycentric weights of a and b for points q in triangles (a, b, c) of doubled area d
    (broadcast: q (n, 1, 2) against (f, 2) triangles, or row by row)."""
    dx, dy = q[..., 0] - c[..., 0], q[..., 1] - c[..., 1]
    w0 = ((b[..., 1] - c[..., 1]) * dx + (c[..., 0] - b[..., 0]) * dy) / d
    w1 = ((c[..., 1] - a[..., 1]) * dx + (a[..., 0] - c[..., 0]) * dy) / d
    return w0, w1


def _place_flat(p, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> None:
    """Fallback: the piece flat in front of the torso at its landmark height or the waist."""
    i = mesh.index(p.name)
    sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
    v = mesh.pieces[i].verts
    z = v[:, 1] - v[:, 1].mean() + body.landmarks["waist"] - 8
    side = 10.0 if "left" in p.name else -10.0 if "right" in p.name else 0.0
    s = v[:, 0] - v[:, 0].mean() + side
    pos[sl] = _torso_ring_fast(body, z, s, np.full(len(v), 0.0), offset + 0.6)


def snap_seams(mesh: GarmentMesh, pos: np.ndarray, weight: float = 1.0) -> np.ndarray:
    """Move sewn vertices to their group mean; spread the move harmonically over each piece."""
    if not len(mesh.seam_pairs):
        return pos
    label, sewn = _seam_groups(mesh)
    cnt = np.bincount(label, weights=sewn.astype(float))
    mean = np.stack([np.bincount(label, weights=pos[:, k] * sewn) for k in range(3)], 1) / np.maximum(cnt, 1)[:, None]
    disp = np.zeros_like(pos)
    disp[sewn] = (mean[label] - pos)[sewn] * weight
    return pos + spread_moves(mesh, disp, sewn)


# The drape's cloth is pebbly at its own mesh scale: the solver's bending springs do not hold a 2 cm
# triangle flat against its neighbours, and the cloth settles dimpled, each vertex a mm or two off its
# neighbours along the normal (dress M flare 25 maxi: 1.2 mm mean / 2.6 mm p95 off its Taubin-smoothed
# self vs the wrap's 0.6 / 1.7; vertex normals 6 / 18 deg off their neighbours' vs 3 / 7), a mottle
# and a sawtooth along the flute crests in every final render that no subdivision or shading removed.
# A Taubin lambda / mu filter (Taubin 1995) along the normals takes out the 2-4 edge wavelengths and
# keeps the folds (8+ edges across: a flute's wave loses ~1 % per pass); the outline stays put (the
# hem's flutes as simulated) and no vertex moves more than NOISE_CAP_CM (a collar's crease, a crisp
# real fold, is not rounded off). Dress XS flare 40 (surface_noise 2.55 mm raw): 0.3 cm held 30 % of
# the vertices at the cap (0.99 mm, still mottled in the final render), 0.6 cm 6 % (0.64 mm); no cap
# and 30 passes 0.47 mm but 2 self-crossings. A section 30 cm over the hem, its length over its hull's
# 1.38 raw -> 1.26 / 1.22 (0.3 / 0.6 cm): most of that is the dimples' own zigzag (3 passes: 1.29).
NOISE_PASSES = 10
NOISE_LAMBDA, NOISE_MU = 0.5, -0.53
NOISE_CAP_CM = 0.6
NOISE_GUARD_ROUNDS, NOISE_KEEP_RINGS = 6, 2


def smooth_noise(mesh: GarmentMesh, pos: np.ndarray, passes: int = NOISE_PASSES) -> np.ndarray:
    """``pos`` with the cloth's mesh-scale dimples filtered out along the normals, over the garment as
    sewn (seams welded; the outline fixed)."""
    rep = _welded_ids(*_seam_groups(mesh))
    faces = rep[mesh.faces]
    faces = faces[(faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 2] != faces[:, 0])]
    edges, ids = face_edges(faces)
    uses = np.bincount(ids.ravel(), minlength=len(edges))
    free = np.zeros(len(pos), bool)
    free[np.unique(faces)] = True
    free[edges[uses != 2].ravel()] = False  # the outline, and a non-manifold junction of three pieces
    # and the seams, as they lie: filtered, the crease a short cut seam makes (the trousers' back crotch
    # seam in the seat) was filled in and the seam laid 11.1 % longer than cut (8.6 % as draped)
    free[rep[mesh.seam_pairs.ravel()]] = False
    deg = np.maximum(np.bincount(edges.ravel(), minlength=len(pos)), 1)[:, None]
    normal = vertex_normals(pos, faces)
    x = pos.copy()
    for _ in range(passes):
        for step in (NOISE_LAMBDA, NOISE_MU):
            lap = neighbour_sum(edges, x) / deg - x
            x = x + step * normal * np.einsum("ij,ij->i", lap, normal)[:, None] * free[:, None]
    move = np.clip(np.einsum("ij,ij->i", x - pos, normal), -NOISE_CAP_CM, NOISE_CAP_CM)
    return pos + _uncrossed(pos, faces, edges, normal * move[:, None])[rep]


def _uncrossed(pos: np.ndarray, faces: np.ndarray, edges: np.ndarray, move: np.ndarray) -> np.ndarray:
    """``move`` ((n, 3) per vertex) taken back, with NOISE_KEEP_RINGS rings round, where it makes the
    cloth cross itself anew: a layer within a few mm of another (a lapel on its front, a button stand,
    a collar's fall) filtered toward its own smoothed self went through the one beside it (the sweep's
    jackets 2-26 crossings, button-downs 2, where the raw drape had 0)."""
    def pairs(p):
        e, t = crossing_edges(p, faces)
        return {(int(a), int(b), int(f)) for (a, b), f in zip(e, t, strict=True)}

    before, move = pairs(pos), move.copy()
    for _ in range(NOISE_GUARD_ROUNDS):
        new = pairs(pos + move) - before
        if not new:
            break
        bad = np.zeros(len(pos), bool)
        for a, b, f in new:
            bad[[a, b, *faces[f]]] = True
        for _ in range(NOISE_KEEP_RINGS):
            bad[edges[bad[edges].any(axis=1)].ravel()] = True
        move[bad] = 0.0
    return move


def spread_moves(mesh: GarmentMesh, disp: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """``disp`` on the ``fixed`` vertices carried over the rest of each piece harmonically
    (L u = 0 on the free vertices)."""
    coupling, lu = _harmonic_system(mesh, fixed)
    rhs = -(coupling @ disp[fixed])
    out = disp.copy()
    out[~fixed] = lu.solve(np.asarray(rhs))  # one factorisation for x, y and z
    return out


SPREAD_SYSTEMS = 4  # factorised systems kept per mesh: a wrap snaps its seams 4 times with one


def _harmonic_system(mesh: GarmentMesh, fixed: np.ndarray):
    """(L_free,fixed, the LU factors of L_free,free + 1e-4 I) of the mesh's graph Laplacian for
    spread_moves, kept on the mesh for the same ``fixed`` (the sewn vertices: every snap_seams)."""
    key = ("spread", fixed.tobytes())
    if key in mesh.cache:
        return mesh.cache[key]
    n = len(fixed)
    e = mesh.edges()
    rows = np.concatenate([e[:, 0], e[:, 1]])
    cols = np.concatenate([e[:, 1], e[:, 0]])
    A = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    deg = np.asarray(A.sum(axis=1)).ravel()
    L = (coo_matrix((deg, (np.arange(n), np.arange(n))), shape=(n, n)) - A).tocsr()
    free = ~fixed
    Lff = L[free][:, free] + 1e-4 * identity(int(free.sum()), format="csr")
    old = [k for k in mesh.cache if k[0] == "spread"]
    for k in old[:max(len(old) - SPREAD_SYSTEMS + 1, 0)]:  # the oldest go
        del mesh.cache[k]
    mesh.cache[key] = (L[free][:, fixed], splu(Lff.tocsc()))
    return mesh.cache[key]


def wrap(pattern, mesh: GarmentMesh, body: Body, offset: float = OFFSET,
         relax_iterations: int | None = None) -> np.ndarray:
    """(N, 3) garment vertex positions in cm around ``body`` for ``mesh`` (from mesh_pattern)."""
    n = len(mesh.verts2d)
    pos = np.zeros((n, 3))
    placed = np.zeros(n, bool)

    def mark(p):
        i = mesh.index(p.name)
        placed[mesh.offsets[i]:mesh.offsets[i] + len(mesh.pieces[i].verts)] = True

    rings = _rings(pattern)
    for key, pieces in rings.items():
        imported = [p for p in pieces if _uses_placement(p)]
        if imported and not key.startswith("leg"):
            _place_placement_ring(imported, mesh, pos, body, key, offset)
            for p in imported:
                mark(p)
    legs = [q for k, qs in rings.items() if k.startswith("leg") for q in qs]
    imported_legs = [p for p in legs if _uses_placement(p)]
    if imported_legs and _place_placement_legs(imported_legs, mesh, pos, body, offset):
        for p in imported_legs:
            mark(p)
    for side in ("left", "right"):
        sleeve = [p for p in pattern.pieces if _uses_placement(p) and (p.body_region or "") == f"arm_{side}"]
        if sleeve and _place_placement_sleeve(sleeve, mesh, pos, body.arms[side], offset):
            for p in sleeve:
                mark(p)
    for p in pattern.pieces:
        if _uses_placement(p) and not placed[mesh.offsets[mesh.index(p.name)]]:
            _place_placement(p, mesh, pos, body, offset)
            mark(p)
    for key, pieces in rings.items():
        pieces = [p for p in pieces if not _uses_placement(p)]
        if not pieces:
            continue
        _place_ring(body, pieces, mesh, pos, key, offset, legs)
        for p in pieces:
            mark(p)
    pending = []
    for p in pattern.pieces:
        r = p.body_region or ""
        if placed[mesh.offsets[mesh.index(p.name)]]:
            continue
        if r.startswith(ARM) or "sleeve" in p.name:
            # a two-piece sleeve: top and under sleeve share their arm
            mates = [q for q in pattern.pieces if q is not p and (q.body_region or "") == r and r.startswith("arm")]
            _place_sleeve(body, p, mesh, pos, offset, mates)
            mark(p)
        elif r.startswith("hood") or "hood" in p.name:
            _place_hood(p, mesh, pos, body, offset, placed, _upper_side(pattern))
            mark(p)
        else:
            pending.append(p)
    pos = _sleeves_to_armholes(pattern, mesh, pos, body, placed)
    for p in _waist_seam_bands(pattern, mesh, pending):
        _join_at_waist(pattern, p, mesh, pos)
        mark(p)
        pending.remove(p)
    for _ in range(3):  # bands attached to bands (hood on collar...) need a second pass
        left = []
        for p in pending:
            if _place_band(p, mesh, pos, placed, body):
                mark(p)
            else:
                left.append(p)
        pending = left
    for p in pending:
        if not _place_on_host(pattern, p, mesh, pos, placed):
            _place_flat(p, mesh, pos, body, offset)
        mark(p)
    pos = snap_seams(mesh, pos)
    pos = _hems_on_feet(pattern, mesh, pos, body, offset)
    pos = body.push_out(pos, offset)
    return finish(pattern, mesh, pos, body, offset, relax_iterations)


def finish(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float = OFFSET,
           relax_iterations: int | None = None) -> np.ndarray:
    """Last steps shared by wrap and drape: relax toward the pattern's edge lengths with seams
    closed and the body kept out, then lay an open front's overlap and pockets on top.
    relax_iterations: default RELAX_ITERATIONS, IMPORT_RELAX_ITERATIONS for placed (imported) pieces."""
    if relax_iterations is None:
        imported = any(_uses_placement(p) for p in pattern.pieces)
        relax_iterations = IMPORT_RELAX_ITERATIONS if imported else RELAX_ITERATIONS
    if relax_iterations:
        # a hood keeps the room _place_hood gave it: relaxed, its halves folded through each other
        # at the crown (hoodie wrap: 3 -> 30 crossings there)
        hood = _held_hood(pattern, mesh)
        sides = _leg_sides(pattern, mesh, crotch_gap(body))
        pos = relax(mesh, pos, body, relax_iterations, offset, held=hood, sides=sides,
                    midline=_crotch_seams(pattern, mesh))
    pos = _lift_front_overlap(pattern, mesh, pos)
    pos = _lift_lapels(pattern, mesh, pos)
    pos = _roll_lapels(pattern, mesh, pos)
    pos = _lift_band_extensions(pattern, mesh, pos)
    pos = _band_collars(pattern, mesh, pos, body, offset)
    pos = _cuffs_to_wrists(pattern, mesh, pos, body)
    pos = _turn_down_collars(pattern, mesh, pos)
    # after the collars: smoothing a collar's neck seam spreads over the fronts to their armholes and
    # folded an unfolded one again (jacket XXL: 4 crossings at the left front's by the shoulder)
    pos = unfold_armholes(pattern, mesh, pos, body, offset)
    pos = unfold_crotch(pattern, mesh, pos, body, offset)
    pos = unfold_hood(pattern, mesh, pos, body, offset)
    pos = unfold_imported(pattern, mesh, pos, body, offset)
    patches = [mesh.index(p.name) for p in pattern.pieces if is_patch(p, mesh)]
    if patches:
        # carried again by the relaxed host: the relax lets a front drop (the length under a full
        # bust) and left the pockets 3-4 cm above where they are drawn
        for p in pattern.pieces:
            if mesh.index(p.name) in patches:
                _place_on_host(pattern, p, mesh, pos, np.ones(len(pos), bool))
        pos = _lay_on_surface(pattern, mesh, pos, patches)
        # a pocket's edge 0.15 cm out still ran under a bump of its host where the host's cloth
        # rose between the pocket's vertices (jumpsuit XS fitted: 7 crossings at the leg pocket's side)
        layer = np.isin(mesh.piece_of, patches).astype(int)
        pos = _untangle(pos, _welded_ids(*_seam_groups(mesh))[mesh.faces], layer)
    return pos


# cm (flat) from its neck seam within which a hood relaxes with the neckline it is sewn to: held
# there too, on its ring round the head centre at the neck base (0.7-0.9 cm inside the shown back
# neck), the back's neckline could not rise with the back's column over the neck and the back folded
# under the seam (hoodie L regular / fitted / loose: 14 / 2 / 2 wrap crossings). 4-7 cm give 0 for
# S..XL, 2-3 cm leave L regular 10
HOOD_NECK_FREE = 5.0


def _held_hood(pattern, mesh: GarmentMesh) -> np.ndarray:
    """The hood's vertices that keep their place in the relax: all but those within HOOD_NECK_FREE
    of its neck seam, which follow the neckline they are sewn to."""
    out = np.zeros(len(mesh.verts2d), bool)
    for p in pattern.pieces:
        if not (p.body_region or p.name).startswith("hood"):
            continue
        i = mesh.index(p.name)
        mp = mesh.pieces[i]
        neck = _neck_verts(p, mp)
        d = cKDTree(mp.verts[neck]).query(mp.verts)[0] if len(neck) else np.full(len(mp.verts), np.inf)
        out[mesh.offsets[i]:mesh.offsets[i] + len(mp.verts)] = d > HOOD_NECK_FREE
    return out


def _leg_sides(pattern, mesh: GarmentMesh, gap: float) -> np.ndarray:
    """Per vertex, how far (cm) on its own side of the body's midline (x = 0; the wearer's left at
    +x, signed) a trouser leg's vertex stays: ``gap`` (crotch_gap), less within CROTCH_SEAM_REACH of the crotch
    seam (which lies on the midline); 0 (free) off the legs and on imported legs."""
    out = np.zeros(len(mesh.verts2d))
    for p, i in _cut_legs(pattern, mesh):
        v = mesh.pieces[i].verts
        d = cKDTree(v[mesh.pieces[i].edge_verts["crotch"]]).query(v)[0]
        sign = -1.0 if _side(p.body_region) == "right" else 1.0
        out[mesh.offsets[i]:mesh.offsets[i] + len(v)] = sign * gap * np.clip(d / CROTCH_SEAM_REACH, 0, 1)
    return out


def _cut_legs(pattern, mesh: GarmentMesh):
    """(piece, mesh index) of each drafted trouser leg with a crotch seam (not an imported one)."""
    for p in pattern.pieces:
        i = mesh.index(p.name)
        if (p.body_region or "").startswith("leg") and not _uses_placement(p) and "crotch" in mesh.pieces[i].edge_verts:
            yield p, i


CROTCH_SEAM_REACH = 1.0  # cm from the crotch seam over which a leg's gap to the midline opens


def _crotch_seams(pattern, mesh: GarmentMesh) -> np.ndarray:
    """Mask of a one-piece's (legs sewn to a bodice) crotch seams' vertices, held on the body's midline
    in the relax: free, the loose jumpsuit XXL's crotch junction was drawn 0.6 cm to the wearer's left,
    the right legs' inseams crossed the midline to it and the drape's back legs folded through each
    other under it. Not trousers': held there, the fitted XXL's junction folded (wrap, 1.5 cm: 11)."""
    out = np.zeros(len(mesh.verts2d), bool)
    if not any((p.body_region or "").startswith("torso") for p in pattern.pieces):
        return out
    for _, i in _cut_legs(pattern, mesh):
        out[mesh.offsets[i] + np.asarray(mesh.pieces[i].edge_verts["crotch"], int)] = True
    return out


def relax(mesh: GarmentMesh, pos: np.ndarray, body: Body, iterations: int = RELAX_ITERATIONS,
          offset: float = OFFSET, held: np.ndarray | None = None, sides: np.ndarray | None = None,
          only: np.ndarray | None = None, midline: np.ndarray | None = None) -> np.ndarray:
    """Position-based relaxation (Jacobi): every triangle edge moves toward its flat length, sewn
    vertices share one position, vertices inside the body are pushed out. Removes most of the
    stretch a projection leaves (pants 5.6 % -> 3.3 % in 30 iterations, ~60 ms).
    held: vertices that keep their place (unless sewn: a seam still closes).
    sides: (_leg_sides) trouser legs kept on their side of the midline: pulled toward the crotch
    seam where the four legs meet under the crotch, their inner sides folded through each other
    (pants wrap 0 -> 34 self-crossings).
    only: the vertices relaxed (whole seams among them); the rest stay as they are, not pushed out
    either: the body test, the costly part, runs on these alone.
    midline: (_crotch_seams) vertices held on the body's midline (x = 0), with all sewn to them."""
    e = mesh.edges()
    n = len(pos)
    degree = np.maximum(np.bincount(e.ravel(), minlength=n), 1).astype(float)
    label, sewn = _seam_groups(mesh)
    if only is not None:
        e = e[only[e].any(axis=1)]
        held = ~only if held is None else held | ~only
        sewn = sewn & only
    rest = np.linalg.norm(mesh.verts2d[e[:, 0]] - mesh.verts2d[e[:, 1]], axis=1)
    # each step as two sparse products built once (gathering the edges' ends and scattering their
    # moves back with six bincounts took 2/3 of the GarmentCode dress's relax outside the body test):
    # diff @ pos gives each edge's vector, step @ c each vertex's move (over-relaxed, over its
    # degree, none where held)
    m = len(e)
    rows = np.r_[np.arange(m), np.arange(m)]
    diff = csr_matrix((np.r_[-np.ones(m), np.ones(m)], (rows, e.T.ravel())), shape=(m, n))
    scale = RELAX_OMEGA * 0.5 / degree
    if held is not None:
        scale[held & ~sewn] = 0.0
    step = csr_matrix((np.r_[scale[e[:, 0]], -scale[e[:, 1]]], (e.T.ravel(), rows)), shape=(n, m))
    # sewn vertices to their group's mean, as one product over the sewn vertices alone
    at = np.nonzero(sewn)[0]
    group = np.unique(label[at], return_inverse=True)[1]
    share = csr_matrix((np.ones(len(at)), (np.arange(len(at)), group)))
    mean = (share @ share.multiply(1.0 / share.sum(axis=0)).T).tocsr()
    keep = np.zeros(n, bool) if sides is None else sides != 0
    if midline is not None:  # with every vertex sewn to it, or the seam opens (jumpsuit wrap: 0.25 mm)
        midline = midline | (sewn & np.isin(label, label[midline & sewn]))
    pos = pos.copy()
    for it in range(iterations):
        d = diff @ pos
        length = np.maximum(row_norms(d), 1e-9)
        pos += step @ (((length - rest) / length)[:, None] * d)
        if len(at):
            pos[at] = mean @ pos[at]
        if it % 2 or it == iterations - 1:  # the body test is the costly part: every other step
            if only is None:
                pos = body.push_out(pos, offset, iterations=1)
            else:
                pos[only] = body.push_out(pos[only], offset, iterations=1)
        if keep.any():  # after the push-out: by the crotch the thighs' normals point across
            sign = np.sign(sides[keep])
            pos[keep, 0] = sign * np.maximum(sign * pos[keep, 0], np.abs(sides[keep]))
        if midline is not None:
            pos[midline, 0] = 0.0
    return pos


ARMHOLE_REACH = 6.0  # cm round a sleeve's sewn cap in which folds are smoothed out
UNFOLD_ROUNDS = 12  # at most; one or two do it (shirt, hoodie, dress S..XXL)
# the folded cloth and one ring round it move, 2 smoothing steps a round: the fold alone left a pinch
# where it was (shirt L drape 0 -> 2 crossings there); 2 rings and 4 steps left the hoodie's mean
# stretch 0.052 -> 0.065 (M) and 0.067 -> 0.086 (XL), 1 and 2 0.057 / 0.073
UNFOLD_RINGS = 1
UNFOLD_STEPS = 2
# round a sleeveless armhole, a round that leaves as many crossings as the one before moves one more
# ring, up to this: a fold pressed flat on the body's side (a loose vest's back armhole) came back
# after every smoothing (vest L / XL / XXL loose: 2 / 4 / 3 crossings left after 12 rounds)
UNFOLD_MAX_RINGS = 3


def unfold_armholes(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float = OFFSET,
                    rounds: int = UNFOLD_ROUNDS) -> np.ndarray:
    """Where bodice and sleeves pass through each other round the armholes, the cloth there smoothed
    (Laplacian, sewn vertices as one, kept out of the body) until no edge crosses a triangle.
    Between the armhole's bottom and the armpit the bodice's armhole edge lies at the torso's side
    while the sleeve cap it is sewn to lies round the arm, 5-8 cm away; the seam snap meets them
    half way and the rows beside the junction fold through each other (wrap self-crossings, 2 cm,
    welded: shirt M / L / XL 5 / 11 / 4 at the back armholes, hoodie S..XL 35-87 round the
    armholes). Only the vertices of crossing edges and crossed triangles, and their neighbours, move."""
    # not imported pieces (unfold_imported smooths theirs, after the relax): laid by their own
    # placement they crossed in many places, and smoothing those only took their cloth in
    # (GarmentCode T-shirt mean stretch 0.052 -> 0.094)
    ours = [p for p in pattern.pieces if not _uses_placement(p)]
    torso_ids = [mesh.index(p.name) for p in ours if (p.body_region or "").startswith("torso")]
    arm_ids = [mesh.index(p.name) for p in ours if (p.body_region or "").startswith(ARM)]
    label, sewn = _seam_groups(mesh)
    on_torso, on_arm = np.isin(mesh.piece_of, torso_ids), np.isin(mesh.piece_of, arm_ids)
    cap = on_arm & sewn & np.isin(label, label[sewn & on_torso])
    # only a sleeveless armhole's fold gets more cloth moved when stuck: round a sleeve's cap that
    # dragged the cap (jumpsuit XXL fitted: 7 cm; its drape 4 -> 35 crossings)
    grow = UNFOLD_MAX_RINGS if not cap.any() else UNFOLD_RINGS
    return _unfold(mesh, pos, body, cap | _open_armholes(ours, mesh), on_torso | on_arm, offset, rounds, grow)


def unfold_sleeves(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float = OFFSET,
                   rounds: int = UNFOLD_ROUNDS) -> np.ndarray:
    """Folds along a sleeve's own seams (underarm, a two-piece sleeve's front and back seams, a
    cuff's) smoothed out as round the armholes (unfold_armholes). The drape folds a sleeve at the
    elbow, where the top sleeve's ease gathers, and a fold there can pass through the seam beside
    it (male jacket M drape: 2 crossings at the right top sleeve's front seam by the elbow)."""
    ours = [p for p in pattern.pieces if not _uses_placement(p)]
    on_arm = np.isin(mesh.piece_of, [mesh.index(p.name) for p in ours if (p.body_region or "").startswith(ARM)])
    label, sewn = _seam_groups(mesh)
    to_torso = np.isin(label, label[sewn & ~on_arm])
    return _unfold(mesh, pos, body, on_arm & sewn & ~to_torso, on_arm, offset, rounds)


def unfold_crotch(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float = OFFSET,
                  rounds: int = UNFOLD_ROUNDS) -> np.ndarray:
    """Folds round the crotch seams and a jumpsuit's waist band smoothed out as round the armholes
    (unfold_armholes). Under the crotch a loose trouser's front (a wide jumpsuit's, its legs' waist
    widened under the bodice) hangs well in front of the body and turns back under it within 2-3 cm,
    where the legs' rings meet the midline: the relax folded the front crotch through itself there
    (loose jumpsuit, overalls, boiler suit L 11, XL 4, XXL 3 crossings). By the side seams the
    bodice's bottom, lifted onto the band's top, folded through the band (2-6 at every size of
    those). One round does it."""
    ours = [p for p in pattern.pieces if not _uses_placement(p)]
    legs = [p for p in ours if (p.body_region or "").startswith("leg")]
    bands = _waist_seam_bands(pattern, mesh, ours)
    seeds = np.isin(mesh.piece_of, [mesh.index(p.name) for p in bands])
    for p in legs:
        i = mesh.index(p.name)
        seeds[mesh.offsets[i] + mesh.pieces[i].edge_verts.get("crotch", np.zeros(0, int))] = True
    bodice = [p for p in ours if bands and (p.body_region or "").startswith("torso")]
    region = np.isin(mesh.piece_of, [mesh.index(p.name) for p in (*legs, *bands, *bodice)])
    return _unfold(mesh, pos, body, seeds, region, offset, rounds)


def unfold_hood(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float = OFFSET,
                rounds: int = UNFOLD_ROUNDS) -> np.ndarray:
    """Folds along a hood's neck seam smoothed out as round the armholes (unfold_armholes). The hood
    is held in the relax but for its rows by the neck (_held_hood), which follow the neckline they
    are sewn to; where that neckline turns sharply the seam and the rows beside it fold through each
    other: at the top of the back neck the hood's first row hung under the seam, over the back
    (hooded vest L fitted: 2 wrap crossings at the centre back), by the side of the front neck a seam
    vertex stood 0.8 cm out past its neighbours, under the front's next row (hooded jumpsuit XS loose
    2, male S loose 2). The smoothing moves only the cloth of crossing edges and crossed triangles
    and a ring round it, so a hood that crosses nothing there is left as it is."""
    ours = [p for p in pattern.pieces if not _uses_placement(p)]
    hood = np.isin(mesh.piece_of, [mesh.index(p.name) for p in ours if (p.body_region or p.name).startswith("hood")])
    if not hood.any():
        return pos
    label, sewn = _seam_groups(mesh)
    seeds = hood & sewn & np.isin(label, label[sewn & ~hood])
    torso = np.isin(mesh.piece_of, [mesh.index(p.name) for p in ours if (p.body_region or "").startswith("torso")])
    return _unfold(mesh, pos, body, seeds, hood | torso, offset, rounds)


def unfold_imported(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float = OFFSET,
                    rounds: int = UNFOLD_ROUNDS) -> np.ndarray:
    """Folds of imported (placed) pieces round any of their seams smoothed out as ours are round the
    armholes and the crotch (unfold_armholes, unfold_crotch, which leave imports alone: they know our
    pieces' roles and edges, an import's seams carry no such names). The imports fold where ours
    do: at the underarm, where the bodice's armhole at the torso's side meets the sleeve laid round
    the arm, and by the crotch and the hips' side seams, where the legs' rings blend into the hips'
    (wrap, 1.5 cm: GarmentCode tshirt / pants / dress 23 / 20 / 3 crossings there; now 0).
    The smoothing takes in the cloth it moves (tshirt / pants mean stretch 0.061 / 0.108 -> 0.064 /
    0.110): that cloth is relaxed back toward its cut lengths, the rest held, and unfolded again
    (0.060 / 0.105, still 0 crossings). Left alone past UNFOLD_IMPORTED_MAX crossings.
    Round their open edges too, as round a sleeveless armhole of ours (_open_armholes): the legacy
    sleeveless tee's back folded 7-10 cm from its seams, under its armhole (3 crossings; now 0)."""
    imported = [mesh.index(p.name) for p in pattern.pieces if _uses_placement(p)]
    region = np.isin(mesh.piece_of, imported)
    label, sewn = _seam_groups(mesh)
    seeds = region & (sewn | _outline_vertices(mesh, imported))
    out, found = _unfold_from(mesh, pos, body, seeds, region, offset, rounds, max_start=UNFOLD_IMPORTED_MAX)
    free = np.any(out != pos, axis=1)
    if not free.any():
        return out
    e = mesh.edges()
    for _ in range(UNFOLD_RELAX_RINGS):
        free[e[free[e].any(axis=1)].ravel()] = True
    free |= sewn & np.isin(label, label[free & sewn])  # a seam's vertices move together
    # only that cloth (relax's ``only``): relaxing all of it held the rest but pushed it out of the
    # body and re-closed its seams, which moved the GarmentCode dress's skirt too, and ran the body
    # test on every vertex (0.22 of the dress's 0.72 s wrap)
    out = relax(mesh, out, body, RELAX_ITERATIONS, offset, only=free)
    # checked again where the relax moved the cloth alone: the rest was checked as the unfolding left it
    return _unfold_from(mesh, out, body, seeds, region, offset, rounds, known=found)[0]


def _outline_vertices(mesh: GarmentMesh, pieces: list[int]) -> np.ndarray:
    """Bool per vertex: on the outline of one of the mesh pieces ``pieces``."""
    out = np.zeros(len(mesh.verts2d), bool)
    for i in pieces:
        for v in mesh.pieces[i].edge_verts.values():
            out[mesh.offsets[i] + v] = True
    return out


# crossings round an import's seams past which unfold_imported leaves them: a placement crossing
# itself all round the armholes (the analytic body, no skin attached: GarmentCode tshirt / dress /
# fitted shirt 120 / 143 / 161 at 2.5 cm) is off, and smoothing it all only took the cloth in (0 /
# 0 / 6 crossings left, mean stretch 0.055 / 0.072 / 0.074 -> 0.105 / 0.090 / 0.139); on the skin
# the pipeline wraps onto they are 3-28 (1.5-2.5 cm)
UNFOLD_IMPORTED_MAX = 60
# rings round the unfolded cloth relaxed with it (1.5 cm: 2 left the tshirt's mean stretch 0.062, 4 0.060).
# Relaxed and unfolded twice, the wraps' stretch fell further (tshirt / pants 0.057 / 0.092) but the
# GarmentCode dress's drape then hit the frame cap (151 frames; 71 relaxed once, 124 not relaxed)
UNFOLD_RELAX_RINGS = 4


def _unfold(mesh: GarmentMesh, pos: np.ndarray, body: Body, seeds: np.ndarray, region: np.ndarray,
            offset: float, rounds: int, max_rings: int = UNFOLD_RINGS, max_start: float = np.inf) -> np.ndarray:
    """The cloth of ``region`` within ARMHOLE_REACH of the ``seeds`` smoothed where it crosses itself
    (Laplacian, sewn vertices as one, kept out of the body) until no edge crosses a triangle; only
    the vertices of crossing edges and crossed triangles, and their neighbours, move. Nothing moves
    where more than ``max_start`` edges cross to begin with."""
    return _unfold_from(mesh, pos, body, seeds, region, offset, rounds, max_rings, max_start)[0]


@dataclass
class _Crossings:
    """Where a region's cloth crossed itself (_unfold): the welded positions checked, the mesh faces
    checked, and the crossing edges (welded vertex pairs) with the mesh face each passes through."""
    pos: np.ndarray
    faces: np.ndarray
    edges: np.ndarray
    hit: np.ndarray


def _unfold_from(mesh: GarmentMesh, pos: np.ndarray, body: Body, seeds: np.ndarray, region: np.ndarray,
                 offset: float, rounds: int, max_rings: int = UNFOLD_RINGS, max_start: float = np.inf,
                 known: _Crossings | None = None) -> tuple[np.ndarray, _Crossings | None]:
    """_unfold, and the crossings it left (None where nothing was checked). known: the crossings
    of an earlier check of (nearly) these positions: only the cloth moved since, or taken in or
    left out of the region since, is checked again, as each round checks only the cloth it moved."""
    if not seeds.any():
        return pos, None
    label, sewn = _seam_groups(mesh)
    near = region & (cKDTree(pos[seeds]).query(pos, distance_upper_bound=ARMHOLE_REACH)[0] < np.inf)
    rep = _welded_ids(label, sewn)
    face_ids = np.nonzero(near[mesh.faces].all(axis=1))[0]
    faces = rep[mesh.faces[face_ids]]
    e = rep[mesh.edges()]
    e = e[(e[:, 0] != e[:, 1]) & near[e].all(axis=1)]
    n = len(pos)
    degree = np.maximum(np.bincount(e.ravel(), minlength=n), 1).astype(float)
    out, moved = pos.copy(), np.zeros(n, bool)
    rings, last, best = UNFOLD_RINGS, np.inf, (np.inf, out, moved, None)
    for k in range(rounds + 1):
        found = _crossings_now(mesh, rep, out, faces, face_ids, known)
        bad, hit = found.edges, np.searchsorted(face_ids, found.hit)
        if k == 0 and len(bad) > max_start:
            return pos, found
        if len(bad) < best[0]:
            best = (len(bad), out.copy(), moved.copy(), found)
        if not len(bad) or k == rounds:
            break
        if len(bad) >= last:  # stuck: a fold pressed flat on the body may need more cloth to move
            rings = min(rings + 1, max_rings)
        last = len(bad)
        moving = np.zeros(n, bool)
        moving[bad.ravel()] = True
        moving[faces[hit].ravel()] = True
        for _ in range(rings):
            moving[e[moving[e].any(axis=1)].ravel()] = True
        for _ in range(UNFOLD_STEPS):
            out[moving] = (neighbour_sum(e, out) / degree[:, None])[moving]
        out[moving] = body.push_out(out[moving], offset, iterations=1)
        moved |= moving
        known = found
    # the round that left the fewest crossings: rounds that make no progress can end worse than they
    # began (jumpsuit XXL fitted drape: its armholes' unfolding, stuck, took the count up)
    _, out, moved, found = best
    follow = moved[rep]  # each sewn vertex where its group's stand-in went
    out[follow] = out[rep[follow]]
    return out, found


def _crossings_now(mesh: GarmentMesh, rep: np.ndarray, pos: np.ndarray, faces: np.ndarray, face_ids: np.ndarray,
               known: _Crossings | None) -> _Crossings:
    """crossing_edges of the welded ``faces`` (mesh faces ``face_ids``) at ``pos``. Given the
    crossings ``known`` of an earlier check, only edges and faces with a vertex moved since, or with
    a face taken in or left out since, are checked; the other crossings known stay (their edges,
    faces and positions are as they were)."""
    if known is None:
        edges, hit = crossing_edges(pos, faces)
        return _Crossings(pos.copy(), face_ids, edges, face_ids[hit])
    changed = (pos != known.pos).any(axis=1)
    changed[rep[mesh.faces[np.setxor1d(face_ids, known.faces)]].ravel()] = True
    edges, hit = crossing_edges(pos, faces, moved=changed)
    stay = ~changed[known.edges].any(axis=1) & ~changed[rep[mesh.faces[known.hit]]].any(axis=1)
    return _Crossings(pos.copy(), face_ids, np.concatenate([known.edges[stay], edges]),
                      np.concatenate([known.hit[stay], face_ids[hit]]))


def _open_armholes(pieces, mesh: GarmentMesh) -> np.ndarray:
    """Vertices on the bodice's sleeveless armholes (edges of role armhole: a vest's)."""
    out = np.zeros(len(mesh.verts2d), bool)
    for p in pieces:
        i = mesh.index(p.name)
        for e in p.edges:
            if e.role == "armhole" and (p.body_region or "").startswith("torso"):
                out[mesh.offsets[i] + mesh.pieces[i].edge_verts[e.name]] = True
    return out


def _welded_ids(label: np.ndarray, sewn: np.ndarray) -> np.ndarray:
    """Each vertex's stand-in: the first vertex of its sewn group (itself when not sewn)."""
    rep = np.arange(len(label))
    idx = np.nonzero(sewn)[0]
    first = np.full(int(label.max()) + 1, -1)
    first[label[idx[::-1]]] = idx[::-1]  # the last write per label is its first member
    rep[idx] = first[label[idx]]
    return rep


def _seam_groups(mesh: GarmentMesh) -> tuple[np.ndarray, np.ndarray]:
    """(group label per vertex, sewn mask): vertices joined by seam pairs share a label."""
    if "seam_groups" not in mesh.cache:
        n = len(mesh.verts2d)
        sp = mesh.seam_pairs
        sewn = np.zeros(n, bool)
        if len(sp):
            sewn[sp.ravel()] = True
            g = coo_matrix((np.ones(len(sp)), (sp[:, 0], sp[:, 1])), shape=(n, n))
            label = connected_components(g, directed=False)[1]
        else:
            label = np.arange(n)
        label.setflags(write=False)  # shared by every caller: read only
        sewn.setflags(write=False)
        mesh.cache["seam_groups"] = label, sewn
    return mesh.cache["seam_groups"]


OVERLAP_MARGIN = 2.0  # cm past a lapelled under half's roll line the upper half is lifted in full


def _upper_side(pattern) -> float:
    """Which side of the centre front the half of an open front that laps on top is drawn on: +1
    (+x, the wearer's left: men's left over right) on the male preset, -1 (the wearer's right:
    women's right over left) otherwise, where button_marks puts the buttonholes. The preset is the
    spec's (metadata.body_preset, female when unset), as body_for_pattern reads it."""
    meta = (pattern.spec or {}).get("metadata") or {}
    return 1.0 if meta.get("body_preset") == "male" else -1.0


def _is_upper(pattern, mesh: GarmentMesh, piece) -> bool:
    """Whether front ``piece`` is the half that laps on top (drawn on _upper_side's side of its centre)."""
    drawn = mesh.pieces[mesh.index(piece.name)].verts[:, 0].mean() - _center_x(piece)
    return bool(np.sign(drawn) == _upper_side(pattern))


def _lift_front_overlap(pattern, mesh: GarmentMesh, pos: np.ndarray, lift: float = 0.8) -> np.ndarray:
    """An open front's two halves overlap past the centre front: lift the part of the upper half
    (_upper_side) that crosses the centre so it lies on top, not through, the other. Worked in
    ``top * x`` (top = _upper_side), so "toward the upper half" is always toward larger values."""
    fronts = [p for p in pattern.pieces if (p.body_region or "").startswith("torso_front")
              and any(e.role == "opening" for e in p.edges)]
    if len(fronts) < 2:
        return pos
    normals = vertex_normals(pos, _outward_faces(pattern, mesh))
    if _turned(pattern, mesh).any():  # fronts with lapels (their roll lines fold, _smooth_normals)
        normals = _smooth_normals(mesh, normals)
    out = pos.copy()
    top = _upper_side(pattern)
    on_top = [p for p in fronts if _is_upper(pattern, mesh, p)]
    lower = [p for p in fronts if p not in on_top]  # stays underneath
    under = [_worn_reach(p, top) for p in lower]
    # a lapelled lower half's turned lapel lies LAPEL_LIFT over it, up to its roll line: the upper
    # half goes that much further out over it (0.8 cm over a lapel lifted 0.6, XS drape: 5 crossings)
    lapels = [_worn_reach(p, top, 0.0, lapel_only=True) for p in lower]
    for p in on_top:
        i = mesh.index(p.name)
        v = mesh.pieces[i].verts
        x = top * fold_lapel(p, v)[0][:, 0]
        # 1 where the other half lies under it as worn (its lapel turned back: above the break point
        # only up to its roll line, and OVERLAP_MARGIN past it), then down to 0 over 2 cm: lifted
        # only up to the centre, the other half ran through it; lifted up to the gorge, its lapel's
        # top and the collar's end on it crossed (jacket S drape 4 there)
        reach = (np.max([r(v[:, 1]) for r in under], axis=0), np.max([r(v[:, 1]) for r in lapels], axis=0))
        up = _overlap_lift(x, *reach, lift)
        # its own lapel, turned back over its roll line, lies over that line: where the lift fades out
        # across the roll line (size XXL at the bust) it goes at least as far out as the line there
        # (lifted only as the front under it, the lapel's first row lay ~1 cm under the lifted roll
        # line and ran through the front beside it: jacket XXL drape 2-3 crossings)
        a, b = _lm(p, "roll_start"), _lm(p, "roll_end")
        side = lapel_side(p, v)
        if a is not None and b is not None and side is not None:
            roll = top * (a[0] + (v[:, 1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
            up = np.where(side > ON_FOLD, np.maximum(up, _overlap_lift(roll, *reach, lift)), up)
        sl = slice(mesh.offsets[i], mesh.offsets[i] + len(v))
        out[sl] += up[:, None] * normals[sl]
    out = snap_seams(mesh, out)  # the collar follows the lifted neckline
    if _turned(pattern, mesh).any():  # lapels: _lift_lapels untangles the layers once they are lifted
        return out
    return _untangle_fronts(pattern, mesh, out, _outward_faces(pattern, mesh))


def _smooth_normals(mesh: GarmentMesh, normals: np.ndarray, passes: int = 2) -> np.ndarray:
    """Unit normals averaged with their mesh neighbours' ``passes`` times: lifted along its own
    normals, a front over the shown bust (its rows' depths a few mm apart, the normals tilting up
    and down from row to row) folded its roll line (jacket M, 1.5 cm mesh: roll-line edges 1.3 ->
    0.55 cm, collapsed by the weld)."""
    e = mesh.edges()
    n = normals.copy()
    for _ in range(passes):
        acc = n + neighbour_sum(e, n)
        n = acc / np.maximum(np.linalg.norm(acc, axis=1), 1e-12)[:, None]
    return n


def _overlap_lift(x: np.ndarray, reach: np.ndarray, lapel_reach: np.ndarray, lift: float) -> np.ndarray:
    """How far the upper half goes out at worn x: ``lift`` where the lower half reaches under it and
    LAPEL_LIFT more where its turned lapel does, each down to 0 over 2 cm past them."""
    return (lift * np.clip((reach + 2.0 - x) / 2.0, 0, 1)
            + LAPEL_LIFT * np.clip((lapel_reach + 2.0 - x) / 2.0, 0, 1))


def _worn_reach(piece, top: float, margin: float = OVERLAP_MARGIN, lapel_only: bool = False):
    """How far toward the upper half an open front's lower half reaches at each flat height, in
    ``top * x`` (top: _upper_side), as worn: to its front edge's line and, above a lapel's break
    point, to its roll line (the lapel is turned back) and ``margin`` past it (the lapel lies
    lifted over its front there).
    ``lapel_only``: how far its turned lapel reaches (-inf without one; below the break point
    receding 3 cm per cm, so what follows it fades out over ~3 cm instead of stepping)."""
    lo, hi = front_edge_range(piece)
    edge = hi if top > 0 else -lo
    a, b = _lm(piece, "roll_start"), _lm(piece, "roll_end")
    if a is None or b is None or lapel_side(piece, piece.outline) is None:
        return lambda y: np.full(np.shape(y), -np.inf if lapel_only else edge)

    def reach(y):
        roll = top * (a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))  # the roll line, extended
        below = roll + margin - 3.0 * (a[1] - y) if lapel_only else edge
        return np.where(y > a[1], np.minimum(edge, roll + margin), below)
    return reach


def _lift_band_extensions(pattern, mesh: GarmentMesh, pos: np.ndarray) -> np.ndarray:
    """A band's button extension (past the end of its seam) overlaps the band's other end: lift it
    EXTENSION_LIFT out so it lies on top (in place the two ran through each other at the fly: the
    trousers' 6-8 self-crossings). Only the band's longer unsewn end; after the push-out, which
    would flatten it back onto the others."""
    past = _past_seam(pattern, mesh)
    band = ~np.isnan(past)
    out = pos.copy()
    out[band] += (EXTENSION_LIFT * np.clip(past[band] / 0.3, 0.0, 1.0))[:, None] * vertex_normals(pos, mesh.faces)[band]
    return out


def _past_seam(pattern, mesh: GarmentMesh) -> np.ndarray:
    """Per vertex of a band with a button extension, how far (cm, along the band) it lies past the
    end of the band's seam on its longer unsewn end (negative short of it); NaN off such bands."""
    sewn = np.zeros(len(mesh.verts2d), bool)
    sewn[mesh.seam_pairs.ravel()] = True
    past = np.full(len(mesh.verts2d), np.nan)
    for p in pattern.pieces:
        if not any(e.role == "opening" and e.name == "extension" for e in p.edges):
            continue
        i = mesh.index(p.name)
        sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
        x = mesh.pieces[i].verts[:, 0]
        if not sewn[sl].any():
            continue
        lo, hi = x[sewn[sl]].min(), x[sewn[sl]].max()
        before, after = lo - x.min(), x.max() - hi  # how far each end runs past the seam
        past[sl] = (lo - x) if before >= after else (x - hi)
    return past


def untangle_extensions(pattern, mesh: GarmentMesh, pos: np.ndarray) -> np.ndarray:
    """``pos`` (seams closed) with each band's button extension apart from the band's other end where
    they cross, the extension on top (as _lift_band_extensions lays it; _untangle), each seam's
    vertices moved as one. A buttoned shirt cuff's two ends are both sewn to the one vertex at the
    foot of the sleeve's slit, so its extension and its other end fan out of that vertex, one over
    the other, their first triangles a few mm apart: in the drape one went through the other at the
    right cuff (its 2.5 cm extension one triangle wide), button-down XS / M self-crossings over 3
    starts 2 2 2 / 2 0 0 (XS 0 2 2 with the collider's bust not bridged)."""
    past = _past_seam(pattern, mesh)
    band = ~np.isnan(past)
    if not band.any():
        return pos
    weld = _welded_ids(*_seam_groups(mesh))
    layer = np.full(len(pos), -1)
    layer[band] = np.where(past[band] > 0.0, 2, 1)
    np.maximum.at(layer, weld, layer.copy())  # a sewn group's stand-in in its band's layer
    out = _untangle(pos, weld[_outward_faces(pattern, mesh)], layer, DRAPE_LAYER_ROUNDS)
    return pos + (out - pos)[weld]


COLLAR_END_LIFT = 0.8  # cm: a buttoned band collar's upper end lies this far out over its other end


def _band_collars(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> np.ndarray:
    """A band collar stands straight up from its neckline, grown again after the relax (relaxed, the
    2 cm mesh's three rows kinked: the middle row 1 cm behind the bottom one at the front), leaning
    out of the body where it must (straight up, its top ran 1.3 cm into the throat and the drape
    threw a corner up into the chin, 2 cm deep). Buttoned
    at the front, its ends overlap there as the button stands under them do, the upper front's one
    (_upper_side, as _lift_front_overlap lays the fronts) on top: that end is lifted COLLAR_END_LIFT out
    along the collar's normals as far as the ends overlap, then less over 2 cm; its neckline
    follows, the move spread over the front. As relaxed, the ends lay 0.3-0.6 cm apart and through
    each other (button-down wrap: 6 crossings there), and the drape threw the upper end up over the
    face (17-30 crossings)."""
    out = pos
    # grown from the neckline alone: a shirt collar's stand is sewn to its collar (fall) along its top too
    below = ~np.isin(mesh.piece_of, [mesh.index(p.name) for p in pattern.pieces if p.body_region == COLLAR_FALL])
    for p in pattern.pieces:
        if (p.body_region or "") != "collar" or is_tailored(p):
            continue
        out = out.copy()
        if is_shawl(p):
            _roll_shawl(pattern, p, mesh, out, body, offset)
        else:
            _place_band(p, mesh, out, below, body, 0.0)
        i = mesh.index(p.name)
        v, lo = mesh.pieces[i].verts, mesh.offsets[i]
        if sum(e.role == "opening" for e in p.edges) < 2:
            continue
        at = out[lo:lo + len(v)]
        x = v[:, 0]  # along the straight band
        ends = [np.abs(x - x.min()) < 1e-6, np.abs(x - x.max()) < 1e-6]
        first = x < 0.5 * (x.min() + x.max())
        top = 0 if _upper_side(pattern) * (at[first, 0].mean() - at[~first, 0].mean()) > 0 else 1
        tips = [at[e].mean(axis=0) for e in ends]
        overlap = float(np.linalg.norm((tips[0] - tips[1])[:2]))
        past = np.abs(x - (x.min() if top == 0 else x.max()))
        lift = COLLAR_END_LIFT * np.clip((overlap + 2.0 - past) / 2.0, 0.0, 1.0)
        normals = _away(at, vertex_normals(at, mesh.pieces[i].faces), at.mean(axis=0))
        disp = np.zeros_like(pos)
        disp[lo:lo + len(v)] = lift[:, None] * normals
        label, sewn = _seam_groups(mesh)
        group = np.zeros((label.max() + 1, 3))
        mine = sewn & (mesh.piece_of == i)
        group[label[mine]] = disp[mine]
        disp[sewn] = group[label[sewn]]
        # the collar takes its lift as it is; the front under its sewn end follows harmonically
        out = out + spread_moves(mesh, disp, sewn | (mesh.piece_of == i))
        out = _collar_in_front_layers(pattern, mesh, out, p)
    return out


# of a shawl collar's height at each point along it: its stand; the rest, its fall, turns down over it
# (a tailor's shawl: a stand of about 2.5 cm and a fall a little deeper, covering the neck seam)
SHAWL_STAND = 0.4
SHAWL_OVER_HOST = 0.5  # cm a shawl's fall lies at least outside the cloth it turns over
# of the way from its ends' height to its full height over which a shawl's roll fades in
SHAWL_ROLL_FROM = 0.5


def _roll_shawl(pattern, p, mesh: GarmentMesh, pos: np.ndarray, body: Body, offset: float) -> None:
    """A shawl collar (parts.band(shawl=)) rolled over as worn, in place in ``pos``: its stand rises
    SHAWL_STAND of its height from the neck seam, square to the seam and as near straight up as that
    allows (up the neck at the back; down the fronts' V necklines, where the seam runs down, it lies
    across toward the centre front, in the chest's plane), and the fall is turned back over it,
    mirrored over the roll line, COLLAR_FALL_GAP out (away from the body, as the fronts' and the
    back's necklines face). Toward its narrow ends by the break point, where they cross each other,
    it is grown straight up as before, the roll fading in with the collar's height. Grown straight up
    all along, it stood round the neck and up the V as a funnel."""
    i = mesh.index(p.name)
    lo, v = mesh.offsets[i], mesh.pieces[i].verts
    own, host = _sewn_to(mesh, i)
    xs, k = np.unique(v[own - lo, 0], return_index=True)
    seam, host = pos[host[k]], host[k]

    def unit(a: np.ndarray) -> np.ndarray:
        return a / np.maximum(np.linalg.norm(a, axis=1), 1e-9)[:, None]

    def along(a: np.ndarray) -> np.ndarray:
        return np.column_stack([np.interp(v[:, 0], xs, a[:, j]) for j in range(3)])

    tangent = unit(np.gradient(seam, xs, axis=0))
    up = np.array([0.0, 0.0, 1.0]) - tangent[:, 2:3] * tangent
    # square to the seam and the stand, away from the neck's centre line (the fronts' normals, by a
    # side neck, point along the seam: the fall slid along its stand and crossed it, male knit XS 3)
    out = _away(seam, np.cross(tangent, up), seam.mean(axis=0))
    top = mesh.pieces[i].edge_verts["top"]
    order = np.argsort(v[top, 0])
    height = np.interp(v[:, 0], v[top[order], 0], v[top[order], 1])
    roll = SHAWL_STAND * height
    past = v[:, 1] - roll  # > 0 on the fall
    # the fall, longer than the stand, reaches on past the seam (h < 0) and covers it: stopped at the
    # seam, its edge lay on it (vest M, knit jacket M: 0.0 cm below it at the centre back)
    h = np.where(past > 0, 2 * roll - v[:, 1], v[:, 1])
    gap = COLLAR_FALL_GAP * np.clip(past / COLLAR_FALL_GAP, 0.0, 1.0)
    base = along(seam)
    rolled = base + h[:, None] * unit(along(up)) + gap[:, None] * unit(along(out))
    straight = base + v[:, 1:2] * np.array([0.0, 0.0, 1.0])
    w = smoothstep((height - height.min()) / max(float(np.ptp(height)), 1e-9) / SHAWL_ROLL_FROM)[:, None]
    placed = body.push_out(w * rolled + (1 - w) * straight, offset)
    # and the fall clear of the necklines it turns over: mirrored down to the seam it ran into the
    # fronts by the side necks (male knit jacket XS loose / fitted knit M: 16 / 9 crossings there)
    fall = past > 0
    hosts = mesh.faces[np.isin(mesh.piece_of[mesh.faces], np.unique(mesh.piece_of[host])).all(axis=1)]
    placed[fall] = _push_off(placed[fall], pos, hosts, SHAWL_OVER_HOST * w[fall, 0] * gap[fall] / COLLAR_FALL_GAP)
    pos[lo:lo + len(v)] = placed


def _collar_in_front_layers(pattern, mesh: GarmentMesh, pos: np.ndarray, p) -> np.ndarray:
    """A band collar sewn from front edge to front edge of an open front: each half in the layer of
    the front it is sewn to (_front_layers), untangled as the fronts are. Down a V neckline (a vest's
    or a knit jacket's shawl collar, sewn from the break point) its ends cross each other past the
    centre front as the fronts do, the lower end grown up from under the upper front; a shawl's end
    grown straight up from the lower front ran out through the upper one over a full bust (vest XXL:
    8-9 wrap crossings)."""
    layer = _front_layers(pattern, mesh)
    if not np.isin(layer, 2).any() or not np.isin(layer, 0).any():  # not two halves
        return pos
    sewn_to = {s.b.edge: s.a.piece for s in pattern.seams if s.b.piece == p.name} | \
        {s.a.edge: s.b.piece for s in pattern.seams if s.a.piece == p.name}
    ends = [sewn_to.get(e.name) for e in p.edges if e.name.startswith("to_")]
    fronts = [pattern.piece(n) for n in (ends[0], ends[-1]) if n is not None]
    if len(fronts) < 2 or not all((f.body_region or "").startswith("torso_front") for f in fronts):
        return pos
    i = mesh.index(p.name)
    x = mesh.pieces[i].verts[:, 0]  # along the band, from the first front's end
    first = x < 0.5 * (x.min() + x.max())
    upper = [2 * int(_is_upper(pattern, mesh, f)) for f in fronts]
    layer[mesh.offsets[i]:mesh.offsets[i] + len(x)] = np.where(first, upper[0], upper[1])
    # welded: the seams' copies of a vertex cross nothing of their own and move as one
    weld = _welded_ids(*_seam_groups(mesh))
    return pos + (_untangle(pos, weld[_outward_faces(pattern, mesh)], layer) - pos)[weld]


def _cuffs_to_wrists(pattern, mesh: GarmentMesh, pos: np.ndarray, body: Body) -> np.ndarray:
    """A rib cuff whose free edge reaches past the wrist slid back along the arm until it ends there,
    the sleeve it is sewn to gathered up by as much (spread over it harmonically from its cap). A
    rib grips the wrist; left over the base of the hand, where the arm widens, it could not close to
    its length and the hand pushed its free edge back through the cuff (hoodie drape: 2-4 crossings
    at a cuff, with or without 0.1 mm of noise on the start). A buttoned shirt cuff (it opens: its ends
    are openings) is held at the wrist the same way: buttoned it is too small to pass the hand, and the
    sleeve cut longer above it blouses."""
    ribs = rib_ratios(pattern)
    disp = np.zeros_like(pos)
    for p in pattern.pieces:
        region = p.body_region or ""
        buttoned = any(e.role == "opening" for e in p.edges)
        if (p.name not in ribs and not buttoned) or "cuff" not in region:
            continue
        tube = body.arms[_side(region)]
        i = mesh.index(p.name)
        sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
        excess = float(((pos[sl] - tube.p0) @ tube.d).max()) - float(tube.t[5])
        if excess > 0:
            disp[sl] = -excess * tube.d
    cuff = disp.any(axis=1)
    if not cuff.any():
        return pos
    label, sewn = _seam_groups(mesh)
    group = np.zeros((label.max() + 1, 3))
    group[label[cuff]] = disp[cuff]
    hem = np.isin(label, label[cuff & sewn])  # the sleeve hem moves with the cuff sewn to it
    disp[hem] = group[label[hem]]
    sleeves = np.isin(mesh.piece_of, np.unique(mesh.piece_of[hem]))
    # seams to other pieces (the armhole) stay; the sleeve's own (underarm) follows the spread
    held = np.isin(label, label[sewn & ~sleeves])
    return snap_seams(mesh, pos + spread_moves(mesh, disp, hem | (sewn & held)))


def _turned(pattern, mesh: GarmentMesh, hinge: bool = False) -> np.ndarray:
    """Vertices of the lapels turned back over their roll lines (fold_lapel); with ``hinge``, the
    vertices on the roll lines too."""
    turned = np.zeros(len(mesh.verts2d), bool)
    for p in pattern.pieces:
        i = mesh.index(p.name)
        side = lapel_side(p, mesh.pieces[i].verts)
        if side is not None:
            turned[mesh.offsets[i]:mesh.offsets[i] + len(side)] = side > (-ON_FOLD if hinge else ON_FOLD)
    return turned


def _lapel_faces(pattern, mesh: GarmentMesh) -> np.ndarray:
    """Which of the mesh's faces lie on a turned lapel; a face with a corner on the roll line belongs
    to the side its other corners are on."""
    turned, on_or_turned = _turned(pattern, mesh), _turned(pattern, mesh, hinge=True)
    return on_or_turned[mesh.faces].all(axis=1) & turned[mesh.faces].any(axis=1)


def _outward_faces(pattern, mesh: GarmentMesh) -> np.ndarray:
    """The mesh's faces with a turned lapel's reversed, so every normal faces away from the body
    (a lifted overlap pushed its lapel into the front under it: jacket drape 30 self-crossings)."""
    faces = mesh.faces.copy()
    flip = _lapel_faces(pattern, mesh)
    faces[flip] = faces[flip][:, ::-1]
    return faces


def _push_off(pts: np.ndarray, pos: np.ndarray, faces: np.ndarray, gap) -> np.ndarray:
    """``pts`` at least ``gap`` (cm, or one per point) outside the triangles ``faces`` (vertex ids
    into ``pos``) near them."""
    used, local = np.unique(faces, return_inverse=True)
    return push_out(pts, pos[used], local.reshape(-1, 3), gap, reach=3.0)


LAPEL_LIFT = 0.6  # cm a turned lapel lies out over its front
# cm from the roll line over which a turned lapel's lift grows from nothing to LAPEL_LIFT: the fold's
# turn. The lattice keeps 0.6 mesh edges off the roll line, but an outline vertex (the gorge's, the
# lapel edge's by the break) can lie any distance from it: lifted in full 0.06 cm past the line, the
# gorge vertex tilted the front's triangle it shares with the front up through the lapel's first row
# (male jacket XS / M wrap: 2 / 2 crossings by the gorge, coming and going with the neckline's shape)
LAPEL_HINGE = 0.6


def _hinge_share(pattern, mesh: GarmentMesh) -> np.ndarray:
    """Per vertex, the share of a turned lapel's lift it takes: 0 off the lapels and on the roll
    line, growing linearly to 1 at LAPEL_HINGE from it."""
    share = np.zeros(len(mesh.verts2d))
    for p in pattern.pieces:
        i = mesh.index(p.name)
        side = lapel_side(p, mesh.pieces[i].verts)
        if side is not None:
            share[mesh.offsets[i]:mesh.offsets[i] + len(side)] = np.clip(side / LAPEL_HINGE, 0.0, 1.0)
    return share


def _lift_lapels(pattern, mesh: GarmentMesh, pos: np.ndarray, lift: float = LAPEL_LIFT) -> np.ndarray:
    """A lapel turned back over its roll line lies on the front, not in it: lift it off (along the
    front's outward normals: the turned triangles face the other way, so they count reversed),
    less within LAPEL_HINGE of the roll line, where it turns."""
    turned = _turned(pattern, mesh)
    if not turned.any():
        return pos
    out = pos.copy()
    faces = _outward_faces(pattern, mesh)
    gap = lift * _hinge_share(pattern, mesh)
    out[turned] += gap[turned, None] * vertex_normals(pos, faces)[turned]
    # and that far out from its front's own triangles: by the gorge the front is hollow (the neck's
    # base), its triangles' chords stand off the curve and the lapel's next to the roll line's top
    # ran under them (jacket M: 2 crossings there in every drape, the lapel held as wrapped)
    for i in np.unique(mesh.piece_of[turned]):
        front = faces[(mesh.piece_of[faces[:, 0]] == i) & ~turned[faces].any(axis=1)]
        lapel = turned & (mesh.piece_of == i)
        out[lapel] = _push_off(out[lapel], out, front, gap[lapel])
    out = _untangle_fronts(pattern, mesh, out, faces)
    # the collar's ends sewn on the lapels' gorges go with them (snapped to the mean, the gorge kept
    # half its lift and the front by the roll line's top was dragged after it: male jacket XS 2 wrap
    # crossings there)
    out = _sewn_follow(mesh, out, out - pos, turned)
    return snap_seams(mesh, out)


def _sewn_follow(mesh: GarmentMesh, pos: np.ndarray, moved: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """``pos`` with every vertex sewn to a ``lead`` vertex moved by that vertex's ``moved``, the rest
    of its piece following harmonically."""
    label, sewn = _seam_groups(mesh)
    led = sewn & lead
    if not led.any():
        return pos
    by_group = np.zeros((label.max() + 1, 3))
    by_group[label[led]] = moved[led]
    disp = np.zeros_like(pos)
    follow = sewn & ~lead & np.isin(label, label[led])
    disp[follow] = by_group[label[follow]] - moved[follow]
    return pos + spread_moves(mesh, disp, sewn)


# cm the roll line stands off the chest at most (between ROLL_FROM and ROLL_TO); the
# cloth either side of it, front and turned lapel alike, lies down again over LAPEL_ROLL_REACH
LAPEL_ROLL = 1.5
LAPEL_ROLL_REACH = 7.0
# of the roll line's length up from the break point: where the roll starts, and where it has lain
# down again, short of the gorge (the collar sewn there is left as it was: moved 0.2 cm with the
# gorge, the size XL drape's collar folded through itself at a side neck, 3 crossings)
ROLL_FROM, ROLL_TO = 0.25, 0.85


def _roll_lapels(pattern, mesh: GarmentMesh, pos: np.ndarray) -> np.ndarray:
    """A lapel rolls back rather than lying creased flat on its front: the roll line stands off the
    chest (LAPEL_ROLL at most, nothing at the break point or the top), and
    the front and the turned lapel either side of it follow, both by the same amount at the same
    distance from the roll line (a lapel's vertex lies over its mirror image), so the layers stay
    apart. Laid flat 0.6 cm over the front, the lapel showed as a plain V-neck in renders."""
    turned = _turned(pattern, mesh)
    if not turned.any():
        return pos
    normals = _smooth_normals(mesh, vertex_normals(pos, _outward_faces(pattern, mesh)), passes=4)
    up = np.zeros(len(pos))
    for p in pattern.pieces:
        i = mesh.index(p.name)
        v = mesh.pieces[i].verts
        side, a, b = lapel_side(p, v), _lm(p, "roll_start"), _lm(p, "roll_end")
        if side is None:
            continue
        length = float(np.linalg.norm(b - a))
        t = (v - a) @ (b - a) / length ** 2  # 0 at the break point, 1 at the roll line's top
        # none by the break point, where the upper front laps over the lower one (rolled from the
        # break, jacket S drape: 5 crossings there), nor by the top: by the gorge the lapel's hinge,
        # its gorge and the front's neckline lie within a triangle of each other, the triangles at
        # the roll line's end reach across it, and the collar takes over (rolled most at the top,
        # male L 8 wrap crossings there; most two thirds up, 5)
        u = np.clip((t - ROLL_FROM) / (ROLL_TO - ROLL_FROM), 0.0, 1.0)
        height = 16.0 * (u * (1.0 - u)) ** 2
        near = smoothstep(1.0 - np.abs(side) / LAPEL_ROLL_REACH)
        up[mesh.offsets[i]:mesh.offsets[i] + len(v)] = LAPEL_ROLL * height * near
    # rolled, the under front's hinge triangles at the bust can cut its own front: the fronts' two
    # meshes are not mirror images, and with the wearer's left under (women's right over left) jacket
    # XXL, 2 cm mesh, crossed 4 times there, the right one under none
    rolled = _untangle_fronts(pattern, mesh, pos + up[:, None] * normals, _outward_faces(pattern, mesh))
    return snap_seams(mesh, rolled)  # the shoulder seams and the collar follow


# cm a front's layer still crossing the one under it moves out per round (that one in, half as far),
# and the rounds at most
LAYER_STEP, LAYER_ROUNDS = 0.2, 8
LAYER_WINDOW = 4.0  # cm from another layer within which a front's faces are looked at


def _front_layers(pattern, mesh: GarmentMesh) -> np.ndarray:
    """Each vertex's layer on an open front, from the body out: the lower half 0, its turned lapel
    1, the upper half (_upper_side, as _lift_front_overlap lays it) 2, its lapel 3; -1 off the fronts.
    A vertex on a roll line is its front's."""
    layer = np.full(len(mesh.verts2d), -1)
    turned = _turned(pattern, mesh)
    for p in pattern.pieces:
        if not (p.body_region or "").startswith("torso_front"):
            continue
        i = mesh.index(p.name)
        sl = slice(mesh.offsets[i], mesh.offsets[i] + len(mesh.pieces[i].verts))
        layer[sl] = 2 * int(_is_upper(pattern, mesh, p)) + turned[sl]
    return layer


def _untangle_fronts(pattern, mesh: GarmentMesh, pos: np.ndarray, faces: np.ndarray,
                     rounds: int = LAYER_ROUNDS) -> np.ndarray:
    """An open front's layers (_front_layers) apart where they still cross (_untangle; ``faces``
    outward). A turned lapel's vertices stand clear of its front's triangles, but a 2 cm triangle
    from the roll line runs straight over the shown bust's upper slope, which curves out under it,
    and the upper half was lifted over the lower's lapel before that was lifted (jacket S..XL wrap:
    2-6 crossings there with the shown bust, kept by the drape, which holds a lapel as wrapped)."""
    layer = _front_layers(pattern, mesh)
    if not np.isin(layer, 2).any() or not np.isin(layer, 0).any():  # not two halves
        return pos
    # a hood half's front, sewn down its front's V neckline, crosses the other's past the centre as
    # the fronts do: in its front's layer (hooded jacket M wrap: 4 crossings between them there)
    for p in pattern.pieces:
        if (p.body_region or "").startswith("hood"):
            i = mesh.index(p.name)
            side = 1.0 if "left" in p.body_region else -1.0
            layer[mesh.offsets[i]:mesh.offsets[i] + len(mesh.pieces[i].verts)] = 2 * int(side == _upper_side(pattern))
    return _untangle(pos, faces, layer, rounds)


def untangle_fronts(pattern, mesh: GarmentMesh, pos: np.ndarray) -> np.ndarray:
    """``pos`` (seams closed) with the two fronts' layers apart where they cross (_untangle_fronts),
    each seam's vertices moved as one. The drape's buttoned overlap: the layers' springs press the two
    fronts' stands together over a full bust and the solver let one front's edge through the other
    (button-down XL: 10 crossings in the stand on one start in three)."""
    weld = _welded_ids(*_seam_groups(mesh))
    out = _untangle_fronts(pattern, mesh, pos, weld[_outward_faces(pattern, mesh)], DRAPE_LAYER_ROUNDS)
    return pos + (out - pos)[weld]


DRAPE_LAYER_ROUNDS = 30  # the drape's layers can lie through each other deeper than the wrap's (8: 2 left)


def _untangle(pos: np.ndarray, faces: np.ndarray, layer: np.ndarray, rounds: int = LAYER_ROUNDS) -> np.ndarray:
    """Where two layers still cross (``layer`` per vertex from the body out; faces with a corner off
    them, -1, left out), the upper one's vertices there move out along the normals LAYER_STEP at a
    time and the lower one's in half as far (not layer 0's, which lie OFFSET off the body), until
    none cross (``rounds`` at most)."""
    # only where another layer lies within LAYER_WINDOW (one layer does not cross itself here:
    # all the fronts' faces took ~0.06 s a round)
    near = np.zeros(len(pos), bool)
    for k in np.unique(layer[layer >= 0]):
        mine, others = np.nonzero(layer == k)[0], np.nonzero((layer >= 0) & (layer != k))[0]
        if len(others):
            near[mine] = cKDTree(pos[others]).query(pos[mine], distance_upper_bound=LAYER_WINDOW)[0] < LAYER_WINDOW
    sub = faces[(layer[faces] >= 0).all(axis=1) & near[faces].any(axis=1)]
    out = pos.copy()
    edges, hit = crossing_edges(out, sub)
    for _ in range(rounds):
        if not len(edges):
            break
        le, lt = layer[edges].max(axis=1), layer[sub[hit]].max(axis=1)
        shift = np.zeros(len(out))
        for verts, mine, other in ((edges, le, lt), (sub[hit], lt, le)):
            for sel, sign in ((mine > other, 1.0), ((mine < other) & (mine > 0), -0.5)):
                v = verts[sel]
                shift[v[layer[v] == mine[sel][:, None]]] = sign
        if not shift.any():
            break
        out += (LAYER_STEP * shift)[:, None] * vertex_normals(out, sub)
        edges, hit = crossing_edges(out, sub)
    return out


COLLAR_FALL_GAP = 1.0  # cm: a turned-down collar lies this far out over what it turns onto
# cm: past the neck edge it comes down to this over FALL_GAP_REACH (cm), its edge resting on the
# cloth it turns onto: 1 cm out there, on a back that slopes out from the neck (male XXL) the fall's
# edge at the centre back lay as high as the seam it is to cover, 2 cm off the back
FALL_EDGE_GAP, FALL_GAP_REACH = 0.5, 1.5
# cm either side of the neck edge over which a turned collar spans its corner (3 cm: the fall stood off
# the side necks, its edge up to 1.67-1.74 cm off the bodice, a dark gap under it in renders; 2 cm:
# 1.25-1.27, jacket S..XXL, 2 cm mesh, no crossings at 1.5 or 2 cm, XS..XXL and male XS / L)
COLLAR_CORNER = 2.0
# cm along the collar within which the fall's deepest point past the neck edge bounds the corner's
# span on the host, and the least span
CORNER_WINDOW, CORNER_LEAST = 1.0, 0.5


def _collar_circle(piece) -> tuple[float, float] | None:
    """(x of the centre, radius) of the circle a collar's band was bent round (tailored.bent: centred
    under top_mid, through its neck edge's ends; a shirt's collar stand is bent the other way, round
    a circle above it: a negative radius); None for a straight band or another piece."""
    b0, top = _lm(piece, "bottom_start"), _lm(piece, "top_mid")
    if b0 is None or top is None or abs(b0[1]) < 1e-9:
        return None
    dx = b0[0] - top[0]
    return float(top[0]), float(-(dx * dx + b0[1] ** 2) / (2 * b0[1]))


def unbend_collar(piece, pts: np.ndarray) -> np.ndarray | None:
    """(along, height) of a tailored collar's points in the straight band it was bent from; None
    for another piece."""
    circle = _collar_circle(piece)
    if circle is None:
        return None
    mid, radius = circle
    sign = np.sign(radius)
    rel = sign * np.column_stack([pts[:, 0] - mid, pts[:, 1] + radius])
    return np.column_stack([mid + radius * np.arctan2(rel[:, 0], rel[:, 1]),
                            sign * np.linalg.norm(rel, axis=1) - radius])


def _rebend(piece, sh: np.ndarray) -> np.ndarray:
    """Inverse of unbend_collar: flat collar points for (along, height)."""
    mid, radius = _collar_circle(piece)
    t = (sh[:, 0] - mid) / radius
    rr = radius + sh[:, 1]
    return np.column_stack([mid + rr * np.sin(t), rr * np.cos(t) - radius])


def _reflect_over(line: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """``pts`` mirrored over the polyline ``line`` (its end segments carried on straight): each
    point over the tangent at its nearest point on the line."""
    ext = np.vstack([line[0] - 50 * (line[1] - line[0]), line[1:-1], line[-1] + 50 * (line[-1] - line[-2])])
    a, b = ext[:-1], ext[1:]
    ab = b - a
    t = np.clip(np.einsum("nkj,kj->nk", pts[:, None] - a[None], ab) / np.einsum("kj,kj->k", ab, ab), 0, 1)
    foot = a[None] + t[..., None] * ab[None]
    k = np.linalg.norm(pts[:, None] - foot, axis=2).argmin(axis=1)
    f = foot[np.arange(len(pts)), k]
    return 2 * f - pts


def _turn_down_collars(pattern, mesh: GarmentMesh, pos: np.ndarray) -> np.ndarray:
    """A tailored collar as worn: what lies past its roll line turned over it, COLLAR_FALL_GAP out.
    The roll line runs out on the neck edge where the lapel's crosses the gorge (tailored._collar_roll),
    so the collar's ends turn whole, with the lapels. The stand goes straight up from the seam (as
    _place_band grew it; relaxed, it was crumpled at the side necks). Each turned point is mirrored
    over the roll line in the collar's flat: landing on the stand it lies over it, past the neck edge
    on the piece the collar is sewn to there (the back, a front, a turned lapel) as placed. Grown
    straight up, the collar stood round the neck as a crumpled funnel (jacket drape 2 crossings,
    none on the collar: 4-13 with the relaxed stand or the host's direction square to the seam).
    First the neck seam between the roll line's ends is smoothed (_smooth_neck_seam)."""
    out = pos.copy()
    for p in pattern.pieces:
        turn = _turn_down_fall if p.body_region == COLLAR_FALL else _turn_down
        out = turn(pattern, mesh, out, p)
    return out


def _turn_down(pattern, mesh: GarmentMesh, out: np.ndarray, p) -> np.ndarray:
    """_turn_down_collars for one piece ``p`` (unchanged if it is not a tailored collar)."""
    sp = np.concatenate([mesh.seam_pairs, mesh.seam_pairs[:, ::-1]])
    i = mesh.index(p.name)
    v, f, lo = mesh.pieces[i].verts, mesh.pieces[i].faces, mesh.offsets[i]
    sh = unbend_collar(p, v)
    roll = [np.asarray(m["points"], float) for m in p.markings if m.get("kind") == "roll_line"]
    pairs = sp[(sp[:, 0] >= lo) & (sp[:, 0] < lo + len(v))]
    if sh is None or not roll or not len(pairs):
        return out
    line = unbend_collar(p, roll[0])
    line = line[np.argsort(line[:, 0])]
    mine, host = pairs[:, 0] - lo, pairs[:, 1]
    turned = sh[:, 1] > np.interp(sh[:, 0], line[:, 0], line[:, 1], left=-1.0, right=-1.0) + ON_FOLD
    turned[mine] = False
    idx = np.nonzero(turned)[0]
    m = _reflect_over(line, sh[idx])
    along, k = np.unique(sh[mine, 0], return_index=True)
    between = (along >= line[0, 0]) & (along <= line[-1, 0])
    out = _smooth_neck_seam(mesh, out, host[k][between], float(np.ptp(along[between])))
    pos = out.copy()
    normals = vertex_normals(pos, _outward_faces(pattern, mesh))
    seam = pos[host[k]]
    here = np.column_stack([np.interp(sh[:, 0], along, seam[:, j]) for j in range(3)])
    here[:, 2] += np.maximum(sh[:, 1], 0.0)
    here[mine] = pos[lo + mine]
    out[lo:lo + len(v)] = here

    def on_stand(mm):
        return _carry(_rebend(p, mm), v, f, here, normals[lo:lo + len(v)])

    turn = _Turn(mesh, pos, normals, here.mean(axis=0), on_stand, sh[mine, 0], host, f,
                 _gorge_straightened(pattern, mesh, sh[mine, 0], host))
    placed = _turned_places(turn, m, idx)
    out[lo + idx] = placed
    out[lo + idx] = _over_lapels(pattern, mesh, out, out[lo + idx])
    return _collar_off_lapels(pattern, mesh, out, lo + idx, turn.centre)


# a shirt collar's row h above its neck edge lies on a ring 1 + h / (COLLAR_SPREAD_RADII x the neck's
# radius) times as long as the neck edge (it turns down round a neck that widens into the shoulders): its
# ends spread from the top button down (with 2.0 and over the host alone, they ran down the centre front
# over the stand and turned 55 degrees out at the neckline; tips 13 cm apart)
COLLAR_SPREAD_RADII = 3.0
COLLAR_OVER_STAND = 0.6  # cm a shirt collar lies at least outside its stand (both its lapped ends)


def _turn_down_fall(pattern, mesh: GarmentMesh, out: np.ndarray, p) -> np.ndarray:
    """A shirt collar turned down over its stand at the stand's top edge: each point of it mirrored down
    the stand (and past its neck edge onto the shoulders and fronts) by its height above its neck edge,
    as _turn_down turns a tailored collar over its roll line. Each row keeps its length along the neck:
    a collar row ``h`` above its neck edge is (radius + h) / radius as long as that edge (the collar is
    bent round a circle of that radius), laid on a ring COLLAR_SPREAD_RADII longer (see there), so the
    collar's ends, straight above the stand's centre fronts, run down and out from the top button
    to points on the chest either side of it, clear of the button overlap."""
    stand_p = next((q for q in pattern.pieces if q.body_region == "collar"), None)
    if stand_p is None or _collar_circle(stand_p) is None or _collar_circle(p) is None:
        return out
    i, si = mesh.index(p.name), mesh.index(stand_p.name)
    v, f, lo = mesh.pieces[i].verts, mesh.pieces[i].faces, mesh.offsets[i]
    sv, sf, so = mesh.pieces[si].verts, mesh.pieces[si].faces, mesh.offsets[si]
    sp = np.concatenate([mesh.seam_pairs, mesh.seam_pairs[:, ::-1]])
    to_fall = sp[(mesh.piece_of[sp[:, 0]] == i) & (mesh.piece_of[sp[:, 1]] == si)]
    to_host = sp[(mesh.piece_of[sp[:, 0]] == si) & ~np.isin(mesh.piece_of[sp[:, 1]], [i, si])]
    if not len(to_fall) or not len(to_host):
        return out
    sh, ssh = unbend_collar(p, v), unbend_collar(stand_p, sv)
    (_, rf), (mid_s, rs) = _collar_circle(p), _collar_circle(stand_p)
    top = ssh[to_fall[:, 1] - so, 1].mean()  # the stand's height (straight, before bending)
    neck = ssh[to_host[:, 0] - so, 0]
    h = np.maximum(sh[:, 1], 0.0)
    s = (sh[:, 0] - 0.5 * (sh[:, 0].min() + sh[:, 0].max())) * (rf + h) / rf  # along its row from the CB
    y = top - h
    # on the stand's neck edge, whose top is shorter by (rs + top) / rs
    ring = (1.0 + h / (COLLAR_SPREAD_RADII * np.ptp(neck) / (2 * np.pi))) * (rs + top) / rs
    mm = np.column_stack([mid_s + s / ring, y])
    pos = out.copy()
    normals = vertex_normals(pos, _outward_faces(pattern, mesh))
    here = pos[so:so + len(sv)]

    def on_stand(q):
        flat = _rebend(stand_p, q)
        return _carry(flat, sv, sf, here, normals[so:so + len(sv)])

    turn = _Turn(mesh, pos, normals, here.mean(axis=0), on_stand, neck, to_host[:, 1], f)
    sewn = np.zeros(len(v), bool)
    sewn[to_fall[:, 0] - lo] = True
    idx = np.nonzero(~sewn)[0]
    out[lo + idx] = _turned_places(turn, mm[idx], idx)
    # over both of the stand's ends where they lap at the front: laid COLLAR_FALL_GAP over its own
    # stand's end, the lower end of the collar lay under the upper end of the stand, lifted
    # COLLAR_END_LIFT over it (drape M: 14 crossings there)
    stand_faces = mesh.faces[(mesh.piece_of[mesh.faces] == si).all(axis=1)]
    out[lo + idx] = _push_off(out[lo + idx], out, stand_faces, COLLAR_OVER_STAND)
    out[to_fall[:, 0]] = pos[to_fall[:, 1]]  # its neck edge on the stand's top
    return out


# cm along a front's neckline, from the gorge, whose direction the gorge is laid straight on in
NECK_DIRECTION_SPAN = 2.0


def _gorge_straightened(pattern, mesh: GarmentMesh, along: np.ndarray, host: np.ndarray) -> np.ndarray:
    """Flat places of a tailored collar's seam vertices ``host`` (at ``along`` it) on their pieces, a
    lapelled front's gorge laid straight on from its neckline: what lies past the neck edge there lies
    down the front square to its neckline. A collar's end mirrored over its roll line lands past the
    gorge's corner with the neckline, where the inward direction of the seam's chord round the corner
    (down and out) sent it over the lapel's top and closed the notch (jacket M wrap: collar point
    0.9 cm from the lapel point, 4.4 cm in the flat)."""
    flat = mesh.verts2d[host].copy()
    for front in pattern.pieces:
        j = mesh.index(front.name)
        gorge = mesh.pieces[j].edge_verts.get("gorge")
        if lapel_side(front, mesh.pieces[j].verts) is None or gorge is None:
            continue
        on = np.isin(host, mesh.offsets[j] + np.asarray(gorge))
        neck = (mesh.piece_of[host] == j) & ~on
        if not on.any() or neck.sum() < 2:
            continue
        corner = np.abs(along[on][:, None] - along[neck][None]).min(axis=1).argmin()
        a0, p0 = along[on][corner], flat[on][corner]
        order = np.argsort(along[neck])
        way = np.sign(np.median(along[neck]) - a0)  # from the corner along the neckline
        p2 = np.array([np.interp(a0 + way * NECK_DIRECTION_SPAN, along[neck][order], flat[neck][order][:, k])
                       for k in range(2)])
        d = (p0 - p2) / max(float(np.linalg.norm(p0 - p2)), 1e-9)
        flat[on] = p0 + np.abs(along[on] - a0)[:, None] * d
    return flat


@dataclass
class _Turn:
    """What a turned-down collar lies on: its stand and, past the neck edge, the pieces the stand is sewn to."""

    mesh: GarmentMesh
    pos: np.ndarray
    normals: np.ndarray  # outward vertex normals of the whole garment at ``pos``
    centre: np.ndarray  # a point on the neck's vertical line
    on_stand: Callable  # (along, height >= 0) on the stand -> (3D points, their normals)
    seam_along: np.ndarray  # along the stand's neck edge, of each of its sewn vertices
    seam_host: np.ndarray  # the host vertex each of those is sewn to
    faces: np.ndarray  # the turned piece's faces (its own vertex numbers)
    seam_flat: np.ndarray | None = None  # flat places of seam_host on their pieces (None: as cut)


def _turned_places(t: _Turn, mm: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """3D places of a collar's turned vertices ``ids`` (its own numbers) mirrored to ``mm`` (along,
    height on the stand; a negative height: that far down the host past the neck edge). Across the neck
    edge's corner (stand up, host out) the fall spans straight from COLLAR_CORNER up the stand to as
    far out on the host: offset round the corner, the points either side of it met (jacket L, XL: fall
    edges 2 -> 0.1-0.3 cm at the side necks)."""
    placed = _fall_at(t, mm, ids)
    near = np.abs(mm[:, 1]) < COLLAR_CORNER
    if near.any():
        # no further out than the fall reaches there: its edge lies on the host, not on the chord over it
        by = np.abs(mm[near, 0][:, None] - mm[None, :, 0]) < CORNER_WINDOW
        reach = np.clip(np.where(by, -mm[None, :, 1], 0.0).max(axis=1), CORNER_LEAST, COLLAR_CORNER)
        ends = [_fall_at(t, np.column_stack([mm[near, 0], h]), ids[near])
                for h in (np.full(near.sum(), COLLAR_CORNER), -reach)]
        w = np.clip((COLLAR_CORNER - mm[near, 1]) / (COLLAR_CORNER + reach), 0.0, 1.0)[:, None]
        placed[near] = ends[0] + w * (ends[1] - ends[0])
    return placed


def _fall_at(t: _Turn, mm: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """_turned_places without the corner: on the stand COLLAR_FALL_GAP out; past the neck edge on the
    host there, as far in from the seam as it is past it, on the piece whose stretch of the seam
    reaches that far along (by the nearest sewn point alone, the point at the shoulder seam, on front
    and back, sent the back's next points to the front, past whose seam end they piled up: a fall
    edge 1.7 -> 0.4 cm)."""
    mesh, res = t.mesh, np.zeros((len(mm), 3))
    up = mm[:, 1] >= 0  # mirrored onto the stand: over it
    if up.any():
        at, nrm = t.on_stand(mm[up])
        res[up] = at + COLLAR_FALL_GAP * _away(at, nrm, t.centre)
    down = np.nonzero(~up)[0]
    if not len(down):
        return res
    owner = mesh.piece_of[t.seam_host]
    hosts = np.unique(owner)
    ranges = np.array([[t.seam_along[owner == h].min(), t.seam_along[owner == h].max()] for h in hosts])
    off = np.maximum(ranges[None, :, 0] - mm[down, 0][:, None], mm[down, 0][:, None] - ranges[None, :, 1])
    where = hosts[np.maximum(off, 0.0).argmin(axis=1)]
    at, nh = np.zeros((len(down), 3)), np.zeros((len(down), 3))
    for h in np.unique(where):
        sel = where == h
        hv, hf, ho = mesh.pieces[h].verts, mesh.pieces[h].faces, mesh.offsets[h]
        along_h, kh = np.unique(t.seam_along[owner == h], return_index=True)
        flat = mesh.verts2d[t.seam_host] if t.seam_flat is None else t.seam_flat
        q = _inward(flat[owner == h][kh], hv, along_h, mm[down[sel], 0], -mm[down[sel], 1])
        at[sel], nrm = _carry(q, hv, hf, t.pos[ho:ho + len(hv)], t.normals[ho:ho + len(hv)])
        nh[sel] = _away(at[sel], nrm, t.centre)
    gap = COLLAR_FALL_GAP - (COLLAR_FALL_GAP - FALL_EDGE_GAP) * np.clip(-mm[down, 1] / FALL_GAP_REACH, 0.0, 1.0)
    res[down] = at + gap[:, None] * _smoothed_over(t.faces, ids[down], nh)
    return res


def _smoothed_over(faces: np.ndarray, ids: np.ndarray, nrm: np.ndarray, passes: int = 3) -> np.ndarray:
    """Unit vectors ``nrm`` at the vertices ``ids`` of a piece (its ``faces``) averaged with their
    neighbours among ``ids`` ``passes`` times. The host's normals turn fast by the side necks (the
    hollow between neck and shoulder): offset along them, a turned collar's fall points there
    converged (jacket M: a fall edge 1.7 -> 0.1 cm, a crumpled tab at each side neck)."""
    at = np.full(int(faces.max()) + 1, -1)
    at[ids] = np.arange(len(ids))
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    e = at[e[(at[e] >= 0).all(axis=1)]]
    e = np.concatenate([e, e[:, ::-1]])
    out = nrm.copy()
    for _ in range(passes):
        acc = out.copy()
        np.add.at(acc, e[:, 0], out[e[:, 1]])
        out = acc / np.maximum(np.linalg.norm(acc, axis=1), 1e-9)[:, None]
    return out


# cm a turned collar lies at least over a turned lapel: one layer, as the lapel on its front (0.6),
# let the collar end's 2 cm triangles from the gorge run under the lapel's top where it curves out
# over the shown bust's upper slope (jacket S / L / XL wrap: 2-4 crossings there)
COLLAR_OVER_LAPEL = 0.9


def _over_lapels(pattern, mesh: GarmentMesh, pos: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """``pts`` (a turned collar's) at least COLLAR_OVER_LAPEL outside the turned lapels under them."""
    lapel = _lapel_faces(pattern, mesh)
    if not lapel.any():
        return pts
    # reversed, as _outward_faces turns them: their normals face away from the body
    return _push_off(pts, pos, mesh.faces[lapel][:, ::-1], COLLAR_OVER_LAPEL)


def _collar_off_lapels(pattern, mesh: GarmentMesh, pos: np.ndarray, turned: np.ndarray,
                       centre: np.ndarray) -> np.ndarray:
    """A turned collar's points ``turned`` moved out (LAYER_STEP a round, away from the neck's line
    through ``centre``) where the collar's triangles and the turned lapels' still cross
    (LAYER_ROUNDS at most); the lapels stay. _over_lapels keeps each point clear of the lapel, but
    the collar end's triangles span from the notch, sewn on the lapel's gorge, to points mirrored
    3-4 cm down the lapel, which curves out under them over a full bust (jacket XXL wrap: 2
    crossings at the right notch). So are the ends of collar edges crushed below WELD_CM: by the
    right notch a point mirrored over the roll line's steep end lands beside the lapel's gorge point
    it is cut 2 cm from (jacket XL, 2 cm mesh: 0.49 cm with the gorge lifted in full)."""
    lapel = _lapel_faces(pattern, mesh)
    if not lapel.any() or not len(turned):
        return pos
    label, sewn = _seam_groups(mesh)
    rep = _welded_ids(label, sewn)  # a collar vertex sewn on the gorge is the lapel's vertex there
    mine = np.zeros(len(pos), bool)
    mine[turned] = True
    collar = mesh.piece_of == mesh.piece_of[turned[0]]
    faces = rep[np.concatenate([mesh.faces[lapel], mesh.faces[collar[mesh.faces].all(axis=1)]])]
    own = rep[mesh.faces[collar[mesh.faces].all(axis=1)]]
    own = np.unique(np.sort(np.concatenate([own[:, [0, 1]], own[:, [1, 2]], own[:, [2, 0]]]), axis=1), axis=0)
    out = pos.copy()
    for _ in range(LAYER_ROUNDS):
        edges, hit = crossing_edges(out, faces)
        crushed = own[np.linalg.norm(out[own[:, 0]] - out[own[:, 1]], axis=1) < WELD_CM]
        ids = np.unique(np.concatenate([edges.ravel(), faces[hit].ravel(), crushed.ravel()]))
        ids = ids[mine[ids]]
        if not len(ids):
            break
        out[ids] += LAYER_STEP * _away(out[ids], vertex_normals(out, faces)[ids], centre)
    return out


# cm: the drape's weld merges vertices closer than this (pipeline.build_scene): a collar edge
# shorter than it is crushed
WELD_CM = 0.6


NECK_SMOOTH = 6  # smoothing passes along a collar's neck seam
NECK_TAPER = 4.0  # cm along the seam from each kept end over which its widening fades in
NECK_FREE = 5.0  # cm: other seams this close to the neck seam follow its move (the shoulder seams)


def _smooth_neck_seam(mesh: GarmentMesh, pos: np.ndarray, seam: np.ndarray, length: float) -> np.ndarray:
    """A collar's neck seam (``seam``: a vertex of each sewn group, in order along the collar, between
    the ends of its roll line) smoothed along its length, its ends kept, the pieces sewn to it
    following harmonically. The relax leaves the fronts' necklines bunched by the side necks, the
    shoulder seam's corner up to 1.6 cm forward of its neighbours (sizes S and M): the stand built
    on that zigzag folded through itself and the fall over it (wrap crossings on the collar
    60-90 -> 3-20, jacket S drape 19 -> 0). The turned lapels' stretch of the seam stays: moved,
    the lapels crossed at their roll lines' tops. Smoothing cuts the zigzag's corners and draws the
    seam toward the chord of its ends (jacket M: 29.4 -> 22.7 cm), and the stand built on it was
    crushed to that (its side-neck edges 0.1-0.5 cm, collapsed by the weld): the smoothed seam is
    widened about its centre, horizontally and less toward its ends, back to ``length`` (its flat
    length), which opens the bunched side necks (1-2 cm) and leaves the back neck where it was."""
    label, sewn = _seam_groups(mesh)
    p = pos[seam].copy()
    for _ in range(NECK_SMOOTH):
        p[1:-1] += 0.5 * (0.5 * (p[:-2] + p[2:]) - p[1:-1])
    centre = p.mean(axis=0)
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(p, axis=0), axis=1))])
    taper = np.clip(np.minimum(s, s[-1] - s) / NECK_TAPER, 0.0, 1.0)[:, None]

    def widened(k):
        q = p.copy()
        q[:, :2] = centre[:2] + (p[:, :2] - centre[:2]) * (1.0 + (k - 1.0) * taper)
        return q

    lo, hi = 0.5, 3.0  # the seam's length grows with k: bisect for the flat length
    for _ in range(30):
        k = 0.5 * (lo + hi)
        lo, hi = (k, hi) if np.linalg.norm(np.diff(widened(k), axis=0), axis=1).sum() < length else (lo, k)
    move = np.zeros((label.max() + 1, 3))
    move[label[seam]] = widened(0.5 * (lo + hi)) - pos[seam]
    disp = np.where(sewn[:, None], move[label], 0.0)
    neck = np.isin(label, label[seam])
    near = np.min(np.linalg.norm(pos[:, None] - pos[seam][None], axis=2), axis=1) < NECK_FREE
    return snap_seams(mesh, pos + spread_moves(mesh, disp, sewn & (neck | ~near)))


def _away(at: np.ndarray, nrm: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Unit normals turned to point away from the vertical line through ``centre`` (the neck)."""
    n = nrm / np.maximum(np.linalg.norm(nrm, axis=1), 1e-9)[:, None]
    radial = at - centre
    radial[:, 2] = 0
    return n * np.where((n * radial).sum(axis=1) < 0, -1.0, 1.0)[:, None]


SEAM_SPAN = 1.5  # cm each way along the seam: the chord a host's inward direction is square to


def _inward(seam: np.ndarray, flat: np.ndarray, seam_s: np.ndarray, s: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Flat points on a host piece (vertices ``flat``) ``depth`` in from its seam (``seam``: the sewn
    vertices' flat positions, at ``seam_s`` along the collar, increasing) at ``s`` along it."""
    point = lambda x: np.column_stack([np.interp(x, seam_s, seam[:, k]) for k in range(2)])  # noqa: E731
    at = point(s)
    # the chord over SEAM_SPAN: one direction round a corner of the seam (gorge to neckline), so
    # points either side of it do not fan apart or pile up
    tangent = point(s + SEAM_SPAN) - point(s - SEAM_SPAN)
    n = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    n /= np.maximum(np.linalg.norm(n, axis=1), 1e-9)[:, None]
    n *= np.where(((flat.mean(axis=0) - at) * n).sum(axis=1) < 0, -1.0, 1.0)[:, None]
    return at + depth[:, None] * n


def is_patch(piece, mesh: GarmentMesh) -> bool:
    """A piece sewn onto another's face (pocket): no edge-to-edge seam."""
    i = mesh.index(piece.name)
    sewn = mesh.piece_of[mesh.seam_pairs.ravel()] if len(mesh.seam_pairs) else np.zeros(0, int)
    return "pocket" in (piece.body_region or piece.name) and not np.any(sewn == i)


def vertex_normals(pos: np.ndarray, faces: np.ndarray) -> np.ndarray:
    fn = np.cross(pos[faces[:, 1]] - pos[faces[:, 0]], pos[faces[:, 2]] - pos[faces[:, 0]])
    vn = np.zeros_like(pos)
    for k in range(3):
        np.add.at(vn, faces[:, k], fn)
    return vn / np.maximum(np.linalg.norm(vn, axis=1), 1e-12)[:, None]


PATCH_GAP = 0.4  # cm: a pocket's middle lies this far out on the garment
PATCH_EDGE_GAP = 0.15  # cm: its topstitched edges, down on the cloth (were left 0.4-0.7 cm off it)


def _lay_on_surface(pattern, mesh: GarmentMesh, pos: np.ndarray, patches: list[int]) -> np.ndarray:
    """Lay patch pieces (pockets) on the nearest garment surface: PATCH_EDGE_GAP out along their
    stitched edges (role "face"), PATCH_GAP elsewhere."""
    on_top = np.isin(mesh.piece_of, patches)
    normals = vertex_normals(pos, mesh.faces)
    base = np.nonzero(~on_top)[0]
    if not len(base):
        return pos
    gap = np.full(len(pos), PATCH_GAP)
    for i in patches:
        for e in pattern.pieces[i].edges:
            if e.role == "face":
                gap[mesh.pieces[i].edge_verts[e.name] + mesh.offsets[i]] = PATCH_EDGE_GAP
    out = pos.copy()
    names = [q.name for q in mesh.pieces]
    for i in patches:
        # on its host's cloth: by a front's overlap, the other front's vertices (2 cm under) threw a
        # pocket's corner 0.4 cm further out along their normal, tilting its top by 0.3 cm (knit jacket XS)
        host = (pattern.pieces[i].placement or {}).get("attach_to")
        under = np.nonzero(mesh.piece_of == names.index(host))[0] if host in names else base
        mine = np.nonzero(mesh.piece_of == i)[0]
        # clear the few nearest surface vertices, not only the nearest: a draped (wrinkled) surface
        # bulges between its vertices and would otherwise show through the pocket
        _, j = cKDTree(pos[under]).query(pos[mine], k=min(6, len(under)))
        j = j.reshape(len(j), -1)
        n = normals[under[j[:, 0]]]
        depth = np.einsum("ikj,ij->ik", pos[mine][:, None, :] - pos[under[j]], n)
        out[mine] += (gap[mine] - depth.min(axis=1))[:, None] * n
    return out


def rib_ratios(pattern) -> dict[str, float]:
    """{piece: how far it is stretched along x when sewn} for rib bands (cuffs, hem band): cut shorter
    than the edges they are sewn to (the seams declare it as negative ease)."""
    out: dict[str, tuple[float, float]] = {}
    for s in pattern.seams:
        if s.ease_cm < 0:
            la, lb = pattern.seam_lengths(s)
            a, b = out.get(s.b.piece, (0.0, 0.0))
            out[s.b.piece] = (a + la, b + lb)
    return {k: a / b for k, (a, b) in out.items() if b > 0}


def assembly_metrics(mesh: GarmentMesh, pos: np.ndarray, body: Body, pattern=None) -> dict[str, float]:
    """inside_fraction, max_seam_gap_cm, mean_stretch (|3D/flat - 1| over triangle edges). With the
    ``pattern``, rib bands (cut shorter than their edge, ``rib_ratios``) are left out of mean_stretch:
    they are meant to be worn stretched, and rib_stretch says by how much (3D / cut length - 1)."""
    e = mesh.edges()
    l2 = np.linalg.norm(mesh.verts2d[e[:, 0]] - mesh.verts2d[e[:, 1]], axis=1)
    l3 = np.linalg.norm(pos[e[:, 0]] - pos[e[:, 1]], axis=1)
    ratio = l3 / np.maximum(l2, 1e-9)
    rib = np.zeros(len(e), bool)
    for name in rib_ratios(pattern) if pattern is not None else ():
        rib |= mesh.piece_of[e[:, 0]] == mesh.index(name)
    extra = {"rib_stretch": float(np.mean(ratio[rib] - 1))} if rib.any() else {}
    sp = mesh.seam_pairs
    gap = np.linalg.norm(pos[sp[:, 0]] - pos[sp[:, 1]], axis=1) if len(sp) else np.zeros(1)
    return {
        "inside_fraction": float(body.inside(pos, margin=-0.05).mean()),
        "max_seam_gap_cm": float(gap.max()),
        "mean_stretch": float(np.mean(np.abs(ratio[~rib] - 1))),
        "vertices": int(len(pos)),
        "faces": int(len(mesh.faces)),
        **extra,
    }

