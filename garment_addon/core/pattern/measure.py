"""Finished measurements of a drafted pattern, against the body and the declared ease.

A sewist checks a pattern by measuring it flat: at the bust, waist, hip and thigh lines she
adds up the seam-line widths of the pieces that go round the body (a button overlap counted
once, darts closed). ``finished_girths`` does that on the pattern itself, so it measures what
the drafting really drew; ``declared_ease`` is what the drafting means to add for the
spec's type, fit and fabric (pattern.spec), so the two can be compared girth by girth.
"""

from __future__ import annotations

import numpy as np

from ..garments import TYPES
from .drafting.ease import HIP_DEPTH, band_waist_ease, spec_ease, top_waist_ease
from .drafting.jumpsuit import legs_waist
from .geometry import roll
from .model import Pattern, Piece

# girths whose declared ease is the least the drafting gives: a trouser thigh gets whatever more the
# crotch extensions (drafted from the hip) make it
AT_LEAST = ("thigh",)
TORSO = ("torso_front", "torso_back")
THIGH_BELOW_CROTCH = 2.5  # cm: where a thigh is measured, below the crotch


def _span(ring: np.ndarray, y: float, keep=(-np.inf, np.inf)) -> float:
    """Total length of a horizontal line at height y inside a closed ring (even-odd crossings; the
    line is nudged 1e-7 cm up so it never passes through a vertex), counted only within ``keep``
    (x from, to)."""
    y = y + 1e-7
    nxt = roll(ring, -1)
    ya, yb = ring[:, 1], nxt[:, 1]
    hit = (ya - y) * (yb - y) < 0
    xa, xb = ring[hit, 0], nxt[hit, 0]
    xs = np.clip(np.sort(xa + (y - ya[hit]) / (yb[hit] - ya[hit]) * (xb - xa)), *keep)
    return float((xs[1::2] - xs[0::2]).sum())


def front_edge_range(piece: Piece) -> tuple[float, float]:
    """The x range up to an open front's edge line (everything for other pieces): a lapel drawn past
    it turns back over its roll line when worn and adds nothing round the body."""
    if not any(e.name == "opening" for e in piece.edges):
        return -np.inf, np.inf
    x = float(np.mean(piece.edge_points("opening")[:, 0]))
    return (-np.inf, x) if np.mean(np.asarray(piece.outline)[:, 0]) < x else (x, np.inf)


def width_at(piece: Piece, y: float) -> float:
    """Seam-line width of ``piece`` along the level y (gaps such as open darts are not counted)."""
    w = _span(np.asarray(piece.outline, float), y, front_edge_range(piece))
    for mk in piece.markings:  # an internal (fish-eye) dart is sewn shut: its width is taken out
        if mk.get("kind") == "dart" and len(mk.get("points", [])) >= 3:
            w -= _span(np.asarray(mk["points"], float), y)
    return w


def _spec(pattern: Pattern):
    """The pattern's spec, or None when it has none we draft (imported, hand-made)."""
    from ..spec import SpecError, make_spec

    try:
        return make_spec(pattern.spec) if (pattern.spec or {}).get("garment_type") else None
    except SpecError:
        return None


def _lm(piece: Piece, name: str) -> float | None:
    v = piece.landmarks.get(name)
    return float(v[1]) if v is not None else None


def _sum_at(pieces: list[Piece], level) -> float | None:
    total = 0.0
    for p in pieces:
        y = level(p)
        if y is None:
            return None
        total += width_at(p, y)
    return total


def finished_girths(pattern: Pattern) -> dict[str, float]:
    """{girth: finished cm} for the girths this garment has (bust, waist, hip, thigh, knee), read off
    the parts it has: a bodice (torso pieces), a skirt, trouser legs."""
    spec = pattern.spec or {}
    pieces = pattern.pieces
    torso = [p for p in pieces if p.body_region in TORSO]
    skirt = [p for p in pieces if p.body_region.startswith("skirt")]
    legs = [p for p in pieces if p.body_region.startswith("leg_")]
    out: dict[str, float | None] = {}
    if torso:
        overlap = float(spec.get("measurements", {}).get("front_overlap", 0.0))
        # an open front: the two stands lie on top of each other once buttoned
        lap = 2 * overlap if any(p.name == "right_front" for p in torso) else 0.0
        v = _sum_at(torso, lambda p: _lm(p, "underarm_level") - 0.05)
        if v is not None:
            out["bust"] = v - lap
        waist = lambda p: _lm(p, "waist_center")  # noqa: E731
        if all(waist(p) is not None and waist(p) >= 0 for p in torso):
            out["waist"] = _sum_at(torso, lambda p: max(waist(p), 0.3)) - lap
        hip = lambda p: (waist(p) or 0.0) - HIP_DEPTH  # noqa: E731
        if not (skirt or legs) and all(hip(p) >= 0.0 for p in torso):  # a hem on the hip line: just above
            out["hip"] = _sum_at(torso, lambda p: max(hip(p), 0.3)) - lap
    if skirt:
        if not torso:
            out["waist"] = _sum_at(skirt, lambda p: _lm(p, "waist_center") - 0.3)
        out["hip"] = _sum_at(skirt, lambda p: _lm(p, "hip_center"))
    if legs:  # the waist is the legs' (a jumpsuit's bodice is gathered onto the band they hang from)
        out["waist"] = sum(p.edge_length(e) for p in legs for e in ("waist", "waist_side")
                           if any(x.name == e for x in p.edges))
        out["hip"] = _sum_at(legs, lambda p: _lm(p, "hip_level"))
        one = [p for p in legs if p.body_region.startswith("leg_left")]
        out["thigh"] = _sum_at(one, lambda p: _lm(p, "crotch") - THIGH_BELOW_CROTCH)
        if all((_lm(p, "knee_center") or 0) > 2 for p in one):
            out["knee"] = _sum_at(one, lambda p: _lm(p, "knee_center"))
    return {k: round(v, 2) for k, v in out.items() if v is not None}


def declared_ease(spec, pattern: Pattern | None = None) -> dict[str, float]:
    """The ease the drafting adds to each girth for this spec (cm); a girth left out is not fitted
    (a loose top's waist hangs straight from the bust). ``pattern``: the drafted pattern, where the
    rule reads it (a jumpsuit's legs' waist follows its bodice's bottom)."""
    e = spec_ease(spec)
    parts = TYPES[spec.garment_type].parts
    lower = {"hip": e["hip"]}
    if "pants" in parts:
        lower.update(thigh=e["thigh"], knee=e["knee"])
    if "bodice" not in parts:
        return {"waist": band_waist_ease(spec.fit), **lower}
    m = spec.m
    w = top_waist_ease(spec)
    out = {"bust": e["bust"]}
    if w is not None:
        out["waist"] = w
    if "pants" in parts:  # a jumpsuit hangs from the trousers' waist band (wider under a wide bodice)
        out["waist"] = (band_waist_ease(spec.fit) if pattern is None
                        else legs_waist(spec, _bodice_bottom(pattern)) - m["waist"])
    if len(parts) > 1:  # the bodice ends at a waist seam: the hip is the skirt's or the trousers'
        return {**out, **lower}
    # a top is never narrower at the hip than at its waist; a loose one hangs straight from the bust
    floor = m["bust"] + e["bust"] if w is None else m["waist"] + w
    return {**out, "hip": max(e["hip"], floor - m["hip"])}


def _bodice_bottom(pattern: Pattern) -> float:
    """Length round a jumpsuit's bodice bottom: its edges sewn to the waist band (overalls': bands)."""
    band = [s.a if s.b.piece.endswith("waist_band") else s.b for s in pattern.seams
            if s.a.piece.endswith("waist_band") != s.b.piece.endswith("waist_band")]
    return sum(pattern.piece(r.piece).edge_length(r.edge) for r in band
               if (pattern.piece(r.piece).body_region or "").startswith("torso"))


def measurement_table(pattern: Pattern, spec=None) -> list[dict]:
    """Rows {girth, body, finished, ease, declared, at_least, ok}: ok within 1 cm of body + declared
    ease (at least that, for an ``at_least`` girth). Empty for a pattern without a spec (imported)."""
    spec = spec or _spec(pattern)
    if spec is None:
        return []
    got = finished_girths(pattern)
    want = declared_ease(spec, pattern)
    rows = []
    for k, v in got.items():
        body = spec.m[k]
        dec = want.get(k)
        rows.append({"girth": k, "body": round(body, 2), "finished": v, "ease": round(v - body, 2),
                     "declared": None if dec is None else round(dec, 2),
                     "at_least": k in AT_LEAST, "ok": _ok(v - body, dec, k in AT_LEAST)})
    return rows


def _ok(ease: float, declared: float | None, at_least: bool) -> bool:
    if declared is None:
        return True
    return bool(ease >= declared - 1.0) if at_least else bool(abs(ease - declared) <= 1.0)


def format_rows(rows: list[dict]) -> str:
    """The finished-measurements table as text (``check`` and page 1 of a print)."""
    head = ("girth", "body", "finished", "ease", "declared", "ok")
    body = [(r["girth"], f"{r['body']:.1f}", f"{r['finished']:.1f}", f"{r['ease']:+.1f}",
             "-" if r["declared"] is None else ("at least " if r["at_least"] else "") + f"{r['declared']:+.1f}",
             "ok" if r["ok"] else "OFF") for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    return "\n".join("  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in
                               enumerate(zip(row, widths, strict=True))).rstrip() for row in (head, *body))


def under_body(rows: list[dict]) -> list[str]:
    """One line per finished girth smaller than the body (it cannot be put on)."""
    return [f"finished {r['girth']} {r['finished']:.1f} cm is under the body's {r['body']:g} cm"
            for r in rows if r["finished"] < r["body"] - 1e-6]
