"""Render the README screenshots headless: setup, task list, a form with errors, a record table, export.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_screenshots.py [docs/shots] [--lang en]

With ``--lang en`` the English UI is rendered and the files are named ``en-*.png``.

Needs a CJK font (Linux: fonts-wqy-microhei). Real widgets on a real temporary data directory:
the certificate comes from a real CA, the packet is really signed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

PASSPHRASE = "示例口令-correct horse"


def settle(app, ms: int = 150) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def wait(app, predicate, timeout: float = 30.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("截图脚本等待超时")
        settle(app, 30)


def open_task(app, window, task: int):
    window.select_task(task)
    wait(app, lambda: window.form_view is not None and window.form_view.task == task)
    return window.form_view


def main(out: Path, lang: str = "zh_CN") -> None:
    from PySide6.QtWidgets import QApplication

    from yanta_desktop.app import apply_style, build_main_window, make_application
    from yanta_desktop.forms.validate import _USCC_CHARS, _USCC_WEIGHTS
    from yanta_desktop.packets import pki
    from yanta_desktop.ui.core import load_catalog_tolerant
    from yanta_desktop.ui.export_dialog import ExportDialog
    from yanta_desktop.ui.i18n import install_translators
    from yanta_desktop.ui.setup import SetupWizard
    from yanta_desktop.ui.tasks import DbWorker

    out.mkdir(parents=True, exist_ok=True)
    prefix = "" if lang == "zh_CN" else f"{lang}-"
    app = make_application()
    app._translators = install_translators(app, lang)  # type: ignore[attr-defined]
    apply_style(app)
    catalog = load_catalog_tolerant()
    plan = catalog.plan
    root = Path(tempfile.mkdtemp(prefix="yanta-shots-"))
    data, ipb = root / "kgj", root / "ipb"
    data.mkdir()

    # 1. setup
    wizard = SetupWizard(data, plan)
    wizard.resize(760, 560)
    wizard.show()
    wizard.unit_page.search.setText("科技")
    settle(app)
    wizard.grab().save(str(out / f"{prefix}setup.png"))
    wizard.next()
    wizard.key_page.pass1.setText(PASSPHRASE)
    wizard.key_page.pass2.setText("示例口令")
    settle(app)
    wizard.grab().save(str(out / f"{prefix}setup-passphrase.png"))
    wizard.close()

    # a certified bureau (the IP bureau's CA issues the certificate)
    pki.ca_init(ipb, PASSPHRASE)
    csr, _ = pki.key_request(data, "KGJ", "区科工局", PASSPHRASE)
    cert = pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, plan)
    pki.key_install(data, pki.cert_pem(cert), pki.cert_pem(pki.ca_root(ipb)), "KGJ")
    db = DbWorker(data)
    db.call(lambda s: s.set_unit("KGJ", "区科工局"))
    window = build_main_window(data, catalog, db, today=dt.date(2025, 8, 1), run_setup=False)
    window.resize(1360, 860)
    window.show()
    settle(app)

    # 2. task list, with one task final and one draft
    open_task(app, window, 4)
    view = open_task(app, window, 1)
    status = view.rows["status"].editor.input
    status.setCurrentIndex(status.findData("推进中"))
    for key, text in (("invention_grants", "38"), ("pct_applications", "6"), ("filled_by", "王晓明"),
                      ("phone", "029-85212345"), ("filled_on", "2025-07-08")):
        view.rows[key].editor.input.setText(text)
    view.revalidate()
    view.finalise()
    wait(app, lambda: view.entry is not None and view.entry.status == "final")
    v5 = open_task(app, window, 5)
    v5.rows["filled_by"].editor.input.setText("王晓明")
    open_task(app, window, 16)
    settle(app)
    window.grab().save(str(out / f"{prefix}tasks.png"))

    # 3. a form with errors: a bad number, a bad phone, a warning, then 定稿 refused
    view = open_task(app, window, 5)
    first = next(iter(view.rows))
    view.rows[first].editor.input.setFocus()
    for key, text in (("phone", "85212345"), ("filled_on", "2025-06-01")):
        view.rows[key].editor.input.setText(text)
    number = next((k for k, r in view.rows.items() if r.spec.type == "integer" and r.isVisibleTo(view)), None)
    if number:
        view.rows[number].editor.input.setText("12个")
    view.finalise()
    settle(app, 300)
    view.focus_key("phone")
    settle(app)
    window.grab().save(str(out / f"{prefix}form-errors.png"))

    # 4. a record table with a block pasted from Excel (one bad credit code)
    view = open_task(app, window, 1)
    view.reopen("补充重点培育主体台账")
    wait(app, lambda: view.entry.status == "draft")

    def uscc(body: str) -> str:
        total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
        return body + _USCC_CHARS[(31 - total % 31) % 31]

    block = "\n".join(
        [
            f"西安雁塔电子材料有限公司\t{uscc('91610113MA6TXQ0A1')}\t企业\t电子材料\t电子城街道\t5\t1\t20.00",
            f"西安交通大学某研究院\t{uscc('12610000435230001')}\t高校\t光电信息\t交大科技园\t9\t2\t35.50",
            f"雁塔未来智能科技有限公司\t{uscc('91610113MA7B2C3D4')}\t企业\t人工智能+\t未来产业城\t3\t0\t12.00",
            "西安某生物药业有限公司\t916101130000\t企业\t生物药\t丈八街道\t2\t1\t8.00",
        ]
    )
    box = view.tables["entities"]
    box.paste_text(block, 0, 0)
    view.revalidate()
    settle(app, 300)
    view.scroll.ensureWidgetVisible(box, 10, 10)
    box.view.setCurrentIndex(box.model.index(3, 0))  # the red cell beside it stays visible
    box.view.clearSelection()
    settle(app)
    window.grab().save(str(out / f"{prefix}record-table.png"))
    box.view.selectRow(3)
    box.model.remove_rows([3])  # the row with the bad credit code
    view.rows["invention_grants"].editor.input.setText("41")
    view.revalidate()
    view.finalise()
    wait(app, lambda: view.entry.status == "final")

    # 5. history of task 1: drafts, 定稿, 退回, 定稿 again
    from yanta_desktop.ui.history import HistoryDialog

    entry_id = view.entry.id
    history = HistoryDialog(catalog.form(1), db.call(lambda s: s.revisions(entry_id)), window)
    history.resize(900, 600)
    history.show()
    busiest = max(range(history.list.rowCount() - 1), key=lambda r: (history.show_revision(r), history.diff.rowCount())[1])
    history.list.selectRow(busiest)  # the latest change that is not the first draft
    settle(app)
    history.grab().save(str(out / f"{prefix}history.png"))
    history.close()

    # 6. export, with the result (the other draft is completed from its sample entry first)
    import json

    def complete(task: int):
        def job(store):
            entry = store.find_entry("KGJ", task, "2025Q2")
            if entry is None or entry.status == "final":
                return
            sample = json.loads((REPO / "forms" / "samples" / f"task{task:02d}.json").read_text(encoding="utf-8"))
            sample["evidence"] = []
            store.save_draft("KGJ", task, "2025Q2", sample, catalog.form(task))
            store.finalise(entry.id, catalog.catalog)

        db.call(job)

    window.close_form()
    for task in (4, 5, 6, 16):
        complete(task)
    window.refresh_tasks()
    wait(app, lambda: not window.refreshing)
    dialog = ExportDialog(data, catalog, db, "KGJ", window.period, window)
    dialog.resize(900, 700)
    dialog.show()
    wait(app, lambda: bool(dialog.items))
    dialog.allow_missing.setChecked(True)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.start()
    wait(app, lambda: dialog.result is not None or dialog.message.isVisible(), 60)
    settle(app)
    dialog.grab().save(str(out / f"{prefix}export.png"))
    dialog.close()
    window.close()
    db.stop()
    QApplication.processEvents()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Render the README screenshots headless.")
    ap.add_argument("out", nargs="?", type=Path, default=REPO / "docs" / "shots")
    ap.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    args = ap.parse_args()
    main(args.out, args.lang)
