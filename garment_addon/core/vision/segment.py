"""Person and garment segmentation on the CPU with OpenCV and NumPy (the light path).

person: the alpha channel of a transparent PNG; a colour-distance threshold for plain
(studio, near-white product) backgrounds; otherwise GrabCut seeded by a model of the
border colours. MediaPipe's selfie/pose segmentation replaces this when it is installed
(see mp_backend.py).

garment vs body: the face (top of the silhouette) gives the body's colour, whether skin or a
grey mannequin; pixels that match it, or look like skin, are body. The rest is clothing,
split into garments by colour clusters (see analyze.py).
"""

from __future__ import annotations

import functools

import cv2
import numpy as np

from ..imageio import cutout

WORK_SIDE = 360  # analysis resolution (longest side): silhouettes need no more
# a foreground block this share of the frame, filled this much, is a backdrop inside a frame
BACKDROP_AREA, BACKDROP_FILL = 0.2, 0.92
# less of the frame than this off a plain background, or this little Lab distance off it at the
# median: look again for faint contrast
FAINT, FAINT_CONTRAST = 0.03, 20.0
SPECK = 0.01  # a part of a figure's mask under this share of it, apart from the rest, is noise
CUT_AWAY = 0.01  # share of the frame an alpha channel must cut away to be the person's outline


def resize_for_analysis(rgb: np.ndarray, alpha: np.ndarray | None):
    h, w = rgb.shape[:2]
    k = WORK_SIDE / max(h, w)
    if k >= 1:
        return rgb, alpha
    size = (max(16, round(w * k)), max(16, round(h * k)))
    rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA) if alpha is not None else None
    return rgb, alpha


def _clean(mask: np.ndarray, min_frac: float | None = None) -> np.ndarray:
    """The main figure: the largest component with the parts near it, small holes filled.

    Parts are joined through a dilation because a figure can fall apart where a garment's
    colour was taken for background (head, torso and legs must stay one person).
    """
    m = mask.astype(np.uint8)
    k = max(3, int(round(min(m.shape) / 120)) | 1)
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    if m.sum() == 0:
        return m.astype(bool)
    j = max(3, int(0.04 * min(m.shape)) | 1)
    joined = cv2.dilate(m, np.ones((j, j), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(joined, 8)
    areas = np.bincount(lab[m > 0], minlength=n)
    areas[0] = 0
    # exact masks (alpha, plain backgrounds) keep every sizeable part, e.g. a hood cut off at the neck
    keep = [int(np.argmax(areas))] if min_frac is None else np.flatnonzero(areas >= min_frac * areas.max())
    m = (np.isin(lab, keep) & (m > 0)).astype(np.uint8)
    # specks beside the figure (the room's skin-like colours next to an arm) are no part of it:
    # as the outermost "person" pixels they cut a sleeve short
    n_p, parts, part_stats, _ = cv2.connectedComponentsWithStats(m, 8)
    specks = 1 + np.flatnonzero(part_stats[1:, cv2.CC_STAT_AREA] < SPECK * m.sum())
    m[np.isin(parts, specks)] = 0
    # fill small holes
    n3, lab3, st3, _ = cv2.connectedComponentsWithStats(holes(m > 0).astype(np.uint8), 4)
    small = 1 + np.flatnonzero(st3[1:, cv2.CC_STAT_AREA] < 0.003 * m.size)
    m[np.isin(lab3, small)] = 1
    return m.astype(bool)


def holes(mask: np.ndarray) -> np.ndarray:
    """The pixels outside ``mask`` that cannot reach the image border without crossing it."""
    n, lab = cv2.connectedComponents((~mask).astype(np.uint8), connectivity=4)
    border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
    return (lab > 0) & ~np.isin(lab, border)


def _border_pixels(lab: np.ndarray, band: int) -> np.ndarray:
    c = lab.shape[-1]
    return np.concatenate(
        [
            lab[:band].reshape(-1, c),
            lab[-band:].reshape(-1, c),
            lab[:, :band].reshape(-1, c),
            lab[:, -band:].reshape(-1, c),
        ]
    ).astype(np.float32)


def segment_person(rgb: np.ndarray, alpha: np.ndarray | None = None) -> tuple[np.ndarray, str]:
    """(foreground mask, method) for a person or product on any background."""
    cv2.setRNGSeed(0)  # k-means and GrabCut draw from OpenCV's global RNG: same photo, same answer
    easy = easy_background(rgb, alpha)
    if easy is not None:
        return easy
    h, w = rgb.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    band = max(2, int(0.03 * min(h, w)))
    crossing = _crossing_edge(lab, band)
    border = _border_pixels(np.where(crossing[..., None], np.nan, lab), band)
    mask = _grabcut(rgb, lab, border[~np.isnan(border[:, 0])], band, crossing)
    inner = within_backdrop(rgb, mask)
    return (mask, "grabcut") if inner is None else (_clean(inner), "plain")


def _crossing_edge(lab: np.ndarray, band: int) -> np.ndarray:
    """Pixels of the top and bottom bands' middle half that look like a person running out of the
    frame (head, legs): skin, or more colourful than the rest of the border (muted room)."""
    h, w = lab.shape[:2]
    chroma = np.hypot(lab[..., 1] - 128, lab[..., 2] - 128)
    q = w // 4
    room = np.ones((h, w), bool)
    room[band:-band, band:-band] = False
    room[:band, q : w - q] = room[-band:, q : w - q] = False
    limit = np.percentile(chroma[room], 95) + 10
    out = np.zeros((h, w), bool)
    for rows in (slice(0, band), slice(h - band, h)):
        out[rows, q : w - q] = skin_like(lab[rows, q : w - q]) | (chroma[rows, q : w - q] > limit)
    return out


def easy_background(rgb: np.ndarray, alpha: np.ndarray | None = None) -> tuple[np.ndarray, str] | None:
    """(mask, "alpha" | "plain") for transparent PNGs and plain backgrounds, else None."""
    if alpha is not None:
        cut = cutout(alpha)  # the loader's cut-out rule, the same the fit loop reads
        if (~cut).mean() > CUT_AWAY:
            return _clean(cut, 0.02), "alpha"
    plain = _plain_foreground(rgb)
    if plain is None:
        return None
    inner = within_backdrop(rgb, plain)
    return _clean(inner if inner is not None else plain), "plain"


def _plain_foreground(rgb: np.ndarray) -> np.ndarray | None:
    """What differs from a plain background (studio wall with a light gradient, white product
    shot), or None when the border is not plain: a smooth colour model fitted to the border
    explains a plain background everywhere."""
    h, w = rgb.shape[:2]
    # sensor noise would hide a plain background: model colours on a lightly blurred copy
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    band = max(2, int(0.03 * min(h, w)))
    border = _border_pixels(lab, band)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    basis = np.stack([np.ones_like(xx), xx / w, yy / h, (xx / w) ** 2, (yy / h) ** 2], axis=-1)
    bb = _border_pixels(basis, band)
    coef, *_ = np.linalg.lstsq(bb, border, rcond=None)
    spread = np.percentile(np.linalg.norm(border - bb @ coef, axis=1), 90)
    if spread >= 14:
        return None
    dist = np.linalg.norm(lab - basis @ coef, axis=2)
    near = cv2.GaussianBlur(dist, (5, 5), 0)
    fg = near > max(12.0, 1.6 * spread)
    if fg.mean() < FAINT or np.median(near[fg]) < FAINT_CONTRAST:
        # a white garment on white (or grey on grey) is barely off the background, its lit side
        # not at all: average the noise away over a wider window, keep what stands clear of the
        # border's own spread, and let GrabCut follow the cloth's tint from there
        seed = fg | (cv2.GaussianBlur(dist, (0, 0), 3.0) > max(3.0, 1.1 * spread))
        if seed.any():
            fg = _faint_grabcut(rgb, seed, band)
    return fg


def _faint_grabcut(rgb: np.ndarray, seed: np.ndarray, band: int) -> np.ndarray:
    """Grow a faint garment's seed where its tint goes on: a lit side can match the background's
    lightness but not the cloth's tint, which GrabCut's colour models tell apart (the border is
    sure background, the seed's core sure garment)."""
    mask = np.full(seed.shape, cv2.GC_PR_BGD, np.uint8)
    mask[seed] = cv2.GC_PR_FGD
    core = cv2.erode(seed.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    if not core.any():
        return seed
    mask[core] = cv2.GC_FGD
    mask[:band] = mask[-band:] = mask[:, :band] = mask[:, -band:] = cv2.GC_BGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    cv2.grabCut(cv2.GaussianBlur(rgb, (5, 5), 0)[..., ::-1].copy(), mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


def within_backdrop(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
    """The figure on a plain backdrop that ``mask`` found as one nearly rectangular block (a
    studio backdrop or a render's ground seen inside a lighter frame), or None.

    The frame is then the background and the whole backdrop the "object"; inside the block its
    own border is the backdrop, and the figure on it what differs from that."""
    n, lab_c, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if n < 2:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = stats[i]
    if bw * bh < BACKDROP_AREA * mask.size or area < BACKDROP_FILL * bw * bh:
        return None
    d = max(2, int(0.02 * min(bw, bh)))  # off the block's blurred edge
    inner = _plain_foreground(rgb[y + d : y + bh - d, x + d : x + bw - d])
    if inner is None or inner.mean() > BACKDROP_FILL:
        return None
    out = np.zeros(mask.shape, bool)
    out[y + d : y + bh - d, x + d : x + bw - d] = inner
    return out


@functools.cache
def _face_cascade():
    try:
        c = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    except (AttributeError, cv2.error):  # an OpenCV build without its data files
        return None
    return None if c.empty() else c


def detect_face(rgb: np.ndarray) -> tuple[int, int, int, int] | None:
    """The largest frontal face (x, y, w, h) found by OpenCV's Haar cascade, or None."""
    cascade = _face_cascade()
    if cascade is None:
        return None
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    faces = cascade.detectMultiScale(gray, 1.1, 5, minSize=(max(12, min(gray.shape) // 30),) * 2)
    if len(faces) == 0:
        return None
    return tuple(int(v) for v in max(faces, key=lambda f: f[2] * f[3]))


def _face_prior(mask: np.ndarray, face, band: int) -> None:
    """Seed GrabCut with a person under a detected face: the face is sure foreground, head and
    body below it probable foreground, and the bottom edge under the body is not background
    (portraits are cut by the frame)."""
    h, w = mask.shape
    x, y, fw, fh = face
    cx = x + fw / 2
    body = np.zeros_like(mask)
    cv2.ellipse(body, (int(cx), int(y + 0.45 * fh)), (int(0.75 * fw), int(1.0 * fh)), 0, 0, 360, 1, -1)
    chin = y + fh
    pts = [
        (cx - 1.2 * fw, chin),
        (cx + 1.2 * fw, chin),
        (cx + 2.4 * fw, chin + 1.5 * fh),
        (cx + 2.4 * fw, h),
        (cx - 2.4 * fw, h),
        (cx - 2.4 * fw, chin + 1.5 * fh),
    ]
    cv2.fillPoly(body, [np.round(pts).astype(np.int32)], 1)
    mask[(body > 0) & (mask != cv2.GC_FGD)] = cv2.GC_PR_FGD
    bottom = body[-band:] > 0
    mask[-band:][bottom] = cv2.GC_PR_FGD
    mask[y + fh // 5 : y + 4 * fh // 5, x + fw // 4 : x + 3 * fw // 4] = cv2.GC_FGD


def _grabcut(rgb: np.ndarray, lab: np.ndarray, border: np.ndarray, band: int,
             crossing: np.ndarray | None = None) -> np.ndarray:
    """GrabCut seeded by distance to the border's colour clusters (a cluttered scene) and, when a
    face is found, by the person under it."""
    h, w = rgb.shape[:2]
    k = 10
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    sample = border[np.random.default_rng(0).permutation(len(border))[:3000]]
    _, _, centres = cv2.kmeans(sample, k, None, crit, 2, cv2.KMEANS_PP_CENTERS)
    flat = lab.reshape(-1, 3)
    d = np.min(np.linalg.norm(flat[:, None, :] - centres[None], axis=2), axis=1).reshape(h, w)
    d = cv2.GaussianBlur(d, (5, 5), 0)
    mask = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    # a person is near the middle: colours unlike the border there are probable foreground,
    # skin in the middle is sure foreground
    yy, xx = np.mgrid[0:h, 0:w]
    centre = np.abs(xx - w / 2) < 0.42 * w
    mask[d > 15] = cv2.GC_PR_FGD
    sure = ((d > 45) | skin_like(lab)) & (np.abs(xx - w / 2) < 0.3 * w) & (d > 15) & centre
    sure = cv2.erode(sure.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    mask[sure] = cv2.GC_FGD
    mask[:band] = mask[-band:] = mask[:, :band] = mask[:, -band:] = cv2.GC_BGD
    if crossing is not None:  # a person running out of the frame is not background there
        mask[crossing] = cv2.GC_PR_FGD
    face = detect_face(rgb)
    if face is not None:
        _face_prior(mask, face, band)
    if not (mask == cv2.GC_FGD).any() or not np.isin(mask, (cv2.GC_BGD, cv2.GC_PR_BGD)).any():
        # GrabCut needs samples of both: a figure crossing the whole border leaves no background
        # (a dress photographed edge to edge, train/dress/041c6bde, crashed analyze here)
        return _clean(d > 22)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)  # GrabCut's GMM initialisation draws from OpenCV's global RNG
    cv2.grabCut(rgb[..., ::-1].copy(), mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    raw = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    fg = _clean(raw)
    if face is not None:  # a collar or helmet ring can cut the head off the body: keep both
        n, comp = cv2.connectedComponents(raw.astype(np.uint8), connectivity=8)
        at = comp[face[1] + face[3] // 2, face[0] + face[2] // 2]
        if at:
            fg |= comp == at
    return _clean(fg | _touching_skin(lab, fg, xx, w), 0.02 if face is not None else None)


def _touching_skin(lab: np.ndarray, fg: np.ndarray, xx: np.ndarray, w: int) -> np.ndarray:
    """Skin-coloured regions that touch the figure near the middle: a face, arms or legs whose
    tone also occurs in the background (GrabCut then gives them away)."""
    skin = skin_like(lab).astype(np.uint8)
    skin = cv2.morphologyEx(skin, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, lab_s, stats, _ = cv2.connectedComponentsWithStats(skin, 8)
    near = cv2.dilate(fg.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    out = np.zeros_like(fg)
    for i in range(1, n):
        comp = lab_s == i
        if (comp & near).any() and (np.abs(xx[comp] - w / 2) < 0.35 * w).mean() > 0.8:
            out |= comp
    return out


def symmetry_axis(mask: np.ndarray, lab: np.ndarray | None = None, k: int = 8) -> tuple[float, float]:
    """(x of the vertical axis the mask is most mirror-symmetric about, fraction of its pixels
    whose mirror image is in the mask too).

    The axis maximises the overlap of the mask with its mirror image: the self-convolution of
    each row at 2·axis (FFT), as a fraction of the row, summed over rows, so each row votes with
    at most 1. With ``lab`` colours, a pixel only overlaps its mirror in the same colour cluster
    (k-means): a row that GrabCut filled from the legs to a box beside them is one run of mask,
    symmetric about its own middle, but not in colour. Clutter joined to one side, which moves a
    centroid, a row's midpoint or a head's centre, then moves no vote of the clean rows."""
    m = mask.astype(np.float32)
    total = float(m.sum())
    if total == 0:
        return mask.shape[1] / 2, 0.0
    layers = m[None]
    if lab is not None and total > 4 * k:
        pts = lab[mask].astype(np.float32)
        crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
        cv2.setRNGSeed(0)
        _, labels, _ = cv2.kmeans(pts, k, None, crit, 1, cv2.KMEANS_PP_CENTERS)
        cluster = np.full(mask.shape, -1, np.int32)
        cluster[mask] = labels.ravel()
        layers = (cluster[None] == np.arange(k)[:, None, None]).astype(np.float32)
    n = 2 * mask.shape[1]
    f = np.fft.rfft(layers, n=n, axis=2)
    per_row = 1 / np.maximum(m.sum(axis=1, keepdims=True), 1)
    votes = np.fft.irfft(((f * f).sum(axis=0) * per_row).sum(axis=0), n=n)
    c2 = int(np.argmax(votes))  # x mirrors to c2 - x
    mx = c2 - np.arange(m.shape[1])
    ok = (mx >= 0) & (mx < m.shape[1])
    return c2 / 2, float((m[:, ok] * m[:, mx[ok]]).sum()) / total


def skin_like(lab: np.ndarray) -> np.ndarray:
    """Broad skin-tone test in Lab (light to dark skin): warm, moderately saturated."""
    L, a, b = lab[..., 0], lab[..., 1] - 128, lab[..., 2] - 128
    return (L > 40) & (L < 245) & (a > 5) & (a < 32) & (b > 8) & (b < 42) & (b > 0.55 * a)
