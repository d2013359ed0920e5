"""Export: readiness per task, passphrase, a signed packet written off the UI thread, the result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import paths
from ..errors import PassphraseError, YantaError
from ..plan import Period
from .setup import key_state
from .tasks import run_job

translate = QCoreApplication.translate

_COLORS = {"final": "#1b5e20", "exported": "#0d47a1", "draft": "#c62828", "missing": "#9a6200"}


def status_label(status: str) -> str:
    return {
        "final": translate("ExportDialog", "已定稿"),
        "exported": translate("ExportDialog", "已导出"),
        "draft": translate("ExportDialog", "未定稿"),
        "missing": translate("ExportDialog", "未填报"),
    }.get(status, status)


class ExportDialog(QDialog):
    def __init__(self, data_dir: Path, catalog, db, unit: str, period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.catalog, self.db, self.unit, self.period = data_dir, catalog, db, unit, period
        self.items: list = []
        self.result = None
        self.running = False
        self.setObjectName("exportDialog")
        self.setWindowTitle(translate("ExportDialog", "导出数据包 — {0}").format(period.label))
        layout = QVBoxLayout(self)
        intro = QLabel(
            translate(
                "ExportDialog",
                "{0} 的已定稿填报将写入一个签名的 Excel 数据包，交区知识产权局汇总。下面是本期各项任务的状态：",
            ).format(period.label)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("readinessTable")
        self.table.setAccessibleName(translate("ExportDialog", "各任务导出准备情况"))
        self.table.setHorizontalHeaderLabels(
            [translate("ExportDialog", "任务"), translate("ExportDialog", "状态"), translate("ExportDialog", "说明")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 300)
        layout.addWidget(self.table, 1)
        self.summary = QLabel(translate("ExportDialog", "正在检查…"))
        self.summary.setWordWrap(True)
        self.summary.setObjectName("readinessSummary")
        layout.addWidget(self.summary)
        self.allow_missing = QCheckBox(translate("ExportDialog", "只导出已定稿的任务（未填报的任务不包含在本数据包中）"))
        self.allow_missing.toggled.connect(self._update_buttons)
        layout.addWidget(self.allow_missing)

        form = QFormLayout()
        self.key_label = QLabel()
        self.key_label.setWordWrap(True)
        form.addRow(translate("ExportDialog", "签名证书："), self.key_label)
        out_row = QWidget()
        oh = QHBoxLayout(out_row)
        oh.setContentsMargins(0, 0, 0, 0)
        self.out_edit = QLineEdit(str(paths.exports_dir(data_dir)))
        self.out_edit.setAccessibleName(translate("ExportDialog", "保存位置"))
        browse = QPushButton(translate("ExportDialog", "浏览…"))
        browse.setAccessibleName(translate("ExportDialog", "选择保存位置"))
        browse.clicked.connect(self._browse)
        oh.addWidget(self.out_edit, 1)
        oh.addWidget(browse)
        form.addRow(translate("ExportDialog", "保存到(&D)："), out_row)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("exportPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(translate("ExportDialog", "签名口令"))
        self.passphrase.textChanged.connect(self._update_buttons)
        self.passphrase.returnPressed.connect(self.start)
        form.addRow(translate("ExportDialog", "签名口令(&P)："), self.passphrase)
        layout.addLayout(form)

        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setVisible(False)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setVisible(False)
        layout.addWidget(self.message)

        self.result_box = QFrame()
        self.result_box.setObjectName("exportResult")
        self.result_box.setFrameShape(QFrame.Shape.StyledPanel)
        rl = QFormLayout(self.result_box)
        self.result_title = QLabel()
        self.result_title.setStyleSheet("color:#1b5e20;font-weight:bold;")
        rl.addRow(self.result_title)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fp_label = QLabel()
        self.fp_label.setWordWrap(True)
        self.fp_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fp_label.setObjectName("fingerprint")
        self.cert_label = QLabel()
        self.cert_label.setWordWrap(True)
        self.cert_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rl.addRow(translate("ExportDialog", "文件："), self.path_label)
        rl.addRow(translate("ExportDialog", "数据指纹（SHA-256）："), self.fp_label)
        rl.addRow(translate("ExportDialog", "证书指纹："), self.cert_label)
        rb = QHBoxLayout()
        self.open_folder = QPushButton(translate("ExportDialog", "打开所在文件夹"))
        self.open_folder.clicked.connect(self._open_folder)
        self.copy_fp = QPushButton(translate("ExportDialog", "复制指纹"))
        self.copy_fp.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.result.payload_sha256 if self.result else ""))
        rb.addWidget(self.open_folder)
        rb.addWidget(self.copy_fp)
        rb.addStretch(1)
        rl.addRow(rb)
        self.result_box.setVisible(False)
        layout.addWidget(self.result_box)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(translate("ExportDialog", "导出(&E)"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.close_button = QPushButton(translate("ExportDialog", "关闭"))
        self.close_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.start)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(860, 640)
        self._show_key_state()
        self.refresh()

    # -- readiness -------------------------------------------------------------------------
    def refresh(self) -> None:
        catalog, unit, code = self.catalog.catalog, self.unit, self.period.code

        def job(store):
            from ..packets import readiness

            return readiness(store, catalog, unit, code)

        self.db.submit(job, self._show_readiness, self._readiness_failed)

    def _readiness_failed(self, exc: Exception) -> None:
        self.summary.setText(translate("ExportDialog", "无法检查填报状态：{0}").format(exc))
        self._update_buttons()

    def _show_readiness(self, items: list) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            color = _COLORS.get(item.status, "#212121")
            cells = [
                QTableWidgetItem(translate("ExportDialog", "任务{0} {1}").format(item.task, item.title)),
                QTableWidgetItem(status_label(item.status)),
                QTableWidgetItem("\n".join(item.problems)),
            ]
            cells[1].setForeground(QBrush(QColor(color)))
            cells[0].setToolTip(item.title)
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        ready = sum(1 for i in items if i.status in ("final", "exported"))
        drafts = sum(1 for i in items if i.status == "draft")
        missing = sum(1 for i in items if i.status == "missing")
        text = translate("ExportDialog", "本期 {0} 项任务：可导出 {1} 项，未定稿 {2} 项，未填报 {3} 项。").format(
            len(items), ready, drafts, missing
        )
        if drafts:
            text += translate("ExportDialog", "未定稿的任务必须先定稿（或退回清空）才能导出。")
        elif missing:
            text += translate("ExportDialog", "如确实无需填报，可勾选下方“只导出已定稿的任务”。")
        self.summary.setText(text)
        self._update_buttons()

    def _show_key_state(self) -> None:
        state = key_state(self.data_dir)
        self.has_cert = state["cert"] is not None
        if self.has_cert:
            from .setup import describe_cert

            try:
                self.key_label.setText(describe_cert(state["cert"]))
            except YantaError as exc:
                self.key_label.setText(str(exc))
        elif state["key"]:
            self.key_label.setText(
                translate(
                    "ExportDialog",
                    "还没有导入证书，暂时不能导出。请把证书申请文件 {0} 交区知识产权局签发，再在“文件 → 证书与密钥”中导入本单位证书和根证书。",
                ).format(state["csr"] or "")
            )
            self.key_label.setStyleSheet("color:#c62828;")
        else:
            self.key_label.setText(
                translate("ExportDialog", "本机还没有签名密钥，暂时不能导出。请在“文件 → 证书与密钥”中生成证书申请。")
            )
            self.key_label.setStyleSheet("color:#c62828;")

    def blocking(self) -> list:
        allow_missing = self.allow_missing.isChecked()
        return [i for i in self.items if i.status == "draft" or (i.status == "missing" and not allow_missing)]

    def _update_buttons(self, *_a) -> None:
        ready = any(i.status in ("final", "exported") for i in self.items)
        ok = self.has_cert and ready and not self.blocking() and bool(self.passphrase.text()) and not self.running
        self.export_button.setEnabled(ok)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("ExportDialog", "选择保存位置"), self.out_edit.text())
        if folder:
            self.out_edit.setText(folder)

    # -- export ----------------------------------------------------------------------------
    def start(self) -> None:
        if not self.export_button.isEnabled():
            return
        data_dir, catalog, code = self.data_dir, self.catalog.catalog, self.period.code
        out_dir = Path(self.out_edit.text().strip() or paths.exports_dir(data_dir))
        passphrase, allow_missing = self.passphrase.text(), self.allow_missing.isChecked()

        def job(progress):
            from ..packets import export_packet
            from ..store import Store

            out_dir.mkdir(parents=True, exist_ok=True)
            with Store.open(data_dir) as store:  # this thread's own connection
                return export_packet(
                    store, catalog, code, out_dir, passphrase,
                    lambda done, total, message: progress(done, total, message),
                    allow_missing=allow_missing,
                )

        self.running = True
        self.message.setVisible(False)
        self.result_box.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress_label.setVisible(True)
        self.progress_label.setText(translate("ExportDialog", "正在解开私钥并准备导出…"))
        self._update_buttons()
        self.close_button.setEnabled(False)
        run_job(job, self._done, self._failed, self._progress)

    def _progress(self, payload: tuple) -> None:
        done, total, message = payload
        self.progress.setRange(0, max(1, int(total)))
        self.progress.setValue(int(done))
        self.progress_label.setText(str(message))

    def _finish(self) -> None:
        self.running = False
        self.close_button.setEnabled(True)
        self.progress.setVisible(False)
        self.progress_label.setVisible(False)
        self._update_buttons()

    def _done(self, result) -> None:
        self._finish()
        self.result = result
        self.passphrase.clear()
        self.result_title.setText(
            translate("ExportDialog", "导出成功：第 {0} 号数据包，含 {1} 项任务。").format(result.seq, result.entries)
            + (translate("ExportDialog", "（内容未变，沿用原序号）") if result.reused else "")
        )
        self.path_label.setText(str(result.path))
        self.fp_label.setText(result.payload_sha256)
        self.cert_label.setText(result.cert_sha256)
        self.result_box.setVisible(True)
        self.open_folder.setFocus()
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self._finish()
        if isinstance(exc, PassphraseError):
            text = translate("ExportDialog", "口令不正确，私钥无法解开。请重新输入签名口令。")
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif isinstance(exc, YantaError):
            text = str(exc)
        else:
            text = translate("ExportDialog", "导出失败：{0}").format(exc)
        self.message.setStyleSheet("color:#c62828;")
        self.message.setText(text)
        self.message.setVisible(True)

    def _open_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.result.path).parent)))

    def reject(self) -> None:
        if not self.running:
            super().reject()
