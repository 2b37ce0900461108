"""Blender UI: properties (scene.garment), preferences, operators and the Garment sidebar tab.

The bpy modules are imported by register(), so `ui.convert` (pure Python) imports without Blender.
"""

from __future__ import annotations

import importlib

MODULE_NAMES = ("properties", "preferences", "operators", "refine_op", "panels")


def _modules():
    return [importlib.import_module(f".{name}", __name__) for name in MODULE_NAMES]


def register() -> None:
    done = []
    try:
        for mod in _modules():
            mod.register()
            done.append(mod)
    except Exception:
        for mod in reversed(done):  # leave Blender as it was: nothing half-registered
            mod.unregister()
        raise


def unregister() -> None:
    for mod in reversed(_modules()):
        mod.unregister()
