"""The form for one task × period, generated from its definition in ``forms/``.

What the clerk types is kept as raw text; the domain's ``normalise``/``validate`` judge it (the same
messages as the CLI). Drafts save themselves at most one second after a change, and on task switch
and close. Text that does not parse yet (``12a`` in a number field) is kept in a scratch setting so
that nothing typed is lost, while the stored draft only ever holds clean values.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationFailed, YantaError
from ..forms import Form, Issue, normalise, validate
from ..forms.model import TableSpec
from ..forms.validate import Context, Evaluator
from ..plan import Period
from .core import empty_data
from .evidence import EvidenceBox, guess_kind
from .fields import FieldRow
from .table_model import ChoiceDelegate, RecordTableModel, prepare_rows
from .tasks import run_job

translate = QCoreApplication.translate

AUTOSAVE_MS = 1000
VALIDATE_MS = 120
SYNC_VALIDATE_ROWS = 300  # larger tables are validated on a worker thread
MAX_LISTED_ISSUES = 300
LABEL_WIDTH = 210
_TABLE_KEY = re.compile(r"^(?P<table>[a-z][a-z0-9_]*)\[(?P<row>\d+)\](?:\.(?P<col>[a-z][a-z0-9_]*))?$")


def scratch_key(unit: str, task: int, period: str) -> str:
    return f"ui.scratch.{unit}.{task}.{period}"


def split_clean(form: Form, raw: dict) -> tuple[dict, dict]:
    """(data the store accepts, raw text that does not parse yet and must not be lost).

    A table with a bad cell is kept whole, as typed, in the scratch (so row order survives); the
    draft keeps its valid cells.
    """
    clean, issues = normalise(form, raw)
    scratch: dict[str, dict] = {"values": {}, "tables": {}}
    for issue in issues:
        m = _TABLE_KEY.match(issue.key)
        if m and m["table"] in raw["tables"]:
            scratch["tables"][m["table"]] = raw["tables"][m["table"]]
        elif issue.key in raw["values"]:
            scratch["values"][issue.key] = raw["values"][issue.key]
    clean["evidence"] = raw["evidence"]
    return clean, {k: v for k, v in scratch.items() if v}


def merged_tables(data: dict, scratch: dict | None) -> dict:
    tables = dict(data.get("tables") or {})
    tables.update((scratch or {}).get("tables") or {})
    return tables


def prepare_tables(form: Form, data: dict, scratch: dict | None) -> dict:
    """Table rows as display text, ready for ``FormView(prepared=…)`` (pure Python, any thread)."""
    tables = merged_tables(data, scratch)
    return {t.key: prepare_rows(t.columns, tables.get(t.key) or []) for t in form.tables}


def table_rows(raw: dict) -> int:
    return sum(len(rows) for rows in raw["tables"].values())


# ---- undo commands -------------------------------------------------------------------------------
class FieldCommand(QUndoCommand):
    def __init__(self, view: FormView, key: str, old: Any, new: Any) -> None:
        super().__init__(translate("FormView", "修改“{0}”").format(view.form.field(key).label))
        self.view, self.key, self.old, self.new = view, key, old, new
        self._first = True

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if isinstance(other, FieldCommand) and other.key == self.key:
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.view._apply_field(self.key, self.new)

    def undo(self) -> None:
        self.view._apply_field(self.key, self.old)


class SnapshotCommand(QUndoCommand):
    """Table rows or the evidence list, before and after one change."""

    def __init__(self, text: str, apply, before: Any, after: Any) -> None:
        super().__init__(text)
        self.apply, self.before, self.after = apply, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


# ---- tables --------------------------------------------------------------------------------------
class RecordTableBox(QGroupBox):
    def __init__(self, spec: TableSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec.title, parent)
        self.spec = spec
        self.setObjectName(f"table_{spec.key}")
        layout = QVBoxLayout(self)
        if spec.help:
            help_label = QLabel(spec.help)
            help_label.setObjectName("fieldHelp")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        bar = QHBoxLayout()
        self.add_button = QPushButton(translate("FormView", "添加行"))
        self.dup_button = QPushButton(translate("FormView", "复制所选行"))
        self.del_button = QPushButton(translate("FormView", "删除所选行"))
        self.paste_button = QPushButton(translate("FormView", "粘贴 Excel 数据"))
        self.paste_button.setToolTip(
            translate("FormView", "在 Excel 或 WPS 中选中若干行列并复制，再点这里（或在表格中按 Ctrl+V），从当前单元格开始填入。")
        )
        for b in (self.add_button, self.dup_button, self.del_button, self.paste_button):
            b.setAccessibleName(f"{spec.title}：{b.text()}")
            bar.addWidget(b)
        bar.addStretch(1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.model = RecordTableModel(spec, self)
        self.view = QTableView()
        self.view.setObjectName(f"tableview_{spec.key}")
        self.view.setAccessibleName(spec.title)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ChoiceDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.view.setMinimumHeight(180)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setMinimumSectionSize(80)
        self.view.verticalHeader().setDefaultSectionSize(26)
        layout.addWidget(self.view)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_row)
        self.dup_button.clicked.connect(lambda: self.model.duplicate_rows(self.selected_rows()))
        self.del_button.clicked.connect(lambda: self.model.remove_rows(self.selected_rows()))
        self.paste_button.clicked.connect(self.paste)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.view)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        paste.activated.connect(self.paste)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.clear_selected_cells)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)
        self._update_count()

    def fit_columns(self) -> None:
        self.view.horizontalHeader().setResizeContentsPrecision(50)  # look at 50 rows, not 50,000
        self.view.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            self.view.setColumnWidth(c, max(90, min(self.view.columnWidth(c) + 16, 260)))

    def _update_count(self, *_a) -> None:
        self.count_label.setText(translate("FormView", "共 {0} 行").format(self.model.rowCount()))

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        return sorted(rows)

    def add_row(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()

    def paste(self) -> None:
        from PySide6.QtWidgets import QApplication

        text = QApplication.clipboard().text()
        current = self.view.currentIndex()
        row = current.row() if current.isValid() else self.model.rowCount()
        col = current.column() if current.isValid() else 0
        self.paste_text(text, row, col)

    def paste_text(self, text: str, row: int, col: int) -> tuple[int, int]:
        if self.model.read_only:
            return 0, 0
        result = self.model.paste_block(text, row, col)
        if result[0]:
            self.fit_columns()
        return result

    def clear_selected_cells(self) -> None:
        if self.model.read_only:
            return
        for index in self.view.selectionModel().selectedIndexes():
            self.model.setData(index, "", Qt.ItemDataRole.EditRole)

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only
        for b in (self.add_button, self.dup_button, self.del_button, self.paste_button):
            b.setEnabled(not read_only)

    def show_issue(self, level: str | None, message: str = "") -> None:
        if level:
            color = "#c62828" if level == "error" else "#9a6200"
            self.message.setStyleSheet(f"color: {color};")
            self.message.setText(("✖ " if level == "error" else "⚠ ") + message)
        self.message.setVisible(bool(level))


# ---- the form ------------------------------------------------------------------------------------
class FormView(QWidget):
    """One entry being edited. Talks to the store only through ``db`` (a ``tasks.DbWorker``)."""

    saved = Signal(object)  # Entry
    status_changed = Signal(object)  # Entry
    history_requested = Signal(object)  # Entry
    save_failed = Signal(str)

    def __init__(
        self,
        form: Form,
        ctx: Context,
        db,
        catalog,
        unit: str,
        period: Period,
        entry=None,
        previous: dict | None = None,
        scratch: dict | None = None,
        due: str = "",
        prepared: dict | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form, self.ctx, self.db, self.catalog = form, ctx, db, catalog
        self.unit, self.period, self.entry, self.previous = unit, period, entry, previous
        self.task = form.task
        self.setObjectName("formView")
        self.undo_stack = QUndoStack(self)
        self.rows: dict[str, FieldRow] = {}
        self.sections: dict[str, QGroupBox] = {}
        self.tables: dict[str, RecordTableBox] = {}
        self.touched: set[str] = set()
        self.show_all = False
        self.dirty = False
        self.saving = 0
        self.issues: list[Issue] = []
        self._last_raw: dict[str, Any] = {}
        self._table_snap: dict[str, list] = {}
        self._applying = False
        self._generation = 0
        self._build(due)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_MS)
        self._validate_timer.timeout.connect(self.revalidate)
        self.load(entry.data if entry else empty_data(), scratch, prepared)
        self._apply_status()

    # -- building --------------------------------------------------------------------------
    def _build(self, due: str) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        head = QHBoxLayout()
        self.title_label = QLabel(translate("FormView", "任务{0}　{1}").format(self.task, self.form.title))
        self.title_label.setObjectName("formTitle")
        self.title_label.setWordWrap(True)
        head.addWidget(self.title_label, 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusBadge")
        head.addWidget(self.status_label)
        outer.addLayout(head)
        meta = translate("FormView", "报告期：{0}（{1}）").format(self.period.label, self.period.code)
        if due:
            meta += translate("FormView", "　截止日期：{0}").format(due)
        self.meta_label = QLabel(meta)
        self.meta_label.setObjectName("formMeta")
        outer.addWidget(self.meta_label)

        bar = QHBoxLayout()
        self.save_button = QPushButton(translate("FormView", "保存"))
        self.save_button.setToolTip(translate("FormView", "立即保存草稿（Ctrl+S）。草稿也会在停止输入约 1 秒后自动保存。"))
        self.undo_button = QToolButton()
        self.undo_button.setText(translate("FormView", "撤销"))
        self.redo_button = QToolButton()
        self.redo_button.setText(translate("FormView", "重做"))
        self.finalise_button = QPushButton(translate("FormView", "定稿"))
        self.finalise_button.setObjectName("finaliseButton")
        self.finalise_button.setToolTip(translate("FormView", "检查全部内容并定稿（Ctrl+Enter）"))
        self.reopen_button = QPushButton(translate("FormView", "退回修改…"))
        self.history_button = QPushButton(translate("FormView", "历史版本…"))
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        for w in (self.save_button, self.undo_button, self.redo_button, self.finalise_button, self.reopen_button, self.history_button):
            w.setAccessibleName(w.text().rstrip("…"))
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.saved_label)
        outer.addLayout(bar)
        self.save_button.clicked.connect(self.save_now)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button.clicked.connect(self.reopen)
        self.history_button.clicked.connect(lambda: self.history_requested.emit(self.entry))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("formSplitter")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("formBody")
        self.body_layout = QVBoxLayout(body)
        if self.form.spec.description:
            desc = QLabel(self.form.spec.description.strip())
            desc.setWordWrap(True)
            desc.setObjectName("formDescription")
            self.body_layout.addWidget(desc)
        task_sections = len(self.form.spec.sections)
        for i, section in enumerate(self.form.sections):
            if i == task_sections:  # tables and evidence belong to the task part, before the envelope
                self._build_tables_and_evidence()
            box = QGroupBox(section.title)
            box.setObjectName(f"section_{section.key}")
            layout = QVBoxLayout(box)
            if section.help:
                h = QLabel(section.help)
                h.setObjectName("fieldHelp")
                h.setWordWrap(True)
                layout.addWidget(h)
            fl = QFormLayout()
            fl.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            fl.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            fl.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for spec in section.fields:
                row = FieldRow(spec)
                label = QLabel(spec.label + ("*" if spec.required else "") + "：")
                label.setMinimumWidth(LABEL_WIDTH)  # the same label column in every section
                label.setBuddy(row.editor.input)
                row.label = label  # type: ignore[attr-defined]
                fl.addRow(label, row)
                self.rows[spec.key] = row
                row.editor.changed.connect(lambda k=spec.key: self._field_changed(k))
            layout.addLayout(fl)
            self.sections[section.key] = box
            self.body_layout.addWidget(box)
        if task_sections >= len(self.form.sections):
            self._build_tables_and_evidence()
        self.body_layout.addStretch(1)
        self.scroll.setWidget(body)
        splitter.addWidget(self.scroll)

        issues_box = QWidget()
        il = QVBoxLayout(issues_box)
        il.setContentsMargins(0, 4, 0, 0)
        self.issues_title = QLabel()
        self.issues_title.setObjectName("issuesTitle")
        il.addWidget(self.issues_title)
        self.issue_list = QListWidget()
        self.issue_list.setObjectName("issueList")
        self.issue_list.setAccessibleName(translate("FormView", "问题列表"))
        self.issue_list.itemActivated.connect(self._jump)
        self.issue_list.itemClicked.connect(self._jump)
        il.addWidget(self.issue_list)
        splitter.addWidget(issues_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 120])
        self.splitter = splitter
        outer.addWidget(splitter, 1)

    def _build_tables_and_evidence(self) -> None:
        for table in self.form.tables:
            box = RecordTableBox(table)
            box.model.edited.connect(lambda k=table.key: self._table_changed(k))
            self.tables[table.key] = box
            self.body_layout.addWidget(box)
        self.evidence_box = EvidenceBox(self.form.spec.evidence)
        self.evidence_box.add_requested.connect(self.add_evidence)
        self.evidence_box.open_requested.connect(self.open_evidence)
        self.evidence_box.items_changed.connect(self._evidence_changed)
        self.body_layout.addWidget(self.evidence_box)

    # -- data in and out -------------------------------------------------------------------
    def load(self, data: dict, scratch: dict | None = None, prepared: dict | None = None) -> None:
        """Show ``data`` (with the scratch's unparsed text on top). ``prepared``: table rows already
        converted by ``prepare_tables`` on a worker, so a large table costs the UI thread nothing."""
        scratch = scratch or {}
        values = dict(data.get("values") or {})
        values.update(scratch.get("values") or {})
        tables = prepared if prepared is not None else merged_tables(data, scratch)
        self._applying = True
        try:
            for key, row in self.rows.items():
                row.editor.set_raw(values.get(key))
                self._last_raw[key] = row.editor.raw()
            for key, box in self.tables.items():
                if prepared is not None:
                    box.model.set_prepared(tables.get(key) or ([], [], []))
                else:
                    box.model.set_rows(tables.get(key) or [])
                self._table_snap[key] = box.model.snapshot()
                box.fit_columns()
            self.evidence_box.set_items(data.get("evidence") or [])
        finally:
            self._applying = False
        self.touched = {k for k, v in values.items() if v not in (None, "", [])}
        self.undo_stack.clear()
        self.revalidate()

    def raw_data(self) -> dict:
        values = {}
        for key, row in self.rows.items():
            raw = row.editor.raw()
            if raw in ("", None, []):
                continue
            values[key] = raw
        tables = {}
        for key, box in self.tables.items():
            rows = box.model.raw_rows()
            if rows:
                tables[key] = rows
        return {"values": values, "tables": tables, "evidence": [dict(i) for i in self.evidence_box.items]}

    # -- changes ---------------------------------------------------------------------------
    def _field_changed(self, key: str) -> None:
        if self._applying:
            return
        new = self.rows[key].editor.raw()
        old = self._last_raw.get(key)
        if new == old:
            return
        self._last_raw[key] = new
        self.touched.add(key)
        self.undo_stack.push(FieldCommand(self, key, old, new))
        self._mark_dirty()

    def _apply_field(self, key: str, value: Any) -> None:
        self._applying = True
        try:
            self.rows[key].editor.set_raw(value)
        finally:
            self._applying = False
        self._last_raw[key] = self.rows[key].editor.raw()
        self.touched.add(key)
        self.focus_key(key)
        self._mark_dirty()

    def _table_changed(self, key: str) -> None:
        if self._applying:
            return
        before = self._table_snap.get(key, [])
        after = self.tables[key].model.snapshot()
        self._table_snap[key] = after
        title = self.tables[key].spec.title
        self.undo_stack.push(
            SnapshotCommand(translate("FormView", "修改“{0}”").format(title), lambda rows, k=key: self._apply_table(k, rows), before, after)
        )
        self._mark_dirty()

    def _apply_table(self, key: str, rows: list) -> None:
        self._applying = True
        try:
            self.tables[key].model.restore(rows)
        finally:
            self._applying = False
        self._table_snap[key] = self.tables[key].model.snapshot()
        self._mark_dirty()

    def _evidence_changed(self, before: list, after: list) -> None:
        if self._applying:
            return
        self.undo_stack.push(SnapshotCommand(translate("FormView", "修改佐证材料"), self._apply_evidence, before, after))
        self._mark_dirty()

    def _apply_evidence(self, items: list) -> None:
        self._applying = True
        try:
            self.evidence_box.set_items(items)
        finally:
            self._applying = False
        self._mark_dirty()

    def _mark_dirty(self) -> None:
        if self.read_only:
            return
        self.dirty = True
        self.saved_label.setText(translate("FormView", "有未保存的修改"))
        if not self._autosave.isActive():
            self._autosave.start()  # not restarted by further typing: at most one second is at risk
        self._validate_timer.start()

    # -- validation ------------------------------------------------------------------------
    def revalidate(self, sync: bool = False) -> None:
        """Visibility now; validation now for small entries, on a worker for large tables."""
        self._validate_timer.stop()
        raw = self.raw_data()
        values_only, _ = normalise(self.form, {"values": raw["values"]})
        ev = Evaluator(self.form, self.ctx, values_only, self.previous)
        for section in self.form.sections:
            visible = ev.section_visible(section)
            self.sections[section.key].setVisible(visible)
            if visible:
                for spec in section.fields:
                    row = self.rows[spec.key]
                    shown = ev.field_visible(spec)
                    row.setVisible(shown)
                    row.label.setVisible(shown)  # type: ignore[attr-defined]
        for box in self.tables.values():
            box.setVisible(ev.table_visible(box.spec))
        self._generation += 1
        if sync or table_rows(raw) <= SYNC_VALIDATE_ROWS:
            self.issues = validate(self.form, self.ctx, raw, self.previous)
            self._show_issues(raw)
            return
        generation, form, ctx, previous = self._generation, self.form, self.ctx, self.previous
        self.issues_title.setText(translate("FormView", "正在检查…"))

        def done(issues) -> None:
            if generation == self._generation:  # a newer edit supersedes this result
                self.issues = issues
                self._show_issues(raw)

        run_job(lambda _progress: validate(form, ctx, raw, previous), done)

    def _shown(self, issue: Issue, raw: dict) -> bool:
        """Missing required fields are only flagged once touched (or after 定稿 was tried)."""
        if self.show_all or not issue.is_error:
            return True
        if issue.key in self.rows:
            return issue.key in raw["values"] or issue.key in self.touched
        return not (issue.key in self.tables or issue.key == "evidence")

    def _show_issues(self, raw: dict) -> None:
        by_field: dict[str, Issue] = {}
        cells: dict[str, dict] = {k: {} for k in self.tables}
        row_issues: dict[str, dict] = {k: {} for k in self.tables}
        table_issue: dict[str, Issue] = {}
        evidence_issue: Issue | None = None
        shown = [i for i in self.issues if self._shown(i, raw)]
        for issue in shown:
            m = _TABLE_KEY.match(issue.key)
            if issue.key in self.rows:
                if issue.key not in by_field or (issue.is_error and not by_field[issue.key].is_error):
                    by_field[issue.key] = issue
            elif m and m["table"] in self.tables:
                numbers = self.tables[m["table"]].model.row_numbers()
                n = int(m["row"]) - 1
                model_row = numbers[n] if 0 <= n < len(numbers) else n
                if m["col"]:
                    cells[m["table"]].setdefault((model_row, m["col"]), (issue.level, issue.message))
                else:
                    row_issues[m["table"]].setdefault(model_row, (issue.level, issue.message))
            elif issue.key in self.tables:
                table_issue.setdefault(issue.key, issue)
            elif issue.key == "evidence":
                evidence_issue = evidence_issue or issue
        for key, row in self.rows.items():
            issue = by_field.get(key)
            row.show_issue(issue.level if issue else None, issue.message if issue else "")
        for key, box in self.tables.items():
            box.model.set_issues(cells[key], row_issues[key])
            ti = table_issue.get(key)
            box.show_issue(ti.level if ti else None, ti.message if ti else "")
        self.evidence_box.show_issue(evidence_issue.level if evidence_issue else None, evidence_issue.message if evidence_issue else "")
        self.issue_list.clear()
        errors = sum(1 for i in shown if i.is_error)
        warnings = len(shown) - errors
        ordered = sorted(shown, key=lambda i: (not i.is_error,))
        for issue in ordered[:MAX_LISTED_ISSUES]:
            prefix = "✖ " if issue.is_error else "⚠ "
            item = QListWidgetItem(prefix + issue.message)
            item.setData(Qt.ItemDataRole.UserRole, issue.key)
            item.setForeground(Qt.GlobalColor.darkRed if issue.is_error else Qt.GlobalColor.darkYellow)
            item.setToolTip(issue.where)
            self.issue_list.addItem(item)
        if len(ordered) > MAX_LISTED_ISSUES:
            more = QListWidgetItem(translate("FormView", "……另有 {0} 条未列出").format(len(ordered) - MAX_LISTED_ISSUES))
            more.setData(Qt.ItemDataRole.UserRole, "")
            self.issue_list.addItem(more)
        if not shown:
            self.issues_title.setText(translate("FormView", "没有发现问题。"))
        else:
            self.issues_title.setText(
                translate("FormView", "错误 {0} 处，提醒 {1} 处（点击可跳到对应位置）").format(errors, warnings)
            )

    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    def _jump(self, item: QListWidgetItem) -> None:
        self.focus_key(item.data(Qt.ItemDataRole.UserRole))

    def focus_key(self, key: str) -> None:
        """Scroll to and focus the field, table cell or box an issue names."""
        if key in self.rows:
            row = self.rows[key]
            self.scroll.ensureWidgetVisible(row, 50, 80)
            row.editor.focus_input()
            return
        m = _TABLE_KEY.match(key)
        if m and m["table"] in self.tables:
            box = self.tables[m["table"]]
            numbers = box.model.row_numbers()
            n = int(m["row"]) - 1
            model_row = numbers[n] if 0 <= n < len(numbers) else max(0, n)
            cols = [c.key for c in box.model.columns]
            col = cols.index(m["col"]) if m["col"] in cols else 0
            index = box.model.index(model_row, col)
            self.scroll.ensureWidgetVisible(box, 50, 80)
            box.view.setFocus()
            box.view.setCurrentIndex(index)
            box.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            box.view.scrollTo(index)
            return
        if key in self.tables:
            self.scroll.ensureWidgetVisible(self.tables[key], 50, 80)
            self.tables[key].view.setFocus()
            return
        if key == "evidence":
            self.scroll.ensureWidgetVisible(self.evidence_box, 50, 80)
            self.evidence_box.add_button.setFocus()

    # -- status ----------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.entry is not None and self.entry.status == "final"

    def _apply_status(self) -> None:
        ro = self.read_only
        for row in self.rows.values():
            row.editor.set_read_only(ro)
        for box in self.tables.values():
            box.set_read_only(ro)
        self.evidence_box.set_read_only(ro)
        if ro:  # nothing to undo into: a final entry changes only by reopening
            self.undo_stack.clear()
        self.undo_button.setEnabled(not ro and self.undo_stack.canUndo())
        self.redo_button.setEnabled(not ro and self.undo_stack.canRedo())
        self.save_button.setEnabled(not ro)
        self.finalise_button.setEnabled(not ro)
        self.reopen_button.setEnabled(ro)
        self.reopen_button.setVisible(ro)
        self.history_button.setEnabled(self.entry is not None)
        if self.entry is None:
            text, style = translate("FormView", "未开始"), "background:#eceff1;color:#37474f;"
        elif ro and self.entry.exported_seq:
            text, style = translate("FormView", "已导出"), "background:#e3f2fd;color:#0d47a1;"
        elif ro:
            text, style = translate("FormView", "已定稿"), "background:#e8f5e9;color:#1b5e20;"
        else:
            text, style = translate("FormView", "草稿"), "background:#fff8e1;color:#8d6e00;"
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style + "padding:2px 10px;border-radius:8px;")

    # -- saving ----------------------------------------------------------------------------
    def save_now(self) -> None:
        """Queue a draft save of what is on screen (nothing happens when nothing changed)."""
        self._autosave.stop()
        if not self.dirty or self.read_only:
            return
        self.dirty = False
        raw = self.raw_data()
        if self.entry is None and not (raw["values"] or raw["tables"] or raw["evidence"]):
            return
        unit, task, period, form = self.unit, self.task, self.period.code, self.form
        key = scratch_key(unit, task, period)

        def job(store):  # on the DB worker: normalising a large table must not stall the UI
            clean, scratch = split_clean(form, raw)
            entry = store.save_draft(unit, task, period, clean, form)
            if scratch or store.get_setting(key):
                store.set_setting(key, scratch)
            return entry

        self.saving += 1
        self.saved_label.setText(translate("FormView", "正在保存…"))
        self.db.submit(job, self._saved, self._save_error)

    def _saved(self, entry) -> None:
        self.saving -= 1
        self.entry = entry
        self.history_button.setEnabled(True)
        if not self.dirty:
            self.saved_label.setText(translate("FormView", "草稿已保存（第 {0} 版）").format(entry.revision))
        self._apply_status()
        self.saved.emit(entry)

    def _save_error(self, exc: Exception) -> None:
        self.saving -= 1
        self.dirty = True
        message = str(exc) if isinstance(exc, YantaError) else translate("FormView", "保存失败：{0}").format(exc)
        self.saved_label.setText(translate("FormView", "保存失败"))
        self.save_failed.emit(message)

    def flush(self) -> None:
        """Save now and wait for the worker (task switch, close)."""
        self.save_now()
        self.db.flush()

    # -- finalise / reopen -----------------------------------------------------------------
    def finalise(self) -> None:
        if self.read_only:
            return
        self.show_all = True
        small = table_rows(self.raw_data()) <= SYNC_VALIDATE_ROWS
        self.revalidate(sync=small)
        if small and self.error_count():
            self._finalise_refused(self.error_count())
            return
        self.dirty = True  # make sure the exact screen contents are the draft being finalised
        self.save_now()
        unit, task, period, catalog = self.unit, self.task, self.period.code, self.catalog

        def job(store):
            entry = store.find_entry(unit, task, period)
            if entry is None:
                raise ValidationFailed([Issue("error", "", "", "表单是空的，无法定稿")])
            return store.finalise(entry.id, catalog)

        self.db.submit(job, self._finalised, self._finalise_error)

    def _finalise_refused(self, errors: int) -> None:
        self.issues_title.setText(
            translate("FormView", "有 {0} 处错误，未能定稿。请逐条修改（点击下面的条目可跳到对应位置）。").format(errors)
        )
        self.issues_title.setStyleSheet("color:#c62828;font-weight:bold;")
        sizes = self.splitter.sizes()
        if sizes[1] < 160:
            self.splitter.setSizes([max(200, sum(sizes) - 200), 200])
        if self.issue_list.count():
            self.issue_list.setCurrentRow(0)
            self.issue_list.setFocus()

    def _finalised(self, entry) -> None:
        self.entry = entry
        self.issues_title.setStyleSheet("")
        self._apply_status()
        self.saved_label.setText(translate("FormView", "已定稿（第 {0} 版）").format(entry.revision))
        self.status_changed.emit(entry)

    def _finalise_error(self, exc: Exception) -> None:
        if isinstance(exc, ValidationFailed):
            self.issues = list(exc.issues)
            self._show_issues(self.raw_data())
            self._finalise_refused(len(exc.issues))
        else:
            QMessageBox.warning(self, translate("FormView", "未能定稿"), str(exc))

    def reopen(self, reason: str | None = None) -> None:
        if not self.read_only or self.entry is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                translate("FormView", "退回修改"),
                translate("FormView", "请说明退回修改的原因（将记入审计日志）："),
            )
            if not ok:
                return
        reason = (reason or "").strip()
        if not reason:
            QMessageBox.information(self, translate("FormView", "退回修改"), translate("FormView", "必须填写退回原因。"))
            return
        entry_id = self.entry.id
        self.db.submit(lambda store: store.reopen(entry_id, reason), self._reopened, self._reopen_error)

    def _reopened(self, entry) -> None:
        self.entry = entry
        self._apply_status()
        self.saved_label.setText(translate("FormView", "已退回为草稿（第 {0} 版）").format(entry.revision))
        self.status_changed.emit(entry)

    def _reopen_error(self, exc: Exception) -> None:
        QMessageBox.warning(self, translate("FormView", "未能退回"), str(exc))

    # -- evidence --------------------------------------------------------------------------
    def add_evidence(self, files: list[Path]) -> None:
        if self.read_only:
            return
        ok, problems = self.evidence_box.check_files(files)
        self.evidence_box.show_note("；".join(problems))
        if not ok:
            return
        limit = self.form.spec.evidence.max_file_mb * 1024 * 1024
        kinds = self.form.spec.evidence.kinds

        def job(store):
            return [store.add_evidence(f, limit) for f in ok]

        def done(refs) -> None:
            before = [dict(i) for i in self.evidence_box.items]
            known = {i["sha256"] for i in before}
            after = before + [r.as_item(guess_kind(r.name, kinds)) for r in refs if r.sha256 not in known]
            self._applying = True
            try:
                self.evidence_box.set_items(after)
            finally:
                self._applying = False
            self.undo_stack.push(SnapshotCommand(translate("FormView", "添加佐证材料"), self._apply_evidence, before, after))
            self._mark_dirty()

        self.db.submit(job, done, lambda exc: self.evidence_box.show_note(str(exc)))

    def open_evidence(self, item: dict) -> None:
        sha = item["sha256"]
        name = Path(item.get("name") or sha).name

        def job(store):
            source = store.evidence_path(sha)
            target = Path(tempfile.gettempdir()) / "yanta-evidence" / sha[:16] / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(source, target)
            return target

        self.db.submit(
            job,
            lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))),
            lambda exc: self.evidence_box.show_note(translate("FormView", "无法打开“{0}”：{1}").format(name, exc)),
        )
