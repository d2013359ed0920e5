"""First-run setup (unit, key passphrase, certificate) and the 证书与密钥 dialog.

Key generation (Argon2id) runs on a worker. The certificate can be imported later: export then
says exactly what is missing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from .. import paths
from ..errors import UnknownUnitError, YantaError
from .tasks import run_job

translate = QCoreApplication.translate
MIN_PASSPHRASE = 8


def key_state(data_dir: Path) -> dict:
    """What this installation has: key, request, certificate, root (paths or None)."""
    k = paths.keys_dir(data_dir)
    out = {name: (k / file if (k / file).exists() else None) for name, file in (
        ("key", "unit.key"), ("csr", "unit.csr.pem"), ("cert", "unit.pem"), ("root", "root.pem"))}
    return out


def describe_cert(path: Path) -> str:
    from ..packets import pki

    cert = pki.load_cert_file(path)
    return translate("Setup", "单位代码 {0}，有效期至 {1}，证书指纹 {2}…").format(
        pki.cn_of(cert.subject), cert.not_valid_after_utc.date().isoformat(), pki.cert_sha256(cert)[:16]
    )


# ---- pages ----------------------------------------------------------------------------------------
class UnitPage(QWizardPage):
    def __init__(self, plan) -> None:
        super().__init__()
        self.plan = plan
        self.setTitle(translate("Setup", "选择填报单位"))
        self.setSubTitle(translate("Setup", "本机代表哪个单位填报？可输入单位全称、简称或方案中的其他写法搜索。"))
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("unitSearch")
        self.search.setPlaceholderText(translate("Setup", "如：区科工局、科技局、小寨路街道"))
        self.search.setAccessibleName(translate("Setup", "搜索单位"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setObjectName("unitList")
        self.list.setAccessibleName(translate("Setup", "单位列表"))
        for unit in plan.reporting_units():
            item = QListWidgetItem(f"{unit.name}（{unit.code}）")
            item.setData(Qt.ItemDataRole.UserRole, unit.code)
            tasks = [t.number for t in plan.tasks_for_unit(unit.code)]
            item.setToolTip(
                translate("Setup", "其他写法：{0}\n负责任务：{1}").format(
                    "、".join(unit.aliases) or "—", "、".join(str(n) for n in tasks) or "—"
                )
            )
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        self.info = QLabel()
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.search.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(self._chosen)
        self.search.returnPressed.connect(self._pick_first)

    def _matches(self, code: str, text: str) -> bool:
        unit = self.plan.units[code]
        hay = [unit.name, unit.short_name, unit.code, *unit.aliases]
        return any(text.lower() in h.lower() for h in hay)

    def _filter(self, text: str) -> None:
        text = text.strip()
        resolved = None
        if text:
            try:
                resolved = self.plan.resolve_unit(text).code
            except UnknownUnitError:
                resolved = None
        first = target = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            code = item.data(Qt.ItemDataRole.UserRole)
            visible = not text or code == resolved or self._matches(code, text)
            item.setHidden(not visible)
            if visible and first is None:
                first = item
            if code == resolved:
                target = item
        current = self.list.currentItem()
        pick = target or first
        if pick is not None and (target is not None or current is None or current.isHidden()):
            self.list.setCurrentItem(pick)
        self.completeChanged.emit()

    def _pick_first(self) -> None:
        if self.list.currentItem() is not None and not self.list.currentItem().isHidden():
            self.wizard().next()

    def _chosen(self, item, _prev=None) -> None:
        if item is not None:
            code = item.data(Qt.ItemDataRole.UserRole)
            tasks = self.plan.tasks_for_unit(code)
            self.info.setText(
                translate("Setup", "{0} 负责 {1} 项任务：{2}").format(
                    self.plan.units[code].name, len(tasks), "、".join(f"任务{t.number}" for t in tasks)
                )
            )
        self.completeChanged.emit()

    def unit_code(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and not item.isHidden() else None

    def isComplete(self) -> bool:
        return self.unit_code() is not None


class KeyPage(QWizardPage):
    def __init__(self, data_dir: Path, plan) -> None:
        super().__init__()
        self.data_dir, self.plan = data_dir, plan
        self.done_for: tuple | None = None
        self.busy = False
        self.setTitle(translate("Setup", "设置签名口令"))
        self.setSubTitle(
            translate("Setup", "本机会生成一把签名私钥，用口令加密保存。每次导出数据包时都要输入这个口令，请牢记。")
        )
        layout = QFormLayout(self)
        self.pass1 = QLineEdit()
        self.pass1.setObjectName("passphrase1")
        self.pass1.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass1.setAccessibleName(translate("Setup", "口令"))
        self.pass2 = QLineEdit()
        self.pass2.setObjectName("passphrase2")
        self.pass2.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass2.setAccessibleName(translate("Setup", "再次输入口令"))
        layout.addRow(translate("Setup", "口令(&P)："), self.pass1)
        layout.addRow(translate("Setup", "再次输入(&A)："), self.pass2)
        self.self_ca = QCheckBox(translate("Setup", "本机是区知识产权局：同时建立根证书，并为本机签发签名证书"))
        self.self_ca.setObjectName("selfCa")
        layout.addRow(self.self_ca)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addRow(self.message)
        for w in (self.pass1, self.pass2):
            w.textChanged.connect(self._check)
        self._check()

    def initializePage(self) -> None:
        code = self.wizard().unit_code()
        is_ipb = code == self.plan.spec.ip_bureau
        self.self_ca.setVisible(is_ipb)
        self.self_ca.setChecked(is_ipb)

    def _check(self) -> None:
        a, b = self.pass1.text(), self.pass2.text()
        if a and len(a) < MIN_PASSPHRASE:
            self._say(translate("Setup", "口令至少需要 {0} 个字符。").format(MIN_PASSPHRASE), error=True)
        elif b and a != b:
            self._say(translate("Setup", "两次输入的口令不一致。"), error=True)
        else:
            self._say("")
        self.completeChanged.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color:#c62828;" if error else "")
        self.message.setText(text)

    def isComplete(self) -> bool:
        a = self.pass1.text()
        return not self.busy and len(a) >= MIN_PASSPHRASE and a == self.pass2.text()

    def validatePage(self) -> bool:
        wizard = self.wizard()
        want = (wizard.unit_code(), self.pass1.text(), self.self_ca.isChecked())
        if self.done_for == want:
            return True
        unit = self.plan.units[want[0]]
        data_dir, passphrase, self_ca, plan = self.data_dir, want[1], want[2], self.plan

        def job(progress):
            from ..packets import pki

            progress(translate("Setup", "正在生成签名密钥（需要几秒钟）…"))
            csr_path, _ = pki.key_request(data_dir, unit.code, unit.name, passphrase, force=True)
            if self_ca:
                if not pki.ca_exists(data_dir):
                    progress(translate("Setup", "正在建立根证书…"))
                    pki.ca_init(data_dir, passphrase)
                progress(translate("Setup", "正在为本机签发证书…"))
                cert = pki.ca_issue(data_dir, csr_path.read_bytes(), passphrase, plan)
                root = pki.ca_root(data_dir)
                pki.key_install(data_dir, pki.cert_pem(cert), pki.cert_pem(root), unit.code)
            return csr_path

        def done(csr_path) -> None:
            self.busy = False
            self.done_for = want
            wizard.csr_path = csr_path
            self._say(translate("Setup", "签名密钥已生成。"))
            self.completeChanged.emit()
            wizard.next()

        def failed(exc) -> None:
            self.busy = False
            self._say(str(exc), error=True)
            self.completeChanged.emit()

        self.busy = True
        self.completeChanged.emit()
        run_job(job, done, failed, lambda payload: self._say(str(payload[0])))
        return False


class CertificateWidget(QWidget):
    """Pick this unit's certificate and the root; install them."""

    def __init__(self, data_dir: Path, unit_code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.unit_code = data_dir, unit_code
        layout = QFormLayout(self)
        self.request_label = QLabel()
        self.request_label.setWordWrap(True)
        self.request_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton(translate("Setup", "打开申请文件所在文件夹"))
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.keys_dir(self.data_dir))))
        )
        layout.addRow(self.request_label)
        layout.addRow(self.open_folder)
        self.cert_edit, cert_row = self._picker(translate("Setup", "本单位证书"))
        self.root_edit, root_row = self._picker(translate("Setup", "根证书"))
        layout.addRow(translate("Setup", "本单位证书(&C)："), cert_row)
        layout.addRow(translate("Setup", "根证书(&R)："), root_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addRow(self.message)
        self.refresh()

    def _picker(self, what: str) -> tuple[QLineEdit, QWidget]:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit()
        edit.setAccessibleName(what)
        edit.setPlaceholderText(translate("Setup", "区知识产权局发来的 .pem 文件"))
        button = QPushButton(translate("Setup", "浏览…"))
        button.setAccessibleName(translate("Setup", "选择{0}文件").format(what))

        def browse() -> None:
            path, _ = QFileDialog.getOpenFileName(
                self, translate("Setup", "选择{0}").format(what), "", translate("Setup", "证书 (*.pem *.crt *.cer);;所有文件 (*)")
            )
            if path:
                edit.setText(path)

        button.clicked.connect(browse)
        h.addWidget(edit, 1)
        h.addWidget(button)
        return edit, row

    def refresh(self) -> None:
        state = key_state(self.data_dir)
        if state["cert"]:
            try:
                text = translate("Setup", "已安装签名证书：{0}").format(describe_cert(state["cert"]))
            except YantaError as exc:
                text = str(exc)
        elif state["csr"]:
            text = translate("Setup", "证书申请文件：{0}\n请把它交给区知识产权局，拿到“本单位证书”和“根证书”后在此导入。").format(state["csr"])
        else:
            text = translate("Setup", "本机还没有签名密钥。")
        self.request_label.setText(text)

    def install(self) -> bool:
        from ..packets import pki

        cert, root = self.cert_edit.text().strip(), self.root_edit.text().strip()
        if not cert or not root:
            self._say(translate("Setup", "请选择本单位证书和根证书两个文件。"), error=True)
            return False
        try:
            installed = pki.key_install(self.data_dir, Path(cert).read_bytes(), Path(root).read_bytes(), self.unit_code)
        except OSError as exc:
            self._say(translate("Setup", "无法读取证书文件：{0}").format(exc), error=True)
            return False
        except YantaError as exc:
            self._say(str(exc), error=True)
            return False
        self._say(translate("Setup", "证书已导入：单位 {0}。").format(pki.cn_of(installed.subject)))
        self.refresh()
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color:#c62828;" if error else "color:#1b5e20;")
        self.message.setText(text)


class CertPage(QWizardPage):
    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.setTitle(translate("Setup", "导入证书"))
        self.setSubTitle(translate("Setup", "区知识产权局为本单位签发证书后，在这里导入。也可以先跳过，导出前再导入。"))
        layout = QVBoxLayout(self)
        self.widget = CertificateWidget(data_dir)
        layout.addWidget(self.widget)
        self.defer = QCheckBox(translate("Setup", "以后再导入（在“文件 → 证书与密钥”中；导入前不能导出数据包）"))
        self.defer.setObjectName("deferCert")
        layout.addWidget(self.defer)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.widget.unit_code = self.wizard().unit_code()
        self.widget.refresh()
        installed = key_state(self.data_dir)["cert"] is not None
        self.defer.setVisible(not installed)

    def validatePage(self) -> bool:
        if key_state(self.data_dir)["cert"] is not None or self.defer.isChecked():
            return True
        return self.widget.install()


class SetupWizard(QWizard):
    """First run: unit, key passphrase, certificate. ``unit_code()`` after ``exec()``."""

    def __init__(self, data_dir: Path, plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir, self.plan = data_dir, plan
        self.csr_path: Path | None = None
        self.setObjectName("setupWizard")
        self.setWindowTitle(translate("Setup", "首次使用设置 — 雁塔知识产权强县填报"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.unit_page = UnitPage(plan)
        self.key_page = KeyPage(data_dir, plan)
        self.cert_page = CertPage(data_dir)
        self.addPage(self.unit_page)
        self.addPage(self.key_page)
        self.addPage(self.cert_page)
        self.setButtonText(QWizard.WizardButton.NextButton, translate("Setup", "下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.BackButton, translate("Setup", "< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.FinishButton, translate("Setup", "完成(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, translate("Setup", "取消"))
        self.resize(720, 560)

    def unit_code(self) -> str | None:
        return self.unit_page.unit_code()


class KeysDialog(QDialog):
    """File → 证书与密钥: what is installed, and importing a certificate later."""

    def __init__(self, data_dir: Path, plan, unit_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Setup", "证书与密钥"))
        layout = QVBoxLayout(self)
        self.widget = CertificateWidget(data_dir, unit_code)
        layout.addWidget(self.widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        install = buttons.addButton(translate("Setup", "导入证书"), QDialogButtonBox.ButtonRole.ActionRole)
        install.clicked.connect(self.widget.install)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)
