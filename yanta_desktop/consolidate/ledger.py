"""Import: verify every file with the packet verifier, decide its ledger outcome, store, quarantine, audit.

The ledger follows the units' export chain (``yanta_desktop.store`` allocates ``seq`` per installation,
across periods, and ``prev_sha256`` is the previous export's payload SHA-256):

* same payload SHA-256 already stored                       → duplicate (no-op)
* same unit and seq, different content                      → fork
* ``prev_sha256`` ≠ stored payload of seq-1 (when we hold it),
  or the stored seq+1 does not point back at this payload   → fork
* otherwise, against the current packet of the same unit+period:
  none → accepted; lower seq → supersedes; higher seq → stale.

Each packet is one ``BEGIN IMMEDIATE`` transaction with bulk ``executemany`` inserts, so importing one
more packet costs about that packet, whatever the database holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import paths
from .db import Consolidation, utc_now
from .model import Cancel, Cancelled, ImportOutcome, Progress

MAX_FILE_BYTES = 64 * 1024 * 1024  # anything bigger is not a packet (the verifier has its own, tighter bounds)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def expand(paths_in: Iterable[Path]) -> list[Path]:
    """Files as given; folders → their ``*.xlsx`` files (recursive, sorted; Office lock files ``~$…`` skipped)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths_in:
        p = Path(p)
        if p.is_dir():
            found = sorted(
                (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".xlsx" and not f.name.startswith("~$")),
                key=lambda f: str(f),
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve() if f.exists() else f
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _file_sha(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return ""


# ---- audit -------------------------------------------------------------------------------------
class _Audit:
    """The unit store's audit log (``Store.audit``), opened once per import run."""

    def __init__(self, data_dir: Path, user: str | None) -> None:
        from ..store import Store

        self.store = Store.open(data_dir, user=user)

    def __call__(self, action: str, target: str, detail: dict) -> None:
        self.store.audit(action, target, detail)

    def close(self) -> None:
        self.store.close()


# ---- quarantine --------------------------------------------------------------------------------
def _quarantine(cons: Consolidation, path: Path, file_sha: str, reason: str, at: str) -> Path | None:
    """Copy ``path`` into quarantine/ with a reason file; idempotent per file content."""
    row = cons.conn.execute("SELECT stored FROM quarantine WHERE file_sha256 = ?", (file_sha,)).fetchone()
    if row and file_sha:
        return Path(row[0])
    qdir = paths.quarantine_dir(cons.data_dir)
    qdir.mkdir(parents=True, exist_ok=True)
    stamp = at.replace(":", "").replace("-", "")[:15]
    safe_name = "".join(c if c not in '<>:"/\\|?*' else "_" for c in path.name)[:120] or "packet"
    target = qdir / f"{stamp}-{(file_sha or 'unreadable')[:12]}-{safe_name}"
    reason_file = target.with_name(target.name + ".reason.txt")
    try:
        if path.is_file():
            tmp = target.with_name(target.name + ".part")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        else:
            target = target.with_name(target.name + ".missing")
        reason_file.write_text(
            f"文件：{path}\n隔离时间：{at}\nSHA-256：{file_sha or '（无法读取）'}\n原因：{reason}\n", encoding="utf-8"
        )
    except OSError as exc:  # the import log still records the rejection
        reason_file = Path("")
        target = Path("")
        reason = f"{reason}（隔离副本未能保存：{exc}）"
    with _tx(cons.conn):
        cons.conn.execute(
            "INSERT OR IGNORE INTO quarantine (at, original, stored, reason_file, reason, file_sha256) VALUES (?,?,?,?,?,?)",
            (at, str(path), str(target), str(reason_file), reason, file_sha or f"unreadable:{path}"),
        )
    return target if str(target) else None


class _tx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *_) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


# ---- decisions ---------------------------------------------------------------------------------
def decide(cons: Consolidation, unit: str, period: str, seq: int, prev: str, sha: str) -> tuple[str, str, str | None]:
    """(outcome, reason, superseded_sha) for a verified packet, from the ledger alone."""
    conn = cons.conn
    if conn.execute("SELECT 1 FROM packets WHERE sha256 = ?", (sha,)).fetchone():
        return "duplicate", "该数据包已导入过（内容完全相同），已忽略。", None
    same_seq = conn.execute(
        "SELECT sha256, period FROM packets WHERE unit = ? AND seq = ? AND status != 'fork'", (unit, seq)
    ).fetchone()
    if same_seq:
        return (
            "fork",
            f"版本冲突：{unit} 的第 {seq} 号数据包已收到过另一份不同内容（{same_seq[1]}，指纹 {same_seq[0][:12]}）。"
            "同一序号出现两份内容，通常是密钥被复制到另一台电脑或数据库被从备份恢复，请与该单位核实。",
            None,
        )
    before = conn.execute(
        "SELECT sha256 FROM packets WHERE unit = ? AND seq = ? AND status != 'fork'", (unit, seq - 1)
    ).fetchone()
    if seq > 1 and before and before[0] != prev:
        return (
            "fork",
            f"版本链断裂：{unit} 第 {seq} 号数据包声明的上一版本指纹 {prev[:12] or '（空）'} 与已收到的第 {seq - 1} 号"
            f"（{before[0][:12]}）不一致。可能是数据库被恢复或密钥被复制，请与该单位核实。",
            None,
        )
    after = conn.execute(
        "SELECT sha256, prev_sha256 FROM packets WHERE unit = ? AND seq = ? AND status != 'fork'", (unit, seq + 1)
    ).fetchone()
    if after and after[1] != sha:
        return (
            "fork",
            f"版本链断裂：已收到的第 {seq + 1} 号数据包并不以本包（第 {seq} 号）为上一版本。可能是数据库被恢复或密钥被复制。",
            None,
        )
    current = conn.execute(
        "SELECT sha256, seq FROM packets WHERE unit = ? AND period = ? AND status = 'current'", (unit, period)
    ).fetchone()
    held = conn.execute("SELECT max(seq) FROM packets WHERE unit = ? AND status != 'fork'", (unit,)).fetchone()[0] or 0
    gap = ""
    if seq > held + 1 and not conn.execute("SELECT 1 FROM packets WHERE sha256 = ?", (prev,)).fetchone():
        # security.md §6: a jump in the chain is said out loud (lost packets, or a copied key / restored database)
        gap = (f"注意：序号跳跃，缺少 {unit} 第 {held + 1}—{seq - 1} 号数据包，无法核对本包的上一版本指纹；"
               "如该单位并未导出这些数据包，请核实是否有人用其密钥另行签发。")
    if current is None:
        return "accepted", gap, None
    if current[1] > seq:
        return (
            "stale",
            f"过期版本：{unit} {period} 已采用更新的第 {current[1]} 号数据包，本包（第 {seq} 号）仅记录，不参与汇总。",
            None,
        )
    return "supersedes", f"替换同一单位同一报告期的第 {current[1]} 号数据包（指纹 {current[0][:12]}）。{gap}", current[0]


def _store(
    cons: Consolidation,
    payload: dict,
    payload_bytes: bytes,
    sha: str,
    status: str,
    superseded: str | None,
    received_at: str,
    signer: str,
    file_name: str,
    file_sha: str,
) -> None:
    """Insert one packet (and, when it is current, its normalised data) in the open transaction."""
    conn = cons.conn
    unit = payload["unit"]["code"]
    period = payload["period"]
    entries = payload.get("entries", [])
    nrec = sum(len(rows) for e in entries for rows in e.get("tables", {}).values())
    conn.execute(
        "INSERT INTO packets VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            sha, unit, payload["unit"].get("name", unit), period, payload["seq"], payload.get("prev_sha256", ""),
            status, payload.get("created_at", ""), received_at, payload.get("signer_cert_sha256", ""), signer,
            file_name, file_sha, len(entries), nrec, _dumps(sorted({e["task"] for e in entries})),
            zlib.compress(payload_bytes, 1),
        ),
    )
    if superseded:
        conn.execute("UPDATE packets SET status = 'superseded' WHERE sha256 = ?", (superseded,))
        _drop_rows(conn, superseded)
    if status == "current":
        _insert_rows(conn, sha, unit, period, entries)


def _drop_rows(conn: sqlite3.Connection, sha: str) -> None:
    conn.execute("DELETE FROM entries WHERE packet = ?", (sha,))
    conn.execute("DELETE FROM field_values WHERE packet = ?", (sha,))
    conn.execute("DELETE FROM records WHERE packet = ?", (sha,))


def _insert_rows(conn: sqlite3.Connection, sha: str, unit: str, period: str, entries: list[dict]) -> None:
    conn.executemany(
        "INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (sha, unit, period, e["task"], e.get("entry_id", ""), e.get("revision", 0), e.get("form", {}).get("id", ""),
             e.get("form", {}).get("version", 0), e.get("finalised_at", ""), _dumps(e.get("evidence", [])))
            for e in entries
        ],
    )
    conn.executemany(
        "INSERT INTO field_values VALUES (?,?,?,?)",
        ((sha, e["task"], k, _dumps(v)) for e in entries for k, v in e.get("values", {}).items()),
    )
    conn.executemany(
        "INSERT INTO records VALUES (?,?,?,?,?)",
        (
            (sha, e["task"], tbl, i, _dumps(row))
            for e in entries
            for tbl, rows in e.get("tables", {}).items()
            for i, row in enumerate(rows, start=1)
        ),
    )


# ---- the import loop ---------------------------------------------------------------------------
def _reports(files: list[Path], trust: Any, catalog: Any, workers: int) -> Iterator[tuple[Path, Any]]:
    from ..packets import verify_packet

    if workers <= 1 or len(files) < 8:
        for f in files:
            yield f, _safe_verify(verify_packet, f, trust, catalog)
        return
    from .parallel import verify_many

    yield from verify_many(files, trust, catalog, workers)


def _safe_verify(verify_packet: Callable, f: Path, trust: Any, catalog: Any) -> Any:
    try:
        return verify_packet(f, trust, catalog)
    except Exception as exc:  # the verifier never raises on a bad file; a bug must not stop the others
        return exc


def import_paths(
    cons: Consolidation,
    paths_in: Iterable[Path],
    trust: Any,
    catalog: Any,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    user: str | None = None,
    clock: Callable[[], str] | None = None,
    workers: int = 1,
) -> list[ImportOutcome]:
    files = expand(paths_in)
    total = len(files)
    clock = clock or utc_now
    audit = _Audit(cons.data_dir, user)
    who = user or os.environ.get("USERNAME") or os.environ.get("USER") or "?"
    outcomes: list[ImportOutcome] = []
    try:
        audit("consolidate.import.start", f"{total} 个文件", {"files": total})
        if progress:
            progress(0, total, f"准备导入 {total} 个文件")
        for done, (path, report) in enumerate(_reports(files, trust, catalog, workers), start=1):
            if cancel and cancel():
                audit("consolidate.import.cancelled", f"{done - 1}/{total}", {"done": done - 1, "files": total})
                raise Cancelled(f"导入已取消：已处理 {done - 1}/{total} 个文件，已处理的结果已保存。")
            outcome = _one(cons, path, report, catalog, clock(), who, audit)
            outcomes.append(outcome)
            if progress:
                progress(done, total, f"{path.name}：{outcome.label}")
        summary: dict[str, int] = {}
        for o in outcomes:
            summary[o.outcome] = summary.get(o.outcome, 0) + 1
        audit("consolidate.import.done", f"{total} 个文件", summary)
    finally:
        audit.close()
    return outcomes


def _one(cons: Consolidation, path: Path, report: Any, catalog: Any, at: str, who: str, audit: _Audit) -> ImportOutcome:
    file_sha = _file_sha(path)

    def reject(reason: str, **known: Any) -> ImportOutcome:
        q = _quarantine(cons, path, file_sha, reason, at)
        return _log(cons, audit, at, who, file_sha, ImportOutcome(path, "rejected", reason=reason, quarantine_path=q, **known))

    if isinstance(report, BaseException):
        return reject(f"校验程序出错：{type(report).__name__}: {report}")
    if not path.is_file():
        return reject(f"找不到文件：{path}")
    if not report.ok or report.payload is None:
        reasons = "；".join(p.message for p in report.problems) or "未通过校验"
        return reject(reasons, unit=report.unit_code, period=report.period, seq=report.seq,
                      packet_sha256=report.payload_sha256)
    payload = report.payload
    known = {"unit": report.unit_code, "period": report.period, "seq": report.seq, "packet_sha256": report.payload_sha256}
    if payload.get("kind", "unit") != "unit":
        return reject("这是汇总表（区知识产权局签名的汇总工作簿），不是单位数据包，不能导入汇总。", **known)
    unit = payload["unit"]["code"]
    plan = catalog.plan
    if unit not in plan.units or plan.units[unit].is_group:
        return reject(f"单位代码 {unit} 不在工作方案的单位名单中。", **known)
    try:
        plan.period(payload["period"])
    except Exception as exc:
        return reject(f"报告期无效：{exc}", **known)
    # the verifier parsed the signed bytes strictly (canonical form re-checked there); serialising again with
    # the same rule gives the same bytes, without re-walking the profile checks
    payload_bytes = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    sha = hashlib.sha256(payload_bytes).hexdigest()
    if report.payload_sha256 and sha != report.payload_sha256:
        return reject("内部错误：数据包内容指纹不一致。", **known)
    signer = report.signer or ""
    with _tx(cons.conn):
        outcome, reason, superseded = decide(cons, unit, payload["period"], payload["seq"], payload.get("prev_sha256", ""), sha)
        if outcome != "duplicate":
            status = {"accepted": "current", "supersedes": "current", "stale": "stale", "fork": "fork"}[outcome]
            _store(cons, payload, payload_bytes, sha, status, superseded, at, signer, path.name, file_sha)
    q = _quarantine(cons, path, file_sha, reason, at) if outcome == "fork" else None
    return _log(cons, audit, at, who, file_sha, ImportOutcome(path, outcome, reason=reason, quarantine_path=q, **known))  # type: ignore[arg-type]


def _log(cons: Consolidation, audit: _Audit, at: str, who: str, file_sha: str, o: ImportOutcome) -> ImportOutcome:
    with _tx(cons.conn):
        cons.conn.execute(
            "INSERT INTO imports (at, user, path, file_sha256, outcome, unit, period, seq, packet_sha256, reason) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            (at, who, str(o.path), file_sha, o.outcome, o.unit, o.period, o.seq, o.packet_sha256, o.reason),
        )
    audit(
        f"consolidate.import.{o.outcome}",
        f"{o.unit or '?'} {o.period or '?'} 第{o.seq if o.seq is not None else '?'}号",
        {"path": str(o.path), "file_sha256": file_sha, "packet_sha256": o.packet_sha256 or "", "reason": o.reason,
         "quarantine": str(o.quarantine_path) if o.quarantine_path else ""},
    )
    return o


def received_date(received_at: str) -> dt.date:
    """The IP bureau's receipt time (UTC ISO) as a local (China, UTC+8) calendar date."""
    t = dt.datetime.fromisoformat(received_at.replace("Z", "+00:00"))
    return (t + dt.timedelta(hours=8)).date()
