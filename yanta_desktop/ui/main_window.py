"""The main window: the unit's tasks for a period (grouped as the plan groups them) and the form."""

from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QBrush, QCloseEvent, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..forms import make_context
from ..plan import Period
from ..plan.periods import CADENCE_ZH
from .core import DRAFT, EXPORTED, FINAL, NOT_STARTED, LoadedCatalog, default_period, entry_status
from .form_view import FormView, prepare_tables, scratch_key
from .tasks import DbWorker

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

TASK_ROLE = Qt.ItemDataRole.UserRole + 1
# The IP bureau's window imports the 汇总 view this long after the event loop starts (the window is
# painted by then), so that opening the tab later does not stall on the first import (~50–215 ms).
PRELOAD_CONSOLIDATION_MS = 800
CONSOLIDATION_MODULE = __package__ + ".consolidate_view"


def status_text(status: str) -> str:
    return {
        NOT_STARTED: translate("MainWindow", "未开始"),
        DRAFT: translate("MainWindow", "草稿"),
        FINAL: translate("MainWindow", "已定稿"),
        EXPORTED: translate("MainWindow", "已导出"),
    }.get(status, status)


class MainWindow(QMainWindow):
    tasks_refreshed = Signal()  # the task list shows the statuses read by the last refresh_tasks()

    def __init__(self, data_dir: Path, catalog: LoadedCatalog, db: DbWorker, settings: QSettings, today: dt.date | None = None) -> None:
        super().__init__()
        self.data_dir, self.catalog, self.db, self.settings = data_dir, catalog, db, settings
        self.plan = catalog.plan
        self.today = today or dt.date.today()
        self.unit_code: str = db.call(lambda s: s.unit)
        self.unit = self.plan.units[self.unit_code]
        self.form_view: FormView | None = None
        self.current_task: int | None = None
        self._open_request = 0
        self._refresh_request = self._refreshed = 0
        self._status: dict[int, tuple[str, bool]] = {}
        self.setObjectName("mainWindow")
        self.setWindowTitle(translate("MainWindow", "雁塔知识产权强县填报 — {0}").format(self.unit.name))
        self._build()
        self._build_menus()
        self._restore()
        self.refresh_tasks()
        last = self.settings.value("main/task")
        if last is not None and str(last).isdigit():
            self.select_task(int(last))  # carry on where the clerk left off

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        left = QWidget()
        left.setObjectName("taskPanel")
        ll = QVBoxLayout(left)
        ll.setContentsMargins(6, 6, 6, 6)
        self.unit_label = QLabel(translate("MainWindow", "填报单位：{0}").format(self.unit.name))
        self.unit_label.setObjectName("unitLabel")
        self.unit_label.setWordWrap(True)
        ll.addWidget(self.unit_label)
        row = QHBoxLayout()
        period_label = QLabel(translate("MainWindow", "报告期(&P)："))
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.setAccessibleName(translate("MainWindow", "报告期"))
        period_label.setBuddy(self.period_combo)
        for p in self.plan.periods():
            self.period_combo.addItem(translate("MainWindow", "{0}（{1}）").format(p.label, p.code), p.code)
        row.addWidget(period_label)
        row.addWidget(self.period_combo, 1)
        ll.addLayout(row)
        self.tree = QTreeWidget()
        self.tree.setObjectName("taskTree")
        self.tree.setAccessibleName(translate("MainWindow", "任务列表"))
        self.tree.setHeaderLabels(
            [translate("MainWindow", "任务"), translate("MainWindow", "状态"), translate("MainWindow", "截止日期")]
        )
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        ll.addWidget(self.tree, 1)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        ll.addWidget(self.summary_label)
        if self.catalog.problems:
            warn = QLabel(translate("MainWindow", "部分表单暂不可用：") + "；".join(self.catalog.problems))
            warn.setWordWrap(True)
            warn.setStyleSheet("color:#9a6200;")
            warn.setObjectName("catalogProblems")
            ll.addWidget(warn)

        self.stack = QStackedWidget()
        self.placeholder = QLabel(translate("MainWindow", "请在左侧选择一项任务开始填报。"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("placeholder")
        self.stack.addWidget(self.placeholder)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 840])

        if self.unit_code == self.plan.spec.ip_bureau:
            self.tabs = QTabWidget()
            self.tabs.setObjectName("modeTabs")
            self.tabs.addTab(self.splitter, translate("MainWindow", "本单位填报"))
            self.consolidation_placeholder = QLabel(translate("MainWindow", "汇总功能加载中…"))
            self.consolidation_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(self.consolidation_placeholder, translate("MainWindow", "汇总（全区）"))
            self.tabs.currentChanged.connect(self._tab_changed)
            self.consolidation_view = None
            self.setCentralWidget(self.tabs)
            QTimer.singleShot(PRELOAD_CONSOLIDATION_MS, self, self._preload_consolidation)
        else:
            self.tabs = None
            self.setCentralWidget(self.splitter)

        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.tree.currentItemChanged.connect(self._item_changed)
        self.statusBar().showMessage(translate("MainWindow", "数据目录：{0}").format(self.data_dir))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(translate("MainWindow", "文件(&F)"))
        self.export_action = QAction(translate("MainWindow", "导出数据包(&E)…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.open_export)
        file_menu.addAction(self.export_action)
        self.keys_action = QAction(translate("MainWindow", "证书与密钥(&K)…"), self)
        self.keys_action.triggered.connect(self.open_keys)
        file_menu.addAction(self.keys_action)
        file_menu.addSeparator()
        quit_action = QAction(translate("MainWindow", "退出(&Q)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit = bar.addMenu(translate("MainWindow", "编辑(&E)"))
        self.save_action = QAction(translate("MainWindow", "保存草稿(&S)"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(lambda: self.form_view and self.form_view.save_now())
        self.finalise_action = QAction(translate("MainWindow", "定稿(&F)"), self)
        self.finalise_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.finalise_action.triggered.connect(lambda: self.form_view and self.form_view.finalise())
        self.undo_action = QAction(translate("MainWindow", "撤销(&U)"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda: self.form_view and self.form_view.undo_stack.undo())
        self.redo_action = QAction(translate("MainWindow", "重做(&R)"), self)
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(lambda: self.form_view and self.form_view.undo_stack.redo())
        self.history_action = QAction(translate("MainWindow", "历史版本(&H)…"), self)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.triggered.connect(lambda: self.form_view and self.open_history(self.form_view.entry))
        for a in (self.save_action, self.finalise_action, self.undo_action, self.redo_action, self.history_action):
            edit.addAction(a)

        settings_menu = bar.addMenu(translate("MainWindow", "设置(&S)"))
        lang_menu = settings_menu.addMenu(translate("MainWindow", "界面语言(&L)"))
        group = QActionGroup(self)
        current = self.settings.value("ui/lang", "zh_CN")
        for code, name in (("zh_CN", "中文"), ("en", "English")):
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, c=code: self._set_language(c))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = bar.addMenu(translate("MainWindow", "帮助(&H)"))
        about = QAction(translate("MainWindow", "关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    # -- settings --------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        state = self.settings.value("main/splitter")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.splitter.restoreState(state)
        last = self.settings.value("main/period")
        index = self.period_combo.findData(last) if last else -1
        if index < 0:
            index = self.period_combo.findData(default_period(self.catalog, self.today).code)
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(max(0, index))
        self.period_combo.blockSignals(False)

    def _save_settings(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/splitter", self.splitter.saveState())
        self.settings.setValue("main/period", self.period.code)
        if self.current_task:
            self.settings.setValue("main/task", self.current_task)
        self.settings.sync()

    def _set_language(self, code: str) -> None:
        self.settings.setValue("ui/lang", code)
        self.settings.sync()
        QMessageBox.information(
            self,
            translate("MainWindow", "界面语言"),
            translate("MainWindow", "界面语言将在下次启动时生效。"),
        )

    # -- tasks -----------------------------------------------------------------------------
    @property
    def period(self) -> Period:
        return self.plan.period(self.period_combo.currentData())

    def _period_changed(self, _index: int) -> None:
        task = self.current_task
        self.close_form()
        self.refresh_tasks()
        if task:
            self.select_task(task)
        self.settings.setValue("main/period", self.period.code)

    @property
    def refreshing(self) -> bool:
        """True until the statuses asked for by the last refresh_tasks() are shown."""
        return self._refresh_request != self._refreshed

    def refresh_tasks(self) -> None:
        """Rebuild the task list at once; the period's entries are read on the DB worker (after any
        queued save) and their statuses filled in when they arrive. Until then a task keeps the status
        it showed for the same period, or shows none."""
        period = self.period
        unit, code = self.unit_code, period.code
        due = self.plan.due_date(period)
        current = self.current_task
        shown = self._status if getattr(self, "_status_period", None) == code else {}
        self._status_period = code
        self.tree.blockSignals(True)
        self.tree.clear()
        mine = {t.number for t in self.plan.tasks_for_unit(self.unit_code)}
        self._status = {}
        pending: dict[int, QTreeWidgetItem] = {}
        select = None
        bold = QFont()
        bold.setBold(True)
        for group in self.plan.spec.task_groups:
            tasks = [t for t in group.tasks if t.number in mine]
            if not tasks:
                continue
            heading = translate("MainWindow", "{0}、{1}").format("一二三四五六七八九十"[group.number - 1], group.title, group.number)
            gitem = QTreeWidgetItem([heading, "", ""])  # {2}: the group's number in digits (English)
            gitem.setFlags(Qt.ItemFlag.ItemIsEnabled)
            gitem.setToolTip(0, group.title)
            gitem.setFont(0, bold)
            self.tree.addTopLevelItem(gitem)
            for t in tasks:
                item = QTreeWidgetItem()
                item.setData(0, TASK_ROLE, t.number)
                item.setText(0, translate("MainWindow", "任务{0} {1}").format(t.number, t.title))
                item.setToolTip(0, t.title)
                form = self.catalog.form(t.number)
                if form is None:
                    item.setText(1, translate("MainWindow", "表单缺失"))
                    item.setForeground(1, QBrush(QColor("#9a6200")))
                elif not self.catalog.applies(t.number, period):
                    item.setText(1, translate("MainWindow", "本期不填报"))
                    item.setToolTip(1, translate("MainWindow", "此任务按{0}填报，{1}不是它的报告期").format(CADENCE_ZH[form.cadence], period.label))
                    for c in range(3):
                        item.setForeground(c, QBrush(QColor("#9e9e9e")))
                elif t.number in shown:
                    self._style_item(item, shown[t.number][0], due)
                    pending[t.number] = item
                else:
                    item.setText(2, due.isoformat())
                    pending[t.number] = item
                gitem.addChild(item)
                if t.number == current:
                    select = item
            gitem.setExpanded(True)
        self.tree.blockSignals(False)
        if select is not None:
            self.tree.setCurrentItem(select)
        if all(t in shown for t in pending):
            self._update_summary()
        else:
            self.summary_label.setText(translate("MainWindow", "正在读取本期填报状态…"))
        self._refresh_request += 1
        request = self._refresh_request

        def show(entries: list) -> None:
            if request != self._refresh_request or self.period.code != code:
                return  # a newer refresh (or another period) is on its way
            by_task = {e.task: e for e in entries}
            for task, item in pending.items():
                self._style_item(item, entry_status(by_task.get(task)), due)
            self._update_summary()
            self._refreshed = request
            self.tasks_refreshed.emit()

        def failed(exc) -> None:
            if request == self._refresh_request:
                self._refreshed = request
                self.summary_label.setText(translate("MainWindow", "无法读取本期填报状态：{0}").format(exc))
                self.tasks_refreshed.emit()

        self.db.submit(lambda s: s.list_entries(unit=unit, period=code), show, failed)

    def _update_summary(self) -> None:
        counts = {NOT_STARTED: 0, DRAFT: 0, FINAL: 0, EXPORTED: 0}
        for status, _ in self._status.values():
            counts[status] += 1
        overdue = sum(1 for _, late in self._status.values() if late)
        summary = translate("MainWindow", "本期 {0} 项：未开始 {1}，草稿 {2}，已定稿 {3}，已导出 {4}").format(
            sum(counts.values()), counts[NOT_STARTED], counts[DRAFT], counts[FINAL], counts[EXPORTED]
        )
        if overdue:
            summary += translate("MainWindow", "；{0} 项已逾期").format(overdue)
        self.summary_label.setText(summary)

    def _style_item(self, item: QTreeWidgetItem, status: str, due: dt.date) -> bool:
        """Status and due date of one applicable task; returns whether it is overdue."""
        item.setText(1, status_text(status))
        color = {NOT_STARTED: "#616161", DRAFT: "#8d6e00", FINAL: "#1b5e20", EXPORTED: "#0d47a1"}[status]
        item.setForeground(1, QBrush(QColor(color)))
        overdue = status in (NOT_STARTED, DRAFT) and due < self.today
        font = QFont()
        font.setBold(overdue)
        item.setFont(2, font)
        if overdue:
            item.setText(2, translate("MainWindow", "{0} 已逾期").format(due.isoformat()))
            item.setForeground(2, QBrush(QColor("#c62828")))
            item.setToolTip(2, translate("MainWindow", "已超过截止日期 {0} 天").format((self.today - due).days))
        else:
            item.setText(2, due.isoformat())
            item.setForeground(2, QBrush(QColor("#212121")))
            item.setToolTip(2, "")
        self._status[item.data(0, TASK_ROLE)] = (status, overdue)
        return overdue

    def update_task_status(self, task: int) -> None:
        item = self.task_item(task)
        period = self.period
        if item is None or not self.catalog.applies(task, period):
            return
        unit, code = self.unit_code, period.code

        def show(entry) -> None:
            current = self.task_item(task)
            if current is not None and self.period.code == code:
                self._style_item(current, entry_status(entry), self.plan.due_date(period))
                self._update_summary()

        self.db.submit(lambda s: s.find_entry(unit, task, code), show)

    def task_item(self, task: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            g = self.tree.topLevelItem(i)
            for j in range(g.childCount()):
                if g.child(j).data(0, TASK_ROLE) == task:
                    return g.child(j)
        return None

    def select_task(self, task: int) -> None:
        item = self.task_item(task)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _item_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        task = current.data(0, TASK_ROLE) if current is not None else None
        if task is None or (task == self.current_task and self.form_view is not None):
            return
        self.open_task(task)

    def close_form(self) -> None:
        if self.form_view is not None:
            view, self.form_view = self.form_view, None
            view.flush()
            self.stack.removeWidget(view)
            view.deleteLater()
            self.update_task_status(view.task)
        self.current_task = None
        self.stack.setCurrentWidget(self.placeholder)

    def open_task(self, task: int) -> None:
        self.close_form()
        self.current_task = task
        period = self.period
        form = self.catalog.form(task)
        if form is None:
            self.placeholder.setText(
                translate("MainWindow", "任务{0}的表单文件还不可用，暂时无法填报。").format(task)
            )
            return
        if not self.catalog.applies(task, period):
            self.placeholder.setText(
                translate("MainWindow", "任务{0}按{1}填报，{2}没有此任务的报告期。请在上方选择其他报告期。").format(
                    task, CADENCE_ZH[form.cadence], period.label
                )
            )
            return
        unit, code = self.unit_code, period.code
        key = scratch_key(unit, task, code)
        self._open_request += 1
        request = self._open_request
        self.placeholder.setText(translate("MainWindow", "正在打开任务{0}…").format(task))

        def job(store):  # on the DB worker, after any queued save of the previous task
            entry = store.find_entry(unit, task, code)
            scratch = store.get_setting(key)
            prepared = prepare_tables(form, entry.data if entry else {}, scratch)
            return entry, store.previous_data(unit, task, code), scratch, prepared

        def done(result) -> None:
            if request != self._open_request or self.current_task != task or self.period.code != code:
                return  # the clerk has moved on
            entry, previous, scratch, prepared = result
            view = FormView(
                form, make_context(self.plan, unit, period), self.db, self.catalog.catalog, unit, period,
                entry, previous, scratch, due=self.plan.due_date(period).isoformat(), prepared=prepared,
            )
            view.saved.connect(self._entry_saved)
            view.status_changed.connect(self._entry_saved)
            view.history_requested.connect(self.open_history)
            view.save_failed.connect(lambda msg: self.statusBar().showMessage(msg, 10000))
            self.form_view = view
            self.stack.addWidget(view)
            self.stack.setCurrentWidget(view)

        def failed(exc) -> None:
            if request == self._open_request:
                self.placeholder.setText(translate("MainWindow", "无法打开任务{0}：{1}").format(task, exc))

        self.db.submit(job, done, failed)

    def _entry_saved(self, entry) -> None:
        item = self.task_item(entry.task)
        if item is not None and entry.period == self.period.code and item.text(1) != status_text(entry_status(entry)):
            self._style_item(item, entry_status(entry), self.plan.due_date(self.period))
            self._update_summary()

    # -- dialogs ---------------------------------------------------------------------------
    def open_export(self) -> None:
        from .export_dialog import ExportDialog

        if self.form_view is not None:
            self.form_view.flush()
        dialog = ExportDialog(self.data_dir, self.catalog, self.db, self.unit_code, self.period, self)
        dialog.exec()
        self.refresh_tasks()

    def open_keys(self) -> None:
        from .setup import KeysDialog

        KeysDialog(self.data_dir, self.plan, self.unit_code, self).exec()

    def open_history(self, entry) -> None:
        if entry is None:
            return
        from .history import HistoryDialog

        if self.form_view is not None:
            self.form_view.save_now()  # queued before the read below: the history includes it
        entry_id, form = entry.id, self.catalog.form(entry.task)
        self.statusBar().showMessage(translate("MainWindow", "正在读取历史版本…"))

        def show(revisions) -> None:
            self.statusBar().clearMessage()
            HistoryDialog(form, revisions, self).exec()

        self.db.submit(lambda s: s.revisions(entry_id), show)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            translate("MainWindow", "关于"),
            translate("MainWindow", "雁塔知识产权强县填报\n{0}\n数据目录：{1}").format(self.plan.spec.title, self.data_dir),
        )

    def _preload_consolidation(self) -> None:
        """Import the 汇总 view's modules while the clerk is still reading the task list."""
        if self.consolidation_view is not None:
            return
        try:
            import_module(CONSOLIDATION_MODULE)
        except ImportError:
            log.exception("汇总功能预加载失败")  # the tab shows the reason when it is opened

    def _tab_changed(self, index: int) -> None:
        if self.tabs is None or index != 1 or self.consolidation_view is not None:
            return
        try:
            from . import consolidate_view
        except ImportError as exc:
            self.consolidation_placeholder.setText(translate("MainWindow", "汇总功能尚未安装：{0}").format(exc))
            return
        view = consolidate_view.ConsolidationView(self.data_dir, self.catalog.catalog, today=self.today)
        self.consolidation_view = view
        self.tabs.blockSignals(True)
        self.tabs.removeTab(1)
        self.tabs.insertTab(1, view, translate("MainWindow", "汇总（全区）"))
        self.tabs.setCurrentIndex(1)
        self.tabs.blockSignals(False)

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            if self.form_view is not None and self.db.running:
                self.form_view.flush()
        except Exception:
            log.exception("关闭时保存草稿失败")
        if self.tabs is not None and self.consolidation_view is not None and hasattr(self.consolidation_view, "shutdown"):
            self.consolidation_view.shutdown()
        self._save_settings()
        event.accept()
