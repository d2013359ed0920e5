"""``yanta demo --out DIR``: a whole district in one command.

What it builds (every step through the real code paths — stores, keys, CA, export, verify, import):

* ``DIR/ipb``            the IP bureau (区市场监管局（区知识产权局）, SCJGJ): the CA, its own certified key,
                         its own entries, and the consolidation of everything received;
* ``DIR/units/<code>``   one installation per unit: store, certified key, finalised entries, exports;
* ``DIR/inbox/``         the packets as delivered (U盘 / e-mail), including one correction, one duplicate
                         copy and one tampered file;
* ``DIR/汇总表_2025Q4.xlsx`` and ``DIR/汇总表_2025H2.xlsx`` the signed consolidated workbooks;
* ``DIR/demo.json``      the scenario: deliveries with their (simulated) receipt times, who is late/missing.

Entries come from ``forms/samples/taskNN.json``, varied per unit and period (counts × 1–3, distinct ledger
numbers), with fields a unit does not see stripped (``forms.validate.strip_hidden``); every entry is
validated and falls back to the plain sample, or is skipped with a message, if the variation does not pass.
Receipt times are simulated (the IP bureau's clock during import), so some units are late.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import shutil
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import paths

PASSPHRASE = "yanta-demo-2026"
PERIODS = ["2025Q3", "2025Q4", "2025H2"]
TODAY = dt.date(2026, 2, 1)
# scenario (unit codes from forms/plan.yaml)
LATE = {"JRB": "2026-01-22T02:30:00Z", "610113004": "2026-01-27T06:00:00Z"}  # 2025Q4 and 2025H2 arrive late
MISSING = {"WLJ": ["2025Q3"], "610113009": [], "NSJ": ["2025Q3", "2025Q4"]}  # unit → the periods it does send
RESUBMIT = ("KGJ", "2025Q4", 4)  # reopens task 4 and sends a correction (supersedes)
TAMPER = ("FGW", "2025Q4")  # a copy of this packet is edited by hand (rejected, quarantined)
DUPLICATE = ("SWJ", "2025Q4")  # delivered twice (duplicate)


def _h(*parts: Any) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _samples() -> dict[int, dict]:
    out = {}
    for p in sorted(paths.forms_dir().joinpath("samples").glob("task*.json")):
        try:
            out[int(p.stem[4:])] = json.loads(p.read_text("utf-8"))
        except (ValueError, OSError):
            continue
    return out


def _vary(form: Any, data: dict, unit: str, period: str) -> dict:
    """Counts × k (k = 1..3, exact, so every rule that held still holds); ledger numbers made unique."""
    from ..forms.model import FieldType

    k = 1 + _h(unit, period) % 3
    out = copy.deepcopy(data)
    for f in form.fields():
        v = out.get("values", {}).get(f.key)
        if v is None or f.key in ("resident_population",):
            continue
        if f.type == FieldType.integer and isinstance(v, int):
            out["values"][f.key] = v * k
        elif f.type == FieldType.decimal and isinstance(v, str):
            try:
                out["values"][f.key] = str((Decimal(v) * k).quantize(Decimal(1).scaleb(-f.decimals)))
            except ArithmeticError:
                pass
    for table in form.tables:
        rows = out.get("tables", {}).get(table.key)
        if not rows:
            continue
        if k == 1 and len(rows) > 1:
            rows.pop()
        for i, row in enumerate(rows):
            for c in table.columns:
                val = row.get(c.key)
                if isinstance(val, str) and c.key.endswith(("registration_no", "_no")) and c.pattern and len(val) >= 8 and val[-6:].isdigit():
                    row[c.key] = f"{val[:-6]}{_h(unit, period, table.key, i) % 1_000_000:06d}"
    values = out.setdefault("values", {})
    per_end = _period_end(period)
    if "filled_on" in values or any(f.key == "filled_on" for f in form.fields()):
        values["filled_on"] = (per_end + dt.timedelta(days=5 + _h(unit, period, "d") % 8)).isoformat()
    return out


def _period_end(code: str) -> dt.date:
    from ..plan.periods import parse_period

    return parse_period(code).end


def _candidates(catalog: Any, unit: str, task: int, period: str, samples: dict[int, dict], notes: list[str]) -> list[dict]:
    """Entry data to try, best first: the varied sample, then the plain sample (hidden fields stripped)."""
    from ..forms import make_context, strip_hidden

    sample = samples.get(task)
    if sample is None:
        notes.append(f"{unit} 任务{task}：没有样例数据（forms/samples/task{task:02d}.json），跳过")
        return []
    form = catalog.form(task)
    ctx = make_context(catalog.plan, unit, catalog.plan.period(period))
    out = []
    for candidate in (_vary(form, sample, unit, period), sample):
        try:
            out.append(strip_hidden(form, ctx, candidate))
        except Exception:  # a sample the form cannot read at all
            continue
    return out


def _save(store: Any, catalog: Any, unit: str, task: int, period: str, samples: dict, notes: list[str]) -> bool:
    from ..errors import ValidationFailed

    for data in _candidates(catalog, unit, task, period, samples, notes):
        try:
            store.save_final(unit, task, period, data, catalog.form(task), catalog)
            return True
        except ValidationFailed:
            continue
    if task in samples:
        notes.append(f"{unit} {period} 任务{task}：样例数据未通过本单位的校验，跳过")
    return False


def _setup_unit(args: tuple) -> dict:
    """One unit's installation: store, key + certificate, entries, exports. Runs in a worker process."""
    try:
        return _setup_unit_inner(args)
    except Exception as exc:  # report, don't break the pool (some exceptions do not pickle)
        return {"unit": args[0], "exports": [], "notes": [f"{args[0]}：未能完成（{type(exc).__name__}: {exc}）"]}


def _setup_unit_inner(args: tuple) -> dict:
    from ..catalog import load_catalog
    from ..packets import export_packet, pki
    from ..store import Store

    unit, unit_dir, ipb, inbox, periods = args
    unit_dir, ipb, inbox = Path(unit_dir), Path(ipb), Path(inbox)
    catalog = load_catalog()
    plan = catalog.plan
    name = plan.units[unit].name
    notes: list[str] = []
    exports: list[dict] = []
    samples = _samples()
    store = Store.open(unit_dir, user=f"demo-{unit}")
    try:
        if unit != plan.ip_bureau.code:
            store.set_unit(unit, name)
            csr, _ = pki.key_request(unit_dir, unit, name, PASSPHRASE)
            cert = pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, plan)
            pki.key_install(unit_dir, pki.cert_pem(cert), pki.cert_pem(pki.ca_root(ipb)), unit)
        for period in periods:
            per = plan.period(period)
            tasks = [t.number for t in plan.tasks_for_unit(unit) if catalog.applies(t.number, per)]
            done = 0
            for task in tasks:
                done += _save(store, catalog, unit, task, period, samples, notes)
            if not done:
                continue
            # each unit exports into its own folder (as on its own PC); the main process "delivers" copies to the
            # inbox. (Exports into one shared folder at the same moment would also tidy each other's temp files.)
            out = unit_dir / "exports" / period
            res = export_packet(store, catalog, period, out, PASSPHRASE, allow_missing=True)
            exports.append({"unit": unit, "period": period, "path": str(res.path), "seq": res.seq, "sha256": res.payload_sha256})
            if (unit, period) == RESUBMIT[:2]:
                task = RESUBMIT[2]
                entry = store.find_entry(unit, task, period)
                if entry is not None:
                    store.reopen(entry.id, "更正：漏报一个转化项目，转化项目数加 1")
                    data = copy.deepcopy(entry.data)
                    rows = data.setdefault("tables", {}).setdefault("projects", [])
                    if rows:
                        extra = copy.deepcopy(rows[-1])
                        reg = str(extra.get("registration_no", "2025610113000000"))
                        extra["registration_no"] = f"{reg[:-6]}{_h(unit, period, 'fix') % 1_000_000:06d}"
                        extra["project_name"] = "补报：" + str(extra.get("project_name", "转化项目"))[:40]
                        rows.append(extra)
                    data["values"]["conversion_projects"] = len(rows)
                    store.save_final(unit, task, period, data, catalog.form(task), catalog)
                    res = export_packet(store, catalog, period, out, PASSPHRASE, allow_missing=True)
                    exports.append({"unit": unit, "period": period, "path": str(res.path), "seq": res.seq,
                                    "sha256": res.payload_sha256, "correction": True})
    finally:
        store.close()
    return {"unit": unit, "exports": exports, "notes": notes}


def _tamper(src: Path, dst: Path) -> str:
    """Copy a packet and change one visible number (what a clerk 'fixing' a figure in Excel would do)."""
    import re

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        changed = ""
        for info in zin.infolist():
            data = zin.read(info.filename)
            if not changed and info.filename.startswith("xl/worksheets/sheet") and info.filename != "xl/worksheets/sheet1.xml":
                m = re.search(rb'(<c r="B\d+"(?: s="\d+")?><v>)(\d+)(</v>)', data)  # a number cell, not a shared string
                if m:
                    new = str(int(m.group(2)) + 100).encode()
                    data = data[: m.start(2)] + new + data[m.end(2):]
                    changed = f"{info.filename} {m.group(2).decode()} → {new.decode()}"
            zout.writestr(info, data)
    return changed


def _received(unit: str, period: str, correction: bool = False) -> str:
    due = {"2025Q3": dt.date(2025, 10, 15), "2025Q4": dt.date(2026, 1, 15), "2025H2": dt.date(2026, 1, 15)}[period]
    if unit in LATE and period != "2025Q3":
        return LATE[unit]
    day = due - dt.timedelta(days=1 + _h(unit, period, "r") % 9)
    if correction:
        day = due - dt.timedelta(days=1)
    hour = 1 + _h(unit, period, "h") % 8
    return f"{day.isoformat()}T{hour:02d}:{_h(unit, period, 'm') % 60:02d}:00Z"


def build_demo(out: Path, log: Callable[[str], None] | None = None, workers: int | None = None) -> dict:
    from ..catalog import load_catalog
    from ..errors import YantaError
    from ..packets import TrustStore, pki
    from ..store import Store
    from .db import Consolidation
    from .ledger import import_paths
    from .matrix import completeness
    from .measures import indicators
    from .workbook import Signer, consolidate_workbook

    say = log or (lambda m: None)
    t0 = time.perf_counter()
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()):
        raise YantaError(f"输出目录不是空的：{out}。请换一个目录，或先清空它。")
    ipb, units_dir, inbox = out / "ipb", out / "units", out / "inbox"
    for d in (ipb, units_dir, inbox):
        d.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    plan = catalog.plan
    ip = plan.ip_bureau.code
    say(f"雁塔区示范数据：{out}")
    say(f"  所有示范私钥的口令：{PASSPHRASE}")
    # 1. the IP bureau: store, CA, its own key
    store = Store.open(ipb, user="demo-ipb")
    store.set_unit(ip, plan.units[ip].name)
    store.close()
    pki.ca_init(ipb, PASSPHRASE)
    csr, _ = pki.key_request(ipb, ip, plan.units[ip].name, PASSPHRASE)
    cert = pki.ca_issue(ipb, csr.read_bytes(), PASSPHRASE, plan)
    pki.key_install(ipb, pki.cert_pem(cert), pki.cert_pem(pki.ca_root(ipb)), ip)
    say(f"  [{time.perf_counter() - t0:5.1f}s] 区知识产权局：根证书与本局签名证书已生成（{ipb}）")
    # 2. every unit (in parallel: key derivation dominates)
    units = [u.code for u in plan.reporting_units() if plan.tasks_for_unit(u.code)]
    jobs = []
    for code in units:
        periods = MISSING.get(code, list(PERIODS))
        unit_dir = ipb if code == ip else units_dir / code
        jobs.append((code, str(unit_dir), str(ipb), str(inbox), periods))
    results: list[dict] = []
    n_workers = workers or 6  # key derivation (Argon2id) and fsync-bound saves overlap beyond the core count
    if n_workers > 1:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
            for r in pool.map(_setup_unit, jobs):
                results.append(r)
                say(f"  [{time.perf_counter() - t0:5.1f}s] {plan.units[r['unit']].name}：已填报并导出 {len(r['exports'])} 个数据包")
    else:
        for job in jobs:
            r = _setup_unit(job)
            results.append(r)
            say(f"  [{time.perf_counter() - t0:5.1f}s] {plan.units[r['unit']].name}：已填报并导出 {len(r['exports'])} 个数据包")
    notes = [n for r in results for n in r["notes"]]
    for n in notes:
        say(f"  注意：{n}")
    # 3. deliveries (copies into the inbox, as by USB stick / e-mail) with simulated receipt times
    deliveries: list[dict] = []
    for r in results:
        for e in r["exports"]:
            box = inbox / e["period"] / ("更正" if e.get("correction") else "")
            box.mkdir(parents=True, exist_ok=True)
            delivered = box / Path(e["path"]).name
            shutil.copyfile(e["path"], delivered)
            deliveries.append({**e, "path": str(delivered), "exported": e["path"],
                               "received_at": _received(e["unit"], e["period"], e.get("correction", False)),
                               "expect": "supersedes" if e.get("correction") else "accepted"})
    if notes:  # a unit that failed half-way: never let its files reach the inbox unrecorded
        say("  注意：部分单位未能完成，见上方说明")
    tam = next((d for d in deliveries if (d["unit"], d["period"]) == TAMPER), None)
    if tam:
        dst = inbox / TAMPER[1] / f"{Path(tam['path']).stem}_改.xlsx"
        what = _tamper(Path(tam["path"]), dst)
        deliveries.append({"unit": TAMPER[0], "period": TAMPER[1], "path": str(dst), "seq": tam["seq"], "sha256": tam["sha256"],
                           "received_at": _received(TAMPER[0], TAMPER[1], True), "expect": "rejected", "tampered": what})
    dup = next((d for d in deliveries if (d["unit"], d["period"]) == DUPLICATE and d["expect"] == "accepted"), None)
    if dup:
        copy_dir = inbox / "邮件"
        copy_dir.mkdir(exist_ok=True)
        dst = copy_dir / Path(dup["path"]).name
        shutil.copyfile(dup["path"], dst)
        deliveries.append({**dup, "path": str(dst), "received_at": _received(DUPLICATE[0], DUPLICATE[1], True),
                           "expect": "duplicate"})
    deliveries.sort(key=lambda d: (d["received_at"], d["path"]))
    # 4. import, in receipt order, with the IP bureau's clock at each receipt
    trust = TrustStore.load(ipb)
    cons = Consolidation.open(ipb)
    outcomes: dict[str, int] = {}
    try:
        for d in deliveries:
            o = import_paths(cons, [Path(d["path"])], trust, catalog, clock=lambda d=d: d["received_at"], user="demo-ipb")[0]
            d["outcome"] = o.outcome
            d["reason"] = o.reason
            outcomes[o.outcome] = outcomes.get(o.outcome, 0) + 1
        before = cons.counts()
        again = import_paths(cons, [inbox], trust, catalog, user="demo-ipb")
        reimport: dict[str, int] = {}
        for o in again:
            reimport[o.outcome] = reimport.get(o.outcome, 0) + 1
        unchanged = cons.counts() == before
        say(f"  [{time.perf_counter() - t0:5.1f}s] 导入 {len(deliveries)} 个文件："
            + "，".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
            + f"；再次导入整个收件夹：{len(again)} 个文件，" + ("数据无任何变化" if unchanged else "⚠ 数据有变化"))
        for d in deliveries:
            if d["outcome"] not in ("accepted",):
                say(f"    {d['outcome']}：{Path(d['path']).name}　{d['reason'][:70]}")
        # 5. consolidate
        signer = Signer.load(ipb, PASSPHRASE)
        books = {}
        for period in ("2025Q4", "2025H2"):
            target = out / f"汇总表_{period}.xlsx"
            res = consolidate_workbook(cons, catalog, period, target, signer, today=TODAY)
            books[period] = {"path": str(res.path), "sha256": res.payload_sha256, "packets": res.packets, "records": res.records}
            m = completeness(cons, catalog, period, today=TODAY)
            c = m.counts()
            say(f"  [{time.perf_counter() - t0:5.1f}s] {res.path.name}：来源 {res.packets} 个数据包，"
                f"报送 {c['received']}、逾期 {c['late']}、未报 {c['missing']}；催报 {len(m.chase)} 个单位")
        for v in indicators(cons, catalog, "2025Q4"):
            say(f"    {v.name}：{v.value if v.value is not None else '暂无'} {v.unit}（目标 {v.target}）")
    finally:
        cons.close()
    manifest = {
        "out": str(out),
        "passphrase": PASSPHRASE,
        "today": TODAY.isoformat(),
        "ipb": str(ipb),
        "units_dir": str(units_dir),
        "periods": PERIODS,
        "scenario": {"late": LATE, "sends_only": MISSING,
                     "resubmit": list(RESUBMIT), "tamper": list(TAMPER), "duplicate": list(DUPLICATE)},
        "deliveries": deliveries,
        "reimport": reimport,
        "reimport_unchanged": unchanged,
        "workbooks": books,
        "notes": notes,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (out / "demo.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    say(f"完成（{manifest['seconds']} 秒）。")
    say(f"  汇总表：{', '.join(b['path'] for b in books.values())}")
    say(f"  隔离区：{paths.quarantine_dir(ipb)}")
    say(f"  打开区知识产权局的界面：yanta-desktop --data-dir {ipb}")
    say(f"  核验汇总表：yanta --data-dir {ipb} verify {books['2025Q4']['path']}")
    return manifest
