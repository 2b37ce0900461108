"""Exports: ms per format per garment type, packing efficiency, GarmentCode import speed."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from garment_addon.core.export import WRITERS, export_pattern
from garment_addon.core.export.layout import build_sheet
from garment_addon.core.export.pdf import A4, tiled_layout
from garment_addon.core.interop.garmentcode import from_garmentcode
from garment_addon.core.pattern import draft_pattern
from garment_addon.core.spec import GARMENT_TYPES, make_spec

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "garmentcode"
REPEATS = 3


def _ms(fn, repeats: int = REPEATS) -> float:
    fn()  # warm-up: imports, font metrics
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for gtype in GARMENT_TYPES:
            pattern = draft_pattern(make_spec({"garment_type": gtype}))
            sheet = build_sheet(pattern)
            rows.append({"case": gtype, "metric": "packing_efficiency", "value": sheet.efficiency,
                         "unit": "", "target": ">= 0.6"})
            rows.append({"case": gtype, "metric": "sheet_area", "value": sheet.width * sheet.height / 1e4,
                         "unit": "m2", "target": ""})
            pages = len(tiled_layout(pattern, True, A4)[2])  # printed tiles, without info and map pages
            rows.append({"case": gtype, "metric": "pdf_tiled_a4_pages", "value": pages, "unit": "pages",
                         "target": ""})
            for fmt, writer in WRITERS.items():
                if fmt == "json":
                    continue  # our own format: a json.dumps, nothing to measure
                path = Path(tmp) / f"{gtype}.{fmt}{writer.suffix}"
                ms = _ms(lambda pat=pattern, p=path, f=fmt: export_pattern(pat, p, fmt=f))
                rows.append({"case": gtype, "metric": f"ms_{fmt}", "value": ms, "unit": "ms",
                             "target": "< 500" if fmt == "pdf-tiled" else "< 250"})
    for path in sorted(FIXTURES.glob("*_specification.json")):
        data = json.loads(path.read_text())
        ms = _ms(lambda d=data: from_garmentcode(d))
        rows.append({"case": f"gc_{path.stem.replace('_specification', '')}", "metric": "ms_import",
                     "value": ms, "unit": "ms", "target": "< 200"})
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r['case']:<16} {r['metric']:<20} {r['value']:>10.3f} {r['unit']:<4} {r['target']}")
