"""Atomic file writes: a reader never sees a half-written output.

A write that fails for want of space (or permission, or a read-only disk) becomes a one-line
``Failure`` naming the output; the temp file or staging folder is removed, so no partial file stays.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import Failure

NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NO_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS}


def write_failure(exc: OSError, dest) -> Failure | None:
    """The one-line Failure for an OSError met while writing ``dest``; None when it is something else."""
    if exc.errno in NO_SPACE:
        return Failure(f"output: no space left on the disk writing {dest}; nothing was written "
                       "(free some space and run again)")
    if exc.errno in _NO_WRITE:
        return Failure(f"output: cannot write {dest} ({exc.strerror}); nothing was written")
    return None


@contextlib.contextmanager
def _writes_to(dest: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        failure = write_failure(exc, dest)
        if failure is None:
            raise
        raise failure from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path beside ``dest``; rename it over ``dest`` only on success."""
    dest = Path(dest)
    tmp_path = None
    try:
        with _writes_to(dest):
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
            os.close(fd)
            tmp_path = Path(tmp)
            yield tmp_path
            if tmp_path.exists():
                os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
            os.replace(tmp_path, dest)
    finally:
        if tmp_path is not None and tmp_path.exists():
            tmp_path.unlink()


def write_text(dest: str | os.PathLike, text: str) -> Path:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(dest)


def write_bytes(dest: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)
    return Path(dest)


@contextlib.contextmanager
def atomic_dir(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty staging folder; on success its files move into ``dest``.

    Files are moved one by one with os.replace, so each output is whole; on
    failure nothing reaches ``dest`` (and a ``dest`` this call created is removed again).
    """
    dest = Path(dest)
    created = not dest.exists()
    stage = None
    ok = False
    try:
        with _writes_to(dest):
            dest.mkdir(parents=True, exist_ok=True)
            stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=dest))
            yield stage
            for item in sorted(stage.rglob("*")):
                if item.is_file():
                    target = dest / item.relative_to(stage)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(item, target)
            ok = True
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        if not ok and created:
            with contextlib.suppress(OSError):
                dest.rmdir()  # only when empty: never someone's files
