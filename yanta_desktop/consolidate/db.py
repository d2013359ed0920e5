"""The consolidation database ``<data_dir>/consolidation.db`` (stdlib sqlite3, WAL, bulk executemany).

Tables
------
``packets``     one row per distinct signed payload seen (any status), with the raw payload (zlib)
``imports``     one row per file per import attempt (the import log; also mirrored to the audit log)
``entries``     one row per entry of a stored packet
``field_values`` one row per (packet, task, field) value, JSON-encoded
``records``     one row per record-table row (JSON), with its packet/unit/task/table/row provenance
``quarantine``  one row per quarantined file

Only packets with ``status = 'current'`` (the latest accepted per unit+period) feed the matrix, the
indicators and the workbook; the others stay for the ledger and 版本比对.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from pathlib import Path

from .. import paths
from .model import PacketInfo, QuarantineItem

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS packets (
    sha256 TEXT PRIMARY KEY,
    unit TEXT NOT NULL, unit_name TEXT NOT NULL, period TEXT NOT NULL,
    seq INTEGER NOT NULL, prev_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,               -- current | superseded | stale | fork
    created_at TEXT NOT NULL, received_at TEXT NOT NULL,
    signer_cert_sha256 TEXT NOT NULL, signer TEXT NOT NULL,
    file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL,
    entries INTEGER NOT NULL, records INTEGER NOT NULL, tasks TEXT NOT NULL,
    payload BLOB NOT NULL               -- zlib(canonical payload bytes)
);
CREATE INDEX IF NOT EXISTS packets_unit_period ON packets(unit, period, status);
CREATE INDEX IF NOT EXISTS packets_period_status ON packets(period, status);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, path TEXT NOT NULL, file_sha256 TEXT NOT NULL,
    outcome TEXT NOT NULL, unit TEXT, period TEXT, seq INTEGER, packet_sha256 TEXT, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    packet TEXT NOT NULL, unit TEXT NOT NULL, period TEXT NOT NULL, task INTEGER NOT NULL,
    entry_id TEXT NOT NULL, revision INTEGER NOT NULL, form_id TEXT NOT NULL, form_version INTEGER NOT NULL,
    finalised_at TEXT NOT NULL, evidence TEXT NOT NULL,
    PRIMARY KEY (packet, task)
);
CREATE TABLE IF NOT EXISTS field_values (
    packet TEXT NOT NULL, task INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (packet, task, field)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
    packet TEXT NOT NULL, task INTEGER NOT NULL, tbl TEXT NOT NULL, rowno INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (packet, task, tbl, rowno)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, original TEXT NOT NULL, stored TEXT NOT NULL,
    reason_file TEXT NOT NULL, reason TEXT NOT NULL, file_sha256 TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS quarantine_sha ON quarantine(file_sha256);
CREATE TABLE IF NOT EXISTS outputs (   -- signed consolidated workbooks, a chain like a unit's exports
    seq INTEGER PRIMARY KEY, period TEXT NOT NULL, sha256 TEXT NOT NULL, prev_sha256 TEXT NOT NULL,
    path TEXT NOT NULL, created_at TEXT NOT NULL, packets INTEGER NOT NULL, records INTEGER NOT NULL
);
"""


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Consolidation:
    """The IP bureau's consolidation database. Open with :meth:`open`; one per thread."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.path = paths.consolidation_database_path(data_dir)
        self.conn = conn

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path) -> Consolidation:
        """Open (creating/migrating) ``<data_dir>/consolidation.db``."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(paths.consolidation_database_path(data_dir), isolation_level=None, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.executescript(_SCHEMA)
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        return cls(data_dir, conn)

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self.conn.close()

    def __enter__(self) -> Consolidation:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- queries for the 汇总 view ----------------------------------------------------------
    def packets(self, unit: str | None = None, period: str | None = None, current_only: bool = False) -> list[PacketInfo]:
        """Ledger rows (no payload), newest receipt first."""
        sql = ("SELECT sha256, unit, unit_name, period, seq, prev_sha256, status, created_at, received_at, "
               "signer_cert_sha256, signer, file_name, entries, records, tasks FROM packets WHERE 1=1")
        args: list = []
        if unit:
            sql += " AND unit = ?"
            args.append(unit)
        if period:
            sql += " AND period = ?"
            args.append(period)
        if current_only:
            sql += " AND status = 'current'"
        sql += " ORDER BY received_at DESC, unit, seq DESC"
        return [
            PacketInfo(*row[:14], tasks=tuple(json.loads(row[14])))  # type: ignore[arg-type]
            for row in self.conn.execute(sql, args)
        ]

    def packet(self, sha256: str) -> PacketInfo | None:
        row = self.conn.execute(
            "SELECT sha256, unit, unit_name, period, seq, prev_sha256, status, created_at, received_at, "
            "signer_cert_sha256, signer, file_name, entries, records, tasks FROM packets WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return PacketInfo(*row[:14], tasks=tuple(json.loads(row[14]))) if row else None  # type: ignore[arg-type]

    def payload(self, sha256: str) -> dict | None:
        """The stored signed payload of a packet, parsed."""
        row = self.conn.execute("SELECT payload FROM packets WHERE sha256 = ?", (sha256,)).fetchone()
        return json.loads(zlib.decompress(row[0])) if row else None

    def periods(self) -> list[str]:
        """Periods with at least one current packet."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT period FROM packets WHERE status='current' ORDER BY period")]

    def quarantine(self) -> list[QuarantineItem]:
        """Every quarantined file with its reason, newest first."""
        return [
            QuarantineItem(Path(stored), Path(reason_file), original, reason, at, sha)
            for at, original, stored, reason_file, reason, sha in self.conn.execute(
                "SELECT at, original, stored, reason_file, reason, file_sha256 FROM quarantine ORDER BY id DESC"
            )
        ]

    def imports(self, limit: int = 1000) -> list[dict]:
        """The import log, newest first: {at, user, path, outcome, unit, period, seq, packet_sha256, reason}."""
        cols = ["at", "user", "path", "outcome", "unit", "period", "seq", "packet_sha256", "reason"]
        return [
            dict(zip(cols, row, strict=True))
            for row in self.conn.execute(
                f"SELECT {', '.join(cols)} FROM imports ORDER BY id DESC LIMIT ?", (limit,)
            )
        ]

    def outputs(self) -> list[dict]:
        """Signed consolidated workbooks written so far, newest first."""
        cols = ["seq", "period", "sha256", "prev_sha256", "path", "created_at", "packets", "records"]
        return [dict(zip(cols, r, strict=True)) for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM outputs ORDER BY seq DESC")]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in ("current", "superseded", "stale", "fork")}
        for status, n in self.conn.execute("SELECT status, count(*) FROM packets GROUP BY status"):
            out[status] = n
        out["records"] = self.conn.execute(
            "SELECT coalesce(sum(records), 0) FROM packets WHERE status='current'"
        ).fetchone()[0]
        out["quarantine"] = self.conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        return out
