"""The crash-safe local store: one SQLite file per installation, ``<data_dir>/yanta.db``.

Every write is one explicit ``BEGIN IMMEDIATE … COMMIT`` transaction (rolled back on any
exception) that also appends hash-chained audit rows. The connection runs in WAL mode with
``synchronous=FULL``, so a save that returned is on disk and a process killed at any moment
leaves the database consistent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from .. import canonical, paths
from ..errors import EvidenceTooLarge, StoreError, ValidationFailed
from ..forms.validate import Issue, make_context, normalise, strip_hidden, validate
from ..plan.periods import PeriodError, parse_period
from ..plan.periods import previous as previous_period
from .model import AuditReport, Entry, EvidenceRef, ExportRecord, Revision
from .schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..forms import Form

DEFAULT_MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
BUSY_TIMEOUT_MS = 10_000
_SHA_RX = re.compile(r"^[0-9a-f]{64}$")
_HEAD_KEY = "_audit_head"  # {"seq": n, "sha256": hex}: lets verify see a truncated tail
_EXPORT_SEQ_KEY = "_exports_last_seq"  # never goes down, so a seq is never handed out twice
_TMP_PREFIX = ".tmp-"

__all__ = ["DEFAULT_MAX_EVIDENCE_BYTES", "SCHEMA_VERSION", "EntryIsFinal", "Store"]


class EntryIsFinal(StoreError):
    """该填报已定稿，不能再保存为草稿。请先退回（reopen）并说明原因。"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean_text(text: str) -> str:
    """NFC, trimmed, without characters the canonical JSON profile refuses (user, file names)."""
    return _ILLEGAL.sub("", unicodedata.normalize("NFC", text or "")).strip()


def _os_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:
        name = ""
    return _clean_text(name) or "unknown"


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _period_code(period: str) -> str:
    try:
        return parse_period(str(period)).code
    except PeriodError as exc:
        raise StoreError(str(exc)) from None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot fsync a directory; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _row_to_entry(row: Mapping[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        unit=row["unit"],
        task=row["task"],
        period=row["period"],
        status=row["status"],
        revision=row["revision"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        form_sha256=row["form_sha256"],
        data=json.loads(row["data"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finalised_at=row["finalised_at"],
        exported_seq=row["exported_seq"],
    )


def _row_to_export(row: Mapping[str, Any]) -> ExportRecord:
    return ExportRecord(
        seq=row["seq"],
        unit=row["unit"],
        period=row["period"],
        payload=bytes(row["payload"]),
        sha256=row["sha256"],
        prev_sha256=row["prev_sha256"],
        state=row["state"],
        path=row["path"],
        content_key=row["content_key"],
        created_at=row["created_at"],
        written_at=row["written_at"],
    )


def audit_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of an audit row (every column but ``hash``)."""
    record = {k: row[k] for k in ("seq", "at", "user", "action", "target", "detail", "prev_hash")}
    return _sha256_hex(canonical.dumps(record))


def diff_data(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """What a save changed, for the audit log: values old → new, tables by row counts, evidence."""
    old = old or {}
    out: dict[str, Any] = {}
    ov, nv = old.get("values") or {}, new.get("values") or {}
    values: dict[str, Any] = {}
    for key in sorted(set(ov) | set(nv)):
        if key in ov and key in nv and ov[key] == nv[key]:
            continue
        change: dict[str, Any] = {}
        if key in ov:
            change["old"] = ov[key]
        if key in nv:
            change["new"] = nv[key]
        values[key] = change
    if values:
        out["values"] = values
    ot, nt = old.get("tables") or {}, new.get("tables") or {}
    tables: dict[str, Any] = {}
    for key in sorted(set(ot) | set(nt)):
        orows, nrows = ot.get(key) or [], nt.get(key) or []
        if orows != nrows:
            changed = sum(1 for a, b in zip(orows, nrows, strict=False) if a != b)
            tables[key] = {"old_rows": len(orows), "new_rows": len(nrows), "changed_rows": changed}
    if tables:
        out["tables"] = tables
    oe = {e.get("sha256", ""): e.get("name", "") for e in old.get("evidence") or []}
    ne = {e.get("sha256", ""): e.get("name", "") for e in new.get("evidence") or []}
    added = sorted(ne[s] for s in ne.keys() - oe.keys())
    removed = sorted(oe[s] for s in oe.keys() - ne.keys())
    if added or removed:
        out["evidence"] = {"added": added, "removed": removed}
    return out


class Store:
    """The local database of one installation. One ``Store`` per thread."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection, user: str) -> None:
        self.data_dir = data_dir
        self.path = paths.database_path(data_dir)
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self.user = user
        self._depth = 0
        self._closed = False

    # ---- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path | str | None = None, user: str | None = None) -> Store:
        """Open (creating or migrating) ``<data_dir>/yanta.db``; ``data_dir`` defaults to ``paths.data_dir()``."""
        root = paths.data_dir(data_dir)
        db_path = paths.database_path(root)
        try:
            conn = sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"无法打开数据库：{exc}", where=str(db_path)) from None
        user = _clean_text(user) if user else _os_user()
        store = cls(root, conn, user or "unknown")
        try:
            store._configure()
            store._check()
            store._migrate()
            store._cleanup_tmp()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"数据库文件已损坏或不是本程序的数据库（{exc}）。请从 backups/ 目录恢复最近的备份，或联系区知识产权局。",
                where=str(db_path),
            ) from None
        except BaseException:
            conn.close()
            raise
        return store

    def _configure(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        mode = c.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"无法启用 WAL 日志模式（当前：{mode}）。数据库不能放在网络共享或同步盘上。", where=str(self.path))
        c.execute("PRAGMA synchronous=FULL")
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("PRAGMA trusted_schema=OFF")

    def _check(self) -> None:
        rows = [r[0] for r in self.conn.execute("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            shown = "；".join(str(r) for r in rows[:5])
            raise StoreError(
                f"数据库完整性检查未通过：{shown}。请从 backups/ 目录恢复最近的备份。", where=str(self.path)
            )

    def integrity_check(self) -> list[str]:
        """Full ``PRAGMA integrity_check``: ``[]`` when the file is sound, else SQLite's findings."""
        rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall()]
        return [] if rows == ["ok"] else rows

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"数据库版本（{version}）比本程序支持的版本（{SCHEMA_VERSION}）新，请升级雁塔填报程序。",
                where=str(self.path),
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            self.backup(reason=f"v{version}")
        while True:
            with self._tx():
                # Re-read inside the write lock: another process may have migrated meanwhile.
                version = self.schema_version
                if version >= SCHEMA_VERSION:
                    return
                MIGRATIONS[version](self.db)
                self.conn.execute(f"PRAGMA user_version={version + 1}")

    def backup(self, reason: str = "manual") -> Path:
        """Copy the database with the SQLite backup API into ``backups/yanta-<time>-<reason>.db``."""
        folder = paths.backups_dir(self.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"yanta-{stamp}-{reason}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"yanta-{stamp}-{reason}-{n}.db"
        tmp = folder / f"{_TMP_PREFIX}{uuid.uuid4().hex}.part"
        dst = sqlite3.connect(tmp)
        try:
            self.conn.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(folder)
        return target

    def _cleanup_tmp(self, min_age_s: float = 3600.0) -> None:
        """Remove half-written evidence or backup copies left by a crash (old enough that no
        other process running now can still be writing them)."""
        cutoff = time.time() - min_age_s
        for folder in (paths.evidence_dir(self.data_dir), paths.backups_dir(self.data_dir)):
            if not folder.is_dir():
                continue
            for pattern in (f"*/{_TMP_PREFIX}*", f"{_TMP_PREFIX}*"):
                for p in folder.glob(pattern):
                    with contextlib.suppress(OSError):
                        if p.stat().st_mtime < cutoff:
                            p.unlink()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE … COMMIT``; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._translate(exc) from None
        self._depth = 1
        try:
            yield
        except BaseException as exc:
            self._depth = 0
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise self._translate(exc) from exc
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._translate(exc) from None

    def _translate(self, exc: sqlite3.OperationalError) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreError("数据库正被另一个程序占用（是否打开了两个雁塔填报窗口？），请稍后再试。", where=str(self.path))
        if "full" in text:
            return StoreError("磁盘空间已满，未能保存。请清理磁盘后重试，已保存的数据不受影响。", where=str(self.path))
        if "readonly" in text or "read-only" in text:
            return StoreError("数据库文件是只读的，无法保存。", where=str(self.path))
        return StoreError(f"数据库操作失败：{text}", where=str(self.path))

    # ---- settings --------------------------------------------------------------------------
    def _get(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def _put(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
        )

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self._get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a small JSON-able installation setting (audited: old → new as JSON text)."""
        if not key or key.startswith("_"):
            raise ValueError(f"reserved or empty setting key: {key!r}")
        new_text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self._tx():
            row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            if row is not None and row[0] == new_text:
                return
            self._put(key, value)
            # old → new as ASCII JSON text: any JSON value fits the canonical audit profile
            detail: dict[str, Any] = {"key": key, "new": json.dumps(value, sort_keys=True)}
            if row is not None:
                detail["old"] = json.dumps(json.loads(row[0]), sort_keys=True)
            self._audit("set_setting", f"setting:{key}", detail)

    @property
    def unit(self) -> str | None:
        value = self._get("unit")
        return value.get("code") if isinstance(value, dict) else None

    @property
    def unit_name(self) -> str | None:
        value = self._get("unit")
        return value.get("name") if isinstance(value, dict) else None

    def set_unit(self, code: str, name: str) -> None:
        with self._tx():
            old = self._get("unit")
            new = {"code": code, "name": name}
            if old == new:
                return
            self._put("unit", new)
            detail: dict[str, Any] = {"new": new}
            if isinstance(old, dict):
                detail["old"] = {"code": str(old.get("code", "")), "name": str(old.get("name", ""))}
            self._audit("set_unit", "setting:unit", detail)

    # ---- audit log -------------------------------------------------------------------------
    def audit_head(self) -> tuple[int, str]:
        row = self.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, "")

    def audit(self, action: str, target: str, detail: dict) -> None:
        """Append one audit row (its own transaction, or part of the caller's ``_tx``)."""
        with self._tx():
            self._audit(action, target, detail)

    def _audit(self, action: str, target: str, detail: dict) -> None:
        assert self.conn.in_transaction, "audit rows are written inside a transaction"
        last_seq, last_hash = self.audit_head()
        head = self._get(_HEAD_KEY) or {}
        seq = max(last_seq, int(head.get("seq", 0))) + 1
        row = {
            "seq": seq,
            "at": _now(),
            "user": self.user,
            "action": action,
            "target": target,
            "detail": detail,
            "prev_hash": last_hash,
        }
        digest = audit_hash(row)  # also checks the detail is canonical-profile clean
        row["detail"] = canonical.dumps(detail).decode("utf-8")
        row["hash"] = digest
        self.db["audit"].insert(row)
        self._put(_HEAD_KEY, {"seq": seq, "sha256": digest})

    def verify_audit(self) -> AuditReport:
        """Walk the chain: every row's hash, its link to the previous row, no gaps, the stored head."""
        problems: list[str] = []
        expected, prev, count = 1, "", 0
        last_seq, last_hash = 0, ""
        cur = self.conn.execute(
            "SELECT seq, at, user, action, target, detail, prev_hash, hash FROM audit ORDER BY seq"
        )
        cols = [d[0] for d in cur.description]
        for values in cur:
            row = dict(zip(cols, values, strict=True))
            count += 1
            seq = row["seq"]
            if seq != expected:
                span = f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}—{seq - 1} 条"
                problems.append(f"审计日志{span}缺失（序号不连续，记录被删除）")
            if row["prev_hash"] != prev:
                problems.append(f"审计日志第 {seq} 条：与前一条记录的哈希链接不符（前面的记录被删除或修改）")
            try:
                detail = json.loads(row["detail"])
                computed = audit_hash({**row, "detail": detail})
            except (ValueError, canonical.CanonicalError):
                computed = ""
            if computed != row["hash"]:
                problems.append(f"审计日志第 {seq} 条（{row['action']}，{row['at']}）：内容与哈希不符，记录被修改")
            prev, expected = row["hash"], seq + 1
            last_seq, last_hash = seq, row["hash"]
        head = self._get(_HEAD_KEY)
        if head is None:
            if count:
                problems.append("缺少审计日志链头记录（设置表被修改）")
        else:
            hseq, hhash = int(head.get("seq", 0)), str(head.get("sha256", ""))
            if hseq > last_seq:
                problems.append(
                    f"审计日志末尾记录缺失：应有 {hseq} 条，现只有到第 {last_seq} 条（末尾记录被删除）"
                )
            elif hseq < last_seq:
                problems.append(f"审计日志链头记录（第 {hseq} 条）落后于实际记录（第 {last_seq} 条）")
            elif hhash != last_hash:
                problems.append(f"审计日志最后一条（第 {last_seq} 条）与链头哈希不符，记录被替换")
        return AuditReport(not problems, count, problems, last_seq, last_hash)

    # ---- entries ---------------------------------------------------------------------------
    _ENTRY_SQL = (
        "SELECT e.*, r.data FROM entries e JOIN revisions r ON r.entry_id = e.id AND r.number = e.revision"
    )

    def _entries(self, where: str = "", params: Iterable[Any] = ()) -> list[Entry]:
        sql = self._ENTRY_SQL + (f" WHERE {where}" if where else "") + " ORDER BY e.period, e.task, e.unit"
        cur = self.conn.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return [_row_to_entry(dict(zip(cols, r, strict=True))) for r in cur]

    def find_entry(self, unit: str, task: int, period: str) -> Entry | None:
        found = self._entries("e.unit = ? AND e.task = ? AND e.period = ?", (unit, int(task), _period_code(period)))
        return found[0] if found else None

    def get_entry(self, entry_id: str) -> Entry:
        found = self._entries("e.id = ?", (entry_id,))
        if not found:
            raise StoreError(f"找不到填报记录 {entry_id}")
        return found[0]

    def resolve_entry_id(self, prefix: str) -> str:
        """A full entry id from an unambiguous prefix (at least 4 characters), for the CLI."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4:
            raise StoreError(f"填报编号“{prefix}”太短，请至少输入前 4 位")
        rows = self.conn.execute(
            "SELECT id FROM entries WHERE id >= ? AND id < ? ORDER BY id", (prefix, prefix + "\uffff")
        ).fetchall()
        if not rows:
            raise StoreError(f"找不到编号为“{prefix}”的填报记录（`yanta entry list` 列出全部）")
        if len(rows) > 1:
            raise StoreError(f"编号“{prefix}”对应多条填报记录，请输入更多位：{'、'.join(r[0] for r in rows[:5])}")
        return str(rows[0][0])

    def list_entries(
        self, unit: str | None = None, period: str | None = None, task: int | None = None, status: str | None = None
    ) -> list[Entry]:
        clauses, params = [], []
        if unit is not None:
            clauses.append("e.unit = ?")
            params.append(unit)
        if period is not None:
            clauses.append("e.period = ?")
            params.append(_period_code(period))
        if task is not None:
            clauses.append("e.task = ?")
            params.append(int(task))
        if status is not None:
            clauses.append("e.status = ?")
            params.append(status)
        return self._entries(" AND ".join(clauses), params)

    def revisions(self, entry_id: str) -> list[Revision]:
        cur = self.conn.execute(
            "SELECT number, data, status, user, saved_at, note, form_id, form_version, form_sha256 "
            "FROM revisions WHERE entry_id = ? ORDER BY number",
            (entry_id,),
        )
        return [
            Revision(n, json.loads(d), s, u, at, note, fid, fver, fsha)
            for n, d, s, u, at, note, fid, fver, fsha in cur
        ]

    def previous_data(self, unit: str, task: int, period: str) -> dict | None:
        """The data of the same unit and task in the period of the same kind just before."""
        prev = previous_period(parse_period(_period_code(period)))
        if prev is None:
            return None
        entry = self.find_entry(unit, task, prev.code)
        return entry.data if entry else None

    def _clean(self, form: Form, data: Mapping[str, Any]) -> dict[str, Any]:
        """Normalise entry data; type errors (and malformed evidence items) refuse the save."""
        if not isinstance(data, Mapping):
            raise ValidationFailed([Issue("error", "", "填报内容", "填报内容应为 JSON 对象（含 values / tables / evidence）")])
        for part in ("values", "tables"):
            if data.get(part) is not None and not isinstance(data.get(part), Mapping):
                raise ValidationFailed([Issue("error", part, part, f"“{part}”应为 JSON 对象")])
        if data.get("evidence") is not None and not isinstance(data.get("evidence"), list):
            raise ValidationFailed([Issue("error", "evidence", "佐证材料", "“evidence”应为列表")])
        clean, issues = normalise(form, data)
        evidence = []
        for i, item in enumerate(data.get("evidence") or [], start=1):
            where = f"佐证材料 第{i}个"
            if not isinstance(item, Mapping):
                issues.append(Issue("error", "evidence", where, f"{where}：应为对象（sha256、name）"))
                continue
            sha = str(item.get("sha256", "")).lower()
            name = unicodedata.normalize("NFC", str(item.get("name", ""))).strip()
            if not _SHA_RX.match(sha):
                issues.append(Issue("error", "evidence", where, f"{where}：sha256 应为 64 位十六进制"))
                continue
            size = item.get("size", 0)
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                issues.append(Issue("error", "evidence", where, f"{where}：size 应为非负整数"))
                continue
            evidence.append(
                {
                    "sha256": sha,
                    "name": name or sha[:12],
                    "size": size,
                    "kind": unicodedata.normalize("NFC", str(item.get("kind", ""))).strip(),
                    "note": unicodedata.normalize("NFC", str(item.get("note", ""))).strip(),
                }
            )
        clean["evidence"] = evidence
        errors = [i for i in issues if i.is_error]
        if errors:
            raise ValidationFailed(errors)
        try:
            canonical.check(clean)
        except canonical.CanonicalError as exc:
            raise ValidationFailed([Issue("error", "", "填报内容", str(exc))]) from None
        return clean

    def save_draft(self, unit: str, task: int, period: str, data: dict, form: Form) -> Entry:
        """Normalise and save as a draft: a new revision, audited. A final entry is refused."""
        with self._tx():
            return self._save_draft(unit, task, period, data, form)

    def _save_draft(self, unit: str, task: int, period: str, data: Mapping[str, Any], form: Form) -> Entry:
        task = int(task)
        period = _period_code(period)
        if not unit:
            raise StoreError("未指定填报单位")
        if form.task != task:
            raise StoreError(f"表单 {form.id} 属于任务{form.task}，不能用于任务{task}")
        clean = self._clean(form, data)
        existing = self.find_entry(unit, task, period)
        if existing and existing.status == "final":
            raise EntryIsFinal(
                f"任务{task} {period} 的填报已定稿（第 {existing.revision} 版），不能再保存为草稿。"
                f"如需修改，请先退回（yanta entry reopen {existing.id[:8]} --reason 原因）。",
            )
        if existing and existing.data == clean and existing.form_sha256 == form.sha256:
            return existing  # nothing changed: no new revision, no audit row
        now = _now()
        if existing is None:
            entry_id = str(uuid.uuid4())
            number = 1
            self.db["entries"].insert(
                {
                    "id": entry_id,
                    "unit": unit,
                    "task": task,
                    "period": period,
                    "status": "draft",
                    "form_id": form.id,
                    "form_version": form.version,
                    "form_sha256": form.sha256,
                    "revision": number,
                    "created_at": now,
                    "updated_at": now,
                    "finalised_at": None,
                    "exported_seq": None,
                }
            )
        else:
            entry_id = existing.id
            number = existing.revision + 1
            self.conn.execute(
                "UPDATE entries SET revision = ?, form_id = ?, form_version = ?, form_sha256 = ?, updated_at = ? "
                "WHERE id = ?",
                (number, form.id, form.version, form.sha256, now, entry_id),
            )
        self._insert_revision(entry_id, number, clean, "draft", form.id, form.version, form.sha256, now, "")
        detail: dict[str, Any] = {
            "unit": unit,
            "task": task,
            "period": period,
            "revision": number,
            "form": {"id": form.id, "version": form.version},
            "changes": diff_data(existing.data if existing else None, clean),
        }
        if existing and existing.form_sha256 != form.sha256:
            detail["form_changed"] = {"old": existing.form_sha256, "new": form.sha256}
        self._audit("create_entry" if existing is None else "save_draft", entry_id, detail)
        return self.get_entry(entry_id)

    def _insert_revision(
        self, entry_id: str, number: int, data: dict, status: str, form_id: str, form_version: int,
        form_sha256: str, at: str, note: str,
    ) -> None:
        self.db["revisions"].insert(
            {
                "entry_id": entry_id,
                "number": number,
                "status": status,
                "data": canonical.dumps(data).decode("utf-8"),
                "form_id": form_id,
                "form_version": form_version,
                "form_sha256": form_sha256,
                "user": self.user,
                "saved_at": at,
                "note": note,
            }
        )

    def finalise(self, entry_id: str, catalog: Catalog) -> Entry:
        """Validate (hard errors block with ``ValidationFailed``) and mark final, as a new revision."""
        with self._tx():
            return self._finalise(entry_id, catalog)

    def _finalise(self, entry_id: str, catalog: Catalog) -> Entry:
        entry = self.get_entry(entry_id)
        if entry.status == "final":
            return entry
        form = catalog.form(entry.task)
        plan = catalog.plan
        try:
            period = plan.period(entry.period)
        except PeriodError as exc:
            raise StoreError(str(exc)) from None
        ctx = make_context(plan, entry.unit, period)
        previous = self.previous_data(entry.unit, entry.task, entry.period)
        issues = validate(form, ctx, entry.data, previous)
        for i, item in enumerate(entry.data.get("evidence") or [], start=1):
            if not self.conn.execute("SELECT 1 FROM evidence WHERE sha256 = ?", (item["sha256"],)).fetchone():
                issues.append(
                    Issue("error", "evidence", f"佐证材料 第{i}个",
                          f"佐证材料“{item.get('name', '')}”不在本机的佐证材料库中，请重新添加该文件")
                )
        errors = [i for i in issues if i.is_error]
        if errors:
            raise ValidationFailed(errors)
        data = strip_hidden(form, ctx, entry.data)
        data["evidence"] = entry.data.get("evidence") or []
        now = _now()
        number = entry.revision + 1
        self.conn.execute(
            "UPDATE entries SET status = 'final', revision = ?, form_id = ?, form_version = ?, form_sha256 = ?, "
            "updated_at = ?, finalised_at = ? WHERE id = ?",
            (number, form.id, form.version, form.sha256, now, now, entry.id),
        )
        self._insert_revision(entry.id, number, data, "final", form.id, form.version, form.sha256, now, "定稿")
        detail: dict[str, Any] = {
            "unit": entry.unit,
            "task": entry.task,
            "period": entry.period,
            "revision": number,
            "status": {"old": "draft", "new": "final"},
            "warnings": [w.text for w in issues if not w.is_error],
        }
        hidden = diff_data(entry.data, data)
        if hidden:
            detail["hidden_removed"] = hidden
        self._audit("finalise", entry.id, detail)
        return self.get_entry(entry.id)

    def save_final(self, unit: str, task: int, period: str, data: dict, form: Form, catalog: Catalog) -> Entry:
        """``save_draft`` + ``finalise`` in one transaction: refused as a whole, or saved final."""
        with self._tx():
            existing = self.find_entry(unit, task, period)
            if existing is not None and existing.is_final and existing.form_sha256 == form.sha256:
                # the same final content again (a re-run script) is a no-op, not an error
                clean = self._clean(form, data)
                ctx = make_context(catalog.plan, unit, catalog.plan.period(existing.period))
                stripped = strip_hidden(form, ctx, clean)
                stripped["evidence"] = clean["evidence"]
                if stripped == existing.data:
                    return existing
            entry = self._save_draft(unit, task, period, data, form)
            return self._finalise(entry.id, catalog)

    def reopen(self, entry_id: str, reason: str) -> Entry:
        """final → draft (a new revision); the reason goes into the revision note and the audit log."""
        reason = _clean_text(reason)
        if not reason:
            raise StoreError("退回已定稿的填报必须说明原因")
        with self._tx():
            entry = self.get_entry(entry_id)
            if entry.status != "final":
                raise StoreError(f"任务{entry.task} {entry.period} 的填报还是草稿，无需退回")
            now = _now()
            number = entry.revision + 1
            self.conn.execute(
                "UPDATE entries SET status = 'draft', revision = ?, updated_at = ?, finalised_at = NULL, "
                "exported_seq = NULL WHERE id = ?",
                (number, now, entry.id),
            )
            self._insert_revision(
                entry.id, number, entry.data, "draft", entry.form_id, entry.form_version, entry.form_sha256, now,
                f"退回：{reason}",
            )
            detail: dict[str, Any] = {
                "unit": entry.unit,
                "task": entry.task,
                "period": entry.period,
                "revision": number,
                "reason": reason,
                "status": {"old": "final", "new": "draft"},
            }
            if entry.exported_seq is not None:
                detail["exported_seq"] = {"old": entry.exported_seq}
            self._audit("reopen", entry.id, detail)
            return self.get_entry(entry.id)

    # ---- evidence --------------------------------------------------------------------------
    def evidence_path(self, sha256: str) -> Path:
        sha = sha256.lower()
        if not _SHA_RX.match(sha):
            raise StoreError(f"不是有效的 SHA-256：{sha256}")
        return paths.evidence_dir(self.data_dir) / sha[:2] / sha

    def add_evidence(self, path: Path | str, max_bytes: int = DEFAULT_MAX_EVIDENCE_BYTES) -> EvidenceRef:
        """Copy a file into ``evidence/<sha[:2]>/<sha>`` (atomically; same content stored once)."""
        src = Path(path)
        try:
            size = src.stat().st_size
        except OSError as exc:
            raise StoreError(f"无法读取佐证材料文件：{exc.strerror or exc}", where=str(src)) from None
        if not src.is_file():
            raise StoreError("佐证材料应为文件", where=str(src))
        if size > max_bytes:
            raise EvidenceTooLarge(
                f"佐证材料“{src.name}”大小 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.1f} MB"
                f"（{max_bytes} 字节）。请压缩或拆分后再添加。",
                where=str(src),
            )
        name = _clean_text(src.name) or "file"
        folder = paths.evidence_dir(self.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".part", dir=folder)
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            copied = 0
            with os.fdopen(fd, "wb") as out, open(src, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    copied += len(chunk)
                    if copied > max_bytes:
                        raise EvidenceTooLarge(
                            f"佐证材料“{src.name}”超过上限 {max_bytes / 1048576:.1f} MB（读取时文件变大）", where=str(src)
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.evidence_path(sha)
            if target.is_file() and target.stat().st_size == copied:
                tmp.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
                _fsync_dir(target.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StoreError(f"无法保存佐证材料：{exc.strerror or exc}", where=str(src)) from None
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        with self._tx():
            known = self.conn.execute("SELECT 1 FROM evidence WHERE sha256 = ?", (sha,)).fetchone()
            if not known:
                self.db["evidence"].insert({"sha256": sha, "name": name, "size": copied, "added_at": _now()})
                self._audit("add_evidence", f"evidence:{sha}", {"sha256": sha, "name": name, "size": copied})
        return EvidenceRef(sha, name, copied)

    # ---- exports ---------------------------------------------------------------------------
    def allocate_export(
        self, unit: str, period: str, build: Callable[[int, str], bytes], content_key: str = ""
    ) -> ExportRecord:
        """In one transaction: seq = last + 1, prev = last payload's SHA-256 ('' for the first),
        payload = build(seq, prev), stored as 'pending'. If ``build`` raises, nothing is kept.

        With a non-empty ``content_key``, an earlier export of the same unit, period and key is
        returned instead of allocating a new seq (re-materialising, never a second seq)."""
        with self._tx():
            if content_key:
                cur = self.conn.execute(
                    "SELECT * FROM exports WHERE unit = ? AND period = ? AND content_key = ? ORDER BY seq DESC LIMIT 1",
                    (unit, period, content_key),
                )
                row = cur.fetchone()
                if row:
                    return _row_to_export(dict(zip([d[0] for d in cur.description], row, strict=True)))
            last = self.conn.execute("SELECT seq, sha256 FROM exports ORDER BY seq DESC LIMIT 1").fetchone()
            counter = int(self._get(_EXPORT_SEQ_KEY, 0))
            seq = max(last[0] if last else 0, counter) + 1
            prev = last[1] if last else ""
            payload = build(seq, prev)
            if not isinstance(payload, (bytes, bytearray)):
                raise TypeError("build() must return bytes")
            payload = bytes(payload)
            sha = _sha256_hex(payload)
            now = _now()
            self.db["exports"].insert(
                {
                    "seq": seq,
                    "unit": unit,
                    "period": period,
                    "payload": payload,
                    "sha256": sha,
                    "prev_sha256": prev,
                    "content_key": content_key,
                    "state": "pending",
                    "path": None,
                    "created_at": now,
                    "written_at": None,
                }
            )
            self._put(_EXPORT_SEQ_KEY, seq)
            self._audit(
                "allocate_export",
                f"export:{seq}",
                {"seq": seq, "unit": unit, "period": period, "sha256": sha, "prev_sha256": prev},
            )
        return self._export(seq)

    def _export(self, seq: int) -> ExportRecord:
        cur = self.conn.execute("SELECT * FROM exports WHERE seq = ?", (seq,))
        row = cur.fetchone()
        if row is None:
            raise StoreError(f"找不到第 {seq} 号导出记录")
        return _row_to_export(dict(zip([d[0] for d in cur.description], row, strict=True)))

    def mark_export_written(self, seq: int, path: str | Path) -> None:
        with self._tx():
            rec = self._export(seq)
            self.conn.execute(
                "UPDATE exports SET state = 'written', path = ?, written_at = ? WHERE seq = ?",
                (str(path), _now(), seq),
            )
            self._audit(
                "export_written", f"export:{seq}", {"seq": seq, "sha256": rec.sha256, "path": str(path)}
            )

    def _exports(self, where: str = "", params: Iterable[Any] = ()) -> list[ExportRecord]:
        cur = self.conn.execute("SELECT * FROM exports" + (f" WHERE {where}" if where else "") + " ORDER BY seq", tuple(params))
        cols = [d[0] for d in cur.description]
        return [_row_to_export(dict(zip(cols, r, strict=True))) for r in cur]

    def pending_exports(self) -> list[ExportRecord]:
        return self._exports("state = 'pending'")

    def exports(self) -> list[ExportRecord]:
        return self._exports()

    def mark_exported(self, entry_ids: Iterable[str], seq: int) -> None:
        ids = list(entry_ids)
        with self._tx():
            self._export(seq)
            for entry_id in ids:
                if not self.conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
                    raise StoreError(f"找不到填报记录 {entry_id}")
                self.conn.execute("UPDATE entries SET exported_seq = ? WHERE id = ?", (seq, entry_id))
            self._audit("mark_exported", f"export:{seq}", {"seq": seq, "entries": ids})
