"""The extension as a user gets it: build the zip, validate it, install it into bpy from the zip,
enable it, drive the operators (draft, assemble, render preview, export, refine), disable, re-enable.

Blender runs in a subprocess (this file run as a script: the driver below) so that
BLENDER_USER_RESOURCES points at a temp folder before bpy is imported and this pytest
process stays clean. Wheels are used when `make extension` has cached them in build/wheels
(the test never downloads); without a cache the zip is built with --no-wheels.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = "bl_ext.user_default.garment_addon"
OPERATORS = ("draft_pattern", "assemble", "render_preview", "analyze_image", "text_to_spec", "edit_spec",
             "refine", "export_pattern", "export_garment", "apply_preset")
PANELS = ("GARMENT_PT_input", "GARMENT_PT_garment", "GARMENT_PT_body", "GARMENT_PT_actions",
          "GARMENT_PT_refine", "GARMENT_PT_export")
SECRET = "sk-test-SECRET-4711-do-not-save"


# --------------------------------------------------------------------------- driver (inside bpy)

def _block_repo_imports() -> None:
    """Make an absolute `import garment_addon` fail: the installed copy must import itself relatively."""
    import importlib.abc

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("garment_addon", "headless"):
                raise ImportError(f"absolute import of {name} from the installed extension")
            return None

    sys.meta_path.insert(0, Block())


def _step(results: dict, name: str, fn) -> None:
    import traceback

    try:
        results[name] = fn()
    except Exception as exc:  # noqa: BLE001 - recorded for the test to assert on
        results[name] = {"error": f"{exc.__class__.__name__}: {exc}", "trace": traceback.format_exc()}


def _registered(bpy) -> dict:
    return {"scene_prop": hasattr(bpy.types.Scene, "garment"),
            "operators": [o for o in OPERATORS if hasattr(bpy.types, f"GARMENT_OT_{o}")],
            "panels": [p for p in PANELS if hasattr(bpy.types, p)],
            "prefs": MODULE in bpy.context.preferences.addons}


def _op_error(fn) -> str:
    try:
        fn()
    except RuntimeError as exc:
        return str(exc)
    return ""


def drive(zip_path: str, out: str) -> dict:
    _block_repo_imports()
    import bpy

    res: dict = {}
    tmp = Path(out)
    res["install"] = list(bpy.ops.extensions.package_install_files(
        filepath=zip_path, repo="user_default", enable_on_install=True))
    res["enabled"] = _registered(bpy)
    scene = bpy.context.scene
    g = scene.garment
    g.garment_type = "skirt"
    g.render.size = 128

    def draft():
        user = bpy.data.objects.new("UserThing", bpy.data.meshes.new("UserThing"))
        bpy.data.collections["Garment"].objects.link(user) if "Garment" in bpy.data.collections else \
            scene.collection.objects.link(user)
        out = list(bpy.ops.garment.draft_pattern())
        pieces = [o for o in bpy.data.objects if o.get("garment_studio") == "pattern" and o.get("piece")]
        uvs = []
        for o in pieces:
            layer = o.data.uv_layers.active
            uvs += [c for d in layer.data for c in d.uv]
        first = sorted(o.name for o in pieces)
        bpy.ops.garment.draft_pattern()  # again: replaces its own objects only
        again = sorted(o.name for o in bpy.data.objects if o.get("garment_studio") == "pattern" and o.get("piece"))
        return {"result": out, "pieces": first, "again": again, "faces": min(len(o.data.polygons) for o in pieces),
                "uv_min": min(uvs), "uv_max": max(uvs), "user_kept": "UserThing" in bpy.data.objects,
                "coll": [o.name for o in bpy.data.collections["Garment Pattern"].objects]}

    _step(res, "draft", draft)

    def assemble():
        out = list(bpy.ops.garment.assemble(method="WRAP"))
        objs = [o for o in bpy.data.objects if o.get("garment_studio") == "assembly"]
        bpy.ops.garment.assemble(method="WRAP")
        again = [o for o in bpy.data.objects if o.get("garment_studio") == "assembly"]
        meshes = [o for o in again if o.type == "MESH"]
        return {"result": out, "count": len(objs), "again": len(again),
                "uv_layers": [len(o.data.uv_layers) for o in meshes],
                "verts": [len(o.data.vertices) for o in meshes],
                "user_kept": "UserThing" in bpy.data.objects}

    _step(res, "assemble", assemble)

    def render():
        out = list(bpy.ops.garment.render_preview())
        img = bpy.data.images["Garment Preview"]
        px = list(img.pixels[:])
        path = tmp / "preview.png"
        img.save(filepath=str(path)) if img.packed_file is None else path.write_bytes(img.packed_file.data)
        return {"result": out, "size": list(img.size), "packed": img.packed_file is not None,
                "spread": max(px) - min(px), "png": str(path)}

    _step(res, "render", render)

    def export():
        files = {}
        for name in ("pattern.svg", "pattern.pdf", "pattern.dxf", "pattern.json"):
            bpy.ops.garment.export_pattern(filepath=str(tmp / name), tiled=True)
            files[name] = (tmp / name).read_bytes()[:8].decode("latin-1") if (tmp / name).exists() else None
        for name in ("garment.glb", "garment.obj"):
            bpy.ops.garment.export_garment(filepath=str(tmp / name))
            files[name] = (tmp / name).read_bytes()[:8].decode("latin-1") if (tmp / name).exists() else None
        bad = _op_error(lambda: bpy.ops.garment.export_pattern(filepath=str(tmp / "pattern.txt")))
        return {"heads": files, "bad_ext": bad}

    _step(res, "export", export)

    def bad_spec():
        g.garment_type = "dress"
        g.waist = g.bust * 1.4
        msg = _op_error(lambda: bpy.ops.garment.draft_pattern())
        g.garment_type = "skirt"
        return {"message": msg}

    _step(res, "bad_spec", bad_spec)

    def refine():
        png = res.get("render", {}).get("png")
        if not png:
            return {"skipped": "no render"}
        g.inputs.image_path = png
        g.refine.max_iterations = 2
        g.refine.threshold = 0.999
        out = list(bpy.ops.garment.refine("EXEC_DEFAULT"))
        return {"result": out, "log": [(i.index, i.score) for i in g.refine.log], "best": g.refine.best_score,
                "running": g.refine.running, "status": g.refine.status}

    _step(res, "refine", refine)

    def secret():
        prefs = bpy.context.preferences.addons[MODULE].preferences
        prefs.vlm_api_key = SECRET
        blend = tmp / "scene.blend"
        bpy.ops.wm.save_as_mainfile(filepath=str(blend), compress=False)
        data = blend.read_bytes()
        return {"saved": blend.exists(), "size": len(data), "leaked": SECRET.encode() in data,
                "subtype": prefs.bl_rna.properties["vlm_api_key"].subtype}

    _step(res, "secret", secret)

    def cycle():
        bpy.ops.preferences.addon_disable(module=MODULE)
        off = _registered(bpy)
        off["scene_attr"] = hasattr(scene, "garment")
        bpy.ops.preferences.addon_enable(module=MODULE)
        on = _registered(bpy)
        on["draft"] = list(bpy.ops.garment.draft_pattern())
        return {"off": off, "on": on}

    _step(res, "cycle", cycle)

    return res


# --------------------------------------------------------------------------- pytest side

def _cached_linux_wheels() -> bool:
    return any((ROOT / "build" / "wheels" / "linux-x64").glob(".complete-*"))


def _build(dist: Path, stage: Path) -> list[Path]:
    flags = ["--offline", "--platform", "linux-x64"] if _cached_linux_wheels() else ["--no-wheels"]
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_extension.py"), *flags, "--dist", str(dist),
                    "--stage", str(stage)], check=True, capture_output=True, text=True, timeout=300)
    return sorted(dist.glob("garment_addon-*.zip"))


def _run_driver(zip_path: Path, work: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["BLENDER_USER_RESOURCES"] = str(work / "user")
    out = work / "out"
    out.mkdir()
    proc = subprocess.run([sys.executable, __file__, str(zip_path), str(out)], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    result_file = out / "results.json"
    assert result_file.exists(), f"driver crashed (rc {proc.returncode}):\n{proc.stderr[-4000:]}"
    res = json.loads(result_file.read_text())
    res["_stdout"] = proc.stdout + proc.stderr
    return res


if __name__ == "__main__":
    results = drive(sys.argv[1], sys.argv[2])
    Path(sys.argv[2], "results.json").write_text(json.dumps(results, indent=1, default=str))
    sys.exit(0)

import pytest  # noqa: E402 - the driver above runs without pytest

pytestmark = [pytest.mark.blender, pytest.mark.slow]


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    work = tmp_path_factory.mktemp("extension")
    zips = _build(work / "dist", work / "stage")
    assert zips, "no zip built"
    linux = [z for z in zips if "linux_x64" in z.name] or zips
    return {"zips": zips, "zip": linux[0], "work": work, "results": _run_driver(linux[0], work)}


def _ok(results: dict, step: str) -> dict:
    r = results[step]
    assert "error" not in r, f"{step}: {r['error']}\n{r.get('trace', '')}"
    return r


def test_zip_layout_and_manifest(session):
    import tomllib

    import garment_addon

    with zipfile.ZipFile(session["zip"]) as zf:
        names = zf.namelist()
        manifest = tomllib.loads(zf.read("blender_manifest.toml").decode())
    assert "__init__.py" in names and "ui/operators.py" in names and "core/spec.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("tests/")]
    assert manifest["id"] == "garment_addon" and manifest["version"] == garment_addon.__version__
    wheels = [n for n in names if n.endswith(".whl")]
    assert sorted(wheels) == sorted(w.removeprefix("./") for w in manifest.get("wheels", []))
    assert not [w for w in wheels if w.split("/")[-1].startswith(("numpy-", "requests-"))]  # Blender has them
    if _cached_linux_wheels():
        assert manifest["platforms"] == ["linux-x64"] and any("scipy" in w for w in wheels)


def test_zip_validates(session):
    tool = next((Path(sys.prefix) / "lib").glob("python3.11/site-packages/bpy/*/scripts/addons_core/"
                                                 "bl_pkg/cli/blender_ext.py"))
    out = subprocess.run([sys.executable, str(tool), "validate", str(session["zip"])], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and "error" not in (out.stdout + out.stderr).lower(), out.stdout + out.stderr


def test_install_enables_everything(session):
    res = session["results"]
    assert res["install"] == ["FINISHED"]
    on = res["enabled"]
    assert on["scene_prop"] and on["prefs"]
    assert on["operators"] == list(OPERATORS) and on["panels"] == list(PANELS)


def test_draft_makes_flat_pieces_with_uvs(session):
    d = _ok(session["results"], "draft")
    assert d["result"] == ["FINISHED"]
    assert len(d["pieces"]) >= 2 and d["faces"] >= 1
    assert d["again"] == d["pieces"], "re-running must replace, not duplicate"
    assert 0.0 <= d["uv_min"] and d["uv_max"] <= 1.0 + 1e-6
    assert d["user_kept"], "the user's object in the Garment collection was removed"
    assert "GS Pattern Table" in d["coll"]


def test_assemble_builds_garment_and_mannequin(session):
    a = _ok(session["results"], "assemble")
    assert a["result"] == ["FINISHED"]
    assert a["count"] >= 2 and a["again"] == a["count"]
    assert all(n >= 1 for n in a["uv_layers"]) and min(a["verts"]) > 50
    assert a["user_kept"]


def test_render_preview_fills_an_image(session):
    r = _ok(session["results"], "render")
    assert r["result"] == ["FINISHED"] and r["size"] == [128, 128] and r["packed"]
    assert r["spread"] > 0.1, "preview is a flat colour"


def test_exports_pick_format_from_extension(session):
    e = _ok(session["results"], "export")
    heads = e["heads"]
    assert heads["pattern.pdf"].startswith("%PDF")
    assert "<" in heads["pattern.svg"]
    assert heads["pattern.json"].lstrip().startswith("{")
    assert heads["pattern.dxf"] is not None
    assert heads["garment.glb"].startswith("glTF") and heads["garment.obj"] is not None
    assert "filepath" in e["bad_ext"] and "\n" not in e["bad_ext"].strip() and "Traceback" not in e["bad_ext"]


def test_invalid_spec_is_one_reported_line(session):
    msg = _ok(session["results"], "bad_spec")["message"]
    assert "measurements.waist" in msg and "Traceback" not in msg and "\n" not in msg.strip()


def test_refine_runs_steps_and_keeps_best(session):
    r = _ok(session["results"], "refine")
    assert r["result"] == ["FINISHED"] and not r["running"]
    assert 1 <= len(r["log"]) <= 2 and r["best"] == pytest.approx(max(s for _, s in r["log"]), abs=1e-3)


def test_api_key_never_saved_or_printed(session):
    s = _ok(session["results"], "secret")
    assert s["saved"] and s["size"] > 10_000 and s["subtype"] == "PASSWORD"
    assert not s["leaked"]
    assert SECRET not in session["results"]["_stdout"]


def test_disable_unregisters_and_enable_again_works(session):
    c = _ok(session["results"], "cycle")
    off, on = c["off"], c["on"]
    assert not off["scene_prop"] and not off["scene_attr"] and not off["prefs"]
    assert off["operators"] == [] and off["panels"] == []
    assert on["scene_prop"] and on["operators"] == list(OPERATORS) and on["draft"] == ["FINISHED"]


def test_shipped_wheels_import(session):
    """The wheels Blender unpacked import on their own, against this Python's numpy (Blender's 1.26)."""
    site = session["work"] / "user" / "extensions" / ".local" / "lib" / "python3.11" / "site-packages"
    if not site.is_dir():
        pytest.skip("built without wheels (no cache in build/wheels)")
    mods = [m for m in ("scipy.spatial", "shapely", "PIL.Image", "cv2", "skimage", "ezdxf", "reportlab")
            if (site / m.split(".")[0]).exists()]
    code = ("import importlib, sys; sys.path.insert(0, sys.argv[1]); "
            "print('\\n'.join(importlib.import_module(m).__file__ for m in sys.argv[2:]))")
    out = subprocess.run([sys.executable, "-c", code, str(site), *mods], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    files = out.stdout.split()
    assert mods and len(files) == len(mods)
    assert all(Path(f).resolve().is_relative_to(site.resolve()) for f in files), files
