"""Qt Linguist translations.

Source strings are Chinese (the clerks' language, and what the domain's messages are in), so the
app is fully Chinese even if no ``.qm`` file is found. ``resources/translations/yanta_en.ts``
holds the English UI; ``yanta_zh_CN.ts`` is the identity catalogue kept for translators. Qt's own
``qtbase_<lang>.qm`` (standard dialogs, buttons) is loaded from the PySide6 installation.

``.qm`` files are build output (gitignored): ``compile_translations()`` runs ``pyside6-lrelease``
for every ``.ts`` whose ``.qm`` is missing or older; ``build.spec`` and the tests call it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from .. import paths

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def _lrelease() -> str | None:
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe", "lrelease"):
        candidate = here / name
        if candidate.exists():
            return str(candidate)
        found = shutil.which(name)
        if found:
            return found
    return None


def compile_translations(folder: Path | None = None, force: bool = False) -> list[Path]:
    """Compile stale ``.ts`` files to ``.qm``; returns the ``.qm`` files written."""
    folder = folder or translations_dir()
    written: list[Path] = []
    tool = None
    for ts in sorted(folder.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not force and qm.exists() and qm.stat().st_mtime_ns >= ts.stat().st_mtime_ns:
            continue
        tool = tool or _lrelease()
        if tool is None:
            raise RuntimeError("找不到 pyside6-lrelease，无法编译界面翻译")
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
        written.append(qm)
    return written


def install_translators(app, language: str) -> list:
    """Load our catalogue and Qt's own for ``language``; returns the translators (keep them alive)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    try:
        if not getattr(sys, "frozen", False):
            compile_translations()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        log.warning("界面翻译未能编译：%s", exc)
    QLocale.setDefault(QLocale(language))
    installed = []
    ours = QTranslator(app)
    if ours.load(str(translations_dir() / f"yanta_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for base in ("qtbase", "qt"):
        qt = QTranslator(app)
        if qt.load(f"{base}_{language}", qt_dir) or qt.load(f"{base}_{language.split('_')[0]}", qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
            break
    return installed
