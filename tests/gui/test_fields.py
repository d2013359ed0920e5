"""Every field type's editor: what it shows, what it hands to the domain, and that the domain accepts it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from yanta_desktop.forms.model import FieldSpec
from yanta_desktop.forms.validate import coerce
from yanta_desktop.ui.fields import FieldRow, display_text, make_editor

from .conftest import type_text

pytestmark = pytest.mark.gui


def spec(**kw) -> FieldSpec:
    return FieldSpec.model_validate({"key": "f", "label": "字段", **kw})


@pytest.mark.parametrize(
    ("field", "stored", "shown"),
    [
        (spec(type="integer", unit="件"), 1234, "1234"),
        (spec(type="decimal", unit="万元", decimals=2), "12.50", "12.50"),
        (spec(type="text"), "区科工局", "区科工局"),
        (spec(type="textarea"), "第一行\n第二行", "第一行\n第二行"),
        (spec(type="date"), "2025-06-30", "2025-06-30"),
        (spec(type="choice", choices=["未启动", "推进中"]), "推进中", "推进中"),
        (spec(type="multichoice", choices=["甲", "乙", "丙"]), ["甲", "丙"], ["甲", "丙"]),
        (spec(type="boolean"), True, True),
        (spec(type="boolean"), False, False),
        (spec(type="uscc"), "91610113MA6TM2EL89", "91610113MA6TM2EL89"),
        (spec(type="phone"), "029-85212345", "029-85212345"),
    ],
)
def test_stored_value_round_trips_through_the_editor(qtbot, field, stored, shown):
    editor = make_editor(field)
    qtbot.addWidget(editor)
    changes = []
    editor.changed.connect(lambda: changes.append(1))
    editor.set_raw(stored)
    assert changes == []  # loading is not an edit
    assert editor.raw() == shown
    assert coerce(field, editor.raw()) == stored
    assert editor.input.accessibleName() == "字段"


def test_unit_is_a_suffix_and_help_is_shown(qtbot):
    row = FieldRow(spec(type="integer", unit="人次", help="时期数，本报告期内。"))
    qtbot.addWidget(row)
    texts = [w.text() for w in row.findChildren(type(row.message))]
    assert "人次" in texts and "时期数，本报告期内。" in texts
    assert row.editor.input.toolTip() == "时期数，本报告期内。"


def test_typing_emits_changed_and_empty_choice_is_empty(qtbot):
    editor = make_editor(spec(type="choice", choices=["未启动", "推进中"]))
    qtbot.addWidget(editor)
    assert isinstance(editor.input, QComboBox) and editor.raw() == ""
    with qtbot.waitSignal(editor.changed):
        editor.input.setCurrentIndex(2)
    assert editor.raw() == "推进中"
    text = make_editor(spec(type="text"))
    qtbot.addWidget(text)
    assert isinstance(text.input, QLineEdit)
    with qtbot.waitSignal(text.changed):
        type_text(qtbot, text.input, "雁塔")
    assert text.raw() == "雁塔"


def test_value_no_longer_offered_stays_visible(qtbot):
    editor = make_editor(spec(type="choice", choices=["未启动", "推进中"]))
    qtbot.addWidget(editor)
    editor.set_raw("已撤销")  # from an older form version: shown, and validation will flag it
    assert editor.raw() == "已撤销"


def test_textarea_counts_characters(qtbot):
    editor = make_editor(spec(type="textarea", max_length=800))
    qtbot.addWidget(editor)
    assert isinstance(editor.input, QPlainTextEdit)
    editor.input.setPlainText("一二三")
    assert editor.counter.text() == "3/800"


def test_date_can_be_picked_from_the_calendar(qtbot):
    editor = make_editor(spec(type="date"))
    qtbot.addWidget(editor)
    editor.calendar.clicked.emit(QDate(2025, 3, 31))
    assert editor.raw() == "2025-03-31"


def test_multichoice_by_mouse(qtbot):
    editor = make_editor(spec(type="multichoice", choices=["甲", "乙", "丙"]))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.mouseClick(editor.boxes[1], Qt.MouseButton.LeftButton)
    assert editor.raw() == ["乙"]
    editor.set_read_only(True)
    assert not editor.boxes[0].isEnabled()


def test_display_text():
    assert display_text(spec(type="boolean"), True) == "是"
    assert display_text(spec(type="multichoice", choices=["甲", "乙"]), ["甲", "乙"]) == "甲、乙"
    assert display_text(spec(type="integer"), None) == ""
