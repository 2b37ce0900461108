"""Command-line front end: ``python -m headless <command>`` (also runs inside Blender)."""
