"""The panel's session state: what lives only while Blender runs, per scene, and is never saved.

Operators and the refinement operator both read and write it here, so neither imports the other
for it.
"""

from __future__ import annotations

import weakref

# scene name -> the last SceneResult; it holds live objects, so it is reused only while they exist
_results: dict[str, object] = {}
# scene name -> the AssembleJob building there (weak: an abandoned job does not lock the scene)
_assembling: dict[str, weakref.ref] = {}
_refining: set[str] = set()  # scenes with a live refinement (the saved `running` flag may be stale)


def remember_result(scene_name: str, result) -> None:
    """Render and Export use this assembly (or refined garment) from now on."""
    _results[scene_name] = result


def current_result(context):
    """The scene's last assembly if its objects still exist (undo or reload drop them)."""
    result = _results.get(context.scene.name)
    try:
        if result is not None and result.garment.name and result.mannequin.name:
            return result
    except (ReferenceError, AttributeError):
        pass
    _results.pop(context.scene.name, None)
    return None


def start_assembling(scene_name: str, job) -> None:
    _assembling[scene_name] = weakref.ref(job)


def assembling(scene) -> bool:
    """Whether a drape is half way in this scene: the garment operators wait until it ends."""
    ref = _assembling.get(scene.name)
    job = ref() if ref else None
    return job is not None and not job.finished


def set_refining(scene_name: str, on: bool) -> None:
    (_refining.add if on else _refining.discard)(scene_name)


def is_running(scene) -> bool:
    """Whether a refinement is live in this scene."""
    return scene.name in _refining


def clear() -> None:
    _results.clear()
    _assembling.clear()
    _refining.clear()
