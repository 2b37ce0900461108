"""Blender UI: properties (scene.garment), preferences, operators and the Garment sidebar tab.

Only imported by garment_addon.register(), i.e. inside Blender.
"""

from __future__ import annotations

from . import operators, panels, preferences, properties, refine_op

MODULES = (properties, preferences, operators, refine_op, panels)


def register() -> None:
    done = []
    try:
        for mod in MODULES:
            mod.register()
            done.append(mod)
    except Exception:
        for mod in reversed(done):  # leave Blender as it was: nothing half-registered
            mod.unregister()
        raise


def unregister() -> None:
    for mod in reversed(MODULES):
        mod.unregister()
