"""The loop's VLM critic through the real client, against a loopback OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from garment_addon.core.errors import UserError
from garment_addon.core.refine.loop import Refiner, make_critic
from garment_addon.core.refine.silhouette import as_photo, render_silhouette
from garment_addon.core.spec import make_spec
from garment_addon.core.vlm import VLMClient


@pytest.fixture
def critic_server():
    answers = [{"differences": ["the skirt is too short"], "adjustments": {"skirt_length": 70},
                "confidence": 0.8, "converged": False},
               {"differences": [], "adjustments": {}, "confidence": 0.9, "converged": True}]
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(body)
            answer = answers[min(len(seen) - 1, len(answers) - 1)]
            out = json.dumps({"choices": [{"message": {"role": "assistant",
                                                       "content": "```json\n" + json.dumps(answer) + "\n```"}}]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(out.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    server.shutdown()


def test_vlm_critic_loop_over_loopback(critic_server):
    url, seen = critic_server
    client = VLMClient(url, ["fake-vlm"], "test-key", max_retries=0, timeout=10)
    target = as_photo(render_silhouette(make_spec({"garment_type": "dress",
                                                   "measurements": {"skirt_length": 70}}), 128))
    start = make_spec({"garment_type": "dress", "measurements": {"skirt_length": 55}})
    res = Refiner(target, start, lambda s: render_silhouette(s, 128), critic=make_critic("vlm", client),
                  threshold=0.999).run()
    assert res.backend == "vlm" and res.stop_reason == "vlm_converged"
    assert [r.decision for r in res.records] == ["start", "vlm", "vlm"]
    moved = res.records[1].spec["measurements"]["skirt_length"]
    assert 55 < moved < 70  # bounded and damped: 55 + 0.7 * (at most 14.25)
    assert moved == pytest.approx(55 + 0.7 * 14.25, abs=0.01)
    assert res.records[1].note["differences"] == ["the skirt is too short"]
    # the critic saw two pictures: the photo and the best render
    images = [c for c in seen[0]["messages"][0]["content"] if c["type"] == "image_url"]
    assert len(images) == 2 and all(i["image_url"]["url"].startswith("data:image/") for i in images)


def test_backend_choice_without_a_key(monkeypatch):
    for var in ("GARMENT_VLM_API_KEY", "HF_TOKEN", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    assert make_critic("offline") is None
    assert make_critic("auto") is None  # auto falls back to offline
    with pytest.raises(UserError, match="backend: vlm needs"):
        make_critic("vlm")
