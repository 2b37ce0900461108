"""The garment's mask when it is photographed alone on a real background: laid on a floor, carpet,
bed or tiles, hung on a hanger or a door (most home photos of clothes).

The background is what the image border shows, but a garment that fills the frame touches the
border too. So the photo's colours are clustered once (k-means in Lab) and a cluster counts as
background only where it is common along the border and not more common in the middle of the
frame; its pixels on the border seed GrabCut as sure background, and the middle's other colours
as sure garment. Every colour of a print joins the garment (no cluster is measured alone).

Whether a person wears it: a frontal face with skin in it, or skin in a share of the figure that
a garment alone does not show. A garment whose own colour is skin-like (orange, beige, pink) is
most of its mask, not a part of it.
"""

from __future__ import annotations

import cv2
import numpy as np

from .body_frame import body_frame
from .segment import _clean, detect_face, segment_person, skin_like, within_backdrop

GRABCUT_SIDE = 200  # GrabCut's working resolution (longest side): 0.1-0.3 s per photo on one core
HEAD_SIDE = 120  # resolution of the second look for a person's head
HEAD_WIDTH = 0.2  # a head is at least this share of the shoulders' width (a face is ~0.35)
CLUSTERS = 12
# skin share of a figure above which the skin-like colour is the garment's own (a person in a
# vest and shorts shows 0.5-0.65; orange, beige and pink garments alone 0.6-1.0)
ALL_SKIN = 0.75
SOME_SKIN = 0.08  # below: no person shows (what skin-like there is lies in a print or a floor)
SKIN_PATCH = 0.2  # the largest skin patch's share of the skin on a person (head, torso or a leg)
HEAD_SKIN = 0.3  # skin share of a head (the rest: hair)
FACE_TOP = 0.5  # a face lies above this fraction of the figure's height (a portrait cut at the chest: 0.41)
# Lab distance (lightness at half weight) of a head from the torso below it (a grey mannequin's
# head above a pale orange render of a vest: 22), and of skin from the clothes beside it
HEAD_CONTRAST, SKIN_CONTRAST = 15.0, 25.0
# Lab chroma (a, b off grey) a head of another colour than the clothes may have: a mannequin's is
# white, grey or black (0-3 on our renders), a face skin-toned; a two-tone garment's yoke or collar
# read as a head is coloured (a blue-yoked black vest on a hanger: 40, a green one 21)
HEAD_NEUTRAL = 12.0
# A head without skin (hair, a mannequin's) sits on a neck: the figure narrows below the head's widest
# row to under NECK of it (synthetic people 0.52-0.77). A hood laid out or hung widens on into the
# shoulders (train/outwear: a grey hood on a green bomber 0.89, on a grey puffer 0.95, a navy one 1.0).
NECK = 0.85


def body_coloured(lab_colour: np.ndarray) -> bool:
    """Whether a (median Lab) colour can be a body's: skin-toned, or near-neutral like a mannequin."""
    c = np.asarray(lab_colour, np.float32).reshape(1, 1, 3)
    return bool(skin_like(c)[0, 0]) or float(np.hypot(c[0, 0, 1] - 128, c[0, 0, 2] - 128)) < HEAD_NEUTRAL


def _band(shape: tuple[int, int], width: int) -> np.ndarray:
    ring = np.zeros(shape, bool)
    ring[:width] = ring[-width:] = True
    ring[:, :width] = ring[:, -width:] = True
    return ring


def _colour_clusters(lab: np.ndarray) -> np.ndarray:
    """Each pixel's k-means cluster (seeded: the same photo gives the same mask)."""
    pts = lab.reshape(-1, 3)
    sample = pts[np.random.default_rng(0).permutation(len(pts))[:4000]]
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(0)
    _, _, centres = cv2.kmeans(sample, CLUSTERS, None, crit, 2, cv2.KMEANS_PP_CENTERS)
    d = np.linalg.norm(pts[:, None, :] - centres[None], axis=2)
    return d.argmin(axis=1).reshape(lab.shape[:2])


def object_mask(rgb: np.ndarray) -> np.ndarray:
    """Mask of the object in the middle of the photo against the background at its border."""
    h, w = rgb.shape[:2]
    k = min(1.0, GRABCUT_SIDE / max(h, w))
    small = cv2.resize(rgb, (max(16, round(w * k)), max(16, round(h * k))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    ring = _band((sh, sw), max(3, int(0.04 * min(sh, sw))))
    middle = np.zeros((sh, sw), bool)
    middle[int(0.3 * sh) : int(0.7 * sh), int(0.3 * sw) : int(0.7 * sw)] = True
    cluster = _colour_clusters(lab)
    on_border = np.bincount(cluster[ring], minlength=CLUSTERS) / ring.sum()
    in_middle = np.bincount(cluster[middle], minlength=CLUSTERS) / middle.sum()
    background = ((on_border > 0.02) & (on_border > 0.5 * in_middle))[cluster]
    mask = np.where(background, cv2.GC_PR_BGD, cv2.GC_PR_FGD).astype(np.uint8)
    mask[ring & background] = cv2.GC_BGD
    sure = cv2.erode((middle & ~background).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    mask[sure] = cv2.GC_FGD
    if (mask == cv2.GC_FGD).any() and (mask == cv2.GC_BGD).any():
        bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        cv2.setRNGSeed(0)
        cv2.grabCut(small[..., ::-1].copy(), mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    fg = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8)
    mask = _clean(cv2.resize(fg, (w, h), interpolation=cv2.INTER_LINEAR) > 0)
    inner = within_backdrop(rgb, mask)  # a backdrop laid or hung inside the photo
    return mask if inner is None else _clean(inner)


def head_rows(mask: np.ndarray) -> np.ndarray | None:
    """The head's rows of the figure (narrow above wide shoulders: body_frame's test, but not a
    thin hook), or None."""
    fr = body_frame(mask, max(2, int(0.03 * min(mask.shape))))
    if fr is None or not fr.has_head:
        return None
    widths = mask.sum(axis=1)
    head_w = widths[max(fr.y(0.0), 0) : max(fr.y(0.12), 1)].max(initial=0)
    shoulders = widths[max(fr.y(0.15), 0) : max(fr.y(0.3), 1)].max(initial=0)
    if head_w < HEAD_WIDTH * shoulders:  # a hanger's hook or a loop is no head
        return None
    rows = np.arange(mask.shape[0])[:, None]
    return mask & (rows >= fr.y(0.0)) & (rows < fr.y(0.12))


def _on_a_neck(head: np.ndarray, figure: np.ndarray) -> bool:
    """Whether the figure narrows to a neck below the head's widest row (see NECK)."""
    widths = figure.sum(axis=1)
    rows = np.flatnonzero(head.any(axis=1))
    widest = rows[0] + int(np.argmax(widths[rows]))
    return bool(widths[widest : rows[-1] + len(rows)].min() < NECK * widths[widest])


def _other_colour(lab: np.ndarray, part: np.ndarray, other: np.ndarray, contrast: float) -> bool:
    """Whether ``part`` and ``other`` differ in colour (median Lab, lightness at half weight)."""
    if part.sum() < 10 or other.sum() < 10:
        return False
    w = np.array([0.5, 1.0, 1.0], np.float32)
    return float(np.linalg.norm((np.median(lab[part], axis=0) - np.median(lab[other], axis=0)) * w)) > contrast


def _persons_head(
    lab: np.ndarray, head: np.ndarray | None, figure: np.ndarray, skin_counts: bool = True
) -> bool:
    """A head shape that is a person's or a mannequin's: skin (unless ``skin_counts`` is off: the
    garment's own colour is skin-like), or another colour than the chest or the hips below it (a
    strap, waistband, hood or collar read as a head has the garment's own, and a head of another
    colour must be one a body can have: ``body_coloured``, on a neck unless it shows skin)."""
    if head is None or head.sum() < 10:
        return False
    skinned = skin_like(lab[head]).mean() > HEAD_SKIN
    if skin_counts and skinned:
        return True
    if not body_coloured(np.median(lab[head], axis=0)):  # a coloured "head" is the garment's own part
        return False
    if not skinned and not _on_a_neck(head, figure):  # a grey or black hood, not a mannequin's head
        return False
    ys, xs = np.nonzero(figure)
    top, height = ys.min(), ys.max() - ys.min()
    cx, half = np.median(xs), 0.25 * (xs.max() - xs.min())
    rows, cols = np.mgrid[0 : figure.shape[0], 0 : figure.shape[1]]
    centre = figure & (np.abs(cols - cx) < half)
    # the chest, then the hips: a mannequin or a person in a skirt or trousers alone has a bare
    # chest of the head's colour, and the garment's colour only lower down
    for lo, hi in ((0.25, 0.45), (0.45, 0.65)):
        band = centre & (rows >= top + lo * height) & (rows < top + hi * height)
        if band.sum() >= 10 and _other_colour(lab, head, band, HEAD_CONTRAST):
            return True
    return False


def person_in_photo(rgb: np.ndarray, mask: np.ndarray) -> bool:
    """Whether someone wears the garment: a frontal face with skin on the figure, a head on the
    figure, or some skin beside a garment of another colour. A figure that is nearly all
    skin-coloured, or whose skin-like part has the rest's colour, is a beige, orange or pink
    garment alone (its shading crosses the skin test's bounds)."""
    if not mask.any():
        return False
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    skin = skin_like(lab)
    face = detect_face(rgb)
    if face is not None:
        # prints, checks and wood grain fire the face detector too: a face is skin, at the top of
        # the figure or above it (the figure's mask may have left the face out)
        x, y, fw, fh = face
        ys, xs = np.nonzero(mask)
        top = ys.min() + FACE_TOP * (ys.max() - ys.min())
        if skin[y : y + fh, x : x + fw].mean() > 0.5 and y + fh / 2 < top and xs.min() - fw < x < xs.max():
            return True
    share = float(skin[mask].mean())
    head = head_rows(mask)
    if share > ALL_SKIN:  # skin-like clothes: a head of another colour than the clothes below it
        return _persons_head(lab, head, mask, skin_counts=False)
    if _persons_head(lab, head, mask):
        return True
    if share < SOME_SKIN:
        return False
    # a face, arms and legs are a few large patches; a print's skin-like colour is many small ones
    _, _, stats, _ = cv2.connectedComponentsWithStats((mask & skin).astype(np.uint8), 8)
    if stats[1:, cv2.CC_STAT_AREA].max(initial=0) < SKIN_PATCH * (mask & skin).sum():
        return False
    return _other_colour(lab, mask & skin, mask & ~skin, SKIN_CONTRAST)


def laid_out_garment(rgb: np.ndarray) -> np.ndarray | None:
    """The garment's mask when the photo shows it alone on a real background, else None.

    The colour-cluster mask can leave out a person's skin and hair where the room has their
    colours (and then has no head); the person segmentation is asked too, at a third of the
    analysis resolution (a head's shape needs no more): a head there that the garment's mask does
    not cover is a person's."""
    mask = object_mask(rgb)
    if mask.sum() < 0.01 * mask.size or person_in_photo(rgb, mask):
        return None
    h, w = rgb.shape[:2]
    k = min(1.0, HEAD_SIDE / max(h, w))
    small = cv2.resize(rgb, (max(16, round(w * k)), max(16, round(h * k))), interpolation=cv2.INTER_AREA)
    person = cv2.resize(segment_person(small)[0].astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    head = head_rows(person)
    if head is not None and (head & mask).sum() < 0.5 * head.sum():
        lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
        skin_counts = skin_like(lab[mask]).mean() < SOME_SKIN  # an orange garment's top is "skin"
        if _persons_head(lab, head, mask, skin_counts):
            return None
    return mask
