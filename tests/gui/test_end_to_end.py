"""Done when: from first start to an exported, verifiable packet with keyboard and mouse alone.

The real entry path (``build_main_window`` runs the modal setup wizard), the IP bureau's own
installation (it certifies itself, so no second machine is needed), a form typed in from the
task's sample entry, 定稿 with Ctrl+Enter, export with Ctrl+E, and ``verify_packet``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWizard

from yanta_desktop.forms.model import FieldType
from yanta_desktop.packets import TrustStore, verify_packet
from yanta_desktop.ui.export_dialog import ExportDialog
from yanta_desktop.ui.fields import display_text
from yanta_desktop.ui.setup import SetupWizard

from .conftest import PASSPHRASE, TODAY, type_text

pytestmark = [pytest.mark.gui, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def drive_modal(qtbot, kind, steps) -> None:
    """Run ``steps(widget)`` on the next modal ``kind`` as soon as it is shown."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            try:
                steps(widget)
            finally:  # never leave a modal dialog open: the test would hang instead of failing
                if widget.isVisible():
                    widget.done(0)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def enter(qtbot, editor, spec, value) -> None:
    widget = editor.input
    if spec.type == FieldType.multichoice:
        for box in editor.boxes:
            if box.text() in value:
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
        return
    if isinstance(widget, QComboBox):
        text = display_text(spec, value)
        widget.setFocus()
        widget.setCurrentIndex(widget.findText(text))
        return
    assert isinstance(widget, (QLineEdit, QPlainTextEdit))
    widget.setFocus()
    type_text(qtbot, widget, display_text(spec, value))


def test_first_start_to_a_verified_packet(qtbot, data_dir, ui_catalog):
    from yanta_desktop.app import build_main_window
    from yanta_desktop.ui.tasks import DbWorker

    def setup(wizard: SetupWizard) -> None:
        type_text(qtbot, wizard.unit_page.search, "区知识产权局")
        qtbot.keyClick(wizard.unit_page.search, Qt.Key.Key_Return)  # Enter picks the match
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.key_page)
        type_text(qtbot, wizard.key_page.pass1, PASSPHRASE)
        type_text(qtbot, wizard.key_page.pass2, PASSPHRASE)
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.cert_page, timeout=30000)
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    db = DbWorker(data_dir)
    drive_modal(qtbot, SetupWizard, setup)
    window = build_main_window(data_dir, ui_catalog, db, today=TODAY)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.unit_code == "SCJGJ" and window.tabs is not None
        window.select_task(1)
        qtbot.waitUntil(lambda: window.form_view is not None)
        view = window.form_view
        sample = json.loads((REPO / "forms" / "samples" / "task01.json").read_text(encoding="utf-8"))
        for key, value in sample["values"].items():
            if view.rows[key].isVisibleTo(view):
                enter(qtbot, view.rows[key].editor, view.form.field(key), value)
        box = view.tables["entities"]
        block = "\n".join(
            "\t".join(display_text(c, row.get(c.key)) for c in box.model.columns) for row in sample["tables"]["entities"]
        )
        QApplication.clipboard().setText(block)
        box.view.setFocus()
        qtbot.keyClick(box.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert box.model.rowCount() == len(sample["tables"]["entities"])
        view.revalidate()
        assert view.error_count() == 0, [i.message for i in view.issues]
        with qtbot.waitSignal(view.status_changed, timeout=10000):
            qtbot.keyClick(view.rows["filled_by"].editor.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert view.entry.status == "final"

        outcome = {}

        def export(dialog: ExportDialog) -> None:
            qtbot.waitUntil(lambda: bool(dialog.items), timeout=10000)
            dialog.allow_missing.setFocus()
            qtbot.keyClick(dialog.allow_missing, Qt.Key.Key_Space)
            dialog.passphrase.setFocus()
            type_text(qtbot, dialog.passphrase, PASSPHRASE)
            outcome["ready"] = dialog.export_button.isEnabled()
            qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
            if outcome["ready"]:
                qtbot.waitUntil(lambda: dialog.result is not None or dialog.message.isVisible(), timeout=60000)
            outcome["result"], outcome["message"] = dialog.result, dialog.message.text()
            qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

        drive_modal(qtbot, ExportDialog, export)
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        result = outcome.get("result")
        assert outcome.get("ready"), "导出按钮未启用"
        assert result is not None, outcome.get("message")
        report = verify_packet(result.path, TrustStore.load(data_dir), ui_catalog.catalog)
        assert report.ok, [p.message for p in report.problems]
        assert report.unit_code == "SCJGJ"
        entry = next(e for e in report.payload["entries"] if e["task"] == 1)
        assert entry["values"]["high_value_invention_patents"] == sample["values"]["high_value_invention_patents"]
        assert len(entry["tables"]["entities"]) == len(sample["tables"]["entities"])
        qtbot.waitUntil(lambda: not window.refreshing, timeout=5000)  # open_export refreshes on the DB worker
        assert window.task_item(1).text(1) == "已导出"
    finally:
        window.close()
        db.stop()
