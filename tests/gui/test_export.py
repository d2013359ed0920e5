"""Export from the GUI: readiness, passphrase, worker thread with progress, result; the packet verifies."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import Qt

from yanta_desktop.packets import TrustStore, verify_packet
from yanta_desktop.ui.export_dialog import ExportDialog

from .conftest import PASSPHRASE, certify, open_task, type_text

pytestmark = pytest.mark.gui


def finalise_task1(qtbot, view):
    combo = view.rows["status"].editor.input
    combo.setCurrentIndex(combo.findData("推进中"))
    for key, text in (("filled_by", "王晓明"), ("phone", "13912345678"), ("invention_grants", "12")):
        edit = view.rows[key].editor.input
        edit.setFocus()
        type_text(qtbot, edit, text)
    with qtbot.waitSignal(view.status_changed, timeout=5000):
        view.finalise()
    assert view.entry.status == "final"


def make_dialog(window, qtbot):
    dialog = ExportDialog(window.data_dir, window.catalog, window.db, window.unit_code, window.period, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.items), timeout=5000)
    return dialog


def test_export_explains_what_is_missing_without_a_certificate(make_window, qtbot):
    window = make_window("KGJ")
    dialog = make_dialog(window, qtbot)
    assert "证书" in dialog.key_label.text()
    statuses = {i.task: i.status for i in dialog.items}
    assert statuses and set(statuses.values()) == {"missing"}
    assert "未填报" in dialog.summary.text()
    dialog.passphrase.setText(PASSPHRASE)
    assert not dialog.export_button.isEnabled()


def test_export_runs_off_the_ui_thread_and_the_packet_verifies(make_window, qtbot, data_dir, tmp_path, plan):
    ipb = tmp_path / "ipb"
    certify(data_dir, ipb, "KGJ", plan)
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    finalise_task1(qtbot, view)
    dialog = make_dialog(window, qtbot)
    statuses = {i.task: i.status for i in dialog.items}
    assert statuses[1] == "final"
    dialog.passphrase.setText(PASSPHRASE)
    assert not dialog.export_button.isEnabled()  # other tasks are not filled in
    dialog.allow_missing.setChecked(True)
    assert dialog.export_button.isEnabled()

    dialog.passphrase.setText("wrong passphrase")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=20000)
    assert "口令不正确" in dialog.message.text()
    assert not dialog.result_box.isVisible()

    progress = []
    dialog.progress.valueChanged.connect(progress.append)
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.running and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    result = dialog.result
    assert dialog.result_box.isVisible() and progress
    assert dialog.path_label.text() == str(result.path)
    assert dialog.fp_label.text() == result.payload_sha256
    report = verify_packet(result.path, TrustStore.load(ipb), window.catalog.catalog)
    assert report.ok, [p.message for p in report.problems]
    assert report.unit_code == "KGJ" and report.period == "2025Q2"
    assert report.payload_sha256 == result.payload_sha256
    entry = next(e for e in report.payload["entries"] if e["task"] == 1)
    assert entry["values"]["invention_grants"] == 12
    assert hashlib.sha256(result.path.read_bytes()).hexdigest()  # a real file
    qtbot.waitUntil(lambda: {i.task: i.status for i in dialog.items}.get(1) == "exported", timeout=5000)
    dialog.close()
    with qtbot.waitSignal(window.tasks_refreshed, timeout=5000):
        window.refresh_tasks()
    assert window.task_item(1).text(1) == "已导出"
