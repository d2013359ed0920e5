"""Child process for test_kill: open the app on a data dir, type into task 1, keep running until killed.

Usage: python kill_child.py DATA_DIR UNIT FIELD TEXT
Prints "TYPED" (flushed) right after the last key press, then idles in the event loop.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    data_dir, unit, field, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest

    from yanta_desktop.app import build_main_window, make_application
    from yanta_desktop.ui.core import load_catalog_tolerant
    from yanta_desktop.ui.tasks import DbWorker

    app = make_application()
    catalog = load_catalog_tolerant()
    db = DbWorker(data_dir)
    u = catalog.plan.units[unit]
    db.call(lambda s: s.set_unit(u.code, u.name))
    window = build_main_window(data_dir, catalog, db, today=dt.date(2025, 8, 1), run_setup=False)
    window.show()

    def type_it() -> None:
        if window.form_view is None:  # the form opens asynchronously
            QTimer.singleShot(20, type_it)
            return
        edit = window.form_view.rows[field].editor.input
        edit.setFocus()
        QTest.keyClicks(edit, text)
        print("TYPED", flush=True)

    window.select_task(1)
    QTimer.singleShot(50, type_it)
    app.exec()


if __name__ == "__main__":
    main()
