"""The audit log's hash chain catches rows edited, deleted or cut off in the SQLite file itself."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from yanta_desktop.store import Store
from yanta_desktop.store.store import audit_hash

from .test_store import load_task01, valid_task01


@pytest.fixture
def filled(data_dir: Path) -> Path:
    """A store with a unit, a few saves and some packet-side audit rows (about 8 rows)."""
    form = load_task01()[0]
    with Store.open(data_dir, user="张三") as s:
        s.set_unit("SCJGJ", "区市场监管局（区知识产权局）")
        for hv in (100, 120, 130):
            s.save_draft("SCJGJ", 1, "2025Q2", valid_task01(high_value=hv), form)
        s.audit("packet_import", "packet:abc", {"seq": 3, "unit": "KGJ"})
        s.save_draft("SCJGJ", 1, "2025Q3", valid_task01(), form)
        report = s.verify_audit()
        assert report.ok and report.rows == 6 and report.problems == []
        assert (report.head_seq, report.head_sha256) == s.audit_head()
    return data_dir


def tamper(data_dir: Path, *sql: str) -> None:
    """Edit the database file directly, as someone with a SQLite editor would."""
    conn = sqlite3.connect(data_dir / "yanta.db", isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_append_only_u")
    conn.execute("DROP TRIGGER IF EXISTS audit_append_only_d")
    for statement in sql:
        conn.execute(statement)
    conn.close()


def verify(data_dir: Path):
    with Store.open(data_dir) as s:
        return s.verify_audit()


def test_program_cannot_update_or_delete_audit_rows(filled: Path):
    with Store.open(filled) as s:
        with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
            s.conn.execute("UPDATE audit SET user = 'x' WHERE seq = 1")
        with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
            s.conn.execute("DELETE FROM audit WHERE seq = 1")


def test_edited_row_is_detected(filled: Path):
    tamper(filled, "UPDATE audit SET user = '李四' WHERE seq = 3")
    report = verify(filled)
    assert not report.ok
    assert any("第 3 条" in p and "被修改" in p for p in report.problems)


def test_edited_detail_is_detected(filled: Path):
    conn = sqlite3.connect(filled / "yanta.db")
    detail = json.loads(conn.execute("SELECT detail FROM audit WHERE seq = 4").fetchone()[0])
    conn.close()
    detail["changes"]["values"]["high_value_invention_patents"]["new"] = 999
    tamper(filled, f"UPDATE audit SET detail = '{json.dumps(detail, ensure_ascii=False)}' WHERE seq = 4")
    report = verify(filled)
    assert [p for p in report.problems if "第 4 条" in p]


def test_edited_row_with_recomputed_hash_breaks_the_next_link(filled: Path):
    conn = sqlite3.connect(filled / "yanta.db")
    cols = ["seq", "at", "user", "action", "target", "detail", "prev_hash", "hash"]
    row = dict(zip(cols, conn.execute(f"SELECT {', '.join(cols)} FROM audit WHERE seq = 2").fetchone(), strict=True))
    conn.close()
    row["user"] = "李四"
    forged = audit_hash({**row, "detail": json.loads(row["detail"])})
    tamper(filled, f"UPDATE audit SET user = '李四', hash = '{forged}' WHERE seq = 2")
    report = verify(filled)
    assert not report.ok
    assert any("第 3 条" in p and "哈希链接" in p for p in report.problems)


def test_deleted_row_is_detected(filled: Path):
    tamper(filled, "DELETE FROM audit WHERE seq = 3")
    report = verify(filled)
    assert not report.ok and report.rows == 5
    assert any("第 3 条缺失" in p for p in report.problems)
    assert any("第 4 条" in p and "哈希链接" in p for p in report.problems)


def test_deleted_first_row_is_detected(filled: Path):
    tamper(filled, "DELETE FROM audit WHERE seq = 1")
    assert not verify(filled).ok


def test_truncated_tail_is_detected(filled: Path):
    tamper(filled, "DELETE FROM audit WHERE seq >= 5")
    report = verify(filled)
    assert not report.ok
    assert any("末尾记录缺失" in p for p in report.problems)


def test_replaced_last_row_is_detected(filled: Path):
    tamper(filled, "UPDATE audit SET action = 'x' WHERE seq = 6")
    assert not verify(filled).ok


def test_missing_head_is_detected(filled: Path):
    tamper(filled, "DELETE FROM settings WHERE key = '_audit_head'")
    report = verify(filled)
    assert any("链头" in p for p in report.problems)


def test_writes_after_tampering_do_not_hide_it(filled: Path):
    tamper(filled, "DELETE FROM audit WHERE seq = 6")
    with Store.open(filled) as s:
        s.audit("note", "x", {"n": 1})
        report = s.verify_audit()
    assert not report.ok  # the new row does not re-use seq 6 over the gap
