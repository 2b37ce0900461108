"""An OpenAI-compatible chat-completions client that survives what hosted providers really do.

Models are tried in order: a 400/404 "model not supported" moves on to the next model, 429
and 5xx are retried with bounded backoff (Retry-After honoured up to ``max_wait``, else said in
the message), answers that arrive only in a ``reasoning`` field, inside code fences or wrapped in
prose are still parsed, and an invalid JSON answer gets one repair request. Every request has a
total deadline (transport.py) and every ``chat_json`` call a budget over all its models and retries.
Nothing a server sends reaches a message, a log or a file before ``redact`` cut it to a short
excerpt without keys; a failure says what to check (the URL, the model list, the key).
"""

from __future__ import annotations

import base64
import copy
import email.utils
import io
import json
import logging
import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import Failure, UserError
from . import transport
from .transport import HTTPException

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://router.huggingface.co/v1"
# The seed's working list; a ``:provider`` suffix selects the provider on the HF router.
DEFAULT_MODELS = (
    "meta-llama/Llama-4-Scout-17B-16E-Instruct:nscale",
    "moonshotai/Kimi-K2.6:together",
    "Qwen/Qwen3.5-9B:together",
)
KEY_VARS = ("GARMENT_VLM_API_KEY", "HF_TOKEN", "OPENAI_API_KEY")
GONE_FOR = 600.0  # s an unreachable or stalled endpoint is not asked again (a loop asks every iteration)
GONE_KINDS = {"unreachable", "timeout", "server", "rate", "key"}  # failures a retry within minutes repeats
_GONE: dict[str, tuple[float, str]] = {}  # base_url -> (when, the failure), shared by every client
EXCERPT = 160  # characters of a server's error text that may reach a message

# What to check, by why a model failed; a VLMError ends with the hints its failures call for.
HINTS = {
    "unreachable": "check the URL (GARMENT_VLM_BASE_URL, now {url}) and the network",
    "key": "check the API key (GARMENT_VLM_API_KEY, HF_TOKEN or OPENAI_API_KEY)",
    "model": "check the model names in GARMENT_VLM_MODELS",
    "answer": "try another model in GARMENT_VLM_MODELS (these did not answer in JSON)",
    "rate": "run again after the time the server gave",
    "timeout": "the server at {url} is slow or stalled: try again later or raise GARMENT_VLM_TIMEOUT (now {t:g} s)",
    "server": "the provider is failing (HTTP 5xx): try again later",
    "http": "check the URL (GARMENT_VLM_BASE_URL, now {url})",
}

_SECRETS = [
    (re.compile(r"(Bearer\s+)\S+", re.I), r"\1***"),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"), "sk-***"),
    (re.compile(r"\bhf_[A-Za-z0-9]{6,}"), "hf_***"),
    (re.compile(r"((?:api[_-]?key|token|secret|password|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;}]+",
                re.I), r"\1***"),
    # long base64/hex runs: 32+ characters, or 24+ with a digit (model names break on '-' and ':')
    (re.compile(r"(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/]{32,}|(?=[A-Za-z0-9+/]*\d)[A-Za-z0-9+/]{24,})=*"),
     "[redacted]"),
]


def _key_parts(text: str, key: str, n: int = 6) -> list[tuple[int, int]]:
    """Spans of ``text`` (at least ``n`` characters) that also occur in ``key``: an echoed prefix, say."""
    spans, i = [], 0
    while i <= len(text) - n:
        if text[i:i + n] in key:
            j = i + n
            while j < len(text) and text[i:j + 1] in key:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def redact(text: Any, key: str | None = None, limit: int | None = EXCERPT) -> str:
    """``text`` on one line, without the key (or any 6+ character part of it) or anything key-like,
    cut to ``limit`` characters (None: whole)."""
    text = " ".join(str(text)[: 8 * limit if limit else None].split())
    if key:
        text = text.replace(key, "***")
        for i, j in reversed(_key_parts(text, key)):
            text = text[:i] + "***" + text[j:]
    for pattern, repl in _SECRETS:
        text = pattern.sub(repl, text)
    return text if not limit or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def redact_leaves(obj: Any, key: str | None) -> Any:
    """The answer with every string redacted: model text may land in spec.json and fit_report.json."""
    if isinstance(obj, str):
        return redact(obj, key, limit=2000)
    if isinstance(obj, dict):
        return {redact(k, key, None): redact_leaves(v, key) for k, v in obj.items()}
    if isinstance(obj, list):
        return [redact_leaves(v, key) for v in obj]
    return obj


class VLMError(Failure):
    """Every configured model failed (the message lists why, without the key, and what to check)."""


class _ModelFailed(Exception):
    """This model cannot answer; try the next one. ``kind`` picks the hint (see HINTS)."""

    def __init__(self, message: str, kind: str = "answer"):
        super().__init__(message)
        self.kind = kind


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
    """Chat completions with JSON answers, model fallback, retries, deadlines and key redaction."""

    def __init__(
        self,
        base_url: str | None = None,
        models: list[str] | tuple[str, ...] | str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        max_retries: int = 3,
        max_wait: float = 30.0,
        budget: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        if not re.match(r"^https?://[^/\s]+", self.base_url):
            raise UserError(f"GARMENT_VLM_BASE_URL: must start with http:// or https:// (got {self.base_url!r})")
        if isinstance(models, str):
            models = [m.strip() for m in models.split(",") if m.strip()]
        self.models = list(models or DEFAULT_MODELS)
        self._api_key = api_key or None
        self.timeout = float(timeout)  # one request, connect to last byte
        self.budget = float(budget if budget is not None else 3 * timeout)  # one chat_json, all models
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.last_model: str | None = None

    @classmethod
    def from_env(cls, **kw: Any) -> VLMClient:
        env = os.environ
        key = kw.pop("api_key", None) or next((env[v] for v in KEY_VARS if env.get(v)), None)
        if env.get("GARMENT_VLM_TIMEOUT") and "timeout" not in kw:
            try:
                kw["timeout"] = float(env["GARMENT_VLM_TIMEOUT"])
            except ValueError:
                kw["timeout"] = -1.0
            if not 1 <= kw["timeout"] <= 600:
                raise UserError(f"GARMENT_VLM_TIMEOUT: must be 1..600 seconds (got {env['GARMENT_VLM_TIMEOUT']!r})")
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

    def redact(self, text: str, limit: int | None = None) -> str:
        return redact(text, self._api_key, limit)

    # -- HTTP -------------------------------------------------------------------------------------
    def _post(self, payload: dict[str, Any], end: float) -> transport.Reply:
        """POST with retries on 429/5xx/resets, each request under its deadline, all before ``end``."""
        url = f"{self.base_url}/chat/completions"
        headers = {"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json"}
        body = json.dumps(payload).encode()
        last, kind = "", "server"
        for attempt in range(self.max_retries + 1):
            left = end - time.monotonic()
            if left < 0.05:  # the last failure is the reason; the budget only stopped the retries
                raise _ModelFailed(f"{last}, retried until the {self.budget:.3g} s budget ran out", kind) if last \
                    else _ModelFailed(f"no answer within the {self.budget:.3g} s budget", "timeout")
            seconds = min(self.timeout, left)
            try:
                r = transport.post(url, body, headers, seconds)
            except transport.TimedOut:  # slow, not broken: the next model may be quicker
                raise _ModelFailed(f"no complete answer within {seconds:.3g} s", "timeout") from None
            except transport.Unreachable as exc:
                raise _ModelFailed(f"cannot connect to {self.base_url} ({self.redact(exc, 80)})",
                                   "unreachable") from None
            except (OSError, HTTPException) as exc:
                last, kind = f"connection failed ({self.redact(exc, 80) or exc.__class__.__name__})", "server"
            else:
                if r.status != 429 and r.status < 500:
                    return r
                last, kind = f"HTTP {r.status}", "rate" if r.status == 429 else "server"
                wait = _retry_after(r)
                if wait is not None and wait > min(self.max_wait, end - time.monotonic()):
                    at = (datetime.now(UTC) + timedelta(seconds=wait)).strftime("%H:%M UTC")
                    raise _ModelFailed(f"HTTP {r.status}: the server asks to retry in {wait:.0f} s "
                                       f"(after {at})", kind)
                if wait is not None and attempt < self.max_retries:
                    log.info("%s: %s, retrying in %.1f s", payload["model"], last, wait)
                    self.sleep(wait)
                    continue
            if attempt < self.max_retries:
                self.sleep(min(self.max_wait, 0.5 * 2**attempt, max(0.0, end - time.monotonic())))
        raise _ModelFailed(last, kind)

    def _complete(self, model: str, messages: list[dict], schema: dict | None, name: str, end: float) -> str:
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
        r = self._post(payload, end)
        if r.status >= 400 and "response_format" in payload and _schema_rejected(r.status, r.text):
            log.info("%s rejected response_format; asking without it", model)
            payload.pop("response_format")
            r = self._post(payload, end)
        if r.status >= 400:
            kind = "key" if r.status in (401, 403) else "model" if r.status in (400, 404, 422) else "http"
            raise _ModelFailed(f"HTTP {r.status}: {self.redact(_error_text(r.text), EXCERPT)}", kind)
        try:
            msg = json.loads(r.text)["choices"][0]["message"]
            text = msg.get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise _ModelFailed(f"not a chat completion: {self.redact(r.text, 80)!r}") from None
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
        """Ask every model in turn until one returns valid JSON (optionally checked by ``validate``).

        Bounded by ``budget`` seconds in all. The answer's strings come back redacted.
        """
        if not self.configured:
            raise UserError(
                "GARMENT_VLM_API_KEY: not set (also looked at HF_TOKEN and OPENAI_API_KEY); "
                "set one or choose backend offline"
            )
        gone = _GONE.get(self.base_url)
        if gone and time.monotonic() - gone[0] < GONE_FOR:  # not again every iteration of a loop
            raise VLMError(f"{gone[1]} (earlier in this run; not asked again for {GONE_FOR / 60:.0f} min)")
        end = time.monotonic() + self.budget
        errors, kinds = [], []
        for model in self.models:
            try:
                answer = self._ask_model(model, messages, schema, name, validate, end)
            except _ModelFailed as exc:
                msg = self.redact(exc, 2 * EXCERPT)
                log.info("model %s failed: %s", model, msg)  # the VLMError lists every model's reason
                errors.append(f"{model}: {msg}")
                kinds.append(exc.kind)
                if exc.kind == "unreachable" or time.monotonic() >= end:
                    break  # every model is behind the same URL / no time left
                continue
            self.last_model = model
            return redact_leaves(answer, self._api_key)
        hints = "; ".join(dict.fromkeys(HINTS[k].format(url=self.base_url, t=self.timeout) for k in kinds))
        message = self.redact(f"every VLM model failed ({' | '.join(errors)}); {hints}; "
                              "or use --backend offline", None)
        if set(kinds) <= GONE_KINDS:  # asking again soon gets the same answer
            _GONE[self.base_url] = (time.monotonic(), message)
        raise VLMError(message)

    def _ask_model(self, model, messages, schema, name, validate, end) -> Any:
        text = self._complete(model, messages, schema, name, end)
        try:
            return _checked(extract_json(text), validate)
        except ValueError as first:
            log.info("%s: invalid JSON (%s); asking for a repair", model, self.redact(first, EXCERPT))
        repair = messages + [
            {"role": "assistant", "content": text[:4000]},
            {
                "role": "user",
                "content": "That was not a valid JSON object matching the schema. "
                "Reply with only the corrected JSON object, no prose.",
            },
        ]
        text = self._complete(model, repair, schema, name, end)
        try:
            return _checked(extract_json(text), validate)
        except ValueError as exc:
            raise _ModelFailed(f"invalid JSON after one repair ({self.redact(exc, EXCERPT)})") from None

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


def _retry_after(r: transport.Reply) -> float | None:
    """Retry-After in seconds (a number or an HTTP date); None when absent, 1 s when unreadable."""
    ra = r.headers.get("retry-after")
    if ra is None:
        return None
    try:
        return max(0.0, float(ra))
    except ValueError:
        pass
    try:
        return max(0.0, (email.utils.parsedate_to_datetime(ra) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return 1.0


def _error_text(body: str) -> str:
    """The provider's own error message when the body is the usual {"error": ...} JSON, else the body."""
    try:
        err = json.loads(body).get("error", body)
    except (ValueError, AttributeError):
        return body
    return str(err.get("message", err) if isinstance(err, dict) else err)


def ask_or_fall_back(backend: str, ask: Callable[[VLMClient], Any], warnings: list[str], *, what: str = "VLM",
                     offline: str = "analyzer", client: VLMClient | None = None) -> Any:
    """``ask(client)`` for backend vlm/llm (its VLMError propagates) or auto; None means: work offline.

    ``auto`` without a key or with a failing model adds one warning and returns None, the same way in
    every command (analyze, text, edit, fit, batch), after at most ``timeout`` seconds (not ``budget``).
    """
    if backend == "offline":
        return None
    client = client or VLMClient.from_env()
    if backend == "auto" and not client.configured:
        warnings.append(f"no {what} configured (GARMENT_VLM_API_KEY); used the offline {offline}")
        return None
    if backend == "auto":  # an offline answer is waiting: one request's time, not every model's
        client = copy.copy(client)
        client.budget = min(client.budget, client.timeout)
    try:
        try:
            return ask(client)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            if isinstance(exc, UserError) and not client.configured:
                raise  # no key for --backend vlm: the user's setting
            # the answer passed the schema but could not be used: the model's fault, not the user's
            raise VLMError(f"the answer of {client.last_model or 'the model'} could not be used "
                           f"({client.redact(exc, EXCERPT)})") from None
    except VLMError as exc:
        if backend != "auto":
            raise
        warnings.append(f"{what} failed, used the offline {offline}: {exc}")
        log.info("%s", warnings[-1])  # front ends show the warnings they are handed
        return None


def _checked(obj: Any, validate) -> Any:
    if not isinstance(obj, dict):
        raise ValueError("answer is not a JSON object")
    return validate(obj) if validate else obj
