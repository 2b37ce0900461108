"""Text and chat edits -> GarmentSpec (offline rules first, an LLM through core.vlm when configured)."""

from .edit import edit_spec
from .parse import parse_text

__all__ = ["edit_spec", "parse_text"]
