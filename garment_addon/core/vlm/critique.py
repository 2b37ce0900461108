"""VLM critic for the refinement loop: [photo, render] -> valid spec adjustments (the loop bounds them)."""

from __future__ import annotations

from typing import Any

from ..spec import GarmentSpec, make_spec
from .client import VLMClient, image_data_url
from .schema import CRITIQUE_SCHEMA, check_critique, critique_prompt, valid_adjustments


def critique(
    photo: Any, render: Any, spec: GarmentSpec | dict, client: VLMClient | None = None
) -> dict[str, Any]:
    """``{"differences": [str], "adjustments": {name: new value}, "confidence": 0..1, "converged": bool}``.

    ``photo`` is a path or an RGB array, ``render`` an RGB array (or path). Adjustments use the
    spec's own measurement/feature names, are absolute target values, each clipped to its allowed
    range (the refinement loop bounds the step: proposer.parse_critique); unknown names are
    dropped. Raises VLMError when no model answers.
    """
    spec = spec if isinstance(spec, GarmentSpec) else make_spec(spec)
    client = client or VLMClient.from_env()
    content = [
        {"type": "text", "text": critique_prompt(spec)},
        {"type": "image_url", "image_url": {"url": image_data_url(photo, 768)}},
        {"type": "image_url", "image_url": {"url": image_data_url(render, 768)}},
    ]
    ans = client.chat_json(
        [{"role": "user", "content": content}], CRITIQUE_SCHEMA, "critique", check_critique
    )
    conf = ans.get("confidence")
    diffs = ans.get("differences")
    return {
        "differences": [str(d) for d in diffs] if isinstance(diffs, list) else [],
        "adjustments": valid_adjustments(ans.get("adjustments")),
        "confidence": float(conf) if isinstance(conf, int | float) and 0 <= conf <= 1 else 0.5,
        "converged": bool(ans.get("converged", False)),
    }
