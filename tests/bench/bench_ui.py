"""UI responsiveness: the longest event-loop stall while the GUI exports a packet of a large entry.

A 5 ms QTimer heartbeat runs on the UI thread; every gap between two ticks longer than the
interval is time the UI could not repaint or take a key press. Measured in one run:

* ``worker``   — the export dialog's path: export_packet on a pool thread with its own Store;
* ``baseline`` — the same export called directly on the UI thread (what a naive GUI would do);
* ``open``     — building the form view for that entry on the UI thread (rows prepared and
  validated on workers, as the app does).

Goal: worker max stall < 100 ms. Run:  .venv/bin/python tests/bench/bench_ui.py [ROWS]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

PASSPHRASE = "bench-passphrase-1234"


def uscc(n: int) -> str:
    from yanta_desktop.forms.validate import _USCC_CHARS, _USCC_WEIGHTS

    body = f"91610113{n:09d}"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def large_entry(rows: int) -> dict:
    fields = ["新一代信息技术", "电力装备", "电子材料", "光电信息", "生物药"]
    return {
        "values": {"invention_grants": rows, "status": "推进中", "filled_by": "基准测试", "phone": "029-85212345"},
        "tables": {
            "entities": [
                {
                    "name": f"西安雁塔第{i}号科技有限公司",
                    "credit_code": uscc(i),
                    "kind": "企业",
                    "field": fields[i % len(fields)],
                    "grants": i % 7,
                    "funds": f"{i % 100}.50",
                }
                for i in range(rows)
            ]
        },
        "evidence": [],
    }


class Heartbeat:
    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.max_gap = 0.0
        self.ticks = 0
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now
        self.ticks += 1

    def start(self) -> None:
        self.max_gap, self.ticks, self.last = 0.0, 0, time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self.tick()
        return max(0.0, self.max_gap - self.interval)


def main(rows: int = 20_000) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from yanta_desktop.app import make_application
    from yanta_desktop.forms import make_context
    from yanta_desktop.packets import export_packet, pki
    from yanta_desktop.store import Store
    from yanta_desktop.ui.core import load_catalog_tolerant
    from yanta_desktop.ui.export_dialog import ExportDialog
    from yanta_desktop.ui.form_view import FormView, prepare_tables
    from yanta_desktop.ui.tasks import DbWorker

    app = make_application()
    catalog = load_catalog_tolerant()
    plan = catalog.plan
    root = Path(tempfile.mkdtemp(prefix="yanta-bench-ui-"))
    data, ipb = root / "kgj", root / "ipb"
    data.mkdir()
    pki.ca_init(ipb, PASSPHRASE)
    csr, _ = pki.key_request(data, "KGJ", "区科工局", PASSPHRASE)
    cert = pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, plan)
    pki.key_install(data, pki.cert_pem(cert), pki.cert_pem(pki.ca_root(ipb)), "KGJ")
    entry = large_entry(rows)
    with Store.open(data) as store:
        store.set_unit("KGJ", "区科工局")
        store.save_final("KGJ", 1, "2025Q2", entry, catalog.form(1), catalog.catalog)
    period = plan.period("2025Q2")
    db = DbWorker(data)
    hb = Heartbeat()

    # 1. the GUI path: the export dialog, export on a worker thread
    dialog = ExportDialog(data, catalog, db, "KGJ", period)
    dialog.show()
    loop = QEventLoop()
    while not dialog.items:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    dialog.allow_missing.setChecked(True)
    dialog.passphrase.setText(PASSPHRASE)
    hb.start()
    t0 = time.perf_counter()
    dialog.start()
    check = QTimer()
    check.timeout.connect(lambda: (dialog.result is not None or dialog.message.isVisible()) and loop.quit())
    check.start(10)
    loop.exec()
    check.stop()
    worker_time = time.perf_counter() - t0
    worker_stall = hb.stop()
    if dialog.result is None:
        print("export failed:", dialog.message.text())
        return 1

    # 2. baseline: the same export on the UI thread (a new seq: the content key differs per prev hash)
    with Store.open(data) as store:
        hb.start()
        t0 = time.perf_counter()
        QTimer.singleShot(0, lambda: export_packet(store, catalog.catalog, "2025Q2", root / "sync", PASSPHRASE, allow_missing=True))
        QTimer.singleShot(1, loop.quit)
        loop.exec()
        baseline_time = time.perf_counter() - t0
        baseline_stall = hb.stop()

    # 3. opening the large entry in the form view
    with Store.open(data) as store:
        stored = store.find_entry("KGJ", 1, "2025Q2")
    prepared = prepare_tables(catalog.form(1), stored.data, None)  # the app does this on the DB worker
    hb.start()
    t0 = time.perf_counter()
    view = FormView(
        catalog.form(1), make_context(plan, "KGJ", period), db, catalog.catalog, "KGJ", period, stored, prepared=prepared
    )
    view.show()
    app.processEvents()
    open_time = time.perf_counter() - t0
    QTimer.singleShot(20, loop.quit)
    loop.exec()
    open_stall = hb.stop()
    view.close()
    dialog.close()
    db.stop()

    print(f"large entry: {rows} table rows; packet {dialog.result.path.stat().st_size / 1e6:.1f} MB")
    print(f"worker   export: {worker_time:6.2f} s, max UI stall {worker_stall * 1000:7.1f} ms  (goal < 100 ms)")
    print(f"baseline export: {baseline_time:6.2f} s, max UI stall {baseline_stall * 1000:7.1f} ms  (export on the UI thread)")
    print(f"stall ratio worker/baseline: {worker_stall / max(baseline_stall, 1e-9):.3f}")
    print(f"open in form view: {open_time:6.2f} s, max UI stall {open_stall * 1000:7.1f} ms")
    return 0 if worker_stall < 0.1 else 2


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
