"""Garment Studio: a Blender extension and a Python package.

Importing the package never imports bpy; Blender calls register()/unregister().
"""

__version__ = "0.1.0"


def register():
    from . import ui

    ui.register()


def unregister():
    from . import ui

    ui.unregister()
