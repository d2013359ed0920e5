"""GUI fixtures: a real data directory with the unit set, a real store worker, real widgets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

TODAY = dt.date(2025, 8, 1)  # 2025Q2 has ended and is overdue (due 2025-07-15)


@pytest.fixture(scope="session", autouse=True)
def _translations():
    from yanta_desktop.ui.i18n import compile_translations

    compile_translations()


def _flush_deletions() -> None:
    """Run pending deleteLater()s now: PySide crashes at exit on widgets still waiting for deletion."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    _flush_deletions()


@pytest.fixture(scope="session", autouse=True)
def _clean_exit():
    yield
    import gc

    from PySide6.QtWidgets import QApplication

    from yanta_desktop.ui.tasks import wait_for_jobs

    wait_for_jobs()
    if QApplication.instance() is not None:
        for widget in QApplication.topLevelWidgets():
            widget.close()
            widget.deleteLater()
    _flush_deletions()
    gc.collect()


@pytest.fixture
def ui_catalog():
    from yanta_desktop.ui.core import load_catalog_tolerant

    return load_catalog_tolerant()


@pytest.fixture
def make_window(qtbot, data_dir: Path, ui_catalog):
    """``make_window(unit="KGJ")`` → a shown MainWindow on ``data_dir``; closed (drafts flushed) at teardown."""
    from yanta_desktop.app import build_main_window
    from yanta_desktop.ui.tasks import DbWorker

    made = []

    def make(unit: str = "KGJ", today: dt.date = TODAY):
        db = DbWorker(data_dir)
        u = ui_catalog.plan.units[unit]
        db.call(lambda s: s.set_unit(u.code, u.name))
        window = build_main_window(data_dir, ui_catalog, db, today=today, run_setup=False)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.waitUntil(lambda: not window.refreshing)  # the task statuses are read on the DB worker
        made.append((window, db))
        return window

    yield make
    for window, db in made:
        if window.isVisible():
            window.close()
        db.stop()


def open_task(window, qtbot, task: int):
    window.select_task(task)
    qtbot.waitUntil(lambda: window.form_view is not None and window.form_view.task == task)
    return window.form_view


def wait_saved(view, qtbot):
    """Wait until every queued draft save has landed."""
    qtbot.waitUntil(lambda: not view.dirty and view.saving == 0, timeout=5000)



def type_text(qtbot, widget, text: str) -> None:
    """Type like a clerk: ASCII as key presses, Chinese as an input-method commit (as a pinyin IME does)."""
    from itertools import groupby

    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for ascii_run, chars in groupby(text, key=str.isascii):
        run = "".join(chars)
        if ascii_run:
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


PASSPHRASE = "测试口令-correct horse"


def certify(data_dir: Path, ipb_dir: Path, unit: str, plan) -> None:
    """The real flow: the bureau requests a key, the IP bureau's CA issues, the bureau installs."""
    from yanta_desktop.packets import pki

    ipb_dir.mkdir(parents=True, exist_ok=True)
    if not pki.ca_exists(ipb_dir):
        pki.ca_init(ipb_dir, PASSPHRASE)
    u = plan.units[unit]
    csr, _ = pki.key_request(data_dir, u.code, u.name, PASSPHRASE)
    cert = pki.ca_issue(ipb_dir, csr.read_bytes(), PASSPHRASE, plan)
    pki.key_install(data_dir, pki.cert_pem(cert), pki.cert_pem(pki.ca_root(ipb_dir)), u.code)


# Chinese characters and punctuation (full-width forms included) in an English UI
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def visible_texts(root) -> list[tuple[str, str]]:
    """(where, text) for every visible label, button, tab title, group title and table header under root."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QGroupBox, QLabel, QTabWidget, QWidget

    found: list[tuple[str, str]] = [("window title", root.windowTitle())]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root) and w is not root:
            continue
        name = f"{type(w).__name__} {w.objectName()}"
        if isinstance(w, QLabel):
            found.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            found += [(name, w.text()), (name + " tooltip", w.toolTip())]
        elif isinstance(w, QGroupBox):
            found.append((name, w.title()))
        elif isinstance(w, QTabWidget):
            found += [(name + " tab", w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            found += [(name + " header", str(m.headerData(c, Qt.Orientation.Horizontal) or ""))
                      for c in range(m.columnCount())]
    return found
