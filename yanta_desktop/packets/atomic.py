"""Atomic file writes: temp file in the same folder, fsync, ``os.replace``, retry while locked."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import YantaError

RETRIES = 10
RETRY_DELAY = 0.2


class FileLockedError(YantaError):
    """目标文件被占用。"""


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # NTFS journals the rename; a directory cannot be fsynced on Windows
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic_with(path: Path, writer: Callable[[BinaryIO], None]) -> Path:
    """Call ``writer(fileobj)`` on a temp file next to ``path``, then atomically move it in place.

    Either the old file (or nothing) or the complete new file is there afterwards, never half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
        for attempt in range(RETRIES):
            try:
                os.replace(tmp, path)
                break
            except PermissionError:
                if attempt == RETRIES - 1:
                    raise FileLockedError(
                        "无法写入文件：文件可能正在 Excel 或 WPS 中打开。请关闭该文件后重试。", where=str(path)
                    ) from None
                time.sleep(RETRY_DELAY)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    return write_atomic_with(path, lambda fh: fh.write(data))


def clean_temp_files(folder: Path) -> int:
    """Remove ``.tmp-*.part`` left by a crash; returns how many."""
    n = 0
    for p in Path(folder).glob(".tmp-*.part"):
        with contextlib.suppress(OSError):
            p.unlink()
            n += 1
    return n
