"""`make demo`: the bundled example fits offline and lands in out/."""

from __future__ import annotations

import pytest

from headless.cli import main


@pytest.mark.blender
@pytest.mark.slow
def test_demo_writes_the_whole_job(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["demo", "-o", str(out), "--max-iters", "2"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"pattern.pdf", "pattern.svg", "garment.glb", "render.png", "fit_report.json", "fit_compare.png",
            "fit_progress.png", "spec.json"} <= names
    text = capsys.readouterr().out
    assert "Look at:" in text and str(out / "fit_compare.png") in text
