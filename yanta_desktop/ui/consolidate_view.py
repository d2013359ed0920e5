"""汇总 — the IP bureau's consolidation view: import, 报送情况, 指标进度, 版本比对, 汇总表.

Self-contained: ``ConsolidationView(data_dir, catalog)`` can be embedded as a tab. Every call into the
consolidation core runs on one worker thread (``consolidate_worker``); this module only posts jobs and
shows their results, so the UI thread never waits on SQLite or xlsx. Call :meth:`shutdown` (or close the
widget) before the application quits so the worker thread stops cleanly.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import consolidate as core
from .. import paths
from ..consolidate.model import (
    OUTCOME_ZH,
    STATE_ZH,
    ConsolidateResult,
    ImportOutcome,
    IndicatorValue,
    Matrix,
    PacketInfo,
)
from .consolidate_chart import ChartPoint, IndicatorChart
from .consolidate_models import (
    OUTCOME_LOOK,
    STATE_LOOK,
    STATE_ORDER,
    ChaseModel,
    DiffModel,
    IndicatorModel,
    MatrixModel,
    OutcomeModel,
    PacketModel,
    QuarantineModel,
    SourcesModel,
    ValueRole,
    iso_local,
)
from .consolidate_worker import CancelPoll, ConsolidationWorker, Progress, default_opener

log = logging.getLogger(__name__)

PARALLEL_FROM = 100  # files in one import before verification moves to worker processes


def _count_packets(items: Sequence[Path], stop_at: int) -> int:
    """How many .xlsx files the import will look at (counting stops at ``stop_at``)."""
    n = 0
    for p in items:
        if p.is_dir():
            for _f in p.rglob("*.xlsx"):
                n += 1
                if n >= stop_at:
                    return n
        else:
            n += 1
    return n


SEVERITY = ("fork", "rejected", "stale", "supersedes", "duplicate", "accepted")

SignerFactory = Callable[[], Any]
"""Called on the worker thread; returns what ``consolidate_workbook(..., signer)`` needs."""


def _table(parent: QWidget | None = None, stretch_last: bool = True) -> QTableView:
    view = QTableView(parent)
    view.horizontalHeader().setResizeContentsPrecision(40)
    view.verticalHeader().setResizeContentsPrecision(40)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.horizontalHeader().setHighlightSections(False)
    return view


def _fit(view: QTableView, max_width: int = 340, wrap_rows: Sequence[int] = (), sample: int = 50) -> None:
    """Size columns to their text (capped) and let the last one take the rest.

    Widths are measured on the first ``sample`` rows' display text with font metrics (about 2 ms, where
    ``resizeColumnsToContents`` asks the model for every role of every cell: 35 ms for 68 rows), so a list of
    thousands of packets costs the same as a short one. Only ``wrap_rows`` (the few rows with a long reason:
    rejected, fork, stale) get their height fitted to wrapped text.
    """
    model = view.model()
    header = view.horizontalHeader()
    if model is None:
        return
    plain = QFontMetrics(view.font())
    bold_font = QFont(view.font())
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    head = QFontMetrics(header.font())
    rows = min(model.rowCount(), sample)
    columns = model.columnCount()
    for c in range(columns - 1):
        if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive:
            continue
        width = head.horizontalAdvance(str(model.headerData(c, Qt.Orientation.Horizontal) or "")) + 16
        for r in range(rows):
            index = model.index(r, c)
            text = str(index.data() or "")
            font = index.data(Qt.ItemDataRole.FontRole)
            fm = bold if font is not None and font.bold() else plain
            width = max(width, fm.horizontalAdvance(text) + 14)
        header.resizeSection(c, min(width, max_width))
    header.setStretchLastSection(False)  # re-applied: makes the last column take the rest again
    header.setStretchLastSection(True)
    _WRAP_ROWS[view] = list(wrap_rows)[:30]
    if not getattr(view, "_wrap_hooked", False):
        # heights must follow the stretched last column, which is only known once the table is laid out
        # (a table on a hidden tab is not): re-fit the wrapped rows whenever that column changes width
        view._wrap_hooked = True  # type: ignore[attr-defined]
        header.sectionResized.connect(
            lambda i, _old, _new: i == header.count() - 1 and QTimer.singleShot(0, view, lambda: _wrap(view))
        )
    QTimer.singleShot(0, view, lambda: _wrap(view))


_WRAP_ROWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _wrap(view: QTableView) -> None:
    model = view.model()
    rows = view.verticalHeader()
    for r in _WRAP_ROWS.get(view, ()):
        if model is not None and r < model.rowCount():
            rows.resizeSection(r, max(rows.defaultSectionSize(), view.sizeHintForRow(r) + 4))


def _swatch(colour: str, fg: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(
        f"QLabel {{ background: {colour}; color: {fg}; border: 1px solid #bdbdbd; padding: 2px 8px; }}"
    )
    return label


class SourcesDialog(QDialog):
    """Where one indicator figure came from: every packet field or record row that fed it."""

    def __init__(self, value: IndicatorValue, unit_name: Callable[[str], str],
                 where_label: Callable[[int, str], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.setWindowTitle(
            self.tr("数据来源 — {name}（{period}）").replace("{name}", value.name).replace("{period}", value.period)
        )
        layout = QVBoxLayout(self)
        shown = str(value.value) if value.value is not None else self.tr("无数据")
        head = QLabel(
            self.tr("<b>{name}</b>　{period}：<b>{value}</b> {unit}").replace("{name}", value.name)
            .replace("{period}", value.period).replace("{value}", shown).replace("{unit}", value.unit)
        )
        layout.addWidget(head)
        parts = [self.tr("分子：") + str(value.numerator)]
        if value.denominator is not None:
            parts.append(self.tr("分母：") + str(value.denominator))
        gap = self.tr("　")
        detail = QLabel(gap.join(parts) + (gap + value.note if value.note else ""))
        detail.setWordWrap(True)
        layout.addWidget(detail)
        definition = QLabel(self.tr("口径：") + value.definition)
        definition.setWordWrap(True)
        definition.setStyleSheet("color: #555;")
        layout.addWidget(definition)
        self.model = SourcesModel(unit_name, where_label, self)
        self.model.set_rows(value.sources)
        self.table = _table(self)
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)
        if not value.sources:
            layout.addWidget(QLabel(self.tr("本期没有任何数据包为这一指标提供数据。")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 460)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _fit(self.table)  # once polished: the widths then use the real font


class ConsolidationView(QWidget):
    """The IP bureau's 汇总 screen."""

    importFinished = Signal(list)  # list[ImportOutcome]
    matrixReady = Signal(object)  # Matrix
    indicatorsReady = Signal(list)  # list[IndicatorValue]
    packetsReady = Signal(list)  # list[PacketInfo] for the 版本比对 unit/period
    diffReady = Signal(list)  # list[FieldDiff]
    chaseExported = Signal(object)  # Path
    consolidateFinished = Signal(object)  # ConsolidateResult
    jobCancelled = Signal(str)  # what was cancelled
    jobFailed = Signal(str)  # the Chinese message shown
    sourcesOpened = Signal(object)  # SourcesDialog
    busyChanged = Signal(bool)

    def __init__(
        self,
        data_dir: Path,
        catalog: Any,
        parent: QWidget | None = None,
        *,
        signer_factory: SignerFactory | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.catalog = catalog
        self.plan = catalog.plan
        self.today = today  # None: the core uses today's date in China
        # Large batches are verified in this many processes (the core does it from 8 files up): faster, and
        # the XML parsing then no longer competes with the UI thread for the GIL.
        self.import_workers = max(1, min(4, os.cpu_count() or 1))
        self._signer_factory = signer_factory
        self._callbacks: dict[int, tuple[str, Callable[[Any], None]]] = {}
        self._long_job = 0
        self._matrix: Matrix | None = None
        self._indicators: list[IndicatorValue] = []
        self._ledger: list[PacketInfo] = []
        self._ledger_seen = False
        self._diff_unit_chosen = False
        self.sources_dialog: SourcesDialog | None = None
        self.last_result: ConsolidateResult | None = None

        self.worker = ConsolidationWorker(default_opener(self.data_dir), self)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        app = QGuiApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self.setAcceptDrops(True)
        self._build()
        self._fill_periods()
        self.refresh()
        self._submit("history", lambda cons, _p, _c: cons.imports(500), self._history_loaded)

    # ================================================================ layout
    def _build(self) -> None:
        root = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.import_files_button = QPushButton(self.tr("导入数据包…"))
        self.import_files_button.setToolTip(self.tr("选择一个或多个数据包文件（.xlsx）；也可把文件或文件夹拖到本窗口"))
        self.import_folder_button = QPushButton(self.tr("导入文件夹…"))
        self.import_folder_button.setToolTip(self.tr("导入文件夹（含子文件夹）中的全部数据包"))
        self.import_files_button.clicked.connect(self._choose_files)
        self.import_folder_button.clicked.connect(self._choose_folder)
        bar.addWidget(self.import_files_button)
        bar.addWidget(self.import_folder_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("报告期：")))
        self.period_combo = QComboBox()
        self.period_combo.setMinimumContentsLength(16)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        bar.addWidget(self.period_combo)
        bar.addStretch(1)
        self.consolidate_button = QPushButton(self.tr("生成汇总表…"))
        self.consolidate_button.setToolTip(self.tr("生成本报告期经区知识产权局签名的汇总工作簿"))
        self.consolidate_button.clicked.connect(self._choose_consolidate_target)
        bar.addWidget(self.consolidate_button)
        root.addLayout(bar)

        hint = QLabel(self.tr("提示：可将数据包文件或整个文件夹直接拖放到此处导入。"))
        hint.setStyleSheet("color: #666;")
        root.addWidget(hint)

        prog = QHBoxLayout()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.cancel)
        prog.addWidget(self.progress_label, 1)
        prog.addWidget(self.progress_bar, 2)
        prog.addWidget(self.cancel_button)
        self.progress_row = QWidget()
        self.progress_row.setLayout(prog)
        self.progress_row.setVisible(False)
        root.addWidget(self.progress_row)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.message)

        self.result_panel = self._build_result_panel()
        root.addWidget(self.result_panel)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_import_tab(), self.tr("导入结果"))
        self.tabs.addTab(self._build_matrix_tab(), self.tr("报送情况"))
        self.tabs.addTab(self._build_indicator_tab(), self.tr("指标进度"))
        self.tabs.addTab(self._build_diff_tab(), self.tr("版本比对"))
        root.addWidget(self.tabs, 1)

    def _build_result_panel(self) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setStyleSheet("QFrame { background: #eef7ee; }")
        grid = QGridLayout(frame)
        grid.addWidget(QLabel(self.tr("汇总表已生成：")), 0, 0)
        self.result_path = QLineEdit()
        self.result_path.setReadOnly(True)
        grid.addWidget(self.result_path, 0, 1)
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹"))
        self.open_folder_button.clicked.connect(self._open_result_folder)
        grid.addWidget(self.open_folder_button, 0, 2)
        grid.addWidget(QLabel(self.tr("指纹（SHA-256）：")), 1, 0)
        self.result_fingerprint = QLineEdit()
        self.result_fingerprint.setReadOnly(True)
        grid.addWidget(self.result_fingerprint, 1, 1)
        copy = QPushButton(self.tr("复制指纹"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.result_fingerprint.text()))
        grid.addWidget(copy, 1, 2)
        self.result_summary = QLabel()
        grid.addWidget(self.result_summary, 2, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        frame.setVisible(False)
        return frame

    def _build_import_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.fork_banner = QLabel()
        self.fork_banner.setWordWrap(True)
        self.fork_banner.setStyleSheet(
            "QLabel { background: #c62828; color: white; font-weight: bold; padding: 8px; border-radius: 3px; }"
        )
        self.fork_banner.setVisible(False)
        layout.addWidget(self.fork_banner)
        self.import_summary = QLabel(self.tr("尚未导入。点击“导入数据包…”或把文件拖到这里。"))
        self.import_summary.setWordWrap(True)
        layout.addWidget(self.import_summary)
        legend = QHBoxLayout()
        for code in ("accepted", "supersedes", "duplicate", "stale", "fork", "rejected"):
            look = OUTCOME_LOOK[code]
            legend.addWidget(_swatch(look.background, look.foreground, f"{look.symbol} {self.tr(OUTCOME_ZH[code])}"))
        legend.addStretch(1)
        layout.addLayout(legend)

        split = QSplitter(Qt.Orientation.Vertical)
        self.outcome_model = OutcomeModel(self._unit_name, self)
        self.outcome_table = _table()
        self.outcome_table.setWordWrap(True)
        self.outcome_table.setModel(self.outcome_model)
        split.addWidget(self.outcome_table)
        qbox = QWidget()
        ql = QVBoxLayout(qbox)
        ql.setContentsMargins(0, 0, 0, 0)
        qrow = QHBoxLayout()
        self.quarantine_label = QLabel(self.tr("隔离区（被拒收的文件及原因，原件保留）"))
        qrow.addWidget(self.quarantine_label)
        qrow.addStretch(1)
        open_q = QPushButton(self.tr("打开隔离文件夹"))
        open_q.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.quarantine_dir(self.data_dir))))
        )
        qrow.addWidget(open_q)
        ql.addLayout(qrow)
        self.quarantine_model = QuarantineModel(self)
        self.quarantine_table = _table()
        self.quarantine_table.setWordWrap(True)
        self.quarantine_table.setModel(self.quarantine_model)
        ql.addWidget(self.quarantine_table)
        split.addWidget(qbox)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        return page

    def _build_matrix_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.matrix_title = QLabel()
        layout.addWidget(self.matrix_title)
        legend = QHBoxLayout()
        legend.addWidget(QLabel(self.tr("图例：")))
        for state in STATE_ORDER:
            look = STATE_LOOK[state]
            text = self.tr(STATE_ZH[state]) if state != "not_applicable" else self.tr("不适用")
            legend.addWidget(_swatch(look.background, look.foreground, f"{self.tr(look.symbol)} {text}"))
        legend.addStretch(1)
        self.matrix_counts = QLabel()
        legend.addWidget(self.matrix_counts)
        legend.addSpacing(12)
        self.only_expected = QCheckBox(self.tr("只显示本期有报送任务的单位"))
        self.only_expected.setChecked(True)
        self.only_expected.toggled.connect(lambda on: self.matrix_model.set_only_expected(on))
        legend.addWidget(self.only_expected)
        layout.addLayout(legend)

        split = QSplitter(Qt.Orientation.Vertical)
        self.matrix_model = MatrixModel(self)
        self.matrix_table = QTableView()
        self.matrix_table.setModel(self.matrix_model)
        self.matrix_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix_table.horizontalHeader().setMinimumSectionSize(44)
        self.matrix_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix_table.setMouseTracking(True)
        self.matrix_table.doubleClicked.connect(self._matrix_double_clicked)
        split.addWidget(self.matrix_table)

        chase_box = QWidget()
        cl = QVBoxLayout(chase_box)
        cl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.chase_label = QLabel(self.tr("催报名单"))
        row.addWidget(self.chase_label)
        row.addStretch(1)
        self.export_chase_button = QPushButton(self.tr("导出催报名单…"))
        self.export_chase_button.clicked.connect(self._choose_chase_target)
        row.addWidget(self.export_chase_button)
        cl.addLayout(row)
        self.chase_model = ChaseModel(lambda t: self.plan.tasks[t].title, self)
        self.chase_table = _table()
        self.chase_table.setModel(self.chase_model)
        cl.addWidget(self.chase_table)
        split.addWidget(chase_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        return page

    def _build_indicator_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.indicator_title = QLabel()
        layout.addWidget(self.indicator_title)
        split = QSplitter(Qt.Orientation.Vertical)
        self.indicator_model = IndicatorModel(self)
        self.indicator_table = _table()
        self.indicator_table.setWordWrap(True)
        self.indicator_table.setModel(self.indicator_model)
        self.indicator_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.indicator_table.doubleClicked.connect(self._indicator_double_clicked)
        self.indicator_table.selectionModel().currentRowChanged.connect(self._indicator_selected)
        split.addWidget(self.indicator_table)
        chart_box = QWidget()
        cl = QVBoxLayout(chart_box)
        cl.setContentsMargins(0, 0, 0, 0)
        self.chart = IndicatorChart()
        self.chart.barActivated.connect(self._bar_activated)
        cl.addWidget(self.chart, 1)
        hint = QLabel(self.tr("双击表格中的指标或图中的柱，可查看该数值来自哪些数据包和记录。"))
        hint.setStyleSheet("color: #666;")
        cl.addWidget(hint)
        split.addWidget(chart_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 340])
        layout.addWidget(split, 1)
        return page

    def _build_diff_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("单位：")))
        self.diff_unit_combo = QComboBox()
        self.diff_unit_combo.setMinimumContentsLength(14)
        self.diff_unit_combo.currentIndexChanged.connect(self._diff_unit_changed)
        self.diff_unit_combo.activated.connect(self._diff_unit_activated)
        row.addWidget(self.diff_unit_combo)
        row.addWidget(QLabel(self.tr("报告期：")))
        self.diff_period_combo = QComboBox()
        self.diff_period_combo.setMinimumContentsLength(8)
        self.diff_period_combo.currentIndexChanged.connect(self._diff_period_changed)
        row.addWidget(self.diff_period_combo)
        row.addStretch(1)
        self.compare_button = QPushButton(self.tr("比较所选两个版本"))
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self._compare_selected)
        row.addWidget(self.compare_button)
        layout.addLayout(row)
        hint = QLabel(self.tr("在下表中选择两个版本（按住 Ctrl 多选）；序号小的作为旧版本。"))
        hint.setStyleSheet("color: #666;")
        layout.addWidget(hint)
        split = QSplitter(Qt.Orientation.Vertical)
        self.packet_model = PacketModel(self)
        self.packet_table = _table()
        self.packet_table.setModel(self.packet_model)
        self.packet_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.packet_table.selectionModel().selectionChanged.connect(self._packet_selection_changed)
        split.addWidget(self.packet_table)
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        self.diff_title = QLabel()
        bl.addWidget(self.diff_title)
        self.diff_model = DiffModel(self._column_label, self)
        self.diff_table = _table()
        self.diff_table.setModel(self.diff_model)
        self.diff_table.setWordWrap(True)
        for c in (3, 4):
            self.diff_table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        bl.addWidget(self.diff_table)
        split.addWidget(box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        return page

    # ================================================================ helpers
    def _where_label(self, task: int, where: str) -> str:
        """'cases_closed' → '本期结案'; 'projects[3].registration_no' → '转化项目台账 第3行 合同登记号'."""
        try:
            form = self.catalog.form(task)
            if "[" not in where:
                return form.field(where).label
            table, rest = where.split("[", 1)
            row, _, column = rest.partition("]")
            column = column.lstrip(".")
            text = self.tr("{table} 第{row}行").replace("{table}", form.table(table).title).replace("{row}", row)
            return f"{text} {self._column_label(task, table, column)}" if column else text
        except (KeyError, ValueError):
            return where

    def _column_label(self, task: int, table: str, column: str) -> str:
        try:
            for c in self.catalog.form(task).table(table).columns:
                if c.key == column:
                    return c.label
        except KeyError:
            pass
        return column

    def _unit_name(self, code: str) -> str:
        unit = self.plan.units.get(code)
        return unit.short_name if unit else code

    def _period_text(self, p) -> str:
        return self.tr("{label}（{code}）").replace("{label}", p.label).replace("{code}", p.code)

    def _fill_periods(self) -> None:
        today = self.today or (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()
        periods = [p for p in self.plan.periods() if p.start <= today]
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in periods:
            self.period_combo.addItem(self._period_text(p), p.code)
        ended = [i for i, p in enumerate(periods) if p.end < today and p.kind == "quarter"]
        if ended:
            self.period_combo.setCurrentIndex(ended[-1])
        elif periods:
            self.period_combo.setCurrentIndex(len(periods) - 1)
        self.period_combo.blockSignals(False)

    def period(self) -> str:
        return str(self.period_combo.currentData() or "")

    def set_period(self, code: str) -> None:
        """Select a period (as the combo does) and refresh 报送情况 and 指标进度."""
        i = self.period_combo.findData(code)
        if i < 0:
            p = self.plan.period(code)
            self.period_combo.addItem(self._period_text(p), p.code)
            i = self.period_combo.count() - 1
        if i == self.period_combo.currentIndex():
            self._period_changed(i)
        else:
            self.period_combo.setCurrentIndex(i)

    def _show_message(self, text: str, kind: str = "info") -> None:
        colours = {"info": ("#e8f0fe", "#0d47a1"), "warn": ("#fff3cd", "#6b4e00"), "error": ("#f8d7da", "#8b0000")}
        bg, fg = colours[kind]
        self.message.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; padding: 6px; border-radius: 3px; }}")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ================================================================ jobs
    def _submit(self, kind: str, fn: Callable[[Any, Progress, CancelPoll], Any],
                done: Callable[[Any], None], long: bool = False, label: str = "") -> int:
        if long:
            # The worker allocates heavily (openpyxl, XML); each full garbage collection it triggers holds the
            # GIL and so stalls this thread too. Freezing what is alive now (modules, Qt wrappers, catalog)
            # keeps those collections short: measured on the demo inbox, the longest UI-thread stall went
            # from ~105 ms to ~60 ms.
            gc.freeze()
        job = self.worker.submit(fn)
        self._callbacks[job] = (kind, done)
        if long:
            self._long_job = job
            self.progress_label.setText(label)
            self.progress_bar.setRange(0, 0)
            self.progress_bar.setValue(0)
            self.progress_row.setVisible(True)
            self.cancel_button.setEnabled(True)
            self._set_busy(True)
        return job

    def is_busy(self) -> bool:
        return self._long_job != 0

    def _set_busy(self, busy: bool) -> None:
        for button in (self.import_files_button, self.import_folder_button, self.consolidate_button):
            button.setEnabled(not busy)
        self.busyChanged.emit(busy)

    def _end_long(self, job: int) -> None:
        if job == self._long_job:
            self._long_job = 0
            self.progress_row.setVisible(False)
            self._set_busy(False)

    def _on_progress(self, job: int, done: int, total: int, message: str) -> None:
        if job != self._long_job:
            return
        if total > 0:
            if self.progress_bar.maximum() != total:
                self.progress_bar.setRange(0, total)
                self.progress_bar.setFormat("%v / %m")
            self.progress_bar.setValue(min(done, total))
        if message:
            self.progress_label.setText(message)

    def _on_finished(self, job: int, result: object) -> None:
        _kind, done = self._callbacks.pop(job, ("", None))
        self._end_long(job)
        if done is not None:
            done(result)

    def _on_failed(self, job: int, message: str, tb: str) -> None:
        kind, _ = self._callbacks.pop(job, ("", None))
        self._end_long(job)
        what = {
            "import": self.tr("导入失败"),
            "consolidate": self.tr("生成汇总表失败"),
            "chase": self.tr("导出催报名单失败"),
            "matrix": self.tr("读取报送情况失败"),
            "indicators": self.tr("计算指标失败"),
            "diff": self.tr("版本比对失败"),
        }.get(kind, self.tr("操作失败"))
        text = self.tr("{what}：{message}").replace("{what}", what).replace("{message}", message)
        if tb:
            text += self.tr("（程序错误，详情已写入日志）")
        self._show_message(text, "error")
        self.jobFailed.emit(text)

    def _on_cancelled(self, job: int) -> None:
        kind, _ = self._callbacks.pop(job, ("", None))
        self._end_long(job)
        what = {"import": self.tr("导入已取消。已处理的数据包已保存，其余未导入。"),
                "consolidate": self.tr("已取消生成汇总表，没有写出文件。")}.get(kind, self.tr("操作已取消。"))
        self._show_message(what, "warn")
        self.jobCancelled.emit(kind)
        if kind == "import":
            self.refresh()

    def cancel(self) -> None:
        """Stop the running import or consolidation at the next packet boundary."""
        if self._long_job:
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("正在取消…"))
            self.worker.cancel()

    def shutdown(self) -> None:
        """Stop the worker thread (cancelling a running job). Safe to call twice."""
        self.worker.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # ================================================================ refresh (read-only jobs)
    def refresh(self) -> None:
        """Re-read quarantine, ledger, 报送情况 and 指标进度 for the selected period."""
        self._submit("quarantine", lambda cons, _p, _c: cons.quarantine(), self._quarantine_loaded)
        self._submit("ledger", lambda cons, _p, _c: cons.packets(), self._ledger_loaded)
        self.refresh_period()

    def refresh_period(self) -> None:
        period = self.period()
        if not period:
            return
        catalog, today = self.catalog, self.today
        self._submit("matrix", lambda cons, _p, _c: core.completeness(cons, catalog, period, today=today),
                     self._matrix_loaded)
        self._submit("indicators", lambda cons, _p, _c: core.indicators(cons, catalog, period),
                     self._indicators_loaded)

    def _period_changed(self, _index: int) -> None:
        self.refresh_period()

    def _quarantine_loaded(self, items: list) -> None:
        self.quarantine_model.set_rows(items)
        self.quarantine_label.setText(
            self.tr("隔离区（被拒收的文件及原因，原件保留）：{n} 个文件").replace("{n}", str(len(items)))
        )
        _fit(self.quarantine_table, wrap_rows=range(min(len(items), 50)))

    # ================================================================ import
    def _history_loaded(self, rows: list[dict]) -> None:
        """On opening: the import log (newest first) until this session imports something."""
        if self.outcome_model.rowCount() or not rows:
            return
        # one row per file: its first real decision (a later re-import only says "duplicate"), problems first
        decided: dict[str, ImportOutcome] = {}
        for r in reversed(rows):  # oldest first
            if r.get("outcome") not in OUTCOME_ZH:
                continue
            seen = decided.get(r["path"])
            if seen is not None and r["outcome"] == "duplicate":
                continue
            decided[r["path"]] = ImportOutcome(Path(r["path"]), r["outcome"], r.get("unit"), r.get("period"),
                                               r.get("seq"), r.get("reason") or "", r.get("packet_sha256"))
        history = sorted(reversed(list(decided.values())), key=lambda o: SEVERITY.index(o.outcome))
        self.outcome_model.set_rows(history)
        _fit(self.outcome_table,
             wrap_rows=[i for i, o in enumerate(history) if o.outcome in ("rejected", "fork", "stale", "supersedes")])
        last = iso_local(rows[0].get("at"))
        self.import_summary.setText(
            self.tr("导入记录：最近导入的 {n} 个文件（有问题的在前；最后一次导入于 {at}）。点击“导入数据包…”或把文件拖到这里继续导入。")
            .replace("{n}", str(len(history))).replace("{at}", last)
        )

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择数据包"), str(Path.home()), self.tr("数据包 (*.xlsx);;所有文件 (*)")
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择包含数据包的文件夹"), str(Path.home()))
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        found = self._local_paths(event.mimeData())
        if found:
            event.acceptProposedAction()
            self.import_paths(found)

    @staticmethod
    def _local_paths(mime: Any) -> list[Path]:
        if mime is None or not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def import_paths(self, paths_in: Sequence[Path]) -> int:
        """Import files and folders on the worker (what the buttons and a drop call). Returns the job id,
        or 0 when another import or consolidation is still running."""
        if self._long_job:
            self._show_message(self.tr("上一项操作尚未完成，请稍候或先取消。"), "warn")
            return 0
        items = [Path(p) for p in paths_in]
        catalog, data_dir, workers = self.catalog, self.data_dir, self.import_workers
        self._show_message("")
        self.fork_banner.setVisible(False)

        def run(cons: Any, progress: Progress, cancel: CancelPoll) -> list[ImportOutcome]:
            from ..packets import TrustStore

            trust = TrustStore.load(data_dir)
            # processes pay off for big batches only: starting them costs seconds (68 demo files: 5 s serial,
            # 9 s with 2 processes; 400 province packets: 97 s serial, 76 s with 2)
            n = _count_packets(items, stop_at=PARALLEL_FROM)
            return core.import_paths(cons, items, trust, catalog, progress=progress, cancel=cancel,
                                        workers=workers if n >= PARALLEL_FROM else 1)

        label = self.tr("正在导入并验证数据包…")
        self.tabs.setCurrentIndex(0)
        return self._submit("import", run, self._import_done, long=True, label=label)

    def _import_done(self, outcomes: list[ImportOutcome]) -> None:
        # problems first (fork, rejected, stale), then the rest in the order they were processed
        outcomes = sorted(outcomes, key=lambda o: SEVERITY.index(o.outcome))
        self.outcome_model.set_rows(outcomes)
        _fit(self.outcome_table,
             wrap_rows=[i for i, o in enumerate(outcomes) if o.outcome in ("rejected", "fork", "stale", "supersedes")])
        counts = dict.fromkeys(OUTCOME_ZH, 0)
        for o in outcomes:
            counts[o.outcome] += 1
        parts = [f"{self.tr(OUTCOME_ZH[k])} {n}" for k, n in counts.items() if n]
        if outcomes:
            text = self.tr("本次处理 {n} 个文件：").replace("{n}", str(len(outcomes))) + self.tr("；").join(parts)
        else:
            text = self.tr("所选位置没有找到数据包（.xlsx 文件）。")
        self.import_summary.setText(text)
        forks = [o for o in outcomes if o.outcome == "fork"]
        if forks:
            names = self.tr("、").join(
                self.tr("{unit} {period} 序号{seq}").replace("{unit}", self._unit_name(o.unit or ''))
                .replace("{period}", o.period or '').replace("{seq}", str(o.seq)) for o in forks
            )
            self.fork_banner.setText(
                self.tr("⚠ 发现版本冲突：{names}。同一单位出现了序号相同而内容不同（或链条断开）的数据包，"
                        "可能是签名密钥被复制到了另一台电脑，或该单位的数据库被恢复过。冲突的数据包未被采用，"
                        "原件已放入隔离区。请与该单位核实后，让其重新导出。").replace("{names}", names)
            )
            self.fork_banner.setVisible(True)
        rejected = counts["rejected"]
        if rejected:
            self._show_message(
                self.tr("{n} 个文件被拒收，已放入隔离区（见下方列表及原因）。").replace("{n}", str(rejected)), "warn"
            )
        self.importFinished.emit(outcomes)
        self.refresh()

    # ================================================================ 报送情况
    def _matrix_loaded(self, matrix: Matrix) -> None:
        if matrix.period != self.period():
            return
        self._matrix = matrix
        self.matrix_model.set_matrix(matrix)
        self.chase_model.set_rows(matrix.chase)
        _fit(self.chase_table)
        self.matrix_title.setText(
            self.tr("{label}（{code}）报送截止日期 {due}，统计日 {today}")
            .replace("{label}", matrix.period_label).replace("{code}", matrix.period)
            .replace("{due}", matrix.due.isoformat()).replace("{today}", matrix.today.isoformat())
        )
        counts = matrix.counts()
        self.matrix_counts.setText(
            self.tr("　").join(f"{self.tr(STATE_ZH[s])} {counts[s]}" for s in ("received", "late", "missing", "expected"))
        )
        self.chase_label.setText(
            self.tr("催报名单：{n} 个单位").replace("{n}", str(len(matrix.chase)))
            if matrix.chase else self.tr("催报名单：无（应报的都已收到）")
        )
        self.export_chase_button.setEnabled(bool(matrix.chase))
        self.matrixReady.emit(matrix)

    def _matrix_double_clicked(self, index: QModelIndex) -> None:
        """A received cell → 版本比对 of that unit and period (its versions, ready to compare)."""
        cell = index.data(ValueRole) if index.isValid() else None
        if cell is None or cell.packet_sha256 is None or self._matrix is None:
            return
        self.show_versions(cell.unit, self._matrix.period)

    def show_versions(self, unit: str, period: str) -> None:
        """Switch to 版本比对 with ``unit`` and ``period`` selected."""
        i = self.diff_unit_combo.findData(unit)
        if i < 0:
            return
        self._diff_unit_chosen = True
        self.diff_unit_combo.setCurrentIndex(i)
        self._diff_unit_changed(i)
        j = self.diff_period_combo.findData(period)
        if j >= 0:
            self.diff_period_combo.setCurrentIndex(j)
            self._diff_period_changed(j)
        self.tabs.setCurrentIndex(3)

    def _choose_chase_target(self) -> None:
        if self._matrix is None:
            return
        default = paths.exports_dir(self.data_dir) / f"催报名单_{self._matrix.period}.xlsx"
        out, _ = QFileDialog.getSaveFileName(self, self.tr("导出催报名单"), str(default), self.tr("Excel 工作簿 (*.xlsx)"))
        if out:
            self.export_chase(Path(out))

    def export_chase(self, out: Path) -> int:
        """Write the chase list of the shown period through the core (on the worker)."""
        matrix, catalog = self._matrix, self.catalog
        if matrix is None:
            return 0
        out = Path(out)

        def run(cons: Any, _p: Progress, _c: CancelPoll) -> Path:
            out.parent.mkdir(parents=True, exist_ok=True)
            return Path(core.export_chase_list(matrix, catalog, out, cons=cons))

        def done(path: Path) -> None:
            self._show_message(self.tr("催报名单已导出：") + str(path))
            self.chaseExported.emit(path)

        return self._submit("chase", run, done)

    # ================================================================ 指标进度
    def _indicators_loaded(self, values: list[IndicatorValue]) -> None:
        if values and values[0].period != self.period():
            return
        self._indicators = values
        current = self.indicator_table.currentIndex().row()
        self.indicator_model.set_rows(values)
        _fit(self.indicator_table, wrap_rows=range(len(values)))  # notes name the denominators' source
        self.indicator_title.setText(
            self.tr("截至 {p}：各项指标与 2026 年目标").replace("{p}", self.period_combo.currentText())
        )
        if values:
            self.indicator_table.selectRow(min(max(current, 0), len(values) - 1))
            self._show_chart(self.indicator_table.currentIndex().row())
        self.indicatorsReady.emit(values)

    def _indicator_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_chart(current.row())

    def _show_chart(self, row: int) -> None:
        if not (0 <= row < len(self._indicators)):
            return
        v = self._indicators[row]
        points = [
            ChartPoint(p.period, p.value, "" if p.value is None else str(p.value), _met(v, p.value))
            for p in v.series
        ]
        title = self.tr("{name}（{unit}）").replace("{name}", v.name).replace("{unit}", v.unit)
        self.chart.set_data(title, points, v.target, v.target_text)

    def _indicator_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_sources(self._indicators[index.row()])

    def open_sources(self, value: IndicatorValue) -> SourcesDialog:
        """Open the dialog listing the packets and records a figure came from."""
        if self.sources_dialog is not None:
            self.sources_dialog.close()
            self.sources_dialog.deleteLater()
        dlg = SourcesDialog(value, self._unit_name, self._where_label, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.sources_dialog = dlg
        dlg.show()
        self.sourcesOpened.emit(dlg)
        return dlg

    def _bar_activated(self, index: int) -> None:
        row = self.indicator_table.currentIndex().row()
        if not (0 <= row < len(self._indicators)):
            return
        value = self._indicators[row]
        if not (0 <= index < len(value.series)):
            return
        period = value.series[index].period
        if period == value.period:
            self.open_sources(value)
            return
        key, catalog = value.key, self.catalog

        def done(values: list[IndicatorValue]) -> None:
            for v in values:
                if v.key == key:
                    self.open_sources(v)

        self._submit("indicators", lambda cons, _p, _c: core.indicators(cons, catalog, period), done)

    # ================================================================ 版本比对
    def _ledger_loaded(self, packets: list[PacketInfo]) -> None:
        first = not self._ledger_seen
        self._ledger_seen = True
        self._ledger = packets
        if first:
            self._pick_period_with_data(packets)
        units = sorted({p.unit for p in packets}, key=self._unit_order)
        keep = self.diff_unit_combo.currentData() if self._diff_unit_chosen else None
        self.diff_unit_combo.blockSignals(True)
        self.diff_unit_combo.clear()
        for u in units:
            n = len({p.sha256 for p in packets if p.unit == u})
            self.diff_unit_combo.addItem(self.tr("{name}（{unit}）").replace("{name}", self._unit_name(u)).replace("{unit}", str(n)), u)
        i = self.diff_unit_combo.findData(keep) if keep else -1
        if i < 0:
            i = self._unit_with_versions(units)
        self.diff_unit_combo.setCurrentIndex(i)
        self.diff_unit_combo.blockSignals(False)
        self._diff_unit_changed(i)

    def _pick_period_with_data(self, packets: list[PacketInfo]) -> None:
        """On opening, show the latest period that has data rather than an empty one."""
        have = {p.period for p in packets if p.status == "current"}
        if not have or self.period() in have:
            return
        periods = [self.plan.period(code) for code in have]
        quarters = [p for p in periods if p.kind == "quarter"]
        best = max(quarters or periods, key=lambda p: (p.end, p.start))
        self.set_period(best.code)

    def _unit_order(self, code: str) -> int:
        order = list(self.plan.units)
        return order.index(code) if code in order else len(order)

    def _unit_with_versions(self, units: list[str]) -> int:
        """Prefer a unit with two versions of one period (what one opens this tab for)."""
        for i, u in enumerate(units):
            per: dict[str, int] = {}
            for p in self._ledger:
                if p.unit == u:
                    per[p.period] = per.get(p.period, 0) + 1
            if any(n > 1 for n in per.values()):
                return i
        return 0 if units else -1

    def _diff_unit_activated(self, _index: int) -> None:
        self._diff_unit_chosen = True  # the user picked a unit: keep it across refreshes

    def _diff_unit_changed(self, _index: int) -> None:
        unit = self.diff_unit_combo.currentData()
        periods = sorted({p.period for p in self._ledger if p.unit == unit})
        keep = self.diff_period_combo.currentData()
        self.diff_period_combo.blockSignals(True)
        self.diff_period_combo.clear()
        for code in periods:
            n = sum(1 for p in self._ledger if p.unit == unit and p.period == code)
            self.diff_period_combo.addItem(self.tr("{code}（{n} 个版本）").replace("{code}", code).replace("{n}", str(n)), code)
        i = self.diff_period_combo.findData(keep) if keep else -1
        if i < 0:
            multi = [j for j, code in enumerate(periods)
                     if sum(1 for p in self._ledger if p.unit == unit and p.period == code) > 1]
            i = multi[-1] if multi else len(periods) - 1
        self.diff_period_combo.setCurrentIndex(i)
        self.diff_period_combo.blockSignals(False)
        self._diff_period_changed(i)

    def _diff_period_changed(self, _index: int) -> None:
        unit = self.diff_unit_combo.currentData()
        period = self.diff_period_combo.currentData()
        rows = sorted((p for p in self._ledger if p.unit == unit and p.period == period),
                      key=lambda p: (p.seq, p.received_at), reverse=True)
        self.packet_model.set_rows(rows)
        _fit(self.packet_table)
        self.diff_model.set_rows([])
        self.diff_title.setText(self.tr("选择两个版本后点击“比较所选两个版本”。") if len(rows) > 1
                                else self.tr("该单位本报告期只有一个版本。"))
        self.packetsReady.emit(rows)

    def _packet_selection_changed(self, *_args: Any) -> None:
        self.compare_button.setEnabled(len(self.packet_table.selectionModel().selectedRows()) == 2)

    def _compare_selected(self) -> None:
        rows = sorted(i.row() for i in self.packet_table.selectionModel().selectedRows())
        if len(rows) != 2:
            return
        a, b = (self.packet_model.row_value(r) for r in rows)
        self.compare(a, b)

    def compare(self, a: PacketInfo, b: PacketInfo) -> int:
        """Diff two packets; the one with the lower sequence number is the old version."""
        old, new = sorted((a, b), key=lambda p: (p.seq, p.received_at))
        catalog = self.catalog

        def done(diffs: list) -> None:
            self.diff_model.set_rows(diffs)
            _fit(self.diff_table, wrap_rows=range(len(diffs)))
            self.diff_title.setText(
                self.tr("序号 {a} → 序号 {b}：{n} 处不同").replace("{a}", str(old.seq))
                .replace("{b}", str(new.seq)).replace("{n}", str(len(diffs)))
                if diffs else self.tr("两个版本的填报内容完全相同。")
            )
            self.diffReady.emit(diffs)

        return self._submit(
            "diff", lambda cons, _p, _c: core.packet_diff(cons, old.sha256, new.sha256, catalog=catalog), done
        )

    # ================================================================ 汇总表
    def _choose_consolidate_target(self) -> None:
        period = self.period()
        default = paths.exports_dir(self.data_dir) / f"雁塔区知识产权强县工作汇总_{period}.xlsx"
        out, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存汇总表"), str(default), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not out:
            return
        factory = self._signer_factory
        if factory is None:
            passphrase, ok = QInputDialog.getText(
                self, self.tr("签名口令"), self.tr("请输入区知识产权局签名私钥的口令："), QLineEdit.EchoMode.Password
            )
            if not ok:
                return
            factory = self._key_signer(passphrase)
        self.consolidate_to(Path(out), factory)

    def _key_signer(self, passphrase: str) -> SignerFactory:
        data_dir = self.data_dir

        def load() -> Any:
            from ..consolidate.workbook import Signer

            return Signer.load(data_dir, passphrase)

        return load

    def consolidate_to(self, out: Path, signer_factory: SignerFactory | None = None) -> int:
        """Write the signed consolidated workbook for the selected period on the worker."""
        if self._long_job:
            self._show_message(self.tr("上一项操作尚未完成，请稍候或先取消。"), "warn")
            return 0
        factory = signer_factory or self._signer_factory
        if factory is None:
            raise ValueError("consolidate_to needs a signer factory")
        period, catalog, out, today = self.period(), self.catalog, Path(out), self.today
        self._show_message("")
        self.result_panel.setVisible(False)

        def run(cons: Any, progress: Progress, cancel: CancelPoll) -> ConsolidateResult:
            signer = factory()
            out.parent.mkdir(parents=True, exist_ok=True)
            return core.consolidate_workbook(cons, catalog, period, out, signer, progress=progress, cancel=cancel,
                                                today=today)

        label = self.tr("正在生成 {p} 汇总表…").replace("{p}", period)
        return self._submit("consolidate", run, self._consolidate_done, long=True, label=label)

    def _consolidate_done(self, result: ConsolidateResult) -> None:
        self.last_result = result
        self.result_path.setText(str(result.path))
        self.result_fingerprint.setText(result.payload_sha256)
        self.result_summary.setText(
            self.tr("{p}：{n} 个数据包，{r} 条记录，{s} 张工作表，用时 {t:.1f} 秒")
            .replace("{p}", result.period).replace("{n}", str(result.packets)).replace("{r}", str(result.records))
            .replace("{s}", str(len(result.sheets))).replace("{t:.1f}", f"{result.seconds:.1f}")
        )
        self.result_panel.setVisible(True)
        self.consolidateFinished.emit(result)

    def _open_result_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.last_result.path).parent)))


def _met(value: IndicatorValue, point: Any) -> bool | None:
    if point is None:
        return None
    if value.comparison == "ge":
        return point >= value.target
    if value.comparison == "le":
        return point <= value.target
    return point == value.target


__all__ = ["ConsolidationView", "SourcesDialog"]
