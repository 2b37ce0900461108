"""The drape's start: the wrapped garment relaxed, free in space, to the flat pattern's lengths.

Blender's cloth springs rest at their length in the shape the cloth starts from (times a per-vertex
shrink). The wrap stretches a piece one way and squeezes it the other (round a bust, a flared skirt
gathered onto a hip), so no per-vertex scale of the wrapped lengths gives every edge its cut length:
the springs rested 4-6 % off (hoodie 0.048, jumpsuit 0.040, flared dress 0.061 mean |rest / cut - 1|)
and the drape settled that stretched (0.050-0.066). Started from the wrap relaxed to the cut lengths,
the cloth keeps the wrap's curvature and rests near the pattern's lengths.

The drape relaxes it with its seams kept sewn (``seams``). Relaxed with them open, each piece drew
back to its own lengths (seams up to 6-10 cm open), and the sim's sewing springs closed them by
dragging the freer piece to the held one: over the shoulders the vest XL's back (wrapped 2-7 %
stretched) lay 4-9 cm behind its front, which its buttoned stand and the bust held, so the whole
back was pulled forward over the shoulders and rose 2.5 cm, its neckline up the neck and its side
seams with it (front_hem_rise -2.6). Sewn, the pieces share the relax: mean |rest / cut - 1| vest
XL 0.007 -> 0.016, hoodie 0.005 -> 0.014, flared dress 0.011 -> 0.025, still a third of the wrap's.
"""

from __future__ import annotations

import numpy as np

REST_ITERATIONS = 600  # Jacobi steps: mean |length / cut - 1| hoodie 0.058 -> 0.004, flared dress 0.081 -> 0.01
REST_OMEGA = 1.8  # over-relaxation (the moves are averaged over a vertex's edges)
KEEP_OUT_EVERY = 25  # steps between pushes out of the body


def rest_shape(pos: np.ndarray, flat: np.ndarray, edges: np.ndarray, held: np.ndarray | None = None,
               iterations: int = REST_ITERATIONS, keep_out=None, seams: np.ndarray | None = None) -> np.ndarray:
    """``pos`` (n, 3) moved until each edge of ``edges`` (m, 2) is about as long as between the same
    vertices of ``flat`` (n, 2 or 3); ``held`` (n,) bool: vertices that keep their place; ``seams``
    (s, 2): vertex pairs kept together after every step (None: the seams left open). ``keep_out``:
    points -> points moved out of the body, applied every KEEP_OUT_EVERY steps and last (None: free
    in space). Free, a front cut for a full bust relaxed straight through it
    (jumpsuit XXL: 116 vertices up to 4.7 cm inside), and the cloth, started inside the collider,
    stayed there: both breasts came through the drape."""
    i, j = edges[:, 0], edges[:, 1]
    target = np.linalg.norm(flat[j] - flat[i], axis=1)
    n = len(pos)
    degree = np.maximum(np.bincount(edges.ravel(), minlength=n), 1).astype(float)[:, None]
    x = np.array(pos, float)
    free = np.ones(n, bool) if held is None else ~held
    for k in range(iterations):
        if keep_out is not None and k % KEEP_OUT_EVERY == 0:
            x[free] = keep_out(x)[free]
        d = x[j] - x[i]
        length = np.maximum(np.linalg.norm(d, axis=1), 1e-9)
        c = ((length - target) / length * 0.5)[:, None] * d
        move = np.column_stack([np.bincount(i, c[:, k], n) - np.bincount(j, c[:, k], n) for k in range(3)])
        move[~free] = 0.0
        x += REST_OMEGA * move / degree
        if seams is not None and len(seams):
            x = _sewn(x, seams, free)
    if keep_out is not None:
        x[free] = keep_out(x)[free]
    return x if seams is None or not len(seams) else _sewn(x, seams, free)


def _sewn(x: np.ndarray, seams: np.ndarray, free: np.ndarray) -> np.ndarray:
    """``x`` with each seam pair (s, 2) brought together: both to their mean, a free vertex onto a held one."""
    a, b = seams[:, 0], seams[:, 1]
    wa, wb = free[a].astype(float)[:, None], free[b].astype(float)[:, None]
    target = (x[a] * wb + x[b] * wa) / np.maximum(wa + wb, 1.0)
    x = x.copy()
    x[a[free[a]]] = target[free[a]]
    x[b[free[b]]] = target[free[b]]
    return x


def length_error(pos: np.ndarray, flat: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Per edge: its length in ``pos`` over its length in ``flat``, minus 1."""
    i, j = edges[:, 0], edges[:, 1]
    return np.linalg.norm(pos[j] - pos[i], axis=1) / np.maximum(np.linalg.norm(flat[j] - flat[i], axis=1), 1e-9) - 1


def free_runs(mesh) -> list[np.ndarray]:
    """The pattern edges sewn to nothing (a hem, a hood's face edge, a pocket's opening), each as its
    global vertex indices from its start to its end."""
    sewn = np.zeros(len(mesh.verts2d), bool)
    sewn[mesh.seam_pairs.ravel()] = True
    runs = [ev + o for pm, o in zip(mesh.pieces, mesh.offsets, strict=True) for ev in pm.edge_verts.values()]
    return [r for r in runs if len(r) > 2 and not sewn[r[1:-1]].any()]


def run_segments(runs: list[np.ndarray]) -> np.ndarray:
    """(k, 2) vertex pairs along ``runs`` (free_runs), one per step."""
    return np.concatenate([np.column_stack([r[:-1], r[1:]]) for r in runs]) if runs else np.zeros((0, 2), np.int64)


# a held free run is re-spaced where a step of it lies shorter than this times its cut: squeezed, it
# buckles; stretched, it only pulls taut (a sleeve's hem, 1.0-1.4 at its underarm corner, is left as laid)
EVEN_BELOW = 0.85


def squeezed_runs(mesh, pos: np.ndarray, held: np.ndarray) -> list[np.ndarray]:
    """The free runs (free_runs) ``held`` all along with a step in ``pos`` under EVEN_BELOW of its cut.
    The wrap can lay a held edge so: a hood's face edge, laid round the head, lay 28 % short of its cut
    at the crown and 29 % over it at the jaw (hoodie M's drape start); the drape holds it there (its
    casing) and, with the springs resting near the cut lengths, the squeezed stretch buckled into a
    zigzag one edge long (the render's ragged hood opening). even_runs re-spaces them, and
    drape.rest_scale rests them at their cut."""
    out = []
    for r in free_runs(mesh):
        step3, step2 = (np.linalg.norm(np.diff(p[r], axis=0), axis=1) for p in (pos, mesh.verts2d))
        if held[r].all() and (step3 / np.maximum(step2, 1e-9)).min() < EVEN_BELOW:
            out.append(r)
    return out


def even_runs(mesh, pos: np.ndarray, runs: list[np.ndarray]) -> np.ndarray:
    """``pos`` with each of ``runs`` (free runs) re-spaced along its own 3-D curve as in the flat
    pattern, the moves carried harmonically into its piece (wrap.spread_moves; the piece's edges
    otherwise kept)."""
    from .wrap import spread_moves

    disp, fixed = np.zeros_like(pos), np.ones(len(pos), bool)
    for r in runs:
        p3 = pos[r]
        s3, s2 = (np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(p[r], axis=0), axis=1))])
                  for p in (pos, mesh.verts2d))
        at = s2 / max(s2[-1], 1e-9) * s3[-1]
        disp[r] = np.column_stack([np.interp(at, s3, p3[:, k]) for k in range(3)]) - p3
        piece = mesh.piece_of[r[0]]
        o, pm = mesh.offsets[piece], mesh.pieces[piece]
        inner = np.ones(len(pm.verts), bool)
        for ev in pm.edge_verts.values():
            inner[ev] = False
        fixed[o + np.nonzero(inner)[0]] = False
    return pos if fixed.all() else pos + spread_moves(mesh, disp, fixed)
