"""Front and back bodice (torso) pieces.

Frame: y = 0 at the bodice hem (the waist seam for a dress), the side-neck point
at y = bodice_length; x = 0 at centre front/back. Seen from outside, +x is the
wearer's left on front pieces and the wearer's right on back pieces, so every
piece is drawn hem first, then up its +x side, counter-clockwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ...spec import GarmentSpec, full_bust_adjustment
from .. import geometry as g
from ..builder import PieceDraft
from .darts import darted_line
from .ease import BACK_NECK_DROP, HIP_DEPTH, armhole_depth, spec_ease, waist_ease_drafted
from .tailored import lapel as tailored_lapel
from .tailored import lapel_edges


@dataclass
class BodiceFrame:
    """Shared measurements of the front and back so their seams agree."""

    length: float  # side-neck point to hem
    waist_y: float  # height of the natural waist above the hem (may be <= 0: cropped)
    underarm_y: float  # the armholes' bottoms
    # the block's underarm level, over the chest: a sloping shoulder lowers the armholes' bottoms
    # (underarm_y) under it, not the bust darts or a chest pocket placed from it
    scye_y: float
    shoulder_x: float
    shoulder_y: float
    neck_w: float
    front_neck_depth: float
    bust_q: float  # quarter of the finished bust
    waist_q: float  # quarter finished waist at the side seam
    hem_q: float  # quarter finished width at the hem
    dart: float  # width of one waist dart per side (dress bodices), 0 = none
    dart_x: float  # dart centre, distance from centre front/back
    dart_tip_y: float
    bust_dart: float = 0.0  # intake of the front side bust dart (front longer than back by it), 0 = none
    bust_dart_y: float = 0.0  # height of the bust dart on the side seam
    fisheye: float = 0.0  # width of one internal waist dart per quarter (hip-length tops), 0 = none
    hip_q: float | None = None  # quarter finished hip at the hip line (None: the top ends above it)
    hem_drop: float = 0.0  # a dartless front's extra length at the centre-front hem, 0 at the side seams
    bib: Bib | None = None  # cut down to a bib and a low back on straps (overalls)


@dataclass(frozen=True)
class Bib:
    """Where a bodice cut down to a bib is cut (frame coordinates): the bib's top and the back's,
    their half widths, and each strap's ends on the shoulder line (inner, outer), shared by front
    and back so the shoulder seams sew 1:1."""

    front_top: float
    back_top: float
    front_half: float
    back_half: float
    strap_in: np.ndarray
    strap_out: np.ndarray


BUST_DART_BELOW = 5.0  # cm: the side bust dart sits this far below the underarm
BUST_DART_SHORT = 2.5  # cm: a bust dart stops this far short of the bust point
FISHEYE_MAX = 3.0  # cm: the widest internal waist dart per quarter of a hip-length top
WAIST_DART_MAX = 4.0  # cm: the widest open waist dart per quarter of a dress bodice
# a bib (overalls, dungarees): its top this far below the side neck, as a share of the back waist
# length (about level with the armpits, 8-9 cm above the bust point), the back's lower (13 cm above
# the waist at size M); the side seams this high; straps this wide, centred this far along the
# shoulder line from the side neck
BIB_TOP_BELOW_NECK = 0.42
BIB_BACK_BELOW_NECK = 0.68
BIB_SIDE_SEAM = 6.0
BIB_HALF_WIDTH = 0.13  # of the bust
STRAP_WIDTH = 4.0
STRAP_ALONG_SHOULDER = 0.4
# the back's straps lean in this much from the shoulder to the back's top, the bib's by up to
# BIB_STRAP_LEAN: pulled toward the neck, they stay on the shoulders' slope
BACK_STRAP_LEAN = 8.0
BIB_STRAP_LEAN = 1.5
STRAP_SHORTEN = 2.5
FISHEYE_BELOW = 12.0  # cm: an internal waist dart runs this far below the waist
KNIT_CUP_GIVE = 4.5  # cm of cup difference past a B cup a darted knit front stretches over


def bust_dart_intake(bust: float) -> float:
    """Side bust dart intake (cm) of a B-cup block: about 2.4 cm at a 92 cm bust (a fuller bust adds
    spec.full_bust_adjustment)."""
    return float(np.clip(0.03 * bust - 0.4, 1.5, 4.0))


# the shown male mannequin's chest stands out about half as far as a B cup up to size XL, and fills out
# to a B cup's at XXL: a front over it takes that share of the block's dart intake. With the whole
# intake the centre front hung low up to XL (wrap XS / M / XL: jacket -1.3 / -0.6 / -1.3 cm, shirt
# -1.6 / -1.2 / -1.8, hoodie -1.3 / -0.7 / -2.0; with half: -0.3 / 0.4 / 0.1, -0.6 / 0.0 / -0.4,
# -0.4 / 0.3 / -0.6), with half at XXL it rode up (jacket 2.0, vest 1.7; whole: 0.4, 0.0)
MALE_CHEST_SHARE = ((108.0, 0.5), (118.0, 1.0))  # (bust, share)


def male_chest_share(bust: float) -> float:
    """The share of the block's bust dart intake a front on the male mannequin takes (MALE_CHEST_SHARE)."""
    b, share = zip(*MALE_CHEST_SHARE, strict=True)
    return float(np.interp(bust, b, share))


def frame(spec: GarmentSpec, dress: bool) -> BodiceFrame:
    m, t, fit = spec.m, spec.garment_type, spec.fit
    e = spec_ease(spec)
    length = m["bodice_length"]
    waist_y = length - m["back_waist_length"] if not dress else 0.0
    # the armholes' bottoms go down with a sloping shoulder (armhole_depth); the bust darts stay
    # under the block's underarm level (scye_y) over the bust
    scye_y = length - armhole_depth(m["bust"], fit, t, m["back_waist_length"])
    underarm_y = length - armhole_depth(m["bust"], fit, t, m["back_waist_length"], m["shoulder_slope"])
    shoulder_x = m["shoulder_width"] / 2 + (2.5 if fit == "loose" else 0.0)
    bust_q = (m["bust"] + e["bust"]) / 4
    waist_target = (m["waist"] + waist_ease_drafted(spec)) / 4
    hip_q = (m["hip"] + e["hip"]) / 4
    max_side = {"fitted": 2.5, "regular": 1.5, "loose": 0.0}[fit] + (0.5 if dress else 0.0)
    # the side seam takes what it can of the waist suppression; darts (one per quarter) the rest
    side = min(max_side, max(bust_q - waist_target, 0.0))
    waist_q = bust_q - side
    rest = max(waist_q - waist_target, 0.0) if fit != "loose" else 0.0
    dart = fisheye = 0.0
    if dress:
        dart = min(rest, WAIST_DART_MAX)
    elif waist_y - FISHEYE_BELOW >= 1.0 and waist_y < scye_y - 6:
        fisheye = min(rest, FISHEYE_MAX)
    if waist_target > waist_q:  # a waist bigger than the bust: the side seam goes out to it
        waist_q = waist_target
    if dress or waist_y <= 0:
        # a dress bodice ends at the waist; a cropped top between underarm and waist
        hem_q = waist_q if dress else bust_q + (waist_q - bust_q) * underarm_y / (underarm_y - waist_y)
        hip_line_q = None
    else:
        # never narrower at the hip than at the (finished) waist; a loose top hangs straight from the bust
        floor = bust_q if fit == "loose" else waist_q - fisheye
        hip_line_q = max(hip_q, floor)
        below = length - m["back_waist_length"]  # how far below the waist the hem falls
        hem_q = waist_q + (hip_line_q - waist_q) * min(1.0, below / HIP_DEPTH)
    # a woven front is shaped over the bust by a side dart (knit stretches over it; a loose top hangs);
    # a bust fuller than the block's B cup spreads it (full-bust adjustment): the front gains that
    # length above the dart, over the apex, and the dart takes it back at the side seam, so the side
    # seams still sew 1:1 (wrapped on the shown size L bust without it, the centre front's hem rode
    # 3-5 cm above the side seams')
    bust_dart_y = min(scye_y - BUST_DART_BELOW, underarm_y - 2.0)
    bust_dart = hem_drop = 0.0
    over_bust = length - m["neckline_depth"] > bust_dart_y  # the centre front runs over the bust
    woven = spec.fabric == "woven"
    # a knit front whose neckline opens below the bust (a cardigan's V to the waist) is darted too,
    # with the block's B-cup dart (the knit stretches over a fuller cup): dartless, nothing carried the
    # bust's length to the front edge and the front swung up toward it (cardigan wrap, XS..XXL: centre
    # front 0.9-5.2 cm above the side seams, pockets tilted 0.3-4.5 cm; that length rotated to the hem
    # instead hung it 1-4 cm low and left the pockets tilted; with the woven's full-bust adjustment
    # too, L / XL hung 1.9 / 2.8 cm low). The knit gives over KNIT_CUP_GIVE of the cup difference
    # past a B cup (L / XL's 2.5 / 4.5 cm): only a fuller cup takes the adjustment past it (size XXL,
    # 19.5 cm: its centre front rode 3.0 cm up, the pockets tilted 2.7 cm without it)
    darted = woven or not (over_bust or dress)
    intake = bust_dart_intake(m["bust"])
    if spec.metadata.get("body_preset") == "male":
        intake *= male_chest_share(m["bust"])
    # a loose front that opens above the bust (a jacket's lapels, a cardigan's V) is darted too, as a
    # boxy blazer is: the hem cannot carry the bust's length below an open front, and dartless the
    # centre front rode up over the bust (wrap XS..XXL, jacket: 1.5-6.8 cm above the side seams,
    # pockets tilted up to 3.1; cardigan 1.1-6.6 and 3.9; the length dropped at the hem instead
    # levelled the jacket's hem but left its pockets tilted 2.9)
    if darted and (fit != "loose" or not over_bust) and bust_dart_y > max(waist_y, 0.0) + 3.0:
        bust_dart = intake + full_bust_adjustment(m, 0.0 if woven else KNIT_CUP_GIVE)
    elif not dress and over_bust:
        # a dartless (knit or loose) front gets the same length over the bust as the dart would give
        # it (the block's B-cup intake rotated to the hem, plus the full-bust adjustment), at the
        # centre-front hem tapering to nothing at the side seams, which still sew 1:1 (wrapped on the
        # shown bust without it, a hoodie's centre front rode 2.4-6.5 cm above its side seams; with
        # the adjustment alone, 1.8-3.3). Only where the centre front runs over the bust: a front
        # opening from below it (a knit jacket's break near the waist) hung 3-4 cm low with it. A
        # dress bodice's waist seam would have to carry it into the skirt, so it is left out there
        hem_drop = intake + full_bust_adjustment(m)
    f = BodiceFrame(
        bust_dart=bust_dart, bust_dart_y=bust_dart_y, hem_drop=hem_drop,
        length=length, waist_y=waist_y, underarm_y=underarm_y, scye_y=scye_y, shoulder_x=shoulder_x,
        shoulder_y=length - m["shoulder_slope"], neck_w=m["neckline_width"],
        front_neck_depth=m["neckline_depth"], bust_q=bust_q, waist_q=waist_q, hem_q=hem_q,
        dart=dart, dart_x=max(bust_q * 0.38, m["neckline_width"] + 1.0),
        dart_tip_y=max(1.0, scye_y - 3.0), fisheye=fisheye, hip_q=hip_line_q,
    )
    return bib_frame(f, m["bust"], m["back_waist_length"], waist_target) if spec.features.get("has_bib") else f


def bib_frame(f: BodiceFrame, bust: float, back_waist_length: float, waist_q: float) -> BodiceFrame:
    """The frame of a bodice cut down to a bib and a low back (``bib``): short side seams as wide as
    the waist drafted (``waist_q``, a quarter; the bust's width has no place below a bib, and under
    a loose one's the band and the trousers' waist came out 18 cm over the body and the seat
    ballooned), no darts (a bib lies flat), the front neck down to the bib's top."""
    # the straps run over the body's shoulder line (f.shoulder_y, the measured slope): a sloping
    # shoulder is lower under the strap, so the strap from the bib's top to the back's is shorter
    # (a square one's longer), and the shoulder seam lies along the shoulder's slope
    neck, sp = np.array([f.neck_w, f.length]), np.array([f.shoulder_x, f.shoulder_y])
    along = (sp - neck) / np.linalg.norm(sp - neck)
    mid = neck + STRAP_ALONG_SHOULDER * (sp - neck) - (0.0, STRAP_SHORTEN)
    strap_in, strap_out = mid - along * STRAP_WIDTH / 2, mid + along * STRAP_WIDTH / 2
    front_top = f.length - BIB_TOP_BELOW_NECK * back_waist_length
    back_top = f.length - BIB_BACK_BELOW_NECK * back_waist_length
    side = min(BIB_SIDE_SEAM, back_top - 4.0)
    front_half = max(BIB_HALF_WIDTH * bust, float(strap_out[0]) - BIB_STRAP_LEAN)
    bib = Bib(front_top, back_top, front_half, float(strap_out[0]) - BACK_STRAP_LEAN, strap_in, strap_out)
    return replace(f, bib=bib, underarm_y=side, front_neck_depth=f.length - front_top, bust_dart=0.0,
                   bust_dart_y=0.0, dart=0.0, fisheye=0.0, hem_drop=0.0, bust_q=waist_q, waist_q=waist_q,
                   hem_q=waist_q)


def _bib_edges(f: BodiceFrame, q_off: float, front: bool) -> tuple[np.ndarray, np.ndarray]:
    """(armhole, neckline) of a bib or low back on the +x side, as _armhole and _neck_front give
    them: the armhole from the side seam's top scooped in to the top's outer corner and up the
    strap's outer edge; the neckline from the centre across the top and up the strap's inner edge."""
    b = f.bib
    top, half = (b.front_top, b.front_half) if front else (b.back_top, b.back_half)
    under = g.P(f.bust_q + q_off, f.underarm_y)
    corner = g.P(half, top)
    scoop = g.cubic(under, (half + 0.5 * (under[0] - half), f.underarm_y),
                    (half, f.underarm_y + 0.3 * (top - f.underarm_y)), corner)
    arm = g.join(scoop, g.line(corner, b.strap_out))
    inner = g.P(half - STRAP_WIDTH, top)
    neck = g.join(g.line((0.0, top), inner), g.line(inner, b.strap_in))
    return arm, neck


def _side(f: BodiceFrame, q_off: float) -> np.ndarray:
    """Side seam from hem to underarm, shaped through the waist; straight down from the hip line."""
    hem = g.P(f.hem_q + q_off, 0.0)
    under = g.P(f.bust_q + q_off, f.underarm_y)
    if 2.0 < f.waist_y < f.underarm_y - 2.0:
        hip_y = f.waist_y - HIP_DEPTH
        hip = [g.P(f.hip_q + q_off, hip_y)] if f.hip_q is not None and hip_y > 1.0 else []
        return g.smooth_y([hem, *hip, g.P(f.waist_q + q_off, f.waist_y), under])
    return g.line(hem, under)


def raised(f: BodiceFrame, d: float) -> BodiceFrame:
    """The frame above a bust dart of intake ``d``: neck, shoulder and underarm ``d`` higher."""
    if d <= 0:
        return f
    return replace(f, length=f.length + d, underarm_y=f.underarm_y + d, shoulder_y=f.shoulder_y + d,
                   scye_y=f.scye_y + d)


def _side_chain(f: BodiceFrame, q_off: float, front: bool, plus: str, corner: str) -> list[tuple]:
    """The +x side seam as edges (name, points, role, tags) from the hem corner to the underarm.

    With a bust dart both front and back split the side seam at the dart's level (so the parts sew
    1:1); the front's upper part lies ``bust_dart`` higher and the dart legs close the gap, their tip
    toward the bust point.
    """
    side = _side(f, q_off)
    if f.bust_dart <= 0:
        return [(f"side_{plus}", side, "seam", (f"{corner}_{plus}", f"underarm_{plus}"))]
    lo, hi = _split_y(side, f.bust_dart_y)
    mid = f"side_dart_{plus}"
    out = [(f"side_{plus}", lo, "seam", (f"{corner}_{plus}", mid))]
    if front:
        d = f.bust_dart
        hi = hi + np.array([0.0, d])
        tip = g.P(f.dart_x + BUST_DART_SHORT, f.bust_dart_y + d / 2)  # on the legs' bisector: equal legs
        base, t = f"bust_dart_{plus}_base", f"bust_dart_{plus}_tip"
        out += [(f"bust_dart_{plus}_a", g.line(lo[-1], tip), "seam", (base, t)),
                (f"bust_dart_{plus}_b", g.line(tip, hi[0]), "seam", (t, base))]
    out.append((f"side_upper_{plus}", hi, "seam", (mid, f"underarm_{plus}")))
    return out


def _split_y(pts: np.ndarray, y: float) -> tuple[np.ndarray, np.ndarray]:
    """A side seam (rising in y) cut at height y into the part below and the part above."""
    cut = g.P(float(np.interp(y, pts[:, 1], pts[:, 0])), y)
    below, above = pts[pts[:, 1] < y - 1e-9], pts[pts[:, 1] > y + 1e-9]
    return np.vstack([below, cut]), np.vstack([cut, above])


def shorten_fisheye(pd: PieceDraft, top: float, waist_y: float) -> None:
    """End a piece's fish-eye darts at ``top`` (below a chest pocket), keeping at least 3 cm above the
    waist; the drill hole 1 cm inside the top moves with it."""
    top = max(top, waist_y + 3.0)
    for mk in [m for m in pd.markings if m["kind"] == "dart"]:
        old = mk["points"][2][1]
        if old <= top:
            continue
        mk["points"][2][1] = top
        x = mk["points"][2][0]
        for dr in pd.markings:
            if dr["kind"] == "drill":
                dr["points"] = [[px, top - 1.0 if abs(px - x) < 1e-6 and abs(py - (old - 1.0)) < 1e-6 else py]
                                for px, py in dr["points"]]


def fisheye_dart(f: BodiceFrame, front: bool, sign: float) -> dict | None:
    """An internal waist dart (a diamond sewn shut) at +-dart_x: widest at the waist, its top below
    the bust point in front and below the shoulder blade at the back, its foot 12 cm below the waist."""
    if f.fisheye <= 0:
        return None
    x, w = sign * f.dart_x, f.fisheye / 2
    top = f.dart_tip_y - (3.0 if front else 0.0)
    foot = f.waist_y - FISHEYE_BELOW
    pts = [[x, foot], [x + w, f.waist_y], [x, top], [x - w, f.waist_y]]
    return {"kind": "dart", "points": pts, "text": f"dart {f.fisheye:.1f} cm"}


def dropped_hem(x0: float, x1: float, half: float, drop: float, across: float = 0.0, n: int = 17) -> np.ndarray:
    """A hem from x0 to x1 at y = 0 that dips ``drop`` below it at the centre front (level within
    ``across`` of it: a button overlap), tapering to nothing at +-half with a level tangent at both
    ends (a square corner with the side seam); a straight line when ``drop`` is 0."""
    if drop <= 0:
        return g.line((x0, 0.0), (x1, 0.0))
    x = np.linspace(x0, x1, n)
    t = np.clip((np.abs(x) - across) / (half - across), 0.0, 1.0)
    return np.column_stack([x, -drop * 0.5 * (1.0 + np.cos(np.pi * t))])


def _armhole(f: BodiceFrame, q_off: float, front: bool) -> np.ndarray:
    """Underarm to shoulder point; the front is scooped deeper than the back."""
    under = g.P(f.bust_q + q_off, f.underarm_y)
    sp = g.P(f.shoulder_x, f.shoulder_y)
    h = f.shoulder_y - f.underarm_y
    inset = 1.4 if front else 0.7
    cx = min(sp[0] - inset, under[0] - 0.5)
    return g.cubic(under, (cx, f.underarm_y), (cx, f.underarm_y + 0.55 * h), sp)


def _neck_front(f: BodiceFrame) -> np.ndarray:
    """Centre front to the side-neck point on the +x side."""
    d, w, top = f.front_neck_depth, f.neck_w, f.length
    cf = g.P(0.0, top - d)
    if d > 1.6 * w:  # deep neck: a V
        return g.cubic(cf, (0.3 * w, top - 0.7 * d), (0.85 * w, top - 0.3 * d), (w, top))
    return g.cubic(cf, (0.55 * w, top - d), (w, top - 0.55 * d), (w, top))  # scoop / jewel


def _open_neck(f: BodiceFrame, overlap: float, neck: np.ndarray) -> np.ndarray:
    """Neckline of the wearer's right front, from the opening edge at x = overlap to the side neck.

    A round neck runs level across the button overlap; a V runs in one line from the break
    point on the front edge to the side neck (a level step at the front edge would be a notch).
    """
    d, w, top = f.front_neck_depth, f.neck_w, f.length
    start = g.P(overlap, top - d)
    if d > 1.6 * w and overlap > 0:
        span = w + overlap
        return g.cubic(start, (overlap - 0.3 * span, top - 0.7 * d), (-w + 0.15 * span, top - 0.3 * d), (-w, top))
    return g.join(g.line(start, neck[0]), g.mirror_x(neck))


def _neck_back(f: BodiceFrame) -> np.ndarray:
    w, top = f.neck_w, f.length
    return g.cubic((0.0, top - BACK_NECK_DROP), (0.55 * w, top - BACK_NECK_DROP), (w, top - 1.0), (w, top))


def bodice_piece(spec: GarmentSpec, f: BodiceFrame, front: bool, name: str, *, waist_seam: bool = False,
                 overlap: float | None = None, lapel: bool = False) -> PieceDraft:
    """One torso piece, whole (on fold), or the wearer's right front of an open front with ``overlap``.

    ``waist_seam``: the bottom edge sews to a skirt (dress) instead of being a hem.
    """
    q_off = 0.5 if front else -0.5  # front a little wider than the back
    plus, minus = ("left", "right") if front else ("right", "left")
    pd = PieceDraft(name, "torso_front" if front else "torso_back", cut_group=name, on_fold=overlap is None)
    fu = raised(f, f.bust_dart) if front else f  # the front above its bust dart is longer by the dart
    if f.bib is not None:
        arm, neck = _bib_edges(f, q_off, front)
    else:
        arm = _armhole(fu, q_off, front)
        neck = _neck_front(fu) if front else _neck_back(f)
    cn_tag = "cf_neck" if front else "cb_neck"
    corner = "waist" if waist_seam else "hem"
    half = f.hem_q + q_off
    shoulder = g.line(arm[-1], neck[-1])  # shoulder point -> side-neck point, +x side
    side = _side_chain(f, q_off, front, plus, corner)

    drop = f.hem_drop if front and not waist_seam else 0.0
    if overlap is None:
        # the front dart stops short of the bust point, which lies below the underarm level
        tip = max(1.0, f.dart_tip_y - 3.0) if front else f.dart_tip_y
        if drop > 0:
            pd.edge("hem", dropped_hem(-half, half, half, drop), "hem", (f"{corner}_{minus}", f"{corner}_{plus}"))
        else:
            darted_line(pd, 0.0, half, f.dart_x, f.dart, tip, plus, minus, corner,
                        "waist" if waist_seam else "hem", "seam" if waist_seam else "hem", True)
        for e in side:
            pd.edge(*e)
        pd.edge(f"armhole_{plus}", arm, "seam", (f"underarm_{plus}", f"shoulder_{plus}"))
        pd.edge(f"shoulder_{plus}", shoulder, "seam", (f"shoulder_{plus}", f"neck_{plus}"))
        pd.edge(f"neckline_{plus}", neck[::-1], "neckline", (f"neck_{plus}", cn_tag))
    else:
        # the wearer's right front lies on the -x side; the opening edge at x = +overlap
        top_open = g.P(overlap, fu.length - f.front_neck_depth)
        pd.edge("hem", dropped_hem(-half, overlap, half, drop, overlap), "hem", ("hem_right", "opening_hem_right"))
        pd.edge("opening", g.line((overlap, -drop), top_open), "opening", ("opening_hem_right", "opening_top_right"))
        if lapel:  # a notched lapel from the break point at the top of the opening
            side_neck = g.mirror_x(neck)[-1]
            lapel_edges(pd, tailored_lapel(top_open, side_neck, g.P(-f.shoulder_x, fu.shoulder_y)), side_neck)
        else:
            pd.edge("neckline_right", _open_neck(fu, overlap, neck), "neckline", ("opening_top_right", "neck_right"))
    if overlap is None:
        pd.edge(f"neckline_{minus}", g.mirror_x(neck), "neckline", (cn_tag, f"neck_{minus}"))
    pd.edge(f"shoulder_{minus}", g.mirror_x(shoulder[::-1]), "seam", (f"neck_{minus}", f"shoulder_{minus}"))
    pd.edge(f"armhole_{minus}", g.mirror_x(arm[::-1]), "seam", (f"shoulder_{minus}", f"underarm_{minus}"))
    for n, pts, role, (t0, t1) in side[::-1]:
        sw = lambda x: x.replace(plus, minus)  # noqa: E731
        pd.edge(sw(n), g.mirror_x(pts[::-1]), role, (sw(t1), sw(t0)))
    top_c = (fu.length - f.front_neck_depth) if front else (f.length - BACK_NECK_DROP)
    if f.bib is not None:
        top_c = f.bib.front_top if front else f.bib.back_top
    pd.mark("centre_front" if front else "centre_back", [[0.0, -drop], [0.0, top_c]],
            ("CF" if front else "CB") + (": fold line if cut on the fold" if overlap is None else ""))
    lm = pd.landmarks
    lm["hps"] = g.P(0, fu.length)
    lm["waist_center"] = g.P(0, f.waist_y)
    lm["hem_center"] = g.P(0, -drop)
    lm["underarm_level"] = g.P(0, fu.underarm_y)
    lm["shoulder_point"] = g.P(-f.shoulder_x, fu.shoulder_y)
    if f.bib is not None and front:  # the bib's faced top's end by the strap (the drape holds the top)
        side = -1.0 if overlap is not None else 1.0  # an open front's half lies on -x
        lm["bib_top"] = g.P(side * (f.bib.front_half - STRAP_WIDTH), f.bib.front_top)
    gx = 0.0 if overlap is None else (overlap - f.shoulder_x) / 2  # between opening and shoulder
    top = 0.75 * f.length
    if front and overlap is None:  # keep the grainline below a deep front neck
        top = min(top, f.length - f.front_neck_depth - 2)
    bottom = 0.15 * f.length
    if f.bib is not None:  # the bib's (or the low back's) height, inside the straps
        gx, bottom, top = gx / 2, 1.5, (f.bib.front_top if front else f.bib.back_top) - 1.5
    pd.grain = (gx, bottom, top)
    signs = (1.0, -1.0) if overlap is None else (-1.0,)  # an open front holds the wearer's right half
    for mk in [mk for s in signs if (mk := fisheye_dart(f, front, s))]:
        pts = np.asarray(mk["points"])
        pd.markings.append(mk)  # drill holes 1 cm inside both points, where the stitching ends
        pd.mark("drill", [pts[0] + (0, 1.0)])
        pd.mark("drill", [pts[2] - (0, 1.0)])
    return pd
