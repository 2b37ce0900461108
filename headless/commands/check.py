"""`check`: print a pattern's seam table (lengths, difference, ease) and judge it.

Below the seams, a drafted pattern's finished girths (bust, waist, hip, thigh, knee) against the
body and the ease its fit declares; a girth more than 1 cm off it also exits 1.

Exit status: 0 when every seam is within the tolerance of its declared ease, or when
the pattern came from GarmentCode (their own examples are not length-consistent:
mismatches are reported, not failures); 1 when one of our drafted patterns breaks
the rule (or any pattern with --strict); 2 for bad input.
"""

from __future__ import annotations

import json

from garment_addon.core.inputs import read_pattern
from garment_addon.core.interop.garmentcode import SEAM_TOL, openings, seam_table
from garment_addon.core.pattern.measure import format_rows, measurement_table

from ._common import add_command


def register(sub) -> None:
    p = add_command(sub, "check", "print the seam table of a pattern (or GarmentCode specification)",
                    "python -m headless check out/pattern.json")
    p.add_argument("pattern", help="pattern.json, or a GarmentCode specification JSON")
    p.add_argument("--tol", type=_tolerance, default=SEAM_TOL,
                   help=f"allowed |difference - ease| in cm (default {SEAM_TOL})")
    p.add_argument("--strict", action="store_true", help="exit 1 on any mismatch, imported patterns too")
    p.add_argument("--json", action="store_true", help="print the table as JSON rows instead")
    p.set_defaults(func=run)


def _tolerance(text: str) -> float:
    import argparse
    import math

    try:
        tol = float(text)
    except ValueError:
        tol = math.nan
    if not math.isfinite(tol) or not 0 <= tol <= 100:
        raise argparse.ArgumentTypeError(f"must be a number of cm in 0..100 (got {text!r})")
    return tol


def format_table(rows: list[dict]) -> str:
    head = ("edge a", "edge b", "len a", "len b", "difference", "ease", "ok", "opening")
    body = [(r["a"], r["b"], f"{r['len_a']:.2f}", f"{r['len_b']:.2f}", f"{r['difference']:+.2f}",
             f"{r['ease']:.2f}", "ok" if r["ok"] else "MISMATCH", r["opening"] or "-") for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    def fmt(row) -> str:  # edge names left-aligned, numbers right-aligned
        cells = zip(row, widths, strict=True)
        return "  ".join(str(x).ljust(w) if i < 2 or i == 7 else str(x).rjust(w)
                         for i, (x, w) in enumerate(cells)).rstrip()

    return "\n".join(fmt(row) for row in (head, *body))


def run(args) -> int:
    pattern = read_pattern(args.pattern)
    rows = seam_table(pattern, args.tol)
    bad = [r for r in rows if not r["ok"]]
    imported = pattern.metadata.get("source") == "garmentcode"
    if args.json:
        print(json.dumps(rows, indent=1))  # the seam rows only (a list, as before)
        return 1 if bad and (args.strict or not imported) else 0
    print(format_table(rows))
    print("\nopens: " + ("; ".join(openings(pattern)) or "pulls on, no opening"))
    girths = measurement_table(pattern)
    if girths:  # our own drafts: finished girths against the body and the declared ease
        print("\nfinished measurements (cm):")
        print(format_rows(girths))
    note = " (GarmentCode source: reported, not a failure)" if bad and imported and not args.strict else ""
    off = [r["girth"] for r in girths if not r["ok"]]
    print(f"{len(rows)} seams, {len(bad)} outside {args.tol:g} cm{note}"
          + (f"; finished {', '.join(off)} off the declared ease by over 1 cm" if off else ""))
    return 1 if (bad and (args.strict or not imported)) or off else 0
