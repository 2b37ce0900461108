"""Reading the user's input files: one clear UserError naming the input when a file is missing or bad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import UserError


def read_json(path: str, what: str) -> Any:
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{what}: file not found: {path}")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{what}: {path} is not valid JSON ({exc.__class__.__name__})") from None


def read_spec_or_pattern(path: str):
    """(spec, pattern) from a spec JSON or a pattern JSON; the other is derived."""
    from .pattern import SCHEMA, Pattern, draft_pattern
    from .spec import make_spec

    data = read_json(path, "input")
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        pattern = Pattern.from_dict(data)
        return pattern.spec, pattern
    spec = make_spec(data)
    return spec.to_dict(), draft_pattern(spec)
