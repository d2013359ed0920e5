"""Verify a packet: every check the issue lists, in order, each problem with a stable code.

Order: file size → zip pre-scan (before any XML parse) → packet parts → signer certificate
(chain to a root of *this* installation, usage, validity, revocation) → signature over the exact
payload bytes → strict canonical JSON → payload shape, unit = certificate, certificate fingerprint →
kind checks (forms known, values re-normalised) → evidence hashes → DTD/external-link scan →
every visible cell equals the rendering, no formulas, no extra sheets, rows or cells (cells are
streamed by ``xlsxread`` — lxml without entities or DTDs — and compared row by row).

``verify_packet`` never raises on a bad file; time and memory are bounded by the pre-scan limits
and by stopping at the first row or column the rendering does not have.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from cryptography import x509

from .. import canonical
from . import algs, pki, prescan
from .model import CERT_PART, EVIDENCE_PREFIX, FORMAT, PAYLOAD_PART, SIGNATURE_PART, Problem, VerifyReport
from .sheets import Sheet
from .trust import TrustStore

log = logging.getLogger(__name__)

MAX_CELL_PROBLEMS = 50
_SHA256 = re.compile(r"[0-9a-f]{64}")
_WORKSHEET_PART = re.compile(r"xl/worksheets/sheet\d+\.xml")


@dataclass(frozen=True)
class Kind:
    """How to check and render one payload ``kind``.

    ``render(payload, payload_sha256, catalog) -> list[Sheet]`` (raise ValueError if it cannot);
    ``check(payload, catalog, cert) -> list[Problem]`` for kind-specific content rules;
    ``evidence(payload) -> list[dict]`` the evidence items (sha256, size, name) the payload lists;
    ``sheets_check(payload, wb) -> (sheet names handled, problems)`` for sheets too big to render
    (checked by the kind itself, e.g. a streamed digest); those names are not "extra sheets".
    """

    render: Callable[[dict, str, Any], list[Sheet]]
    check: Callable[[dict, Any, x509.Certificate], list[Problem]] | None = None
    evidence: Callable[[dict], list[dict]] | None = None
    signer_must_be_ip_bureau: bool = False
    # sheets checked by the kind itself (e.g. streamed digests): (payload, openpyxl wb) -> (names, problems)
    sheets_check: Callable[[dict, Any], tuple[set[str], list[Problem]]] | None = None


KINDS: dict[str, Kind] = {}


def register_kind(
    kind: str,
    render: Callable[[dict, str, Any], list[Sheet]],
    check: Callable[[dict, Any, x509.Certificate], list[Problem]] | None = None,
    evidence: Callable[[dict], list[dict]] | None = None,
    *,
    signer_must_be_ip_bureau: bool | None = None,
    sheets_check: Callable[[dict, Any], tuple[set[str], list[Problem]]] | None = None,
) -> None:
    """Let ``verify_packet`` handle another payload kind (the consolidated workbook registers itself)."""
    KINDS[kind] = Kind(
        render, check, evidence, signer_must_be_ip_bureau if signer_must_be_ip_bureau is not None else kind == "consolidated",
        sheets_check,
    )


def _ensure_kinds() -> None:
    if "unit" not in KINDS:
        from . import unitkind

        register_kind("unit", unitkind.render, unitkind.check, unitkind.evidence_items)
    if "consolidated" not in KINDS:
        try:  # the consolidation module registers its renderer on import
            import importlib

            importlib.import_module("yanta_desktop.consolidate.signed")
        except Exception:  # a broken or absent plug-in must not break verification of unit packets
            log.exception("could not load the consolidated packet kind")


def verify_packet(path: Path, trust: TrustStore, catalog: Any = None, *, check_cells: bool = True) -> VerifyReport:
    """Verify one file. Never raises on a bad file: every finding is a Problem in the report."""
    report = VerifyReport(ok=False, path=Path(path))
    try:
        _verify(report, Path(path), trust, catalog, check_cells)
    except Exception as exc:  # a bug must not turn a hostile file into a crash
        log.exception("verify_packet failed on %s", path)
        report.problems.append(Problem("internal_error", f"校验时出现意外错误（{type(exc).__name__}: {exc}），按不通过处理"))
    report.ok = not report.problems
    return report


def _verify(report: VerifyReport, path: Path, trust: TrustStore, catalog: Any, check_cells: bool) -> None:
    add = report.problems.append
    try:
        st = os.stat(path)
    except OSError as exc:
        add(Problem("unreadable", f"无法读取文件：{exc.strerror or exc}"))
        return
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        add(Problem("unreadable", "不是普通文件（可能是管道或设备），拒绝读取"))
        return
    size = st.st_size
    if size > prescan.MAX_FILE_BYTES:
        add(Problem("file_too_large", f"文件大小 {size:,} 字节，超过上限 {prescan.MAX_FILE_BYTES:,}"))
        return
    magic = b""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        if magic.startswith(b"PK"):
            add(Problem("truncated_zip", f"文件不完整或已损坏（压缩包目录无法读取：{exc}）"))
        else:
            add(Problem("not_a_zip", "不是 .xlsx 数据包（不是 zip 格式）"))
        return
    with zf:
        problems = prescan.prescan(zf, size) if magic == b"PK\x03\x04" else [Problem("not_a_zip", "文件开头不是数据包（zip 之前有其他数据）")]
        if problems:
            report.problems.extend(problems)
            return
        report.checks.append("压缩包结构检查通过")
        try:
            sig = prescan.read_member(zf, SIGNATURE_PART, prescan.MAX_SIG_BYTES)
            cert_pem = prescan.read_member(zf, CERT_PART, prescan.MAX_CERT_BYTES)
            payload_bytes = prescan.read_member(zf, PAYLOAD_PART, prescan.MAX_PAYLOAD_BYTES)
        except prescan.MemberError as exc:
            add(exc.problem)
            return
        report.payload_sha256 = hashlib.sha256(payload_bytes).hexdigest()
        cert = _check_cert(report, cert_pem, trust)
        if cert is None:
            return
        # signature over the exact bytes; algorithm from the certificate's key type only
        try:
            alg = algs.for_public_key(cert.public_key())
        except (algs.UnsupportedKey, ValueError) as exc:
            add(Problem("unsupported_algorithm", f"签名证书的密钥类型不受支持：{exc}"))
            return
        if (alg.signature_size and len(sig) != alg.signature_size) or not alg.verify(cert.public_key(), sig, payload_bytes):
            add(Problem("bad_signature", "签名与数据不符：数据（packet/payload.json）或签名在签发后被改动过"))
            return
        report.checks.append(f"{alg.name} 签名有效")
        try:
            payload = canonical.loads_strict(payload_bytes)
        except canonical.CanonicalError as exc:
            add(Problem("not_canonical", f"签名数据不是规范 JSON：{exc}"))
            return
        if not isinstance(payload, dict):
            add(Problem("bad_payload", "签名数据不是 JSON 对象"))
            return
        _identity(report, payload, cert)
        if report.problems:
            return
        report.payload = payload
        if catalog is None:
            from ..catalog import load_catalog

            catalog = load_catalog()
        _ensure_kinds()
        kind = KINDS.get(report.kind or "")
        if kind is None:
            add(Problem("unknown_kind", f"本机不认识的数据包类型“{report.kind}”"))
            return
        if kind.signer_must_be_ip_bureau and report.signer != catalog.plan.ip_bureau.code:
            add(Problem("not_ip_bureau", f"汇总数据包必须由{catalog.plan.ip_bureau.name}签名，实际签名单位为“{report.signer}”"))
            return
        if report.unit_code not in catalog.plan.units or catalog.plan.units[report.unit_code].is_group:
            add(Problem("unknown_unit", f"数据包的单位代码“{report.unit_code}”不在工作方案中"))
            return
        if kind.check:
            report.problems.extend(kind.check(payload, catalog, cert))
            if report.problems:
                return
        report.checks.append("数据符合所引用的表单版本")
        _check_evidence(report, zf, kind.evidence(payload) if kind.evidence else [])
        if report.problems:
            return
        if not check_cells:
            return
        problems = prescan.scan_xml_heads(zf)
        if problems:
            report.problems.extend(problems)
            return
        try:
            sheets = kind.render(payload, report.payload_sha256, catalog)
        except ValueError as exc:
            add(Problem("render_failed", f"无法按签名数据生成对照表格：{exc}"))
            return
        _check_cells(report, path, sheets, (lambda wb: kind.sheets_check(payload, wb)) if kind.sheets_check else None,
                     unit_kind=report.kind == "unit")
        if not report.problems:
            report.checks.append("所有可见单元格与签名数据一致，无公式、无多余内容")


def _check_cert(report: VerifyReport, cert_pem: bytes, trust: TrustStore) -> x509.Certificate | None:
    add = report.problems.append
    try:
        cert = pki.load_cert(cert_pem)
    except pki.PkiError:
        add(Problem("bad_cert", "签名证书（packet/signer.pem）无法读取"))
        return None
    report.cert_sha256 = pki.cert_sha256(cert)
    report.cert_serial = pki.serial_hex(cert)
    report.signer = pki.cn_of(cert.subject)
    if not trust.roots:
        add(Problem("no_trust_root", "本机没有受信任的根证书：请先 `yanta key install` 或 `yanta trust import-root`"))
        return None
    root = pki.find_issuer(cert, trust.roots)
    if root is None:
        add(Problem("cert_untrusted", "签名证书不是由本机信任的根证书签发的（可能是伪造的根证书或他人签发的证书）"))
        return None
    problems = pki.check_chain(cert, root) + pki.check_validity(cert) + pki.check_validity(root)
    if trust.is_revoked(cert):
        problems.append(Problem("cert_revoked", f"签名证书（序列号 {report.cert_serial}）已被吊销（{trust.revoked[cert.serial_number]}）"))
    if problems:
        report.problems.extend(problems)
        return None
    report.checks.append(f"签名证书由受信任的根证书签发，在有效期内，未被吊销（{report.signer}，序列号 {report.cert_serial}）")
    return cert


def _identity(report: VerifyReport, payload: dict, cert: x509.Certificate) -> None:
    add = report.problems.append
    if payload.get("format") != FORMAT:
        add(Problem("bad_format", f"数据格式“{payload.get('format')}”不是 {FORMAT}"))
        return
    unit = payload.get("unit")
    if not isinstance(unit, dict) or not isinstance(unit.get("code"), str):
        add(Problem("bad_payload", "签名数据缺少单位信息"))
        return
    report.kind = payload.get("kind") if isinstance(payload.get("kind"), str) else None
    report.unit_code, report.unit_name = unit["code"], unit.get("name")
    report.period = payload.get("period") if isinstance(payload.get("period"), str) else None
    report.seq = payload.get("seq") if type(payload.get("seq")) is int else None
    report.prev_sha256 = payload.get("prev_sha256") if isinstance(payload.get("prev_sha256"), str) else None
    if report.seq is None or report.seq < 1 or report.prev_sha256 is None or report.period is None:
        add(Problem("bad_payload", "签名数据缺少序号、上一数据包指纹或报告期"))
    elif (report.seq == 1) != (report.prev_sha256 == "") or (report.prev_sha256 and not _SHA256.fullmatch(report.prev_sha256)):
        add(Problem("bad_payload", f"序号 {report.seq} 与上一数据包指纹不相符（第 1 号没有上一数据包，其余须为 64 位小写十六进制）"))
    if report.unit_code != report.signer:
        add(Problem("unit_mismatch", f"数据包自称来自“{report.unit_code}”，但签名证书属于“{report.signer}”"))
    if payload.get("signer_cert_sha256") != report.cert_sha256:
        add(Problem("cert_mismatch", "签名数据中记录的证书指纹与随附的签名证书不一致（证书被替换）"))


def _check_evidence(report: VerifyReport, zf: zipfile.ZipFile, items: list[dict]) -> None:
    add = report.problems.append
    listed: set[str] = set()
    for item in items:
        sha = item.get("sha256")
        if not isinstance(sha, str) or sha in listed:
            continue
        listed.add(sha)
        name = EVIDENCE_PREFIX + sha
        try:
            data = prescan.read_member(zf, name, prescan.MAX_EVIDENCE_BYTES)
        except prescan.MemberError as exc:
            code = "evidence_missing" if exc.problem.code == "missing_part" else exc.problem.code
            add(Problem(code, f"佐证材料“{item.get('name')}”：{exc.problem.message}"))
            continue
        if hashlib.sha256(data).hexdigest() != sha or len(data) != item.get("size"):
            add(Problem("evidence_mismatch", f"佐证材料“{item.get('name')}”的内容与签名数据中的 SHA-256 或大小不符"))
    for info in zf.infolist():
        if info.filename.startswith(EVIDENCE_PREFIX) and info.filename[len(EVIDENCE_PREFIX):] not in listed:
            add(Problem("unexpected_part", f"数据包含有签名数据未列出的附件：{info.filename}"))
    if items and not report.problems:
        report.checks.append(f"{len(listed)} 份佐证材料的 SHA-256 一致")


def _col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col) if 1 <= col <= 18278 else f"列{col}"


def _same(expected: Any, found: Any) -> bool:
    if expected is None or expected == "":
        return found is None or found == ""
    if isinstance(expected, int):
        if isinstance(found, bool):
            return False
        if isinstance(found, int):
            return found == expected
        return isinstance(found, float) and found.is_integer() and int(found) == expected
    return isinstance(found, str) and found == expected


def _show(v: Any) -> str:
    if v is None or v == "":
        return "（空）"
    text = str(v)
    return text if len(text) <= 60 else text[:57] + "…"


def _mismatch(s: Sheet, col: int, row: int, exp: Any, found: Any) -> Problem:
    return Problem("cell_mismatch", f"{s.name}!{_col_letter(col)}{row}：应为“{_show(exp)}”，实为“{_show(found)}”")


def _footer(sheet: Sheet) -> str:
    """The oddFooter ``workbook.write_sheets`` sets (xlsxwriter doubles a literal ``&``)."""
    return f"&L{sheet.footer_left.replace('&', '&&')}&R第 &P 页，共 &N 页"


# the consolidated workbook (IP bureau) also carries charts, traffic-light conditional formats and filters
_CONSOLIDATED_CHILDREN = frozenset({"conditionalFormatting", "autoFilter", "drawing"})


def _check_cells(
    report: VerifyReport, path: Path, sheets: list[Sheet], extra: Callable[[Any], tuple[set[str], list[Problem]]] | None = None,
    *, unit_kind: bool = True,
) -> None:
    """Every visible cell equals the rendering; no formulas, errors, extra sheets, rows or cells."""
    from . import xlsxread

    add = report.problems.append
    try:
        with zipfile.ZipFile(path) as zf:
            refs = xlsxread.sheets(zf)
            covered: set[str] = set()
            if extra is not None:  # a kind's own streamed check (consolidated data sheets) uses openpyxl
                if not openpyxl.DEFUSEDXML:  # defence in depth against XML bombs; defusedxml is a dependency
                    add(Problem("internal_error", "openpyxl 未启用 defusedxml，拒绝解析表格"))
                    return
                wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
                try:
                    covered, extra_problems = extra(wb)
                finally:
                    wb.close()
                report.problems.extend(extra_problems)
            expected = {s.name: s for s in sheets}
            names = [r.name for r in refs]
            for r in refs:
                if r.name not in expected and r.name not in covered:
                    add(Problem("extra_sheet", f"多出的工作表“{r.name}”（签名数据中没有）"))
                elif r.state != "visible":
                    add(Problem("hidden_sheet", f"工作表“{r.name}”被隐藏"))
                elif r.name in expected and not (r.part.startswith("xl/worksheets/") and prescan.limit_for(r.part)):
                    add(Problem("extra_sheet", f"“{r.name}”不是普通工作表"))
            for s in sheets:
                if s.name not in names:
                    add(Problem("missing_sheet", f"缺少工作表“{s.name}”"))
            if len(set(names)) != len(names):
                add(Problem("extra_sheet", "工作表重名"))
            if report.problems:
                return
            used = {r.part for r in refs}
            for name in zf.namelist():
                if _WORKSHEET_PART.fullmatch(name) and name not in used:
                    add(Problem("unexpected_part", f"数据包中有未被工作簿引用的工作表部件：{name}"))
                elif unit_kind and (name.startswith(("xl/drawings/", "xl/charts/")) or name.startswith("xl/worksheets/_rels/")):
                    add(Problem("unexpected_part", f"单位数据包不应含有图形、图表或工作表关系：{name}"))
            if report.problems:
                return
            max_sst = None
            if extra is None:  # the rendering is every sheet: its distinct strings bound the table
                max_sst = len({v for s in sheets for row in s.rows for v in row if isinstance(v, str) and v}) + xlsxread.ROW_SLACK
            n_styles = xlsxread.check_styles(zf, allow_dxfs=not unit_kind)
            xlsxread.check_content_types(zf, [r.part for r in refs if r.name in expected])
            xlsxread.check_defined_names(zf, names, {s.name: s.print_title_rows for s in sheets}, consolidated=not unit_kind)
            fonts = xlsxread.declared_fonts(zf)
            bad_fonts = sorted(f for f in fonts if xlsxread.symbol_font(f))
            if bad_fonts:
                add(Problem("bad_styles", f"样式中声明了符号字体（会把文字显示成图形）：{'、'.join(bad_fonts)[:80]}"))
                return
            sst = xlsxread.shared_strings(zf, max_sst, fonts)
            parts = {r.name: r.part for r in refs}
            mismatches = 0
            for s in sheets:
                rules = (xlsxread.SheetRules(footer=_footer(s), n_styles=n_styles) if unit_kind
                         else xlsxread.SheetRules(extra_children=_CONSOLIDATED_CHILDREN, n_styles=n_styles))
                found = xlsxread.rows(zf, parts[s.name], sst, max_row=len(s.rows), max_col=s.max_cols, rules=rules)
                mismatches += _compare_sheet(report, s, found, mismatches)
                if len(report.problems) > MAX_CELL_PROBLEMS * 2:
                    break
            if mismatches > MAX_CELL_PROBLEMS:
                add(Problem("cell_mismatch", f"另有 {mismatches - MAX_CELL_PROBLEMS} 处单元格与签名数据不符（未逐一列出）"))
    except xlsxread.XlsxError as exc:
        add(Problem(exc.code, str(exc)))
    except KeyError as exc:
        add(Problem("bad_workbook", f"工作簿缺少部件：{exc}"))
    except Exception as exc:  # damaged deflate streams, entity errors from the openpyxl path …
        add(Problem("bad_workbook", f"表格内容无法解析（{type(exc).__name__}: {str(exc)[:200]}）"))


def _compare_sheet(report: VerifyReport, s: Sheet, found_rows: Any, before: int) -> int:
    """Compare one sheet; returns how many cell mismatches it found (reports the first ones)."""
    add = report.problems.append
    rows = s.rows
    n_rows = len(rows)
    mismatches = 0

    def miss(col: int, row: int, exp: Any, found: Any) -> None:
        nonlocal mismatches
        mismatches += 1
        if before + mismatches <= MAX_CELL_PROBLEMS:
            add(_mismatch(s, col, row, exp, found))

    next_row = 1
    for idx, cells in found_rows:
        if idx < next_row:
            add(Problem("bad_workbook", f"{s.name} 第{idx}行：行重复或顺序错乱"))
            return mismatches
        if idx > n_rows:
            hit = next(((c, v) for c, v, _ in cells if v not in (None, "")), None)
            if hit is not None:
                add(Problem("extra_cells", f"{s.name}!{_col_letter(hit[0])}{idx}：签名数据之外的内容 {_show(hit[1])}"))
                return mismatches
            next_row = idx + 1
            continue
        while next_row < idx:  # rows the file skipped entirely must be empty in the rendering too
            for c, v in enumerate(rows[next_row - 1], start=1):
                if v not in (None, ""):
                    miss(c, next_row, v, None)
            next_row += 1
        want = rows[idx - 1]
        n_want = len(want)
        need = n_want - want.count(None) - want.count("")
        filled = 0
        last_col = 0
        for col, value, kind in cells:
            if col <= last_col:
                add(Problem("bad_workbook", f"{s.name}!{_col_letter(col)}{idx}：单元格重复或顺序错乱"))
                return mismatches
            last_col = col
            if kind != "v":
                what = "含有公式" if kind == "f" else "错误值"
                add(Problem("formula" if kind == "f" else "cell_mismatch", f"{s.name}!{_col_letter(col)}{idx}：{what} {_show(value)}"))
                continue
            if col <= n_want:
                exp = want[col - 1]
                if exp is not None and exp != "":
                    filled += 1
                if value == exp and type(value) is type(exp):
                    continue
            else:
                exp = None
                if col > n_want + 64 and value not in (None, ""):
                    add(Problem("extra_cells", f"{s.name}!{_col_letter(col)}{idx}：签名数据之外的内容 {_show(value)}"))
                    return mismatches
            if not _same(exp, value):
                miss(col, idx, exp, value)
        if filled < need:  # some expected cells are absent from the file
            seen = {c for c, _, _ in cells}
            for c, v in enumerate(want, start=1):
                if c not in seen and v not in (None, ""):
                    miss(c, idx, v, None)
        next_row = idx + 1
        if len(report.problems) > MAX_CELL_PROBLEMS * 2:
            return mismatches
    while next_row <= n_rows:
        for c, v in enumerate(rows[next_row - 1], start=1):
            if v not in (None, ""):
                miss(c, next_row, v, None)
        next_row += 1
    return mismatches
