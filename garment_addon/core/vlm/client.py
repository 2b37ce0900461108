"""An OpenAI-compatible chat-completions client that survives what hosted providers really do.

Models are tried in order: a 400/404 "model not supported" moves on to the next model, 429
and 5xx are retried with bounded backoff (Retry-After honoured), answers that arrive only
in a ``reasoning`` field, inside code fences or wrapped in prose are still parsed, and an
invalid JSON answer gets one repair request. The API key is never logged or written: every
error text passes through ``redact``.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
import time
from collections.abc import Callable
from typing import Any

import requests

from ..errors import UserError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://router.huggingface.co/v1"
# The seed's working list; a ``:provider`` suffix selects the provider on the HF router.
DEFAULT_MODELS = (
    "meta-llama/Llama-4-Scout-17B-16E-Instruct:nscale",
    "moonshotai/Kimi-K2.6:together",
    "Qwen/Qwen3.5-9B:together",
)
KEY_VARS = ("GARMENT_VLM_API_KEY", "HF_TOKEN", "OPENAI_API_KEY")


class VLMError(RuntimeError):
    """Every configured model failed (the message lists why, without the key)."""


class _ModelFailed(Exception):
    """This model cannot answer; try the next one."""


def _schema_rejected(status: int, text: str) -> bool:
    return status in (400, 422) and bool(
        re.search(r"response_format|json_schema|schema|structured", text, re.I)
    )


def extract_json(text: str) -> Any:
    """The first JSON object in ``text``: bare, inside ```json fences or surrounded by prose."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty answer")
    text = text.strip()
    # reasoning models sometimes leave their thoughts in <think> tags before the answer
    text = re.sub(r"<think>.*?</think>", "", text, flags=re.S).strip()
    candidates = [m.group(1) for m in re.finditer(r"```(?:json|JSON)?\s*(.*?)```", text, re.S)]
    candidates.append(text)
    for cand in candidates:
        try:
            return json.loads(cand)
        except json.JSONDecodeError:
            pass
        obj = _first_object(cand)
        if obj is not None:
            return obj
    raise ValueError("no JSON object in the answer")


def _first_object(text: str) -> Any:
    """Scan for balanced {...} spans and return the first that parses."""
    dec = json.JSONDecoder()
    for m in re.finditer(r"\{", text):
        try:
            obj, _ = dec.raw_decode(text[m.start() :])
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    return None


def image_data_url(image: Any, max_side: int = 1024) -> str:
    """A base64 ``data:`` URL (JPEG) for a path, PIL image or HxWx3 uint8 array."""
    from PIL import Image

    if isinstance(image, str | os.PathLike):
        from ..imageio import load_image

        image = load_image(image)
    if not isinstance(image, Image.Image):
        import numpy as np

        arr = np.asarray(image)
        if arr.dtype != np.uint8:
            arr = np.clip(arr * (255 if arr.max() <= 1.0 else 1), 0, 255).astype(np.uint8)
        if arr.ndim == 3 and arr.shape[2] == 4:  # transparent: composite onto white, as a viewer shows it
            a = arr[..., 3:].astype(np.float32) / 255
            arr = (arr[..., :3] * a + 255 * (1 - a)).astype(np.uint8)
        image = Image.fromarray(arr)
    if image.mode in ("RGBA", "LA", "PA"):
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    image = image.convert("RGB")
    image.thumbnail((max_side, max_side))
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=88)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class VLMClient:
    """Chat completions with JSON answers, model fallback, retries and key redaction."""

    def __init__(
        self,
        base_url: str | None = None,
        models: list[str] | tuple[str, ...] | str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        max_retries: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        if isinstance(models, str):
            models = [m.strip() for m in models.split(",") if m.strip()]
        self.models = list(models or DEFAULT_MODELS)
        self._api_key = api_key or None
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.session = session or requests.Session()
        self.last_model: str | None = None

    @classmethod
    def from_env(cls, **kw: Any) -> VLMClient:
        env = os.environ
        key = kw.pop("api_key", None) or next((env[v] for v in KEY_VARS if env.get(v)), None)
        return cls(
            kw.pop("base_url", None) or env.get("GARMENT_VLM_BASE_URL") or None,
            kw.pop("models", None) or env.get("GARMENT_VLM_MODELS") or None,
            key,
            **kw,
        )

    @property
    def configured(self) -> bool:
        return bool(self._api_key)

    def __repr__(self) -> str:  # never show the key
        key = "set" if self._api_key else "unset"
        return f"VLMClient(base_url={self.base_url!r}, models={self.models!r}, key={key})"

    def redact(self, text: str) -> str:
        text = str(text)
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return re.sub(r"(Bearer\s+)\S+", r"\1***", text)

    # -- HTTP -------------------------------------------------------------------------------------
    def _post(self, payload: dict[str, Any]) -> requests.Response:
        """POST with retries on 429/5xx/timeouts; returns the last response (or raises _ModelFailed)."""
        url = f"{self.base_url}/chat/completions"
        headers = {"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json"}
        last = ""
        for attempt in range(self.max_retries + 1):
            try:
                r = self.session.post(url, json=payload, headers=headers, timeout=self.timeout)
            except requests.Timeout:
                last = f"timed out after {self.timeout:g} s"
            except requests.RequestException as exc:
                last = f"connection failed ({exc.__class__.__name__})"
            else:
                if r.status_code != 429 and r.status_code < 500:
                    return r
                last = f"HTTP {r.status_code}"
                wait = self._retry_after(r)
                if wait is not None and attempt < self.max_retries:
                    log.info("%s: %s, retrying in %.1f s", payload["model"], last, wait)
                    self.sleep(wait)
                    continue
            if attempt < self.max_retries:
                self.sleep(min(self.max_wait, 0.5 * 2**attempt))
        raise _ModelFailed(last)

    def _retry_after(self, r: requests.Response) -> float | None:
        ra = r.headers.get("Retry-After")
        if ra is None:
            return None
        try:
            return max(0.0, min(self.max_wait, float(ra)))
        except ValueError:
            return min(self.max_wait, 1.0)

    def _complete(self, model: str, messages: list[dict], schema: dict | None, name: str) -> str:
        """One model's answer text; falls back to no response_format when the server rejects it."""
        payload: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "temperature": 0.1,
            "max_tokens": 1200,
        }
        if schema is not None:
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": False},
            }
        r = self._post(payload)
        if r.status_code >= 400 and "response_format" in payload and _schema_rejected(r.status_code, r.text):
            log.info("%s rejected response_format; asking without it", model)
            payload.pop("response_format")
            r = self._post(payload)
        if r.status_code >= 400:
            raise _ModelFailed(f"HTTP {r.status_code}: {self.redact(r.text[:200])}")
        try:
            msg = r.json()["choices"][0]["message"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise _ModelFailed("malformed response") from None
        text = msg.get("content") or ""
        if isinstance(text, list):  # content parts
            text = "".join(p.get("text", "") for p in text if isinstance(p, dict))
        if not str(text).strip():
            text = msg.get("reasoning") or msg.get("reasoning_content") or ""
        return str(text)

    # -- public -----------------------------------------------------------------------------------
    def chat_json(
        self,
        messages: list[dict],
        schema: dict | None = None,
        name: str = "answer",
        validate: Callable[[Any], Any] | None = None,
    ) -> Any:
        """Ask every model in turn until one returns valid JSON (optionally checked by ``validate``)."""
        if not self.configured:
            raise UserError(
                "GARMENT_VLM_API_KEY: not set (also looked at HF_TOKEN and OPENAI_API_KEY); "
                "set one or choose backend offline"
            )
        errors = []
        for model in self.models:
            try:
                answer = self._ask_model(model, messages, schema, name, validate)
            except _ModelFailed as exc:
                msg = self.redact(str(exc))
                log.warning("model %s failed: %s", model, msg)
                errors.append(f"{model}: {msg}")
                continue
            self.last_model = model
            return answer
        raise VLMError(self.redact("every VLM model failed: " + "; ".join(errors)))

    def _ask_model(self, model, messages, schema, name, validate) -> Any:
        text = self._complete(model, messages, schema, name)
        try:
            return _checked(extract_json(text), validate)
        except ValueError as first:
            log.info("%s: invalid JSON (%s); asking for a repair", model, first)
        repair = messages + [
            {"role": "assistant", "content": text[:4000]},
            {
                "role": "user",
                "content": "That was not a valid JSON object matching the schema. "
                "Reply with only the corrected JSON object, no prose.",
            },
        ]
        text = self._complete(model, repair, schema, name)
        try:
            return _checked(extract_json(text), validate)
        except ValueError as exc:
            raise _ModelFailed(f"invalid JSON after one repair ({exc})") from None

    def describe_garment(self, image: Any) -> dict[str, Any]:
        """The garment in a photo as the categorical answer schema (see schema.py)."""
        from .schema import GARMENT_SCHEMA, PROMPT, check_answer

        content = [
            {"type": "text", "text": PROMPT},
            {"type": "image_url", "image_url": {"url": image_data_url(image)}},
        ]
        return self.chat_json([{"role": "user", "content": content}], GARMENT_SCHEMA, "garment", check_answer)

    def ask_text(self, prompt: str, schema: dict, name: str, validate=None) -> Any:
        return self.chat_json([{"role": "user", "content": prompt}], schema, name, validate)


def _checked(obj: Any, validate) -> Any:
    if not isinstance(obj, dict):
        raise ValueError("answer is not a JSON object")
    return validate(obj) if validate else obj
