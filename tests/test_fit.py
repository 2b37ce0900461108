"""`fit` end to end (Blender) and its input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from headless.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "garmentcode_shirt.png"
OUTPUTS = {"spec.json", "pattern.json", "pattern.svg", "pattern.pdf", "garment.glb", "render.png",
           "fit_report.json", "fit_progress.png", "fit_compare.png"}


@pytest.mark.blender
@pytest.mark.slow
def test_fit_cli_end_to_end(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["fit", str(EXAMPLE), "-o", str(out), "--max-iters", "2", "--size", "96"]) == 0
    assert OUTPUTS <= {p.name for p in out.iterdir()}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging leftovers
    report = json.loads((out / "fit_report.json").read_text())
    assert len(report["iterations"]) == 2 and report["stop_reason"] in ("max_iters", "threshold")
    for it in report["iterations"]:
        assert {"spec", "scores", "decision", "seconds"} <= set(it) and 0 <= it["scores"]["score"] <= 1
    assert report["best"]["scores"]["score"] == max(i["scores"]["score"] for i in report["iterations"])
    assert json.loads((out / "spec.json").read_text()) == report["best"]["spec"]
    assert report["best"]["spec"]["garment_type"] == "shirt"
    assert report["best"]["scores"]["iou"] > 0.6  # the analyser + wrap land near the photo's shirt
    assert (out / "pattern.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out / "garment.glb").read_bytes()[:4] == b"glTF"
    assert Image.open(out / "fit_compare.png").size[0] > 3 * Image.open(out / "fit_compare.png").size[1] * 0.8
    assert "fit: shirt score" in capsys.readouterr().out


def test_fit_bad_inputs_exit_2_and_write_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["fit", str(tmp_path / "missing.jpg"), "-o", str(out)]) == 2
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"\x00not a jpeg")
    assert main(["fit", str(junk), "-o", str(out)]) == 2
    assert main(["fit", str(EXAMPLE), "-o", str(out), "--max-iters", "0", "--renderer", "silhouette"]) == 2
    err = capsys.readouterr().err
    assert "image:" in err and "max_iters: must be 1..200" in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_fit_unwritable_output_fails_before_the_loop(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    assert main(["fit", str(EXAMPLE), "-o", str(blocker / "out"), "--renderer", "silhouette"]) == 2
    captured = capsys.readouterr()
    assert "output: cannot make folder" in captured.err and "fit:" not in captured.err  # no progress bar ran
