"""The IP bureau's 汇总 view on real packets: a small district built with the real CA, stores and exporter.

The district (built once per module, copied per test): the IP bureau SCJGJ (tasks 1, 2, 11), the court FY
(task 11, then a corrected second export), the procuratorate JCY (two exports, imported newest first →
the older one is stale), the police GAFJ exported from two copies of one database (→ fork), and a tampered
copy of a packet (→ rejected). Expected figures are computed here from the values we put in, not read back
from the core.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QFont
from PySide6.QtWidgets import QApplication

from yanta_desktop.consolidate.model import OUTCOME_ZH, STATE_ZH, PacketInfo
from yanta_desktop.ui.consolidate_models import ValueRole

from .conftest import CJK, visible_texts

pytestmark = pytest.mark.gui

PERIOD = "2025Q2"
TODAY = dt.date(2025, 8, 1)  # 2025Q2 is overdue (due 2025-07-15)
PASSPHRASE = "测试口令-correct horse"
REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "forms" / "samples"

# task 11 counts per packet: (cases_closed, cases_opened, cases_carried_over)
T11 = {
    "SCJGJ": (20, 18, 3),
    "FY1": (25, 30, 5),
    "FY2": (28, 30, 5),
    "JCY1": (16, 20, 2),
    "JCY2": (18, 20, 2),
    "GAFJ_A": (21, 22, 2),
    "GAFJ_B": (13, 22, 2),
}


@dataclass
class District:
    root: Path
    ipb_keys: Path
    batch1: Path  # folder: SCJGJ#1, FY#1, JCY#2, GAFJ-A#1, a tampered copy
    later: dict[str, Path] = field(default_factory=dict)  # FY#2, JCY#1, GAFJ-B#1 (fork), SCJGJ#1 again
    sha: dict[str, str] = field(default_factory=dict)
    seq: dict[str, int] = field(default_factory=dict)
    samples: dict[int, dict] = field(default_factory=dict)


def _sample(task: int) -> dict:
    data = json.loads((SAMPLES / f"task{task:02d}.json").read_text(encoding="utf-8"))
    data["evidence"] = []
    return data


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory, catalog) -> District:
    from yanta_desktop.packets import envelope, pki
    from yanta_desktop.packets.export import export_packet
    from yanta_desktop.store import Store

    root = tmp_path_factory.mktemp("district")
    cheap = envelope.KdfParams(memory_kib=8, iterations=1, lanes=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(envelope, "DEFAULT_PARAMS", cheap)
        mp.setattr(envelope, "MIN_PARAMS", cheap)
        ipb = root / "ipb"
        ipb.mkdir()
        pki.ca_init(ipb, PASSPHRASE)
        plan = catalog.plan

        def make_unit(code: str, folder: Path) -> Path:
            folder.mkdir(parents=True)
            u = plan.units[code]
            with Store.open(folder, user="测试") as s:
                s.set_unit(u.code, u.name)
            csr, _ = pki.key_request(folder, u.code, u.name, PASSPHRASE)
            cert = pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, plan)
            pki.key_install(folder, pki.cert_pem(cert), pki.cert_pem(pki.ca_root(ipb)), u.code)
            return folder

        def fill(folder: Path, unit: str, task: int, counts: tuple[int, int, int] | None = None) -> None:
            data = _sample(task)
            if counts is not None:
                closed, opened, carried = counts
                data["values"].update(cases_closed=closed, cases_opened=opened, cases_carried_over=carried)
            with Store.open(folder, user="测试") as s:
                e = s.find_entry(unit, task, PERIOD)
                if e is not None and e.status == "final":
                    s.reopen(e.id, "更正数据")
                s.save_final(unit, task, PERIOD, data, catalog.form(task), catalog)

        d = District(root=root, ipb_keys=ipb / "keys", batch1=root / "batch1")
        d.samples = {t: _sample(t) for t in (1, 2, 11)}
        staging = root / "staging"

        def export(folder: Path, key: str) -> Path:
            with Store.open(folder, user="测试") as s:
                r = export_packet(s, catalog, PERIOD, staging / key, PASSPHRASE, allow_missing=True)
            d.sha[key], d.seq[key] = r.payload_sha256, r.seq
            return r.path

        ipb_unit = make_unit("SCJGJ", root / "SCJGJ")
        for task in (1, 2):
            fill(ipb_unit, "SCJGJ", task)
        fill(ipb_unit, "SCJGJ", 11, T11["SCJGJ"])
        scjgj1 = export(ipb_unit, "SCJGJ")

        fy = make_unit("FY", root / "FY")
        fill(fy, "FY", 11, T11["FY1"])
        fy1 = export(fy, "FY1")
        fill(fy, "FY", 11, T11["FY2"])
        fy2 = export(fy, "FY2")

        jcy = make_unit("JCY", root / "JCY")
        fill(jcy, "JCY", 11, T11["JCY1"])
        jcy1 = export(jcy, "JCY1")
        fill(jcy, "JCY", 11, T11["JCY2"])
        jcy2 = export(jcy, "JCY2")

        gafj = make_unit("GAFJ", root / "GAFJ")
        shutil.copytree(gafj, root / "GAFJ_copy")  # a restored backup of the same installation
        fill(gafj, "GAFJ", 11, T11["GAFJ_A"])
        gafj_a = export(gafj, "GAFJ_A")
        fill(root / "GAFJ_copy", "GAFJ", 11, T11["GAFJ_B"])
        gafj_b = export(root / "GAFJ_copy", "GAFJ_B")

    d.batch1.mkdir()
    for p in (scjgj1, fy1, jcy2, gafj_a):
        shutil.copy2(p, d.batch1 / p.name)
    raw = bytearray(fy1.read_bytes())
    mid = len(raw) // 2
    raw[mid : mid + 8] = bytes(b ^ 0xFF for b in raw[mid : mid + 8])
    (d.batch1 / "篡改的数据包.xlsx").write_bytes(bytes(raw))
    d.later = {"FY2": fy2, "JCY1": jcy1, "GAFJ_B": gafj_b, "SCJGJ": scjgj1}
    assert d.seq["GAFJ_A"] == d.seq["GAFJ_B"] and d.sha["GAFJ_A"] != d.sha["GAFJ_B"]
    return d


@pytest.fixture
def view(qtbot, data_dir: Path, district: District, catalog):
    from yanta_desktop.ui.consolidate_view import ConsolidationView

    shutil.copytree(district.ipb_keys, data_dir / "keys")  # the IP bureau's CA: its trust root
    for name in ("unit.key", "unit.pem", "root.pem"):  # and its own signing key (SCJGJ also reports)
        shutil.copy2(district.root / "SCJGJ" / "keys" / name, data_dir / "keys" / name)
    v = ConsolidationView(data_dir, catalog, today=TODAY)
    qtbot.addWidget(v)
    v.resize(1280, 860)
    v.show()
    wait_idle(qtbot, v)
    yield v
    v.shutdown()


def wait_idle(qtbot, v) -> None:
    qtbot.waitUntil(lambda: not v.worker.busy(), timeout=20000)


def import_and_wait(qtbot, v, paths: list[Path]) -> list:
    with qtbot.waitSignal(v.importFinished, timeout=30000) as blocker:
        assert v.import_paths(paths) > 0
    wait_idle(qtbot, v)
    return blocker.args[0]


def rows_by_file(v) -> dict[str, object]:
    m = v.outcome_model
    return {m.index(r, 0).data(ValueRole).path.name: m.index(r, 0) for r in range(m.rowCount())}


def import_everything(qtbot, v, d: District) -> None:
    import_and_wait(qtbot, v, [d.batch1])
    import_and_wait(qtbot, v, [d.later["FY2"], d.later["JCY1"], d.later["GAFJ_B"], d.later["SCJGJ"]])


# ---------------------------------------------------------------------------------------------- import
def test_drop_folder_shows_every_outcome_and_quarantine(qtbot, view, district: District):
    # the drop handler itself, fed a real QDropEvent carrying the folder's URL
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(district.batch1))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(view.importFinished, timeout=30000):
        view.dropEvent(event)
    assert event.isAccepted()
    wait_idle(qtbot, view)

    rows = rows_by_file(view)
    outcome = {name: idx.data(ValueRole).outcome for name, idx in rows.items()}
    assert len(outcome) == 5
    assert outcome.pop("篡改的数据包.xlsx") == "rejected"
    assert set(outcome.values()) == {"accepted"}
    # every row says its outcome in words, and the rejected one says why
    for idx in rows.values():
        o = idx.data(ValueRole)
        assert OUTCOME_ZH[o.outcome] in idx.data()
    bad = rows["篡改的数据包.xlsx"]
    reason = view.outcome_model.index(bad.row(), view.outcome_model.REASON).data()
    assert reason and bad.data(ValueRole).reason == reason
    assert bad.data(Qt.ItemDataRole.FontRole).bold()
    assert not view.fork_banner.isVisible()
    # quarantine: the file is kept, with its reason
    assert view.quarantine_model.rowCount() == 1
    item = view.quarantine_model.row_value(0)
    assert item.path.exists() and item.path.read_bytes() == (district.batch1 / "篡改的数据包.xlsx").read_bytes()
    assert item.reason == reason
    assert "1" in view.quarantine_label.text()
    assert "被拒收" in view.message.text()


def test_second_import_supersedes_stale_fork_duplicate(qtbot, view, district: District):
    import_and_wait(qtbot, view, [district.batch1])
    later = district.later
    outcomes = import_and_wait(qtbot, view, [later["FY2"], later["JCY1"], later["GAFJ_B"], later["SCJGJ"]])
    by_path = {o.path: o.outcome for o in outcomes}
    assert by_path == {later["FY2"]: "supersedes", later["JCY1"]: "stale", later["GAFJ_B"]: "fork",
                       later["SCJGJ"]: "duplicate"}
    rows = rows_by_file(view)
    fork = rows[later["GAFJ_B"].name]
    # a fork is shown loudly: bold, white on red, and a banner naming the unit
    assert fork.data(Qt.ItemDataRole.FontRole).bold()
    assert fork.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#c62828"
    assert view.fork_banner.isVisible()
    assert "区公安" in view.fork_banner.text() or "公安" in view.fork_banner.text()
    dup = rows[later["SCJGJ"].name]
    assert not (dup.data(Qt.ItemDataRole.FontRole) or QFont()).bold()
    assert "重复" in view.import_summary.text() and "版本冲突" in view.import_summary.text()

    # importing the same folder again changes nothing
    again = import_and_wait(qtbot, view, [district.batch1])
    assert {o.outcome for o in again if o.path.name != "篡改的数据包.xlsx"} == {"duplicate"}
    assert view.quarantine_model.rowCount() >= 1


@pytest.mark.slow
def test_large_batch_is_verified_in_worker_processes(qtbot, view, district: District, monkeypatch):
    from yanta_desktop.ui import consolidate_view

    monkeypatch.setattr(consolidate_view, "PARALLEL_FROM", 2)  # 9 files take the big-batch path (core: from 8)
    view.import_workers = 2
    later = district.later
    outcomes = import_and_wait(qtbot, view, [district.batch1, *later.values()])
    by_path = {o.path: o.outcome for o in outcomes}
    assert len(by_path) == 9
    assert by_path.pop(district.batch1 / "篡改的数据包.xlsx") == "rejected"
    assert {by_path.pop(later[k]) for k in ("FY2", "JCY1", "GAFJ_B", "SCJGJ")} == {
        "supersedes", "stale", "fork", "duplicate"}
    assert set(by_path.values()) == {"accepted"}


def test_reopened_view_shows_the_import_log(qtbot, view, district: District, data_dir: Path, catalog):
    from yanta_desktop.ui.consolidate_view import ConsolidationView

    import_everything(qtbot, view, district)
    import_and_wait(qtbot, view, [district.batch1])  # a re-import: only duplicates (and the tampered file)
    view.shutdown()
    again = ConsolidationView(data_dir, catalog, today=TODAY)
    qtbot.addWidget(again)
    wait_idle(qtbot, again)
    try:
        rows = again.outcome_model.rows()
        by_path = {o.path: o.outcome for o in rows}
        assert len(by_path) == len(rows) == 9  # each file once, with its real decision
        later = district.later
        assert by_path[later["GAFJ_B"]] == "fork" and by_path[later["FY2"]] == "supersedes"
        assert by_path[later["JCY1"]] == "stale" and by_path[district.batch1 / "篡改的数据包.xlsx"] == "rejected"
        assert by_path[district.batch1 / later["SCJGJ"].name] == "accepted"
        assert by_path[later["SCJGJ"]] == "duplicate"  # the same packet from another folder
        assert rows[0].outcome == "fork"  # problems first
        assert "导入记录" in again.import_summary.text()
    finally:
        again.shutdown()


def test_cancel_stops_import_and_keeps_ui_usable(qtbot, view, district: District):
    gate = threading.Event()
    # hold the worker at its first progress report until the user has pressed 取消 on the UI thread
    view.worker.runner.progress.connect(lambda *_: gate.wait(10), Qt.ConnectionType.DirectConnection)

    def press_cancel(_job, done, _total, _msg):
        if done == 0 and not gate.is_set():
            assert view.progress_row.isVisible() and view.cancel_button.isEnabled()
            qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
            gate.set()

    view.worker.progress.connect(press_cancel)
    with qtbot.waitSignal(view.jobCancelled, timeout=30000) as blocker:
        view.import_paths([district.batch1])
    assert blocker.args == ["import"]
    wait_idle(qtbot, view)
    assert not view.progress_row.isVisible()
    assert view.import_files_button.isEnabled() and view.consolidate_button.isEnabled()
    assert "取消" in view.message.text()
    assert view.outcome_model.rowCount() == 0
    assert view.packet_model.rowCount() == 0  # nothing was imported before the first packet boundary
    view.worker.progress.disconnect(press_cancel)

    # and the next import runs normally
    outcomes = import_and_wait(qtbot, view, [district.batch1])
    assert len(outcomes) == 5


def test_busy_view_refuses_a_second_import(qtbot, view, district: District):
    gate = threading.Event()
    view.worker.runner.progress.connect(lambda *_: gate.wait(10), Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(view.importFinished, timeout=30000):
        assert view.import_paths([district.batch1]) > 0
        assert view.is_busy() and not view.import_files_button.isEnabled()
        assert view.import_paths([district.later["FY2"]]) == 0
        assert "尚未完成" in view.message.text()
        gate.set()
    wait_idle(qtbot, view)


# ---------------------------------------------------------------------------------------------- 报送情况
def test_matrix_cells_against_the_plan(qtbot, view, district: District, catalog):
    import_everything(qtbot, view, district)
    with qtbot.waitSignal(view.matrixReady, timeout=10000):
        view.set_period(PERIOD)
    wait_idle(qtbot, view)
    m = view.matrix_model
    matrix = m.matrix()
    assert matrix is not None and matrix.period == PERIOD
    plan = catalog.plan
    per = plan.period(PERIOD)
    due = plan.due_date(per)
    received = {("SCJGJ", 1), ("SCJGJ", 2), ("SCJGJ", 11), ("FY", 11), ("JCY", 11), ("GAFJ", 11)}
    def want(unit: str, task: int) -> str:
        if (unit, task) in received:
            return "late"  # received now, long after the 2025-07-15 due date
        if catalog.applies(task, per) and unit in plan.expected_units(task):
            return "missing"  # TODAY is after the due date
        return "not_applicable"

    # by default only units that owe something this period are shown (no street reports quarterly)
    shown = m.units()
    owes = [u for u in matrix.units if any(want(u, t) != "not_applicable" for t in range(1, 17))]
    assert shown == owes and "610113001" not in shown and "KGJ" in shown
    for r, unit in enumerate(shown):
        for c, task in enumerate(matrix.tasks):
            assert m.index(r, c).data(ValueRole).state == want(unit, task), (unit, task)
    view.only_expected.setChecked(False)
    assert m.units() == matrix.units and set(shown) <= set(matrix.units)
    assert [m.headerData(r, Qt.Orientation.Vertical) for r in range(m.rowCount())] == [
        plan.units[u].name for u in matrix.units]
    view.only_expected.setChecked(True)
    assert m.rowCount() == len(shown) and matrix.tasks == list(range(1, 17))

    # header, colours and tooltips say the same
    r, c = shown.index("FY"), matrix.tasks.index(11)
    idx = m.index(r, c)
    tip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert STATE_ZH["late"] in tip and due.isoformat() in tip and "接收时间" in tip
    assert "区法院" in m.headerData(r, Qt.Orientation.Vertical)
    assert m.headerData(c, Qt.Orientation.Horizontal) == "任务11"
    late_bg = idx.data(Qt.ItemDataRole.BackgroundRole).color()
    missing_idx = m.index(shown.index("KGJ"), matrix.tasks.index(1))
    assert missing_idx.data(ValueRole).state == "missing"
    assert missing_idx.data(Qt.ItemDataRole.BackgroundRole).color() != late_bg
    assert due.isoformat() in missing_idx.data(Qt.ItemDataRole.ToolTipRole)

    # chase list: every unit with a missing expected task, nobody else
    chased = {view.chase_model.row_value(i).unit for i in range(view.chase_model.rowCount())}
    owing = {u for u in matrix.units for t in matrix.tasks
             if catalog.applies(t, per) and u in plan.expected_units(t) and (u, t) not in received}
    assert chased == owing
    assert "GAFJ" in chased  # owes task 9, 10, 16 even though its task 11 came in (twice)
    kgj = next(view.chase_model.row_value(i) for i in range(view.chase_model.rowCount())
               if view.chase_model.row_value(i).unit == "KGJ")
    want_kgj = [t for t in range(1, 17) if catalog.applies(t, per) and "KGJ" in plan.expected_units(t)]
    assert list(kgj.tasks) == want_kgj
    assert kgj.days_overdue == (TODAY - due).days


def test_export_chase_list_through_core(qtbot, view, district: District, tmp_path: Path):
    import_and_wait(qtbot, view, [district.batch1])
    out = tmp_path / "催报" / "催报名单.xlsx"
    with qtbot.waitSignal(view.chaseExported, timeout=10000) as blocker:
        view.export_chase(out)
    assert Path(blocker.args[0]) == out and out.is_file()
    from openpyxl import load_workbook

    wb = load_workbook(out, read_only=True)
    text = "\n".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None)
    wb.close()
    for i in range(view.chase_model.rowCount()):
        assert view.chase_model.row_value(i).unit_name in text


# ---------------------------------------------------------------------------------------------- 指标进度
def _expected_closure_rate() -> Decimal:
    current = ("SCJGJ", "FY2", "JCY2", "GAFJ_A")  # latest accepted per unit; the fork never counts
    closed = sum(T11[k][0] for k in current)
    base = sum(T11[k][1] + T11[k][2] for k in current)
    return (Decimal(closed) * 100 / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_indicators_match_independent_computation_and_open_sources(qtbot, view, district: District, catalog):
    import_everything(qtbot, view, district)
    with qtbot.waitSignal(view.indicatorsReady, timeout=10000):
        view.set_period(PERIOD)
    wait_idle(qtbot, view)
    model = view.indicator_model
    rows = {model.row_value(r).key: r for r in range(model.rowCount())}

    r = rows["case_closure_rate"]
    value = model.row_value(r)
    assert value.value == _expected_closure_rate()
    assert model.index(r, 1).data() == str(_expected_closure_rate())
    assert model.index(r, 4).data() == ("✔ 已达目标" if value.value >= 95 else "未达目标")

    hv = model.row_value(rows["high_value_patents_per_10k"])
    s1 = district.samples[1]["values"]
    want = (Decimal(s1["high_value_invention_patents"]) / Decimal(s1["resident_population"])).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert hv.value == want

    # the chart shows the selected indicator over the periods so far, ending at this period
    view.indicator_table.selectRow(r)
    pts = view.chart.points()
    assert pts[-1].label == PERIOD and pts[-1].value == value.value
    assert [(p.label, p.value) for p in pts] == [(s.period, s.value) for s in value.series]

    # double-click the figure → the dialog lists the packets and fields it came from
    view.tabs.setCurrentIndex(2)
    qtbot.waitExposed(view.indicator_table)
    view.indicator_table.scrollTo(model.index(r, 1))
    cell = view.indicator_table.visualRect(model.index(r, 1)).center()
    viewport = view.indicator_table.viewport()
    with qtbot.waitSignal(view.sourcesOpened, timeout=5000) as blocker:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=cell)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=cell)
    dlg = blocker.args[0]
    assert dlg.isVisible() and dlg.value.key == "case_closure_rate"
    refs = dlg.model.rows()
    used = {(s.unit, s.seq, s.packet_sha256) for s in refs}
    assert used == {
        ("SCJGJ", district.seq["SCJGJ"], district.sha["SCJGJ"]),
        ("FY", district.seq["FY2"], district.sha["FY2"]),
        ("JCY", district.seq["JCY2"], district.sha["JCY2"]),
        ("GAFJ", district.seq["GAFJ_A"], district.sha["GAFJ_A"]),
    }
    closed_refs = [s for s in refs if s.where == "cases_closed"]
    assert sum(int(s.value) for s in closed_refs) == sum(T11[k][0] for k in ("SCJGJ", "FY2", "JCY2", "GAFJ_A"))
    assert dlg.model.index(0, 6).data() == refs[0].packet_sha256[:12]
    # each source names its field by the form's label, not its key
    labels = {dlg.model.index(r, 3).data() for r in range(dlg.model.rowCount())}
    assert catalog.form(11).field("cases_closed").label in labels
    assert "cases_closed" not in labels
    dlg.close()


def test_chart_bar_double_click_opens_that_periods_sources(qtbot, view, district: District):
    import_and_wait(qtbot, view, [district.batch1])
    wait_idle(qtbot, view)
    view.set_period("2025Q3")
    qtbot.waitUntil(lambda: view.indicator_model.rowCount() and view.indicator_model.row_value(0).period == "2025Q3")
    wait_idle(qtbot, view)
    rows = {view.indicator_model.row_value(r).key: r for r in range(view.indicator_model.rowCount())}
    view.tabs.setCurrentIndex(2)
    view.indicator_table.selectRow(rows["case_closure_rate"])
    labels = [p.label for p in view.chart.points()]
    assert labels[-1] == "2025Q3"
    i = labels.index(PERIOD)
    view.chart.repaint()
    bar = view.chart.bar_rect(i).center().toPoint()
    with qtbot.waitSignal(view.sourcesOpened, timeout=10000) as blocker:
        qtbot.mouseDClick(view.chart, Qt.MouseButton.LeftButton, pos=bar)
    dlg = blocker.args[0]
    assert dlg.value.period == PERIOD and dlg.value.key == "case_closure_rate"
    assert {s.unit for s in dlg.model.rows()} == {"SCJGJ", "FY", "JCY", "GAFJ"}
    assert all(s.period == PERIOD for s in dlg.model.rows())


# ---------------------------------------------------------------------------------------------- 版本比对
def test_diff_two_versions_field_by_field(qtbot, view, district: District):
    import_everything(qtbot, view, district)
    view.diff_unit_combo.setCurrentIndex(view.diff_unit_combo.findData("SCJGJ"))  # somewhere else first
    with qtbot.waitSignal(view.matrixReady, timeout=10000):
        view.set_period(PERIOD)
    wait_idle(qtbot, view)
    # double-clicking the court's task-11 cell in 报送情况 opens its versions
    view.tabs.setCurrentIndex(1)
    qtbot.waitExposed(view.matrix_table)
    m = view.matrix_model
    idx = m.index(m.units().index("FY"), m.matrix().tasks.index(11))
    view.matrix_table.scrollTo(idx)
    pos = view.matrix_table.visualRect(idx).center()
    qtbot.mouseClick(view.matrix_table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.matrix_table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.tabs.currentIndex() == 3
    assert view.diff_unit_combo.currentData() == "FY" and view.diff_period_combo.currentData() == PERIOD
    assert view.packet_model.rowCount() == 2
    packets: list[PacketInfo] = view.packet_model.rows()
    assert {p.sha256 for p in packets} == {district.sha["FY1"], district.sha["FY2"]}
    assert not view.compare_button.isEnabled()
    view.packet_table.selectAll()
    assert view.compare_button.isEnabled()
    with qtbot.waitSignal(view.diffReady, timeout=10000) as blocker:
        qtbot.mouseClick(view.compare_button, Qt.MouseButton.LeftButton)
    diffs = blocker.args[0]
    changed = {d.where: d for d in diffs}
    assert set(changed) == {"cases_closed"}
    d = changed["cases_closed"]
    assert (d.old, d.new, d.change, d.task) == (T11["FY1"][0], T11["FY2"][0], "changed", 11)
    row = [view.diff_model.index(0, c).data() for c in range(5)]
    assert row[0] == "任务11" and row[2] == "修改" and row[3] == str(T11["FY1"][0]) and row[4] == str(T11["FY2"][0])
    assert "序号 1 → 序号 2" in view.diff_title.text()


# ---------------------------------------------------------------------------------------------- models
def test_models_pass_the_model_tester(qtbot, qtmodeltester, view, district: District):
    import_and_wait(qtbot, view, [district.batch1, *district.later.values()])
    view.set_period(PERIOD)
    wait_idle(qtbot, view)
    view.packet_table.selectAll()
    with qtbot.waitSignal(view.diffReady, timeout=10000):
        view.compare_button.click()
    models = [view.outcome_model, view.quarantine_model, view.matrix_model, view.chase_model,
              view.indicator_model, view.packet_model, view.diff_model]
    assert all(m.rowCount() > 0 for m in models)
    for m in models:
        qtmodeltester.check(m, force_py=True)


# ---------------------------------------------------------------------------------------------- 汇总表
def _signer(data_dir: Path):
    from yanta_desktop.consolidate.workbook import Signer

    return lambda: Signer.load(data_dir, PASSPHRASE)


def test_consolidate_writes_signed_workbook_that_verifies(qtbot, view, district: District, data_dir: Path,
                                                          tmp_path: Path, catalog):
    from yanta_desktop.packets import TrustStore, verify_packet

    import_everything(qtbot, view, district)
    view.set_period(PERIOD)
    wait_idle(qtbot, view)
    out = tmp_path / "汇总" / f"汇总表_{PERIOD}.xlsx"
    seen: list[tuple[int, int]] = []
    view.worker.progress.connect(lambda _j, done, total, _m: seen.append((done, total)))
    with qtbot.waitSignal(view.consolidateFinished, timeout=60000) as blocker:
        assert view.consolidate_to(out, _signer(data_dir)) > 0
        assert view.progress_row.isVisible() and not view.consolidate_button.isEnabled()
    result = blocker.args[0]
    wait_idle(qtbot, view)
    assert Path(result.path) == out and out.is_file()
    assert view.result_panel.isVisible()
    assert view.result_path.text() == str(out)
    assert view.result_fingerprint.text() == result.payload_sha256
    assert seen and not view.progress_row.isVisible() and view.consolidate_button.isEnabled()
    report = verify_packet(out, TrustStore.load(data_dir), catalog)
    assert report.ok, report.problems
    assert report.kind == "consolidated" and report.payload_sha256 == result.payload_sha256
    assert result.packets == 4  # the current packet of each unit: SCJGJ, FY#2, JCY#2, GAFJ-A


# The core's consolidate_workbook leaves xlsxwriter's constant_memory temp files open when cancelled
# (reported to its owner); collect them here so the ResourceWarning lands in this test, not a random later one.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_consolidate_cancel_writes_nothing(qtbot, view, district: District, data_dir: Path, tmp_path: Path):
    import_and_wait(qtbot, view, [district.batch1])
    gate = threading.Event()
    view.worker.runner.progress.connect(lambda *_: gate.wait(10), Qt.ConnectionType.DirectConnection)

    def press_cancel(*_args):
        if not gate.is_set():
            qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
            gate.set()

    view.worker.progress.connect(press_cancel)
    out = tmp_path / "汇总表.xlsx"
    with qtbot.waitSignal(view.jobCancelled, timeout=60000) as blocker:
        view.consolidate_to(out, _signer(data_dir))
    assert blocker.args == ["consolidate"]
    wait_idle(qtbot, view)
    assert not out.exists() and not list(tmp_path.glob("*.xlsx"))
    assert not view.result_panel.isVisible() and view.consolidate_button.isEnabled()
    gc.collect()


def test_consolidate_with_wrong_passphrase_says_so(qtbot, view, district: District, data_dir: Path,
                                                   tmp_path: Path):
    from yanta_desktop.consolidate.workbook import Signer

    import_and_wait(qtbot, view, [district.batch1])
    out = tmp_path / "汇总表.xlsx"
    with qtbot.waitSignal(view.jobFailed, timeout=30000) as blocker:
        view.consolidate_to(out, lambda: Signer.load(data_dir, "不是这个口令-wrong"))
    assert "生成汇总表失败" in blocker.args[0] and "程序错误" not in blocker.args[0]
    assert view.message.isVisible() and not out.exists()
    assert view.consolidate_button.isEnabled()


# ---------------------------------------------------------------------------------------------- screenshots
def test_screenshots(qtbot, view, district: District, tmp_path: Path):
    """Render every tab with the CJK font. With YANTA_SHOTS=1 the import tab (all six outcomes, a fork) is
    saved as docs/shots/consolidation-import.png; the other docs shots come from the demo district
    (``python -m yanta_desktop.ui.consolidate_shots DEMO --shots docs/shots``)."""
    later = district.later
    # one drop with every kind of outcome in it
    import_and_wait(qtbot, view, [district.batch1, later["FY2"], later["JCY1"], later["GAFJ_B"], later["SCJGJ"]])
    assert {o.outcome for o in view.outcome_model.rows()} == set(OUTCOME_ZH)
    view.set_period(PERIOD)
    wait_idle(qtbot, view)
    docs = REPO / "docs" / "shots"
    shots = {}
    for tab, name in ((0, "import"), (1, "matrix"), (2, "indicators"), (3, "diff")):
        view.tabs.setCurrentIndex(tab)
        if name == "indicators":
            rows = {view.indicator_model.row_value(r).key: r for r in range(view.indicator_model.rowCount())}
            view.indicator_table.selectRow(rows["case_closure_rate"])
        if name == "diff":
            view.packet_table.selectAll()
            with qtbot.waitSignal(view.diffReady, timeout=10000):
                view.compare_button.click()
        QApplication.processEvents()
        image = view.grab()
        assert not image.isNull() and image.width() >= 1000
        path = tmp_path / f"consolidation-{name}.png"
        assert image.save(str(path))
        if name == "import" and os.environ.get("YANTA_SHOTS") == "1":
            docs.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / path.name)
        shots[name] = path
    assert all(p.stat().st_size > 10_000 for p in shots.values())


# ---------------------------------------------------------------------------------------------- English
def _data_strings(catalog) -> list[str]:
    """Names the plan and forms give (units, periods, indicators, task titles, field labels): shown as is."""
    plan = catalog.plan
    out = [s for u in plan.units.values() for s in (u.name, u.short_name)]
    out += [p.label for p in plan.periods()]
    out += [s for i in plan.indicators for s in (i.name, i.unit, i.definition, i.target_text)]
    out += [t.title for t in plan.tasks.values()]
    return sorted({s for s in out if s}, key=len, reverse=True)  # longest first: names contain names


def test_english_ui_has_no_chinese_but_data(qtbot, qapp, data_dir: Path, district: District, catalog):
    """With the English catalogue every label, button, tab and header of the 汇总 view (after an import
    with every outcome, the matrix, indicators, a version comparison and the sources dialog) is English;
    only names from the plan (units, periods, indicators, tasks) and the forms' field labels stay Chinese."""
    from PySide6.QtCore import QLocale

    from yanta_desktop.ui.consolidate_view import ConsolidationView
    from yanta_desktop.ui.i18n import install_translators

    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        shutil.copytree(district.ipb_keys, data_dir / "keys")
        v = ConsolidationView(data_dir, catalog, today=TODAY)
        qtbot.addWidget(v)
        v.resize(1280, 860)
        v.show()
        wait_idle(qtbot, v)
        import_everything(qtbot, v, district)
        v.set_period(PERIOD)
        wait_idle(qtbot, v)
        data = _data_strings(catalog)
        data += [f.path.name for f in v.outcome_model.rows()]  # file names
        seen: list[tuple[str, str]] = []
        for tab in range(v.tabs.count()):
            v.tabs.setCurrentIndex(tab)
            if tab == 3:
                v.packet_table.selectAll()
                with qtbot.waitSignal(v.diffReady, timeout=10000):
                    v.compare_button.click()
                data += [v.diff_model.index(r, 1).data() for r in range(v.diff_model.rowCount())]
            QApplication.processEvents()
            seen += visible_texts(v)
            # the table cells the view itself words: outcomes, matrix symbols, indicator state, changes
            for model, column in ((v.outcome_model, 0), (v.indicator_model, 4), (v.diff_model, 0),
                                  (v.diff_model, 2), (v.packet_model, 1)):
                seen += [(f"{type(model).__name__} cell", str(model.index(r, column).data() or ""))
                         for r in range(model.rowCount())]
            seen += [("matrix cell", str(v.matrix_model.index(r, c).data() or ""))
                     for r in range(v.matrix_model.rowCount()) for c in range(v.matrix_model.columnCount())]
        assert "Import results" in [t for _, t in seen] and "Compare versions" in [t for _, t in seen]
        assert any(t.startswith("Task ") for _, t in seen)
        rows = {v.indicator_model.row_value(r).key: r for r in range(v.indicator_model.rowCount())}
        v.indicator_table.selectRow(rows["case_closure_rate"])
        with qtbot.waitSignal(v.sourcesOpened, timeout=5000) as blocker:
            v.indicator_table.doubleClicked.emit(v.indicator_model.index(rows["case_closure_rate"], 1))
        dlg = blocker.args[0]
        data += [dlg.model.index(r, 3).data() for r in range(dlg.model.rowCount())]
        seen += visible_texts(dlg)
        dlg.close()

        def stripped(text: str) -> str:
            for s in sorted(set(data), key=len, reverse=True):
                text = text.replace(s, "")
            return text

        chinese = sorted({(where, text) for where, text in seen if CJK.search(stripped(text).replace("＝", ""))})
        print(*chinese, sep="\n")
        assert chinese == []
        v.shutdown()
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
        QLocale.setDefault(before)
