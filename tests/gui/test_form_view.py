"""The generated form: typing, validation as you type, visibility, autosave, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from yanta_desktop.store import Store

from .conftest import open_task, type_text, wait_saved

pytestmark = pytest.mark.gui


def _type(qtbot, view, key: str, text: str) -> None:
    edit = view.rows[key].editor.input
    edit.setFocus()
    edit.clear()
    type_text(qtbot, edit, text)


def test_typing_a_bad_number_shows_the_chinese_message_and_fixing_it_clears_it(make_window, qtbot):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "invention_grants", "12a")
    row = view.rows["invention_grants"]
    qtbot.waitUntil(lambda: row.message.isVisible())
    assert "应为整数" in row.message.text()
    assert row.editor.input.property("issue") == "error"
    assert any("本期发明专利授权量" in view.issue_list.item(i).text() for i in range(view.issue_list.count()))
    _type(qtbot, view, "invention_grants", "1,234")  # separators are folded by the domain
    qtbot.waitUntil(lambda: not row.message.isVisible())
    assert row.editor.input.property("issue") == ""


def test_warnings_look_different_from_errors(make_window, qtbot):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "filled_on", "2025-05-01")  # before the end of 2025Q2: a warning rule
    _type(qtbot, view, "phone", "12345")  # an error
    qtbot.waitUntil(lambda: view.rows["filled_on"].message.isVisible() and view.rows["phone"].message.isVisible())
    assert view.rows["filled_on"].editor.input.property("issue") == "warning"
    assert view.rows["filled_on"].message.text().startswith("⚠")
    assert view.rows["phone"].editor.input.property("issue") == "error"
    assert view.rows["phone"].message.text().startswith("✖")
    assert view.rows["filled_on"].message.styleSheet() != view.rows["phone"].message.styleSheet()


def test_fields_for_another_unit_are_hidden(make_window, qtbot):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    assert not view.sections["indicator"].isVisibleTo(view)
    assert view.sections["work"].isVisibleTo(view)
    window.close()
    ipb = make_window("SCJGJ")
    view = open_task(ipb, qtbot, 1)
    assert view.sections["indicator"].isVisibleTo(view)


def test_visible_if_follows_answers_live(make_window, qtbot):
    window = make_window("SCJGJ")
    view = open_task(window, qtbot, 2)
    host = view.rows["station_host"]
    assert not host.isVisibleTo(view)
    combo = view.rows["station_status"].editor.input
    combo.setCurrentIndex(combo.findData("筹建"))
    qtbot.waitUntil(lambda: host.isVisibleTo(view))
    combo.setCurrentIndex(combo.findData("未启动"))
    qtbot.waitUntil(lambda: not host.isVisibleTo(view))


def test_required_fields_are_flagged_only_once_touched(make_window, qtbot):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    filled_by = view.rows["filled_by"]
    assert not filled_by.message.isVisible()  # a fresh form is not a wall of red
    _type(qtbot, view, "filled_by", "张")
    _type(qtbot, view, "filled_by", "")
    qtbot.waitUntil(lambda: filled_by.message.isVisible())
    assert "请填写“填报人”" in filled_by.message.text()


def test_drafts_save_themselves_and_keep_text_that_does_not_parse(make_window, qtbot, data_dir):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "invention_grants", "17")
    _type(qtbot, view, "pct_applications", "3件")  # not a number yet: must not be lost
    with qtbot.waitSignal(view.saved, timeout=3000):
        pass
    wait_saved(view, qtbot)
    with Store.open(data_dir) as store:
        entry = store.find_entry("KGJ", 1, "2025Q2")
        assert entry is not None and entry.status == "draft"
        assert entry.data["values"]["invention_grants"] == 17
        assert "pct_applications" not in entry.data["values"]
    window.close()
    again = make_window("KGJ")
    view = open_task(again, qtbot, 1)
    assert view.rows["invention_grants"].editor.raw() == "17"
    assert view.rows["pct_applications"].editor.raw() == "3件"
    assert view.rows["pct_applications"].message.isVisible()


def test_switching_task_saves_the_draft(make_window, qtbot, data_dir):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "key_tech_projects", "4")
    open_task(window, qtbot, 4)
    with Store.open(data_dir) as store:
        assert store.find_entry("KGJ", 1, "2025Q2").data["values"]["key_tech_projects"] == 4
    assert window.task_item(1).text(1) == "草稿"


def test_undo_and_redo_within_the_form(make_window, qtbot):
    window = make_window("KGJ")
    view = open_task(window, qtbot, 1)
    _type(qtbot, view, "invention_grants", "5")
    _type(qtbot, view, "pct_applications", "2")
    view.undo_stack.undo()
    assert view.rows["pct_applications"].editor.raw() == ""
    assert view.rows["invention_grants"].editor.raw() == "5"
    view.undo_stack.undo()
    assert view.rows["invention_grants"].editor.raw() == ""
    view.undo_stack.redo()
    assert view.rows["invention_grants"].editor.raw() == "5"


def test_period_without_the_task_cadence_is_shown_as_such(make_window, qtbot):
    window = make_window("KGJ")
    combo = window.period_combo
    combo.setCurrentIndex(combo.findData("2025H1"))
    item = window.task_item(1)  # task 1 is quarterly
    assert item.text(1) == "本期不填报"
    window.select_task(1)
    assert window.form_view is None
    assert "没有此任务的报告期" in window.placeholder.text()


def test_overdue_tasks_stand_out(make_window, qtbot):
    window = make_window("KGJ")
    item = window.task_item(1)
    assert "已逾期" in item.text(2)
    assert item.foreground(2).color().name() == "#c62828"
    assert item.foreground(1).color().name() != "#c62828"
    ok = make_window("KGJ", today=__import__("datetime").date(2025, 7, 10))
    assert "已逾期" not in ok.task_item(1).text(2)


def test_tasks_are_grouped_as_the_plan_groups_them(make_window, ui_catalog):
    window = make_window("KGJ")
    groups = [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    mine = {t.number for t in ui_catalog.plan.tasks_for_unit("KGJ")}
    shown = {g.child(j).data(0, Qt.ItemDataRole.UserRole + 1) for g in groups for j in range(g.childCount())}
    assert shown == mine
    assert all(g.text(0)[0] in "一二三四五六" for g in groups)
