"""History: every revision of an entry (who, when, note) with a field-by-field difference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..forms import Form
from .fields import display_text

translate = QCoreApplication.translate


def _status(status: str) -> str:
    return {"draft": translate("History", "草稿"), "final": translate("History", "已定稿")}.get(status, status)


def local_time(iso: str) -> str:
    """A stored UTC time ('…Z') as this computer's local time (Beijing time for the clerks)."""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _row_text(cols: dict, row: dict) -> str:
    """A whole record in the table's column order: 主体名称=…；统一社会信用代码=…"""
    keys = [k for k in cols if k in row] + sorted(set(row) - set(cols))
    return "；".join(f"{cols[k].label}={display_text(cols[k], row[k])}" if k in cols else f"{k}={row[k]}" for k in keys)


def diff_rows(form: Form | None, old: dict | None, new: dict) -> list[tuple[str, str, str]]:
    """(where, before, after) for every value, table cell and evidence file that differs."""
    old = old or {}
    out: list[tuple[str, str, str]] = []
    fields = {f.key: f for f in form.fields()} if form else {}
    ov, nv = old.get("values") or {}, new.get("values") or {}
    order = [k for k in fields if k in ov or k in nv] + sorted((set(ov) | set(nv)) - set(fields))
    for key in order:
        a, b = ov.get(key), nv.get(key)
        if a == b:
            continue
        spec = fields.get(key)
        label = spec.label if spec else key
        show = (lambda v, s=spec: display_text(s, v)) if spec else (lambda v: "" if v is None else str(v))
        out.append((label, show(a), show(b)))
    tables = {t.key: t for t in form.tables} if form else {}
    ot, nt = old.get("tables") or {}, new.get("tables") or {}
    for key in [k for k in tables if k in ot or k in nt] + sorted((set(ot) | set(nt)) - set(tables)):
        spec = tables.get(key)
        title = spec.title if spec else key
        cols = {c.key: c for c in spec.columns} if spec else {}
        orows, nrows = ot.get(key) or [], nt.get(key) or []
        for i in range(max(len(orows), len(nrows))):
            a: dict[str, Any] = orows[i] if i < len(orows) else {}
            b: dict[str, Any] = nrows[i] if i < len(nrows) else {}
            if a == b:
                continue
            where = translate("History", "{0} 第{1}行").format(title, i + 1)
            if not a or not b:
                before = _row_text(cols, a) if a else translate("History", "（无）")
                after = _row_text(cols, b) if b else translate("History", "（已删除）")
                out.append((where, before, after))
                continue
            for ckey in [k for k in cols if k in a or k in b] + sorted((set(a) | set(b)) - set(cols)):
                if a.get(ckey) != b.get(ckey):
                    col = cols.get(ckey)
                    label = col.label if col else ckey
                    out.append(
                        (
                            f"{where} {label}",
                            display_text(col, a.get(ckey)) if col else str(a.get(ckey, "")),
                            display_text(col, b.get(ckey)) if col else str(b.get(ckey, "")),
                        )
                    )
    oe = {e.get("sha256"): e for e in old.get("evidence") or []}
    ne = {e.get("sha256"): e for e in new.get("evidence") or []}
    for sha in ne.keys() - oe.keys():
        out.append((translate("History", "佐证材料"), "", ne[sha].get("name", sha)))
    for sha in oe.keys() - ne.keys():
        out.append((translate("History", "佐证材料"), oe[sha].get("name", sha), translate("History", "（已移除）")))
    for sha in oe.keys() & ne.keys():
        if oe[sha].get("kind") != ne[sha].get("kind"):
            out.append(
                (translate("History", "佐证材料“{0}”的类别").format(ne[sha].get("name", "")), oe[sha].get("kind", ""), ne[sha].get("kind", ""))
            )
    return out


class HistoryDialog(QDialog):
    def __init__(self, form: Form | None, revisions: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form, self.revisions = form, revisions
        self.setObjectName("historyDialog")
        self.setWindowTitle(translate("History", "历史版本"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(translate("History", "选择一个版本，查看它与上一版本的差异：")))
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.list = QTableWidget(len(revisions), 5)
        self.list.setObjectName("revisionList")
        self.list.setAccessibleName(translate("History", "版本列表"))
        self.list.setHorizontalHeaderLabels(
            [
                translate("History", "版本"),
                translate("History", "状态"),
                translate("History", "保存人"),
                translate("History", "保存时间"),
                translate("History", "说明"),
            ]
        )
        self.list.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for row, rev in enumerate(reversed(revisions)):
            for col, text in enumerate(
                (str(rev.number), _status(rev.status), rev.user, local_time(rev.saved_at), rev.note)
            ):
                self.list.setItem(row, col, QTableWidgetItem(text))
        self.list.resizeColumnsToContents()
        splitter.addWidget(self.list)
        self.diff = QTableWidget(0, 3)
        self.diff.setObjectName("diffTable")
        self.diff.setAccessibleName(translate("History", "差异"))
        self.diff.setHorizontalHeaderLabels(
            [translate("History", "项目"), translate("History", "修改前"), translate("History", "修改后")]
        )
        self.diff.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.diff.verticalHeader().setVisible(False)
        self.diff.setWordWrap(True)
        header = self.diff.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.diff.setColumnWidth(0, 260)
        splitter.addWidget(self.diff)
        splitter.setSizes([200, 320])
        layout.addWidget(splitter, 1)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentCellChanged.connect(lambda row, *_: self.show_revision(row))
        self.resize(900, 640)
        if revisions:
            self.list.selectRow(0)
            self.show_revision(0)

    def show_revision(self, row: int) -> None:
        if not (0 <= row < len(self.revisions)):
            return
        index = len(self.revisions) - 1 - row
        rev = self.revisions[index]
        before = self.revisions[index - 1].data if index > 0 else None
        rows = diff_rows(self.form, before, rev.data)
        self.diff.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.diff.setItem(r, c, QTableWidgetItem(text))
        self.diff.resizeRowsToContents()
        if rows:
            self.summary.setText(translate("History", "第 {0} 版相对上一版有 {1} 处修改。").format(rev.number, len(rows)))
        else:
            self.summary.setText(translate("History", "第 {0} 版没有修改内容（{1}）。").format(rev.number, rev.note or _status(rev.status)))
