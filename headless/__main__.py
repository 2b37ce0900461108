"""Entry point for ``python -m headless`` and ``blender -b -P headless/__main__.py -- ...``."""

import os
import sys

if __package__ in (None, ""):
    # Run as a script (e.g. by Blender's -P): make the repository importable.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from headless.cli import main  # noqa: E402

if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--" in sys.argv:  # inside Blender everything before "--" is Blender's
        argv = sys.argv[sys.argv.index("--") + 1:]
    sys.exit(main(argv))
