"""The operators that mirror the CLI's import / check / assemble --rig / render --profile, and the drape
operator against `python -m headless assemble --method drape` (add-on registered from the repo)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.blender, pytest.mark.xdist_group("extension_ops")]  # one registered add-on

bpy = pytest.importorskip("bpy")

from garment_addon.core.interop.garmentcode import from_garmentcode, seam_table  # noqa: E402
from tests.test_extension_draft import registered_addon  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GC = REPO / "tests" / "data" / "garmentcode" / "pencil_skirt_specification.json"


@pytest.fixture(scope="module")
def addon():
    yield from registered_addon()


# every CLI command and the operator that does the same in the sidebar (same core/pipeline function)
CLI_TO_OPERATOR = {"spec": "save_spec", "draft": "draft_pattern", "export": "export_pattern",
                   "import": "import_garmentcode", "check": "check_seams", "assemble": "assemble",
                   "render": "render_preview", "analyze": "analyze_image", "text": "text_to_spec",
                   "edit": "edit_spec", "fit": "refine"}
NOT_IN_PANEL = {"batch", "demo"}  # a shell job runner; `fit` of the bundled photo (= Refine with that photo)


def test_every_cli_command_has_an_operator(addon):
    from headless.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(sub.choices) == set(CLI_TO_OPERATOR) | NOT_IN_PANEL
    for idname in CLI_TO_OPERATOR.values():
        getattr(bpy.ops.garment, idname).get_rna_type()  # raises KeyError when not registered


def _reset(props) -> None:
    props.imported_pattern = props.imported_name = ""
    props.garment_type = "skirt"


def test_import_garmentcode_lays_out_and_drives_check_and_export(addon, tmp_path):
    _reset(addon)
    assert bpy.ops.garment.import_garmentcode(filepath=str(GC)) == {"FINISHED"}
    expected = from_garmentcode(json.loads(GC.read_text()))
    pieces = sorted(o["piece"] for o in bpy.data.objects if o.get("garment_studio") == "pattern" and "piece" in o)
    assert pieces == sorted(p.name for p in expected.pieces)
    assert addon.imported_name == GC.name
    # the seam table is the CLI `check` table of the imported pattern, row by row
    assert bpy.ops.garment.check_seams() == {"FINISHED"}
    rows = seam_table(expected)
    assert [(r.a, r.b, r.ok) for r in addon.export.seams] == [(r["a"], r["b"], r["ok"]) for r in rows]
    assert addon.export.seams[0].len_a == pytest.approx(rows[0]["len_a"], abs=1e-3)
    out = tmp_path / "imported.json"
    assert bpy.ops.garment.export_pattern(filepath=str(out)) == {"FINISHED"}
    assert sorted(p["name"] for p in json.loads(out.read_text())["pieces"]) == pieces
    addon.inputs.image_path = str(REPO / "tests" / "data" / "garmentcode_shirt_render_front.png")
    with pytest.raises(RuntimeError, match="imported_pattern: refinement adjusts the garment settings"):
        bpy.ops.garment.refine()
    addon.inputs.image_path = ""
    assert bpy.ops.garment.clear_import() == {"FINISHED"}
    assert not addon.imported_pattern and not bpy.ops.garment.clear_import.poll()


def test_import_reports_bad_files_in_one_line(addon, tmp_path):
    _reset(addon)
    bad = tmp_path / "x_specification.json"
    bad.write_text("{\"pattern\": 3}")
    for path in (bad, tmp_path / "missing.json"):
        with pytest.raises(RuntimeError) as err:
            bpy.ops.garment.import_garmentcode(filepath=str(path))
        msg = str(err.value).strip()
        assert msg.startswith("Error:") and "\n" not in msg and "Traceback" not in msg
    assert not addon.imported_pattern


def test_check_seams_of_a_drafted_pattern_all_ok(addon):
    _reset(addon)
    assert bpy.ops.garment.check_seams() == {"FINISHED"}
    assert len(addon.export.seams) >= 2 and all(r.ok for r in addon.export.seams)


def test_rig_option_adds_an_armature_and_final_profile_renders(addon, monkeypatch):
    from garment_addon.blender import pipeline
    from garment_addon.ui import operators

    real, profiles = pipeline.render_scene, []

    def render_scene(result, png, mask, profile="preview", size=512, look=None, **views):
        profiles.append(profile)  # the final profile's own cost (~14 s of shader compiling) is not ours
        return real(result, png, mask, profile="preview", size=size, look=look, **views)

    monkeypatch.setattr(pipeline, "render_scene", render_scene)

    _reset(addon)
    assert bpy.ops.garment.assemble(method="WRAP", rig=True) == {"FINISHED"}
    result = operators.current_result(bpy.context)
    assert result.rig is not None and result.rig.type == "ARMATURE" and result.rig["garment_studio"] == "assembly"
    assert any(m.type == "ARMATURE" for m in result.garment.modifiers)
    assert [e["piece"] for e in result.legend] == [p.name for p in result.pattern.pieces]
    addon.render.size = 32
    assert bpy.ops.garment.render_preview(profile="final") == {"FINISHED"}
    assert tuple(bpy.data.images["Garment Preview"].size) == (32, 32) and profiles == ["final"]


def test_drape_operator_matches_the_cli(addon, tmp_path):
    """The operator drapes in the user's scene (changed gravity and frame range, the pattern table, a
    collider of the user's) and must match the CLI's drape in its empty scene; the scene is restored."""
    _reset(addon)
    scene = bpy.context.scene
    scene.gravity, scene.frame_start, scene.frame_end = (0, 0, -20), 100, 150
    bpy.ops.garment.draft_pattern()
    mesh = bpy.data.meshes.new("user shelf")  # a collider through the skirt, 80 cm up
    mesh.from_pydata([(-1, -1, 0.8), (1, -1, 0.8), (1, 1, 0.8), (-1, 1, 0.8)], [], [(0, 1, 2, 3)])
    plane = bpy.data.objects.new("user shelf", mesh)
    scene.collection.objects.link(plane)
    plane.modifiers.new("Collision", "COLLISION")
    try:
        assert bpy.ops.garment.assemble(method="DRAPE") == {"FINISHED"}
        from garment_addon.ui import operators

        ours = operators.current_result(bpy.context).metrics
        after = (scene.frame_start, scene.frame_end, tuple(scene.gravity), plane.hide_viewport)
    finally:
        bpy.data.objects.remove(plane)
        scene.gravity = (0, 0, -9.81)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"garment_type": "skirt"}))
    cli = subprocess.run([sys.executable, "-m", "headless", "assemble", str(spec), "--method", "drape", "-o",
                          str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr[-2000:]
    theirs = json.loads((tmp_path / "out" / "assembly.json").read_text())["metrics"]
    for key in ("sim_max_seam_gap_cm", "inside_fraction", "max_seam_gap_cm"):
        assert ours[key] == pytest.approx(theirs[key], abs=0.005), key
    assert after == (100, 150, (0, 0, -20), False), "the user's scene is put back"
    assert ours["inside_fraction"] <= 0.01 and ours["max_seam_gap_cm"] <= 0.5
    shutil.rmtree(tmp_path / "out", ignore_errors=True)


def test_save_and_load_spec_round_trip_as_the_cli_reads_it(addon, tmp_path):
    from garment_addon.core.spec import make_spec

    _reset(addon)
    addon.size = "XL"
    path = tmp_path / "spec.json"
    assert bpy.ops.garment.save_spec(filepath=str(path)) == {"FINISHED"}
    saved = make_spec(json.loads(path.read_text()))  # what `python -m headless draft spec.json` reads
    assert (saved.garment_type, saved.size) == ("skirt", "XL")
    addon.garment_type, addon.size = "pants", "S"
    assert bpy.ops.garment.load_spec(filepath=str(path)) == {"FINISHED"}
    assert (addon.garment_type, addon.size) == ("skirt", "XL")
    with pytest.raises(RuntimeError, match="filepath: extension must be one of .json"):
        bpy.ops.garment.save_spec(filepath=str(tmp_path / "spec.txt"))
    addon.size = "M"


def test_export_options_reach_the_core(addon, tmp_path):
    from pypdf import PdfReader

    _reset(addon)
    letter, gc = tmp_path / "letter.pdf", tmp_path / "skirt_specification.json"
    assert bpy.ops.garment.export_pattern(filepath=str(letter), tiled=True, paper="letter") == {"FINISHED"}
    box = PdfReader(letter).pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == [612, 792]  # US Letter, points
    svgs = {}
    for allowance in (True, False):
        path = tmp_path / f"sa_{allowance}.svg"
        assert bpy.ops.garment.export_pattern(filepath=str(path), seam_allowance=allowance) == {"FINISHED"}
        svgs[allowance] = path.read_text()
    assert svgs[True] != svgs[False]
    assert bpy.ops.garment.export_pattern(filepath=str(gc)) == {"FINISHED"}  # GarmentCode by its name
    assert len(from_garmentcode(json.loads(gc.read_text())).pieces) == len(current_pieces(addon))


def current_pieces(props) -> list:
    from garment_addon.core.pattern import draft_pattern
    from garment_addon.ui import convert

    return draft_pattern(convert.props_to_spec(props)).pieces


def test_a_drape_run_in_slices_stops_cleanly_and_runs_through(addon):
    """What the modal Assemble does per timer tick; Esc is cancel() between drape frames."""
    from garment_addon.blender.drape import ISOLATION
    from garment_addon.ui import operators

    _reset(addon)
    scene = bpy.context.scene
    scene.gravity, scene.frame_start, scene.frame_end = (0, 0, -20), 100, 150
    bpy.ops.garment.draft_pattern()
    try:
        before = set(bpy.data.objects.keys())
        job = operators.AssembleJob(bpy.context, "DRAPE")
        for _ in range(200):  # mannequin, mesh and wrap come first, then a frame per slice
            assert not job.step(0.0)
            if job.message.startswith("drape frame 3/"):
                break
        assert job.message.startswith("drape frame 3/") and 0.3 < job.fraction < 0.9
        assert "GS_Collider" in bpy.data.objects and tuple(scene.gravity) != (0, 0, -20)  # the CLI's settings
        # the scene is mid-simulation: no other garment operator may start (Assemble again would delete it)
        assert not bpy.ops.garment.assemble.poll() and not bpy.ops.garment.draft_pattern.poll()
        job.cancel()
        assert bpy.ops.garment.assemble.poll()
        assert set(bpy.data.objects.keys()) <= before, "the half-built garment, mannequin and collider are gone"
        assert not [c for c in bpy.data.collections if c.name.startswith(ISOLATION)]
        assert (scene.frame_start, scene.frame_end, tuple(scene.gravity)) == (100, 150, (0, 0, -20))
        assert operators.current_result(bpy.context) is None  # the earlier garment went when this one began

        job = operators.AssembleJob(bpy.context, "DRAPE")
        steps = 1
        while not job.step(0.2):
            steps += 1
        assert steps > 3, "a drape is more than one slice, so the window gets events in between"
        assert operators.current_result(bpy.context) is job.result
        assert job.result.metrics["inside_fraction"] <= 0.01 and job.result.metrics["max_seam_gap_cm"] <= 0.5
        assert (scene.frame_start, scene.frame_end, tuple(scene.gravity)) == (100, 150, (0, 0, -20))
    finally:
        scene.gravity = (0, 0, -9.81)


class _FakeWM:
    """The window-manager calls the modal operator makes (background bpy has no window)."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *a, **k: self.calls.append(name)


def _modal_stand_in(context, method="DRAPE"):
    """A stand-in `self` for GARMENT_OT_assemble's modal methods (Blender operators cannot be made by hand)."""
    from types import SimpleNamespace

    from garment_addon.ui import operators

    op = SimpleNamespace(method=method, rig=False, reports=[], _timer="timer")
    op.report = lambda level, text: op.reports.append((set(level), text))
    cls = operators.GARMENT_OT_assemble
    op._stop = lambda ctx, cancel=True: cls._stop(op, ctx, cancel)
    op._report_done = lambda result: cls._report_done(op, result)
    op._job = operators.AssembleJob(bpy.context, method)
    return op, (lambda ctx, kind: cls.modal(op, ctx, SimpleNamespace(type=kind)))


def test_modal_assemble_esc_and_timer_events(addon):
    from types import SimpleNamespace

    _reset(addon)
    bpy.ops.garment.draft_pattern()
    ctx = SimpleNamespace(window_manager=_FakeWM(), workspace=None)
    op, modal = _modal_stand_in(ctx)
    assert modal(ctx, "MOUSEMOVE") == {"PASS_THROUGH"}
    while "drape frame" not in op._job.message:
        assert modal(ctx, "TIMER") == {"RUNNING_MODAL"}
    assert modal(ctx, "ESC") == {"CANCELLED"}
    assert op.reports[-1][0] == {"WARNING"} and "cancelled" in op.reports[-1][1]
    assert {"event_timer_remove", "progress_end", "progress_update"} <= set(ctx.window_manager.calls)
    assert "GS_Collider" not in bpy.data.objects

    op, modal = _modal_stand_in(ctx)
    while (state := modal(ctx, "TIMER")) == {"RUNNING_MODAL"}:
        pass
    assert state == {"FINISHED"} and op.reports[-1][0] == {"INFO"} and "Assembled (drape)" in op.reports[-1][1]
