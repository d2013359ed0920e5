"""The local store on real SQLite files: saves, revisions, finalise/reopen, evidence, exports."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from yanta_desktop import paths
from yanta_desktop.catalog import Catalog
from yanta_desktop.errors import EvidenceTooLarge, StoreError, ValidationFailed
from yanta_desktop.forms import FormSet
from yanta_desktop.forms.loader import load_common, load_form
from yanta_desktop.plan import load_plan
from yanta_desktop.store import SCHEMA_VERSION, EntryIsFinal, Store


def load_task01():
    folder = paths.forms_dir()
    common = load_common(folder / "common.yaml")
    return load_form(folder / "task01.yaml", common), common, folder


def task01_catalog() -> Catalog:
    """Plan + the task01 form only (the other forms are not needed here)."""
    form, common, folder = load_task01()
    return Catalog(load_plan(), FormSet({1: form}, common, folder))


def valid_task01(high_value: int = 300) -> dict:
    """A complete task01 entry for the IP bureau (SCJGJ) in a quarter."""
    return {
        "values": {
            "valid_invention_patents": "1,000",
            "high_value_invention_patents": high_value,
            "hv_overseas_family": 12,
            "resident_population": "130.5",
            "population_source": "区统计局2025年统计公报",
            "invention_grants": 42,
            "status": "推进中",
            "filled_by": "张三",
            "phone": "029-85212345",
            "filled_on": "2025-07-05",
        },
        "tables": {
            "entities": [
                {"name": "西安某某科技有限公司", "credit_code": "91610113MAQWD18Y6T", "kind": "企业", "field": "电力装备", "grants": 3}
            ]
        },
        "evidence": [],
    }


@pytest.fixture
def form():
    return load_task01()[0]


@pytest.fixture
def cat() -> Catalog:
    return task01_catalog()


@pytest.fixture
def store(data_dir: Path):
    with Store.open(data_dir, user="测试员") as s:
        yield s


def counts(store: Store) -> tuple[int, int, int, tuple[int, str]]:
    c = store.conn
    return (
        c.execute("SELECT count(*) FROM entries").fetchone()[0],
        c.execute("SELECT count(*) FROM revisions").fetchone()[0],
        c.execute("SELECT count(*) FROM audit").fetchone()[0],
        store.audit_head(),
    )


def audit_rows(store: Store, action: str) -> list[dict]:
    return [
        json.loads(r[0]) for r in store.conn.execute("SELECT detail FROM audit WHERE action = ? ORDER BY seq", (action,))
    ]


# ---- opening -----------------------------------------------------------------------------------
def test_open_creates_database_with_safe_pragmas(data_dir: Path, store: Store):
    assert (data_dir / "yanta.db").is_file()
    c = store.conn
    assert c.isolation_level is None
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert store.schema_version == SCHEMA_VERSION
    assert store.integrity_check() == []
    assert store.unit is None


def test_open_honours_yanta_data_dir(data_dir: Path):
    with Store.open() as s:  # YANTA_DATA_DIR is set by the data_dir fixture
        assert s.path == data_dir / "yanta.db"


def test_corrupt_file_gives_chinese_store_error(data_dir: Path):
    (data_dir / "yanta.db").write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StoreError) as err:
        Store.open(data_dir)
    assert "损坏" in str(err.value) and "yanta.db" in str(err.value)


def test_newer_schema_is_refused(data_dir: Path):
    conn = sqlite3.connect(data_dir / "yanta.db")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="升级"):
        Store.open(data_dir)


def test_settings_and_unit(store: Store):
    assert store.get_setting("contact", {"x": 1}) == {"x": 1}
    store.set_setting("contact", {"filled_by": "李四", "phone": "13800000000"})
    assert store.get_setting("contact")["filled_by"] == "李四"
    with pytest.raises(ValueError):
        store.set_setting("_audit_head", 1)
    store.set_unit("KGJ", "区科工局")
    assert (store.unit, store.unit_name) == ("KGJ", "区科工局")
    store.set_unit("SCJGJ", "区市场监管局（区知识产权局）")
    detail = audit_rows(store, "set_unit")[-1]
    assert detail["old"]["code"] == "KGJ" and detail["new"]["code"] == "SCJGJ"
    assert store.verify_audit().ok


# ---- saving ------------------------------------------------------------------------------------
def test_save_draft_normalises_and_keeps_every_revision(store: Store, form):
    e1 = store.save_draft("SCJGJ", 1, "2025q2", valid_task01(), form)
    assert (e1.status, e1.revision, e1.period, e1.task) == ("draft", 1, "2025Q2", 1)
    assert (e1.form_id, e1.form_version, e1.form_sha256) == (form.id, form.version, form.sha256)
    assert e1.data["values"]["valid_invention_patents"] == 1000  # "1,000" → int
    assert e1.data["values"]["resident_population"] == "130.50"  # decimal → text with 2 places
    assert len(e1.id) == 36

    changed = valid_task01(high_value=280)
    e2 = store.save_draft("SCJGJ", 1, "2025Q2", changed, form)
    assert e2.id == e1.id and e2.revision == 2 and e2.created_at == e1.created_at
    revs = store.revisions(e1.id)
    assert [r.number for r in revs] == [1, 2]
    assert revs[0].data["values"]["high_value_invention_patents"] == 300  # old revision kept as it was
    assert revs[1].data["values"]["high_value_invention_patents"] == 280
    assert {r.user for r in revs} == {"测试员"}

    # the audit row says what changed, old → new
    detail = audit_rows(store, "save_draft")[-1]
    assert detail["changes"]["values"] == {"high_value_invention_patents": {"old": 300, "new": 280}}
    assert detail["revision"] == 2

    # saving the same data again adds nothing
    before = counts(store)
    assert store.save_draft("SCJGJ", 1, "2025Q2", changed, form).revision == 2
    assert counts(store) == before


def test_audit_detail_summarises_tables_by_row_counts(store: Store, form):
    data = valid_task01()
    store.save_draft("SCJGJ", 1, "2025Q2", data, form)
    data["tables"]["entities"].append(
        {"name": "西安另一家公司", "credit_code": "91610113MAQWD18Y6T", "kind": "高校", "field": "生物药"}
    )
    del data["values"]["hv_overseas_family"]
    store.save_draft("SCJGJ", 1, "2025Q2", data, form)
    changes = audit_rows(store, "save_draft")[-1]["changes"]
    assert changes["tables"]["entities"]["old_rows"] == 1 and changes["tables"]["entities"]["new_rows"] == 2
    assert changes["values"] == {"hv_overseas_family": {"old": 12}}


def test_type_errors_refuse_the_save_and_change_nothing(store: Store, form):
    store.save_draft("SCJGJ", 1, "2025Q2", valid_task01(), form)
    before = counts(store)
    bad = valid_task01()
    bad["values"]["valid_invention_patents"] = "很多"
    bad["values"]["no_such_field"] = 1
    with pytest.raises(ValidationFailed) as err:
        store.save_draft("SCJGJ", 1, "2025Q2", bad, form)
    wheres = [i.where for i in err.value.issues]
    assert "有效发明专利拥有量" in wheres and "no_such_field" in wheres
    assert "应为整数" in str(err.value)
    assert counts(store) == before
    assert store.find_entry("SCJGJ", 1, "2025Q2").revision == 1
    # malformed evidence items are refused too
    bad = valid_task01()
    bad["evidence"] = [{"sha256": "xyz", "name": "a.pdf"}]
    with pytest.raises(ValidationFailed, match="sha256"):
        store.save_draft("SCJGJ", 1, "2025Q2", bad, form)
    assert counts(store) == before


def test_finalise_reopen_cycle(store: Store, form, cat):
    e = store.save_draft("SCJGJ", 1, "2025Q2", valid_task01(), form)
    f = store.finalise(e.id, cat)
    assert (f.status, f.revision) == ("final", 2) and f.finalised_at
    assert f.status_label == "已定稿"
    assert store.revisions(e.id)[-1].status == "final"

    before = counts(store)
    with pytest.raises(EntryIsFinal, match="退回"):
        store.save_draft("SCJGJ", 1, "2025Q2", valid_task01(high_value=1), form)
    assert counts(store) == before

    with pytest.raises(StoreError, match="原因"):
        store.reopen(e.id, "   ")
    r = store.reopen(e.id, "人口数据更新")
    assert (r.status, r.revision, r.finalised_at) == ("draft", 3, None)
    assert store.revisions(e.id)[-1].note == "退回：人口数据更新"
    detail = audit_rows(store, "reopen")[-1]
    assert detail["reason"] == "人口数据更新" and detail["status"] == {"old": "final", "new": "draft"}
    with pytest.raises(StoreError, match="草稿"):
        store.reopen(e.id, "again")

    assert store.save_draft("SCJGJ", 1, "2025Q2", valid_task01(high_value=250), form).revision == 4
    assert store.verify_audit().ok


def test_finalise_blocks_on_hard_errors(store: Store, form, cat):
    data = valid_task01()
    del data["values"]["filled_by"]
    data["values"]["high_value_invention_patents"] = 5000  # > valid_invention_patents
    e = store.save_draft("SCJGJ", 1, "2025Q2", data, form)  # drafts may be incomplete
    before = counts(store)
    with pytest.raises(ValidationFailed) as err:
        store.finalise(e.id, cat)
    messages = [f"{i.where}: {i.message}" for i in err.value.issues]
    assert any("填报人" in m for m in messages)
    assert any("高价值发明专利拥有量不能大于" in m for m in messages)
    assert all(i.is_error for i in err.value.issues)
    assert counts(store) == before
    assert store.get_entry(e.id).status == "draft"


def test_save_final_refused_leaves_nothing(store: Store, form, cat):
    before = counts(store)
    data = valid_task01()
    del data["values"]["phone"]
    with pytest.raises(ValidationFailed, match="联系电话"):
        store.save_final("SCJGJ", 1, "2025Q2", data, form, cat)
    assert counts(store) == before
    assert store.find_entry("SCJGJ", 1, "2025Q2") is None
    ok = store.save_final("SCJGJ", 1, "2025Q2", valid_task01(), form, cat)
    assert ok.status == "final" and len(store.revisions(ok.id)) == 2
    # the same final content again is a no-op; different content needs a reopen first
    before = counts(store)
    assert store.save_final("SCJGJ", 1, "2025Q2", valid_task01(), form, cat) == ok
    assert counts(store) == before
    with pytest.raises(EntryIsFinal, match=ok.id[:8]):
        store.save_final("SCJGJ", 1, "2025Q2", valid_task01(high_value=1), form, cat)
    assert counts(store) == before


def test_warnings_do_not_block_and_previous_period_is_used(store: Store, form, cat):
    store.save_final("SCJGJ", 1, "2025Q1", valid_task01(high_value=20), form, cat)
    assert store.previous_data("SCJGJ", 1, "2025Q2")["values"]["high_value_invention_patents"] == 20
    assert store.previous_data("SCJGJ", 1, "2025Q1") is None
    f = store.save_final("SCJGJ", 1, "2025Q2", valid_task01(high_value=900), form, cat)  # 45× last quarter
    assert f.status == "final"
    warnings = audit_rows(store, "finalise")[-1]["warnings"]
    assert any("10倍" in w for w in warnings)


def test_finalise_drops_values_hidden_for_the_unit(store: Store, form, cat):
    # KGJ does not see the IP bureau's indicator block: its values are not part of the final entry
    data = valid_task01()
    e = store.save_final("KGJ", 1, "2025Q2", data, form, cat)
    assert "valid_invention_patents" not in e.data["values"]
    assert e.data["values"]["invention_grants"] == 42
    assert "hidden_removed" in audit_rows(store, "finalise")[-1]
    # the draft revision still has what was typed
    assert store.revisions(e.id)[0].data["values"]["valid_invention_patents"] == 1000
    assert store.save_final("KGJ", 1, "2025Q2", data, form, cat).revision == e.revision  # same again: no-op


def test_list_and_find(store: Store, form, cat):
    store.save_draft("SCJGJ", 1, "2025Q1", valid_task01(), form)
    store.save_final("SCJGJ", 1, "2025Q2", valid_task01(), form, cat)
    assert [e.period for e in store.list_entries()] == ["2025Q1", "2025Q2"]
    assert [e.period for e in store.list_entries(status="final")] == ["2025Q2"]
    assert store.list_entries(period="2025Q3") == []
    assert store.find_entry("SCJGJ", 1, "2024Q4") is None
    e = store.find_entry("SCJGJ", 1, "2025Q1")
    assert store.resolve_entry_id(e.id[:8]) == e.id
    with pytest.raises(StoreError):
        store.get_entry("nope")


def test_unique_entry_per_unit_task_period(store: Store, form):
    a = store.save_draft("SCJGJ", 1, "2025Q2", valid_task01(), form)
    b = store.save_draft("SCJGJ", 1, "2025Q2", valid_task01(7), form)
    c = store.save_draft("KGJ", 1, "2025Q2", valid_task01(7), form)
    assert a.id == b.id != c.id
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO entries (id, unit, task, period, status, form_id, form_version, form_sha256, revision, "
            "created_at, updated_at) VALUES ('x', 'SCJGJ', 1, '2025Q2', 'draft', 'task01', 1, '', 1, '', '')"
        )


def test_survives_reopen_of_the_file(data_dir: Path, form, cat):
    with Store.open(data_dir) as s:
        e = s.save_final("SCJGJ", 1, "2025Q2", valid_task01(), form, cat)
    with Store.open(data_dir) as s:
        again = s.get_entry(e.id)
        assert again == e
        assert s.verify_audit().ok


# ---- evidence ----------------------------------------------------------------------------------
def test_evidence_is_deduplicated_by_sha256(store: Store, tmp_path: Path):
    a = tmp_path / "会议纪要.pdf"
    a.write_bytes(b"%PDF-1.4 minutes" * 100)
    b = tmp_path / "copy.pdf"
    b.write_bytes(a.read_bytes())
    ra = store.add_evidence(a)
    rb = store.add_evidence(b)
    assert ra.sha256 == rb.sha256 and ra.size == 1600
    assert (ra.name, rb.name) == ("会议纪要.pdf", "copy.pdf")
    path = store.evidence_path(ra.sha256)
    assert path.read_bytes() == a.read_bytes()
    assert path.parent.name == ra.sha256[:2]
    files = [p for p in (store.data_dir / "evidence").rglob("*") if p.is_file()]
    assert files == [path]  # one copy, no temp files left
    assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1
    assert len(audit_rows(store, "add_evidence")) == 1


def test_evidence_size_limit(store: Store, tmp_path: Path):
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(EvidenceTooLarge) as err:
        store.add_evidence(big, max_bytes=1024)
    text = str(err.value)
    assert "扫描件.pdf" in text and "超过上限" in text and "1024" in text
    assert not (store.data_dir / "evidence").exists() or not any((store.data_dir / "evidence").rglob("*.*"))
    assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    with pytest.raises(StoreError, match="无法读取"):
        store.add_evidence(tmp_path / "missing.pdf")


def test_finalise_requires_evidence_to_be_in_the_store(store: Store, form, cat, tmp_path: Path):
    data = valid_task01()
    data["evidence"] = [{"sha256": "ab" * 32, "name": "外来.pdf", "size": 3}]
    e = store.save_draft("SCJGJ", 1, "2025Q2", data, form)
    with pytest.raises(ValidationFailed, match=r"外来\.pdf"):
        store.finalise(e.id, cat)
    doc = tmp_path / "纪要.pdf"
    doc.write_bytes(b"real")
    ref = store.add_evidence(doc)
    data["evidence"] = [ref.as_item(kind="会议纪要")]
    e = store.save_draft("SCJGJ", 1, "2025Q2", data, form)
    f = store.finalise(e.id, cat)
    assert f.data["evidence"] == [{"sha256": ref.sha256, "name": "纪要.pdf", "size": 4, "kind": "会议纪要", "note": ""}]


# ---- exports -----------------------------------------------------------------------------------
def _builder(tag: str):
    def build(seq: int, prev: str) -> bytes:
        return json.dumps({"tag": tag, "seq": seq, "prev": prev}).encode()

    return build


def test_allocate_export_chains_and_is_atomic(store: Store, form, cat):
    r1 = store.allocate_export("SCJGJ", "2025Q2", _builder("a"))
    assert (r1.seq, r1.prev_sha256, r1.state) == (1, "", "pending")
    assert json.loads(r1.payload) == {"tag": "a", "seq": 1, "prev": ""}
    r2 = store.allocate_export("SCJGJ", "2025Q3", _builder("b"))
    assert (r2.seq, r2.prev_sha256) == (2, r1.sha256)

    before = counts(store)

    def boom(seq: int, prev: str) -> bytes:
        raise RuntimeError("signing failed")

    with pytest.raises(RuntimeError):
        store.allocate_export("SCJGJ", "2025Q4", boom)
    assert counts(store) == before and len(store.exports()) == 2

    assert [r.seq for r in store.pending_exports()] == [1, 2]
    store.mark_export_written(1, "/tmp/a.xlsx")
    assert [r.seq for r in store.pending_exports()] == [2]
    assert store.exports()[0].path == "/tmp/a.xlsx" and store.exports()[0].state == "written"

    # the stored content of a seq cannot change, and a seq cannot be inserted twice
    with pytest.raises(sqlite3.DatabaseError, match="导出序号"):
        store.conn.execute("UPDATE exports SET payload = x'00' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO exports (seq, unit, period, payload, sha256, prev_sha256, state, created_at) "
            "VALUES (2, 'SCJGJ', '2025Q2', x'01', '', '', 'pending', '')"
        )

    # a content key re-materialises the same record instead of a new seq
    k1 = store.allocate_export("SCJGJ", "2026Q1", _builder("c"), content_key="k")
    k2 = store.allocate_export("SCJGJ", "2026Q1", _builder("different"), content_key="k")
    assert k1 == k2 and k1.seq == 3

    # entries remember the export that took them; reopening clears it
    e = store.save_final("SCJGJ", 1, "2025Q2", valid_task01(), form, cat)
    store.mark_exported([e.id], 2)
    assert store.get_entry(e.id).status_label == "已导出"
    assert store.reopen(e.id, "补充材料").exported_seq is None
    assert store.verify_audit().ok


def test_export_seq_never_reused_even_if_the_last_row_vanishes(data_dir: Path):
    with Store.open(data_dir) as s:
        s.allocate_export("SCJGJ", "2025Q2", _builder("a"))
        last = s.allocate_export("SCJGJ", "2025Q2", _builder("b"))
    conn = sqlite3.connect(data_dir / "yanta.db")  # someone deletes the last export row by hand
    conn.execute("DROP TRIGGER exports_keep_d")
    conn.execute("DELETE FROM exports WHERE seq = ?", (last.seq,))
    conn.commit()
    conn.close()
    with Store.open(data_dir) as s:
        again = s.allocate_export("SCJGJ", "2025Q2", _builder("c"))
    assert again.seq == last.seq + 1


def test_concurrent_allocations_get_distinct_chained_seqs(data_dir: Path):
    Store.open(data_dir).close()
    errors: list[BaseException] = []

    def worker(tag: str) -> None:
        try:
            with Store.open(data_dir) as s:  # one Store per thread
                for _ in range(15):
                    s.allocate_export("SCJGJ", "2025Q2", _builder(tag))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store.open(data_dir) as s:
        recs = s.exports()
        assert [r.seq for r in recs] == list(range(1, 31))
        for prev, cur in itertools.pairwise(recs):
            assert cur.prev_sha256 == prev.sha256
            assert json.loads(cur.payload)["seq"] == cur.seq
        assert s.verify_audit().ok


def test_stale_temp_files_are_cleaned_on_open_fresh_ones_kept(data_dir: Path):
    Store.open(data_dir).close()
    folder = data_dir / "evidence" / "ab"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".tmp-old.part", folder / ".tmp-new.part"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    Store.open(data_dir).close()
    assert not stale.exists() and fresh.exists()  # another process may still be writing the fresh one


def test_failed_evidence_write_leaves_no_trace(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import yanta_desktop.store.store as store_mod

    doc = tmp_path / "纪要.pdf"
    doc.write_bytes(b"minutes")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_mod.os, "replace", broken_replace)
    with pytest.raises(StoreError, match="无法保存佐证材料"):
        store.add_evidence(doc)
    monkeypatch.undo()
    assert [p for p in (store.data_dir / "evidence").rglob("*") if p.is_file()] == []
    assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert store.add_evidence(doc).size == 7  # and it works once the disk is fine again


def test_locked_database_gives_a_clear_error(data_dir: Path, form, monkeypatch: pytest.MonkeyPatch):
    import yanta_desktop.store.store as store_mod

    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 100)
    with Store.open(data_dir) as s:
        other = sqlite3.connect(data_dir / "yanta.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            with pytest.raises(StoreError, match="占用"):
                s.save_draft("SCJGJ", 1, "2025Q2", valid_task01(), form)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert s.find_entry("SCJGJ", 1, "2025Q2") is None
        assert s.save_draft("SCJGJ", 1, "2025Q2", valid_task01(), form).revision == 1


def test_odd_text_cannot_break_the_audit_log(store: Store, form, cat, tmp_path: Path):
    store.set_setting("ui.scratch", {"text": "半个\uffff字符", "n": None, "x": 1.5})  # any JSON value
    assert store.get_setting("ui.scratch")["x"] == 1.5
    e = store.save_final("SCJGJ", 1, "2025Q2", valid_task01(), form, cat)
    assert store.reopen(e.id, "原因\x07带控制符").revision == 3
    weird = tmp_path / "scan\x1b.pdf"
    weird.write_bytes(b"x")
    assert store.add_evidence(weird).name == "scan.pdf"
    assert store.verify_audit().ok


def test_damaged_page_is_caught_on_open(data_dir: Path, form):
    with Store.open(data_dir) as s:
        for i in range(40):
            s.save_draft("SCJGJ", 1, f"2025Q{i % 4 + 1}", valid_task01(high_value=i), form)
    db = data_dir / "yanta.db"
    assert not (data_dir / "yanta.db-wal").exists() or (data_dir / "yanta.db-wal").stat().st_size == 0
    raw = bytearray(db.read_bytes())
    page = 4096
    assert len(raw) > 6 * page
    raw[3 * page : 3 * page + 200] = b"\xff" * 200  # a disk error in the middle of the file
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreError) as err:
        Store.open(data_dir)
    assert "backups" in str(err.value) and "yanta.db" in str(err.value)
