"""Schema versions and migrations of ``yanta.db``.

``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[i]`` takes a database from version
``i`` to ``i + 1``; each runs in its own ``BEGIN IMMEDIATE`` transaction together with the
``user_version`` bump, so a crash leaves the database at a whole version. Before migrating a
database that already has data, the store copies it into ``backups/`` with the SQLite backup API.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

# v1: settings, entries, revisions, audit, evidence (the first release).
V1 = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE entries (
        id TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        task INTEGER NOT NULL,
        period TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        form_sha256 TEXT NOT NULL,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finalised_at TEXT,
        UNIQUE (unit, task, period)
    )""",
    """CREATE TABLE revisions (
        entry_id TEXT NOT NULL REFERENCES entries(id),
        number INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
        data TEXT NOT NULL,
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        form_sha256 TEXT NOT NULL,
        user TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (entry_id, number)
    )""",
    """CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    """CREATE TABLE evidence (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL
    )""",
    # Append-only by construction: the program never updates or deletes these rows. The triggers
    # catch bugs; someone editing the file can drop them, which is what the hash chain is for.
    """CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END""",
    """CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END""",
    """CREATE TRIGGER revisions_keep_u BEFORE UPDATE ON revisions
       BEGIN SELECT RAISE(ABORT, '历史版本不能修改'); END""",
    """CREATE TRIGGER revisions_keep_d BEFORE DELETE ON revisions
       BEGIN SELECT RAISE(ABORT, '历史版本不能删除'); END""",
]

# v2: export records for the packet state machine; entries remember the export that took them.
V2 = [
    "ALTER TABLE entries ADD COLUMN exported_seq INTEGER",
    """CREATE TABLE exports (
        seq INTEGER PRIMARY KEY,
        unit TEXT NOT NULL,
        period TEXT NOT NULL,
        payload BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        prev_sha256 TEXT NOT NULL,
        content_key TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('pending', 'written')),
        path TEXT,
        created_at TEXT NOT NULL,
        written_at TEXT
    )""",
    "CREATE INDEX exports_unit_period ON exports (unit, period)",
    """CREATE TRIGGER exports_content_fixed BEFORE UPDATE OF seq, unit, period, payload, sha256, prev_sha256,
       content_key ON exports BEGIN SELECT RAISE(ABORT, '已分配的导出序号不能改变内容'); END""",
    """CREATE TRIGGER exports_keep_d BEFORE DELETE ON exports
       BEGIN SELECT RAISE(ABORT, '导出记录不能删除'); END""",
]


def _script(statements: list[str]) -> Callable[[sqlite_utils.Database], None]:
    def run(db: sqlite_utils.Database) -> None:
        for sql in statements:
            db.execute(sql)

    return run


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_script(V1), _script(V2)]
SCHEMA_VERSION = len(MIGRATIONS)
