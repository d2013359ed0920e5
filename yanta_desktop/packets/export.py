"""Export a unit's final entries for one period as a signed packet (crash-safe state machine).

1. Build the payload inside ``store.allocate_export`` (one transaction: seq, prev hash, bytes
   stored as 'pending'), so seq and content are durable before any file exists.
2. Sign (Ed25519 is deterministic), render, write the .xlsx atomically, ``mark_export_written``.
3. A pending export left by a crash is re-materialised from the stored bytes first: same seq,
   same payload, same signature. Exporting unchanged content again reuses the last seq.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from .. import canonical
from ..errors import NotInitialisedError, YantaError
from ..forms.validate import make_context, validate
from . import pki, prescan
from .atomic import clean_temp_files
from .model import FORMAT, ExportResult, Progress, Readiness
from .render import render_unit
from .workbook import sign_payload, write_signed_workbook

MAX_EVIDENCE_TOTAL = prescan.MAX_FILE_BYTES // 2  # leaves room for the sheets; the verifier's file limit holds


class ExportRefused(YantaError):
    """无法导出数据包。"""

    def __init__(self, message: str, items: list[Readiness] | None = None) -> None:
        self.items = items or []
        super().__init__(message)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _tasks_for(catalog: Any, unit: str, period: Any) -> list[int]:
    return [t.number for t in catalog.plan.tasks_for_unit(unit) if catalog.applies(t.number, period)]


def readiness(store: Any, catalog: Any, unit: str, period: str) -> list[Readiness]:
    """For each task the unit reports in this period: final / exported / draft / missing, with reasons."""
    p = catalog.plan.period(period)
    out: list[Readiness] = []
    for task in _tasks_for(catalog, unit, p):
        form = catalog.form(task)
        title = catalog.task(task).title
        entry = store.find_entry(unit, task, p.code)
        if entry is None:
            out.append(Readiness(task, title, "missing", [f"任务{task}“{title}”尚未填报"]))
            continue
        if entry.status != "final":
            ctx = make_context(catalog.plan, unit, p)
            issues = validate(form, ctx, entry.data, store.previous_data(unit, task, p.code))
            errors = [f"{i.where}：{i.message}" for i in issues if i.is_error]
            out.append(Readiness(task, title, "draft", ["尚未定稿", *errors]))
            continue
        problems = []
        if entry.form_sha256 != form.sha256:
            problems.append(f"定稿时使用的表单（第{entry.form_version}版）已更新为第{form.version}版，请重新打开并定稿")
        status = "exported" if entry.exported_seq else "final"
        out.append(Readiness(task, title, status if not problems else "draft", problems))
    return out


def _entry_payload(entry: Any, form: Any) -> dict:
    """One payload entry. Final data in the store is already normalised and validated (``finalise``);
    the verifier re-checks it, so it is not re-coerced here (that would double the export time)."""
    data = dict(entry.data)
    data["evidence"] = [
        {"sha256": e["sha256"], "name": e["name"], "size": e["size"], "kind": e.get("kind", ""), "note": e.get("note", "")}
        for e in data.get("evidence", [])
    ]
    return {
        "entry_id": entry.id,
        "task": entry.task,
        "revision": entry.revision,
        "finalised_at": entry.finalised_at or "",
        "form": form.identity(),
        "values": data.get("values", {}),
        "tables": data.get("tables", {}),
        "evidence": data["evidence"],
    }


def _file_name(unit_name: str, period: str, seq: int) -> str:
    return f"{unit_name}_{period}_数据包{seq:04d}.xlsx"


def export_packet(
    store: Any,
    catalog: Any,
    period: str,
    out_dir: Path,
    passphrase: str,
    progress: Progress | None = None,
    *,
    allow_missing: bool = False,
) -> ExportResult:
    """Write the unit's signed packet for ``period`` into ``out_dir``; see the module docstring."""
    report = progress or (lambda done, total, message: None)
    unit = store.unit
    if not unit:
        raise NotInitialisedError()
    p = catalog.plan.period(period)
    unit_name = catalog.plan.units[unit].name
    data_dir = Path(store.data_dir)
    out_dir = Path(out_dir)
    if out_dir.is_dir():
        clean_temp_files(out_dir)  # temp files of an export killed mid-write (never a packet)
    report(0, 5, "检查填报状态")
    items = readiness(store, catalog, unit, p.code)
    blocking = [i for i in items if i.status == "draft" or (i.status == "missing" and not allow_missing)]
    if blocking:
        lines = [f"任务{i.task}“{i.title}”：{'；'.join(i.problems)}" for i in blocking]
        raise ExportRefused("以下任务尚未完成，不能导出：\n" + "\n".join(lines), blocking)
    tasks = {i.task for i in items}
    entries = sorted(
        (e for e in store.list_entries(unit=unit, period=p.code, status="final") if e.task in tasks),
        key=lambda e: e.task,
    )
    if not entries:
        raise ExportRefused(f"{p.label}没有已定稿的填报，无需导出")
    cert = pki.unit_cert(data_dir)
    if pki.cn_of(cert.subject) != unit:
        raise ExportRefused(f"本机的签名证书属于“{pki.cn_of(cert.subject)}”，不是本单位“{unit}”")
    key = pki.unit_key(data_dir, passphrase)  # wrong passphrase fails here, before any seq is used
    cert_sha = pki.cert_sha256(cert)
    report(1, 5, "生成签名数据")
    body = [_entry_payload(e, catalog.form(e.task)) for e in entries]
    _evidence(store, body)  # refuse before a sequence number is used
    contact_src = next((e for e in body if e["values"].get("filled_by")), body[0])["values"]
    contact = {"filled_by": contact_src.get("filled_by", ""), "phone": contact_src.get("phone", "")}
    plan = catalog.plan
    content = {
        "unit": {"code": unit, "name": unit_name},
        "period": p.code,
        "signer_cert_sha256": cert_sha,
        "plan": {"id": plan.spec.id, "version": plan.spec.version, "sha256": plan.sha256},
        "contact": contact,
        "entries": body,
    }
    # a hash key only (the signed bytes are checked by canonical.dumps in build)
    content_hash = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    mine = [r for r in store.exports() if r.unit == unit and r.period == p.code]

    def salted(prev_sha: str) -> str:
        return hashlib.sha256(f"{content_hash}:{prev_sha}".encode()).hexdigest()

    # a crash left pending exports of this period: write them first (same seq, same bytes)
    recovered = {
        rec.seq: _materialise(store, catalog, rec, out_dir, data_dir, passphrase, key, cert, unit_name)
        for rec in mine
        if rec.state == "pending"
    }
    latest = mine[-1] if mine else None
    before_latest = mine[-2].sha256 if len(mine) > 1 else ""
    if latest is not None and latest.content_key == salted(before_latest):
        report(3, 5, "内容未变，沿用上次的序号")
        result = recovered.get(latest.seq) or _materialise(
            store, catalog, latest, out_dir, data_dir, passphrase, key, cert, unit_name
        )
        report(5, 5, "完成")
        return result

    built: dict[str, Any] = {}

    def build(seq: int, prev: str) -> bytes:
        head_seq, head_sha = store.audit_head()
        payload = {
            "format": FORMAT,
            "kind": "unit",
            "packet_id": str(uuid.uuid4()),
            "seq": seq,
            "prev_sha256": prev,
            "created_at": _now(),
            "audit_head": {"seq": head_seq, "sha256": head_sha},
            **content,
        }
        data = canonical.dumps(payload)
        built["payload"], built["bytes"] = payload, data
        return data

    rec = store.allocate_export(unit, p.code, build, content_key=salted(latest.sha256 if latest else ""))
    report(2, 5, f"已登记数据包序号 {rec.seq}")
    parsed = built["payload"] if built.get("bytes") == rec.payload else None
    result = _materialise(store, catalog, rec, out_dir, data_dir, passphrase, key, cert, unit_name, report, parsed)
    report(5, 5, "完成")
    return result


def _materialise(
    store: Any, catalog: Any, rec: Any, out_dir: Path, data_dir: Path, passphrase: str, key: Any, cert: Any,
    unit_name: str, report: Progress | None = None, parsed: dict | None = None,
) -> ExportResult:
    payload = parsed if parsed is not None else canonical.loads_strict(rec.payload)
    if payload["signer_cert_sha256"] != pki.cert_sha256(cert):
        cert, key = _retired_signer(data_dir, payload["signer_cert_sha256"], passphrase)
    signature = sign_payload(rec.payload, key)
    sha = hashlib.sha256(rec.payload).hexdigest()
    if report:
        report(3, 5, "生成表格")
    sheets = render_unit(payload, sha, catalog)
    evidence = _evidence(store, payload["entries"])
    path = Path(out_dir) / _file_name(unit_name, rec.period, rec.seq)
    if report:
        report(4, 5, f"写入 {path.name}")
    write_signed_workbook(path, rec.payload, signature, pki.cert_pem(cert), sheets, evidence)
    if rec.state == "pending":
        store.mark_export_written(rec.seq, path)
        store.mark_exported([e["entry_id"] for e in payload["entries"]], rec.seq)
    return ExportResult(path, rec.seq, sha, pki.cert_sha256(cert), len(payload["entries"]), reused=rec.state != "pending")


def _evidence(store: Any, entries: list[dict]) -> dict[str, Path]:
    """sha256 → local file for every evidence item; refuses missing or oversized files."""
    evidence = {ev["sha256"]: Path(store.evidence_path(ev["sha256"])) for e in entries for ev in e["evidence"]}
    missing = [s for s, path in evidence.items() if not path.exists()]
    if missing:
        raise ExportRefused(f"找不到佐证材料文件：{'、'.join(m[:12] + '…' for m in missing)}（本机 evidence 目录可能被改动）")
    sizes = {s: path.stat().st_size for s, path in evidence.items()}
    total = sum(sizes.values())
    if any(n > prescan.MAX_EVIDENCE_BYTES for n in sizes.values()) or total > MAX_EVIDENCE_TOTAL:
        raise ExportRefused(
            f"佐证材料过大：单个文件不超过 {prescan.MAX_EVIDENCE_BYTES >> 20} MB、合计不超过 {MAX_EVIDENCE_TOTAL >> 20} MB"
            f"（现合计 {total / (1 << 20):.1f} MB）。请压缩或拆分后重新上传。"
        )
    return evidence


def _retired_signer(data_dir: Path, cert_sha: str, passphrase: str) -> tuple[Any, Any]:
    from .. import paths
    from . import envelope

    for pem in sorted((paths.keys_dir(data_dir) / "retired").glob("*.pem")):
        c = pki.load_cert_file(pem)
        if pki.cert_sha256(c) == cert_sha:
            key_file = pem.with_suffix(".key")
            return c, envelope.decrypt_key(key_file.read_bytes(), passphrase, where=str(key_file))
    raise ExportRefused("待补写的数据包由已更换的旧证书签名，但本机找不到该旧证书及私钥")
