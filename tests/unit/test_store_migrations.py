"""Schema migrations: a real v1 database (as the first release wrote it) is backed up, then migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from yanta_desktop import canonical
from yanta_desktop.store import SCHEMA_VERSION, Store
from yanta_desktop.store import schema as schema_mod
from yanta_desktop.store import store as store_mod
from yanta_desktop.store.store import audit_hash

from .test_store import load_task01, valid_task01

ENTRY_ID = "0b9a4bb6-1c83-4b8e-9d0c-4cf0d1e2a001"


def make_v1(path: Path) -> None:
    """Write a v1 database by hand: v1 DDL, one entry with a revision, a valid two-row audit chain."""
    form = load_task01()[0]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN")
    for sql in schema_mod.V1:
        conn.execute(sql)
    data = {"values": {"invention_grants": 7, "filled_by": "张三"}, "tables": {}, "evidence": []}
    at = "2025-07-01T08:00:00Z"
    conn.execute(
        "INSERT INTO entries VALUES (?, 'KGJ', 1, '2025Q2', 'draft', ?, ?, ?, 1, ?, ?, NULL)",
        (ENTRY_ID, form.id, form.version, form.sha256, at, at),
    )
    conn.execute(
        "INSERT INTO revisions VALUES (?, 1, 'draft', ?, ?, ?, ?, '张三', ?, '')",
        (ENTRY_ID, canonical.dumps(data).decode(), form.id, form.version, form.sha256, at),
    )
    prev = ""
    for seq, (action, target, detail) in enumerate(
        [("set_unit", "setting:unit", {"new": {"code": "KGJ", "name": "区科工局"}}),
         ("create_entry", ENTRY_ID, {"revision": 1})],
        start=1,
    ):
        row = {"seq": seq, "at": at, "user": "张三", "action": action, "target": target, "detail": detail, "prev_hash": prev}
        digest = audit_hash(row)
        conn.execute(
            "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, "张三", action, target, canonical.dumps(detail).decode(), prev, digest),
        )
        prev = digest
    conn.execute("INSERT INTO settings VALUES ('unit', '{\"code\": \"KGJ\", \"name\": \"区科工局\"}')")
    conn.execute("INSERT INTO settings VALUES ('_audit_head', ?)", (f'{{"seq": 2, "sha256": "{prev}"}}',))
    conn.execute("PRAGMA user_version=1")
    conn.execute("COMMIT")
    conn.close()


def test_v1_database_is_backed_up_and_migrated(data_dir: Path):
    assert SCHEMA_VERSION == 2
    make_v1(data_dir / "yanta.db")
    with Store.open(data_dir) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.unit == "KGJ"
        e = s.get_entry(ENTRY_ID)
        assert e.exported_seq is None and e.data["values"]["invention_grants"] == 7
        assert s.verify_audit().ok
        # the v2 parts work on the migrated file
        s.save_draft("KGJ", 1, "2025Q2", valid_task01(), load_task01()[0])
        rec = s.allocate_export("KGJ", "2025Q2", lambda seq, prev: b"payload-%d" % seq)
        assert rec.seq == 1
        s.mark_exported([ENTRY_ID], rec.seq)
        assert s.verify_audit().ok and s.integrity_check() == []

    backups = sorted((data_dir / "backups").glob("yanta-*-v1.db"))
    assert len(backups) == 1
    b = sqlite3.connect(backups[0])
    assert b.execute("PRAGMA user_version").fetchone()[0] == 1
    assert b.execute("SELECT id FROM entries").fetchall() == [(ENTRY_ID,)]
    assert b.execute("SELECT count(*) FROM audit").fetchone()[0] == 2
    assert b.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not b.execute("SELECT name FROM sqlite_master WHERE name = 'exports'").fetchall()
    b.close()

    # opening again: nothing to migrate, no second backup
    Store.open(data_dir).close()
    assert len(list((data_dir / "backups").glob("*.db"))) == 1


def test_failed_migration_leaves_v1_intact(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    make_v1(data_dir / "yanta.db")

    def broken(db) -> None:
        db.execute("ALTER TABLE entries ADD COLUMN exported_seq INTEGER")
        raise RuntimeError("simulated failure halfway through a migration")

    monkeypatch.setattr(store_mod, "MIGRATIONS", [schema_mod.MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        Store.open(data_dir)
    conn = sqlite3.connect(data_dir / "yanta.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    cols = [r[1] for r in conn.execute("PRAGMA table_info(entries)")]
    assert "exported_seq" not in cols
    conn.close()
    assert len(list((data_dir / "backups").glob("yanta-*-v1.db"))) == 1

    monkeypatch.undo()
    with Store.open(data_dir) as s:  # the real migration then succeeds
        assert s.schema_version == SCHEMA_VERSION
        assert s.get_entry(ENTRY_ID).revision == 1


def test_fresh_database_needs_no_backup(data_dir: Path):
    Store.open(data_dir).close()
    assert not (data_dir / "backups").exists() or not list((data_dir / "backups").iterdir())
