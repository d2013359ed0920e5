"""``yanta-desktop``: the bureau clerk's GUI (PySide6; views built in code).

Options: ``--data-dir DIR`` (as the CLI), ``--lang zh_CN|en``, ``--self-test`` (open the main
window headless, process events, close, exit 0 — used by CI on the bundle).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("yanta_desktop")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="yanta-desktop", description="雁塔知识产权强县填报")
    parser.add_argument("--data-dir", help="数据目录（默认：系统用户数据目录，或环境变量 YANTA_DATA_DIR）")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="界面语言（默认中文）")
    parser.add_argument("--self-test", action="store_true", help="无界面自检：打开主窗口后立即退出")
    return parser.parse_args(argv)


def ui_settings(data_dir: Path):
    """Window size, layout, last period, language: a QSettings ini file kept with the data."""
    from PySide6.QtCore import QSettings

    return QSettings(str(data_dir / "ui.ini"), QSettings.Format.IniFormat)


def make_application(argv: Sequence[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv or [sys.argv[0]]))
    app.setOrganizationName("Yanta")
    app.setApplicationName("YantaDesktop")
    app.setApplicationDisplayName("雁塔知识产权强县填报")
    return app


def apply_style(app) -> None:
    """House style sheet and a CJK-capable font on every platform (YaHei on Windows)."""
    from . import paths

    font = app.font()
    families = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei"]
    font.setFamilies([*families, font.family()])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    icon = paths.resources_dir() / "icons" / "yanta.svg"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    qss = paths.resources_dir() / "styles" / "app.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def build_main_window(data_dir: Path, catalog=None, db=None, today=None, run_setup: bool = True):
    """The main window for ``data_dir`` (runs first-run setup when the unit is not set yet).

    Returns ``None`` when the clerk cancels setup.
    """
    from PySide6.QtWidgets import QDialog

    from .ui.core import load_catalog_tolerant
    from .ui.main_window import MainWindow
    from .ui.tasks import DbWorker

    catalog = catalog or load_catalog_tolerant()
    db = db or DbWorker(data_dir)
    settings = ui_settings(data_dir)
    unit = db.call(lambda s: s.unit)
    if unit is None:
        if not run_setup:
            return None
        from .ui.setup import SetupWizard

        wizard = SetupWizard(data_dir, catalog.plan)
        if wizard.exec() != QDialog.DialogCode.Accepted or not wizard.unit_code():
            db.stop()
            return None
        chosen = catalog.plan.units[wizard.unit_code()]
        db.call(lambda s: s.set_unit(chosen.code, chosen.name))
    return MainWindow(data_dir, catalog, db, settings, today=today)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from . import paths

    temp = None
    if args.self_test and not args.data_dir and not os.environ.get("YANTA_DATA_DIR"):
        temp = tempfile.TemporaryDirectory(prefix="yanta-selftest-")
        args.data_dir = temp.name
    data_dir = paths.data_dir(args.data_dir)

    from PySide6.QtWidgets import QMessageBox

    from .errors import YantaError
    from .ui.core import load_catalog_tolerant
    from .ui.i18n import install_translators
    from .ui.tasks import DbWorker

    app = make_application()
    settings = ui_settings(data_dir)
    language = args.lang or str(settings.value("ui/lang", "zh_CN"))
    app._translators = install_translators(app, language)  # type: ignore[attr-defined]
    apply_style(app)
    try:
        catalog = load_catalog_tolerant()
    except YantaError as exc:
        QMessageBox.critical(None, "雁塔知识产权强县填报", f"无法读取工作方案：\n{exc}")
        return 1
    db = DbWorker(data_dir)
    try:
        if args.self_test and db.call(lambda s: s.unit) is None:
            ipb = catalog.plan.ip_bureau
            db.call(lambda s: s.set_unit(ipb.code, ipb.name))
        window = build_main_window(data_dir, catalog, db, run_setup=not args.self_test)
    except YantaError as exc:
        db.stop()
        QMessageBox.critical(None, "雁塔知识产权强县填报", str(exc))
        return 1
    if window is None:
        return 0
    window.show()
    if args.self_test:
        from PySide6.QtCore import QTimer

        def finish() -> None:
            app.processEvents()
            ok = window.tree.topLevelItemCount() > 0
            print(f"self-test: {'ok' if ok else 'FAILED'} ({window.windowTitle()}; data {data_dir})")
            window.close()
            app.exit(0 if ok else 1)

        QTimer.singleShot(200, finish)
    try:
        code = app.exec()
    finally:
        from .ui.tasks import wait_for_jobs

        wait_for_jobs()
        db.stop()
        from PySide6.QtCore import QEvent

        window.deleteLater()  # deleted while Python is alive, not in PySide's exit sweep
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if temp is not None:
            temp.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
