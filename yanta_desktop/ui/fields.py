"""One editor per form field type, generated from a ``FieldSpec``.

Every editor exposes the same small surface: ``raw()`` (what the clerk typed, as
``forms.validate.normalise`` accepts it), ``set_raw()``, ``changed`` and ``set_issue()``.
Editors never coerce or judge input themselves: the domain's validation does, so the GUI and the
CLI agree on every message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from ..forms.model import FieldSpec, FieldType

translate = QCoreApplication.translate

ERROR_STYLE = "border: 2px solid #c62828; background: #fff5f5;"
WARNING_STYLE = "border: 2px solid #e69500; background: #fffaf0;"


def display_text(spec: FieldSpec, value: Any) -> str:
    """A stored value as text a clerk reads and edits (tables, diffs)."""
    if value is None:
        return ""
    if spec.type == FieldType.boolean and isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


class FieldEditor(QWidget):
    """Label-less editor for one field; the form puts the label beside it."""

    changed = Signal()
    focused = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._loading = False
        self.setObjectName(f"field_{spec.key}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.input = self._build()
        self.input.setAccessibleName(spec.label)
        if spec.help:
            self.input.setAccessibleDescription(spec.help)
            self.input.setToolTip(spec.help)
        self.input.installEventFilter(self)
        layout.addWidget(self.input, 1)
        if spec.unit:
            suffix = QLabel(spec.unit)
            suffix.setObjectName("unitSuffix")
            suffix.setMinimumWidth(32)
            layout.addWidget(suffix)
        self._extra(layout)
        if self.input.maximumWidth() < 1000 and not isinstance(self, DateEditor):
            layout.addStretch(1)  # short inputs (numbers, codes, phones) stay at the left, by their label

    # -- per type ------------------------------------------------------------------------
    def _build(self) -> QWidget:
        edit = QLineEdit()
        if self.spec.placeholder:
            edit.setPlaceholderText(self.spec.placeholder)
        if self.spec.type in (FieldType.integer, FieldType.decimal):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            edit.setMaximumWidth(220)
            if not self.spec.placeholder:
                edit.setPlaceholderText("0" if self.spec.type == FieldType.integer else f"0.{'0' * self.spec.decimals}")
        elif self.spec.type == FieldType.uscc:
            edit.setMaxLength(18)
            edit.setMaximumWidth(260)
            edit.setPlaceholderText(self.spec.placeholder or "91610113XXXXXXXXXX")
        elif self.spec.type == FieldType.phone:
            edit.setMaximumWidth(220)
            edit.setPlaceholderText(self.spec.placeholder or "029-85212345")
        else:
            edit.setMaxLength(self.spec.text_limit)
        edit.textChanged.connect(self._emit)
        return edit

    def _extra(self, layout: QHBoxLayout) -> None:
        pass

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.changed.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit()
        return False

    def raw(self) -> Any:
        return self.input.text()  # type: ignore[attr-defined]

    def _set(self, value: Any) -> None:
        self.input.setText(display_text(self.spec, value))  # type: ignore[attr-defined]

    def set_raw(self, value: Any) -> None:
        self._loading = True
        try:
            self._set(value)
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        if isinstance(self.input, (QLineEdit, QPlainTextEdit)):
            self.input.setReadOnly(read_only)
        else:
            self.input.setEnabled(not read_only)

    def set_issue(self, level: str | None) -> None:
        style = ERROR_STYLE if level == "error" else WARNING_STYLE if level == "warning" else ""
        self.input.setStyleSheet(style)
        self.input.setProperty("issue", level or "")

    def focus_input(self) -> None:
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)


class TextAreaEditor(FieldEditor):
    def _build(self) -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(84)
        edit.setMaximumHeight(160)
        if self.spec.placeholder:
            edit.setPlaceholderText(self.spec.placeholder)
        edit.textChanged.connect(self._emit)
        edit.textChanged.connect(self._count)
        return edit

    def _extra(self, layout: QHBoxLayout) -> None:
        self.counter = QLabel()
        self.counter.setObjectName("charCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.counter.setMinimumWidth(72)
        layout.addWidget(self.counter)
        self._count()

    def _count(self) -> None:
        n = len(self.input.toPlainText())  # type: ignore[attr-defined]
        self.counter.setText(f"{n}/{self.spec.text_limit}")

    def raw(self) -> Any:
        return self.input.toPlainText()  # type: ignore[attr-defined]

    def _set(self, value: Any) -> None:
        self.input.setPlainText(display_text(self.spec, value))  # type: ignore[attr-defined]


class ChoiceEditor(FieldEditor):
    def _build(self) -> QWidget:
        combo = QComboBox()
        combo.addItem(translate("FieldEditor", "（请选择）"), "")
        for choice in self.spec.choices or []:
            combo.addItem(choice, choice)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def raw(self) -> Any:
        return self.input.currentData() or ""  # type: ignore[attr-defined]

    def _set(self, value: Any) -> None:
        combo: QComboBox = self.input  # type: ignore[assignment]
        text = display_text(self.spec, value)
        index = combo.findData(text) if text else 0
        if index < 0:  # a value the form no longer offers: keep it visible, validation flags it
            combo.addItem(text, text)
            index = combo.count() - 1
        combo.setCurrentIndex(index)


class BooleanEditor(ChoiceEditor):
    def _build(self) -> QWidget:
        combo = QComboBox()
        combo.addItem(translate("FieldEditor", "（请选择）"), "")
        combo.addItem(translate("FieldEditor", "是"), "是")
        combo.addItem(translate("FieldEditor", "否"), "否")
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def raw(self) -> Any:
        data = self.input.currentData()  # type: ignore[attr-defined]
        return {"是": True, "否": False}.get(data, "")

    def _set(self, value: Any) -> None:
        combo: QComboBox = self.input  # type: ignore[assignment]
        text = {True: "是", False: "否"}.get(value, value) if isinstance(value, bool) else (value or "")
        combo.setCurrentIndex(max(0, combo.findData(text)))


class MultiChoiceEditor(FieldEditor):
    def _build(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for i, choice in enumerate(self.spec.choices or []):
            check = QCheckBox(choice)
            check.setAccessibleName(f"{self.spec.label}：{choice}")
            check.toggled.connect(self._emit)
            grid.addWidget(check, i // 3, i % 3)
            self.boxes.append(check)
        return box

    def raw(self) -> Any:
        return [b.text() for b in self.boxes if b.isChecked()]

    def _set(self, value: Any) -> None:
        chosen = set(value or [])
        for b in self.boxes:
            b.setChecked(b.text() in chosen)

    def set_read_only(self, read_only: bool) -> None:
        for b in self.boxes:
            b.setEnabled(not read_only)

    def focus_input(self) -> None:
        if self.boxes:
            self.boxes[0].setFocus(Qt.FocusReason.OtherFocusReason)


class DateEditor(FieldEditor):
    def _build(self) -> QWidget:
        edit = QLineEdit()
        edit.setPlaceholderText(self.spec.placeholder or "2025-03-31")
        edit.setMaximumWidth(160)
        edit.textChanged.connect(self._emit)
        return edit

    def _extra(self, layout: QHBoxLayout) -> None:
        button = QToolButton()
        button.setText(translate("FieldEditor", "日历…"))
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        button.setAccessibleName(translate("FieldEditor", "从日历选择{0}").format(self.spec.label))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        button.setMenu(menu)
        self.menu = menu
        self.calendar_button = button
        layout.addWidget(button)
        layout.addStretch(1)

    def _sync_calendar(self) -> None:
        try:
            d = dt.date.fromisoformat(self.input.text().strip())  # type: ignore[attr-defined]
            self.calendar.setSelectedDate(QDate(d.year, d.month, d.day))
        except ValueError:
            self.calendar.setSelectedDate(QDate.currentDate())

    def _picked(self, date: QDate) -> None:
        self.input.setText(date.toString("yyyy-MM-dd"))  # type: ignore[attr-defined]
        self.menu.hide()

    def set_read_only(self, read_only: bool) -> None:
        self.input.setReadOnly(read_only)  # type: ignore[attr-defined]
        self.calendar_button.setEnabled(not read_only)


def make_editor(spec: FieldSpec, parent: QWidget | None = None) -> FieldEditor:
    cls = {
        FieldType.textarea: TextAreaEditor,
        FieldType.choice: ChoiceEditor,
        FieldType.boolean: BooleanEditor,
        FieldType.multichoice: MultiChoiceEditor,
        FieldType.date: DateEditor,
    }.get(spec.type, FieldEditor)
    return cls(spec, parent)


class FieldRow(QWidget):
    """Editor + help + message, the unit the form lays out and hides as a whole."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.editor = make_editor(spec, self)
        layout.addWidget(self.editor)
        self.message = QLabel()
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        if spec.help:
            help_label = QLabel(spec.help)
            help_label.setObjectName("fieldHelp")
            help_label.setWordWrap(True)
            help_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            layout.addWidget(help_label)

    def show_issue(self, level: str | None, message: str = "") -> None:
        self.editor.set_issue(level)
        if level:
            color = "#c62828" if level == "error" else "#9a6200"
            prefix = "✖ " if level == "error" else "⚠ "
            self.message.setStyleSheet(f"color: {color};")
            self.message.setText(prefix + message)
            self.message.setVisible(True)
        else:
            self.message.setVisible(False)
            self.message.clear()
