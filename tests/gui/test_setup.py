"""First-run setup: unit by name or alias, passphrase twice, certificate now or later."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from yanta_desktop.packets import pki
from yanta_desktop.ui.setup import KeysDialog, SetupWizard, key_state

from .conftest import PASSPHRASE, type_text

pytestmark = pytest.mark.gui


def start(qtbot, data_dir, plan) -> SetupWizard:
    wizard = SetupWizard(data_dir, plan)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_unit_is_found_by_alias_and_search_filters_the_list(qtbot, data_dir, plan):
    wizard = start(qtbot, data_dir, plan)
    page = wizard.unit_page
    assert not page.isComplete()
    type_text(qtbot, page.search, "区科技和工业信息化局")  # the plan's other way of writing 区科工局
    assert wizard.unit_code() == "KGJ"
    assert "任务" in page.info.text()
    page.search.clear()
    type_text(qtbot, page.search, "街道")
    visible = [page.list.item(i) for i in range(page.list.count()) if not page.list.item(i).isHidden()]
    assert len(visible) == 10 and all("街道" in i.text() for i in visible)
    page.search.clear()
    type_text(qtbot, page.search, "不存在的局")
    assert wizard.unit_code() is None and not page.isComplete()


def test_passphrase_twice_then_certificate_deferred(qtbot, data_dir, plan):
    wizard = start(qtbot, data_dir, plan)
    type_text(qtbot, wizard.unit_page.search, "区科工局")
    wizard.next()
    key = wizard.key_page
    assert wizard.currentPage() is key
    assert not key.self_ca.isVisible()  # only the IP bureau holds the CA
    type_text(qtbot, key.pass1, "short")
    assert "至少" in key.message.text() and not key.isComplete()
    key.pass1.clear()
    type_text(qtbot, key.pass1, PASSPHRASE)
    type_text(qtbot, key.pass2, PASSPHRASE + "x")
    assert "不一致" in key.message.text() and not key.isComplete()
    key.pass2.clear()
    type_text(qtbot, key.pass2, PASSPHRASE)
    assert key.isComplete()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.cert_page, timeout=20000)  # key made on a worker
    state = key_state(data_dir)
    assert state["key"] and state["csr"] and not state["cert"]
    assert str(state["csr"]) in wizard.cert_page.widget.request_label.text()
    assert not wizard.cert_page.validatePage()  # neither files nor "later"
    assert "请选择" in wizard.cert_page.widget.message.text()
    wizard.cert_page.defer.setChecked(True)
    assert wizard.cert_page.validatePage()
    wizard.accept()
    assert wizard.unit_code() == "KGJ"


def test_certificate_imported_later_from_the_keys_dialog(qtbot, data_dir, plan, tmp_path):
    u = plan.units["KGJ"]
    csr, _ = pki.key_request(data_dir, u.code, u.name, PASSPHRASE)
    ipb = tmp_path / "ipb"
    pki.ca_init(ipb, PASSPHRASE)
    cert = tmp_path / "KGJ.pem"
    cert.write_bytes(pki.cert_pem(pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, plan)))
    root = tmp_path / "root.pem"
    root.write_bytes(pki.cert_pem(pki.ca_root(ipb)))
    dialog = KeysDialog(data_dir, plan, "KGJ")
    qtbot.addWidget(dialog)
    widget = dialog.widget
    widget.cert_edit.setText(str(root))  # the wrong way round: refused with a reason
    widget.root_edit.setText(str(cert))
    assert not widget.install()
    assert widget.message.text()
    widget.cert_edit.setText(str(cert))
    widget.root_edit.setText(str(root))
    assert widget.install()
    assert "KGJ" in widget.request_label.text()
    assert key_state(data_dir)["cert"] is not None


def test_ip_bureau_sets_up_its_own_root_and_certificate(qtbot, data_dir, plan):
    wizard = start(qtbot, data_dir, plan)
    type_text(qtbot, wizard.unit_page.search, "区知识产权局")
    assert wizard.unit_code() == "SCJGJ"
    wizard.next()
    assert wizard.key_page.self_ca.isChecked()
    type_text(qtbot, wizard.key_page.pass1, PASSPHRASE)
    type_text(qtbot, wizard.key_page.pass2, PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.cert_page, timeout=30000)
    assert pki.ca_exists(data_dir)
    assert key_state(data_dir)["cert"] is not None
    assert not wizard.cert_page.defer.isVisible()
    assert wizard.cert_page.validatePage()
