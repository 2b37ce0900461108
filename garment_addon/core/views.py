"""Camera views round the mannequin: the names every front end takes and the files renders write."""

from __future__ import annotations

from .errors import UserError

# camera angles round the body (degrees, counter-clockwise seen from above): the front camera looks
# at the body's front; "side" shows its left side, "three_quarter" its front-left
VIEWS = {"front": 0.0, "three_quarter": 35.0, "side": 90.0, "back": 180.0}


def check_views(views) -> tuple[str, ...]:
    """The views in order, each once; a name not in VIEWS is a UserError naming the allowed ones."""
    bad = [v for v in views if v not in VIEWS]
    if bad:
        raise UserError(f"views: must be among {', '.join(VIEWS)} (got {', '.join(map(repr, bad))})")
    return tuple(dict.fromkeys(views))


def view_png(view: str) -> str:
    """The file name of a view's render: render.png for the front (the one fit and refine compare)."""
    return "render.png" if view == "front" else f"render_{view}.png"
