"""Screenshots of the 汇总 view, and how long its UI thread ever stalls, on a ``yanta demo`` district.

    yanta demo --out /tmp/demo
    python -m yanta_desktop.ui.consolidate_shots /tmp/demo --shots docs/shots

1. Opens the view on a copy of ``DEMO/ipb`` (the demo's own consolidation, with its simulated receipt
   times) and saves ``consolidation-matrix.png``, ``-indicators.png``, ``-sources.png``, ``-diff.png``.
2. Opens the view on a fresh data directory holding only the IP bureau's keys, imports ``DEMO/inbox``
   through the same method a drop calls, then writes the signed consolidated workbook; meanwhile a 5 ms
   timer on the UI thread records the longest gap between its ticks (the UI thread's worst stall).

``consolidation-import.png`` (all six outcomes, with a fork) comes from the GUI test instead:
``YANTA_SHOTS=1 pytest tests/gui/test_consolidate_view.py -k screenshots``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("demo", type=Path, help="a directory made by `yanta demo --out`")
    ap.add_argument("--shots", type=Path, default=None, help="where to save consolidation-*.png")
    ap.add_argument("--period", default="2025Q4")
    ap.add_argument("--passphrase", default="yanta-demo-2026")
    ap.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"),
                    help="UI language; English shots are saved as en-consolidation-*.png")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ..catalog import load_catalog
    from ..consolidate.workbook import Signer
    from .consolidate_view import ConsolidationView
    from .i18n import install_translators

    app = QApplication.instance() or QApplication(sys.argv)
    translators = install_translators(app, args.lang)  # noqa: F841 (kept alive while the shots are taken)
    prefix = "" if args.lang == "zh_CN" else f"{args.lang}-"
    catalog = load_catalog()
    work = Path(tempfile.mkdtemp(prefix="yanta-shots-"))
    today = dt.date(2026, 2, 1)  # the demo's "today"

    def wait(signal, timeout_ms: int = 600_000) -> list:
        loop = QEventLoop()
        got: list = []

        def done(*a):
            got.extend(a)
            loop.quit()

        signal.connect(done)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(done)
        return got

    def idle(view) -> None:
        while view.worker.busy():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def shot(view, tab: int, name: str) -> None:
        view.tabs.setCurrentIndex(tab)
        app.processEvents()
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
            path = args.shots / f"{prefix}consolidation-{name}.png"
            view.grab().save(str(path))
            print(f"saved {path}")

    # ---- 1. the demo's own consolidation
    full = work / "full"
    shutil.copytree(args.demo / "ipb", full)
    view = ConsolidationView(full, catalog, today=today)
    view.resize(1280, 860)
    view.show()
    idle(view)
    view.set_period(args.period)
    idle(view)
    shot(view, 1, "matrix")
    rows = {view.indicator_model.row_value(r).key: r for r in range(view.indicator_model.rowCount())}
    view.indicator_table.selectRow(rows.get("case_closure_rate", 0))
    shot(view, 2, "indicators")
    r = view.indicator_table.currentIndex().row()
    dlg = view.open_sources(view.indicator_model.row_value(r))
    app.processEvents()
    if args.shots:
        path = args.shots / f"{prefix}consolidation-sources.png"
        dlg.grab().save(str(path))
        print(f"saved {path}")
    dlg.close()
    view.tabs.setCurrentIndex(3)
    if view.packet_model.rowCount() >= 2:
        view.packet_table.selectRow(0)
        view.packet_table.selectionModel().select(
            view.packet_model.index(1, 0),
            view.packet_table.selectionModel().SelectionFlag.Select
            | view.packet_table.selectionModel().SelectionFlag.Rows,
        )
        view.compare_button.click()
        idle(view)
    shot(view, 3, "diff")
    view.shutdown()
    view.close()

    # ---- 2. a fresh import of the inbox, with a stall probe on the UI thread
    fresh = work / "fresh"
    fresh.mkdir()
    shutil.copytree(args.demo / "ipb" / "keys", fresh / "keys")
    view = ConsolidationView(fresh, catalog, today=today)
    view.resize(1280, 860)
    view.show()
    idle(view)

    clock = QElapsedTimer()
    gaps: list[int] = []
    probe = QTimer()
    probe.setInterval(5)

    def tick() -> None:
        gaps.append(clock.restart())

    probe.timeout.connect(tick)
    clock.start()
    probe.start()
    # baseline: the same probe with nothing to do for 3 s (this machine's own scheduling noise)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 3:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    stall_idle = max(gaps[1:], default=0)
    gaps.clear()
    clock.restart()
    t0 = time.perf_counter()
    view.import_paths([args.demo / "inbox"])
    outcomes = wait(view.importFinished)[0]
    idle(view)
    t_import = time.perf_counter() - t0
    stall_import = max(gaps[1:], default=0)
    gaps.clear()
    view.set_period(args.period)
    idle(view)
    out = work / f"汇总表_{args.period}.xlsx"
    t0 = time.perf_counter()
    clock.restart()
    view.consolidate_to(out, lambda: Signer.load(fresh, args.passphrase))
    wait(view.consolidateFinished)
    idle(view)
    t_cons = time.perf_counter() - t0
    stall_cons = max(gaps[1:], default=0)
    probe.stop()
    if prefix:  # the zh_CN import shot (all six outcomes) comes from the GUI test
        shot(view, 0, "import")
    print(f"idle: longest UI-thread stall {stall_idle} ms (noise baseline)")
    print(f"import: {len(outcomes)} files in {t_import:.1f} s; longest UI-thread stall {stall_import} ms")
    print(f"consolidate {args.period}: {t_cons:.1f} s; longest UI-thread stall {stall_cons} ms")
    view.shutdown()
    view.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
