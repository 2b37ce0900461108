"""VLM client against a loopback OpenAI-compatible server that replays real provider behaviours.

Every request goes to 127.0.0.1; the behaviour is chosen by the model name.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from garment_addon.core.errors import UserError
from garment_addon.core.refine.proposer import MAX_VLM_STEP, RANGES, parse_critique
from garment_addon.core.spec import make_spec
from garment_addon.core.vlm import VLMClient, VLMError, critique, extract_json
from garment_addon.core.vlm import client as vlm_client
from garment_addon.core.vlm.client import KEY_VARS

from .fake_http import send_json

KEY = "sk-test-SECRET-0123456789"
GOOD = {
    "garment_type": "dress",
    "fit": "regular",
    "length": "knee",
    "sleeves": "short",
    "silhouette": "A-line",
    "neckline": "v-neck",
    "has_collar": False,
    "has_hood": False,
    "has_cuffs": False,
    "has_pockets": True,
    "colour": "red",
    "others": ["jacket"],
    "confidence": 0.8,
}


def _chat(content: str = "", reasoning: str | None = None) -> dict:
    msg = {"role": "assistant", "content": content}
    if reasoning is not None:
        msg["reasoning"] = reasoning
    return {"choices": [{"index": 0, "message": msg, "finish_reason": "stop"}]}


class FakeProvider:
    """A thread-backed HTTP server; ``requests`` records (model, headers, body) of every call."""

    def __init__(self):
        self.requests: list[dict] = []
        self.counts: dict[str, int] = {}
        self.answer = GOOD
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep pytest output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model = body["model"]
                n = provider.counts[model] = provider.counts.get(model, 0) + 1
                provider.requests.append({"model": model, "headers": dict(self.headers), "body": body})
                status, payload, headers = provider.behave(model, n, body, dict(self.headers))
                if status == "sleep":
                    time.sleep(1.0)
                    status = 200
                data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                send_json(self, status, data, headers)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def behave(self, model: str, n: int, body: dict, headers: dict):
        good = json.dumps(self.answer)
        if model == "unsupported-400":
            return (
                400,
                {"error": {"message": f"The requested model '{model}' is not supported by any provider"}},
                {},
            )
        if model == "missing-404":
            return 404, {"error": "Not Found"}, {}
        if model == "echo-key-401":  # a provider that echoes the bearer token in its error text
            return 401, {"error": f"invalid token {headers.get('Authorization')}"}, {}
        if model == "ratelimit":
            return (
                (429, {"error": "rate limited"}, {"Retry-After": "2"}) if n == 1 else (200, _chat(good), {})
            )
        if model == "flaky-5xx":
            return (503, {"error": "overloaded"}, {}) if n <= 2 else (200, _chat(good), {})
        if model == "always-5xx":
            return 502, {"error": "bad gateway"}, {}
        if model == "reasoning":
            return 200, _chat("", reasoning="Let me think. The answer is " + good), {}
        if model == "reasoning-content":  # the other field name providers use
            msg = {"role": "assistant", "content": None, "reasoning_content": good}
            return 200, {"choices": [{"index": 0, "message": msg}]}, {}
        if model == "fenced":
            return 200, _chat("```json\n" + json.dumps(self.answer, indent=1) + "\n```"), {}
        if model == "prose":
            return 200, _chat("Sure! Here is the garment: " + good + " Hope this helps."), {}
        if model == "garbage-then-repair":
            return 200, _chat("I think it is a red dress, knee length." if n == 1 else good), {}
        if model == "garbage":
            return 200, _chat("{not json at all"), {}
        if model == "slow":
            return "sleep", _chat(good), {}
        if model == "schema-reject":
            if "response_format" in body:
                return (
                    400,
                    {"error": {"message": "response_format json_schema is not supported for this model"}},
                    {},
                )
            return 200, _chat(good), {}
        if model == "ok":
            return 200, _chat(good), {}
        return 404, {"error": "unknown model"}, {}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def provider():
    p = FakeProvider()
    yield p
    p.close()


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch):
    """Tests never reach a real provider, whatever the developer's environment holds."""
    for v in KEY_VARS + ("GARMENT_VLM_BASE_URL", "GARMENT_VLM_MODELS", "GARMENT_VLM_TIMEOUT"):
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setattr(vlm_client, "_GONE", {})  # a reused loopback port is a fresh endpoint


def client(provider, models, **kw):
    sleeps: list[float] = []
    c = VLMClient(provider.url, models, KEY, sleep=sleeps.append, timeout=kw.pop("timeout", 5.0), **kw)
    c.sleeps = sleeps
    return c


IMG = np.full((64, 48, 3), 200, np.uint8)


def test_unsupported_models_fall_through_to_the_next(provider):
    c = client(provider, ["unsupported-400", "missing-404", "ok"])
    ans = c.describe_garment(IMG)
    assert ans["garment_type"] == "dress" and c.last_model == "ok"
    assert [r["model"] for r in provider.requests] == ["unsupported-400", "missing-404", "ok"]
    body = provider.requests[-1]["body"]
    url = body["messages"][0]["content"][1]["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    assert body["response_format"]["type"] == "json_schema"
    assert "garment_type" in body["response_format"]["json_schema"]["schema"]["properties"]
    assert provider.requests[-1]["headers"]["Authorization"] == f"Bearer {KEY}"


def test_429_honours_retry_after_and_5xx_backs_off(provider):
    c = client(provider, ["ratelimit"])
    assert c.describe_garment(IMG)["length"] == "knee"
    assert c.sleeps == [2.0]
    c = client(provider, ["flaky-5xx"])
    assert c.describe_garment(IMG)["sleeves"] == "short"
    assert c.sleeps == [0.5, 1.0]  # exponential backoff, injected sleep keeps the test fast


def test_retries_are_bounded(provider):
    c = client(provider, ["always-5xx", "ok"], max_retries=2)
    assert c.describe_garment(IMG)["garment_type"] == "dress"
    assert provider.counts["always-5xx"] == 3 and len(c.sleeps) == 2


@pytest.mark.parametrize(
    "model", ["reasoning", "reasoning-content", "fenced", "prose", "garbage-then-repair", "schema-reject"]
)
def test_provider_answer_shapes_are_parsed(provider, model):
    c = client(provider, [model])
    ans = c.describe_garment(IMG)
    assert ans["garment_type"] == "dress" and ans["neckline"] == "v-neck"
    if model == "garbage-then-repair":
        assert provider.counts[model] == 2
        repair = provider.requests[-1]["body"]["messages"]
        assert repair[-2]["role"] == "assistant" and "JSON" in repair[-1]["content"]
    if model == "schema-reject":
        assert "response_format" not in provider.requests[-1]["body"]


def test_timeout_moves_on_quickly(provider):
    c = client(provider, ["slow", "ok"], timeout=0.2, max_retries=1)
    t0 = time.perf_counter()
    assert c.describe_garment(IMG)["garment_type"] == "dress"
    assert time.perf_counter() - t0 < 3.0
    assert c.last_model == "ok"


def test_every_model_failing_raises_a_clear_error_without_the_key(provider, caplog):
    caplog.set_level(logging.DEBUG)
    c = client(provider, ["echo-key-401", "garbage", "missing-404"], max_retries=1)
    with pytest.raises(VLMError) as e:
        c.describe_garment(IMG)
    text = str(e.value)
    assert "every VLM model failed" in text and "garbage" in text and "invalid JSON" in text
    assert KEY not in text and KEY not in caplog.text and KEY not in repr(c)
    assert "***" in text  # the echoed token was redacted


def test_missing_key_is_a_user_error():
    with pytest.raises(UserError, match="GARMENT_VLM_API_KEY"):
        VLMClient("http://127.0.0.1:9/v1", ["ok"], None).describe_garment(IMG)


def test_from_env_reads_the_documented_variables(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf-xyz")
    monkeypatch.setenv("GARMENT_VLM_MODELS", "a:prov, b")
    monkeypatch.setenv("GARMENT_VLM_BASE_URL", "http://127.0.0.1:1/v1/")
    c = VLMClient.from_env()
    assert c.configured and c.models == ["a:prov", "b"] and c.base_url == "http://127.0.0.1:1/v1"
    monkeypatch.setenv("GARMENT_VLM_API_KEY", "first")
    assert VLMClient.from_env().redact("first") == "***"
    monkeypatch.delenv("GARMENT_VLM_MODELS")
    assert VLMClient.from_env().models[0] == "meta-llama/Llama-4-Scout-17B-16E-Instruct:nscale"


def test_extract_json_variants():
    assert extract_json('<think>{"no": 1} hmm</think> {"a": {"b": [1, 2]}} trailing') == {"a": {"b": [1, 2]}}
    assert extract_json('```\n{"a": 1}\n```') == {"a": 1}
    with pytest.raises(ValueError):
        extract_json("no json here")


def test_vlm_answer_becomes_a_valid_spec():
    from garment_addon.core.vlm.schema import answer_to_spec, check_answer

    spec = answer_to_spec(check_answer(dict(GOOD, measurements={"bust": 100, "waist": 999})), source="x.png")
    assert spec.garment_type == "dress" and spec.features["has_pockets"] is True
    assert spec.measurements["bust"] == 100  # a plausible number is kept, an impossible one dropped
    assert spec.measurements["waist"] < 150
    knee = spec.measurements["skirt_length"]
    maxi = answer_to_spec(check_answer(dict(GOOD, length="maxi"))).measurements["skirt_length"]
    assert 45 < knee < 65 and maxi > knee + 20
    assert spec.metadata["others"] == ["jacket"] and spec.metadata["backend"] == "vlm"
    assert spec.features["fabric"] == "woven"
    assert answer_to_spec(check_answer(dict(GOOD, fabric="knit"))).features["fabric"] == "knit"
    assert answer_to_spec(check_answer(dict(GOOD, fabric="plastic"))).features["fabric"] == "woven"
    assert answer_to_spec(check_answer(dict(GOOD, wearer="Male"))).metadata["body_preset"] == "male"
    assert "body_preset" not in answer_to_spec(check_answer(dict(GOOD, wearer="robot"))).metadata
    # the material preset decides knit or woven; a colour word becomes the spec's sRGB colour
    silk = answer_to_spec(check_answer(dict(GOOD, fabric="knit", material="silk", colour="Navy blue")))
    assert (silk.material, silk.fabric, silk.color) == ("silk", "woven", "#1f2a48")
    assert "material" not in answer_to_spec(check_answer(dict(GOOD, material="vinyl"))).features
    assert "color" not in answer_to_spec(check_answer(dict(GOOD, colour="iridescent"))).features
    with pytest.raises(ValueError):
        check_answer({"garment_type": "spaceship"})


def test_critique_adjustments_are_bounded_and_named(provider):
    provider.answer = {
        "differences": ["skirt too short"],
        "confidence": 0.7,
        "converged": False,
        "adjustments": {"skirt_length": 500, "flare": 9, "has_hood": True, "fit": "baggy", "wingspan": 3},
    }
    spec = make_spec({"garment_type": "skirt"})
    out = critique(IMG, IMG, spec, client=client(provider, ["ok"]))
    adj = out["adjustments"]
    assert set(adj) == {"skirt_length", "flare", "has_hood"}
    assert adj["skirt_length"] == 130  # clipped to its range; the loop bounds the step (parse_critique)
    assert parse_critique(out, spec).measurements["skirt_length"] == pytest.approx(
        spec.measurements["skirt_length"] + MAX_VLM_STEP * (RANGES["skirt_length"][1] - RANGES["skirt_length"][0]))
    assert adj["flare"] == 9 and out["differences"] == ["skirt too short"]
    assert out["confidence"] == 0.7 and out["converged"] is False
    body = provider.requests[-1]["body"]["messages"][0]["content"]
    assert [p["type"] for p in body] == ["text", "image_url", "image_url"]


# -- through the CLI and the analyzer -------------------------------------------------------------
PHOTO = __import__("pathlib").Path(__file__).parent / "data" / "garmentcode_shirt_render_front.png"


def _configure(monkeypatch, provider, models):
    monkeypatch.setenv("GARMENT_VLM_BASE_URL", provider.url)
    monkeypatch.setenv("GARMENT_VLM_MODELS", ",".join(models))
    monkeypatch.setenv("GARMENT_VLM_API_KEY", KEY)


def test_cli_vlm_backend_uses_the_model(provider, monkeypatch, tmp_path):
    from headless.cli import main

    _configure(monkeypatch, provider, ["missing-404", "fenced"])
    out = tmp_path / "spec.json"
    assert main(["analyze", str(PHOTO), "--backend", "vlm", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["garment_type"] == "dress" and data["metadata"]["model"] == "fenced"
    assert data["metadata"]["attributes"]["length"] == "knee"
    assert KEY not in out.read_text()


def test_cli_every_model_failing(provider, monkeypatch, tmp_path, capsys, caplog):
    from headless.cli import main

    caplog.set_level(logging.DEBUG)
    _configure(monkeypatch, provider, ["echo-key-401", "unsupported-400"])
    out = tmp_path / "spec.json"
    assert main(["analyze", str(PHOTO), "--backend", "vlm", "-o", str(out)]) == 1
    cap = capsys.readouterr()
    assert "every VLM model failed" in cap.err and not out.exists()
    # auto: a warning and the offline result
    assert main(["analyze", str(PHOTO), "--backend", "auto", "-o", str(out)]) == 0
    cap2 = capsys.readouterr()
    data = json.loads(out.read_text())
    assert data["garment_type"] == "shirt" and data["metadata"]["backend"] == "offline"
    assert any("VLM failed" in w for w in data["metadata"]["warnings"]) and "warning: VLM failed" in cap2.out
    for text in (cap.out, cap.err, cap2.out, cap2.err, caplog.text, out.read_text()):
        assert KEY not in text


def test_text_and_edit_through_the_llm(provider, monkeypatch):
    from garment_addon.core.language import edit_spec, parse_text

    _configure(monkeypatch, provider, ["prose"])
    spec = parse_text("something elegant for a summer wedding", backend="llm")
    assert spec.garment_type == "dress" and spec.metadata["backend"] == "llm"
    provider.answer = {"measurements": {"skirt_length": 80}, "features": {"has_pockets": False}}
    out = edit_spec(spec, "make it more elegant", backend="auto")
    assert out.measurements["skirt_length"] == 80 and out.features["has_pockets"] is False
    assert out.metadata["edits"][-1]["backend"] == "llm"
    # the LLM's material decides knit or woven; a colour word is kept as sRGB hex; no-colours left out
    provider.answer = {"features": {"material": "jersey", "color": "burgundy"}}
    jersey = edit_spec(spec, "make it cosy", backend="auto")
    assert (jersey.material, jersey.fabric, jersey.color) == ("jersey", "knit", "#6a1a2b")
    provider.answer = {"features": {"fabric": "woven", "material": "vinyl", "color": "shiny"}}
    woven = edit_spec(jersey, "make it crisp", backend="auto")
    assert (woven.material, woven.fabric, woven.color) == (None, "woven", "#6a1a2b")
    n = len(provider.requests)
    assert edit_spec(spec, "10 cm shorter", backend="auto").measurements["skirt_length"] == pytest.approx(
        spec.measurements["skirt_length"] - 10
    )
    assert len(provider.requests) == n  # offline rules first: no request for what they understand


def test_transparent_images_are_sent_on_white(tmp_path):
    import base64
    import io

    from PIL import Image

    from garment_addon.core.vlm import image_data_url

    rgba = np.zeros((40, 30, 4), np.uint8)  # fully transparent black
    for src in (rgba, Image.fromarray(rgba)):
        url = image_data_url(src)
        img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
        assert np.asarray(img).mean() > 250


def test_text_auto_falls_back_offline_when_the_llm_fails(provider, monkeypatch):
    from garment_addon.core.language import parse_text

    _configure(monkeypatch, provider, ["garbage", "missing-404"])
    spec = parse_text("a knee-length skirt", backend="auto")
    assert spec.garment_type == "skirt" and spec.metadata["backend"] == "offline"
    assert any("LLM failed" in w for w in spec.metadata["warnings"])
    assert all(KEY not in w for w in spec.metadata["warnings"])
    with pytest.raises(VLMError):
        parse_text("a knee-length skirt", backend="llm")
