"""Exports parsed back: SVG (xml), PDF (pypdf), DXF (ezdxf), the sheet layout, and the CLI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import ezdxf
import numpy as np
import pytest
from pypdf import PdfReader
from shapely.geometry import MultiPoint, Polygon

from garment_addon.core.errors import UserError
from garment_addon.core.export import export_pattern, format_from_path, pattern_to_svg
from garment_addon.core.export.layout import build_sheet, grain_turn
from garment_addon.core.pattern.model import Edge, EdgeRef, Pattern, Piece, Seam
from garment_addon.core.progress import Cancelled, Progress
from headless.cli import main

PT = 72 / 2.54
SVG_NS = {"s": "http://www.w3.org/2000/svg"}


def rect_piece(name: str, w: float, h: float, region: str, group: str = "", grain=None) -> Piece:
    """A w x h rectangle: hem (2 cm allowance) at the bottom, 1 cm elsewhere, a notch on the right."""
    outline = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    edges = [Edge("bottom", 0, 1, "hem", 2.0, ("bl", "br")), Edge("right", 1, 2, "seam", 1.0, ("br", "tr")),
             Edge("top", 2, 3, "free", 1.0, ("tr", "tl")), Edge("left", 3, 0, "seam", 1.0, ("tl", "bl"))]
    return Piece(name, outline, edges, cut_group=group or name,
                 grainline=grain or [[w / 2, 0.2 * h], [w / 2, 0.8 * h]], body_region=region,
                 notches=[{"edge": "right", "position": [w, h / 2], "count": 1}],
                 label=[name, "size M"])


def rect_pattern() -> Pattern:
    """front 20 x 30 and back 20 x 30 sewn at both sides, plus mirrored sleeve twins."""
    front, back = rect_piece("front", 20, 30, "torso_front"), rect_piece("back", 20, 30, "torso_back")
    sl = rect_piece("left_sleeve", 12, 25, "arm_left", group="sleeve")
    sr = rect_piece("right_sleeve", 12, 25, "arm_right", group="sleeve")
    sl.cut_count = sr.cut_count = 2
    seams = [Seam(EdgeRef("front", "right"), EdgeRef("back", "left"), True),
             Seam(EdgeRef("back", "right"), EdgeRef("front", "left"), True),
             Seam(EdgeRef("left_sleeve", "right"), EdgeRef("left_sleeve", "left"), True),
             Seam(EdgeRef("right_sleeve", "right"), EdgeRef("right_sleeve", "left"), True)]
    return Pattern([front, back, sl, sr], seams, {"garment_type": "test", "size": "M"})


# ---------------------------------------------------------------- layout

def test_layout_packs_without_overlap_and_keeps_grain_vertical():
    p = rect_pattern()
    # a piece drafted with its grain along x must come out turned upright
    p.pieces[0].grainline = [[2, 15], [18, 15]]
    sheet = build_sheet(p)
    assert [pl.piece.name for pl in sheet.placed] == ["front", "back", "left_sleeve"]  # twins once
    polys = [Polygon(pl.cut) for pl in sheet.placed]
    for i in range(len(polys)):
        for j in range(i + 1, len(polys)):
            assert polys[i].intersection(polys[j]).area < 1e-6
    for pl in sheet.placed:
        g = pl.to_sheet(pl.piece.grainline)
        d = g[1] - g[0]
        assert abs(d[0]) < 1e-6 and abs(d[1]) > 0  # vertical (up, or down when turned 180)
        assert pl.cut.min() >= 0 and pl.cut[:, 0].max() <= sheet.width and pl.cut[:, 1].max() <= sheet.height
    assert grain_turn(p.pieces[0]) == pytest.approx(90.0)
    assert 0.3 < sheet.efficiency <= 1.0
    assert sheet.placed[2].count == 2


def test_layout_turns_pieces_180_to_nest():
    # two trapezoids nest better when one is turned: the packer must use the 180° turn
    def trap(name):
        o = np.array([[0, 0], [40, 0], [30, 20], [10, 20]], float)
        edges = [Edge(f"e{k}", k, (k + 1) % 4, "free", 0.0) for k in range(4)]
        return Piece(name, o, edges, grainline=[[20, 5], [20, 15]])
    sheet = build_sheet(Pattern([trap("a"), trap("b")], []), width=80, seam_allowance=True)
    assert sheet.height < 20 + 25 + 10  # side by side, not stacked
    assert sorted(pl.turn % 360 for pl in sheet.placed) == [0.0, 180.0]


# ---------------------------------------------------------------- SVG

def _svg_paths(group) -> dict[str, list[np.ndarray]]:
    out: dict[str, list[np.ndarray]] = {}
    for path in group.iter("{http://www.w3.org/2000/svg}path"):
        nums = [float(v) for v in re.findall(r"-?\d+\.?\d*", path.get("d"))]
        out.setdefault(path.get("class"), []).append(np.array(nums).reshape(-1, 2))
    return out


def test_svg_is_mm_sheet_with_one_group_per_piece():
    root = ET.fromstring(pattern_to_svg(rect_pattern()))
    assert root.get("width").endswith("mm") and root.get("height").endswith("mm")
    w, h = float(root.get("width")[:-2]), float(root.get("height")[:-2])
    assert root.get("viewBox") == f"0 0 {w:.2f} {h:.2f}"  # 1 user unit = 1 mm
    groups = {g.get("id"): g for g in root.findall("s:g", SVG_NS)}
    assert set(groups) == {"sheet-info", "front", "back", "left_sleeve", "right_sleeve"}
    assert groups["left_sleeve"].get("data-cut-count") == "2"
    assert groups["right_sleeve"].get("data-printed-as") == "left_sleeve" and len(groups["right_sleeve"]) == 0
    texts = " ".join(t.text for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "cut 2" in texts and "10 cm" in texts and "4 in" in texts and "size M" in texts
    front = _svg_paths(groups["front"])
    assert {"cut", "seam", "notch", "grain"} <= set(front)
    cut = front["cut"][0]
    assert np.ptp(cut, axis=0) == pytest.approx([220, 330], abs=0.05)
    seam = front["seam"][0]
    assert np.ptp(seam[:, 0]) == pytest.approx(200, abs=0.05)
    dashed = [p for p in groups["front"].iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "seam"]
    assert dashed[0].get("stroke-dasharray")
    cuts = [Polygon(_svg_paths(groups[n])["cut"][0]) for n in ("front", "back", "left_sleeve")]
    assert all(a.intersection(b).area == 0 for i, a in enumerate(cuts) for b in cuts[i + 1:])


# ---------------------------------------------------------------- PDF

def _subpaths(page) -> list[np.ndarray]:
    """Closed polylines drawn on a page, in points (absolute coordinates)."""
    from pypdf.generic import ContentStream

    ops = ContentStream(page.get_contents(), page.pdf).operations
    out, cur = [], []
    for operands, op in ops:
        if op == b"m":
            cur = [[float(operands[0]), float(operands[1])]]
        elif op == b"l":
            cur.append([float(operands[0]), float(operands[1])])
        elif op == b"h" and cur:
            out.append(np.array(cur))
            cur = []
    return out


def _has_rect(page, w_pt: float, h_pt: float, tol: float = 0.3) -> bool:
    return any(np.allclose(np.ptp(p, axis=0), [w_pt, h_pt], atol=tol) for p in _subpaths(page))


def test_pdf_single_page_is_one_to_one(tmp_path):
    out = export_pattern(rect_pattern(), tmp_path / "p.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    sheet = build_sheet(rect_pattern())
    assert float(page.mediabox.width) == pytest.approx(sheet.width * PT, abs=0.01)
    # the front's cut line (20 + 2 x 1 by 30 + 2 + 1 cm) and its seam line at their true size
    assert _has_rect(page, 22 * PT, 33 * PT)
    assert _has_rect(page, 20 * PT, 30 * PT)
    assert _has_rect(page, 10 * PT, 10 * PT) and _has_rect(page, 4 * 72, 4 * 72)
    text = page.extract_text()
    assert "10 cm" in text and "4 in" in text and "front" in text and "size M" in text


@pytest.mark.parametrize("paper,size", [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))])
def test_pdf_tiled_pages(tmp_path, paper, size):
    out = export_pattern(rect_pattern(), tmp_path / "t.pdf", fmt="pdf-tiled", paper=paper)
    reader = PdfReader(out)
    assert len(reader.pages) >= 4
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.01)
    first = reader.pages[0]
    text = first.extract_text()
    assert "10 cm" in text and "4 in" in text and "size M" in text
    assert _has_rect(first, 10 * PT, 10 * PT) and _has_rect(first, 4 * 72, 4 * 72)
    assert "Assembly map" in reader.pages[1].extract_text()
    labels = []
    for page in reader.pages[2:]:
        t = page.extract_text()
        m = re.search(r"\b([A-Z])(\d+)\b", t)
        assert m, t
        labels.append(m.group(0))
        assert "overlap" in t
    assert len(set(labels)) == len(labels)
    # the front's cut line is drawn at 1:1 on whichever tiles show it (clipped, never scaled)
    assert any(_has_rect(page, 22 * PT, 33 * PT) for page in reader.pages[2:])


def test_pdf_tiled_cancel_leaves_no_file(tmp_path):
    stop = Progress(should_cancel=lambda: True)
    with pytest.raises(Cancelled):
        export_pattern(rect_pattern(), tmp_path / "t.pdf", fmt="pdf-tiled", progress=stop)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- DXF

def test_dxf_units_layers_and_closed_cut_polylines(tmp_path):
    out = export_pattern(rect_pattern(), tmp_path / "p.dxf")
    doc = ezdxf.readfile(out)
    assert doc.header["$INSUNITS"] == 4  # mm
    # ASTM D6673 layer numbers: 1 cut, 4 notches, 7 grain, 8 internal lines, 13 drill, 14 sew, 15 text
    assert {"1", "4", "7", "8", "13", "14", "15"} <= {layer.dxf.name for layer in doc.layers}
    inserts = doc.modelspace().query("INSERT")
    assert sorted(i.dxf.name for i in inserts) == ["back", "front", "left_sleeve"]
    sizes = {}
    for name in ("front", "back", "left_sleeve"):
        block = doc.blocks[name]
        cuts = block.query('LWPOLYLINE[layer=="1"]')
        assert len(cuts) == 1 and cuts[0].closed
        pts = np.array([p[:2] for p in cuts[0].get_points()])
        sizes[name] = tuple(np.round(np.ptp(pts, axis=0), 2))
        assert len(block.query('LWPOLYLINE[layer=="14"]')) == 1
        assert len(block.query('LINE[layer=="4"]')) == 1
        assert len(block.query('LINE[layer=="7"]')) == 1
        assert any("cut" in t.dxf.text for t in block.query('TEXT[layer=="15"]'))
        attrs = {t.dxf.text.split(":")[0] for t in block.query('TEXT[layer=="1"]')}
        assert {"Piece Name", "Size", "Quantity", "Mirror"} <= attrs
    assert sizes["front"] == (220.0, 330.0) and sizes["left_sleeve"] == (140.0, 280.0)
    assert any("size M" in t.dxf.text for t in doc.modelspace().query("TEXT"))


def test_dxf_without_seam_allowance_cuts_on_the_seam_line(tmp_path):
    doc = ezdxf.readfile(export_pattern(rect_pattern(), tmp_path / "p.dxf", seam_allowance=False))
    pts = np.array([p[:2] for p in doc.blocks["front"].query('LWPOLYLINE[layer=="1"]')[0].get_points()])
    assert tuple(np.round(np.ptp(pts, axis=0), 2)) == (200.0, 300.0)
    assert len(doc.blocks["front"].query('LWPOLYLINE[layer=="14"]')) == 0


# ---------------------------------------------------------------- formats and CLI

def test_writer_registry_feeds_the_extensions_and_the_file_filter():
    from garment_addon.core.export import EXTENSIONS, FORMATS, WRITERS, file_filter

    assert FORMATS == tuple(WRITERS) and EXTENSIONS == (".svg", ".pdf", ".dxf", ".json")
    assert file_filter() == "*.svg;*.pdf;*.dxf;*.json"
    assert all(format_from_path(f"x{w.suffix}") in (f, "pdf") for f, w in WRITERS.items())


def test_format_from_path():
    assert format_from_path("a/b.SVG") == "svg" and format_from_path("x_specification.json") == "garmentcode"
    assert format_from_path("pattern.json") == "json" and format_from_path("p.dxf") == "dxf"
    with pytest.raises(UserError, match="format"):
        format_from_path("p.docx")
    with pytest.raises(UserError, match="allowed"):
        export_pattern(rect_pattern(), "x.svg", fmt="eps")


def _write_pattern(tmp_path) -> str:
    path = tmp_path / "pattern.json"
    path.write_text(rect_pattern().to_json())
    return str(path)


@pytest.mark.parametrize("fmt,suffix", [("svg", "svg"), ("pdf", "pdf"), ("pdf-tiled", "pdf"), ("dxf", "dxf"),
                                        ("garmentcode", "json"), ("json", "json")])
def test_cli_export_every_format(tmp_path, capsys, fmt, suffix):
    src = _write_pattern(tmp_path)
    out = tmp_path / f"out.{suffix}"
    assert main(["export", src, "--format", fmt, "--paper", "letter", "-o", str(out)]) == 0
    assert out.stat().st_size > 200
    assert "wrote" in capsys.readouterr().out
    if fmt == "garmentcode":
        assert json.loads(out.read_text())["properties"]["units_in_meter"] == 100


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_cli_export_bad_input(tmp_path, capsys):
    out = tmp_path / "o.svg"
    assert main(["export", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert "not found" in _one_line_error(capsys)
    notpat = tmp_path / "n.json"
    notpat.write_text('{"garment_type": "dress"}')
    assert main(["export", str(notpat), "-o", str(out)]) == 2
    assert "not a garment-studio pattern" in _one_line_error(capsys)
    assert main(["export", _write_pattern(tmp_path), "-o", str(tmp_path / "o.docx")]) == 2
    assert "format" in _one_line_error(capsys)
    with pytest.raises(SystemExit) as exc:
        main(["export", _write_pattern(tmp_path), "--format", "eps", "-o", str(out)])
    assert exc.value.code == 2
    assert "invalid choice" in _one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.json", "pattern.json"]


def test_cli_check_own_pattern_exit_status(tmp_path, capsys):
    src = _write_pattern(tmp_path)
    assert main(["check", src]) == 0
    out = capsys.readouterr().out
    assert "front.right" in out and "back.left" in out and "MISMATCH" not in out
    bad = rect_pattern()
    bad.pieces[1].outline[2:, 1] += 1.0  # back 1 cm longer: its side seams no longer match
    (tmp_path / "bad.json").write_text(bad.to_json())
    assert main(["check", str(tmp_path / "bad.json")]) == 1
    assert "MISMATCH" in capsys.readouterr().out


# ---------------------------------------------------------------- real drafted patterns

from garment_addon.core.garments import GARMENT_TYPES as DRAFT_TYPES  # noqa: E402


def _drafted(garment_type: str) -> Pattern:
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import make_spec

    return draft_pattern(make_spec({"garment_type": garment_type}))


@pytest.mark.parametrize("garment_type", DRAFT_TYPES)
def test_drafted_sheet_svg_and_dxf(tmp_path, garment_type):
    from shapely.geometry import LineString, Point

    pattern = _drafted(garment_type)
    sheet = build_sheet(pattern)
    # shell pieces and the construction pieces (facings, fly shield, neckband) are all printed
    every_piece = [*pattern.pieces, *pattern.construction]
    groups = {p.cut_group or p.name for p in every_piece}
    assert len(sheet.placed) == len(groups)
    cuts = [Polygon(pl.cut) for pl in sheet.placed]
    assert all(a.intersection(b).area < 1e-6 for i, a in enumerate(cuts) for b in cuts[i + 1:])
    for pl, cut in zip(sheet.placed, cuts, strict=True):
        assert cut.is_valid and cut.buffer(1e-6).contains(Polygon(pl.seam[0]))
        g = pl.to_sheet(pl.piece.grainline)
        assert abs(g[1, 0] - g[0, 0]) < 1e-6  # grain vertical on the sheet
        ticks = [p for p in sheet.prims if p.piece == pl.piece.name and p.layer == "notch" and not p.text]
        assert len(ticks) == sum(int(n.get("count", 1)) for n in pl.piece.notches)
        for n in pl.piece.notches:  # each notch's tick is at its notch (a corner once bent it 5 cm away)
            at = Point(*pl.to_sheet([n["position"]])[0])
            assert min(LineString(t.pts).distance(at) for t in ticks) < 2.0, (pl.piece.name, n)
        # where an opening stops, the notch says so (inside the piece)
        marks = [p for p in sheet.prims if p.piece == pl.piece.name and p.layer == "notch" and p.text]
        assert sorted(p.text for p in marks) == sorted(n["mark"] for n in pl.piece.notches if n.get("mark"))
        assert all(Polygon(pl.cut).contains(Point(*p.pts[0])) for p in marks)
        for t in ticks:  # from the cut line into the piece
            assert cut.exterior.distance(Point(t.pts[0])) < 0.06
            assert cut.buffer(1e-6).contains(LineString(t.pts))
    assert 0.4 < sheet.efficiency <= 1.0

    root = ET.fromstring(pattern_to_svg(pattern))
    drawn = {g.get("id") for g in root.findall("s:g", SVG_NS) if len(g)}
    assert drawn == {pl.piece.name for pl in sheet.placed} | {"sheet-info"}
    every = {g.get("id") for g in root.findall("s:g", SVG_NS)}
    assert every == {p.name for p in every_piece} | {"sheet-info"}
    doc = ezdxf.readfile(export_pattern(pattern, tmp_path / "p.dxf"))
    for pl in sheet.placed:
        cut = doc.blocks[pl.piece.name].query('LWPOLYLINE[layer=="1"]')
        assert len(cut) == 1 and cut[0].closed
        pts = np.array([p[:2] for p in cut[0].get_points()])
        assert Polygon(pts).area == pytest.approx(Polygon(pl.cut).area * 100, rel=1e-6)  # mm^2


def test_tiles_share_alignment_marks():
    from garment_addon.core.export.pdf import A4, Grid, _tile_extras

    sheet = build_sheet(_drafted("dress"), squares=False)
    g = Grid(sheet, A4)
    assert g.rows > 1 and g.cols > 1

    def centres(r, c):
        return {tuple(np.round(p.pts.mean(axis=0), 6)) for p in _tile_extras(g, r, c) if p.closed}

    assert len(centres(0, 0)) == 4
    assert len(centres(0, 0) & centres(0, 1)) == 2  # the right pair of one is the left pair of the next
    assert len(centres(0, 0) & centres(1, 0)) == 2
    (x0, y0), (x1, _), (_, y2) = g.origin(0, 0), g.origin(0, 1), g.origin(1, 0)
    assert x1 - x0 == pytest.approx(g.tw - 1.5) and y0 - y2 == pytest.approx(g.th - 1.5)


def test_cli_unwritable_output_exits_2_naming_it(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    src = _write_pattern(tmp_path)
    assert main(["export", src, "-o", str(blocker / "x.svg")]) == 2
    assert _one_line_error(capsys).startswith("error: output: cannot make folder")
    assert main(["export", src, "-o", str(tmp_path) + "/"]) == 2
    assert "is a folder" in _one_line_error(capsys)
    fixture = Path(__file__).parent / "data" / "garmentcode" / "tshirt_specification.json"
    assert main(["import", str(fixture), "-o", str(blocker)]) == 2
    assert "output:" in _one_line_error(capsys)


@pytest.mark.parametrize("garment_type", ["hoodie", "pants"])
def test_tiled_pdf_prints_every_line_on_few_pages(garment_type):
    from shapely.geometry import LineString
    from shapely.ops import unary_union

    from garment_addon.core.export.pdf import A4, Grid, content_box, tiled_layout

    pattern = _drafted(garment_type)
    sheet, g, printed = tiled_layout(pattern, True, A4)
    lines = unary_union([LineString(p.pts) for p in sheet.prims if not p.text and len(p.pts) > 1])
    shown = unary_union([g.window(r, c) for r, c in printed])
    assert lines.difference(shown).length < 1e-3  # nothing drawn is lost
    assert all(lines.intersects(g.window(r, c)) for r, c in printed)  # no blank page
    fabric = build_sheet(pattern, squares=False)  # the old way: fabric width, whole-sheet grid, boxes
    old = Grid(fabric, A4)
    old_pages = sum(1 for r in range(old.rows) for c in range(old.cols)
                    if old.visible(r, c, [p for p in fabric.prims if not p.text]))
    assert len(printed) < old_pages
    assert len(Grid(sheet, A4, content_box(sheet)).printed(sheet.prims)) == len(printed)


@pytest.mark.parametrize("source", ["shirt", "garmentcode_dress"])
def test_labels_sit_beside_the_grainline_not_on_it(source):
    from garment_addon.core.interop.garmentcode import from_garmentcode

    gc = Path(__file__).parent / "data" / "garmentcode" / "dress_specification.json"
    pattern = _drafted(source) if source == "shirt" else from_garmentcode(json.loads(gc.read_text()))
    sheet = build_sheet(pattern)
    labels = [p for p in sheet.prims if p.layer == "label"]
    assert labels and all(p.anchor == "start" for p in labels)  # the sleeve's label was centred on it
    for pl in sheet.placed:
        gx = [p.pts[:, 0].mean() for p in sheet.prims if p.layer == "grain" and p.piece == pl.piece.name][0]
        xs = [p.pts[0, 0] for p in labels if p.piece == pl.piece.name]
        assert all(x > gx for x in xs) or all(x < gx for x in xs)


def test_page_one_says_allowances_cutting_list_measurements_and_fabric(tmp_path):
    p = _drafted("shirt")
    text = PdfReader(export_pattern(p, tmp_path / "t.pdf", fmt="pdf-tiled")).pages[0].extract_text()
    for words in ("Seam allowances", "seams 1 cm", "hems 2.5 cm", "Cutting list", "Back bodice: cut 1",
                  "Left sleeve / Right sleeve: cut 2", "Finished measurements", "bust: body",
                  "114 cm wide:", "150 cm wide:"):
        assert words in text, words
    # the single sheet (and the SVG drawn from it) carries the same block beside the squares
    sheet_text = PdfReader(export_pattern(p, tmp_path / "s.pdf")).pages[0].extract_text()
    assert "Cutting list" in sheet_text and "150 cm wide:" in sheet_text


def test_fabric_requirement_comes_from_a_grain_true_layout_of_every_cut_piece():
    from shapely.geometry import Polygon as Poly

    from garment_addon.core.export.cutting import cut_shapes, fabric_requirement
    from garment_addon.core.export.layout import printed_groups

    p = _drafted("pants")
    shapes = cut_shapes(p)
    assert len(shapes) == sum(count for _, count, _ in printed_groups(p))
    narrow, wide = fabric_requirement(p, 114.0), fabric_requirement(p, 150.0)
    assert narrow["fits"] and wide["fits"]
    assert narrow["length_cm"] >= wide["length_cm"]
    # at least the area of the pieces, at most their stacked height
    area = sum(Poly(s).area for s in shapes)
    assert narrow["length_cm"] * 112 >= area
    assert narrow["length_cm"] <= sum(np.ptp(s[:, 1]) for s in shapes) + 10


def test_half_on_fold_prints_symmetric_pieces_as_halves_with_a_fold_line(tmp_path):
    p = _drafted("skirt")
    whole, half = build_sheet(p), build_sheet(p, half_on_fold=True)
    for a, b in zip(whole.placed, half.placed, strict=True):
        if a.piece.name.startswith("skirt_"):
            assert b.half and Polygon(b.cut).area == pytest.approx(Polygon(a.cut).area / 2, rel=0.01)
            folds = [q for q in half.prims if q.piece == b.piece.name and q.text == "place on the fold"]
            assert folds
        else:  # the waistband is opened out about its own fold, never halved
            assert not b.half
    assert sum(Polygon(q.cut).area for q in half.placed) < 0.8 * sum(Polygon(q.cut).area for q in whole.placed)
    reader = PdfReader(export_pattern(p, tmp_path / "h.pdf", fmt="pdf-tiled", half_on_fold=True))
    full = PdfReader(export_pattern(p, tmp_path / "w.pdf", fmt="pdf-tiled"))
    assert len(reader.pages) < len(full.pages)
    assert main(["export", str(_write(tmp_path, p)), "--half-on-fold", "-o", str(tmp_path / "h.svg")]) == 0


def _write(tmp_path, p: Pattern) -> Path:
    path = tmp_path / "pattern.json"
    path.write_text(p.to_json())
    return path


def test_markings_print_in_svg_pdf_and_dxf(tmp_path):
    p = _drafted("jacket")
    sheet = build_sheet(p)
    front = next(pl for pl in sheet.placed if pl.piece.name == "left_front")
    kinds = {mk["kind"] for mk in front.piece.markings}
    assert {"centre_front", "button", "buttonhole", "pocket", "drill", "dart"} <= kinds
    drawn = [q for q in sheet.prims if q.piece == "left_front" and q.layer in ("marking", "drill")]
    assert len([q for q in drawn if not q.text]) >= len(front.piece.markings)
    inside = Polygon(front.cut).buffer(0.6)  # every mark on the piece (a drill circle may touch the seam)
    assert all(inside.contains(MultiPoint(q.pts)) for q in drawn if not q.text)
    root = ET.fromstring(pattern_to_svg(p))
    assert root.findall(".//s:path[@class='marking']", SVG_NS) and root.findall(".//s:path[@class='drill']", SVG_NS)
    doc = ezdxf.readfile(export_pattern(p, tmp_path / "p.dxf"))
    block = doc.blocks["left_front"]
    assert len(block.query('POINT[layer=="13"]')) >= sum(mk["kind"] in ("drill", "button")
                                                         for mk in front.piece.markings)
    assert block.query('LWPOLYLINE[layer=="8"]') or block.query('LINE[layer=="8"]')


@pytest.mark.parametrize("t,piece,words", [
    ("jacket", "right_front", ("roll line", "break point")),
    ("jacket", "collar", ("roll line",)),
    ("jacket", "front_facing", ("roll line",)),
    ("jacket", "under_collar", ("roll line",)),
    ("dress", "left_back_bodice", ("invisible zip",)),
    ("dress", "left_skirt_back", ("invisible zip", "zip: open to here")),
    ("hoodie", "hem_band", ("fold line",)),
])
def test_new_pieces_print_their_names_numbers_grain_and_markings(tmp_path, t, piece, words):
    """The tailored jacket's, the dress's CB zip and the hoodie's hem band pieces print in SVG, PDF and
    DXF with their numbered name, grainline, notches and marking words; page 1 lists them for cutting."""
    p = _drafted(t)
    sheet = build_sheet(p)
    pl = next((q for q in sheet.placed if piece in q.members), None)
    assert pl is not None, piece
    name = pl.piece.name
    labels = [q.text for q in sheet.prims if q.piece == name and q.layer == "label"]
    assert labels and labels[0][:1].isdigit(), labels
    assert [q for q in sheet.prims if q.piece == name and q.layer == "grain"]
    if pl.piece.notches:
        assert [q for q in sheet.prims if q.piece == name and q.layer == "notch" and not q.text]
    texts = " ".join(q.text for q in sheet.prims if q.piece == name and q.text)
    inside = Polygon(pl.cut).buffer(1.0)
    for w in words:
        assert w in texts, (w, texts)
        for q in sheet.prims:  # the words sit on the piece
            if q.piece == name and q.text and w in q.text:
                assert inside.contains(MultiPoint(q.pts)), (w, q.pts)
    svg = pattern_to_svg(p)
    assert all(w in svg for w in words)
    pdf = PdfReader(export_pattern(p, tmp_path / "p.pdf")).pages[0].extract_text()
    assert all(w in pdf for w in words) and labels[0] in pdf
    doc = ezdxf.readfile(export_pattern(p, tmp_path / "p.dxf"))
    block_text = " ".join(tx.dxf.text for tx in doc.blocks[name].query("TEXT"))
    assert all(w in block_text for w in words)
    if pl.piece.markings:
        block = doc.blocks[name]
        assert block.query('LWPOLYLINE[layer=="8"]') or block.query('LINE[layer=="8"]')
    page1 = PdfReader(export_pattern(p, tmp_path / "t.pdf", fmt="pdf-tiled")).pages[0].extract_text()
    assert " ".join(labels[0].split()[1:3]) in page1.replace("\n", " ")


def test_cutting_list_says_the_under_collar_is_cut_on_the_bias():
    from garment_addon.core.export.cutting import cutting_rows

    rows = cutting_rows(_drafted("jacket"))
    under = next(r for r in rows if "Under collar" in r)
    assert "cut 2" in under and "on the bias" in under
    assert any("Left top sleeve / Right top sleeve: cut 2" in r for r in rows)
    assert any("Front facing: cut 2" in r for r in rows)
    assert any("Back lining: cut 1 lining" in r for r in rows)


def test_lining_is_laid_out_and_bought_apart_from_the_main_fabric():
    from garment_addon.core.export.cutting import cut_shapes, info_sections

    p = _drafted("jacket")
    lining = [pc for pc in p.construction if pc.material == "lining"]
    assert len(cut_shapes(p, "lining")) == sum(pc.cut_count for pc in lining) == 7
    from garment_addon.core.export.layout import printed_groups

    own = sum(n for pc, n, _ in printed_groups(p) if pc.material != "lining")
    assert len(cut_shapes(p)) == own  # the main fabric's layout has no lining piece in it
    fabric = dict(info_sections(p))["Fabric"]
    assert any(line.startswith("lining, 150 cm wide:") for line in fabric)


def test_title_rounds_fitted_body_measurements_to_a_millimetre():
    """A fit's measurements (bust 91.738) head the pattern as a pattern maker writes them: 91.7."""
    from garment_addon.core.export.layout import title_lines

    p = rect_pattern()
    p.spec = {"garment_type": "shirt", "size": "M", "measurements": {"bust": 91.738, "waist": 81.656, "hip": 98}}
    assert title_lines(p)[1].startswith("body cm: bust 91.7, waist 81.7, hip 98 - ")


def test_finished_measurement_lines_add_up_as_printed():
    """Body + ease = finished, in the printed numbers (each rounded on its own they did not)."""
    import re

    from garment_addon.core.export.cutting import measurement_lines
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.core.spec import make_spec

    lines = measurement_lines(draft_pattern(make_spec({"garment_type": "shirt", "measurements": {
        "bust": 91.738, "waist": 81.656}, "features": {"fit": "fitted"}})))  # the demo's fit: 91.7 + 4.9
    assert lines
    for line in lines:
        body, finished, ease = map(float, re.search(r"body ([\d.]+), finished ([\d.]+) \(ease ([+-][\d.]+)\)",
                                                    line).groups())
        assert round(body + ease, 1) == finished, line
