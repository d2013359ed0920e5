"""Table models of the 汇总 view. They hold the consolidation core's plain values, nothing else."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ..consolidate.model import (
    OUTCOME_ZH,
    STATE_ZH,
    ChaseItem,
    FieldDiff,
    ImportOutcome,
    IndicatorValue,
    Matrix,
    PacketInfo,
    QuarantineItem,
    SourceRef,
)

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# Role carrying the model's own value (outcome code, cell state, the dataclass) for views and tests.
ValueRole = Qt.ItemDataRole.UserRole + 1


translate = QCoreApplication.translate  # literal calls: pyside6-lupdate reads context and text


def task_label(task: int) -> str:
    """'任务4' / 'Task 4'."""
    return translate("ConsolidationView", "任务{n}").replace("{n}", str(task))


def tr(text: str) -> str:
    """Translate a string chosen at run time (headers, state names); they are listed in ``_CATALOGUE``."""
    return QCoreApplication.translate("ConsolidationView", text)


@dataclass(frozen=True)
class Look:
    background: str
    foreground: str
    symbol: str
    bold: bool = False


# Outcome colours: green ok, grey no-op, amber not used, RED + bold for a fork and a rejection.
OUTCOME_LOOK: dict[str, Look] = {
    "accepted": Look("#dff0d8", "#1b5e20", "✔"),
    "supersedes": Look("#d9edf7", "#0d47a1", "⟳"),
    "duplicate": Look("#eeeeee", "#555555", "＝"),
    "stale": Look("#fff3cd", "#7a5200", "↓"),
    "fork": Look("#c62828", "#ffffff", "⚠", bold=True),
    "rejected": Look("#f8d7da", "#8b0000", "✖", bold=True),
}

# Matrix cell colours; the legend uses the same table.
STATE_LOOK: dict[str, Look] = {
    "received": Look("#c8e6c9", "#1b5e20", "✔"),
    "late": Look("#ffe0b2", "#8a4b00", "迟"),
    "missing": Look("#ef9a9a", "#7f0000", "✖", bold=True),
    "expected": Look("#e3f2fd", "#0d47a1", "…"),
    "not_applicable": Look("#fafafa", "#9e9e9e", "—"),
}
STATE_ORDER = ("received", "late", "missing", "expected", "not_applicable")


def iso_local(ts: str | None) -> str:
    """'2026-01-10T08:00:00Z' → '2026-01-10 16:00'（北京时间）."""
    if not ts:
        return ""
    try:
        when = dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return ts
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return when.strftime("%Y-%m-%d %H:%M")


def short_sha(sha: str | None) -> str:
    return sha[:12] if sha else ""


class _ListModel(QAbstractTableModel):
    """A read-only table over a list of rows; subclasses say how each column shows a row."""

    headers: Sequence[str] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_value(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.headers):
            return tr(self.headers[section])
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == ValueRole:
            return row
        try:
            return self.cell(row, index.column(), role)
        except Exception:  # an exception escaping a C++ virtual call takes the process down: log it
            log.exception("%s.data(%d, %d, %d)", type(self).__name__, index.row(), index.column(), role)
            return None

    def cell(self, row: Any, column: int, role: int) -> Any:  # pragma: no cover - overridden
        return None


# ---- import results ------------------------------------------------------------------------------
class OutcomeModel(_ListModel):
    headers = ("结果", "单位", "报告期", "序号", "文件", "指纹", "说明")
    REASON = 6

    def __init__(self, unit_name: Callable[[str], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._unit_name = unit_name

    def cell(self, row: ImportOutcome, column: int, role: int) -> Any:
        look = OUTCOME_LOOK[row.outcome]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{look.symbol} {tr(OUTCOME_ZH[row.outcome])}",
                self._unit_name(row.unit) if row.unit else "",
                row.period or "",
                "" if row.seq is None else str(row.seq),
                row.path.name,
                short_sha(row.packet_sha256),
                row.reason,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [tr(OUTCOME_ZH[row.outcome]), str(row.path)]
            if row.reason:
                lines.append(row.reason)
            if row.packet_sha256:
                lines.append(translate("ConsolidationView", "指纹（SHA-256）：") + row.packet_sha256)
            if row.quarantine_path:
                lines.append(translate("ConsolidationView", "隔离副本：") + str(row.quarantine_path))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(look.background))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(look.foreground))
        if role == Qt.ItemDataRole.FontRole and look.bold:
            font = QFont()
            font.setBold(True)
            return font
        return None


class QuarantineModel(_ListModel):
    headers = ("隔离时间", "文件", "原因")

    def cell(self, row: QuarantineItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (iso_local(row.at), Path(row.original).name, row.reason)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([
                translate("ConsolidationView", "原文件：") + row.original, translate("ConsolidationView", "原因：") + row.reason,
                translate("ConsolidationView", "隔离副本：") + str(row.path), translate("ConsolidationView", "原因说明：") + str(row.reason_path),
            ])
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor("#8b0000"))
        return None


# ---- 报送情况 ----------------------------------------------------------------------------------------
class MatrixModel(QAbstractTableModel):
    """Unit (rows) × task (columns) for one period."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._m: Matrix | None = None
        self._units: list[str] = []
        self._only_expected = True

    def set_matrix(self, matrix: Matrix | None) -> None:
        self.beginResetModel()
        self._m = matrix
        self._units = self._rows()
        self.endResetModel()

    def set_only_expected(self, on: bool) -> None:
        """Hide units that owe nothing this period (e.g. streets in a quarter: they report half-yearly)."""
        self.beginResetModel()
        self._only_expected = on
        self._units = self._rows()
        self.endResetModel()

    def _rows(self) -> list[str]:
        m = self._m
        if m is None:
            return []
        if not self._only_expected:
            return list(m.units)
        return [u for u in m.units if any(m.cells[(u, t)].state != "not_applicable" for t in m.tasks)]

    def matrix(self) -> Matrix | None:
        return self._m

    def units(self) -> list[str]:
        """Unit codes in row order (as shown)."""
        return list(self._units)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._units)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() or self._m is None else len(self._m.tasks)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        m = self._m
        if m is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(m.tasks):
            task = m.tasks[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return task_label(task)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{task_label(task)}：{m.task_titles.get(task, '')}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._units):
            unit = self._units[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return m.unit_names.get(unit, unit)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{m.unit_names.get(unit, unit)}（{unit}）"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            return self._data(index, role)
        except Exception:  # never let an exception escape into Qt
            log.exception("MatrixModel.data(%d, %d, %d)", index.row(), index.column(), role)
            return None

    def _data(self, index: AnyIndex, role: int) -> Any:
        m = self._m
        if m is None or not index.isValid():
            return None
        unit, task = self._units[index.row()], m.tasks[index.column()]
        cell = m.cells[(unit, task)]
        look = STATE_LOOK[cell.state]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(look.symbol)
        if role == ValueRole:
            return cell
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(look.background))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(look.foreground))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tr(STATE_ZH[cell.state])
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                f"{m.unit_names.get(unit, unit)} · {task_label(task)} {m.task_titles.get(task, '')}",
                f"{translate('ConsolidationView', '状态')}：{tr(STATE_ZH[cell.state]) if cell.state != 'not_applicable' else translate('ConsolidationView', '不适用')}",
            ]
            if cell.state != "not_applicable":
                lines.append(f"{translate('ConsolidationView', '截止日期')}：{m.due.isoformat()}")
            if cell.received_at:
                lines.append(f"{translate('ConsolidationView', '接收时间')}：{iso_local(cell.received_at)}")
            if cell.seq is not None:
                lines.append(f"{translate('ConsolidationView', '数据包序号')}：{cell.seq}  {translate('ConsolidationView', '指纹')}：{short_sha(cell.packet_sha256)}")
            return "\n".join(lines)
        return None


class ChaseModel(_ListModel):
    headers = ("单位", "截止日期", "逾期天数", "未报送任务")

    def __init__(self, task_title: Callable[[int], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._title = task_title

    def cell(self, row: ChaseItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            tasks = translate("ConsolidationView", "、").join(f"{task_label(t)}" for t in row.tasks)
            overdue = translate("ConsolidationView", "未到期") if row.days_overdue <= 0 else f"{row.days_overdue}"
            return (row.unit_name, row.due.isoformat(), overdue, tasks)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(f"{task_label(t)} {self._title(t)}" for t in row.tasks)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.days_overdue > 0:
            return QBrush(QColor("#b71c1c"))
        return None


# ---- 指标进度 ----------------------------------------------------------------------------------------
def fmt_decimal(value: Any, decimals: int | None = None) -> str:
    if value is None:
        return ""
    text = f"{value:.{decimals}f}" if decimals is not None else str(value)
    return text


def completion(value: IndicatorValue) -> str:
    """Value as a share of the 2026 target ('97%'); only for 'at least' targets."""
    if value.value is None or value.comparison != "ge" or not value.target:
        return ""
    share = value.value * 100 / value.target
    return f"{share:.0f}%" if share < 1000 else ">999%"


class IndicatorModel(_ListModel):
    headers = ("指标", "本期值", "计量单位", "2026年目标", "完成情况", "完成程度", "备注")

    def cell(self, row: IndicatorValue, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if row.met is None:
                state = translate("ConsolidationView", "无数据")
            elif row.met:
                state = translate("ConsolidationView", "✔ 已达目标")
            else:
                state = translate("ConsolidationView", "未达目标")
            value = str(row.value) if row.value is not None else "—"
            cmp_text = {"ge": "≥ ", "le": "≤ ", "eq": "= "}.get(row.comparison, "")
            return (row.name, value, row.unit, cmp_text + str(row.target), state, completion(row), row.note)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.name, row.definition, translate("ConsolidationView", "方案目标：") + row.target_text]
            if row.note:
                lines.append(row.note)
            lines.append(translate("ConsolidationView", "双击查看数据来源（{n} 项）").replace("{n}", str(len(row.sources))))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and column in (1, 4):
            if row.met is None:
                return QBrush(QColor("#757575"))
            return QBrush(QColor("#1b5e20" if row.met else "#a15c00"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 1:
            font = QFont()
            font.setBold(True)
            return font
        return None


class SourcesModel(_ListModel):
    headers = ("单位", "报告期", "任务", "项目", "取值", "数据包序号", "数据包指纹")

    def __init__(self, unit_name: Callable[[str], str], where_label: Callable[[int, str], str] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._unit_name = unit_name
        self._where = where_label or (lambda _task, where: where)

    def cell(self, row: SourceRef, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self._unit_name(row.unit),
                row.period,
                f"{task_label(row.task)}",
                self._where(row.task, row.where),
                row.value,
                str(row.seq),
                short_sha(row.packet_sha256),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{row.where}\n{translate('ConsolidationView', '数据包指纹（SHA-256）：')}{row.packet_sha256}\n"
                    f"{translate('ConsolidationView', '填报记录：')}{row.entry_id}")
        return None


# ---- 版本比对 ----------------------------------------------------------------------------------------
PACKET_STATUS_ZH = {"current": "当前采用", "superseded": "已被替换", "stale": "过期版本", "fork": "版本冲突"}


class PacketModel(_ListModel):
    headers = ("序号", "状态", "接收时间", "报告期", "记录数", "文件", "指纹")

    def cell(self, row: PacketInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(row.seq),
                tr(PACKET_STATUS_ZH.get(row.status, row.status)),
                iso_local(row.received_at),
                row.period,
                str(row.records),
                row.file_name,
                short_sha(row.sha256),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([row.file_name, translate("ConsolidationView", "指纹（SHA-256）：") + row.sha256, translate("ConsolidationView", "签名者：") + row.signer])
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "fork":
            return QBrush(QColor("#c62828"))
        return None


CHANGE_ZH = {"added": "新增", "removed": "删除", "changed": "修改"}
CHANGE_COLOUR = {"added": "#dff0d8", "removed": "#f8d7da", "changed": "#fff3cd"}


ColumnLabel = Callable[[int, str, str], str]  # (task, table key, column key) → the form's label


def _show(value: Any, label: Callable[[str], str] = str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return translate("ConsolidationView", "是") if value else translate("ConsolidationView", "否")
    if isinstance(value, list | tuple):
        return "、".join(_show(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{label(k)}：{_show(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    return str(value)


class DiffModel(_ListModel):
    headers = ("任务", "项目", "变化", "旧版本", "新版本")

    def __init__(self, column_label: ColumnLabel | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._column_label = column_label

    def _text(self, row: FieldDiff, value: Any) -> str:
        table = row.where.split("[", 1)[0]
        if self._column_label is None or "[" not in row.where:
            return _show(value)
        return _show(value, lambda key: self._column_label(row.task, table, key))  # type: ignore[misc]

    def cell(self, row: FieldDiff, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{task_label(row.task)}", row.label or row.where, tr(CHANGE_ZH[row.change]),
                    self._text(row, row.old), self._text(row, row.new))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.label or row.where}（{row.where}）\n{self._text(row, row.old)}\n→ {self._text(row, row.new)}"
        if role == Qt.ItemDataRole.BackgroundRole and column == 2:
            return QBrush(QColor(CHANGE_COLOUR[row.change]))
        return None


# Strings the models and the view translate at run time (headers, outcome/state/status names, the
# "late" cell symbol), listed literally so that pyside6-lupdate puts them in the catalogue.
# tests/gui/test_app.py checks this list covers every header and name.
_CATALOGUE = (
    QT_TRANSLATE_NOOP("ConsolidationView", "结果"),
    QT_TRANSLATE_NOOP("ConsolidationView", "单位"),
    QT_TRANSLATE_NOOP("ConsolidationView", "报告期"),
    QT_TRANSLATE_NOOP("ConsolidationView", "序号"),
    QT_TRANSLATE_NOOP("ConsolidationView", "文件"),
    QT_TRANSLATE_NOOP("ConsolidationView", "指纹"),
    QT_TRANSLATE_NOOP("ConsolidationView", "说明"),
    QT_TRANSLATE_NOOP("ConsolidationView", "隔离时间"),
    QT_TRANSLATE_NOOP("ConsolidationView", "原因"),
    QT_TRANSLATE_NOOP("ConsolidationView", "截止日期"),
    QT_TRANSLATE_NOOP("ConsolidationView", "逾期天数"),
    QT_TRANSLATE_NOOP("ConsolidationView", "未报送任务"),
    QT_TRANSLATE_NOOP("ConsolidationView", "指标"),
    QT_TRANSLATE_NOOP("ConsolidationView", "本期值"),
    QT_TRANSLATE_NOOP("ConsolidationView", "计量单位"),
    QT_TRANSLATE_NOOP("ConsolidationView", "2026年目标"),
    QT_TRANSLATE_NOOP("ConsolidationView", "完成情况"),
    QT_TRANSLATE_NOOP("ConsolidationView", "完成程度"),
    QT_TRANSLATE_NOOP("ConsolidationView", "备注"),
    QT_TRANSLATE_NOOP("ConsolidationView", "任务"),
    QT_TRANSLATE_NOOP("ConsolidationView", "项目"),
    QT_TRANSLATE_NOOP("ConsolidationView", "取值"),
    QT_TRANSLATE_NOOP("ConsolidationView", "数据包序号"),
    QT_TRANSLATE_NOOP("ConsolidationView", "数据包指纹"),
    QT_TRANSLATE_NOOP("ConsolidationView", "状态"),
    QT_TRANSLATE_NOOP("ConsolidationView", "接收时间"),
    QT_TRANSLATE_NOOP("ConsolidationView", "记录数"),
    QT_TRANSLATE_NOOP("ConsolidationView", "变化"),
    QT_TRANSLATE_NOOP("ConsolidationView", "旧版本"),
    QT_TRANSLATE_NOOP("ConsolidationView", "新版本"),
    QT_TRANSLATE_NOOP("ConsolidationView", "已接收"),
    QT_TRANSLATE_NOOP("ConsolidationView", "重复（已忽略）"),
    QT_TRANSLATE_NOOP("ConsolidationView", "已接收（替换旧版本）"),
    QT_TRANSLATE_NOOP("ConsolidationView", "过期版本（未采用）"),
    QT_TRANSLATE_NOOP("ConsolidationView", "版本冲突（疑似密钥被复制或数据库被恢复）"),
    QT_TRANSLATE_NOOP("ConsolidationView", "已拒收（已隔离）"),
    QT_TRANSLATE_NOOP("ConsolidationView", "待报送"),
    QT_TRANSLATE_NOOP("ConsolidationView", "已报送"),
    QT_TRANSLATE_NOOP("ConsolidationView", "逾期报送"),
    QT_TRANSLATE_NOOP("ConsolidationView", "未报送"),
    QT_TRANSLATE_NOOP("ConsolidationView", "当前采用"),
    QT_TRANSLATE_NOOP("ConsolidationView", "已被替换"),
    QT_TRANSLATE_NOOP("ConsolidationView", "过期版本"),
    QT_TRANSLATE_NOOP("ConsolidationView", "版本冲突"),
    QT_TRANSLATE_NOOP("ConsolidationView", "新增"),
    QT_TRANSLATE_NOOP("ConsolidationView", "删除"),
    QT_TRANSLATE_NOOP("ConsolidationView", "修改"),
    QT_TRANSLATE_NOOP("ConsolidationView", "迟"),
)
