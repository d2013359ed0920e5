"""Record tables (台账): a ``QAbstractTableModel`` over rows of raw text, plus paste from Excel.

Rows hold what the clerk typed (text per column); the domain's ``normalise``/``validate`` turn them
into stored values and messages. Cell issues are painted (red error, amber warning) with the
message as the tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from ..forms.model import FieldType, TableSpec
from .fields import display_text

translate = QCoreApplication.translate

_ERROR_BG = QColor("#ffd7d7")
_WARNING_BG = QColor("#fff0c2")

Index = QModelIndex | QPersistentModelIndex


def parse_block(text: str) -> list[list[str]]:
    """A block copied from Excel/WPS: rows by newline, cells by tab; quoted cells may hold newlines."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    quoted = False
    at_cell_start = True
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    cell.append('"')
                    i += 1
                else:
                    quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and at_cell_start:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell = []
            at_cell_start = True
            i += 1
            continue
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_cell_start = True
            i += 1
            continue
        else:
            cell.append(ch)
        at_cell_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def display_rows(columns, rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Stored rows as the text a clerk edits (pure Python: may run on a worker thread)."""
    return [
        {c.key: display_text(c, row.get(c.key)) for c in columns if row.get(c.key) not in (None, "")}
        for row in rows
    ]


def index_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[int]]:
    """(non-empty rows as raw text, their positions in ``rows``)."""
    raw, numbers = [], []
    for i, row in enumerate(rows):
        clean = {k: v for k, v in row.items() if v.strip()}
        if clean:
            raw.append(clean)
            numbers.append(i)
    return raw, numbers


def prepare_rows(columns, rows: list[dict[str, Any]]) -> tuple[list, list, list]:
    """Everything ``set_prepared`` needs, computed off the UI thread."""
    shown = display_rows(columns, rows)
    raw, numbers = index_rows(shown)
    return shown, raw, numbers


class RecordTableModel(QAbstractTableModel):
    """Rows of one table, as raw text per column key."""

    edited = Signal()  # any change by the clerk (cell, rows, paste)

    def __init__(self, spec: TableSpec, parent=None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.columns = list(spec.columns)
        self.rows: list[dict[str, str]] = []
        self._changed()
        self.issues: dict[tuple[int, str], tuple[str, str]] = {}  # (row, col) -> (level, message)
        self.row_issues: dict[int, tuple[str, str]] = {}
        self.read_only = False

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        value = self.rows[index.row()].get(col.key, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and col.type in (FieldType.integer, FieldType.decimal):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        issue = self.issues.get((index.row(), col.key)) or self.row_issues.get(index.row())
        if role == Qt.ItemDataRole.BackgroundRole and issue:
            return QBrush(_ERROR_BG if issue[0] == "error" else _WARNING_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            if issue:
                return issue[1]
            return col.help
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                mark = "*" if col.required else ""
                return f"{col.label}{mark}" + (f"（{col.unit}）" if col.unit else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return col.help or col.label
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        key = self.columns[index.column()].key
        text = "" if value is None else str(value)
        if self.rows[index.row()].get(key, "") == text:
            return False
        self.rows[index.row()][key] = text
        self._changed()
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    # -- data in and out -----------------------------------------------------------------
    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace all rows (stored values or raw text)."""
        self.beginResetModel()
        self.rows = display_rows(self.columns, rows)
        self._changed()
        self.endResetModel()

    def set_prepared(self, prepared: tuple[list, list, list]) -> None:
        """Rows from ``prepare_rows`` (display text and index computed on a worker thread)."""
        self.beginResetModel()
        self.rows, self._raw, self._numbers = prepared
        self.endResetModel()

    def _changed(self) -> None:
        self._raw: list[dict[str, str]] | None = None
        self._numbers: list[int] | None = None

    def _index(self) -> None:
        self._raw, self._numbers = index_rows(self.rows)

    def raw_rows(self) -> list[dict[str, str]]:
        """Non-empty rows, as raw text (what normalise takes). Cached until the next edit."""
        if self._raw is None:
            self._index()
        return self._raw  # type: ignore[return-value]

    def row_numbers(self) -> list[int]:
        """For each non-empty row, its index in ``rows`` (issues name rows 1-based among non-empty rows)."""
        if self._numbers is None:
            self._index()
        return self._numbers  # type: ignore[return-value]

    def snapshot(self) -> list[dict[str, str]]:
        return [dict(r) for r in self.rows]

    def restore(self, rows: list[dict[str, str]]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self._changed()
        self.endResetModel()
        self.edited.emit()

    def set_issues(self, cell: dict[tuple[int, str], tuple[str, str]], row: dict[int, tuple[str, str]]) -> None:
        if cell == self.issues and row == self.row_issues:
            return
        self.issues, self.row_issues = cell, row
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.rows) - 1, len(self.columns) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
            )

    # -- row operations ------------------------------------------------------------------
    def insert_rows(self, at: int, rows: list[dict[str, str]]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
        self.rows[at:at] = [dict(r) for r in rows]
        self._changed()
        self.endInsertRows()
        self.edited.emit()

    def add_row(self) -> int:
        self.insert_rows(len(self.rows), [{}])
        return len(self.rows) - 1

    def duplicate_rows(self, indices: list[int]) -> None:
        for i in sorted(set(indices), reverse=True):
            if 0 <= i < len(self.rows):
                self.insert_rows(i + 1, [self.rows[i]])

    def remove_rows(self, indices: list[int]) -> None:
        for i in sorted(set(indices), reverse=True):
            if 0 <= i < len(self.rows):
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self._changed()
                self.endRemoveRows()
        self.edited.emit()

    def paste_block(self, text: str, row: int, column: int) -> tuple[int, int]:
        """Paste a tab-separated block at (row, column), adding rows as needed.

        A first line equal to the column labels (a header copied along) is skipped. Cells past the
        last column are dropped. Returns (rows written, cells written).
        """
        block = [r for r in parse_block(text) if any(c.strip() for c in r)]
        if not block:
            return 0, 0
        labels = [c.label for c in self.columns]
        if [c.strip().rstrip("*") for c in block[0][: len(labels)]] == labels[: len(block[0])] and len(block[0]) > 1:
            block = block[1:]
            column = 0
        row = max(0, min(row, len(self.rows)))
        column = max(0, min(column, len(self.columns) - 1))
        self.beginResetModel()
        cells = 0
        for r, values in enumerate(block):
            target = row + r
            while target >= len(self.rows):
                self.rows.append({})
            for c, value in enumerate(values):
                if column + c >= len(self.columns):
                    break
                key = self.columns[column + c].key
                self.rows[target][key] = value.strip()
                cells += 1
        self._changed()
        self.endResetModel()
        self.edited.emit()
        return len(block), cells


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for choice and boolean columns; a line edit otherwise."""

    def __init__(self, model: RecordTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        col = self.model.columns[index.column()]
        if col.type == FieldType.choice:
            combo = QComboBox(parent)
            combo.addItem("")
            combo.addItems(col.choices or [])
            combo.setAccessibleName(col.label)
            return combo
        if col.type == FieldType.boolean:
            combo = QComboBox(parent)
            combo.addItems(["", "是", "否"])
            combo.setAccessibleName(col.label)
            return combo
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(col.label)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            i = editor.findText(text)
            if i < 0 and text:
                editor.addItem(text)
                i = editor.count() - 1
            editor.setCurrentIndex(max(0, i))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
