"""OpenAI-compatible VLM client (photo -> categorical garment answer, render critique)."""

from .client import DEFAULT_BASE_URL, DEFAULT_MODELS, VLMClient, VLMError, extract_json, image_data_url
from .critique import critique

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODELS",
    "VLMClient",
    "VLMError",
    "critique",
    "extract_json",
    "image_data_url",
]
