"""Every path the program uses, in one place.

The data directory is, in order: an explicit ``--data-dir``, ``$YANTA_DATA_DIR``, or the OS
user data directory (``%LOCALAPPDATA%\\Yanta\\YantaDesktop`` on Windows,
``~/.local/share/YantaDesktop`` on Linux). Bundled read-only files (``forms/``,
``resources/``) are found next to the package, or inside a PyInstaller bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "YantaDesktop"
APP_AUTHOR = "Yanta"


def bundle_root() -> Path:
    """The folder holding ``forms/`` and ``resources/`` (repo checkout or frozen bundle)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    override = os.environ.get("YANTA_FORMS_DIR")
    return Path(override) if override else bundle_root() / "forms"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        path = Path(explicit)
    elif os.environ.get("YANTA_DATA_DIR"):
        path = Path(os.environ["YANTA_DATA_DIR"])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(root: Path) -> Path:
    return root / "yanta.db"


def consolidation_database_path(root: Path) -> Path:
    return root / "consolidation.db"


def evidence_dir(root: Path) -> Path:
    return root / "evidence"


def keys_dir(root: Path) -> Path:
    return root / "keys"


def exports_dir(root: Path) -> Path:
    return root / "exports"


def quarantine_dir(root: Path) -> Path:
    return root / "quarantine"


def backups_dir(root: Path) -> Path:
    return root / "backups"
