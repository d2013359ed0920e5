"""Main window: keyboard shortcuts, remembered layout and period, the IP bureau's 汇总 tab, drag-and-drop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from yanta_desktop.store import Store

from .conftest import CJK, open_task, type_text, visible_texts, wait_saved

pytestmark = pytest.mark.gui


def test_ctrl_s_saves_and_ctrl_enter_finalises(make_window, qtbot, data_dir):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    edit = view.rows["filled_by"].editor.input
    edit.setFocus()
    type_text(qtbot, edit, "赵六")
    qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert view.saving or not view.dirty  # queued at once, not after the autosave delay
    wait_saved(view, qtbot)
    with Store.open(data_dir) as store:
        assert store.find_entry("KGJ", 1, "2025Q2").data["values"]["filled_by"] == "赵六"
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "未能定稿" in view.issues_title.text()  # status and phone are still missing
    assert QApplication.focusWidget() is view.issue_list


def test_inputs_have_accessible_names_and_tab_moves_in_form_order(make_window, qtbot):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    for key, row in view.rows.items():
        assert row.editor.input.accessibleName() == view.form.field(key).label
    first = view.rows["invention_grants"].editor.input
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.rows["pct_applications"].editor.input


def test_window_remembers_period_and_splitter(make_window, qtbot):
    window = make_window("KGJ")
    window.period_combo.setCurrentIndex(window.period_combo.findData("2025Q3"))
    window.splitter.setSizes([300, 900])
    sizes = window.splitter.sizes()
    window.close()
    again = make_window("KGJ")
    assert again.period.code == "2025Q3"
    assert again.splitter.sizes()[0] == sizes[0]


def test_window_reopens_the_last_task(make_window, qtbot):
    window = make_window("KGJ")
    open_task(window, qtbot, 5)
    window.close()
    again = make_window("KGJ")
    qtbot.waitUntil(lambda: again.form_view is not None)
    assert again.form_view.task == 5


def test_ip_bureau_gets_the_consolidation_tab_lazily(make_window, qtbot):
    bureau = make_window("KGJ")
    assert bureau.tabs is None
    ipb = make_window("SCJGJ")
    assert ipb.tabs is not None and ipb.tabs.count() == 2
    assert ipb.consolidation_view is None  # not built until asked for
    ipb.tabs.setCurrentIndex(1)
    assert ipb.consolidation_view is not None
    assert ipb.tabs.widget(1) is ipb.consolidation_view


def test_ip_bureau_window_preimports_the_consolidation_view_after_startup(make_window, qtbot, monkeypatch):
    """Only the IP bureau's window imports the 汇总 view, once, shortly after the event loop runs and
    without building it (no worker, no database reads until the tab is opened)."""
    from yanta_desktop.ui import main_window

    imported: list[str] = []
    real = main_window.import_module

    def spy(name: str):
        imported.append(name)
        return real(name)

    monkeypatch.setattr(main_window, "import_module", spy)
    bureau = make_window("KGJ")
    ipb = make_window("SCJGJ")
    assert imported == []  # not during construction: the window is shown first
    qtbot.waitUntil(lambda: len(imported) == 1, timeout=main_window.PRELOAD_CONSOLIDATION_MS + 5000)
    assert imported == ["yanta_desktop.ui.consolidate_view"]
    assert ipb.consolidation_view is None and bureau.tabs is None
    qtbot.wait(300)
    assert len(imported) == 1  # the KGJ window (built first) has no such timer
    ipb.tabs.setCurrentIndex(1)
    assert ipb.consolidation_view is not None


def test_dropping_files_adds_evidence(make_window, qtbot, tmp_path):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    photo = tmp_path / "活动现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 2048)
    box = view.evidence_box
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    enter = QDragEnterEvent(box.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(box, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(box.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(box, drop)
    qtbot.waitUntil(lambda: len(box.items) == 1)
    assert box.items[0]["name"] == "活动现场.jpg"
    assert box.items[0]["kind"] == "照片"


def test_history_opens_from_the_form(make_window, qtbot):
    from yanta_desktop.ui.history import HistoryDialog

    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    edit = view.rows["invention_grants"].editor.input
    edit.setFocus()
    type_text(qtbot, edit, "9")
    view.save_now()
    wait_saved(view, qtbot)
    shown = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, HistoryDialog):
            shown.append(dialog.diff.item(0, 2).text())
            dialog.reject()
        else:
            QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)
    qtbot.mouseClick(view.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["9"]


def test_task_list_reads_statuses_on_the_db_worker(make_window, qtbot, ui_catalog):
    """refresh_tasks() returns while the DB worker is busy (the UI thread never waits for the database):
    the list is rebuilt at once, keeps the statuses it showed, and shows the new ones when they arrive."""
    import threading

    window = make_window("KGJ")
    assert window.task_item(1).text(1) == "未开始"
    form = ui_catalog.catalog.form(1)
    window.db.call(lambda s: s.save_draft("KGJ", 1, "2025Q2", {"values": {"filled_by": "张三"}}, form))
    release = threading.Event()
    window.db.submit(lambda s: release.wait(20))  # the worker is busy, e.g. with a large save
    try:
        window.refresh_tasks()
        assert window.refreshing
        assert window.task_item(1).text(1) == "未开始"  # what it showed, until the worker answers
        assert "已逾期" in window.task_item(1).text(2)
        # another period: the tree changes at once, statuses follow
        window.period_combo.setCurrentIndex(window.period_combo.findData("2025Q3"))
        assert window.period.code == "2025Q3" and window.task_item(1).text(1) == ""
        assert "正在读取" in window.summary_label.text()
        window.period_combo.setCurrentIndex(window.period_combo.findData("2025Q2"))
        assert window.task_item(1).text(1) == ""  # the 2025Q3 list had no statuses to keep
    finally:
        release.set()
    with qtbot.waitSignal(window.tasks_refreshed, timeout=10000):
        pass
    qtbot.waitUntil(lambda: not window.refreshing)
    assert window.period.code == "2025Q2"
    assert window.task_item(1).text(1) == "草稿"
    assert "草稿 1" in window.summary_label.text()


def test_ip_bureau_main_window_in_english(make_window, qtbot, qapp, ui_catalog):
    """With the English catalogue the window's labels, tabs, menus, headers and task list are English;
    only names from the plan (unit, periods, task and group titles) stay Chinese."""
    from PySide6.QtCore import QLocale

    from yanta_desktop.ui.i18n import install_translators

    plan = ui_catalog.plan
    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        window = make_window("SCJGJ")
        seen = visible_texts(window)
        seen += [("menu", a.text()) for m in window.menuBar().actions() if m.menu()
                 for a in [m, *m.menu().actions()]]
        tree = window.tree
        for i in range(tree.topLevelItemCount()):
            group = tree.topLevelItem(i)
            seen.append(("group", group.text(0)))
            seen += [(f"task {c}", group.child(j).text(c)) for j in range(group.childCount()) for c in range(3)]
        seen += [("period", window.period_combo.itemText(i)) for i in range(window.period_combo.count())]
        data = {plan.units["SCJGJ"].name, *(p.label for p in plan.periods()), *(t.title for t in plan.tasks.values()),
                *(g.title for g in plan.spec.task_groups)}

        def stripped(text: str) -> str:
            for s in sorted(data, key=len, reverse=True):
                text = text.replace(s, "")
            return text

        assert ("group", "1. " + plan.spec.task_groups[0].title) in seen
        assert ("QTabWidget modeTabs tab", "Consolidation (district)") in seen
        assert sorted({(w, t) for w, t in seen if CJK.search(stripped(t))}) == []
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
        QLocale.setDefault(before)
