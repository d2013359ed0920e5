"""Consolidation: every import outcome, quarantine, completeness, indicators, diff, the signed workbook.

Packets are genuine: a real CA (Argon2id-protected root), Ed25519 unit keys with certificates issued by
it, payloads signed and written by the packets code (``consolidate.fastpack``) and verified by
``verify_packet``. Databases are real SQLite files in tmp_path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from yanta_desktop.consolidate import (
    Cancelled,
    Consolidation,
    completeness,
    consolidate_workbook,
    export_chase_list,
    import_paths,
    indicators,
    packet_diff,
)
from yanta_desktop.consolidate.fastpack import issue_fast, make_payload, write_packet
from yanta_desktop.consolidate.workbook import Signer
from yanta_desktop.packets import TrustStore, pki, verify_packet

PW = "测试口令-correct horse"


@pytest.fixture(scope="module")
def pkix(tmp_path_factory, catalog):
    ca_dir = tmp_path_factory.mktemp("ca")
    root = pki.ca_init(ca_dir, PW)
    ca_key = pki.ca_key(ca_dir, PW)
    keys = {code: issue_fast(ca_key, root, code, catalog.plan.units[code].name)
            for code in ("SCJGJ", "KGJ", "FY", "JCY", "GAFJ", "SWJ")}
    return {"root": root, "keys": keys, "trust": TrustStore.from_roots([root])}


class Maker:
    """Writes genuine packets for one unit, following its export chain (seq, prev_sha256)."""

    def __init__(self, catalog, pkix, folder: Path) -> None:
        self.catalog, self.pkix, self.folder = catalog, pkix, folder
        self.chain: dict[str, list[str]] = {}

    def packet(self, unit: str, period: str, entries: dict, *, seq: int | None = None, prev: str | None = None,
               name: str | None = None) -> tuple[Path, str]:
        key, cert = self.pkix["keys"][unit]
        chain = self.chain.setdefault(unit, [])
        seq = seq if seq is not None else len(chain) + 1
        prev = prev if prev is not None else (chain[seq - 2] if seq >= 2 and len(chain) >= seq - 1 else "")
        payload = make_payload(self.catalog, unit, period, seq, prev, entries, cert)
        path = self.folder / (name or f"{unit}_{period}_{seq:04d}.xlsx")
        sha = write_packet(path, payload, key, cert, self.catalog)
        if len(chain) < seq:
            chain.append(sha)
        return path, sha


def t11(opened: int, closed: int, carried: int = 0) -> dict:
    return {"values": {"cases_opened": opened, "cases_closed": closed, "cases_carried_over": carried,
                       "status": "推进中", "filled_by": "王敏", "phone": "029-85212345"}}


def t1_ipb(hv: int, valid: int, pop: str) -> dict:
    return {"values": {"high_value_invention_patents": hv, "valid_invention_patents": valid,
                       "resident_population": pop, "population_source": "区统计局2025年统计公报",
                       "status": "推进中", "filled_by": "李华", "phone": "13891023456"}}


def t4(rows: list[str], note: str = "") -> dict:
    return {"values": {"conversion_projects": len(rows), "status": "推进中", "problems": note},
            "tables": {"projects": [{"project_name": f"项目{r}", "registration_no": r} for r in rows]}}


@pytest.fixture
def env(data_dir, catalog, pkix, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    cons = Consolidation.open(data_dir)
    yield cons, Maker(catalog, pkix, folder), folder
    cons.close()


def imp(cons, paths, pkix, catalog, at="2026-01-10T02:00:00Z", **kw):
    return import_paths(cons, [Path(p) for p in paths], pkix["trust"], catalog, clock=lambda: at, **kw)


def state(cons) -> tuple:
    """Everything an import may change, except the append-only logs."""
    c = cons.conn
    return (
        c.execute("SELECT sha256, status FROM packets ORDER BY sha256").fetchall(),
        c.execute("SELECT count(*) FROM records").fetchone(),
        c.execute("SELECT count(*) FROM field_values").fetchone(),
        c.execute("SELECT stored, reason FROM quarantine ORDER BY id").fetchall(),
        sorted(p.name for p in (cons.data_dir / "quarantine").glob("*")) if (cons.data_dir / "quarantine").exists() else [],
    )


# ---- outcomes ----------------------------------------------------------------------------------
def test_accepted_then_same_folder_twice_changes_nothing(env, pkix, catalog):
    cons, mk, folder = env
    mk.packet("SCJGJ", "2025Q4", {11: t11(10, 9), 4: t4(["R000001", "R000002"])})
    mk.packet("FY", "2025Q4", {11: t11(5, 5)})
    (folder / "坏文件.xlsx").write_bytes(b"not a zip at all")
    first = imp(cons, [folder], pkix, catalog)
    assert sorted(o.outcome for o in first) == ["accepted", "accepted", "rejected"], [o.reason for o in first]
    before = state(cons)
    assert cons.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 2
    second = imp(cons, [folder, folder / "坏文件.xlsx"], pkix, catalog)
    assert sorted(o.outcome for o in second) == ["duplicate", "duplicate", "rejected"]
    assert state(cons) == before
    assert len(cons.quarantine()) == 1


def test_supersedes_replaces_rows_and_diff_shows_the_change(env, pkix, catalog):
    cons, mk, _ = env
    p1, s1 = mk.packet("SCJGJ", "2025Q4", {4: t4(["R000001"]), 11: t11(10, 8)})
    p2, s2 = mk.packet("SCJGJ", "2025Q4", {4: t4(["R000001", "R000009"]), 11: t11(10, 10)})
    assert [o.outcome for o in imp(cons, [p1], pkix, catalog)] == ["accepted"]
    out = imp(cons, [p2], pkix, catalog)
    assert [o.outcome for o in out] == ["supersedes"]
    assert s1[:12] in out[0].reason
    status = dict(cons.conn.execute("SELECT sha256, status FROM packets"))
    assert status == {s1: "superseded", s2: "current"}
    assert cons.packet(s1).status == "superseded" and cons.packet(s2).seq == 2 and cons.packet("0" * 64) is None
    rows = cons.conn.execute("SELECT packet, data FROM records").fetchall()
    assert {r[0] for r in rows} == {s2} and len(rows) == 2
    diffs = packet_diff(cons, s1, s2, catalog)
    where = {d.where: d for d in diffs}
    assert where["cases_closed"].old == 8 and where["cases_closed"].new == 10
    assert where["conversion_projects"].change == "changed"
    assert where["projects[2]"].change == "added"
    assert "结案" in where["cases_closed"].label


def test_stale_packet_is_recorded_but_never_current(env, pkix, catalog):
    cons, mk, _ = env
    p1, s1 = mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)})
    p2, s2 = mk.packet("GAFJ", "2025Q4", {11: t11(10, 10)})
    assert [o.outcome for o in imp(cons, [p2], pkix, catalog)] == ["accepted"]
    out = imp(cons, [p1], pkix, catalog)
    assert [o.outcome for o in out] == ["stale"]
    assert dict(cons.conn.execute("SELECT sha256, status FROM packets")) == {s1: "stale", s2: "current"}
    assert indicators(cons, catalog, "2025Q4")[3].numerator == 10  # case closure uses the newer packet only


def test_fork_same_seq_different_content_is_loud_and_quarantined(env, pkix, catalog):
    cons, mk, _ = env
    p1, s1 = mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)})
    p1b, s1b = mk.packet("GAFJ", "2025Q4", {11: t11(10, 9)}, seq=1, prev="", name="restored-db.xlsx")
    assert s1 != s1b
    imp(cons, [p1], pkix, catalog)
    out = imp(cons, [p1b], pkix, catalog)
    assert [o.outcome for o in out] == ["fork"]
    assert "第 1 号" in out[0].reason and "密钥" in out[0].reason
    q = out[0].quarantine_path
    assert q is not None and q.read_bytes() == p1b.read_bytes()
    assert "版本冲突" in Path(str(q) + ".reason.txt").read_text("utf-8")
    assert dict(cons.conn.execute("SELECT sha256, status FROM packets")) == {s1: "current", s1b: "fork"}


def test_a_seq_gap_is_said_out_loud(env, pkix, catalog):
    cons, mk, _ = env
    p1, _ = mk.packet("GAFJ", "2025Q3", {11: t11(3, 3)})
    p5, _ = mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)}, seq=5, prev="ab" * 32)
    imp(cons, [p1], pkix, catalog)
    out = imp(cons, [p5], pkix, catalog)
    assert out[0].outcome == "accepted" and "缺少 GAFJ 第 2—4 号" in out[0].reason


def test_fork_broken_prev_chain(env, pkix, catalog):
    cons, mk, _ = env
    p1, _ = mk.packet("GAFJ", "2025Q3", {11: t11(3, 3)})
    p2, _ = mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)}, seq=2, prev="ab" * 32)
    imp(cons, [p1], pkix, catalog)
    out = imp(cons, [p2], pkix, catalog)
    assert out[0].outcome == "fork" and "版本链断裂" in out[0].reason
    assert completeness(cons, catalog, "2025Q4", today=dt.date(2026, 3, 1)).cell("GAFJ", 11).state == "missing"


def test_rejected_tampered_packet_kept_with_reason_and_others_go_on(env, pkix, catalog):
    cons, mk, folder = env
    good, _ = mk.packet("FY", "2025Q4", {11: t11(5, 5)})
    src, _ = mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)})
    bad = folder / "改过的.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "packet/payload.json":
                data = data.replace(b'"cases_closed":8', b'"cases_closed":9')
            zout.writestr(info, data)
    src.unlink()
    out = {o.path.name: o for o in imp(cons, [folder], pkix, catalog)}
    assert out[good.name].outcome == "accepted"
    rej = out[bad.name]
    assert rej.outcome == "rejected" and "签名" in rej.reason
    items = cons.quarantine()
    assert len(items) == 1
    assert items[0].path.read_bytes() == bad.read_bytes()
    assert "签名" in items[0].reason_path.read_text("utf-8")


def test_rejected_consolidated_workbook_and_unknown_root(env, pkix, catalog, tmp_path):
    cons, mk, _ = env
    p, _ = mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)})
    other_root_trust = TrustStore.from_roots([pki.ca_init(tmp_path / "rogue", PW)])
    out = import_paths(cons, [p], other_root_trust, catalog, clock=lambda: "2026-01-10T00:00:00Z")
    assert out[0].outcome == "rejected" and "根证书" in out[0].reason
    imp(cons, [p], pkix, catalog)
    book = tmp_path / "汇总.xlsx"
    consolidate_workbook(cons, catalog, "2025Q4", book, Signer(*pkix["keys"]["SCJGJ"]))
    out = imp(cons, [book], pkix, catalog)
    assert out[0].outcome == "rejected" and "汇总表" in out[0].reason


def test_every_decision_is_in_the_audit_log_and_import_log(env, pkix, catalog):
    cons, mk, folder = env
    mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)})
    (folder / "x.xlsx").write_bytes(b"PK\x03\x04broken")
    imp(cons, [folder], pkix, catalog)
    imp(cons, [folder], pkix, catalog)
    db = sqlite3.connect(cons.data_dir / "yanta.db")
    actions = [r[0] for r in db.execute("SELECT action FROM audit ORDER BY seq")]
    db.close()
    for a in ("consolidate.import.start", "consolidate.import.accepted", "consolidate.import.rejected",
              "consolidate.import.duplicate", "consolidate.import.done"):
        assert a in actions
    log = cons.imports()
    assert [e["outcome"] for e in log].count("duplicate") == 1 and len(log) == 4
    from yanta_desktop.store import Store

    with Store.open(cons.data_dir) as store:
        assert store.verify_audit().ok


def test_cancel_stops_between_packets_and_keeps_what_was_done(env, pkix, catalog):
    cons, mk, folder = env
    mk.packet("GAFJ", "2025Q4", {11: t11(10, 8)})
    mk.packet("FY", "2025Q4", {11: t11(5, 5)})
    seen = []
    with pytest.raises(Cancelled):
        imp(cons, [folder], pkix, catalog, progress=lambda d, t, m: seen.append((d, t)), cancel=lambda: len(seen) >= 2)
    assert cons.conn.execute("SELECT count(*) FROM packets").fetchone()[0] == 1
    assert seen[0] == (0, 2)


# ---- completeness ------------------------------------------------------------------------------
def test_completeness_received_late_missing_expected(env, pkix, catalog, tmp_path):
    cons, mk, _ = env
    on_time, _ = mk.packet("SCJGJ", "2025Q4", {11: t11(10, 8), 4: t4(["R1X0001"])})
    late, _ = mk.packet("FY", "2025Q4", {11: t11(5, 5)})
    imp(cons, [on_time], pkix, catalog, at="2026-01-15T15:00:00Z")  # 23:00 Beijing on the due date: on time
    imp(cons, [late], pkix, catalog, at="2026-01-15T16:30:00Z")  # 00:30 Beijing on the 16th: late
    m = completeness(cons, catalog, "2025Q4", today=dt.date(2026, 2, 1))
    assert m.due == dt.date(2026, 1, 15)
    assert m.cell("SCJGJ", 11).state == "received" and m.cell("SCJGJ", 4).state == "received"
    assert m.cell("FY", 11).state == "late"
    assert m.cell("JCY", 11).state == "missing"
    assert m.cell("FY", 4).state == "not_applicable"  # 区法院 is not responsible for task 4
    assert m.cell("KGJ", 3).state == "not_applicable"  # task 3 is half-yearly: no 2025Q4
    streets = catalog.plan.units["STREETS"].members
    assert not any(s in m.units for s in streets)  # streets only report task 12, half-yearly: no row in 2025Q4
    h2 = completeness(cons, catalog, "2025H2", today=dt.date(2026, 2, 1))
    assert all(h2.cell(s, 12).state == "missing" for s in streets)  # 各街办 expanded to its ten members
    leading = catalog.plan.units["LEADING_GROUP"].members
    assert all(h2.cell(u, 7).state == "missing" for u in leading) and h2.cell("610113001", 7).state == "not_applicable"
    chase = {c.unit: c for c in m.chase}
    assert 11 in chase["JCY"].tasks and 4 in chase["KGJ"].tasks
    assert "SCJGJ" not in chase or 11 not in chase["SCJGJ"].tasks
    assert chase["JCY"].days_overdue == 17
    early = completeness(cons, catalog, "2025Q4", today=dt.date(2026, 1, 10))
    assert early.cell("JCY", 11).state == "expected"
    out = export_chase_list(m, catalog, tmp_path / "催报.xlsx", cons)
    ws = openpyxl.load_workbook(out).active
    names = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    assert "区检察院" in names and "区科工局" in names


# ---- indicators --------------------------------------------------------------------------------
def test_indicators_follow_their_definitions_with_sources(env, pkix, catalog):
    cons, mk, _ = env
    imp(cons, [mk.packet("SCJGJ", "2025Q3", {1: t1_ipb(7000, 9000, "150.00"), 11: t11(20, 19, 1)})[0]], pkix, catalog)
    imp(cons, [mk.packet("SCJGJ", "2025Q4", {1: t1_ipb(8460, 9800, "145.83"), 11: t11(30, 28, 2),
                                              4: t4(["R000001", "R000002"])})[0]], pkix, catalog)
    imp(cons, [mk.packet("KGJ", "2025Q3", {4: t4(["R000002", "R000003"])})[0]], pkix, catalog)
    imp(cons, [mk.packet("KGJ", "2025Q4", {4: t4(["r000003 ", "R000004"])})[0]], pkix, catalog)
    imp(cons, [mk.packet("GAFJ", "2025Q4", {11: t11(10, 9)})[0]], pkix, catalog)
    imp(cons, [mk.packet("FY", "2025Q4", {11: t11(6, 5)})[0]], pkix, catalog)
    ind = {i.key: i for i in indicators(cons, catalog, "2025Q4")}
    hv = ind["high_value_patents_per_10k"]
    assert hv.value == (Decimal(8460) / Decimal("145.83")).quantize(Decimal("0.01"))
    assert hv.met is False and hv.denominator == Decimal("145.83")  # latest, not the Q3 population
    assert {s.packet_sha256 for s in hv.sources} == {mk.chain["SCJGJ"][1]}
    assert "145.83" in hv.note and "区统计局2025年统计公报" in hv.note  # the denominator with its source and date
    assert [p.period for p in hv.series][-2:] == ["2025Q3", "2025Q4"]
    assert hv.series[-2].value == (Decimal(7000) / Decimal(150)).quantize(Decimal("0.01"))
    rate = ind["case_closure_rate"]
    assert rate.numerator == 28 + 9 + 5 and rate.denominator == (30 + 2) + 10 + 6
    assert rate.value == (Decimal(42) * 100 / 48).quantize(Decimal("0.1"))
    assert len(rate.sources) == 9  # 3 units × 3 fields, Q3 not inside 2025Q4
    tp = ind["transformation_projects"]
    assert tp.value == 4  # R000001..R000004, cumulative over Q3+Q4, de-duplicated (case and spaces folded)
    assert {s.where for s in tp.sources} >= {"projects[1].registration_no"}
    assert ind["trademarks_per_100_entities"].value is None and ind["trademarks_per_100_entities"].note
    annual = {i.key: i for i in indicators(cons, catalog, "2025")}
    assert annual["case_closure_rate"].numerator == 19 + 28 + 9 + 5  # Q3 and Q4 both inside 2025


# ---- the consolidated workbook -----------------------------------------------------------------
@pytest.fixture
def book(env, pkix, catalog, tmp_path):
    cons, mk, _ = env
    evil = {**t11(30, 28, 2), "values": {**t11(30, 28, 2)["values"], "problems": "=HYPERLINK(\"http://evil.example\",\"点我\")"}}
    imp(cons, [mk.packet("SCJGJ", "2025Q4", {1: t1_ipb(8460, 9800, "145.83"), 11: evil})[0]], pkix, catalog)
    imp(cons, [mk.packet("KGJ", "2025Q4", {4: t4(["R000001", "R000002"], note="=1+2")})[0]], pkix, catalog)
    out = tmp_path / "汇总表.xlsx"
    result = consolidate_workbook(cons, catalog, "2025Q4", out, Signer(*pkix["keys"]["SCJGJ"]), today=dt.date(2026, 2, 1))
    return cons, out, result


def test_consolidated_workbook_verifies_and_carries_provenance(book, pkix, catalog):
    cons, out, result = book
    report = verify_packet(out, pkix["trust"], catalog)
    assert report.ok, report.problems
    assert report.kind == "consolidated" and report.signer == "SCJGJ"
    assert result.packets == 2 and "指标进度" in result.sheets and "报送情况" in result.sheets
    with zipfile.ZipFile(out) as z:
        payload = json.loads(z.read("packet/payload.json"))
        assert hashlib.sha256(z.read("packet/payload.json")).hexdigest() == result.payload_sha256
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert any(n.startswith("xl/charts/") for n in z.namelist())
    assert {s["unit"] for s in payload["sources"]} == {"SCJGJ", "KGJ"}
    wb = openpyxl.load_workbook(out)
    ws = wb[next(n for n in wb.sheetnames if n.startswith("任务04·"))]
    header = [c.value for c in ws[2]]
    assert header[:4] == ["单位", "数据包序号", "数据包指纹", "原行号"]
    kgj = cons.packets(unit="KGJ")[0]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert rows[1][0] == "区科工局" and rows[1][1] == kgj.seq and rows[1][2] == kgj.sha256[:16]
    values = wb[next(n for n in wb.sheetnames if n.startswith("任务04 "))]
    texts = [c for r in values.iter_rows(min_row=3) for c in r if c.value == "=1+2"]
    assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)
    cover = wb["封面"]
    assert any(c.value == kgj.sha256 for r in cover.iter_rows() for c in r)
    assert cons.outputs()[0]["sha256"] == result.payload_sha256


def _retouch(src: Path, dst: Path, member_prefix: str, old: bytes, new: bytes) -> None:
    done = False
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if not done and info.filename.startswith(member_prefix) and old in data:
                data = data.replace(old, new, 1)
                done = True
            zout.writestr(info, data)
    assert done


@pytest.mark.parametrize("part,old,new,code", [
    ("xl/worksheets/", b"R000001", b"R000007", "cell_mismatch"),  # a merged ledger row
    ("xl/worksheets/sheet3.xml", "已报送".encode(), "未报送".encode(), "cell_mismatch"),  # 报送情况 (rendered sheet)
    ("packet/payload.json", b'"seq":1', b'"seq":2', "bad_signature"),
])
def test_tampered_consolidated_workbook_is_caught(book, pkix, catalog, tmp_path, part, old, new, code):
    _, out, _ = book
    bad = tmp_path / "改.xlsx"
    with zipfile.ZipFile(out) as z:
        if not any(old in z.read(n) for n in z.namelist() if n.startswith(part)):
            pytest.fail(f"fixture text {old!r} not in {part}")
    _retouch(out, bad, part, old, new)
    report = verify_packet(bad, pkix["trust"], catalog)
    assert not report.ok
    if code:
        assert code in report.codes


# ---- hostile input -----------------------------------------------------------------------------
@pytest.mark.slow
def test_importing_the_hostile_corpus_quarantines_every_bad_file(tmp_path, catalog):
    """The packets corpus (tampered, forged, zip/XML bombs, a million-row sheet …) through import_paths:
    verify-before-parse keeps the process alive, every bad file is quarantined with its reason."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "assets"))
    import make_corpus as mc

    before = mc.cheap_kdf()
    try:
        world, files = mc.make_corpus(tmp_path / "corpus")
    finally:
        mc.restore_kdf(before)
    ipb = world.ipb
    cons = Consolidation.open(ipb)
    try:
        cases = {name: path for name, path in files.items() if path.exists()}
        out = {o.path: o for o in import_paths(cons, list(cases.values()), TrustStore.load(ipb), catalog,
                                                 clock=lambda: "2025-07-10T02:00:00Z")}
        for name, path in cases.items():
            o = out[path]
            if mc.CASES.get(name) is not None:
                assert o.outcome == "rejected", (name, o)
                assert o.quarantine_path is not None and o.quarantine_path.exists(), name
                assert o.reason
            else:
                assert o.outcome in ("accepted", "duplicate", "supersedes", "stale", "fork"), (name, o)
        kept = {o.quarantine_path for o in out.values() if o.outcome in ("rejected", "fork")}
        assert {q.path for q in cons.quarantine()} == kept and len(kept) >= 20
    finally:
        cons.close()


# ---- the command line --------------------------------------------------------------------------
def test_cli_import_status_indicators_quarantine_json(env, pkix, catalog, capsys):
    from yanta_desktop.cli import main
    from yanta_desktop.packets.trust import import_root

    cons, mk, folder = env
    dd = str(cons.data_dir)
    import_root(cons.data_dir, pki.cert_pem(pkix["root"]))
    mk.packet("GAFJ", "2025Q4", {11: t11(10, 9)})
    (folder / "坏.xlsx").write_bytes(b"junk")
    assert main(["--data-dir", dd, "import", str(folder), "--json"]) == 1  # a rejected file → exit 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"] == {"accepted": 1, "rejected": 1}
    assert {o["outcome"] for o in doc["outcomes"]} == {"accepted", "rejected"}
    assert main(["--data-dir", dd, "import", str(folder / "GAFJ_2025Q4_0001.xlsx")]) == 0
    assert "重复" in capsys.readouterr().out
    assert main(["--data-dir", dd, "status", "--period", "2025Q4", "--today", "2026-02-01", "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    gafj = next(u for u in st["units"] if u["code"] == "GAFJ")
    # received now (the real clock), long after the 2026-01-15 due date: late, by the IP bureau's receipt time
    assert gafj["cells"]["11"]["state"] == "late" and st["counts"]["missing"] > 0
    assert main(["--data-dir", dd, "indicators", "--period", "2025Q4", "--json"]) == 0
    ind = {i["key"]: i for i in json.loads(capsys.readouterr().out)["indicators"]}
    assert ind["case_closure_rate"]["value"] == "90.0" and ind["case_closure_rate"]["sources"] == 3
    assert main(["--data-dir", dd, "quarantine", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert len(items) == 1 and "zip" in items[0]["reason"]


def test_parallel_verify_gives_the_same_outcomes_in_order(env, pkix, catalog):
    cons, mk, folder = env
    for i, unit in enumerate(["KGJ", "FY", "JCY", "GAFJ", "SWJ", "SCJGJ"] * 2):
        mk.packet(unit, "2025Q4" if i < 6 else "2025Q3", {16: {"values": {"status": "推进中"}}})
    (folder / "zz-坏.xlsx").write_bytes(b"PK\x03\x04 not really")
    out = imp(cons, [folder], pkix, catalog, workers=2)
    assert [o.path.name for o in out] == sorted(p.name for p in folder.iterdir())
    assert sorted(o.outcome for o in out) == ["accepted"] * 12 + ["rejected"]
    assert cons.counts()["current"] == 12
