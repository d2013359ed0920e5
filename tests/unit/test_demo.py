"""``yanta demo``: the whole district, and its figures recomputed independently from the demo's own inputs.

The demo's inputs are the entries it finalised in each unit's own store (``units/<code>/yanta.db`` and the
IP bureau's ``ipb/yanta.db``) and the deliveries it made (``demo.json``: which file, which simulated receipt
time). From those alone — not from consolidation.db — this test recomputes 报送情况 and three indicators and
compares them with the signed consolidated workbook's payload and with the API.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from yanta_desktop.cli import main
from yanta_desktop.consolidate import Consolidation, completeness, indicators
from yanta_desktop.packets import TrustStore, verify_packet
from yanta_desktop.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "district"
    assert main(["demo", "--out", str(out)]) == 0
    return out, json.loads((out / "demo.json").read_text("utf-8"))


def _stores(out: Path, manifest: dict) -> dict[str, list]:
    """unit → its final entries, read from the unit's own store."""
    entries: dict[str, list] = {}
    dirs = [Path(manifest["ipb"]), *sorted(Path(manifest["units_dir"]).iterdir())]
    for d in dirs:
        with Store.open(d) as store:
            entries[store.unit] = store.list_entries(status="final")
    return entries


def _payload(book: Path) -> dict:
    with zipfile.ZipFile(book) as z:
        return json.loads(z.read("packet/payload.json"))


def _beijing_date(iso: str) -> dt.date:
    return (dt.datetime.fromisoformat(iso.replace("Z", "+00:00")) + dt.timedelta(hours=8)).date()


def test_demo_deliveries_have_the_planned_outcomes(demo):
    out, manifest = demo
    outcomes = [(d["expect"], d["outcome"]) for d in manifest["deliveries"]]
    wrong = [(d["unit"], d["period"], d["expect"], d["outcome"], d["reason"]) for d in manifest["deliveries"]
             if d["expect"] != d["outcome"]]
    assert not wrong, wrong
    assert not manifest["notes"], manifest["notes"]
    assert manifest["reimport_unchanged"] and set(manifest["reimport"]) <= {"duplicate", "rejected"}
    kinds = {o for _, o in outcomes}
    assert {"accepted", "supersedes", "duplicate", "rejected"} <= kinds
    quarantined = list((out / "ipb" / "quarantine").glob("*.reason.txt"))
    assert len(quarantined) == 1 and "应为" in quarantined[0].read_text("utf-8")


def test_demo_workbooks_verify(demo):
    _, manifest = demo
    trust = TrustStore.load(Path(manifest["ipb"]))
    for book in manifest["workbooks"].values():
        report = verify_packet(Path(book["path"]), trust)
        assert report.ok, report.problems
        assert report.kind == "consolidated"


@pytest.mark.parametrize("period", ["2025Q4", "2025H2"])
def test_demo_completeness_recomputed_from_inputs(demo, catalog, period):
    out, manifest = demo
    plan = catalog.plan
    per = plan.period(period)
    due = plan.due_date(per)
    today = dt.date.fromisoformat(manifest["today"])
    entries = _stores(out, manifest)
    first_receipt: dict[str, str] = {}
    for d in manifest["deliveries"]:
        if d["period"] == period and d["expect"] in ("accepted", "supersedes", "duplicate"):
            first_receipt[d["unit"]] = min(first_receipt.get(d["unit"], "9"), d["received_at"])
    expected: dict[tuple[str, int], str] = {}
    for t in plan.tasks:
        if not catalog.applies(t, per):
            continue
        for u in plan.expected_units(t):
            sent = any(e.task == t and e.period == period for e in entries.get(u, [])) and u in first_receipt
            if sent:
                expected[(u, t)] = "late" if _beijing_date(first_receipt[u]) > due else "received"
            else:
                expected[(u, t)] = "missing" if today > due else "expected"
    payload = _payload(Path(manifest["workbooks"][period]["path"]))
    tasks = payload["completeness"]["tasks"]
    got = {(row[0], t): state for row in payload["completeness"]["units"] for t, state in zip(tasks, row[2:], strict=True)
           if state != "not_applicable"}
    assert got == expected
    with Consolidation.open(Path(manifest["ipb"])) as cons:
        m = completeness(cons, catalog, period, today=today)
    assert {k: c.state for k, c in m.cells.items() if c.state != "not_applicable"} == expected
    assert any(s == "late" for s in expected.values()) and any(s == "missing" for s in expected.values())


def _q(x: Decimal, decimals: int) -> str:
    return str(x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def test_demo_indicators_recomputed_from_inputs(demo, catalog):
    out, manifest = demo
    entries = _stores(out, manifest)
    period = "2025Q4"
    q4 = [e for es in entries.values() for e in es if e.period == period]
    # 结案率: Σ结案 ÷ (Σ立案 + Σ结转) × 100 over every unit's task-11 entry of the period
    t11 = [e.data["values"] for e in q4 if e.task == 11]
    closed = sum(v.get("cases_closed", 0) for v in t11)
    base = sum(v.get("cases_opened", 0) + v.get("cases_carried_over", 0) for v in t11)
    rate = _q(Decimal(closed) * 100 / Decimal(base), 1)
    # 每万人口高价值发明专利: the IP bureau's own task-1 figures
    ipb1 = next(e.data["values"] for e in entries["SCJGJ"] if e.task == 1 and e.period == period)
    per10k = _q(Decimal(ipb1["high_value_invention_patents"]) / Decimal(ipb1["resident_population"]), 2)
    # 转化项目: distinct registration numbers in tasks 4/5/6 ledgers, from the plan start to the period end
    tables = {4: "projects", 5: "transfers", 6: "pledges"}
    regs = {
        str(r["registration_no"]).strip().upper()
        for es in entries.values() for e in es
        if e.task in tables and e.period in ("2025Q3", "2025Q4")
        for r in e.data.get("tables", {}).get(tables[e.task], []) if r.get("registration_no")
    }
    want = {"case_closure_rate": rate, "high_value_patents_per_10k": per10k, "transformation_projects": str(len(regs))}
    payload = _payload(Path(manifest["workbooks"][period]["path"]))
    got = {i["key"]: i["value"] for i in payload["indicators"] if i["key"] in want}
    assert got == want
    with Consolidation.open(Path(manifest["ipb"])) as cons:
        api = {i.key: str(i.value) for i in indicators(cons, catalog, period) if i.key in want}
    assert api == want
    assert len(regs) > 10
