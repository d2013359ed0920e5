"""Record tables, paste from Excel, evidence, finalise (errors listed, jump), reopen, history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from yanta_desktop.forms.validate import _USCC_CHARS, _USCC_WEIGHTS
from yanta_desktop.store import Store
from yanta_desktop.ui.history import HistoryDialog, diff_rows
from yanta_desktop.ui.table_model import parse_block

from .conftest import open_task, type_text, wait_saved

pytestmark = pytest.mark.gui


def uscc(body17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return body17 + _USCC_CHARS[(31 - total % 31) % 31]


def _type(qtbot, view, key, text):
    edit = view.rows[key].editor.input
    edit.setFocus()
    edit.clear()
    type_text(qtbot, edit, text)


def fill_required(qtbot, view):
    combo = view.rows["status"].editor.input
    combo.setCurrentIndex(combo.findData("推进中"))
    _type(qtbot, view, "filled_by", "王晓明")
    _type(qtbot, view, "phone", "029-85212345")


def test_parse_block_handles_excel_quoting():
    text = '甲\t"多行\n单元格"\t3\r\n乙\t"含""引号"""\t\r\n'
    assert parse_block(text) == [["甲", "多行\n单元格", "3"], ["乙", '含"引号"', ""]]


def test_add_rows_and_paste_a_block_copied_from_excel(make_window, qtbot, data_dir):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    box = view.tables["entities"]
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    assert box.model.rowCount() == 1
    good1, good2 = uscc("91610113MA6TXXXX0"), uscc("12610000435230001")
    block = (
        "主体名称\t统一社会信用代码\t主体类型\t所属领域\n"  # header row copied along: skipped
        f"西安雁塔电子材料有限公司\t{good1}\t企业\t电子材料\n"
        f"西安某大学\t{good2}\t高校\t光电信息\n"
        "坏行公司\t123\t企业\t电子材料\n"
    )
    QApplication.clipboard().setText(block)
    box.view.setCurrentIndex(box.model.index(0, 0))
    box.paste()
    assert box.model.rowCount() == 3  # pasted over the empty first row, then added two
    assert box.model.rows[1]["kind"] == "高校"
    qtbot.waitUntil(lambda: box.model.issues.get((2, "credit_code")) is not None)
    level, message = box.model.issues[(2, "credit_code")]
    assert level == "error" and "统一社会信用代码" in message
    assert box.model.data(box.model.index(2, 1), Qt.ItemDataRole.BackgroundRole) is not None
    assert box.model.data(box.model.index(0, 1), Qt.ItemDataRole.BackgroundRole) is None
    box.view.setCurrentIndex(box.model.index(1, 0))
    qtbot.mouseClick(box.dup_button, Qt.MouseButton.LeftButton)
    assert box.model.rowCount() == 4
    qtbot.waitUntil(lambda: any("重复" in m for _, m in box.model.issues.values()))  # unique credit code
    box.view.selectRow(2)
    qtbot.mouseClick(box.del_button, Qt.MouseButton.LeftButton)
    box.view.selectRow(2)
    qtbot.mouseClick(box.del_button, Qt.MouseButton.LeftButton)
    assert box.model.rowCount() == 2
    view.undo_stack.undo()
    assert box.model.rowCount() == 3
    view.undo_stack.redo()
    view.save_now()
    wait_saved(view, qtbot)
    with Store.open(data_dir) as store:
        rows = store.find_entry("KGJ", 1, "2025Q2").data["tables"]["entities"]
    assert [r["credit_code"] for r in rows] == [good1, good2]


def test_attach_open_and_remove_evidence(make_window, qtbot, data_dir, tmp_path):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    doc = tmp_path / "会议纪要.pdf"
    doc.write_bytes(b"%PDF-1.4 minutes" * 100)
    bad = tmp_path / "run.exe"
    bad.write_bytes(b"MZ")
    view.add_evidence([doc, bad])
    box = view.evidence_box
    qtbot.waitUntil(lambda: len(box.items) == 1)
    assert "run.exe" in box.message.text()  # refused, with the reason
    row = box.tree.topLevelItem(0)
    assert row.text(0) == "会议纪要.pdf"
    assert row.text(2) == "1.6 KB"
    import hashlib

    sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    assert row.toolTip(3) == sha and row.text(3).startswith(sha[:16])
    opened = []
    view.evidence_box.open_requested.disconnect()
    view.evidence_box.open_requested.connect(opened.append)
    box.tree.setCurrentItem(row)
    qtbot.mouseClick(box.open_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0]["sha256"] == sha
    view.save_now()
    wait_saved(view, qtbot)
    with Store.open(data_dir) as store:
        entry = store.find_entry("KGJ", 1, "2025Q2")
        assert [e["sha256"] for e in entry.data["evidence"]] == [sha]
        assert store.evidence_path(sha).read_bytes() == doc.read_bytes()
    box.tree.setCurrentItem(box.tree.topLevelItem(0))
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert box.items == []
    view.undo_stack.undo()
    assert len(box.items) == 1


def test_finalise_lists_every_error_jumps_to_it_then_succeeds_and_reopens(make_window, qtbot, data_dir):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "invention_grants", "3")
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    messages = [view.issue_list.item(i).text() for i in range(view.issue_list.count())]
    for label in ("完成状态", "填报人", "联系电话"):
        assert any(f"请填写“{label}”" in m for m in messages), messages
    assert "未能定稿" in view.issues_title.text()
    target = next(i for i in range(view.issue_list.count()) if "填报人" in view.issue_list.item(i).text())
    view.issue_list.itemClicked.emit(view.issue_list.item(target))
    assert QApplication.focusWidget() is view.rows["filled_by"].editor.input
    fill_required(qtbot, view)
    qtbot.waitUntil(lambda: view.error_count() == 0)
    with qtbot.waitSignal(view.status_changed, timeout=5000):
        qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert view.entry.status == "final"
    assert view.status_label.text() == "已定稿"
    assert view.rows["filled_by"].editor.input.isReadOnly()
    assert not view.tables["entities"].add_button.isEnabled()
    assert not view.undo_button.isEnabled() and not view.undo_stack.canUndo()
    assert window.task_item(1).text(1) == "已定稿"
    with qtbot.waitSignal(view.status_changed, timeout=5000):
        view.reopen("电话号码填错，需更正")
    assert view.entry.status == "draft"
    assert not view.rows["filled_by"].editor.input.isReadOnly()
    with Store.open(data_dir) as store:
        revisions = store.revisions(view.entry.id)
    assert revisions[-1].note.endswith("电话号码填错，需更正")
    assert [r.status for r in revisions][-2:] == ["final", "draft"]


def test_history_shows_who_when_and_field_differences(make_window, qtbot, data_dir, ui_catalog):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "invention_grants", "3")
    view.save_now()
    wait_saved(view, qtbot)
    _type(qtbot, view, "invention_grants", "8")
    _type(qtbot, view, "filled_by", "李四")
    view.save_now()
    wait_saved(view, qtbot)
    with Store.open(data_dir) as store:
        revisions = store.revisions(view.entry.id)
    dialog = HistoryDialog(ui_catalog.form(1), revisions)
    qtbot.addWidget(dialog)
    assert dialog.list.rowCount() == len(revisions) == 2
    assert dialog.list.item(0, 0).text() == "2" and dialog.list.item(0, 2).text()
    cells = {(dialog.diff.item(r, 0).text(), dialog.diff.item(r, 1).text(), dialog.diff.item(r, 2).text()) for r in range(dialog.diff.rowCount())}
    assert ("本期发明专利授权量", "3", "8") in cells
    assert ("填报人", "", "李四") in cells
    rows = diff_rows(ui_catalog.form(1), {"tables": {"entities": [{"name": "甲"}]}}, {"tables": {"entities": [{"name": "乙"}]}})
    assert rows == [("重点培育主体 第1行 主体名称", "甲", "乙")]
