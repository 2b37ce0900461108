"""`python -m headless spec|draft`: outputs, help, and clean failures on bad input."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from headless.cli import main

from .test_spec import SEED_DRESS

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "headless", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_spec_writes_a_complete_spec(tmp_path):
    out = tmp_path / "spec.json"
    assert main(["spec", "--type", "dress", "--size", "L", "-o", str(out)]) == 0
    spec = json.loads(out.read_text())
    assert spec["garment_type"] == "dress" and spec["size"] == "L"
    assert spec["measurements"]["bust"] == 100 and "skirt_length" in spec["measurements"]


def test_draft_writes_pattern_json_and_svg(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SEED_DRESS))
    assert main(["draft", str(spec), "-o", str(tmp_path / "out")]) == 0
    pattern = json.loads((tmp_path / "out" / "pattern.json").read_text())
    assert pattern["schema"] == "garment-studio/pattern@1"
    names = {p["name"] for p in pattern["pieces"]}
    assert {"front_bodice", "left_back_bodice", "right_back_bodice", "left_sleeve", "right_sleeve", "skirt_front",
            "left_skirt_back", "right_skirt_back"} <= names
    svg = ET.parse(tmp_path / "out" / "pattern.svg").getroot()
    assert svg.get("width", "").endswith("mm")
    ids = {g.get("id") for g in svg.iter("{http://www.w3.org/2000/svg}g")}
    assert {"front_bodice", "skirt_front"} <= ids
    assert not list((tmp_path / "out").glob(".*"))  # no staging leftovers


@pytest.mark.parametrize("spec,field", [
    ({"garment_type": "robe"}, "garment_type"),
    ({"garment_type": "dress", "measurements": {"bust": -3}}, "measurements.bust"),
    ({"garment_type": "dress", "measurements": {"waist": "narrow"}}, "measurements.waist"),
    ({"garment_type": "dress", "features": {"fit": "tight"}}, "features.fit"),
    ([["garment_type", "dress"]], "spec"),  # a JSON array: exit 2 naming the spec, not a TypeError
])
def test_bad_spec_exits_2_with_one_line_and_writes_nothing(tmp_path, spec, field):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    r = run_cli("draft", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "out" / "pattern.json").exists()


def test_unreadable_inputs(tmp_path):
    r = run_cli("draft", str(tmp_path / "missing.json"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "not found" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = run_cli("draft", str(bad), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "not valid JSON" in r.stderr
    r = run_cli("spec", "--type", "gown", "-o", str(tmp_path / "s.json"))
    assert r.returncode == 2 and "garment_type" in r.stderr and not (tmp_path / "s.json").exists()
    r = run_cli("draft")
    assert r.returncode == 2 and "required" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_help_lists_commands_with_examples():
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("spec", "draft"):
        assert cmd in r.stdout
        sub = run_cli(cmd, "--help")
        assert sub.returncode == 0 and "example:" in sub.stdout and f"python -m headless {cmd}" in sub.stdout


# What `blender --background --python headless/__main__.py -- ARGS` does: Blender runs the file
# as __main__ with its own argv in front of "--" and the repository not on sys.path.
_AS_BLENDER = """
import runpy, sys
sys.argv = ["blender", "--background", "--python", sys.argv[1], "--", *sys.argv[2:]]
runpy.run_path(sys.argv[3], run_name="__main__")
"""


def test_main_file_runs_as_a_blender_python_script(tmp_path):
    script = str(ROOT / "headless" / "__main__.py")
    out = tmp_path / "spec.json"
    r = subprocess.run([sys.executable, "-c", _AS_BLENDER, script, "spec", "--type", "skirt", "-o", str(out)],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["garment_type"] == "skirt"
    bad = subprocess.run([sys.executable, "-c", _AS_BLENDER, script, "spec", "--type", "robe", "-o", str(out)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "garment_type" in bad.stderr
